/* platform_tiles.c — the journal as C2SP tlog-tiles: hash tiles read from the stored complete
 * subtrees, entry bundles from the entries' canonical bytes (journal/tile.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal/tile.h"
#include "platform/platform_internal.h"

/* Hashes of the stored nodes at Merkle `level`, indices [start, start + width), in order. */
static int tile_hashes(struct platform *p, struct gsi_buf *out, unsigned level, uint64_t start,
                       unsigned width, struct gsi_err *err)
{
    struct store_val v[] = { STORE_INT((int64_t)level), STORE_INT((int64_t)start),
                             STORE_INT((int64_t)(start + width)) };
    struct store_rows *r;
    int rc = platform_query(p, &r,
                            "SELECT idx, hash FROM journal_nodes WHERE level = ? AND idx >= ?"
                            " AND idx < ? ORDER BY idx",
                            v, 3, err);
    if (rc < 0) {
        return rc;
    }
    size_t n = store_rows_count(r);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        uint8_t h[PLATFORM_HASH_SIZE];
        if ((uint64_t)store_rows_int(r, i, 0) != start + i) {
            rc = gsi_err_set(err, GSI_EVERIFY, "journal node (%u, %llu) is missing", level,
                             (unsigned long long)start + i);
        } else if ((rc = platform_unhex(h, store_rows_text(r, i, 1), store_rows_len(r, i, 1),
                                        err)) == 0 &&
                   gsi_buf_append(out, h, sizeof h) < 0) {
            rc = gsi_err_set(err, GSI_ELIMIT, "tile over its cap");
        }
    }
    if (rc == 0 && n != width) {
        rc = gsi_err_set(err, GSI_EVERIFY, "journal nodes at level %u from %llu: %zu of %u", level,
                         (unsigned long long)start, n, width);
    }
    store_rows_free(r);
    return rc;
}

/* The bundle of entries [start, start + width). */
static int tile_bundle(struct platform *p, struct gsi_buf *out, uint64_t start, unsigned width,
                       struct gsi_err *err)
{
    struct platform_entry *e = NULL;
    size_t n = 0;
    int rc = platform_journal_entries(p, &e, &n, start, start + width, err);
    struct gsi_buf one;
    gsi_buf_init(&one, JOURNAL_ENTRY_MAX_BYTES + 1);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        gsi_buf_reset(&one);
        rc = platform_entry_canonical(&one, &e[i], err);
        if (rc == 0) {
            rc = journal_bundle_append(out, one.data, one.len, err);
        }
    }
    gsi_buf_release(&one);
    free(e);
    return rc;
}

int platform_journal_tile(struct platform *p, struct gsi_buf *out, int level, uint64_t index,
                          unsigned width, bool *full, struct gsi_err *err)
{
    if (width == 0 || width > JOURNAL_TILE_WIDTH || level < JOURNAL_TILE_ENTRIES ||
        level > JOURNAL_TILE_LEVEL_MAX) {
        return gsi_err_set(err, GSI_EUSAGE, "no tile at level %d of width %u", level, width);
    }
    uint64_t size = 0;
    int rc = platform_journal_size(p, &size, err);
    if (rc < 0) {
        return rc;
    }
    /* A partial tile of width W is the first W hashes of the tile, whatever the tree has
     * grown to since: they are complete subtrees and never change. */
    unsigned have = journal_tile_width_at(size, level, index);
    if (have < width) {
        return gsi_err_set(err, GSI_ENOTFOUND,
                           "the journal of %llu entries has no such tile (yet)",
                           (unsigned long long)size);
    }
    *full = width == JOURNAL_TILE_WIDTH;
    uint64_t start = index * JOURNAL_TILE_WIDTH;
    if (level == JOURNAL_TILE_ENTRIES) {
        return tile_bundle(p, out, start, width, err);
    }
    return tile_hashes(p, out, (unsigned)level * JOURNAL_TILE_HEIGHT, start, width, err);
}
