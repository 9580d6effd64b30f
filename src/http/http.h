/*
 * http.h — the HTTP/JSON server in front of the platform.
 *
 * One server is GSI's own HTTP/1.1 server: an epoll event loop per thread of a fixed pool,
 * each thread reading requests (strictly, every refusal a JSON error) and answering reads
 * (GET, HEAD) itself. A request that changes something is handed to a pool of writer
 * threads while its connection is parked: the writer calls the platform, which
 * group-commits it with the other writes in flight, and the response is sent only after that
 * commit returned (see docs/internals/http.md).
 *
 *     struct http_server_opts o;
 *     http_server_opts_init(&o);
 *     if (http_listen_parse(&o, "127.0.0.1:8080", &err) < 0) ...
 *     struct http_server *s;
 *     if (http_server_start(&s, &o, platform, &err) < 0) ...
 *     printf("listening on port %u\n", http_server_port(s));
 *     ...wait for a signal...
 *     http_server_stop(s);                    // finishes requests in flight, then frees
 *
 * The server borrows `platform`: the caller closes it after http_server_stop().
 */
#ifndef GSI_HTTP_HTTP_H
#define GSI_HTTP_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "core/err.h"

struct platform;

/* Defaults and the hard caps on what a client may ask of the server. */
#define HTTP_BODY_MAX_DEFAULT     (1u << 20) /* bytes in a request body; more gets 413 */
#define HTTP_CONN_MAX_DEFAULT     1024u      /* open connections in all */
#define HTTP_CONN_PER_IP_DEFAULT  256u       /* open connections from one address */
#define HTTP_TIMEOUT_DEFAULT      30u        /* seconds a connection may stay idle */
#define HTTP_WRITERS_DEFAULT      64u        /* writer threads: writes waiting for a commit */
#define HTTP_HEAD_TIMEOUT_DEFAULT 10u        /* seconds for a request's head to arrive */
#define HTTP_BODY_RATE_DEFAULT    1024u      /* bytes a second a request body must average */
#define HTTP_THREADS_MAX          256u

struct http_server_opts {
    struct sockaddr_storage addr; /* where to listen; set by http_listen_parse */
    socklen_t addr_len;
    unsigned threads;          /* event-loop threads; 0 picks one per CPU, at least 4 */
    unsigned writers;          /* writer threads; 0 picks HTTP_WRITERS_DEFAULT */
    unsigned conn_max;         /* total connections */
    unsigned conn_per_ip;      /* connections from one address */
    unsigned timeout_s;        /* idle connection timeout, seconds */
    size_t body_max;           /* request body cap, bytes */
    unsigned head_timeout_s;   /* a request's head must be in within this (see guard.h) */
    unsigned body_rate;        /* bytes/s a body must average once past head_timeout_s */
    int64_t (*clock_ms)(void); /* the guard's clock in milliseconds; NULL: monotonic (tests) */
    int quiet;                 /* 1: no log line about accept(2) failures on stderr */
};

/* Fills `o` with the defaults above and 127.0.0.1:8080. */
void http_server_opts_init(struct http_server_opts *o);

/* Parses "ADDR:PORT" into o->addr: "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:0" (port 0 asks
 * the kernel for a free port). GSI_EUSAGE with a message naming what is wrong otherwise. */
int http_listen_parse(struct http_server_opts *o, const char *spec, struct gsi_err *err);

struct http_server;

/* Starts listening and serving. `platform` may be NULL: then only the routes that need no
 * platform (health, openapi) answer, the others get 503. */
int http_server_start(struct http_server **out, const struct http_server_opts *o,
                      struct platform *platform, struct gsi_err *err);

/* The port the server listens on (the kernel's choice when the spec asked for port 0). */
uint16_t http_server_port(const struct http_server *s);

/* Stops accepting, lets requests in flight finish, and frees the server. NULL is a no-op. */
void http_server_stop(struct http_server *s);

/* The OpenAPI document served at GET /v1/openapi.yaml (docs/api.yaml, embedded at build). */
extern const unsigned char http_api_yaml[];
extern const size_t http_api_yaml_len;

#endif
