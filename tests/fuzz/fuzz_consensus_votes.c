/* Fuzz target for the consensus engine's votes reader (Polis export layout). The body is
 * fuzz_consensus.h's, shared with the other readers' targets. */
#include "fuzz_consensus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_consensus_run(data, size, consensus_read_votes_mem);
}
