/*
 * cmd_warn_eval.c — the rolling-origin evaluation behind `gsi warn backtest` and
 * `gsi warn evaluate`: scores per window, the comparison of the gsi model with every other
 * model (pooled, with a bootstrap interval), and the calibration plots.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/cmd_warn.h"
#include "core/table.h"
#include "warn/model.h"
#include "warn/backtest.h"
#include "warn/plot.h"
#include "warn/rolling.h"

/* Writes one SVG file DIR/NAME through `draw`. */
static int plot_file(const char *dir, const char *name, int (*draw)(FILE *, const void *,
                                                                   struct gsi_err *),
                     const void *ctx, struct gsi_err *err)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path) {
        return gsi_err_set(err, GSI_EUSAGE, "--plots path is too long");
    }
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        return gsi_err_set(err, GSI_EIO, "cannot write %s: %s", path, strerror(errno));
    }
    int rc = draw(f, ctx, err);
    if (fclose(f) != 0 && rc == 0) {
        rc = gsi_err_set(err, GSI_EIO, "cannot write %s: %s", path, strerror(errno));
    }
    return rc;
}

struct pit_ctx {
    const char *title;
    const struct warn_eval_cell *cells;
    size_t n;
};

static int draw_pit(FILE *f, const void *ctx, struct gsi_err *err)
{
    const struct pit_ctx *c = ctx;
    return warn_plot_pit_svg(f, c->title, c->cells, c->n, err);
}

struct cov_ctx {
    const char *title;
    const struct warn_plot_series *s;
    size_t n;
};

static int draw_cov(FILE *f, const void *ctx, struct gsi_err *err)
{
    const struct cov_ctx *c = ctx;
    return warn_plot_coverage_svg(f, c->title, c->s, c->n, 1, err);
}

/* PIT per (window, model), coverage per window; then both pooled over the windows (the
 * pooled cells of a model are gathered into `tmp`). */
static int plots(const char *dir, const struct warn_eval_cell *cells, size_t per_run,
                 const int *years, size_t ny, const enum warn_model_kind *models, size_t nm,
                 struct gsi_err *err)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        return gsi_err_set(err, GSI_EIO, "cannot create %s: %s", dir, strerror(errno));
    }
    size_t ns = nm > WARN_PLOT_SERIES_MAX ? WARN_PLOT_SERIES_MAX : nm;
    struct warn_eval_cell *pooled = malloc(ny * per_run * ns * sizeof *pooled);
    if (pooled == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory for the plots");
    }
    int rc = 0;
    char name[128], title[160];
    struct warn_plot_series series[WARN_PLOT_SERIES_MAX];
    for (size_t y = 0; y <= ny && rc == 0; y++) {
        bool all = y == ny; /* the last pass: every window pooled */
        for (size_t m = 0; m < ns && rc == 0; m++) {
            const struct warn_eval_cell *c = cells + (y * nm + m) * per_run;
            size_t n = per_run;
            if (all) {
                for (size_t w = 0; w < ny; w++) {
                    memcpy(pooled + (m * ny + w) * per_run, cells + (w * nm + m) * per_run,
                           per_run * sizeof *pooled);
                }
                c = pooled + m * ny * per_run;
                n = per_run * ny;
            }
            series[m] = (struct warn_plot_series){ warn_model_name(models[m]), c, n };
            if (all) {
                snprintf(name, sizeof name, "pit_pooled_%s.svg", warn_model_name(models[m]));
                snprintf(title, sizeof title, "PIT, %s, windows %d-%d", warn_model_name(models[m]),
                         years[0], years[ny - 1]);
            } else {
                snprintf(name, sizeof name, "pit_%d_%s.svg", years[y], warn_model_name(models[m]));
                snprintf(title, sizeof title, "PIT, %s, %d", warn_model_name(models[m]), years[y]);
            }
            struct pit_ctx pc = { title, c, n };
            rc = plot_file(dir, name, draw_pit, &pc, err);
        }
        if (rc == 0) {
            if (all) {
                snprintf(name, sizeof name, "coverage_pooled.svg");
                snprintf(title, sizeof title, "Interval coverage, windows %d-%d (active months)",
                         years[0], years[ny - 1]);
            } else {
                snprintf(name, sizeof name, "coverage_%d.svg", years[y]);
                snprintf(title, sizeof title, "Interval coverage, %d (active months)", years[y]);
            }
            struct cov_ctx cc = { title, series, ns };
            rc = plot_file(dir, name, draw_cov, &cc, err);
        }
    }
    free(pooled);
    return rc;
}

int cmd_warn_plots_one(const char *dir, const char *label, const struct warn_eval_cell *cells,
                       size_t n, struct gsi_err *err)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        return gsi_err_set(err, GSI_EIO, "cannot create %s: %s", dir, strerror(errno));
    }
    const char *base = strrchr(label, '/');
    base = base != NULL ? base + 1 : label;
    char title[160];
    snprintf(title, sizeof title, "PIT, %.120s", base);
    struct pit_ctx pc = { title, cells, n };
    int rc = plot_file(dir, "pit.svg", draw_pit, &pc, err);
    struct warn_plot_series s = { base, cells, n };
    snprintf(title, sizeof title, "Interval coverage, %.100s (active months)", base);
    struct cov_ctx cc = { title, &s, 1 };
    return rc ? rc : plot_file(dir, "coverage.svg", draw_cov, &cc, err);
}

static const struct gsi_table_col cmp_cols[] = {
    { "window", -1 },   { "benchmark", -1 }, { "crps_benchmark", 2 }, { "crps_gsi", 2 },
    { "ratio", 3 },     { "ratio_lo90", 3 }, { "ratio_hi90", 3 },     { "ign_benchmark", 3 },
    { "ign_gsi", 3 },   { "mis_benchmark", 1 }, { "mis_gsi", 1 }
};

/* One comparison row: gsi (model index g) against model b over windows w0..w1. */
static int cmp_row(struct gsi_table *t, const struct warn_rolling *r, const char *window,
                   const char *bench, size_t g, size_t b, size_t w0, size_t w1, size_t boots,
                   uint64_t seed, struct gsi_err *err)
{
    double ratio, lo, hi;
    int rc = warn_rolling_ratio(&ratio, &lo, &hi, r, g, b, w0, w1, boots, seed, err);
    if (rc < 0) {
        return rc;
    }
    if (gsi_table_text(t, window) | gsi_table_text(t, bench) |
        gsi_table_num(t, warn_rolling_pooled(r, b, w0, w1, WARN_METRIC_CRPS)) |
        gsi_table_num(t, warn_rolling_pooled(r, g, w0, w1, WARN_METRIC_CRPS)) |
        gsi_table_num(t, ratio) | gsi_table_num(t, lo) | gsi_table_num(t, hi) |
        gsi_table_num(t, warn_rolling_pooled(r, b, w0, w1, WARN_METRIC_IGN)) |
        gsi_table_num(t, warn_rolling_pooled(r, g, w0, w1, WARN_METRIC_IGN)) |
        gsi_table_num(t, warn_rolling_pooled(r, b, w0, w1, WARN_METRIC_MIS)) |
        gsi_table_num(t, warn_rolling_pooled(r, g, w0, w1, WARN_METRIC_MIS))) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    return 0;
}

static int comparison(const struct cmd_warn_opts *o, const struct warn_rolling *r,
                      const int *years, size_t ny, const enum warn_model_kind *models, size_t nm,
                      struct gsi_err *err)
{
    size_t g = nm;
    for (size_t m = 0; m < nm; m++) {
        g = models[m] == WARN_MODEL_GSI ? m : g;
    }
    if (g == nm || nm < 2) {
        return gsi_err_set(err, GSI_EUSAGE, "--bootstrap compares the gsi model with the "
                                            "others: --models needs gsi and at least one more");
    }
    struct gsi_table *t = gsi_table_new(cmp_cols, sizeof cmp_cols / sizeof cmp_cols[0]);
    int rc = t == NULL ? gsi_err_set(err, GSI_ENOMEM, "out of memory") : 0;
    char window[32];
    for (size_t w = 0; w <= ny && rc == 0; w++) {
        bool all = w == ny;
        snprintf(window, sizeof window, all ? "pooled" : "%d", all ? 0 : years[w]);
        for (size_t b = 0; b < nm && rc == 0; b++) {
            if (b != g) {
                rc = cmp_row(t, r, window, warn_model_name(models[b]), g, b, all ? 0 : w,
                             all ? ny - 1 : w, (size_t)o->bootstrap, o->seed, err);
            }
        }
    }
    if (rc == 0 && gsi_table_write(t, stdout, o->format) != 0) {
        rc = gsi_err_set(err, GSI_EIO, "cannot write the table");
    }
    gsi_table_free(t);
    return rc;
}

/* Mean CRPS per situation (warn/rolling.h classes): one row per class, one column per model. */
static int class_table(const struct cmd_warn_opts *o, const struct warn_rolling *r,
                       const struct warn_panel *p, const int *years, size_t ny,
                       const enum warn_model_kind *models, size_t nm, struct gsi_err *err)
{
    struct gsi_table_col cols[2 + WARN_MODEL_KINDS];
    cols[0] = (struct gsi_table_col){ "situation", -1 };
    cols[1] = (struct gsi_table_col){ "country_windows", 0 };
    for (size_t m = 0; m < nm; m++) {
        cols[2 + m] = (struct gsi_table_col){ warn_model_name(models[m]), 2 };
    }
    unsigned char *classes = malloc(ny * p->ncountries);
    struct gsi_table *t = gsi_table_new(cols, 2 + nm);
    int rc = classes == NULL || t == NULL ? gsi_err_set(err, GSI_ENOMEM, "out of memory") : 0;
    if (rc == 0) {
        warn_rolling_classes(classes, p, years, ny);
    }
    for (int k = 0; k < WARN_CLASS_COUNT && rc == 0; k++) {
        size_t n = 0;
        warn_rolling_class_crps(r, 0, classes, (enum warn_class)k, &n);
        if (n == 0) {
            continue;
        }
        int bad = gsi_table_text(t, warn_class_name((enum warn_class)k)) |
                  gsi_table_num(t, (double)n);
        for (size_t m = 0; m < nm; m++) {
            bad |= gsi_table_num(t, warn_rolling_class_crps(r, m, classes, (enum warn_class)k, &n));
        }
        rc = bad ? gsi_err_set(err, GSI_ENOMEM, "out of memory") : 0;
    }
    if (rc == 0 && gsi_table_write(t, stdout, o->format) != 0) {
        rc = gsi_err_set(err, GSI_EIO, "cannot write the table");
    }
    gsi_table_free(t);
    free(classes);
    return rc;
}

int cmd_warn_rolling(const struct cmd_warn_opts *o, const struct warn_panel *p, const int *years,
                     size_t ny, const enum warn_model_kind *models, size_t nm)
{
    struct gsi_err err = GSI_ERR_INIT;
    size_t per_run = 12 * p->ncountries;
    struct warn_eval *res = calloc(ny * nm, sizeof *res);
    struct warn_eval_cell *cells = calloc(ny * nm * per_run, sizeof *cells);
    int rc = res == NULL || cells == NULL ? gsi_err_set(&err, GSI_ENOMEM, "out of memory") : 0;
    rc = rc ? rc
            : warn_backtest_run_cells(res, cells, p, years, ny, models, nm, (size_t)o->samples,
                                      o->seed, (unsigned)o->threads, &err);
    if (rc < 0 && o->actuals != NULL) {
        snprintf(err.file, sizeof err.file, "%s", o->actuals);
    }
    struct warn_rolling r = { cells, ny, nm, p->ncountries };
    if (rc == 0) {
        rc = o->classes      ? class_table(o, &r, p, years, ny, models, nm, &err)
             : o->bootstrap > 0 ? comparison(o, &r, years, ny, models, nm, &err)
                                : cmd_warn_score_table(o, years, ny, models, nm, res, &err);
    }
    if (rc == 0 && o->plots != NULL) {
        rc = plots(o->plots, cells, per_run, years, ny, models, nm, &err);
    }
    free(res);
    free(cells);
    if (rc < 0) {
        return err.code == GSI_EUSAGE ? cli_usage_error("warn", "%s", err.msg) : cli_fail(&err);
    }
    return GSI_EXIT_OK;
}
