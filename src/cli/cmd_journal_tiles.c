/* cmd_journal_tiles.c — `gsi journal export-tiles DIR` and `gsi journal verify --tiles
 * URL|DIR`: the journal as a C2SP tlog-tiles mirror, written and checked without a database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/tlog_io.h"
#include "journal/journal.h"
#include "platform/platform.h"

static const char export_usage[] =
    "Usage: gsi journal export-tiles DIR [--db URL] [--full]\n"
    "\n"
    "Writes the journal as a C2SP tlog-tiles log under DIR: DIR/checkpoint (the checkpoint the\n"
    "server publishes, with its witnesses' cosignatures if any), DIR/tile/<L>/<N> (hashes, 256 to a tile) and DIR/tile/entries/<N> (each\n"
    "entry's canonical bytes), the partial tiles of the checkpoint's size, written last the\n"
    "checkpoint. Any static web server or object store serving DIR is then a mirror that\n"
    "`gsi journal verify --tiles` and any tlog-tiles client can check. Full tiles never change:\n"
    "those already in DIR are kept (--full rewrites them).\n"
    "";

static int export_level(struct platform *p, const char *dir, int level, uint64_t size, bool full,
                        uint64_t *written, struct gsi_err *err)
{
    uint64_t hashes = journal_tile_level_hashes(size, level);
    uint64_t ntiles = (hashes + JOURNAL_TILE_WIDTH - 1) / JOURNAL_TILE_WIDTH;
    struct gsi_buf tile;
    gsi_buf_init(&tile, JOURNAL_BUNDLE_MAX_BYTES);
    int rc = 0;
    for (uint64_t n = 0; rc == 0 && n < ntiles; n++) {
        unsigned width = journal_tile_width_at(size, level, n);
        char path[JOURNAL_TILE_PATH_MAX];
        char file[4200];
        rc = journal_tile_path_format(path, sizeof path, level, n, width, err);
        snprintf(file, sizeof file, "%s/%s", dir, path);
        struct stat st;
        if (rc < 0 || (!full && width == JOURNAL_TILE_WIDTH && stat(file, &st) == 0)) {
            continue; /* a full tile already there is the same bytes */
        }
        bool is_full = false;
        gsi_buf_reset(&tile);
        rc = platform_journal_tile(p, &tile, level, n, width, &is_full, err);
        if (rc == 0) {
            rc = tlog_file_write(dir, path, tile.data, tile.len, err);
            (*written)++;
        }
    }
    gsi_buf_release(&tile);
    return rc;
}

int cmd_journal_export_tiles(int argc, char **argv)
{
    struct platform_opts o;
    platform_opts_init(&o);
    bool full = false;
    struct cli_words words = { 0 };
    const struct cli_option opts[] = {
        CLI_OPT_DB(&o.db),
        CLI_OPT_FLAG("--full", &full, "rewrite every tile, not only the new ones"),
        CLI_OPT_WORDS(&words),
        CLI_OPT_END(),
    };
    const struct cli_command cmd = { "journal", export_usage, NULL, opts };
    const char *dir;
    int st = cli_parse_word(&dir, &cmd, argc, argv, 2, NULL);
    if (st >= 0) {
        return st;
    }
    if (dir == NULL) {
        return cli_usage_error("journal", "export-tiles needs a directory (export-tiles DIR)");
    }
    struct gsi_err err = GSI_ERR_INIT;
    struct platform *p;
    if (platform_open(&p, &o, &err) < 0) {
        return cli_fail(&err);
    }
    struct gsi_buf note;
    gsi_buf_init(&note, JOURNAL_NOTE_MAX_BYTES);
    struct journal_checkpoint cp;
    memset(&cp, 0, sizeof cp);
    uint64_t written = 0;
    /* The tiles of the checkpoint's size, then the checkpoint: a reader of DIR never sees a
     * checkpoint whose tiles are not there yet. */
    /* The checkpoint the server publishes: with its witnesses' cosignatures when it has
     * submitted one, so that a mirror satisfies the same policies. */
    int rc = platform_journal_cosigned(p, &note, &err);
    if (rc == GSI_ENOTFOUND) {
        gsi_err_clear(&err);
        rc = platform_journal_checkpoint(p, &note, &err);
    }
    if (rc == 0) {
        size_t body = note.len;
        const char *sep = strstr(note.data, "\n\n");
        body = sep != NULL ? (size_t)(sep - note.data) + 1 : body;
        rc = journal_checkpoint_parse(&cp, note.data, body, &err);
    }
    for (int level = JOURNAL_TILE_ENTRIES; rc == 0 && level <= JOURNAL_TILE_LEVEL_MAX; level++) {
        if (level > 0 && journal_tile_level_hashes(cp.size, level) == 0) {
            break;
        }
        rc = export_level(p, dir, level, cp.size, full, &written, &err);
    }
    if (rc == 0) {
        rc = tlog_file_write(dir, "checkpoint", note.data, note.len, &err);
    }
    if (rc == 0) {
        printf("export-tiles: %s: tree size %llu, %llu files written\n", dir,
               (unsigned long long)cp.size, (unsigned long long)written);
    }
    journal_checkpoint_release(&cp);
    gsi_buf_release(&note);
    platform_close(p);
    return rc < 0 ? cli_fail(&err) : GSI_EXIT_OK;
}

static const char verify_usage[] =
    "Usage: gsi journal verify --tiles URL|DIR (--vkey VKEY | --policy FILE) [--format F]\n"
    "\n"
    "Verifies a tlog-tiles mirror of a journal with no database: opens URL/checkpoint (or\n"
    "DIR/checkpoint) with the log's verifier key, fetches every entry bundle and every hash\n"
    "tile, checks that each entry is a canonical journal entry, recomputes the Merkle tree and\n"
    "requires every tile hash and the root to match. With --policy, the checkpoint must also\n"
    "carry cosignatures from a quorum of the policy's witnesses.\n"
    "";

static const char verify_epilog[] =
    "Exit status: 0 verified, 1 a check failed or the mirror cannot be read, 2 usage error,\n"
    "65 malformed data.\n";

/* A journal_tile_entry_fn: every entry must be GSI leaf data, canonical version-1 bytes or
 * a confidential act's blinded 37 bytes. */
static int check_entry(void *ctx, uint64_t index, const uint8_t *e, size_t len,
                       struct gsi_err *err)
{
    (void)ctx;
    if (journal_entry_check(e, len, err) < 0) {
        return gsi_err_set(err, GSI_EDATA, "entry %llu: not a canonical journal entry: %s",
                           (unsigned long long)index, err->msg);
    }
    return 0;
}

struct verify_args {
    const char *tiles;
    const char *vkey;
    const char *policy;
    enum gsi_format format;
};

/* Returns -1 to go on, or the exit status. */
static int verify_args_parse(struct verify_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    a->format = GSI_FORMAT_TABLE;
    const struct cli_option opts[] = {
        CLI_OPT_STRING("--tiles", "URL|DIR", &a->tiles,
                       "http://HOST:PORT/PREFIX (the server's is http://HOST:PORT/log) or a\n"
                       "directory written by export-tiles"),
        CLI_OPT_STRING("--vkey", "VKEY", &a->vkey,
                       "the log's verifier key (GET /v1/journal/key), or a file holding it"),
        CLI_OPT_STRING("--policy", "FILE", &a->policy,
                       "witness policy (docs/internals/journal.md): the log, the witnesses'\n"
                       "keys and the quorum"),
        CLI_OPT_FORMAT(&a->format, "table (default), csv or json"),
        CLI_OPT_END(),
    };
    const struct cli_command cmd = { "journal", verify_usage, verify_epilog, opts };
    int st = cli_parse(&cmd, argc, argv, 2);
    if (st >= 0) {
        return st;
    }
    if (a->tiles == NULL) {
        return cli_usage_error("journal",
                               "--policy checks the checkpoint a server or mirror publishes:"
                               " give it with --tiles URL|DIR (a server's is "
                               "http://HOST:PORT/log)");
    }
    if (a->vkey == NULL && a->policy == NULL) {
        return cli_usage_error("journal",
                               "verify --tiles needs the log's key: --vkey VKEY or --policy FILE");
    }
    return -1;
}

static void verify_print(const struct verify_args *a, const struct journal_checkpoint *cp,
                         const struct journal_tiles_report *rep, size_t cosigs)
{
    if (a->format != GSI_FORMAT_TABLE) {
        /* One row, through the table writer (quoting and escaping as CSV and JSON want). */
        static const struct gsi_table_col cols[] = { { "origin", -1 },     { "size", 0 },
                                                     { "entries", 0 },     { "tiles", 0 },
                                                     { "bytes", 0 },       { "cosignatures", 0 },
                                                     { "verified", -1 } };
        struct gsi_table *t = gsi_table_new(cols, sizeof cols / sizeof cols[0]);
        if (t != NULL) {
            gsi_table_text(t, cp->origin);
            gsi_table_num(t, (double)cp->size);
            gsi_table_num(t, (double)rep->entries);
            gsi_table_num(t, (double)rep->tiles);
            gsi_table_num(t, (double)rep->bytes);
            gsi_table_num(t, (double)cosigs);
            gsi_table_text(t, "true");
            gsi_table_write(t, stdout, a->format);
            gsi_table_free(t);
        }
        return;
    }
    printf("tiles: %s: checkpoint of %s, size %llu\n", a->tiles, cp->origin,
           (unsigned long long)cp->size);
    printf("tiles: %llu entries, %llu hash tiles, %llu bytes read\n",
           (unsigned long long)rep->entries, (unsigned long long)rep->tiles,
           (unsigned long long)rep->bytes);
    if (a->policy != NULL) {
        printf("tiles: %zu witness cosignatures verified (policy %s)\n", cosigs, a->policy);
    }
    printf("tiles: verified\n");
}

int cmd_journal_verify_tiles(int argc, char **argv)
{
    struct verify_args a;
    int st = verify_args_parse(&a, argc, argv);
    if (st >= 0) {
        return st;
    }
    struct gsi_err err = GSI_ERR_INIT;
    struct journal_note_verifier logv;
    struct tlog_source src;
    tlog_source_init(&src, a.tiles);
    struct gsi_buf note;
    gsi_buf_init(&note, JOURNAL_NOTE_MAX_BYTES);
    struct journal_checkpoint cp;
    memset(&cp, 0, sizeof cp);
    size_t cosigs = 0;
    int rc = tlog_policy_log_key(&logv, a.vkey, a.policy, &err);
    if (rc == 0) {
        rc = tlog_source_fetch(&src, "checkpoint", &note, &err);
    }
    if (rc == 0) {
        rc = journal_checkpoint_open(&cp, NULL, note.data, note.len, logv.name, &logv, 1, &err);
    }
    if (rc == 0 && a.policy != NULL) {
        rc = tlog_policy_check(&cosigs, a.policy, note.data, note.len, &err);
    }
    struct journal_tiles_report rep;
    memset(&rep, 0, sizeof rep);
    if (rc == 0) {
        rc = journal_tiles_verify(&rep, cp.size, cp.root, tlog_source_fetch, &src, check_entry,
                                  NULL, &err);
    }
    if (rc == 0) {
        verify_print(&a, &cp, &rep, cosigs);
    } else {
        printf("problem: %s\n", err.msg);
    }
    journal_checkpoint_release(&cp);
    gsi_buf_release(&note);
    return rc < 0 ? cli_fail(&err) : GSI_EXIT_OK;
}
