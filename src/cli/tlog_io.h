/*
 * tlog_io.h — reading and writing a tiled log (journal/tile.h) in a directory or over http,
 * for `gsi journal export-tiles` and `gsi journal verify --tiles`.
 */
#ifndef GSI_CLI_TLOG_IO_H
#define GSI_CLI_TLOG_IO_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"

/* Where a tiled log is read from: "http://HOST:PORT/PREFIX" or a directory. */
struct tlog_source {
    const char *base; /* without a trailing '/' issue: both "…/log" and "…/log/" work */
    bool is_url;
};

void tlog_source_init(struct tlog_source *s, const char *base);

/* A journal_tile_fetch_fn: reads `path` under the source into `out` (within out->max).
 * GSI_ENOTFOUND for a missing file or a 404. */
int tlog_source_fetch(void *ctx, const char *path, struct gsi_buf *out, struct gsi_err *err);

/* Writes `data` to DIR/PATH through a temporary file and rename, making the directories on
 * the way, so that a web server serving DIR never shows half a file. */
int tlog_file_write(const char *dir, const char *path, const void *data, size_t len,
                    struct gsi_err *err);

/* Reads a whole small file (at most `max` bytes) into `out`, NUL-terminated. */
int tlog_file_read(struct gsi_buf *out, const char *file, struct gsi_err *err);

struct journal_note_verifier;

/* The log's verifier key: from `vkey` (a key string, or a file holding one) when not NULL,
 * else from the policy file's `log` line. */
int tlog_policy_log_key(struct journal_note_verifier *v, const char *vkey, const char *policy,
                        struct gsi_err *err);

/* Reads policy file `policy` and requires its quorum of cosignatures on the signed note. */
int tlog_policy_check(size_t *valid, const char *policy, const char *note, size_t len,
                      struct gsi_err *err);

/* `gsi journal export-tiles` and `gsi journal verify --tiles` (cmd_journal_tiles.c). */
int cmd_journal_export_tiles(int argc, char **argv);
int cmd_journal_verify_tiles(int argc, char **argv);

#endif
