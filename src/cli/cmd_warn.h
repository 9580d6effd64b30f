/*
 * cmd_warn.h — what the files of `gsi warn` share (cmd_warn.c: options, forecast, evaluate,
 * backtest, brief; cmd_warn_run.c: run and the stored brief).
 */
#ifndef GSI_CLI_CMD_WARN_H
#define GSI_CLI_CMD_WARN_H

#include <stdint.h>

#include "core/err.h"
#include "core/table.h"
#include "warn/brief.h"
#include "warn/forecast.h"
#include "warn/panel.h"

/* Options every subcommand may take; each subcommand checks the ones it needs. */
struct cmd_warn_opts {
    const char *actuals, *forecast, *out, *years, *models, *through, *db, *run, *now;
    long year, samples, top, threads, days;
    uint64_t seed;
    enum gsi_format format;
    int events;
    char source[256]; /* what the actuals were read from, for the stored run */
};

/* Reads the actuals the options name (--actuals FILE) into `p`, and names them in
 * o->source. */
int cmd_warn_actuals_load(struct warn_panel *p, struct cmd_warn_opts *o, struct gsi_err *err);

/* gsi warn run (options parsed); returns the exit status. */
int cmd_warn_run(struct cmd_warn_opts *o);
/* gsi warn brief --db (options parsed); returns the exit status. */
int cmd_warn_brief_db(const struct cmd_warn_opts *o);

#endif
