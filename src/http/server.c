/*
 * server.c — the libmicrohttpd daemon: reading requests within limits, routing,
 * authentication and writing responses (see http.h and docs/internals/http.md).
 */
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http/assets.h"
#include "http/auth.h"
#include "http/guard.h"
#include "http/head.h"
#include "http/http.h"
#include "http/log.h"
#include "http/route.h"

struct http_server {
    struct MHD_Daemon *daemon;
    struct http_guard *guard;
    struct platform *platform;
    size_t body_max;
    uint16_t port;
    /* The writer pool: requests that change something wait for their commit here, not on
     * an event-loop thread, so reads keep flowing and many writes share one commit. */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct upload *queue_head;
    struct upload *queue_tail;
    bool stopping;
    unsigned nwriters;
    pthread_t *writers;
};

/* What the server keeps between the calls libmicrohttpd makes for one request with a body,
 * and while a writer runs it. */
enum upload_phase { UPLOAD_READING, UPLOAD_QUEUED, UPLOAD_DONE, UPLOAD_SENT };

struct upload {
    struct gsi_buf body;
    bool too_big;
    size_t dropped; /* bytes read and dropped past the cap */
    enum upload_phase phase;
    /* Set when queued for a writer: */
    struct MHD_Connection *conn;
    enum http_method method;
    const char *url;       /* the raw path, in the connection's struct conn */
    struct http_resp resp; /* filled by the writer */
    char allow[64];
    bool www_auth;
    struct upload *next;
};

/* libmicrohttpd's memory per connection, which holds the request line and fields as they are
 * read: room for the largest head head.h lets through (HTTP_URI_MAX + HTTP_FIELDS_MAX) and
 * the buffers around it, so a head over those caps gets the server's own JSON 414 or 431
 * rather than libmicrohttpd's page; only a head past this pool gets libmicrohttpd's. */
#define HTTP_MHD_POOL (64u << 10)

/* libmicrohttpd accepts this many connections past conn_max, so that a new client still gets
 * in while the guard makes room by evicting the slowest head (guard.h). */
#define HTTP_CONN_SPARE(max) ((max) / 8u + 4u)

/* The per-request state of a request without a body: a marker, not an allocation. */
static struct upload no_body;

/* What the server keeps for one connection, from its accept to its close (libmicrohttpd's
 * socket context): the head of the request being read. */
struct conn {
    struct http_guard_conn g; /* its phase, for the deadlines (guard.h) */
    struct http_head head;
};

static struct conn *conn_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci != NULL ? ci->socket_context : NULL;
}

/* Called with the request target as the client sent it, before libmicrohttpd decodes it:
 * the server routes on this, so "%2F" and "%00" stay what they are. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    struct conn *cn = conn_of(c);
    if (cn != NULL) {
        http_head_init(&cn->head);
        http_head_uri(&cn->head, uri);
    }
    return NULL;
}

static enum MHD_Result head_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                  size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    http_head_field(cls, key, key_size, value, value_size);
    return MHD_YES;
}

static enum MHD_Result head_query(void *cls, enum MHD_ValueKind kind, const char *key,
                                  size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    http_head_query_value(cls, key, key_size);
    http_head_query_value(cls, value, value_size);
    return MHD_YES;
}

static const char *query_lookup(void *ctx, const char *name)
{
    return MHD_lookup_connection_value(ctx, MHD_GET_ARGUMENT_KIND, name);
}

/* Sends `resp`; the body moves to libmicrohttpd, which frees it once written. */
static enum MHD_Result send_resp(struct MHD_Connection *c, struct http_resp *resp,
                                 const char *allow, bool www_auth)
{
    struct MHD_Response *r;
    if (resp->static_body != NULL) {
        /* The API takes a non-const pointer for every mode; with MHD_RESPMEM_PERSISTENT it
         * neither writes nor frees the buffer, so the const is only set aside. */
        r = MHD_create_response_from_buffer(resp->static_len, (void *)resp->static_body,
                                            MHD_RESPMEM_PERSISTENT);
    } else {
        size_t len = 0;
        char *data = gsi_buf_take(&resp->body, &len);
        r = MHD_create_response_from_buffer_with_free_callback(len, data, free);
        if (r == NULL) {
            free(data);
        }
    }
    if (r == NULL) {
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, resp->content_type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
                            resp->cache_control != NULL ? resp->cache_control : "no-store");
    if (resp->location[0] != '\0') {
        MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, resp->location);
    }
    if (resp->etag[0] != '\0') {
        MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, resp->etag);
    }
    if (allow != NULL && allow[0] != '\0') {
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
    }
    if (www_auth) {
        MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"gsi\"");
    }
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)resp->status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *c, int status, const char *code,
                                  const char *msg)
{
    struct http_resp resp;
    http_resp_init(&resp);
    http_resp_error_status(&resp, status, code, msg);
    enum MHD_Result ret = send_resp(c, &resp, NULL, false);
    http_resp_release(&resp);
    return ret;
}

static enum MHD_Result send_too_big(const struct http_server *s, struct MHD_Connection *c)
{
    char msg[128];
    snprintf(msg, sizeof msg, "the request body is larger than the %zu bytes the server accepts",
             s->body_max);
    return send_error(c, 413, gsi_err_name(GSI_ELIMIT), msg);
}

/* The client's numeric address, for per-address limits. */
static void client_address(char *out, size_t cap, struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    out[0] = '\0';
    if (ci == NULL || ci->client_addr == NULL) {
        return;
    }
    const struct sockaddr *sa = ci->client_addr;
    socklen_t len = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                              : sizeof(struct sockaddr_in);
    if (getnameinfo(sa, len, out, (socklen_t)cap, NULL, 0, NI_NUMERICHOST) != 0) {
        out[0] = '\0';
    }
}

/* Routes, authenticates and runs the handler for one complete request. */
/* Routes, authenticates and runs the handler for one complete request, filling `resp`,
 * `allow` (64 bytes: the Allow header of a 405) and *www_auth (a 401 for a missing or bad
 * token). Runs on an event-loop thread for reads and on a writer for the rest. */
static void handle(struct http_server *s, struct MHD_Connection *c, enum http_method m,
                   const char *url, const char *body, size_t body_len, struct http_resp *out,
                   char *allow, bool *www_auth_out)
{
    struct http_req req;
    memset(&req, 0, sizeof req);
    req.method = m;
    req.path = url;
    req.body = body;
    req.body_len = body_len;
    req.platform = s->platform;
    client_address(req.client_addr, sizeof req.client_addr, c);
    req.query = query_lookup;
    req.query_ctx = c;
    req.if_none_match = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                    MHD_HTTP_HEADER_IF_NONE_MATCH);
    const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
    if (accept != NULL) {
        const char *t = strstr(accept, "text/plain");
        const char *j = strstr(accept, "application/json");
        req.want_text = t != NULL && (j == NULL || t < j);
    }
    struct http_resp resp = *out;
    bool www_auth = false;
    const struct http_route *route;
    struct http_auth_slot slot;

    switch (http_route_find(&route, &req, http_routes, http_routes_len, m, url, allow, 64)) {
    case HTTP_MATCH_NO_PATH:
        http_resp_error(&resp, GSI_ENOTFOUND, "no such resource");
        goto send;
    case HTTP_MATCH_NO_METHOD:
        http_resp_error_status(&resp, 405, "GSI_EMETHOD", "method not allowed on this resource");
        goto send;
    case HTTP_MATCH_OK:
        break;
    }
    if (route->needs_platform && s->platform == NULL) {
        http_resp_error_status(&resp, 503, "GSI_EUNAVAILABLE",
                               "the server runs without a database");
        goto send;
    }
    if (route->auth != HTTP_AUTH_NONE) {
        const char *authz =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
        if (authz != NULL || route->auth == HTTP_AUTH_REQUIRED) {
            /* A token that is sent is checked even where it is optional: a client with a
             * revoked token should learn so, not silently see less. */
            if (http_auth_check(&req, &slot, authz) < 0) {
                www_auth = req.err.code == GSI_EAUTH;
                http_resp_from_err(&resp, &req.err);
                goto send;
            }
        }
    }
    if (route->fn(&req, &resp) < 0) {
        http_resp_from_err(&resp, &req.err);
        if (resp.status >= 500) {
            http_log("gsi serve: %s %.200s: %s", http_method_name(m), url, req.err.msg);
        }
    }
send:
    *out = resp;
    *www_auth_out = www_auth;
}

/* Sends an embedded dashboard file: 304 when the client's copy is current, the gzip variant
 * when the client takes it. The policy forbids any request outside this server, so the page
 * cannot load a script, style, font or image from elsewhere by mistake. */
static enum MHD_Result send_asset(struct MHD_Connection *c, const struct http_asset *a)
{
    const char *inm =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    const char *ae =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
    bool fresh = http_asset_etag_matches(inm, a->etag);
    bool gz = !fresh && a->gz != NULL && http_asset_accepts_gzip(ae);
    const unsigned char *data = gz ? a->gz : a->data;
    size_t len = fresh ? 0 : gz ? a->gz_len : a->len;
    /* MHD_RESPMEM_PERSISTENT neither writes nor frees the buffer; the const is set aside. */
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, fresh ? NULL : (void *)data, MHD_RESPMEM_PERSISTENT);
    if (r == NULL) {
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, a->content_type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, a->etag);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; "
                            "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
    if (gz) {
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    }
    enum MHD_Result ret = MHD_queue_response(c, fresh ? 304u : 200u, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result dispatch(struct http_server *s, struct MHD_Connection *c, enum http_method m,
                                const char *url, const char *body, size_t body_len)
{
    /* Everything outside /v1/ that a GET or HEAD asks for is the dashboard's. */
    if ((m == HTTP_GET || m == HTTP_HEAD) && strncmp(url, "/v1/", 4) != 0) {
        const struct http_asset *a = http_asset_find(url);
        if (a != NULL) {
            return send_asset(c, a);
        }
    }
    struct http_resp resp;
    http_resp_init(&resp);
    char allow[64];
    bool www_auth = false;
    handle(s, c, m, url, body, body_len, &resp, allow, &www_auth);
    enum MHD_Result ret = send_resp(c, &resp, allow, www_auth);
    http_resp_release(&resp);
    return ret;
}

/* Hands a complete request to the writer pool and suspends its connection; the writer
 * resumes it with the response ready. Runs the request here instead once the server is
 * stopping and the writers are gone. */
static enum MHD_Result enqueue(struct http_server *s, struct MHD_Connection *c, struct upload *up,
                               enum http_method m, const char *url)
{
    pthread_mutex_lock(&s->mu);
    if (s->stopping || s->nwriters == 0) {
        pthread_mutex_unlock(&s->mu);
        return dispatch(s, c, m, url, up->body.data, up->body.len);
    }
    up->conn = c;
    up->method = m;
    up->url = url;
    up->phase = UPLOAD_QUEUED;
    up->next = NULL;
    http_resp_init(&up->resp);
    if (s->queue_tail != NULL) {
        s->queue_tail->next = up;
    } else {
        s->queue_head = up;
    }
    s->queue_tail = up;
    /* Suspended before a writer can see it, so its resume never comes first. */
    MHD_suspend_connection(c);
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    return MHD_YES;
}

static void *writer_main(void *arg)
{
    struct http_server *s = arg;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (s->queue_head == NULL && !s->stopping) {
            pthread_cond_wait(&s->cv, &s->mu);
        }
        struct upload *up = s->queue_head;
        if (up == NULL) {
            break; /* stopping, and nothing left to do */
        }
        s->queue_head = up->next;
        if (s->queue_head == NULL) {
            s->queue_tail = NULL;
        }
        pthread_mutex_unlock(&s->mu);
        handle(s, up->conn, up->method, up->url, up->body.data, up->body.len, &up->resp, up->allow,
               &up->www_auth);
        up->phase = UPLOAD_DONE;
        MHD_resume_connection(up->conn);
        pthread_mutex_lock(&s->mu);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct http_server *s = cls;
    enum http_method m = http_method_parse(method);
    struct upload *up = *con_cls;
    /* Routes see the raw path (head.h), never libmicrohttpd's decoded `url`. */
    (void)url;
    struct conn *cn = conn_of(c);
    const char *path = cn != NULL ? cn->head.path : "";
    if (up == NULL) {
        if (cn == NULL) {
            return MHD_NO; /* no memory for it at accept: close */
        }
        /* The head is in: a request without a body is answered now, one with a body must
         * keep its bytes coming. */
        http_guard_phase(s->guard, &cn->g,
                         m == HTTP_GET || m == HTTP_HEAD || m == HTTP_OTHER ? HTTP_GUARD_BUSY
                                                                           : HTTP_GUARD_BODY);
        http_head_version(&cn->head, version);
        MHD_get_connection_values_n(c, MHD_HEADER_KIND, head_field, &cn->head);
        MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, head_query, &cn->head);
        const char *code;
        char msg[160];
        int status = http_head_verdict(&cn->head, &code, msg, sizeof msg);
        if (status != 0) {
            /* Answered before the body is read, so libmicrohttpd closes the connection
             * after this response: the framing of what follows is not to be trusted. */
            return send_error(c, status, code, msg);
        }
        const char *cl =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        /* No body to wait for: nothing to allocate. libmicrohttpd keeps the connection
         * alive only for a response queued once the whole request is in, that is at the
         * next call, so this call only marks the request as seen. A method no route has
         * (PATCH, OPTIONS...) goes the same way: its body, if any, is dropped, and the
         * router answers 404 for an unknown path or 405 with Allow for a known one. */
        if (m == HTTP_GET || m == HTTP_HEAD || m == HTTP_OTHER) {
            *con_cls = &no_body;
            return MHD_YES;
        }
        /* Refuse a declared oversize body before reading any of it. */
        if (cl != NULL && (strlen(cl) > 18 || strtoull(cl, NULL, 10) > s->body_max)) {
            return send_too_big(s, c);
        }
        up = calloc(1, sizeof *up);
        if (up == NULL) {
            return MHD_NO;
        }
        gsi_buf_init(&up->body, s->body_max);
        up->phase = UPLOAD_READING;
        *con_cls = up;
        return MHD_YES;
    }
    if (up == &no_body) {
        if (*upload_data_size > 0) {
            /* A body nobody announced (a GET with one): read and dropped. */
            *upload_data_size = 0;
            return MHD_YES;
        }
        return dispatch(s, c, m, path, NULL, 0);
    }
    if (up->phase == UPLOAD_DONE) {
        up->phase = UPLOAD_SENT;
        enum MHD_Result ret = send_resp(c, &up->resp, up->allow, up->www_auth);
        http_resp_release(&up->resp);
        return ret;
    }
    if (up->phase != UPLOAD_READING) {
        return MHD_NO; /* never called again once answered; close if it were */
    }
    if (*upload_data_size > 0 && cn != NULL) {
        http_guard_body(s->guard, &cn->g, *upload_data_size);
    }
    if (*upload_data_size == 0 && cn != NULL) {
        http_guard_phase(s->guard, &cn->g, HTTP_GUARD_BUSY); /* the whole body is in */
    }
    if (*upload_data_size > 0) {
        /* A chunked body has no declared length; it is cut off at the cap. libmicrohttpd
         * (0.9.x) cannot queue a response until the whole request is in, so what follows
         * the cap is read and dropped to answer 413 — but only up to as much again: past
         * that the connection is closed without an answer, so that a client cannot keep a
         * connection reading forever. */
        if (up->too_big) {
            up->dropped += *upload_data_size;
            if (up->dropped > s->body_max) {
                return MHD_NO;
            }
        } else if (gsi_buf_append(&up->body, upload_data, *upload_data_size) < 0) {
            up->too_big = true;
            up->dropped = *upload_data_size;
            gsi_buf_release(&up->body);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (up->too_big) {
        return send_too_big(s, c);
    }
    return enqueue(s, c, up, m, path);
}

/* Small responses must not wait for the client's delayed ACK (Nagle's algorithm holds the
 * last short segment back until then, about 40 ms on Linux): every response is written
 * whole, so there is nothing to coalesce. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    struct http_server *s = cls;
    if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
        struct conn *cn = *socket_context;
        if (cn != NULL) {
            http_guard_close(s->guard, &cn->g); /* before libmicrohttpd closes the socket */
        }
        free(cn);
        *socket_context = NULL;
        return;
    }
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    struct conn *cn = calloc(1, sizeof *cn);
    if (cn != NULL) {
        http_guard_open(s->guard, &cn->g, ci != NULL ? ci->connect_fd : -1);
    }
    *socket_context = cn;
    if (ci != NULL) {
        int one = 1;
        (void)setsockopt(ci->connect_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct http_server *s = cls;
    struct conn *cn = conn_of(c);
    if (cn != NULL && toe == MHD_REQUEST_TERMINATED_COMPLETED_OK) {
        /* Answered: the next request's head is now awaited, on the same deadline. */
        http_guard_phase(s->guard, &cn->g, HTTP_GUARD_HEAD);
    }
    struct upload *up = *con_cls;
    if (up != NULL && up != &no_body) {
        if (up->phase == UPLOAD_DONE) {
            http_resp_release(&up->resp);
        }
        gsi_buf_release(&up->body);
        free(up);
        *con_cls = NULL;
    }
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    http_log_v(fmt, ap);
}

static void server_free(struct http_server *s);

int http_server_start(struct http_server **out, const struct http_server_opts *o,
                      struct platform *platform, struct gsi_err *err)
{
    *out = NULL;
    struct http_server *s = calloc(1, sizeof *s);
    if (s == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory starting the server");
    }
    s->platform = platform;
    s->body_max = o->body_max > 0 ? o->body_max : HTTP_BODY_MAX_DEFAULT;
    struct http_guard_opts go = { .conn_max = o->conn_max,
                                  .head_ms = (o->head_timeout_s > 0 ? o->head_timeout_s
                                                                    : HTTP_HEAD_TIMEOUT_DEFAULT) *
                                             1000u,
                                  .body_rate = o->body_rate,
                                  .clock = o->clock_ms };
    if (http_guard_start(&s->guard, &go, err) < 0) {
        free(s);
        return err->code;
    }
    unsigned threads = o->threads;
    if (threads == 0) {
        long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
        threads = ncpu > 4 ? (unsigned)ncpu : 4u;
    }
    if (threads > HTTP_THREADS_MAX) {
        threads = HTTP_THREADS_MAX;
    }
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    unsigned nwriters = o->writers > 0 ? o->writers : HTTP_WRITERS_DEFAULT;
    if (nwriters > HTTP_THREADS_MAX) {
        nwriters = HTTP_THREADS_MAX;
    }
    s->writers = calloc(nwriters, sizeof *s->writers);
    if (s->writers == NULL) {
        server_free(s);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory starting the server");
    }
    for (; s->nwriters < nwriters; s->nwriters++) {
        if (pthread_create(&s->writers[s->nwriters], NULL, writer_main, s) != 0) {
            server_free(s);
            return gsi_err_set(err, GSI_ENOMEM, "cannot start the server's writer threads");
        }
    }
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_TURBO | MHD_ALLOW_SUSPEND_RESUME;
    /* libmicrohttpd's own messages go through the rate-limited log. */
    if (!o->quiet) {
        flags |= MHD_USE_ERROR_LOG;
    }
    if (o->addr.ss_family == AF_INET6) {
        flags |= MHD_USE_IPv6;
    }
    s->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR,
        (const struct sockaddr *)&o->addr, MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_LIMIT, o->conn_max + HTTP_CONN_SPARE(o->conn_max),
        MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        o->conn_per_ip, MHD_OPTION_CONNECTION_TIMEOUT, o->timeout_s, MHD_OPTION_LISTEN_BACKLOG_SIZE,
        1024u, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_NOTIFY_CONNECTION,
        on_connection, s, MHD_OPTION_URI_LOG_CALLBACK, on_uri, s, MHD_OPTION_EXTERNAL_LOGGER,
        mhd_log, s,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_MHD_POOL, MHD_OPTION_END);
    if (s->daemon == NULL) {
        server_free(s);
        return gsi_err_set(
            err, GSI_EIO, "cannot listen on the address asked for (in use, or not this machine's)");
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info != NULL ? info->port : 0;
    *out = s;
    return 0;
}

uint16_t http_server_port(const struct http_server *s)
{
    return s->port;
}

/* Stops and joins the writers; they finish what is queued first. A second call does nothing. */
static void writers_stop(struct http_server *s)
{
    pthread_mutex_lock(&s->mu);
    s->stopping = true;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    for (unsigned i = 0; i < s->nwriters; i++) {
        pthread_join(s->writers[i], NULL);
    }
    s->nwriters = 0;
}

/* Stops the writers if they still run, and frees `s`. */
static void server_free(struct http_server *s)
{
    writers_stop(s);
    http_guard_stop(s->guard); /* after the daemon: its callbacks use the guard */
    free(s->writers);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

void http_server_stop(struct http_server *s)
{
    if (s == NULL) {
        return;
    }
    /* Stop accepting, let the writers finish and resume every suspended connection, then
     * stop the event loops (which must not find a connection still suspended). */
    MHD_socket fd = MHD_quiesce_daemon(s->daemon);
    if (fd != MHD_INVALID_SOCKET) {
        close(fd);
    }
    writers_stop(s);
    MHD_stop_daemon(s->daemon);
    server_free(s);
}
