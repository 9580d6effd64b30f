/*
 * table.h — result tables written as aligned text, CSV or JSON.
 *
 * Every command that prints rows builds a `struct gsi_table` and writes it in the format the
 * user asked for: aligned columns for a person (numbers right-aligned, rounded to the column's
 * decimals), RFC 4180 CSV with a header row, or a JSON array of objects. CSV and JSON carry
 * numbers at full precision (shortest round-trip form); an empty cell is "" in CSV and null
 * in JSON.
 *
 *     static const struct gsi_table_col cols[] = {{"country", -1}, {"events", 0}};
 *     struct gsi_table *t = gsi_table_new(cols, 2);
 *     gsi_table_text(t, "ETH"); gsi_table_num(t, 3808);
 *     gsi_table_write(t, stdout, GSI_FORMAT_TABLE);
 *     gsi_table_free(t);
 */
#ifndef GSI_CORE_TABLE_H
#define GSI_CORE_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum gsi_format { GSI_FORMAT_TABLE, GSI_FORMAT_CSV, GSI_FORMAT_JSON };

/* Parses "table", "csv" or "json"; GSI_EUSAGE otherwise. */
int gsi_format_parse(enum gsi_format *out, const char *s);

struct gsi_table_col {
    const char *name;
    int decimals; /* digits after the point in the aligned text form; -1 for a text column */
};

struct gsi_table;

/* A table with `ncols` columns; the column specs are copied. NULL on allocation failure. */
struct gsi_table *gsi_table_new(const struct gsi_table_col *cols, size_t ncols);
void gsi_table_free(struct gsi_table *t);

/* Cells are filled row by row, left to right. Each returns 0 or GSI_ENOMEM. */
int gsi_table_text(struct gsi_table *t, const char *s);
int gsi_table_num(struct gsi_table *t, double v);
int gsi_table_null(struct gsi_table *t);

size_t gsi_table_rows(const struct gsi_table *t);

/* Writes the whole table; returns 0 or GSI_EIO. Only complete rows are written (in every
 * format), so an unfinished last row and the cells of a table with no columns are left out. */
int gsi_table_write(const struct gsi_table *t, FILE *out, enum gsi_format fmt);

#endif
