/*
 * cmd_warn.h — what the files of `gsi warn` share (cmd_warn.c: options, forecast, evaluate,
 * backtest, brief; cmd_warn_run.c: run and the stored brief).
 */
#ifndef GSI_CLI_CMD_WARN_H
#define GSI_CLI_CMD_WARN_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/table.h"
#include "warn/brief.h"
#include "warn/eval.h"
#include "warn/forecast.h"
#include "warn/model.h"
#include "warn/panel.h"

#define CMD_WARN_INPUTS_MAX 64

/* One input of the layered actuals (--ged, --candidate), in command-line order. */
struct cmd_warn_input {
    const char *path;
    int candidate; /* 0: UCDP GED release, 1: UCDP Candidate release */
};

/* Options every subcommand may take; each subcommand checks the ones it needs. */
struct cmd_warn_opts {
    const char *actuals, *forecast, *out, *years, *models, *through, *db, *run, *now;
    int64_t year, samples, top, threads, days;
    uint64_t seed;
    enum gsi_format format;
    char source[256]; /* what the actuals were read from, for the stored run */
    struct cmd_warn_input inputs[CMD_WARN_INPUTS_MAX];
    size_t ninputs;
    bool global; /* --global: the event files are worldwide releases */
    const char *from, *to;
    const char *plots; /* --plots DIR */
    int64_t bootstrap; /* --bootstrap N */
    bool classes;      /* --by-situation */
};

/* Reads the actuals the options name into `p` and names them in o->source: --actuals FILE
 * alone is read as it is; with --ged/--candidate files, --actuals (if given) is the first
 * layer and each file replaces the months it covers (warn/actuals.h), over --from..--to.
 * Prints one line per event file on standard error. */
int cmd_warn_actuals_load(struct warn_panel *p, struct cmd_warn_opts *o, struct gsi_err *err);

/* The rolling-origin evaluation of `models` on windows `years` of `p` (cmd_warn_eval.c):
 * the scores table, or with o->bootstrap the comparison table; plots with o->plots. Returns
 * the exit status. */
int cmd_warn_rolling(const struct cmd_warn_opts *o, const struct warn_panel *p, const int *years,
                     size_t ny, const enum warn_model_kind *models, size_t nm);
/* Writes DIR/pit.svg and DIR/coverage.svg for one forecast's cells; `label` (a path: its
 * base name is used) names it in the titles. */
int cmd_warn_plots_one(const char *dir, const char *label, const struct warn_eval_cell *cells,
                       size_t n, struct gsi_err *err);
/* Prints the per-window scores table (res[yi * nm + mi]). */
int cmd_warn_score_table(const struct cmd_warn_opts *o, const int *years, size_t ny,
                         const enum warn_model_kind *models, size_t nm,
                         const struct warn_eval *res, struct gsi_err *err);

/* gsi warn actuals (options parsed); returns the exit status. */
int cmd_warn_actuals(struct cmd_warn_opts *o);
/* gsi warn run (options parsed); returns the exit status. */
int cmd_warn_run(struct cmd_warn_opts *o);
/* gsi warn brief --db (options parsed); returns the exit status. */
int cmd_warn_brief_db(const struct cmd_warn_opts *o);

#endif
