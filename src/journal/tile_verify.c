/* tile_verify.c — recomputing a whole tiled log from its entry bundles and checking every
 * hash tile and the root against a checkpoint (journal_tiles_verify in tile.h).
 *
 * The entries are appended to a compact range; every complete subtree the range reports at a
 * Merkle level that is a multiple of 8 is a tile hash (level 8L, index i is hash i % 256 of
 * tile (L, i / 256)), so each one is compared with the tile as it completes. Every hash of
 * every tile of the tree is such a subtree, so every tile is fetched and every byte of it
 * compared; only the tile in progress at each level is held. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal/tile.h"

#define LEVELS (JOURNAL_TILE_LEVEL_MAX + 1)

struct verify {
    uint64_t size;
    journal_tile_fetch_fn fetch;
    void *fetch_ctx;
    struct journal_tiles_report *rep;
    struct gsi_buf tiles[8]; /* the tile in progress at levels 0..7 (8 covers 2^64 leaves) */
    uint64_t tile_index[8];
    int loaded[8];
};

static int fetch_exact(struct verify *v, struct gsi_buf *out, int level, uint64_t index,
                       unsigned width, size_t unit, struct gsi_err *err)
{
    char path[JOURNAL_TILE_PATH_MAX];
    int rc = journal_tile_path_format(path, sizeof path, level, index, width, err);
    if (rc < 0) {
        return rc;
    }
    gsi_buf_reset(out);
    rc = v->fetch(v->fetch_ctx, path, out, err);
    if (rc == GSI_ENOTFOUND) {
        return gsi_err_set(err, GSI_EVERIFY, "%s: missing (the checkpoint's tree of %llu needs it)",
                           path, (unsigned long long)v->size);
    }
    if (rc < 0) {
        return rc;
    }
    v->rep->bytes += out->len;
    if (unit > 0 && out->len != (size_t)width * unit) {
        return gsi_err_set(err, GSI_EDATA, "%s: %zu bytes, expected %zu", path, out->len,
                           (size_t)width * unit);
    }
    return 0;
}

static int on_node(void *ctx, unsigned level, uint64_t index, const uint8_t hash[JOURNAL_HASH_SIZE],
                   struct gsi_err *err)
{
    struct verify *v = ctx;
    if (level % JOURNAL_TILE_HEIGHT != 0) {
        return 0;
    }
    unsigned tl = level / JOURNAL_TILE_HEIGHT;
    uint64_t tn = index / JOURNAL_TILE_WIDTH;
    size_t pos = (size_t)(index % JOURNAL_TILE_WIDTH);
    if (tl >= 8) {
        return gsi_err_set(err, GSI_ELIMIT, "tree too tall");
    }
    if (!v->loaded[tl] || v->tile_index[tl] != tn) {
        unsigned width = journal_tile_width_at(v->size, (int)tl, tn);
        int rc = fetch_exact(v, &v->tiles[tl], (int)tl, tn, width, JOURNAL_HASH_SIZE, err);
        if (rc < 0) {
            return rc;
        }
        v->loaded[tl] = 1;
        v->tile_index[tl] = tn;
        v->rep->tiles++;
    }
    if (memcmp(v->tiles[tl].data + pos * JOURNAL_HASH_SIZE, hash, JOURNAL_HASH_SIZE) != 0) {
        char path[JOURNAL_TILE_PATH_MAX];
        journal_tile_path_format(path, sizeof path, (int)tl, tn,
                                 journal_tile_width_at(v->size, (int)tl, tn), err);
        return gsi_err_set(err, GSI_EVERIFY,
                           "%s: hash %zu is not the hash of the entries it covers", path, pos);
    }
    return 0;
}

/* Hashes the entries of bundle `n` into the range, which checks the tiles as it goes. */
static int verify_bundle(struct verify *v, struct journal_merkle_range *range,
                         struct gsi_buf *bundle, uint64_t n, journal_tile_entry_fn check,
                         void *check_ctx, struct gsi_err *err)
{
    unsigned width = journal_tile_width_at(v->size, 0, n);
    int rc = fetch_exact(v, bundle, JOURNAL_TILE_ENTRIES, n, width, 0, err);
    size_t pos = 0;
    unsigned count = 0;
    while (rc == 0) {
        const uint8_t *e = NULL;
        size_t len = 0;
        rc = journal_bundle_next(&e, &len, (const uint8_t *)bundle->data, bundle->len, &pos, err);
        if (rc <= 0) {
            break;
        }
        if (count == width) {
            char path[JOURNAL_TILE_PATH_MAX];
            journal_tile_path_format(path, sizeof path, JOURNAL_TILE_ENTRIES, n, width, err);
            return gsi_err_set(err, GSI_EDATA, "%s: more than %u entries", path, width);
        }
        uint64_t index = n * JOURNAL_TILE_WIDTH + count++;
        if (check != NULL && (rc = check(check_ctx, index, e, len, err)) < 0) {
            return rc;
        }
        uint8_t leaf[JOURNAL_HASH_SIZE];
        journal_merkle_leaf_hash(leaf, e, len);
        rc = journal_merkle_range_append(range, leaf, on_node, v, err);
        v->rep->entries++;
    }
    if (rc == 0 && count != width) {
        char path[JOURNAL_TILE_PATH_MAX];
        journal_tile_path_format(path, sizeof path, JOURNAL_TILE_ENTRIES, n, width, err);
        rc = gsi_err_set(err, GSI_EDATA, "%s: %u entries, expected %u", path, count, width);
    }
    return rc;
}

int journal_tiles_verify(struct journal_tiles_report *rep, uint64_t size,
                         const uint8_t root[JOURNAL_HASH_SIZE], journal_tile_fetch_fn fetch,
                         void *fetch_ctx, journal_tile_entry_fn check_entry, void *entry_ctx,
                         struct gsi_err *err)
{
    memset(rep, 0, sizeof *rep);
    rep->size = size;
    if (size > JOURNAL_MERKLE_SIZE_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "tree size %llu is too large",
                           (unsigned long long)size);
    }
    struct verify v = { .size = size, .fetch = fetch, .fetch_ctx = fetch_ctx, .rep = rep };
    for (size_t i = 0; i < 8; i++) {
        gsi_buf_init(&v.tiles[i], JOURNAL_TILE_BYTES);
    }
    struct gsi_buf bundle;
    gsi_buf_init(&bundle, JOURNAL_BUNDLE_MAX_BYTES);
    struct journal_merkle_range *range = malloc(sizeof *range);
    int rc = range == NULL ? gsi_err_set(err, GSI_ENOMEM, "out of memory") : 0;
    if (rc == 0) {
        journal_merkle_range_init(range);
    }
    uint64_t bundles = (size + JOURNAL_TILE_WIDTH - 1) / JOURNAL_TILE_WIDTH;
    for (uint64_t n = 0; rc == 0 && n < bundles; n++) {
        rc = verify_bundle(&v, range, &bundle, n, check_entry, entry_ctx, err);
    }
    if (rc == 0) {
        uint8_t got[JOURNAL_HASH_SIZE];
        journal_merkle_range_root(range, got);
        if (memcmp(got, root, JOURNAL_HASH_SIZE) != 0) {
            rc = gsi_err_set(err, GSI_EVERIFY,
                             "the entries' tree of %llu does not have the checkpoint's root",
                             (unsigned long long)size);
        }
    }
    free(range);
    gsi_buf_release(&bundle);
    for (size_t i = 0; i < 8; i++) {
        gsi_buf_release(&v.tiles[i]);
    }
    return rc;
}
