/* table.c — aligned text, CSV and JSON writers for result tables (see table.h). */
#include "core/table.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/json.h"
#include "core/text.h"

enum cell_kind { CELL_NULL, CELL_TEXT, CELL_NUM };

struct cell {
    enum cell_kind kind;
    double num;
    char *text;
};

struct gsi_table {
    size_t ncols;
    struct gsi_table_col *cols;
    struct cell *cells;
    size_t ncells;
    size_t cap;
};

int gsi_format_parse(enum gsi_format *out, const char *s)
{
    if (strcmp(s, "table") == 0) {
        *out = GSI_FORMAT_TABLE;
    } else if (strcmp(s, "csv") == 0) {
        *out = GSI_FORMAT_CSV;
    } else if (strcmp(s, "json") == 0) {
        *out = GSI_FORMAT_JSON;
    } else {
        return GSI_EUSAGE;
    }
    return 0;
}

struct gsi_table *gsi_table_new(const struct gsi_table_col *cols, size_t ncols)
{
    struct gsi_table *t = calloc(1, sizeof *t);
    if (t == NULL) {
        return NULL;
    }
    t->cols = malloc(ncols * sizeof *cols);
    if (t->cols == NULL) {
        free(t);
        return NULL;
    }
    memcpy(t->cols, cols, ncols * sizeof *cols);
    t->ncols = ncols;
    return t;
}

void gsi_table_free(struct gsi_table *t)
{
    if (t == NULL) {
        return;
    }
    for (size_t i = 0; i < t->ncells; i++) {
        free(t->cells[i].text);
    }
    free(t->cells);
    free(t->cols);
    free(t);
}

static struct cell *table_push(struct gsi_table *t)
{
    if (GSI_ALLOC_GROW(t->cells, t->ncells + 1, t->cap, 64) < 0) {
        return NULL;
    }
    struct cell *c = &t->cells[t->ncells++];
    memset(c, 0, sizeof *c);
    return c;
}

int gsi_table_text(struct gsi_table *t, const char *s)
{
    struct cell *c = table_push(t);
    if (c == NULL) {
        return GSI_ENOMEM;
    }
    c->kind = CELL_TEXT;
    c->text = strdup(s);
    return c->text != NULL ? 0 : GSI_ENOMEM;
}

int gsi_table_num(struct gsi_table *t, double v)
{
    struct cell *c = table_push(t);
    if (c == NULL) {
        return GSI_ENOMEM;
    }
    c->kind = isfinite(v) ? CELL_NUM : CELL_NULL;
    c->num = v;
    return 0;
}

int gsi_table_null(struct gsi_table *t)
{
    return table_push(t) != NULL ? 0 : GSI_ENOMEM;
}

size_t gsi_table_rows(const struct gsi_table *t)
{
    return t->ncols ? t->ncells / t->ncols : 0;
}

/* The text form of a cell: rounded for people, exact for machines. */
static void cell_render(char *out, size_t cap, const struct cell *c, int decimals, bool exact)
{
    switch (c->kind) {
    case CELL_NULL:
        out[0] = '\0';
        break;
    case CELL_TEXT:
        snprintf(out, cap, "%s", c->text);
        break;
    case CELL_NUM:
        if (exact) {
            if (c->num == floor(c->num) && fabs(c->num) < 1e15) {
                snprintf(out, cap, "%.0f", c->num);
            } else {
                gsi_format_f64(out, cap, c->num);
            }
        } else {
            snprintf(out, cap, "%.*f", decimals < 0 ? 0 : decimals, c->num);
        }
        break;
    }
}

static void write_csv_field(FILE *out, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"') {
            fputc('"', out);
        }
        fputc(*s, out);
    }
    fputc('"', out);
}

static int write_aligned(const struct gsi_table *t, FILE *out)
{
    size_t rows = gsi_table_rows(t);
    size_t *width = calloc(t->ncols, sizeof *width);
    if (width == NULL) {
        return GSI_ENOMEM;
    }
    char buf[512];
    for (size_t j = 0; j < t->ncols; j++) {
        width[j] = strlen(t->cols[j].name);
    }
    for (size_t r = 0; r < rows; r++) {
        for (size_t j = 0; j < t->ncols; j++) {
            cell_render(buf, sizeof buf, &t->cells[r * t->ncols + j], t->cols[j].decimals, false);
            size_t w = strlen(buf);
            if (w > width[j]) {
                width[j] = w;
            }
        }
    }
    for (size_t j = 0; j < t->ncols; j++) {
        int w = (int)width[j];
        fprintf(out,
                j == 0                    ? "%-*s"
                : t->cols[j].decimals < 0 ? "  %-*s"
                                          : "  %*s",
                w, t->cols[j].name);
    }
    fputc('\n', out);
    for (size_t r = 0; r < rows; r++) {
        for (size_t j = 0; j < t->ncols; j++) {
            int w = (int)width[j];
            cell_render(buf, sizeof buf, &t->cells[r * t->ncols + j], t->cols[j].decimals, false);
            bool left = t->cols[j].decimals < 0;
            /* The last column is not padded on the right, so lines carry no trailing spaces. */
            if (left && j + 1 == t->ncols) {
                fprintf(out, j == 0 ? "%s" : "  %s", buf);
            } else {
                fprintf(out, j == 0 ? (left ? "%-*s" : "%*s") : (left ? "  %-*s" : "  %*s"), w,
                        buf);
            }
        }
        fputc('\n', out);
    }
    free(width);
    return 0;
}

static void write_csv(const struct gsi_table *t, FILE *out)
{
    char buf[512];
    for (size_t j = 0; j < t->ncols; j++) {
        if (j > 0) {
            fputc(',', out);
        }
        write_csv_field(out, t->cols[j].name);
    }
    fputc('\n', out);
    /* Whole rows only, as in the other two forms: a table with no columns has no rows, and
     * an unfinished last row is not written. */
    size_t rows = gsi_table_rows(t);
    for (size_t r = 0; r < rows; r++) {
        for (size_t j = 0; j < t->ncols; j++) {
            if (j > 0) {
                fputc(',', out);
            }
            cell_render(buf, sizeof buf, &t->cells[r * t->ncols + j], t->cols[j].decimals, true);
            write_csv_field(out, buf);
        }
        fputc('\n', out);
    }
}

/* A JSON array of objects, one a line; numbers in the CSV form's exact rendering (integers
 * below 10^15 and every other double alike come out in gsi_format_f64's shortest form). */
static int write_json(const struct gsi_table *t, FILE *out)
{
    struct gsi_json w;
    gsi_json_init_file(&w, out);
    size_t rows = gsi_table_rows(t);
    gsi_json_array_begin(&w, NULL, GSI_JSON_LINES);
    for (size_t r = 0; r < rows; r++) {
        gsi_json_object_begin(&w, NULL, GSI_JSON_INLINE);
        for (size_t j = 0; j < t->ncols; j++) {
            const struct cell *c = &t->cells[r * t->ncols + j];
            const char *key = t->cols[j].name;
            if (c->kind == CELL_NULL) {
                gsi_json_null(&w, key);
            } else if (c->kind == CELL_TEXT) {
                gsi_json_string(&w, key, c->text);
            } else {
                gsi_json_double(&w, key, c->num);
            }
        }
        gsi_json_end(&w);
    }
    gsi_json_end(&w);
    gsi_json_newline(&w);
    int rc = gsi_json_finish(&w);
    gsi_json_release(&w);
    return rc;
}

int gsi_table_write(const struct gsi_table *t, FILE *out, enum gsi_format fmt)
{
    int rc = 0;
    switch (fmt) {
    case GSI_FORMAT_TABLE:
        rc = write_aligned(t, out);
        break;
    case GSI_FORMAT_CSV:
        write_csv(t, out);
        break;
    case GSI_FORMAT_JSON:
        rc = write_json(t, out);
        break;
    }
    if (rc == 0 && (fflush(out) != 0 || ferror(out))) {
        rc = GSI_EIO;
    }
    return rc;
}
