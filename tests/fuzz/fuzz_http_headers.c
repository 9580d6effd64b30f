/*
 * Fuzz target for the request headers that choose how a dashboard file is sent:
 * Accept-Encoding (http_asset_accepts_gzip) and If-None-Match (http_asset_etag_matches). The
 * input's first line is the header value; the rest, if any, is the ETag to compare with.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/assets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t n = nl != NULL ? (size_t)(nl - data) : size;
    char *value = malloc(n + 1);
    char *etag = malloc(size - n + 1);
    if (value == NULL || etag == NULL) {
        free(value);
        free(etag);
        return 0;
    }
    memcpy(value, data, n);
    value[n] = '\0';
    size_t m = nl != NULL ? size - n - 1 : 0;
    memcpy(etag, data + size - m, m);
    etag[m] = '\0';
    (void)http_asset_accepts_gzip(value);
    (void)http_asset_etag_matches(value, m > 0 ? etag : "\"0123456789abcdef\"");
    free(value);
    free(etag);
    return 0;
}
