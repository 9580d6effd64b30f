/* Fuzz target for the consensus engine's votes reader (Polis export layout). Inputs that read
 * are also computed on, so the whole engine sees the odd shapes the reader lets through. */
#include <stdint.h>

#include "consensus/consensus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
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
    if (consensus_read_votes_mem(c, (const char *)data, size, &err) == 0) {
        consensus_compute(c, &err);
    }
    consensus_free(c);
    return 0;
}
