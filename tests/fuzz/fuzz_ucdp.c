/* Fuzz target for the UCDP GED reader (both layouts) (see fuzz_events.h). */
#include "fuzz_events.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_events_run(data, size, EVENTS_FORMAT_UCDP);
}
