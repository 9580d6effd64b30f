/* actuals.c — country-month state-based deaths from UCDP event files, layered (see
 * actuals.h). */
#include "warn/actuals.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "events/event.h"
#include "events/scan.h"
#include "ref/ref.h"

#define CELLS ((size_t)WARN_ACTUALS_IDS_MAX * WARN_PANEL_MONTHS_MAX)

static size_t cell(int id, int month)
{
    return (size_t)id * WARN_PANEL_MONTHS_MAX + (size_t)(month - 1);
}

int warn_actuals_init(struct warn_actuals *a, struct gsi_err *err)
{
    memset(a, 0, sizeof *a);
    a->value = calloc(CELLS, sizeof *a->value);
    a->covered = calloc(CELLS, 1);
    if (a->value == NULL || a->covered == NULL) {
        warn_actuals_release(a);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory for the actuals");
    }
    return 0;
}

void warn_actuals_release(struct warn_actuals *a)
{
    free(a->value);
    free(a->covered);
    memset(a, 0, sizeof *a);
}

/* Where the ViEWS table lists several ids for one ISO3 (a state before and after a border
 * change, or a row ViEWS kept twice), the id its country-month data use for the state of
 * today: the ids of the shipped 2018-2022 actuals (data/views/cm_actuals_2018_2022.csv). */
static const struct {
    const char *iso3;
    int id;
} current[] = { { "DEU", 184 }, { "ETH", 57 },  { "IDN", 209 }, { "SAU", 131 }, { "SDN", 245 },
                { "SRB", 233 }, { "TZA", 242 }, { "YEM", 124 }, { "ZAF", 163 } };

int warn_actuals_views_id(const char *iso3)
{
    for (size_t i = 0; i < sizeof current / sizeof current[0]; i++) {
        if (strcmp(current[i].iso3, iso3) == 0) {
            return current[i].id;
        }
    }
    int found = -1;
    for (size_t i = 0; i < ref_views_country_count(); i++) {
        const struct ref_views_country *v = ref_views_country_at(i);
        if (v->iso3 != NULL && strcmp(v->iso3, iso3) == 0) {
            found = found < 0 || v->id < found ? v->id : found;
        }
    }
    return found;
}

static void span(struct warn_actuals *a, int lo, int hi)
{
    a->month_lo = a->month_lo == 0 || lo < a->month_lo ? lo : a->month_lo;
    a->month_hi = hi > a->month_hi ? hi : a->month_hi;
}

static int layer_check(struct warn_actuals *a, struct gsi_err *err)
{
    if (a->nlayers >= WARN_ACTUALS_LAYERS_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "at most %d inputs", WARN_ACTUALS_LAYERS_MAX);
    }
    a->nlayers++;
    return 0;
}

int warn_actuals_add_panel(struct warn_actuals *a, const struct warn_panel *p, struct gsi_err *err)
{
    int rc = layer_check(a, err);
    if (rc < 0) {
        return rc;
    }
    int last = warn_panel_month_last(p);
    if (p->month_first < 1 || last > WARN_PANEL_MONTHS_MAX) {
        return gsi_err_set(err, GSI_EDATA, "the panel's months %d..%d are outside 1..%d",
                           p->month_first, last, WARN_PANEL_MONTHS_MAX);
    }
    for (size_t c = 0; c < p->ncountries; c++) {
        int id = p->country_id[c];
        if (id < 0 || id >= WARN_ACTUALS_IDS_MAX) {
            return gsi_err_set(err, GSI_EDATA, "country_id %d is past %d", id,
                               WARN_ACTUALS_IDS_MAX - 1);
        }
        a->named[id] = 1;
        for (int m = p->month_first; m <= last; m++) {
            a->value[cell(id, m)] = warn_panel_at(p, c, m);
            a->covered[cell(id, m)] = 1;
        }
    }
    span(a, p->month_first, last);
    return 0;
}

/* One file's sums while it is read. */
struct file_acc {
    double *sum; /* [id * WARN_PANEL_MONTHS_MAX + month - 1] */
    unsigned char seen[WARN_ACTUALS_IDS_MAX];
    int month_lo, month_hi, year_lo, year_hi;
    struct warn_actuals_file *info;
};

static int on_event(void *ctx, const struct events_event *ev, struct gsi_err *err)
{
    struct file_acc *f = ctx;
    int y = 0, m = 0, d = 0;
    gsi_date_to_civil(ev->day, &y, &m, &d);
    int month = gsi_month_id(y, m);
    if (month < 1 || month > WARN_PANEL_MONTHS_MAX) {
        return gsi_err_set(err, GSI_EDATA, "event %s: date_start %04d-%02d is outside 1980-2079",
                           ev->source_id, y, m);
    }
    f->info->events++;
    f->month_lo = f->month_lo == 0 || month < f->month_lo ? month : f->month_lo;
    f->month_hi = month > f->month_hi ? month : f->month_hi;
    f->year_lo = f->year_lo == 0 || y < f->year_lo ? y : f->year_lo;
    f->year_hi = y > f->year_hi ? y : f->year_hi;
    int id = ev->country[0] != '\0' ? warn_actuals_views_id(ev->country) : -1;
    if (id >= 0 && id < WARN_ACTUALS_IDS_MAX) {
        f->seen[id] = 1;
    }
    if (ev->violence != 1) {
        return 0;
    }
    f->info->sb++;
    if (id < 0 || id >= WARN_ACTUALS_IDS_MAX) {
        f->info->unplaced++;
        return 0;
    }
    double best = ev->fatalities_best > 0 ? (double)ev->fatalities_best : 0;
    f->sum[cell(id, month)] += best;
    f->info->sb_deaths += best;
    return 0;
}

/* Copies the file's sums into the layers over the months it covers. */
static void apply(struct warn_actuals *a, const struct file_acc *f, int lo, int hi, bool global)
{
    for (int id = 0; id < WARN_ACTUALS_IDS_MAX; id++) {
        if (!global && !f->seen[id]) {
            continue;
        }
        if (f->seen[id]) {
            a->named[id] = 1;
        }
        for (int m = lo; m <= hi; m++) {
            a->value[cell(id, m)] = f->sum[cell(id, m)];
            a->covered[cell(id, m)] = 1;
        }
    }
    span(a, lo, hi);
}

int warn_actuals_add_file(struct warn_actuals *a, const char *path, enum warn_actuals_kind kind,
                          bool global, struct warn_actuals_file *info, struct gsi_err *err)
{
    int rc = layer_check(a, err);
    if (rc < 0) {
        return rc;
    }
    memset(info, 0, sizeof *info);
    struct file_acc f = { .info = info };
    f.sum = calloc(CELLS, sizeof *f.sum);
    if (f.sum == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory reading %s", path);
    }
    struct events_scan_options opt = EVENTS_SCAN_OPTIONS_INIT;
    opt.format = EVENTS_FORMAT_UCDP;
    opt.strict = true;
    opt.threads = 1;
    opt.skip = EVENTS_SKIP_GEO | EVENTS_SKIP_ACTORS;
    void *ctx[1] = { &f };
    struct events_sink sink = { 1, ctx, on_event };
    struct events_stats st;
    events_stats_init(&st);
    rc = events_scan(path, &opt, &sink, &st, err);
    if (rc == 0 && info->events == 0) {
        rc = gsi_err_at(err, GSI_EDATA, path, 0, 0, "no events: a UCDP file with a header and "
                                                    "at least one event row was expected");
    }
    if (rc == 0) {
        int lo = kind == WARN_ACTUALS_GED ? gsi_month_id(f.year_lo, 1) : f.month_lo;
        int hi = kind == WARN_ACTUALS_GED ? gsi_month_id(f.year_hi, 12) : f.month_hi;
        hi = hi > WARN_PANEL_MONTHS_MAX ? WARN_PANEL_MONTHS_MAX : hi;
        info->month_lo = lo;
        info->month_hi = hi;
        for (int id = 0; id < WARN_ACTUALS_IDS_MAX; id++) {
            info->ncountries += f.seen[id];
        }
        apply(a, &f, lo, hi, global);
    }
    free(f.sum);
    return rc;
}

static void month_text(char out[16], int month)
{
    int y = 0, m = 0;
    gsi_month_from_id(month, &y, &m);
    snprintf(out, 16, "%04d-%02d", y % 10000, m % 100);
}

int warn_actuals_build(struct warn_panel *out, const struct warn_actuals *a, int from, int to,
                       struct gsi_err *err)
{
    memset(out, 0, sizeof *out);
    from = from > 0 ? from : a->month_lo;
    to = to > 0 ? to : a->month_hi;
    size_t nc = 0;
    for (int id = 0; id < WARN_ACTUALS_IDS_MAX; id++) {
        nc += a->named[id];
    }
    if (nc == 0 || from < 1 || to < from || to > WARN_PANEL_MONTHS_MAX) {
        return gsi_err_set(err, GSI_EDATA, "no country-months to build (inputs cover %d..%d)",
                           a->month_lo, a->month_hi);
    }
    for (int id = 0; id < WARN_ACTUALS_IDS_MAX; id++) {
        for (int m = from; a->named[id] && m <= to; m++) {
            if (!a->covered[cell(id, m)]) {
                const struct ref_views_country *v = ref_views_country_by_id(id);
                char t[16];
                month_text(t, m);
                return gsi_err_set(err, GSI_EDATA,
                                   "gap: no input covers %s (country_id %d, %s) in %s; give a file "
                                   "that covers it, or --from/--to to leave it out",
                                   v && v->iso3 ? v->iso3 : "?", id, v ? v->name : "?", t);
            }
        }
    }
    out->country_id = malloc(nc * sizeof *out->country_id);
    out->count = malloc(nc * (size_t)(to - from + 1) * sizeof *out->count);
    if (out->country_id == NULL || out->count == NULL) {
        warn_panel_release(out);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory for the panel");
    }
    out->month_first = from;
    out->nmonths = to - from + 1;
    size_t c = 0;
    for (int id = 0; id < WARN_ACTUALS_IDS_MAX; id++) {
        if (!a->named[id]) {
            continue;
        }
        out->country_id[c] = id;
        for (int m = from; m <= to; m++) {
            out->count[c * (size_t)out->nmonths + (size_t)(m - from)] = a->value[cell(id, m)];
        }
        c++;
    }
    out->ncountries = nc;
    return 0;
}

int warn_panel_write(const struct warn_panel *p, FILE *out, struct gsi_err *err)
{
    fputs("month_id,country_id,ged_sb\n", out);
    for (int m = p->month_first; m <= warn_panel_month_last(p); m++) {
        for (size_t c = 0; c < p->ncountries; c++) {
            double v = warn_panel_at(p, c, m);
            if (v == (double)(long long)v) {
                fprintf(out, "%d,%d,%lld\n", m, p->country_id[c], (long long)v);
            } else {
                fprintf(out, "%d,%d,%.17g\n", m, p->country_id[c], v);
            }
        }
    }
    if (ferror(out)) {
        return gsi_err_set(err, GSI_EIO, "cannot write the actuals: %s", strerror(errno));
    }
    return 0;
}
