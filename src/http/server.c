/*
 * server.c — GSI's own HTTP/1.1 server: starting and stopping it, the writer pool, and what
 * a complete request is answered with (routing, authentication, the handler, the dashboard's
 * files). The event loops are loop.c's, a connection's life conn.c's, the reader parse.c's
 * (see http.h, internal.h and docs/internals/http.md).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/auth.h"
#include "http/internal.h"
#include "http/log.h"

static const char *query_lookup(void *ctx, const char *name)
{
    const struct http_conn *c = ctx;
    return http_req_head_query(&c->head, name);
}

/* The request as handlers see it (route.h). */
static void req_fill(struct http_req *req, struct http_server *s, struct http_conn *c)
{
    memset(req, 0, sizeof *req);
    req->method = c->head.method;
    req->path = c->head.check.path;
    req->body = c->body.data;
    req->body_len = c->body.len;
    req->platform = s->platform;
    snprintf(req->client_addr, sizeof req->client_addr, "%s", c->ip);
    req->query = query_lookup;
    req->query_ctx = c;
    req->if_none_match = http_req_head_field(&c->head, c->in, "If-None-Match");
    const char *accept = http_req_head_field(&c->head, c->in, "Accept");
    if (accept != NULL) {
        const char *t = strstr(accept, "text/plain");
        const char *j = strstr(accept, "application/json");
        req->want_text = t != NULL && (j == NULL || t < j);
    }
}

/* Routes and authenticates `req`: 0 with *route set when its handler is to run, or -1 with
 * c->resp filled (404, 405 with Allow, 503, 401 with WWW-Authenticate). */
static int route_and_auth(struct http_server *s, struct http_conn *c, struct http_req *req,
                          const struct http_route **route, struct http_auth_slot *slot)
{
    switch (http_route_find(route, req, http_routes, http_routes_len, req->method, req->path,
                            c->allow, sizeof c->allow)) {
    case HTTP_MATCH_NO_PATH:
        http_resp_error(&c->resp, GSI_ENOTFOUND, "no such resource");
        return -1;
    case HTTP_MATCH_NO_METHOD:
        http_resp_error_status(&c->resp, 405, "GSI_EMETHOD", "method not allowed on this resource");
        return -1;
    case HTTP_MATCH_OK:
        break;
    }
    if ((*route)->needs_platform && s->platform == NULL) {
        http_resp_error_status(&c->resp, 503, "GSI_EUNAVAILABLE",
                               "the server runs without a database");
        return -1;
    }
    if ((*route)->auth == HTTP_AUTH_NONE) {
        return 0;
    }
    const char *authz = http_req_head_field(&c->head, c->in, "Authorization");
    /* A token that is sent is checked even where it is optional: a client with a revoked
     * token should learn so, not silently see less. */
    if ((authz != NULL || (*route)->auth == HTTP_AUTH_REQUIRED) &&
        http_auth_check(req, slot, authz) < 0) {
        c->www_auth = req->err.code == GSI_EAUTH;
        http_resp_from_err(&c->resp, &req->err);
        return -1;
    }
    return 0;
}

void http__server_handle(struct http_server *s, struct http_conn *c)
{
    enum http_method m = c->head.method;
    c->allow[0] = '\0';
    c->www_auth = false;
    c->asset = false;
    http_resp_init(&c->resp);
    /* Everything outside /v1/ that a GET or HEAD asks for is the dashboard's. */
    if ((m == HTTP_GET || m == HTTP_HEAD) && strncmp(c->head.check.path, "/v1/", 4) != 0 &&
        http__reply_asset(c)) {
        return;
    }
    struct http_req req;
    req_fill(&req, s, c);
    const struct http_route *route;
    struct http_auth_slot slot;
    if (route_and_auth(s, c, &req, &route, &slot) < 0) {
        return;
    }
    if (route->fn(&req, &c->resp) < 0) {
        http_resp_from_err(&c->resp, &req.err);
        if (c->resp.status >= 500) {
            http_log("gsi serve: %s %.200s: %s", http_method_name(m), req.path, req.err.msg);
        }
    }
}

bool http__server_enqueue(struct http_server *s, struct http_conn *c)
{
    pthread_mutex_lock(&s->mu);
    if (s->writers_stopping || s->nwriters == 0) {
        pthread_mutex_unlock(&s->mu);
        return false;
    }
    c->wnext = NULL;
    if (s->queue_tail != NULL) {
        s->queue_tail->wnext = c;
    } else {
        s->queue_head = c;
    }
    s->queue_tail = c;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    return true;
}

static void *writer_main(void *arg)
{
    struct http_server *s = arg;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (s->queue_head == NULL && !s->writers_stopping) {
            pthread_cond_wait(&s->cv, &s->mu);
        }
        struct http_conn *c = s->queue_head;
        if (c == NULL) {
            break; /* stopping, and nothing left to do */
        }
        s->queue_head = c->wnext;
        if (s->queue_head == NULL) {
            s->queue_tail = NULL;
        }
        pthread_mutex_unlock(&s->mu);
        http__server_handle(s, c);
        http__loop_wake(c); /* the connection is the loop's again from here */
        pthread_mutex_lock(&s->mu);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* Stops and joins the writers; they finish what is queued first. A second call does nothing. */
static void writers_stop(struct http_server *s)
{
    pthread_mutex_lock(&s->mu);
    s->writers_stopping = true;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    for (unsigned i = 0; i < s->nwriters; i++) {
        pthread_join(s->writers[i], NULL);
    }
    s->nwriters = 0;
}

static int writers_start(struct http_server *s, unsigned n, struct gsi_err *err)
{
    if (n > HTTP_THREADS_MAX) {
        n = HTTP_THREADS_MAX;
    }
    s->writers = calloc(n, sizeof *s->writers);
    if (s->writers == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory starting the server");
    }
    for (; s->nwriters < n; s->nwriters++) {
        if (pthread_create(&s->writers[s->nwriters], NULL, writer_main, s) != 0) {
            return gsi_err_set(err, GSI_ENOMEM, "cannot start the server's writer threads");
        }
    }
    return 0;
}

/* Stops the writers if they still run, and frees `s`. */
static void server_free(struct http_server *s)
{
    writers_stop(s);
    http_guard_stop(s->guard); /* after the loops: they use the guard */
    if (s->listen_fd >= 0) {
        close(s->listen_fd);
    }
    free(s->writers);
    free(s->ips);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    pthread_mutex_destroy(&s->ip_mu);
    free(s);
}

static struct http_server *server_new(const struct http_server_opts *o, struct platform *platform)
{
    struct http_server *s = calloc(1, sizeof *s);
    if (s == NULL) {
        return NULL;
    }
    s->o = *o;
    s->platform = platform;
    s->listen_fd = -1;
    s->body_max = o->body_max > 0 ? o->body_max : HTTP_BODY_MAX_DEFAULT;
    s->o.conn_max = o->conn_max > 0 ? o->conn_max : HTTP_CONN_MAX_DEFAULT;
    s->conn_cap = s->o.conn_max + HTTP_CONN_SPARE(s->o.conn_max);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    pthread_mutex_init(&s->ip_mu, NULL);
    s->ips = calloc(s->conn_cap, sizeof *s->ips);
    if (s->ips == NULL) {
        server_free(s);
        return NULL;
    }
    return s;
}

int http_server_start(struct http_server **out, const struct http_server_opts *o,
                      struct platform *platform, struct gsi_err *err)
{
    *out = NULL;
    struct http_server *s = server_new(o, platform);
    if (s == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory starting the server");
    }
    struct http_guard_opts go = {
        .conn_max = s->o.conn_max,
        .head_ms = (o->head_timeout_s > 0 ? o->head_timeout_s : HTTP_HEAD_TIMEOUT_DEFAULT) * 1000u,
        .body_rate = o->body_rate,
        .clock = o->clock_ms
    };
    if (http_guard_start(&s->guard, &go, err) < 0 ||
        writers_start(s, o->writers > 0 ? o->writers : HTTP_WRITERS_DEFAULT, err) < 0) {
        server_free(s);
        return err->code;
    }
    unsigned threads = o->threads;
    if (threads == 0) {
        long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
        threads = ncpu > 4 ? (unsigned)ncpu : 4u;
    }
    if (http__loops_start(s, threads > HTTP_THREADS_MAX ? HTTP_THREADS_MAX : threads, err) < 0) {
        server_free(s);
        return err->code;
    }
    *out = s;
    return 0;
}

uint16_t http_server_port(const struct http_server *s)
{
    return s->port;
}

void http_server_stop(struct http_server *s)
{
    if (s == NULL) {
        return;
    }
    /* The loops first: they stop accepting and wait for the parked requests, which the
     * writers still run; then the writers, with nothing left queued. */
    http__loops_stop(s);
    server_free(s);
    http_log_flush();
}
