/*
 * progress.h — a progress bar on standard error, shown only when it is a terminal.
 *
 *     struct gsi_progress p;
 *     gsi_progress_init(&p, "reading", total_bytes);
 *     ... gsi_progress_update(&p, done_bytes);   // cheap; redraws at most 10 times a second
 *     gsi_progress_finish(&p);
 *
 * Inputs smaller than GSI_PROGRESS_MIN_TOTAL draw nothing. Updates may come from several
 * threads; the counter is atomic.
 */
#ifndef GSI_CORE_PROGRESS_H
#define GSI_CORE_PROGRESS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define GSI_PROGRESS_MIN_TOTAL (64u << 20) /* bytes (or units) before a bar is worth drawing */

struct gsi_progress {
    const char *label;
    uint64_t total;
    _Atomic uint64_t done;
    _Atomic int64_t last_draw_ms;
    bool active;
};

void gsi_progress_init(struct gsi_progress *p, const char *label, uint64_t total);
/* Adds `delta` units of work done. */
void gsi_progress_add(struct gsi_progress *p, uint64_t delta);
void gsi_progress_finish(struct gsi_progress *p);

#endif
