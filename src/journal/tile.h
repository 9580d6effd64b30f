/*
 * tile.h — C2SP tlog-tiles (https://c2sp.org/tlog-tiles): the log as static files.
 *
 * A tile is 1 to 256 consecutive Merkle tree hashes at one tree height. Tiles have height 8:
 * the tile at level L, index N holds, for i in [0, 256), the hash of the complete subtree
 * covering leaves [(N*256 + i) * 256^L, (N*256 + i + 1) * 256^L), that is the stored node at
 * Merkle level 8L and index N*256 + i. A full tile has 256 hashes (8,192 bytes); the
 * rightmost tile of a level is partial, with floor(size / 256^L) mod 256 hashes, and is named
 * with a ".p/<W>" suffix. Entry bundles are the leaf data of one level-0 tile, each entry as a
 * big-endian u16 length and the bytes.
 *
 * Paths (relative to the log's prefix):
 *     checkpoint
 *     tile/<L>/<N>[.p/<W>]            L in 0..63, no leading zeros
 *     tile/entries/<N>[.p/<W>]        W in 1..255, no leading zeros
 * N is written in 3-digit groups, zero-padded, every group but the last prefixed with 'x':
 * 1234067 is "x001/x234/067", 5 is "005".
 *
 *     char path[JOURNAL_TILE_PATH_MAX];
 *     journal_tile_path_format(path, sizeof path, 0, 1234067, 0);   // "tile/0/x001/x234/067"
 *     struct journal_tile t;
 *     if (journal_tile_path_parse(&t, "tile/entries/005.p/3", len, &err) == 0) ...
 */
#ifndef GSI_JOURNAL_TILE_H
#define GSI_JOURNAL_TILE_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "journal/merkle.h"

#define JOURNAL_TILE_HEIGHT    8
#define JOURNAL_TILE_WIDTH     256                                     /* hashes in a full tile */
#define JOURNAL_TILE_BYTES     ((size_t)JOURNAL_TILE_WIDTH * JOURNAL_HASH_SIZE) /* 8,192 */
#define JOURNAL_TILE_LEVEL_MAX 63
#define JOURNAL_TILE_ENTRIES   (-1) /* the "level" of an entry bundle */
/* Longest path: "tile/entries/" + 7 groups of "x000/" + ".p/255" + NUL, with room. */
#define JOURNAL_TILE_PATH_MAX 64
/* Largest entry bundle: 256 entries of at most 65,535 bytes each, with their lengths. */
#define JOURNAL_BUNDLE_MAX_BYTES ((size_t)JOURNAL_TILE_WIDTH * (2u + 65535u))

struct journal_tile {
    int level;      /* 0..63, or JOURNAL_TILE_ENTRIES */
    uint64_t index; /* N */
    unsigned width; /* 1..256; 256 is a full tile (no ".p/" suffix) */
};

/* Writes the path of tile (level, index, width) to `out` (NUL-terminated). width 256 (or 0)
 * is the full tile. GSI_EUSAGE for a level or width out of range. */
int journal_tile_path_format(char *out, size_t cap, int level, uint64_t index, unsigned width,
                             struct gsi_err *err);

/* Parses a path relative to the prefix ("tile/0/x001/234.p/7", "tile/entries/000"). Strict:
 * exactly the grammar above (no leading zeros in L or W, 3 digits per group, 'x' on every
 * group but the last, no empty or extra segment, N at most 2^64 - 1). GSI_EDATA otherwise. */
int journal_tile_path_parse(struct journal_tile *t, const char *path, size_t len,
                            struct gsi_err *err);

/* How many hashes exist at tile level `level` in a tree of `size` leaves:
 * floor(size / 256^level). Tile N of that level has min(256, that - N*256) of them. */
uint64_t journal_tile_level_hashes(uint64_t size, int level);

/* The width tile (level, index) has in a tree of `size` leaves: 256 when full, 1..255 for
 * the partial one, 0 when the tree has no hash in it yet. Entry bundles use level 0. */
unsigned journal_tile_width_at(uint64_t size, int level, uint64_t index);

/* Appends one entry to a bundle being built: u16 length, then the bytes. GSI_ELIMIT for an
 * entry over 65,535 bytes. */
int journal_bundle_append(struct gsi_buf *bundle, const void *entry, size_t len,
                          struct gsi_err *err);

/* Walks a bundle: on each call sets *entry and *len to the next entry and advances *pos.
 * Returns 1 for an entry, 0 at the end, GSI_EDATA when a length runs past the end. */
int journal_bundle_next(const uint8_t **entry, size_t *len, const uint8_t *bundle,
                        size_t bundle_len, size_t *pos, struct gsi_err *err);

/* --- verifying a whole tiled log (a mirror) ---------------------------------------- */

/* Reads the resource at `path` (relative to the log's prefix) into `out`. GSI_ENOTFOUND when
 * it does not exist; any other error stops the verification. */
typedef int (*journal_tile_fetch_fn)(void *ctx, const char *path, struct gsi_buf *out,
                                     struct gsi_err *err);

/* Checks run on each entry of a bundle (e.g. that it is a canonical GSI entry); may be NULL. */
typedef int (*journal_tile_entry_fn)(void *ctx, uint64_t index, const uint8_t *entry, size_t len,
                                     struct gsi_err *err);

struct journal_tiles_report {
    uint64_t size;    /* the checkpoint's tree size */
    uint64_t entries; /* entries read from bundles and hashed */
    uint64_t tiles;   /* hash tiles read and compared */
    uint64_t bytes;   /* bytes fetched */
};

/* Verifies the tiled log of tree size `size` and root `root` (from a checkpoint the caller
 * opened): fetches every entry bundle and every hash tile, hashes each entry, recomputes the
 * tree with the compact range, and requires every tile hash to equal the node it names and the
 * root to equal `root`. Memory is O(one tile); time O(size). GSI_EVERIFY naming the tile and
 * hash that differ; GSI_EDATA for a malformed bundle or a tile of the wrong length. */
int journal_tiles_verify(struct journal_tiles_report *rep, uint64_t size,
                         const uint8_t root[JOURNAL_HASH_SIZE], journal_tile_fetch_fn fetch,
                         void *fetch_ctx, journal_tile_entry_fn check_entry, void *entry_ctx,
                         struct gsi_err *err);

#endif
