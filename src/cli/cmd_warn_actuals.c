/*
 * cmd_warn_actuals.c — `gsi warn actuals`: the country-month panel from UCDP GED and
 * Candidate files (warn/actuals.h), written as ViEWS CSV, and its comparison with another
 * panel; also the layered input of `gsi warn run`.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_warn.h"
#include "core/date.h"
#include "core/table.h"
#include "ref/ref.h"
#include "warn/actuals.h"

static int month_opt(int *out, const char *v, const char *name, struct gsi_err *err)
{
    *out = 0;
    if (v != NULL && gsi_month_parse(out, v, strlen(v)) < 0) {
        return gsi_err_set(err, GSI_EUSAGE, "%s must be YYYY-MM, not '%.20s'", name, v);
    }
    return 0;
}

static void source_add(struct cmd_warn_opts *o, const char *path)
{
    size_t len = strlen(o->source);
    const char *base = strrchr(path, '/');
    snprintf(o->source + len, sizeof o->source - len, "%s%s", len ? " + " : "",
             base != NULL ? base + 1 : path);
}

int cmd_warn_actuals_load(struct warn_panel *p, struct cmd_warn_opts *o, struct gsi_err *err)
{
    o->source[0] = '\0';
    if (o->ninputs == 0) {
        if (o->actuals == NULL) {
            return gsi_err_set(err, GSI_EUSAGE, "--actuals FILE or --ged/--candidate files needed");
        }
        source_add(o, o->actuals);
        return warn_panel_read(p, o->actuals, err);
    }
    int from = 0, to = 0;
    int rc = month_opt(&from, o->from, "--from", err);
    rc = rc ? rc : month_opt(&to, o->to, "--to", err);
    if (rc < 0) {
        return rc;
    }
    struct warn_actuals a;
    if ((rc = warn_actuals_init(&a, err)) < 0) {
        return rc;
    }
    if (o->actuals != NULL) {
        struct warn_panel base;
        rc = warn_panel_read(&base, o->actuals, err);
        rc = rc ? rc : warn_actuals_add_panel(&a, &base, err);
        warn_panel_release(&base);
        source_add(o, o->actuals);
    }
    for (size_t i = 0; rc == 0 && i < o->ninputs; i++) {
        struct warn_actuals_file info;
        const struct cmd_warn_input *in = &o->inputs[i];
        rc = warn_actuals_add_file(&a, in->path,
                                   in->candidate ? WARN_ACTUALS_CANDIDATE : WARN_ACTUALS_GED,
                                   o->global != 0, &info, err);
        if (rc == 0) {
            int y1, m1, y2, m2;
            gsi_month_from_id(info.month_lo, &y1, &m1);
            gsi_month_from_id(info.month_hi, &y2, &m2);
            fprintf(stderr,
                    "gsi warn: %s: %llu events, %llu state-based (%.0f deaths), %zu countries, "
                    "covers %04d-%02d..%04d-%02d%s\n",
                    in->path, (unsigned long long)info.events, (unsigned long long)info.sb,
                    info.sb_deaths, info.ncountries, y1, m1, y2, m2,
                    info.unplaced ? " (some events in no ViEWS country: not counted)" : "");
            source_add(o, in->path);
        }
    }
    rc = rc ? rc : warn_actuals_build(p, &a, from, to, err);
    warn_actuals_release(&a);
    return rc;
}

/* Per country present in both panels, over their common months: how many months differ and
 * the totals. */
static int compare(const struct warn_panel *got, const char *path, enum gsi_format fmt,
                   struct gsi_err *err)
{
    struct warn_panel ref = { 0 };
    int rc = warn_panel_read(&ref, path, err);
    if (rc < 0) {
        return rc;
    }
    static const struct gsi_table_col cols[] = { { "iso3", -1 },     { "country_id", 0 },
                                                 { "months", 0 },    { "months_differ", 0 },
                                                 { "total", 0 },     { "total_compared", 0 },
                                                 { "largest_diff", 0 }, { "at", -1 } };
    struct gsi_table *t = gsi_table_new(cols, sizeof cols / sizeof cols[0]);
    int lo = got->month_first > ref.month_first ? got->month_first : ref.month_first;
    int hi = warn_panel_month_last(got) < warn_panel_month_last(&ref) ? warn_panel_month_last(got)
                                                                       : warn_panel_month_last(&ref);
    int bad = t == NULL;
    for (size_t c = 0; c < got->ncountries && !bad && lo <= hi; c++) {
        long rcx = warn_panel_find(&ref, got->country_id[c]);
        if (rcx < 0) {
            continue;
        }
        double tg = 0, tr = 0, worst = 0;
        int nd = 0, at = 0;
        for (int m = lo; m <= hi; m++) {
            double a = warn_panel_at(got, c, m), b = warn_panel_at(&ref, (size_t)rcx, m);
            tg += a;
            tr += b;
            nd += a != b;
            if (fabs(a - b) > worst) {
                worst = fabs(a - b);
                at = m;
            }
        }
        const struct ref_views_country *v = ref_views_country_by_id(got->country_id[c]);
        char when[16] = "";
        if (at > 0) {
            int y = 0, mo = 0;
            gsi_month_from_id(at, &y, &mo);
            snprintf(when, sizeof when, "%04d-%02d", y % 10000, mo % 100);
        }
        bad |= gsi_table_text(t, v && v->iso3 ? v->iso3 : "") |
               gsi_table_num(t, got->country_id[c]) | gsi_table_num(t, hi - lo + 1) |
               gsi_table_num(t, nd) | gsi_table_num(t, tg) | gsi_table_num(t, tr) |
               gsi_table_num(t, worst) | gsi_table_text(t, when);
    }
    bad = bad || gsi_table_write(t, stdout, fmt) != 0;
    gsi_table_free(t);
    warn_panel_release(&ref);
    return bad ? gsi_err_set(err, GSI_EIO, "cannot write the comparison") : 0;
}

int cmd_warn_actuals(struct cmd_warn_opts *o)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct warn_panel p = { 0 };
    if (cmd_warn_actuals_load(&p, o, &err) < 0) {
        return err.code == GSI_EUSAGE ? cli_usage_error("warn actuals", "%s", err.msg)
                                      : cli_fail(&err);
    }
    int rc = 0;
    if (o->forecast != NULL) {
        /* --compare FILE is kept in the forecast slot: a second panel to compare with. */
        rc = compare(&p, o->forecast, o->format, &err);
    }
    if (rc == 0 && o->out != NULL) {
        FILE *out = strcmp(o->out, "-") == 0 ? stdout : fopen(o->out, "w");
        if (out == NULL) {
            rc = gsi_err_set(&err, GSI_EIO, "cannot write %s: %s", o->out, strerror(errno));
        } else {
            rc = warn_panel_write(&p, out, &err);
            if (out != stdout && fclose(out) != 0 && rc == 0) {
                rc = gsi_err_set(&err, GSI_EIO, "cannot write %s: %s", o->out, strerror(errno));
            }
        }
    }
    warn_panel_release(&p);
    return rc < 0 ? cli_fail(&err) : GSI_EXIT_OK;
}
