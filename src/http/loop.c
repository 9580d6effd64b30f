/*
 * loop.c — the event-loop threads (see internal.h): each has its own epoll set (level-triggered),
 * an eventfd through which writers hand connections back, and the one listening socket,
 * registered with EPOLLEXCLUSIVE so that a new connection wakes one loop, not all. Here:
 * accepting within the connection cap and the per-address cap, the idle timeout, the Date
 * field, and the stop.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/internal.h"
#include "http/log.h"

#define LOOP_TICK_MS 100 /* how often a loop looks at its idle connections */
#define ACCEPT_BURST 32  /* connections accepted per wake-up */

/* The listening socket's and the eventfd's tags in epoll's data (a connection's is itself). */
static char tag_listen, tag_wake;

int64_t http__loop_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void http__loop_watch(struct http_conn *c, uint32_t events)
{
    if (events == c->events) {
        return;
    }
    struct epoll_event ev = { .events = events, .data.ptr = c };
    int op = c->events == 0 ? EPOLL_CTL_ADD : events == 0 ? EPOLL_CTL_DEL : EPOLL_CTL_MOD;
    if (epoll_ctl(c->loop->ep, op, c->fd, &ev) == 0) {
        c->events = events;
    }
}

/* The per-address count for `ip`: +1 (false when it is at the cap) or -1. */
static bool ip_count(struct http_server *s, const char *ip, int delta)
{
    pthread_mutex_lock(&s->ip_mu);
    struct http_ip_slot *slot = NULL, *free_slot = NULL;
    for (unsigned i = 0; i < s->conn_cap; i++) {
        if (s->ips[i].n > 0 && strcmp(s->ips[i].ip, ip) == 0) {
            slot = &s->ips[i];
            break;
        }
        if (s->ips[i].n == 0 && free_slot == NULL) {
            free_slot = &s->ips[i];
        }
    }
    bool ok = true;
    if (delta < 0) {
        if (slot != NULL) {
            slot->n--;
        }
    } else if (slot != NULL) {
        ok = s->o.conn_per_ip == 0 || slot->n < s->o.conn_per_ip;
        slot->n += ok;
    } else if (free_slot != NULL) {
        snprintf(free_slot->ip, sizeof free_slot->ip, "%s", ip);
        free_slot->n = 1;
    }
    pthread_mutex_unlock(&s->ip_mu);
    return ok;
}

void http__loop_close(struct http_conn *c)
{
    struct http_loop *l = c->loop;
    struct http_server *s = l->s;
    http__loop_watch(c, 0);
    http_guard_close(s->guard, &c->g); /* before the descriptor can be reused */
    close(c->fd);
    ip_count(s, c->ip, -1);
    if (c->prev != NULL) {
        c->prev->next = c->next;
    } else {
        l->conns = c->next;
    }
    if (c->next != NULL) {
        c->next->prev = c->prev;
    }
    l->nconns--;
    http__conn_free(c);
    atomic_fetch_sub(&s->nconn, 1);
}

static void listen_watch(struct http_loop *l, bool on)
{
    if (on == l->listening) {
        return;
    }
    struct epoll_event ev = { .events = EPOLLIN | EPOLLEXCLUSIVE, .data.ptr = &tag_listen };
    if (epoll_ctl(l->ep, on ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, l->s->listen_fd, on ? &ev : NULL) ==
        0) {
        l->listening = on;
    }
}

/* Takes one accepted socket into the loop, or closes it (over its address's cap, no memory). */
static void adopt(struct http_loop *l, int fd, const struct sockaddr_storage *ss)
{
    struct http_server *s = l->s;
    char ip[INET6_ADDRSTRLEN] = "";
    const void *a = ss->ss_family == AF_INET6
                        ? (const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr
                        : (const void *)&((const struct sockaddr_in *)ss)->sin_addr;
    (void)inet_ntop(ss->ss_family, a, ip, sizeof ip);
    if (!ip_count(s, ip, +1)) {
        close(fd); /* over its address's cap: accepted and closed at once */
        atomic_fetch_sub(&s->nconn, 1);
        return;
    }
    struct http_conn *c = http__conn_new(l, fd, ip);
    if (c == NULL) {
        ip_count(s, ip, -1);
        close(fd);
        atomic_fetch_sub(&s->nconn, 1);
        return;
    }
    int one = 1;
    /* Each response is written whole: Nagle's algorithm would only hold its last segment
     * back until the client's delayed ACK. */
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->next = l->conns;
    if (l->conns != NULL) {
        l->conns->prev = c;
    }
    l->conns = c;
    l->nconns++;
    http_guard_open(s->guard, &c->g, fd);
    http__loop_watch(c, EPOLLIN);
}

/* Accepts while there is room: a place is taken before accept(2), so the loops never let in
 * more than conn_cap together; at the cap this loop stops listening until a place frees. */
static void accept_some(struct http_loop *l)
{
    struct http_server *s = l->s;
    for (int i = 0; i < ACCEPT_BURST; i++) {
        if (atomic_fetch_add(&s->nconn, 1) >= s->conn_cap) {
            atomic_fetch_sub(&s->nconn, 1);
            listen_watch(l, false);
            return;
        }
        struct sockaddr_storage ss;
        memset(&ss, 0, sizeof ss);
        socklen_t len = sizeof ss;
        /* accept(2) and fcntl rather than accept4, which is a GNU extension: two calls more
         * per connection, not per request. */
        int fd = accept(s->listen_fd, (struct sockaddr *)&ss, &len);
        if (fd >= 0 && (fcntl(fd, F_SETFL, O_NONBLOCK) < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)) {
            close(fd);
            fd = -1;
        }
        if (fd < 0) {
            atomic_fetch_sub(&s->nconn, 1);
            int e = errno;
            if (e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM) {
                /* The connection stays queued, so the listening socket stays readable: this
                 * loop stops listening and tries again at its next tick, not at once. */
                listen_watch(l, false);
            }
            if (e != EAGAIN && e != EWOULDBLOCK && e != EINTR && e != ECONNABORTED &&
                !s->o.quiet) {
                http_log("gsi serve: accept: %s", strerror(e));
            }
            return;
        }
        adopt(l, fd, &ss);
    }
}

/* A writer's connections, handed back through the eventfd. */
static void take_done(struct http_loop *l)
{
    uint64_t n;
    (void)read(l->wake, &n, sizeof n);
    pthread_mutex_lock(&l->mu);
    struct http_conn *c = l->done;
    l->done = NULL;
    pthread_mutex_unlock(&l->mu);
    while (c != NULL) {
        struct http_conn *next = c->wnext;
        http__conn_resume(c);
        c = next;
    }
}

void http__loop_wake(struct http_conn *c)
{
    struct http_loop *l = c->loop;
    pthread_mutex_lock(&l->mu);
    c->wnext = l->done;
    l->done = c;
    pthread_mutex_unlock(&l->mu);
    uint64_t one = 1;
    (void)write(l->wake, &one, sizeof one);
}

static void date_renew(struct http_loop *l)
{
    time_t now = time(NULL);
    if ((int64_t)now == l->date_s) {
        return;
    }
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(l->date, sizeof l->date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    l->date_s = (int64_t)now;
}

/* Each tick: idle connections past the timeout are closed (a parked one never is: it waits
 * for its commit, not for the client); a loop that stopped listening at the cap listens
 * again when a place is free. */
static void tick(struct http_loop *l, int64_t now)
{
    struct http_server *s = l->s;
    date_renew(l);
    int64_t idle_ms = (int64_t)s->o.timeout_s * 1000;
    struct http_conn *next;
    for (struct http_conn *c = l->conns; c != NULL; c = next) {
        next = c->next;
        int queued;
        /* A response going out is not idle while the client takes its bytes: the kernel's
         * send buffer (megabytes) drains with no write of ours to note it. */
        if (c->st == CONN_WRITE && ioctl(c->fd, SIOCOUTQ, &queued) == 0 &&
            queued != c->out_queued) {
            c->out_queued = queued;
            c->last_io_ms = now;
        }
        bool stop_idle = l->stop_ms > 0 && c->st == CONN_HEAD && c->in_len == 0;
        bool stop_late = l->stop_ms > 0 && now - l->stop_ms > HTTP_STOP_GRACE_MS;
        bool idle = idle_ms > 0 && now - c->last_io_ms > idle_ms;
        if (c->st != CONN_PARKED && (stop_idle || stop_late || idle)) {
            http__loop_close(c);
        }
    }
    if (l->stop_ms == 0 && !l->listening && atomic_load(&s->nconn) < s->conn_cap) {
        listen_watch(l, true);
    }
}

static void *loop_main(void *arg)
{
    struct http_loop *l = arg;
    struct http_server *s = l->s;
    struct epoll_event evs[64];
    int64_t last_tick = 0;
    for (;;) {
        int n = epoll_wait(l->ep, evs, 64, LOOP_TICK_MS);
        for (int i = 0; i < n; i++) {
            void *p = evs[i].data.ptr;
            if (p == &tag_listen) {
                accept_some(l);
            } else if (p == &tag_wake) {
                take_done(l);
            } else {
                http__conn_event(p, evs[i].events);
            }
        }
        int64_t now = http__loop_now_ms();
        if (atomic_load(&s->stopping) && l->stop_ms == 0) {
            l->stop_ms = now;
            listen_watch(l, false);
            last_tick = 0;
        }
        if (now - last_tick >= LOOP_TICK_MS) {
            tick(l, now);
            last_tick = now;
        }
        if (l->stop_ms > 0 && l->nconns == 0) {
            break;
        }
    }
    return NULL;
}

static int listen_open(struct http_server *s, struct gsi_err *err)
{
    const struct http_server_opts *o = &s->o;
    int fd = socket(o->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(fd, (const struct sockaddr *)&o->addr, o->addr_len) < 0 || listen(fd, 1024) < 0) {
        if (fd >= 0) {
            close(fd);
        }
        return gsi_err_set(
            err, GSI_EIO, "cannot listen on the address asked for (in use, or not this machine's)");
    }
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
        s->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                 : ((struct sockaddr_in *)&ss)->sin_port);
    }
    s->listen_fd = fd;
    return 0;
}

static int loop_init(struct http_loop *l, struct http_server *s)
{
    l->s = s;
    l->ep = epoll_create1(EPOLL_CLOEXEC);
    l->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    pthread_mutex_init(&l->mu, NULL);
    date_renew(l);
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &tag_wake };
    if (l->ep < 0 || l->wake < 0 || epoll_ctl(l->ep, EPOLL_CTL_ADD, l->wake, &ev) < 0) {
        return -1;
    }
    listen_watch(l, true);
    return l->listening ? 0 : -1;
}

static void loop_free(struct http_loop *l)
{
    if (l->ep >= 0) {
        close(l->ep);
    }
    if (l->wake >= 0) {
        close(l->wake);
    }
    pthread_mutex_destroy(&l->mu);
}

int http__loops_start(struct http_server *s, unsigned n, struct gsi_err *err)
{
    if (listen_open(s, err) < 0) {
        return err->code;
    }
    s->loops = calloc(n, sizeof *s->loops);
    if (s->loops == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory starting the server");
    }
    for (; s->nloops < n; s->nloops++) {
        struct http_loop *l = &s->loops[s->nloops];
        if (loop_init(l, s) < 0 || pthread_create(&l->thread, NULL, loop_main, l) != 0) {
            loop_free(l);
            http__loops_stop(s);
            return gsi_err_set(err, GSI_ENOMEM, "cannot start the server's event loops");
        }
    }
    return 0;
}

void http__loops_stop(struct http_server *s)
{
    atomic_store(&s->stopping, true);
    uint64_t one = 1;
    for (unsigned i = 0; i < s->nloops; i++) {
        (void)write(s->loops[i].wake, &one, sizeof one);
    }
    for (unsigned i = 0; i < s->nloops; i++) {
        pthread_join(s->loops[i].thread, NULL);
        loop_free(&s->loops[i]);
    }
    s->nloops = 0;
    free(s->loops);
    s->loops = NULL;
}
