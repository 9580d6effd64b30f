/*
 * plot.h — calibration plots as standalone SVG files: a PIT histogram and an interval
 * coverage chart, small enough to read in a browser or embed in the docs and the dashboard.
 *
 * PIT histogram: the randomised PIT values of a forecast's country-months (eval.h) in
 * WARN_PLOT_PIT_BINS equal bins, drawn as densities, with the line at 1 that a calibrated
 * forecast follows. A U shape means intervals too narrow (outcomes in the tails), a hump too
 * wide, a slope a bias.
 *
 * Coverage: for each central interval of 10%..90% (x), the share of outcomes inside it (y),
 * one line per series, with the diagonal of perfect coverage. Lines above the diagonal are
 * intervals too wide, below too narrow.
 */
#ifndef GSI_WARN_PLOT_H
#define GSI_WARN_PLOT_H

#include <stddef.h>
#include <stdio.h>

#include "core/err.h"
#include "warn/eval.h"

#define WARN_PLOT_PIT_BINS   10
#define WARN_PLOT_SERIES_MAX 8

/* PIT histogram of cells[0..n) (NULL-free, n > 0). `title` is plain text (escaped here). */
int warn_plot_pit_svg(FILE *out, const char *title, const struct warn_eval_cell *cells, size_t n,
                      struct gsi_err *err);

/* One coverage series: its name and its cells; `active_only` keeps the cells whose 90%
 * interval is not [0, 0]. */
struct warn_plot_series {
    const char *name;
    const struct warn_eval_cell *cells;
    size_t n;
};

/* Coverage chart of up to WARN_PLOT_SERIES_MAX series. */
int warn_plot_coverage_svg(FILE *out, const char *title, const struct warn_plot_series *s,
                           size_t nseries, int active_only, struct gsi_err *err);

/* Share of cells[0..n) inside the central (k + 1) * 10% interval, k < WARN_EVAL_LEVELS;
 * `active_only` as above. 0 when no cell counts. */
double warn_plot_coverage(const struct warn_eval_cell *cells, size_t n, unsigned k,
                          int active_only);

#endif
