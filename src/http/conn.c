/*
 * conn.c — one connection's state machine (see internal.h): read a head, read its body, answer
 * (here for reads, on a writer for the rest), write, then the next request or the close.
 * One request at a time: bytes of the next request that arrive early stay in the buffer
 * until the answer to this one is written (pipelining), then are read from there.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/internal.h"

enum step { STEP_GO, STEP_WAIT, STEP_CLOSED };

#define BODY_ROOM 16384u /* bytes a read of a body may take at once */

struct http_conn *http__conn_new(struct http_loop *l, int fd, const char *ip)
{
    struct http_conn *c = calloc(1, sizeof *c);
    char *in = malloc(HTTP_IN_FIRST);
    if (c == NULL || in == NULL) {
        free(c);
        free(in);
        return NULL;
    }
    c->in = in;
    c->in_cap = HTTP_IN_FIRST;
    c->loop = l;
    c->fd = fd;
    c->st = CONN_HEAD;
    c->last_io_ms = http__loop_now_ms();
    strncpy(c->ip, ip, sizeof c->ip - 1);
    gsi_buf_init(&c->body, l->s->body_max);
    http_resp_init(&c->resp);
    return c;
}

void http__conn_free(struct http_conn *c)
{
    free(c->in);
    free(c->out_owned);
    gsi_buf_release(&c->body);
    http_resp_release(&c->resp);
    free(c);
}

/* Makes room to read into: a head may grow the buffer to HTTP_HEAD_MAX and a little (the
 * reader refuses it there); a body's bytes are taken as they come, so what is left of them
 * moves down to just past the head, which stays where it is until the answer is sent. */
static int in_room(struct http_conn *c)
{
    size_t want = c->in_len + 1;
    if (c->st == CONN_BODY) {
        size_t left = c->in_len - c->in_pos;
        memmove(c->in + c->head.len, c->in + c->in_pos, left);
        c->in_pos = c->head.len;
        c->in_len = c->head.len + left;
        want = c->in_len + BODY_ROOM;
    }
    if (want <= c->in_cap) {
        return 0;
    }
    size_t cap = c->in_cap * 2 > want ? c->in_cap * 2 : want;
    cap = cap < HTTP_IN_MAX ? cap : HTTP_IN_MAX;
    if (cap <= c->in_len) {
        return -1;
    }
    char *in = realloc(c->in, cap);
    if (in == NULL) {
        return -1;
    }
    c->in = in;
    c->in_cap = cap;
    return 0;
}

/* 1: read some; 0: nothing to read now; -1: the end of the stream, or an error. */
static int read_some(struct http_conn *c)
{
    if (in_room(c) < 0) {
        return -1;
    }
    ssize_t n = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
    if (n < 0) {
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
    }
    if (n == 0) {
        return -1;
    }
    c->in_len += (size_t)n;
    c->last_io_ms = http__loop_now_ms();
    return 1;
}

/* Answers with the JSON error and closes after it: what follows a refused head or body
 * cannot be framed. The close lingers (linger_start) so that the client reads the answer. */
static enum step refuse(struct http_conn *c, int status, const char *code, const char *msg)
{
    http__reply_error(c, status, code, msg);
    c->close_after = true;
    c->keep_alive = false;
    http_guard_phase(c->loop->s->guard, &c->g, HTTP_GUARD_BUSY);
    http__reply_build(c);
    c->st = CONN_WRITE;
    return STEP_GO;
}

static enum step refuse_too_big(struct http_conn *c)
{
    char msg[128];
    snprintf(msg, sizeof msg, "the request body is larger than the %zu bytes the server accepts",
             c->loop->s->body_max);
    return refuse(c, 413, gsi_err_name(GSI_ELIMIT), msg);
}

/* The head is in: what its body will be, and the guard's phase. */
static enum step on_head(struct http_conn *c)
{
    struct http_server *s = c->loop->s;
    c->in_pos = c->head.len;
    c->keep_alive = c->head.keep_alive && !atomic_load(&s->stopping);
    /* A declared oversize body is refused before any of it is read. */
    if (c->head.has_length && c->head.length > s->body_max) {
        return refuse_too_big(c);
    }
    if (c->head.chunked) {
        http_chunked_init(&c->ch);
    } else if (c->head.has_length && c->head.length > 0) {
        c->body_left = c->head.length;
    } else {
        c->st = CONN_READY;
        http_guard_phase(s->guard, &c->g, HTTP_GUARD_BUSY);
        return STEP_GO;
    }
    c->st = CONN_BODY;
    http_guard_phase(s->guard, &c->g, HTTP_GUARD_BODY);
    if (c->head.expect_continue && c->in_len == c->in_pos) {
        /* RFC 9110 10.1.1: the client waits for this before it sends the body. 25 bytes on
         * a connection with nothing else in flight fit the socket's buffer. */
        static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
        if (send(c->fd, cont, sizeof cont - 1, MSG_NOSIGNAL) != (ssize_t)(sizeof cont - 1)) {
            http__loop_close(c);
            return STEP_CLOSED;
        }
    }
    return STEP_GO;
}

static enum step step_head(struct http_conn *c)
{
    struct http_parse_err e;
    int rc = http_parse_head(&c->head, c->in, c->in_len, &c->scanned, &e);
    if (rc == 0) {
        return STEP_WAIT;
    }
    if (rc < 0) {
        c->head.method = HTTP_OTHER;
        return refuse(c, e.status, e.code, e.msg);
    }
    return on_head(c);
}

/* A chunked body's data: kept up to the cap; past it, the request is refused. */
static void body_sink(void *ctx, const char *p, size_t n)
{
    struct http_conn *c = ctx;
    if (!c->too_big && gsi_buf_append(&c->body, p, n) < 0) {
        c->too_big = true;
    }
}

static enum step step_body(struct http_conn *c)
{
    struct http_server *s = c->loop->s;
    size_t avail = c->in_len - c->in_pos;
    const char *p = c->in + c->in_pos;
    if (c->head.chunked) {
        size_t used;
        struct http_parse_err e;
        int rc = http_chunked_feed(&c->ch, p, avail, &used, body_sink, c, &e);
        c->in_pos += used;
        http_guard_body(s->guard, &c->g, used);
        if (rc < 0) {
            return refuse(c, e.status, e.code, e.msg);
        }
        if (c->too_big) {
            /* Answered now, mid-body: the rest is read and dropped while lingering. */
            return refuse_too_big(c);
        }
        if (rc == 0) {
            return STEP_WAIT;
        }
    } else {
        size_t take = avail < c->body_left ? avail : (size_t)c->body_left;
        if (gsi_buf_append(&c->body, p, take) < 0) {
            return refuse_too_big(c);
        }
        c->in_pos += take;
        c->body_left -= take;
        http_guard_body(s->guard, &c->g, take);
        if (c->body_left > 0) {
            return STEP_WAIT;
        }
    }
    c->st = CONN_READY;
    http_guard_phase(s->guard, &c->g, HTTP_GUARD_BUSY);
    return STEP_GO;
}

/* Reads are answered here, on the loop; anything else waits for its commit on a writer,
 * its connection out of the epoll set until the writer hands it back (http__conn_resume). */
static enum step step_dispatch(struct http_conn *c)
{
    struct http_server *s = c->loop->s;
    enum http_method m = c->head.method;
    if (m != HTTP_GET && m != HTTP_HEAD && m != HTTP_OTHER) {
        http__loop_watch(c, 0);
        c->st = CONN_PARKED;
        if (http__server_enqueue(s, c)) {
            return STEP_WAIT; /* the writer's now: not to be touched */
        }
    }
    http__server_handle(s, c);
    http__reply_build(c);
    c->st = CONN_WRITE;
    return STEP_GO;
}

void http__conn_resume(struct http_conn *c)
{
    http__reply_build(c);
    c->st = CONN_WRITE;
    http__loop_watch(c, EPOLLIN); /* back in the set; step_write asks for EPOLLOUT if need be */
    http__conn_event(c, 0);
}

/* After a refusal: the write side is shut, so the client reads the answer and its end;
 * what it still sends is read and dropped (at most HTTP_DRAIN_MAX, and within the guard's
 * DRAIN deadline) rather than left unread, which would make the close a reset that can
 * destroy the answer before the client reads it. */
static void linger_start(struct http_conn *c)
{
    (void)shutdown(c->fd, SHUT_WR);
    c->st = CONN_LINGER;
    c->dropped = 0;
    http_guard_phase(c->loop->s->guard, &c->g, HTTP_GUARD_DRAIN);
    http__loop_watch(c, EPOLLIN);
}

static void linger_read(struct http_conn *c)
{
    char buf[16384];
    for (;;) {
        ssize_t n = recv(c->fd, buf, sizeof buf, 0);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            return;
        }
        if (n <= 0 || (c->dropped += (size_t)n) > HTTP_DRAIN_MAX) {
            http__loop_close(c);
            return;
        }
        c->last_io_ms = http__loop_now_ms();
    }
}

/* The answer is out: the next request on a kept-alive connection, or the close. */
static enum step finish(struct http_conn *c)
{
    struct http_server *s = c->loop->s;
    free(c->out_owned);
    c->out_owned = NULL;
    http_resp_release(&c->resp);
    http_resp_init(&c->resp);
    bool unread = c->in_pos < c->in_len;
    if (c->close_after || (!c->keep_alive && unread)) {
        linger_start(c);
        return STEP_WAIT;
    }
    if (!c->keep_alive || atomic_load(&s->stopping)) {
        http__loop_close(c);
        return STEP_CLOSED;
    }
    size_t left = c->in_len - c->in_pos;
    memmove(c->in, c->in + c->in_pos, left);
    c->in_len = left;
    c->in_pos = 0;
    c->scanned = 0;
    /* A large body's storage is not kept for the next request. */
    if (c->body.cap > BODY_ROOM) {
        gsi_buf_release(&c->body);
    } else {
        gsi_buf_reset(&c->body);
    }
    c->body_left = 0;
    c->too_big = false;
    c->st = CONN_HEAD;
    http_guard_phase(s->guard, &c->g, HTTP_GUARD_HEAD);
    http__loop_watch(c, EPOLLIN);
    return STEP_GO;
}

static enum step step_write(struct http_conn *c)
{
    while (c->iov[0].iov_len + c->iov[1].iov_len > 0) {
        struct msghdr mh = { .msg_iov = c->iov, .msg_iovlen = 2 };
        ssize_t w = sendmsg(c->fd, &mh, MSG_NOSIGNAL);
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            http__loop_watch(c, EPOLLOUT);
            return STEP_WAIT;
        }
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w < 0) {
            http__loop_close(c);
            return STEP_CLOSED;
        }
        for (int i = 0; i < 2; i++) {
            size_t k = (size_t)w < c->iov[i].iov_len ? (size_t)w : c->iov[i].iov_len;
            c->iov[i].iov_base = (char *)c->iov[i].iov_base + k;
            c->iov[i].iov_len -= k;
            w -= (ssize_t)k;
        }
    }
    c->last_io_ms = http__loop_now_ms();
    return finish(c);
}

/* Runs the state machine until it must wait for the client or a writer. */
static void drive(struct http_conn *c)
{
    for (;;) {
        enum step r;
        switch (c->st) {
        case CONN_HEAD:
            r = step_head(c);
            break;
        case CONN_BODY:
            r = step_body(c);
            break;
        case CONN_READY:
            r = step_dispatch(c);
            break;
        case CONN_WRITE:
            r = step_write(c);
            break;
        default:
            return; /* PARKED, LINGER: events of their own */
        }
        if (r != STEP_GO) {
            return;
        }
    }
}

void http__conn_event(struct http_conn *c, uint32_t events)
{
    switch (c->st) {
    case CONN_PARKED:
        return;
    case CONN_LINGER:
        linger_read(c);
        return;
    case CONN_HEAD:
    case CONN_BODY:
        if (events != 0) {
            int rc = read_some(c);
            if (rc < 0) {
                http__loop_close(c);
                return;
            }
            if (rc == 0) {
                return;
            }
        }
        break;
    default:
        break;
    }
    drive(c);
}
