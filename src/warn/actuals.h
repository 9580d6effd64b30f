/*
 * actuals.h — building the country-month panel of state-based deaths from UCDP event files,
 * so the forecaster can run on this month's data, not only on the shipped ViEWS actuals.
 *
 * UCDP's rules, as ViEWS applies them for `ged_sb`: every event of type_of_violence 1
 * (state-based) adds its `best` estimate to the country where it happened (`country_id`, a
 * Gleditsch-Ward number, through the reference table to ISO3) in the month of its
 * `date_start`; the ISO3 goes to the ViEWS country_id through the ViEWS country table
 * (warn_actuals_views_id: where the table holds several ids for one ISO3, the one ViEWS uses
 * for the current state).
 *
 * Inputs are layered in the order given, each replacing what the layers before it said for
 * the (country, month) cells it covers:
 *
 *   - a panel (warn_actuals_add_panel, e.g. the shipped ViEWS actuals) covers its countries
 *     and months;
 *   - a UCDP GED release (annual) covers January of its first event year to December of its
 *     last; a UCDP Candidate release (monthly) covers its first to its last event month;
 *   - an event file covers the countries that appear in it (any type of violence), or, when
 *     `global` is set (a worldwide release), every country of the output, so that a country
 *     with no event in a covered month gets 0 there.
 *
 * warn_actuals_build then lays out the panel over the months asked for: every country that
 * any layer named, every month, and a cell no layer covered is an error naming the country
 * and the month (a gap is not a zero).
 *
 *     struct warn_actuals a;
 *     warn_actuals_init(&a, &err);
 *     warn_actuals_add_file(&a, "ged231.csv", WARN_ACTUALS_GED, true, &info, &err);
 *     warn_actuals_add_file(&a, "GEDEvent_v24_0_1.csv", WARN_ACTUALS_CANDIDATE, true, &info, &err);
 *     warn_actuals_build(&panel, &a, 0, 0, &err);        // 0, 0: every month covered
 *     warn_actuals_release(&a);
 */
#ifndef GSI_WARN_ACTUALS_H
#define GSI_WARN_ACTUALS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"
#include "warn/panel.h"

#define WARN_ACTUALS_IDS_MAX    512 /* ViEWS country ids are below this */
#define WARN_ACTUALS_LAYERS_MAX 256 /* input files and panels */

enum warn_actuals_kind { WARN_ACTUALS_GED, WARN_ACTUALS_CANDIDATE };

struct warn_actuals {
    int month_lo, month_hi; /* months any layer covered (0, 0: none yet) */
    double *value;          /* value[id * WARN_PANEL_MONTHS_MAX + month - 1] */
    unsigned char *covered; /* same layout: 1 when some layer covered the cell */
    unsigned char named[WARN_ACTUALS_IDS_MAX]; /* countries of the output */
    size_t nlayers;
};

/* What one event file held. */
struct warn_actuals_file {
    uint64_t events;    /* rows read */
    uint64_t sb;        /* of which state-based (type_of_violence 1) */
    double sb_deaths;   /* their `best` sum */
    uint64_t unplaced;  /* state-based events in no ViEWS country (deaths not counted) */
    int month_lo, month_hi; /* months the file covers */
    size_t ncountries;  /* countries appearing in it */
};

int warn_actuals_init(struct warn_actuals *a, struct gsi_err *err);
void warn_actuals_release(struct warn_actuals *a);

/* The ViEWS country_id of an ISO3 code, or -1. */
int warn_actuals_views_id(const char *iso3);

/* Layers a panel: its countries and months. */
int warn_actuals_add_panel(struct warn_actuals *a, const struct warn_panel *p, struct gsi_err *err);

/* Layers a UCDP GED or Candidate CSV file (the events reader, src/events). Malformed rows are
 * an error naming the file and line (a silently dropped event would be a wrong count). */
int warn_actuals_add_file(struct warn_actuals *a, const char *path, enum warn_actuals_kind kind,
                          bool global, struct warn_actuals_file *info, struct gsi_err *err);

/* Lays out the panel from month `from` to `to` (0: the first / last month covered). GSI_EDATA
 * naming the country and month of the first gap; GSI_EDATA when nothing was layered. */
int warn_actuals_build(struct warn_panel *out, const struct warn_actuals *a, int from, int to,
                       struct gsi_err *err);

/* Writes a panel as month_id,country_id,ged_sb (the ViEWS layout warn_panel_read reads),
 * months in order, countries by id within a month. 0 or GSI_EIO. */
int warn_panel_write(const struct warn_panel *p, FILE *out, struct gsi_err *err);

#endif
