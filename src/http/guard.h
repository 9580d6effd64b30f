/*
 * guard.h — the server's watch over slow clients (slowloris): a deadline for each request's
 * head, a minimum rate for its body, and room for new clients when every connection is taken.
 *
 * An idle timeout alone is restarted by every byte, so a client that sends its head one byte
 * at a time would keep its connection for ever; a thousand such clients would take every
 * connection. The guard keeps a list of the open connections with the phase each
 * is in and since when, and a thread that looks at it a few times a second:
 *
 *   - HEAD (accepted, or its last response sent, and its next request's head not yet all
 *     in): closed past `head_ms`. A keep-alive connection waiting for its next request is in
 *     this phase too, so it idles at most `head_ms`.
 *   - BODY (head in, body being read): closed when, past `head_ms`, it has averaged fewer
 *     than `body_rate` bytes a second since its head came in.
 *   - DRAIN (a chunked body past the size cap, read and dropped so that its 413 can be
 *     sent once it ends): closed past `head_ms`, whatever its rate.
 *   - BUSY (being answered, or waiting for its commit): never closed by the guard.
 *
 * And while more than `conn_max` connections are open (the server accepts a few more than
 * that, HTTP_CONN_SPARE in internal.h), the one that has waited longest in HEAD (at least
 * HTTP_GUARD_EVICT_MS) is closed to make room, at each new connection and each look: a
 * client that sends a whole head at once is never the one waiting longest, so it is served
 * while the attack goes on.
 *
 * Closing is shutdown(2) on the socket, under the list's lock; the connection's event loop
 * then reads the end of the stream and closes the connection itself, calling
 * http_guard_close before the descriptor is closed, so a descriptor is never shut down after
 * it was reused. Times come from `clock` (milliseconds), which tests replace.
 */
#ifndef GSI_HTTP_GUARD_H
#define GSI_HTTP_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define HTTP_GUARD_EVICT_MS 1000 /* a connection younger than this in HEAD is never evicted */
#define HTTP_GUARD_TICK_MS  100  /* how often the thread looks */

enum http_guard_phase { HTTP_GUARD_HEAD, HTTP_GUARD_BODY, HTTP_GUARD_DRAIN, HTTP_GUARD_BUSY };

/* One connection, embedded in the server's per-connection state. */
struct http_guard_conn {
    struct http_guard_conn *prev, *next;
    int fd;
    enum http_guard_phase phase;
    int64_t since_ms; /* when the phase began */
    uint64_t body;    /* body bytes read in this BODY phase */
    bool cut;         /* shut down by the guard; waiting for its loop to close it */
};

struct http_guard_opts {
    unsigned conn_max;      /* open connections past which the longest-waiting head is evicted */
    unsigned head_ms;       /* deadline for a request's head */
    unsigned body_rate;     /* bytes a second a body must average, once past head_ms */
    int64_t (*clock)(void); /* milliseconds; NULL: CLOCK_MONOTONIC */
};

struct http_guard;

/* Starts the watch thread. */
int http_guard_start(struct http_guard **out, const struct http_guard_opts *o, struct gsi_err *err);
/* Stops and joins it, and frees the guard. NULL is a no-op. */
void http_guard_stop(struct http_guard *g);

/* A connection opened on `fd` (phase HEAD); may evict another to make room. */
void http_guard_open(struct http_guard *g, struct http_guard_conn *c, int fd);
/* The connection is closing: forget it (before its descriptor is closed). */
void http_guard_close(struct http_guard *g, struct http_guard_conn *c);
/* The connection enters `phase` now. */
void http_guard_phase(struct http_guard *g, struct http_guard_conn *c, enum http_guard_phase phase);
/* `n` more body bytes were read. */
void http_guard_body(struct http_guard *g, struct http_guard_conn *c, size_t n);

/* Connections the guard has closed so far, for tests and logs. */
uint64_t http_guard_cuts(struct http_guard *g);

#endif
