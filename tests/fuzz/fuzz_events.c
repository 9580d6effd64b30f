/* Fuzz target for format detection and every reader (see fuzz_events.h). */
#include "fuzz_events.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_events_run(data, size, -1);
}
