/* format.c — format names and detection from a file's first bytes (see scan.h). */
#include <math.h>
#include <string.h>

#include "events/scan.h"

static const char *const format_names[] = { "auto", "gdelt", "ucdp", "icews", "views" };

int events_format_parse(enum events_format *out, const char *name)
{
    for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++) {
        if (strcmp(name, format_names[i]) == 0) {
            *out = (enum events_format)i;
            return 0;
        }
    }
    return GSI_EUSAGE;
}

const char *events_format_name(enum events_format f)
{
    return (unsigned)f < sizeof format_names / sizeof format_names[0] ? format_names[f] : "?";
}

const char *events_source_name(int source)
{
    static const char *const names[] = { "", "gdelt", "icews", "ucdp", "views" };
    return source >= 0 && source <= EVENTS_SOURCE_MAX ? names[source] : "";
}

void events_event_clear(struct events_event *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->day = EVENTS_DAY_NONE;
    ev->goldstein = NAN;
    ev->tone = NAN;
    ev->mentions = ev->sources = ev->articles = EVENTS_COUNT_NONE;
    ev->fatalities_best = ev->fatalities_low = ev->fatalities_high = EVENTS_COUNT_NONE;
    ev->latitude = ev->longitude = NAN;
}

/* True when the first line (up to n bytes) contains `needle`. */
static bool first_line_has(const char *head, size_t n, const char *needle)
{
    const char *nl = memchr(head, '\n', n);
    size_t len = nl != NULL ? (size_t)(nl - head) : n;
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= len; i++) {
        if (memcmp(head + i, needle, m) == 0) {
            return true;
        }
    }
    return false;
}

int events_format_detect(enum events_format *out, const char *head, size_t n, const char *path,
                         struct gsi_err *err)
{
    if (first_line_has(head, n, "month_id") && first_line_has(head, n, "country_id") &&
        first_line_has(head, n, "ged_sb")) {
        *out = EVENTS_FORMAT_VIEWS;
        return 0;
    }
    if (first_line_has(head, n, "type_of_violence") && first_line_has(head, n, "best")) {
        *out = EVENTS_FORMAT_UCDP;
        return 0;
    }
    if (first_line_has(head, n, "Event ID\tEvent Date")) {
        *out = EVENTS_FORMAT_ICEWS;
        return 0;
    }
    /* GDELT 2.0 export: no header; 61 tab-separated fields, the first a number. */
    const char *nl = memchr(head, '\n', n);
    size_t len = nl != NULL ? (size_t)(nl - head) : n;
    size_t tabs = 0;
    for (size_t i = 0; i < len; i++) {
        tabs += head[i] == '\t';
    }
    if (tabs == 60 && len > 0 && head[0] >= '0' && head[0] <= '9') {
        *out = EVENTS_FORMAT_GDELT;
        return 0;
    }
    return gsi_err_at(err, GSI_EDATA, path, 1, 0,
                      "not a known event format: expected a GDELT 2.0 export (61 tab-separated "
                      "fields), a UCDP GED CSV, an ICEWS .tab file or a ViEWS "
                      "month_id,country_id,ged_sb CSV; use --input-format to say which");
}
