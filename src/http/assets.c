/* assets.c — finding an embedded dashboard file (see assets.h). */
#include "http/assets.h"

#include <string.h>

const struct http_asset *http_asset_find(const char *path)
{
    if (path == NULL) {
        return NULL;
    }
    if (strcmp(path, "/") == 0) {
        path = "/index.html";
    }
    for (size_t i = 0; i < http_assets_len; i++) {
        if (strcmp(http_assets[i].path, path) == 0) {
            return &http_assets[i];
        }
    }
    return NULL;
}
