/*
 * events/internal.h — what the files of src/events share and nothing outside it uses: turning
 * one split row of each source format into the common event model, and the chunked reader for
 * GDELT exports. The public entry point is events_scan() in scan.h. Internal names are
 * events__* (scripts/lint_symbols.sh).
 *
 * A row arrives as field slices (struct events_row). Each parser fills `ev`, counts unknown
 * codes in `st`, and returns 0, or GSI_EDATA with `err` naming the line (row->line, relative to
 * what the caller knows) and the column, for a row to skip.
 */
#ifndef GSI_EVENTS_INTERNAL_H
#define GSI_EVENTS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/err.h"
#include "events/event.h"
#include "events/scan.h"
#include "ref/ref.h"

struct events_row {
    const char *path;
    long line;
    size_t nfields;
    const char *const *field;
    const size_t *flen;
};

#define GDELT_FIELDS 61

/* GDELT 2.0 export columns (0-based, from GDELT_2.0_Events_Column_Labels_Header_Row_Sep2016.csv)
 * that events__gdelt_parse() reads. */
enum {
    GDELT_ID = 0,
    GDELT_SQLDATE = 1,
    GDELT_ACTOR1_COUNTRY = 7,
    GDELT_ACTOR2_COUNTRY = 17,
    GDELT_EVENT_CODE = 26,
    GDELT_ROOT_CODE = 28,
    GDELT_QUAD_CLASS = 29,
    GDELT_GOLDSTEIN = 30,
    GDELT_MENTIONS = 31,
    GDELT_SOURCES = 32,
    GDELT_ARTICLES = 33,
    GDELT_TONE = 34,
    GDELT_ACTION_COUNTRY = 53,
    GDELT_ACTION_LAT = 56,
    GDELT_ACTION_LONG = 57,
};

/* The columns events__gdelt_parse() reads, ascending. It reads no other field of the row, and
 * none at all of a row without GDELT_FIELDS fields, so the fast reader (lines.c) fills
 * field[]/flen[] for these columns of such rows only. Defined here, not in gdelt.c, so that
 * lines.c sees the column numbers as constants and unrolls its loop over them. */
static const unsigned char events_gdelt_columns[] = {
    GDELT_ID,        GDELT_SQLDATE,    GDELT_ACTOR1_COUNTRY, GDELT_ACTOR2_COUNTRY, GDELT_EVENT_CODE,
    GDELT_ROOT_CODE, GDELT_QUAD_CLASS, GDELT_GOLDSTEIN,      GDELT_MENTIONS,       GDELT_SOURCES,
    GDELT_ARTICLES,  GDELT_TONE,       GDELT_ACTION_COUNTRY, GDELT_ACTION_LAT,     GDELT_ACTION_LONG
};
#define EVENTS_GDELT_NCOLUMNS (sizeof events_gdelt_columns / sizeof events_gdelt_columns[0])

/* `skip` is events_scan_options.skip: fields the caller does not need are left absent. */
int events__gdelt_parse(struct events_event *ev, const struct events_row *row, unsigned skip,
                        struct events_stats *st, struct gsi_err *err);

/* Header-driven formats: the header row is read once into a column map. */
#define EVENTS_COLS_MAX 24
struct events_colmap {
    int col[EVENTS_COLS_MAX]; /* index of each wanted column in the file, -1 if absent */
    size_t nfields;           /* fields the header has; every data row must have as many */
};

int events__ucdp_header(struct events_colmap *map, const struct events_row *row,
                        struct gsi_err *err);
int events__ucdp_parse(struct events_event *ev, const struct events_colmap *map,
                       const struct events_row *row, struct events_stats *st, struct gsi_err *err);
int events__icews_header(struct events_colmap *map, const struct events_row *row,
                         struct gsi_err *err);
int events__icews_parse(struct events_event *ev, const struct events_colmap *map,
                        const struct events_row *row, struct events_stats *st, struct gsi_err *err);
int events__views_header(struct events_colmap *map, const struct events_row *row,
                         struct gsi_err *err);
int events__views_parse(struct events_event *ev, const struct events_colmap *map,
                        const struct events_row *row, struct events_stats *st, struct gsi_err *err);

/* Shared by the parsers: a column's value as a number, or GSI_EDATA naming it. Empty and "NA"
 * fields are absent (0 returned, *out untouched) when `optional`. */
int events__field_count(int64_t *out, const struct events_row *row, int col, const char *name,
                        bool optional, struct gsi_err *err);
int events__field_real(double *out, const struct events_row *row, int col, const char *name,
                       bool optional, struct gsi_err *err);

/* Fills one country field of an event, `iso3` with its `row` (ev->country and
 * ev->country_row, say), from the reference row `c` a reader has found. Inline: the GDELT
 * reader calls it up to three times a row. */
static inline void events__country_set(char iso3[4], uint16_t *row, const struct ref_country *c)
{
    memcpy(iso3, c->iso3, 4);
    *row = (uint16_t)(ref_country_index(c) + 1);
}

/* Bad-row error with the column and a quote of the offending value. */
int events__field_error(struct gsi_err *err, const struct events_row *row, int col,
                        const char *expected);

/* The chunked, multi-threaded reader for GDELT exports (lines.c). `fd` is a regular file of
 * `size` bytes read with pread; see scan.h for the contract. */
int events__lines_scan(int fd, uint64_t size, const char *path,
                       const struct events_scan_options *opt, struct events_sink *sink,
                       struct events_stats *stats, struct gsi_err *err);

#endif
