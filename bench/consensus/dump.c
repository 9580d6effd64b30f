/* dump.c — the engine's vote matrix, after a compute, as packed (int32 row, int32 column,
 * int8 vote) records: the exact input the numpy + scikit-learn peer reads. */
#include <stdio.h>
#include <string.h>

#include "consensus/internal.h"

int bench_dump_matrix(const struct consensus *c, FILE *f);

int bench_dump_matrix(const struct consensus *c, FILE *f)
{
    const struct consensus_state *st = c->st;
    unsigned char rec[9];
    for (size_t r = 0; r < st->base_rows; r++) {
        for (uint64_t e = st->row_ptr[r]; e < st->row_ptr[r + 1]; e++) {
            int32_t row = (int32_t)r, col = (int32_t)st->col[e];
            memcpy(rec, &row, 4);
            memcpy(rec + 4, &col, 4);
            rec[8] = (unsigned char)st->val[e];
            if (fwrite(rec, 1, 9, f) != 9) {
                return -1;
            }
        }
    }
    for (size_t o = 0; o < st->nov; o++) {
        int32_t row = (int32_t)st->ov_row[o], col = (int32_t)st->ov_col[o];
        memcpy(rec, &row, 4);
        memcpy(rec + 4, &col, 4);
        rec[8] = (unsigned char)st->ov_val[o];
        if (fwrite(rec, 1, 9, f) != 9) {
            return -1;
        }
    }
    return 0;
}
