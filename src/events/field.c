/* field.c — number fields and bad-field messages shared by the row parsers (see internal.h). */
#include <stdio.h>

#include "core/text.h"
#include "events/internal.h"

int events__field_error(struct gsi_err *err, const struct events_row *row, int col,
                        const char *expected)
{
    char quoted[48];
    gsi_slice_copy(quoted, sizeof quoted, row->field[col], row->flen[col]);
    return gsi_err_at(err, GSI_EDATA, row->path, row->line, col + 1, "expected %s, found '%s'",
                      expected, quoted);
}

/* An optional field is absent when empty or "NA" (ICEWS and R exports write NA). */
static bool absent(const struct events_row *row, int col)
{
    return row->flen[col] == 0 || gsi_slice_eq(row->field[col], row->flen[col], "NA");
}

int events__field_count(int64_t *out, const struct events_row *row, int col, const char *name,
                        bool optional, struct gsi_err *err)
{
    if (col < 0 || (optional && absent(row, col))) {
        return 0;
    }
    if (gsi_parse_i64(out, row->field[col], row->flen[col]) < 0 || *out < 0) {
        char what[96];
        snprintf(what, sizeof what, "%s as a whole number >= 0", name);
        return events__field_error(err, row, col, what);
    }
    return 0;
}

int events__field_real(double *out, const struct events_row *row, int col, const char *name,
                       bool optional, struct gsi_err *err)
{
    if (col < 0 || (optional && absent(row, col))) {
        return 0;
    }
    if (gsi_parse_f64(out, row->field[col], row->flen[col]) < 0) {
        char what[96];
        snprintf(what, sizeof what, "%s as a number", name);
        return events__field_error(err, row, col, what);
    }
    return 0;
}
