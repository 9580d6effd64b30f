/* log.c — the rate-limited error log (see log.h). */
#include "http/log.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

struct log_key {
    const char *fmt; /* the format string's address: one call site, one key */
    int64_t second;
    unsigned printed;
    unsigned long dropped;
};

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static struct log_key keys[HTTP_LOG_KEYS];
static FILE *log_out;
static int64_t (*log_clock)(void);

static int64_t clock_real(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec;
}

void http_log_setup(FILE *out, int64_t (*clock)(void))
{
    pthread_mutex_lock(&log_mu);
    log_out = out;
    log_clock = clock;
    memset(keys, 0, sizeof keys);
    pthread_mutex_unlock(&log_mu);
}

static struct log_key *key_for(const char *fmt)
{
    for (size_t i = 0; i < HTTP_LOG_KEYS; i++) {
        if (keys[i].fmt == fmt || keys[i].fmt == NULL) {
            keys[i].fmt = fmt;
            return &keys[i];
        }
    }
    return &keys[HTTP_LOG_KEYS - 1];
}

void http_log_v(const char *fmt, va_list ap)
{
    pthread_mutex_lock(&log_mu);
    FILE *out = log_out != NULL ? log_out : stderr;
    int64_t now = (log_clock != NULL ? log_clock : clock_real)();
    struct log_key *k = key_for(fmt);
    if (k->second != now) {
        if (k->dropped > 0) {
            fprintf(out, "gsi serve: %lu similar lines dropped (at most %u a second)\n", k->dropped,
                    HTTP_LOG_BURST);
        }
        k->second = now;
        k->printed = 0;
        k->dropped = 0;
    }
    if (k->printed < HTTP_LOG_BURST) {
        k->printed++;
        vfprintf(out, fmt, ap);
        size_t n = strlen(fmt);
        if (n == 0 || fmt[n - 1] != '\n') {
            fputc('\n', out); /* a format may end with one already */
        }
        fflush(out);
    } else {
        k->dropped++;
    }
    pthread_mutex_unlock(&log_mu);
}

void http_log_flush(void)
{
    pthread_mutex_lock(&log_mu);
    FILE *out = log_out != NULL ? log_out : stderr;
    for (size_t i = 0; i < HTTP_LOG_KEYS; i++) {
        if (keys[i].dropped > 0) {
            fprintf(out, "gsi serve: %lu similar lines dropped (at most %u a second)\n",
                    keys[i].dropped, HTTP_LOG_BURST);
            keys[i].dropped = 0;
        }
    }
    fflush(out);
    pthread_mutex_unlock(&log_mu);
}

void http_log(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    http_log_v(fmt, ap);
    va_end(ap);
}
