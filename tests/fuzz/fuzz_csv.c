/* Fuzz target for the delimited-text scanner, in both quoting modes. The first byte picks the
 * delimiter and mode so the fuzzer explores all of them. */
#include <stdint.h>

#include "core/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    char delim = (data[0] & 1) ? '\t' : ',';
    bool quoting = (data[0] & 2) != 0;
    struct gsi_csv c;
    struct gsi_err err = GSI_ERR_INIT;
    if (gsi_csv_open_mem(&c, (const char *)data + 1, size - 1, delim, quoting, &err) < 0) {
        return 0;
    }
    int rc;
    size_t total = 0;
    while ((rc = gsi_csv_next(&c, &err)) != 0) {
        if (rc > 0) {
            for (size_t i = 0; i < c.nfields; i++) {
                total += c.flen[i];
            }
        }
    }
    gsi_csv_close(&c);
    return total > size ? 1 : 0;
}
