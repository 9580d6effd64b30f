/* tile.c — C2SP tlog-tiles paths, widths and entry bundles, and the verification of a whole
 * tiled log against a checkpoint (see tile.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal/tile.h"

int journal_tile_path_format(char *out, size_t cap, int level, uint64_t index, unsigned width,
                             struct gsi_err *err)
{
    if (level < JOURNAL_TILE_ENTRIES || level > JOURNAL_TILE_LEVEL_MAX ||
        width > JOURNAL_TILE_WIDTH) {
        return gsi_err_set(err, GSI_EUSAGE, "no tile at level %d of width %u", level, width);
    }
    /* The 3-digit groups of index, most significant first. */
    unsigned groups[8];
    size_t ng = 0;
    uint64_t n = index;
    do {
        groups[ng++] = (unsigned)(n % 1000);
        n /= 1000;
    } while (n > 0);
    int w;
    if (level == JOURNAL_TILE_ENTRIES) {
        w = snprintf(out, cap, "tile/entries/");
    } else {
        w = snprintf(out, cap, "tile/%d/", level);
    }
    size_t used = w > 0 ? (size_t)w : 0;
    for (size_t i = ng; i-- > 0 && used < cap;) {
        w = snprintf(out + used, cap - used, i > 0 ? "x%03u/" : "%03u", groups[i]);
        used += w > 0 ? (size_t)w : 0;
    }
    if (width > 0 && width < JOURNAL_TILE_WIDTH && used < cap) {
        w = snprintf(out + used, cap - used, ".p/%u", width);
        used += w > 0 ? (size_t)w : 0;
    }
    if (used >= cap) {
        return gsi_err_set(err, GSI_ELIMIT, "tile path longer than %zu bytes", cap);
    }
    return 0;
}

/* A decimal in [lo, hi] with no leading zero, exactly s[0..len). */
static int parse_small(unsigned *out, const char *s, size_t len, unsigned lo, unsigned hi)
{
    if (len == 0 || len > 3 || (len > 1 && s[0] == '0')) {
        return -1;
    }
    unsigned v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    if (v < lo || v > hi) {
        return -1;
    }
    *out = v;
    return 0;
}

/* Parses the N groups of a tile path (up to ".p/" or the end) into *index; *used gets the
 * bytes consumed. */
static int parse_index(uint64_t *index, size_t *used, const char *s, size_t len)
{
    uint64_t n = 0;
    size_t pos = 0;
    for (;;) {
        int x = pos < len && s[pos] == 'x';
        size_t d = pos + (size_t)x;
        if (d + 3 > len) {
            return -1;
        }
        unsigned g = 0;
        for (size_t i = d; i < d + 3; i++) {
            if (s[i] < '0' || s[i] > '9') {
                return -1;
            }
            g = g * 10 + (unsigned)(s[i] - '0');
        }
        if (n > (UINT64_MAX - g) / 1000 || (x && pos == 0 && g == 0)) {
            return -1; /* too large, or a leading "x000/": one index, one name */
        }
        n = n * 1000 + g;
        pos = d + 3;
        if (!x) {
            break; /* the last group */
        }
        if (pos >= len || s[pos] != '/') {
            return -1;
        }
        pos++;
    }
    *index = n;
    *used = pos;
    return 0;
}

int journal_tile_path_parse(struct journal_tile *t, const char *path, size_t len,
                            struct gsi_err *err)
{
    memset(t, 0, sizeof *t);
    if (len > JOURNAL_TILE_PATH_MAX || len < 5 || memcmp(path, "tile/", 5) != 0) {
        return gsi_err_set(err, GSI_EDATA, "not a tile path (tile/<L>/<N>[.p/<W>])");
    }
    const char *s = path + 5;
    size_t rest = len - 5;
    const char *slash = memchr(s, '/', rest);
    if (slash == NULL) {
        return gsi_err_set(err, GSI_EDATA, "tile path has no index");
    }
    size_t llen = (size_t)(slash - s);
    unsigned level = 0;
    if (llen == 7 && memcmp(s, "entries", 7) == 0) {
        t->level = JOURNAL_TILE_ENTRIES;
    } else if (parse_small(&level, s, llen, 0, JOURNAL_TILE_LEVEL_MAX) == 0) {
        t->level = (int)level;
    } else {
        return gsi_err_set(err, GSI_EDATA, "tile level must be 0..63 or 'entries'");
    }
    s = slash + 1;
    rest -= llen + 1;
    size_t used = 0;
    if (parse_index(&t->index, &used, s, rest) < 0) {
        return gsi_err_set(err, GSI_EDATA,
                           "tile index must be 3-digit groups, all but the last prefixed 'x'");
    }
    s += used;
    rest -= used;
    t->width = JOURNAL_TILE_WIDTH;
    if (rest == 0) {
        return 0;
    }
    if (rest < 4 || memcmp(s, ".p/", 3) != 0 ||
        parse_small(&t->width, s + 3, rest - 3, 1, JOURNAL_TILE_WIDTH - 1) < 0) {
        t->width = 0;
        return gsi_err_set(err, GSI_EDATA, "a partial tile ends in .p/<W>, W from 1 to 255");
    }
    return 0;
}

uint64_t journal_tile_level_hashes(uint64_t size, int level)
{
    if (level < 0) {
        level = 0;
    }
    unsigned shift = (unsigned)level * JOURNAL_TILE_HEIGHT;
    return shift >= 64 ? 0 : size >> shift;
}

unsigned journal_tile_width_at(uint64_t size, int level, uint64_t index)
{
    uint64_t hashes = journal_tile_level_hashes(size, level);
    uint64_t first = index > UINT64_MAX / JOURNAL_TILE_WIDTH ? UINT64_MAX
                                                             : index * JOURNAL_TILE_WIDTH;
    if (first >= hashes) {
        return 0;
    }
    uint64_t w = hashes - first;
    return w >= JOURNAL_TILE_WIDTH ? JOURNAL_TILE_WIDTH : (unsigned)w;
}

int journal_bundle_append(struct gsi_buf *bundle, const void *entry, size_t len,
                          struct gsi_err *err)
{
    if (len > 0xffff) {
        return gsi_err_set(err, GSI_ELIMIT, "an entry of %zu bytes does not fit a bundle", len);
    }
    uint8_t be[2] = { (uint8_t)(len >> 8), (uint8_t)len };
    if (gsi_buf_append(bundle, be, 2) < 0 || gsi_buf_append(bundle, entry, len) < 0) {
        return gsi_err_set(err, GSI_ELIMIT, "entry bundle over its cap");
    }
    return 0;
}

int journal_bundle_next(const uint8_t **entry, size_t *len, const uint8_t *bundle,
                        size_t bundle_len, size_t *pos, struct gsi_err *err)
{
    if (*pos >= bundle_len) {
        return 0;
    }
    if (bundle_len - *pos < 2) {
        return gsi_err_set(err, GSI_EDATA, "entry bundle: a length cut short at byte %zu", *pos);
    }
    size_t n = ((size_t)bundle[*pos] << 8) | bundle[*pos + 1];
    if (bundle_len - *pos - 2 < n) {
        return gsi_err_set(err, GSI_EDATA,
                           "entry bundle: entry at byte %zu claims %zu bytes, past the end", *pos,
                           n);
    }
    *entry = bundle + *pos + 2;
    *len = n;
    *pos += 2 + n;
    return 1;
}
