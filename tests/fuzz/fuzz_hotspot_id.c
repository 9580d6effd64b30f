/* Fuzz target for the hotspot ids that HTTP paths carry (/v1/hotspots/{id}):
 * platform_hotspot_parse. An id it accepts must be written back the same by
 * platform_hotspot_id (ISO3 and the month after `through`). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "platform/forecast.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_input_cstr(data, size);
    if (s == NULL) {
        return 0;
    }
    char iso3[4];
    int through = 0;
    struct gsi_err err = GSI_ERR_INIT;
    if (platform_hotspot_parse(iso3, &through, s, &err) == 0) {
        char back[PLATFORM_FC_HOTSPOT_MAX];
        platform_hotspot_id(back, iso3, through);
        if (strcmp(back, s) != 0) {
            __builtin_trap();
        }
    }
    free(s);
    return 0;
}
