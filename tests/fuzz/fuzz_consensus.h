/* fuzz_consensus.h — the body shared by the consensus fuzz targets (fuzz_consensus_votes.c,
 * fuzz_consensus_comments.c and fuzz_consensus_matrix.c each pass one reader of the Polis
 * export layout). Inputs that read are also computed on, so the whole engine sees the odd
 * shapes the reader lets through. */
#ifndef GSI_FUZZ_CONSENSUS_H
#define GSI_FUZZ_CONSENSUS_H

#include <stdint.h>

#include "consensus/consensus.h"

/* One of consensus_read_votes_mem(), consensus_read_comments_mem(), consensus_read_matrix_mem(). */
typedef int (*fuzz_consensus_read_fn)(struct consensus *c, const char *data, size_t n,
                                      struct gsi_err *err);

/* Runs one input through `reader`, then through consensus_compute() when it read. */
static int fuzz_consensus_run(const uint8_t *data, size_t size, fuzz_consensus_read_fn reader)
{
    if (size > (1u << 16)) {
        return 0; /* the engine's own caps are far larger; keep runs short */
    }
    struct consensus_opts o;
    consensus_opts_default(&o);
    o.threads = 1;
    struct consensus *c = consensus_new(&o);
    if (c == NULL) {
        return 0;
    }
    struct gsi_err err = GSI_ERR_INIT;
    if (reader(c, (const char *)data, size, &err) == 0) {
        consensus_compute(c, &err);
    }
    consensus_free(c);
    return 0;
}

#endif
