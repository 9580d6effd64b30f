/* progress.c — terminal progress bar (see progress.h). */
#include "core/progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void gsi_progress_init(struct gsi_progress *p, const char *label, uint64_t total)
{
    p->label = label;
    p->total = total;
    atomic_init(&p->done, 0);
    atomic_init(&p->last_draw_ms, now_ms());
    p->active = total >= GSI_PROGRESS_MIN_TOTAL && isatty(STDERR_FILENO);
}

static void draw(struct gsi_progress *p, uint64_t done)
{
    enum { WIDTH = 40 };
    double frac = p->total > 0 ? (double)done / (double)p->total : 1.0;
    if (frac > 1.0) {
        frac = 1.0;
    }
    int fill = (int)(frac * WIDTH);
    char bar[WIDTH + 1];
    for (int i = 0; i < WIDTH; i++) {
        bar[i] = i < fill ? '#' : '.';
    }
    bar[WIDTH] = '\0';
    fprintf(stderr, "\r%-10s [%s] %3d%%", p->label, bar, (int)(frac * 100));
    fflush(stderr);
}

void gsi_progress_add(struct gsi_progress *p, uint64_t delta)
{
    uint64_t done = atomic_fetch_add(&p->done, delta) + delta;
    if (!p->active) {
        return;
    }
    int64_t t = now_ms();
    int64_t last = atomic_load(&p->last_draw_ms);
    if (t - last >= 100 && atomic_compare_exchange_strong(&p->last_draw_ms, &last, t)) {
        draw(p, done);
    }
}

void gsi_progress_finish(struct gsi_progress *p)
{
    if (p->active) {
        draw(p, p->total);
        fputs("\n", stderr);
        p->active = false;
    }
}
