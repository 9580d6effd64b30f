/*
 * internal.h — the server's insides, shared by server.c (start, stop, the writer pool, routing),
 * loop.c (the event-loop threads: accept, limits, idle timeout), conn.c (one connection's
 * state machine) and reply.c (responses as bytes). Not a public header.
 *
 * One connection lives on one loop from its accept to its close and moves through:
 *
 *   HEAD ──head in──> BODY ──body in──> (dispatch) ──> WRITE ──sent──> HEAD (keep-alive)
 *     │                 │                   │                    └──> closed
 *     │                 │                   └─ a write: PARKED on a writer thread, woken
 *     │                 │                      through the loop's eventfd, then WRITE
 *     └─ refused (400, 413, 414, 431, 501, 505) ──> WRITE ──> LINGER ──EOF──> closed
 *
 * Only the loop thread touches a connection, except while it is PARKED: then only the writer
 * that runs its request does, and the loop does not look at it (its descriptor is out of the
 * loop's epoll set) until the writer hands it back.
 */
#ifndef GSI_HTTP_INTERNAL_H
#define GSI_HTTP_INTERNAL_H

#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include "http/guard.h"
#include "http/http.h"
#include "http/parse.h"
#include "http/route.h"

#define HTTP_IN_FIRST      4096u                    /* a connection's first input buffer */
#define HTTP_IN_MAX        (HTTP_HEAD_MAX + 16384u) /* its largest: a full head and room to read */
#define HTTP_DRAIN_MAX     ((size_t)256 << 20)      /* bytes read and dropped after a refusal */
#define HTTP_OUT_HEAD      4096u /* bytes of a response's status line and fields */
#define HTTP_STOP_GRACE_MS 5000  /* requests in flight get this long at a stop */

/* The server lets this many connections in past conn_max, so that a new client still gets
 * in while the guard makes room by evicting the slowest head (guard.h). */
#define HTTP_CONN_SPARE(max) ((max) / 8u + 4u)

enum http_conn_state { CONN_HEAD, CONN_BODY, CONN_READY, CONN_PARKED, CONN_WRITE, CONN_LINGER };

struct http_loop;

struct http_conn {
    struct http_conn *prev, *next; /* the loop's list */
    struct http_conn *wnext;       /* the writer queue, then the loop's done list */
    struct http_loop *loop;
    int fd;
    enum http_conn_state st;
    uint32_t events; /* what the loop's epoll set waits for on fd; 0: not in it */
    struct http_guard_conn g;
    char ip[INET6_ADDRSTRLEN];
    int64_t last_io_ms; /* for the idle timeout, on the real clock */
    /* Input: the head at in[0..head.len) once parsed, unread bytes at in[pos..len). */
    char *in;
    size_t in_len, in_cap, in_pos, scanned;
    struct http_req_head head;
    /* The body being read. */
    struct gsi_buf body;
    uint64_t body_left; /* Content-Length bytes still to come */
    struct http_chunked ch;
    bool too_big;
    bool keep_alive;
    size_t dropped; /* bytes dropped while lingering */
    /* The response: filled by the loop or a writer, then written from out[]. */
    struct http_resp resp;
    char allow[64];
    bool www_auth;
    bool asset; /* a dashboard file: its own fields (reply.c) */
    bool gz;    /* ... sent gzip'd */
    char out_head[HTTP_OUT_HEAD];
    struct iovec iov[2];
    char *out_owned;  /* the body's storage when the response owns it */
    bool close_after; /* close (linger) once the response is out */
    int out_queued;   /* bytes the kernel held unsent at the last tick (CONN_WRITE) */
};

struct http_loop {
    struct http_server *s;
    pthread_t thread;
    int ep;                  /* its epoll set */
    int wake;                /* eventfd: writers hand connections back, stop */
    bool listening;          /* the listening socket is in ep */
    struct http_conn *conns; /* every connection of this loop */
    unsigned nconns;
    pthread_mutex_t mu;     /* guards `done` */
    struct http_conn *done; /* parked connections whose response is ready */
    char date[40];          /* the Date field's value, renewed each second */
    int64_t date_s;
    int64_t stop_ms; /* when this loop began stopping; 0: serving */
};

struct http_ip_slot {
    char ip[INET6_ADDRSTRLEN];
    unsigned n;
};

struct http_server {
    struct http_server_opts o;
    struct platform *platform;
    struct http_guard *guard;
    size_t body_max;
    int listen_fd;
    uint16_t port;
    unsigned nloops;
    struct http_loop *loops;
    atomic_uint nconn; /* open connections, all loops */
    unsigned conn_cap; /* conn_max + HTTP_CONN_SPARE */
    atomic_bool stopping;
    pthread_mutex_t ip_mu;    /* guards `ips` */
    struct http_ip_slot *ips; /* conn_cap slots: connections per address */
    /* The writer pool: requests that change something wait for their commit here, not on
     * a loop thread, so reads keep flowing and many writes share one commit. */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct http_conn *queue_head, *queue_tail;
    bool writers_stopping;
    unsigned nwriters;
    pthread_t *writers;
};

/* --- server.c ------------------------------------------------------------------------ */

/* Routes, authenticates and runs the handler of c's request, filling c->resp, c->allow and
 * c->www_auth; or answers a dashboard file. On a loop thread for reads, a writer otherwise. */
void http__server_handle(struct http_server *s, struct http_conn *c);
/* Hands a PARKED connection to a writer. false when the writers are gone (stopping): then
 * the caller runs the request itself. */
bool http__server_enqueue(struct http_server *s, struct http_conn *c);

/* --- loop.c -------------------------------------------------------------------------- */

int http__loops_start(struct http_server *s, unsigned n, struct gsi_err *err);
/* Stops accepting, lets requests in flight finish (at most HTTP_STOP_GRACE_MS, but never
 * cutting a parked one), joins the loops. */
void http__loops_stop(struct http_server *s);
/* A writer hands c back to its loop, response ready. */
void http__loop_wake(struct http_conn *c);
/* Changes what c's loop waits for on its descriptor (0: takes it out of the set). */
void http__loop_watch(struct http_conn *c, uint32_t events);
/* Closes c and frees it. */
void http__loop_close(struct http_conn *c);
int64_t http__loop_now_ms(void);

/* --- conn.c -------------------------------------------------------------------------- */

/* A new connection on `fd` (non-blocking), its address `ip`. NULL: out of memory. */
struct http_conn *http__conn_new(struct http_loop *l, int fd, const char *ip);
/* The descriptor is readable or writable (epoll's bits). */
void http__conn_event(struct http_conn *c, uint32_t events);
/* A writer finished c's request: send its response. */
void http__conn_resume(struct http_conn *c);
void http__conn_free(struct http_conn *c);

/* --- reply.c ------------------------------------------------------------------------- */

/* Lays out c->resp as the bytes to send (c->out_head and c->iov). */
void http__reply_build(struct http_conn *c);
/* Sets c->resp to the JSON error (status, code, msg). */
void http__reply_error(struct http_conn *c, int status, const char *code, const char *msg);
/* Sends an embedded dashboard file for a GET or HEAD outside /v1/. false: no such file. */
bool http__reply_asset(struct http_conn *c);

#endif
