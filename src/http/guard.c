/* guard.c — deadlines for slow clients (see guard.h). */
#include "http/guard.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "http/log.h"

struct http_guard {
    struct http_guard_opts o;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stopping;
    pthread_t thread;
    struct http_guard_conn *head; /* every open connection */
    unsigned n;
    uint64_t cuts;
};

static int64_t clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t now_ms(const struct http_guard *g)
{
    return g->o.clock != NULL ? g->o.clock() : clock_ms();
}

/* Under g->mu. */
static void cut(struct http_guard *g, struct http_guard_conn *c, const char *why)
{
    if (c->cut || c->fd < 0) {
        return;
    }
    c->cut = true;
    g->cuts++;
    (void)shutdown(c->fd, SHUT_RDWR);
    http_log("gsi serve: closed a connection: %s", why);
}

/* Whether `c` is past its deadline at `now`. Under g->mu. */
static const char *overdue(const struct http_guard *g, const struct http_guard_conn *c,
                           int64_t now)
{
    int64_t age = now - c->since_ms;
    if (c->phase == HTTP_GUARD_HEAD && age > (int64_t)g->o.head_ms) {
        return "its request head did not arrive in time";
    }
    if (c->phase == HTTP_GUARD_BODY && age > (int64_t)g->o.head_ms &&
        (double)c->body * 1000.0 < (double)g->o.body_rate * (double)age) {
        return "its request body came in too slowly";
    }
    return NULL;
}

/* While more than conn_max connections are open and not already cut, closes the one that
 * has waited longest for its head (and at least HTTP_GUARD_EVICT_MS). Under g->mu. */
static void make_room(struct http_guard *g, int64_t now)
{
    unsigned live = 0;
    for (struct http_guard_conn *x = g->head; x != NULL; x = x->next) {
        live += !x->cut;
    }
    while (live > g->o.conn_max) {
        struct http_guard_conn *oldest = NULL;
        for (struct http_guard_conn *x = g->head; x != NULL; x = x->next) {
            if (x->phase == HTTP_GUARD_HEAD && !x->cut &&
                now - x->since_ms >= HTTP_GUARD_EVICT_MS &&
                (oldest == NULL || x->since_ms < oldest->since_ms)) {
                oldest = x;
            }
        }
        if (oldest == NULL) {
            return;
        }
        cut(g, oldest, "every connection was taken and it had waited longest for its head");
        live--;
    }
}

static void *watch(void *arg)
{
    struct http_guard *g = arg;
    pthread_mutex_lock(&g->mu);
    while (!g->stopping) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += HTTP_GUARD_TICK_MS * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        (void)pthread_cond_timedwait(&g->cv, &g->mu, &ts);
        int64_t now = now_ms(g);
        for (struct http_guard_conn *c = g->head; c != NULL; c = c->next) {
            const char *why = overdue(g, c, now);
            if (why != NULL) {
                cut(g, c, why);
            }
        }
        make_room(g, now);
    }
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

int http_guard_start(struct http_guard **out, const struct http_guard_opts *o,
                     struct gsi_err *err)
{
    *out = NULL;
    struct http_guard *g = calloc(1, sizeof *g);
    if (g == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory starting the server");
    }
    g->o = *o;
    pthread_mutex_init(&g->mu, NULL);
    pthread_cond_init(&g->cv, NULL);
    if (pthread_create(&g->thread, NULL, watch, g) != 0) {
        pthread_cond_destroy(&g->cv);
        pthread_mutex_destroy(&g->mu);
        free(g);
        return gsi_err_set(err, GSI_ENOMEM, "cannot start the server's guard thread");
    }
    *out = g;
    return 0;
}

void http_guard_stop(struct http_guard *g)
{
    if (g == NULL) {
        return;
    }
    pthread_mutex_lock(&g->mu);
    g->stopping = true;
    pthread_cond_signal(&g->cv);
    pthread_mutex_unlock(&g->mu);
    pthread_join(g->thread, NULL);
    pthread_cond_destroy(&g->cv);
    pthread_mutex_destroy(&g->mu);
    free(g);
}

void http_guard_open(struct http_guard *g, struct http_guard_conn *c, int fd)
{
    pthread_mutex_lock(&g->mu);
    int64_t now = now_ms(g);
    c->fd = fd;
    c->phase = HTTP_GUARD_HEAD;
    c->since_ms = now;
    c->body = 0;
    c->cut = false;
    c->prev = NULL;
    c->next = g->head;
    if (g->head != NULL) {
        g->head->prev = c;
    }
    g->head = c;
    g->n++;
    if (g->n > g->o.conn_max) {
        make_room(g, now);
    }
    pthread_mutex_unlock(&g->mu);
}

void http_guard_close(struct http_guard *g, struct http_guard_conn *c)
{
    pthread_mutex_lock(&g->mu);
    if (c->prev != NULL) {
        c->prev->next = c->next;
    } else if (g->head == c) {
        g->head = c->next;
    }
    if (c->next != NULL) {
        c->next->prev = c->prev;
    }
    c->prev = c->next = NULL;
    c->fd = -1;
    g->n--;
    pthread_mutex_unlock(&g->mu);
}

void http_guard_phase(struct http_guard *g, struct http_guard_conn *c,
                      enum http_guard_phase phase)
{
    pthread_mutex_lock(&g->mu);
    c->phase = phase;
    c->since_ms = now_ms(g);
    c->body = 0;
    pthread_mutex_unlock(&g->mu);
}

void http_guard_body(struct http_guard *g, struct http_guard_conn *c, size_t n)
{
    pthread_mutex_lock(&g->mu);
    c->body += n;
    pthread_mutex_unlock(&g->mu);
}

uint64_t http_guard_cuts(struct http_guard *g)
{
    pthread_mutex_lock(&g->mu);
    uint64_t n = g->cuts;
    pthread_mutex_unlock(&g->mu);
    return n;
}
