/* tabular.c — the header-driven formats: UCDP GED (v23.1's 49 columns and the older 41),
 * ICEWS (.tab with a header) and ViEWS country-month. Each header is read once into a column
 * map, so columns are found by name and the layouts' different orders do not matter. */
#include <math.h>
#include <string.h>

#include "core/date.h"
#include "core/text.h"
#include "events/internal.h"
#include "ref/ref.h"

/* Finds each of `names` in the header row. Required columns missing → GSI_EDATA. */
static int map_header(struct events_colmap *map, const struct events_row *row,
                      const char *const *names, const bool *required, size_t n, const char *format,
                      struct gsi_err *err)
{
    map->nfields = row->nfields;
    for (size_t k = 0; k < n; k++) {
        map->col[k] = -1;
        for (size_t i = 0; i < row->nfields; i++) {
            const char *f = row->field[i];
            size_t len = row->flen[i];
            gsi_slice_trim(&f, &len);
            if (gsi_slice_eq(f, len, names[k])) {
                map->col[k] = (int)i;
                break;
            }
        }
        if (map->col[k] < 0 && required[k]) {
            return gsi_err_at(err, GSI_EDATA, row->path, row->line, 0,
                              "%s header has no column '%s'", format, names[k]);
        }
    }
    return 0;
}

static int check_width(const struct events_colmap *map, const struct events_row *row,
                       struct gsi_err *err)
{
    if (row->nfields != map->nfields) {
        return gsi_err_at(err, GSI_EDATA, row->path, row->line, 0,
                          "expected %zu fields as in the header, found %zu", map->nfields,
                          row->nfields);
    }
    return 0;
}

static bool present(const struct events_row *row, int col)
{
    return col >= 0 && row->flen[col] > 0 && !gsi_slice_eq(row->field[col], row->flen[col], "NA");
}

/* A Gleditsch-Ward number (the first of a list such as "2, 200"; v23.1 writes "530.0") →
 * ISO3 and reference row. */
static void gw_country(char out[4], uint16_t *out_row, const struct events_row *row, int col,
                       const char *field, struct events_stats *st)
{
    if (!present(row, col)) {
        return;
    }
    const char *s = row->field[col];
    size_t n = row->flen[col];
    const char *comma = memchr(s, ',', n);
    if (comma != NULL) {
        n = (size_t)(comma - s);
    }
    gsi_slice_trim(&s, &n);
    double gw;
    const struct ref_country *c = NULL;
    if (gsi_parse_f64(&gw, s, n) == 0 && gw > 0 && gw < 10000 && gw == floor(gw)) {
        c = ref_country_by_gw((int)gw);
    }
    if (c != NULL) {
        events__country_set(out, out_row, c);
    } else {
        events_stats_unknown(st, field, s, n);
    }
}

/* ---- UCDP GED ---------------------------------------------------------------------------- */

enum {
    U_ID,
    U_DATE,
    U_TYPE,
    U_COUNTRY_ID,
    U_GWNOA,
    U_GWNOB,
    U_BEST,
    U_LOW,
    U_HIGH,
    U_LAT,
    U_LON,
    U_NCOLS
};

int events__ucdp_header(struct events_colmap *map, const struct events_row *row,
                        struct gsi_err *err)
{
    static const char *const names[U_NCOLS] = { "id",         "date_start", "type_of_violence",
                                                "country_id", "gwnoa",      "gwnob",
                                                "best",       "low",        "high",
                                                "latitude",   "longitude" };
    static const bool required[U_NCOLS] = { true, true, true, true,  false, false,
                                            true, true, true, false, false };
    return map_header(map, row, names, required, U_NCOLS, "UCDP GED", err);
}

int events__ucdp_parse(struct events_event *ev, const struct events_colmap *map,
                       const struct events_row *row, struct events_stats *st, struct gsi_err *err)
{
    const int *c = map->col;
    if (check_width(map, row, err) < 0) {
        return GSI_EDATA;
    }
    events_event_clear(ev);
    ev->source = EVENTS_SOURCE_UCDP;
    if (gsi_date_parse(&ev->day, row->field[c[U_DATE]], row->flen[c[U_DATE]]) < 0) {
        return events__field_error(err, row, c[U_DATE], "date_start as a date YYYY-MM-DD");
    }
    int64_t type;
    if (gsi_parse_i64(&type, row->field[c[U_TYPE]], row->flen[c[U_TYPE]]) < 0 || type < 1 ||
        type > 3) {
        return events__field_error(err, row, c[U_TYPE], "type_of_violence 1, 2 or 3");
    }
    ev->violence = (int8_t)type;
    if (events__field_count(&ev->fatalities_best, row, c[U_BEST], "best", false, err) < 0 ||
        events__field_count(&ev->fatalities_low, row, c[U_LOW], "low", false, err) < 0 ||
        events__field_count(&ev->fatalities_high, row, c[U_HIGH], "high", false, err) < 0 ||
        events__field_real(&ev->latitude, row, c[U_LAT], "latitude", true, err) < 0 ||
        events__field_real(&ev->longitude, row, c[U_LON], "longitude", true, err) < 0) {
        return GSI_EDATA;
    }
    gw_country(ev->country, &ev->country_row, row, c[U_COUNTRY_ID], "country_id", st);
    gw_country(ev->actor1, &ev->actor1_row, row, c[U_GWNOA], "gwnoa", st);
    gw_country(ev->actor2, &ev->actor2_row, row, c[U_GWNOB], "gwnob", st);
    gsi_slice_copy(ev->source_id, sizeof ev->source_id, row->field[c[U_ID]], row->flen[c[U_ID]]);
    return 0;
}

/* ---- ICEWS ------------------------------------------------------------------------------- */

enum {
    I_ID,
    I_DATE,
    I_SOURCE_COUNTRY,
    I_CAMEO,
    I_INTENSITY,
    I_TARGET_COUNTRY,
    I_COUNTRY,
    I_LAT,
    I_LON,
    I_NCOLS
};

int events__icews_header(struct events_colmap *map, const struct events_row *row,
                         struct gsi_err *err)
{
    static const char *const names[I_NCOLS] = { "Event ID",   "Event Date", "Source Country",
                                                "CAMEO Code", "Intensity",  "Target Country",
                                                "Country",    "Latitude",   "Longitude" };
    static const bool required[I_NCOLS] = {
        true, true, true, true, true, true, true, false, false
    };
    return map_header(map, row, names, required, I_NCOLS, "ICEWS", err);
}

/* A country name or alias (ICEWS spells them out) → ISO3 and reference row. */
static void name_country(char out[4], uint16_t *out_row, const struct events_row *row, int col,
                         const char *field, struct events_stats *st)
{
    if (!present(row, col)) {
        return;
    }
    const struct ref_country *c = ref_country_by_name(row->field[col], row->flen[col]);
    if (c != NULL) {
        events__country_set(out, out_row, c);
    } else {
        events_stats_unknown(st, field, row->field[col], row->flen[col]);
    }
}

int events__icews_parse(struct events_event *ev, const struct events_colmap *map,
                        const struct events_row *row, struct events_stats *st, struct gsi_err *err)
{
    const int *c = map->col;
    if (check_width(map, row, err) < 0) {
        return GSI_EDATA;
    }
    events_event_clear(ev);
    ev->source = EVENTS_SOURCE_ICEWS;
    if (gsi_date_parse(&ev->day, row->field[c[I_DATE]], row->flen[c[I_DATE]]) < 0) {
        return events__field_error(err, row, c[I_DATE], "Event Date as a date YYYY-MM-DD");
    }
    size_t n = row->flen[c[I_CAMEO]];
    const char *code = row->field[c[I_CAMEO]];
    int64_t root;
    if (n < 2 || n > 4 || gsi_parse_i64(&root, code, 2) < 0 || root < 1 || root > 20) {
        return events__field_error(err, row, c[I_CAMEO], "CAMEO Code, 2-4 digits with root 01..20");
    }
    memcpy(ev->cameo, code, n);
    ev->cameo[n] = '\0';
    ev->root = (uint8_t)root;
    ev->quad_class = (uint8_t)ref_cameo_quad_class((int)root);
    if (ref_cameo_event_by_code(code, n) == NULL) {
        events_stats_unknown(st, "CAMEO Code", code, n);
    }
    if (events__field_real(&ev->goldstein, row, c[I_INTENSITY], "Intensity", false, err) < 0) {
        return GSI_EDATA;
    }
    if (ev->goldstein < -10 || ev->goldstein > 10) {
        return events__field_error(err, row, c[I_INTENSITY], "Intensity between -10 and 10");
    }
    if (events__field_real(&ev->latitude, row, c[I_LAT], "Latitude", true, err) < 0 ||
        events__field_real(&ev->longitude, row, c[I_LON], "Longitude", true, err) < 0) {
        return GSI_EDATA;
    }
    name_country(ev->actor1, &ev->actor1_row, row, c[I_SOURCE_COUNTRY], "Source Country", st);
    name_country(ev->actor2, &ev->actor2_row, row, c[I_TARGET_COUNTRY], "Target Country", st);
    name_country(ev->country, &ev->country_row, row, c[I_COUNTRY], "Country", st);
    gsi_slice_copy(ev->source_id, sizeof ev->source_id, row->field[c[I_ID]], row->flen[c[I_ID]]);
    return 0;
}

/* ---- ViEWS country-month ----------------------------------------------------------------- */

enum { V_MONTH, V_COUNTRY, V_GED_SB, V_NCOLS };

int events__views_header(struct events_colmap *map, const struct events_row *row,
                         struct gsi_err *err)
{
    static const char *const names[V_NCOLS] = { "month_id", "country_id", "ged_sb" };
    static const bool required[V_NCOLS] = { true, true, true };
    return map_header(map, row, names, required, V_NCOLS, "ViEWS", err);
}

int events__views_parse(struct events_event *ev, const struct events_colmap *map,
                        const struct events_row *row, struct events_stats *st, struct gsi_err *err)
{
    const int *c = map->col;
    if (check_width(map, row, err) < 0) {
        return GSI_EDATA;
    }
    events_event_clear(ev);
    ev->source = EVENTS_SOURCE_VIEWS;
    ev->violence = 1; /* ged_sb: state-based violence */
    int64_t month, id;
    if (gsi_parse_i64(&month, row->field[c[V_MONTH]], row->flen[c[V_MONTH]]) < 0 || month < 1 ||
        month > (int64_t)12 * (GSI_DATE_MAX_YEAR - 1980)) {
        return events__field_error(err, row, c[V_MONTH], "month_id, a month number (1 = 1980-01)");
    }
    int y, m;
    gsi_month_from_id((int)month, &y, &m);
    ev->day = gsi_date_from_civil(y, m, 1);
    if (gsi_parse_i64(&id, row->field[c[V_COUNTRY]], row->flen[c[V_COUNTRY]]) < 0 || id < 1 ||
        id > 100000) {
        return events__field_error(err, row, c[V_COUNTRY], "country_id, a ViEWS country id");
    }
    double sb;
    if (gsi_parse_f64(&sb, row->field[c[V_GED_SB]], row->flen[c[V_GED_SB]]) < 0 || sb < 0 ||
        sb != floor(sb) || sb > 1e12) {
        return events__field_error(err, row, c[V_GED_SB], "ged_sb, a count of deaths >= 0");
    }
    ev->fatalities_best = (int64_t)sb;
    /* The ViEWS table leaves some ISO3 codes blank (Kosovo); its Gleditsch-Ward number is
     * then the way to the country. */
    const struct ref_views_country *vc = ref_views_country_by_id((int)id);
    const struct ref_country *rc = NULL;
    if (vc != NULL) {
        rc = vc->iso3[0] != '\0' ? ref_country_by_iso3(vc->iso3, strlen(vc->iso3))
                                 : ref_country_by_gw(vc->gw);
    }
    if (rc != NULL) {
        events__country_set(ev->country, &ev->country_row, rc);
    } else {
        events_stats_unknown(st, "country_id", row->field[c[V_COUNTRY]], row->flen[c[V_COUNTRY]]);
    }
    snprintf(ev->source_id, sizeof ev->source_id, "%lld-%lld", (long long)month, (long long)id);
    return 0;
}
