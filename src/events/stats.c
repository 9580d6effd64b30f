/* stats.c — counting and reporting bad rows and unknown codes (see scan.h). */
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "core/text.h"
#include "events/scan.h"

void events_stats_init(struct events_stats *st)
{
    memset(st, 0, sizeof *st);
}

void events_stats_bad_row(struct events_stats *st, const struct gsi_err *err)
{
    st->skipped++;
    if (st->nreported < EVENTS_REPORT_MAX) {
        st->reported[st->nreported++] = *err;
    }
}

static void tally_unknown(struct events_stats *st, const char *field, const char *code,
                          uint64_t count)
{
    for (size_t i = 0; i < st->nunknowns; i++) {
        if (st->unknowns[i].field == field && strcmp(st->unknowns[i].code, code) == 0) {
            st->unknowns[i].count += count;
            return;
        }
    }
    if (st->nunknowns < EVENTS_UNKNOWN_MAX) {
        struct events_unknown *u = &st->unknowns[st->nunknowns++];
        u->field = field;
        snprintf(u->code, sizeof u->code, "%s", code);
        u->count = count;
    } else {
        st->unknown_other += count;
    }
}

void events_stats_unknown(struct events_stats *st, const char *field, const char *code, size_t n)
{
    char tmp[16];
    st->unknown++;
    tally_unknown(st, field, gsi_slice_copy(tmp, sizeof tmp, code, n), 1);
}

void events_stats_merge(struct events_stats *dst, const struct events_stats *src)
{
    dst->rows += src->rows;
    dst->skipped += src->skipped;
    dst->filtered += src->filtered;
    dst->unknown += src->unknown;
    dst->unknown_other += src->unknown_other;
    for (size_t i = 0; i < src->nreported && dst->nreported < EVENTS_REPORT_MAX; i++) {
        dst->reported[dst->nreported++] = src->reported[i];
    }
    for (size_t i = 0; i < src->nunknowns; i++) {
        tally_unknown(dst, src->unknowns[i].field, src->unknowns[i].code, src->unknowns[i].count);
    }
}

void events_stats_report(const struct events_stats *st, FILE *out)
{
    char line[GSI_ERR_MSG_MAX + GSI_ERR_FILE_MAX + 64];
    for (size_t i = 0; i < st->nreported; i++) {
        fprintf(out, "%s\n", gsi_err_format(line, sizeof line, &st->reported[i]));
    }
    if (st->skipped > 0) {
        fprintf(out,
                "gsi: skipped %" PRIu64 " malformed row%s of %" PRIu64
                " (use --strict to stop at the first)\n",
                st->skipped, st->skipped == 1 ? "" : "s", st->rows);
    }
    /* One line per source field: its unknown codes, most frequent first. */
    bool done[EVENTS_UNKNOWN_MAX] = { false };
    for (size_t i = 0; i < st->nunknowns; i++) {
        if (done[i]) {
            continue;
        }
        const char *field = st->unknowns[i].field;
        uint64_t total = 0;
        size_t idx[EVENTS_UNKNOWN_MAX], n = 0;
        for (size_t j = i; j < st->nunknowns; j++) {
            if (st->unknowns[j].field == field) {
                done[j] = true;
                idx[n++] = j;
                total += st->unknowns[j].count;
            }
        }
        for (size_t a = 1; a < n; a++) { /* insertion sort by count, descending */
            for (size_t b = a; b > 0 && st->unknowns[idx[b]].count > st->unknowns[idx[b - 1]].count;
                 b--) {
                size_t t = idx[b];
                idx[b] = idx[b - 1];
                idx[b - 1] = t;
            }
        }
        fprintf(out, "gsi: %" PRIu64 " unknown code%s in %s, left empty:", total,
                total == 1 ? "" : "s", field);
        for (size_t k = 0; k < n && k < 8; k++) {
            fprintf(out, " %s (%" PRIu64 ")", st->unknowns[idx[k]].code,
                    st->unknowns[idx[k]].count);
        }
        fprintf(out, n > 8 ? " and %zu more\n" : "\n", n - 8);
    }
    if (st->unknown_other > 0) {
        fprintf(out, "gsi: %" PRIu64 " more unknown codes not listed\n", st->unknown_other);
    }
}
