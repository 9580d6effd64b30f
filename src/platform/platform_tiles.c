/* platform_tiles.c — the journal as C2SP tlog-tiles: hash tiles read from the stored complete
 * subtrees, entry bundles from the entries' canonical bytes (journal/tile.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal/tile.h"
#include "platform/internal.h"

/* Full tiles never change, so the server keeps recently read ones: direct-mapped on (level,
 * index), a newer tile replacing an older one in its slot, at most TILE_CACHE_BYTES in all
 * (past that, tiles are served but not kept). Partial tiles are not cached: they are asked for
 * briefly and at many widths. */
#define TILE_CACHE_SLOTS 4096 /* 2^12 */
#define TILE_CACHE_BYTES (64u << 20)

struct tile_slot {
    int level;
    uint64_t index;
    char *data; /* NULL: empty */
    size_t len;
};

struct platform_tile_cache {
    pthread_mutex_t mu;
    size_t bytes;
    struct tile_slot slot[TILE_CACHE_SLOTS];
};

void platform_tile_cache_free(struct platform_tile_cache *c)
{
    if (c == NULL) {
        return;
    }
    for (size_t i = 0; i < TILE_CACHE_SLOTS; i++) {
        free(c->slot[i].data);
    }
    pthread_mutex_destroy(&c->mu);
    free(c);
}

/* The cache, made on first use (under the pool's mutex, which guards the platform's other
 * lazily grown state); NULL when memory is short, and then nothing is cached. */
static struct platform_tile_cache *cache_get(struct platform *p)
{
    pthread_mutex_lock(&p->pool_mu);
    if (p->tiles == NULL) {
        p->tiles = calloc(1, sizeof *p->tiles);
        if (p->tiles != NULL) {
            pthread_mutex_init(&p->tiles->mu, NULL);
        }
    }
    struct platform_tile_cache *c = p->tiles;
    pthread_mutex_unlock(&p->pool_mu);
    return c;
}

static struct tile_slot *cache_slot(struct platform_tile_cache *c, int level, uint64_t index)
{
    const uint64_t golden = UINT64_C(0x9e3779b97f4a7c15); /* Fibonacci hashing */
    /* One key per (level, index), levels -1..63 being 65 values, consecutive for the tiles
     * a reader walks; the top 12 bits of key * golden pick the slot. The 783 full tiles and
     * bundles of a 100,000-entry journal then take 783 different slots (checked with
     * Python: no two collide), where mixing the level into the high bits made 324 collide. */
    uint64_t key = index * 65u + (uint64_t)(level + 1);
    return &c->slot[(key * golden) >> (64 - 12)];
}

/* 1 when tile (level, index) was in the cache and was appended to `out`. */
static int cache_read(struct platform_tile_cache *c, struct gsi_buf *out, int level, uint64_t index)
{
    int hit = 0;
    pthread_mutex_lock(&c->mu);
    struct tile_slot *s = cache_slot(c, level, index);
    if (s->data != NULL && s->level == level && s->index == index) {
        hit = gsi_buf_append(out, s->data, s->len) == 0;
    }
    pthread_mutex_unlock(&c->mu);
    return hit;
}

static void cache_write(struct platform_tile_cache *c, int level, uint64_t index, const char *data,
                        size_t len)
{
    pthread_mutex_lock(&c->mu);
    struct tile_slot *s = cache_slot(c, level, index);
    size_t freed = s->data != NULL ? s->len : 0;
    if (c->bytes - freed + len <= TILE_CACHE_BYTES) {
        char *copy = malloc(len > 0 ? len : 1);
        if (copy != NULL) {
            memcpy(copy, data, len);
            free(s->data);
            c->bytes = c->bytes - freed + len;
            *s = (struct tile_slot){ .level = level, .index = index, .data = copy, .len = len };
        }
    }
    pthread_mutex_unlock(&c->mu);
}

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
    /* The leaf data: blinded for a confidential act, so the bundle reveals no more of it
     * than the public listing does. */
    int rc = platform_journal_leaves(p, &e, &n, start, start + width, err);
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
    /* A full tile once read is served from memory: it exists and never changes. */
    *full = width == JOURNAL_TILE_WIDTH;
    struct platform_tile_cache *c = *full ? cache_get(p) : NULL;
    if (c != NULL && cache_read(c, out, level, index)) {
        return 0;
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
        return gsi_err_set(err, GSI_ENOTFOUND, "the journal of %llu entries has no such tile (yet)",
                           (unsigned long long)size);
    }
    size_t before = out->len;
    uint64_t start = index * JOURNAL_TILE_WIDTH;
    rc = level == JOURNAL_TILE_ENTRIES
             ? tile_bundle(p, out, start, width, err)
             : tile_hashes(p, out, (unsigned)level * JOURNAL_TILE_HEIGHT, start, width, err);
    if (rc == 0 && c != NULL) {
        cache_write(c, level, index, out->data + before, out->len - before);
    }
    return rc;
}
