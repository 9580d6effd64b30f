/* cmd_journal.c — `gsi journal verify|checkpoint`: prove the record, or publish its head. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/tlog_io.h"
#include "platform/platform.h"

static const char journal_usage[] =
    "Usage: gsi journal verify [--db URL]\n"
    "       gsi journal checkpoint [--db URL]\n"
    "       gsi journal export-tiles DIR [--db URL]\n"
    "       gsi journal verify --tiles URL|DIR (--vkey VKEY | --policy FILE)\n"
    "       gsi journal confirm [--db URL]\n"
    "\n"
    "verify      recomputes every entry's hash and the Merkle tree, checks every stored\n"
    "            tree node that proofs are served from, every signed checkpoint (and the\n"
    "            checkpoint file kept outside the database), and checks\n"
    "            that every record, delegate and party still matches the entry that recorded\n"
    "            it. Each problem is printed with the record it concerns; exit status 1 if any.\n"
    "checkpoint  prints the latest signed checkpoint (a C2SP signed note) and writes it to the\n"
    "            checkpoint file.\n"
    "export-tiles  writes the journal as a C2SP tlog-tiles log (see export-tiles --help).\n"
    "verify --tiles  verifies such a mirror with no database (see verify --tiles --help).\n"
    "confirm     the operator's answer when gsi refuses a database because its checkpoint\n"
    "            file is missing (it may have been rolled back to an old copy): check first\n"
    "            that this database is the latest you have; this writes the checkpoint file\n"
    "            from it and prints the size and checkpoint you confirmed.\n";
static const char journal_epilog[] =
    "Exit status: 0 success, 1 verification failed or runtime failure, 2 usage error.\n";

static void print_problem(void *ctx, const char *msg)
{
    (void)ctx;
    printf("problem: %s\n", msg);
}

/* Verifies the journal (`verify`) or signs and prints its checkpoint (`checkpoint`,
 * `confirm`) on the platform `o` opens. Returns the exit status. */
static int journal_run(const char *sub, const struct platform_opts *o)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct platform *p;
    if (platform_open(&p, o, &err) < 0) {
        if (strcmp(sub, "verify") == 0 && err.code == GSI_EVERIFY) {
            printf("problem: %s\n", err.msg);
        }
        return cli_fail(&err);
    }
    int rc;
    if (strcmp(sub, "verify") == 0) {
        struct platform_verify_report rep;
        rc = platform_journal_verify(p, &rep, print_problem, NULL, &err);
        printf("journal: %llu entries, %llu signed checkpoints, %llu records checked, "
               "%llu problems\n",
               (unsigned long long)rep.entries, (unsigned long long)rep.checkpoints,
               (unsigned long long)rep.records, (unsigned long long)rep.problems);
        if (rc == 0) {
            printf("journal: verified\n");
        }
    } else {
        struct gsi_buf note;
        gsi_buf_init(&note, 1 << 20);
        rc = platform_journal_checkpoint_sign(p, &note, &err);
        if (rc == 0) {
            if (o->checkpoint_missing_ok) {
                fprintf(stderr, "gsi journal: confirmed; the checkpoint file now records the "
                                "checkpoint below, and gsi serves this database again\n");
            }
            fputs(note.data, stdout);
        }
        gsi_buf_release(&note);
    }
    platform_close(p);
    return rc < 0 ? cli_fail(&err) : GSI_EXIT_OK;
}

int cmd_journal(int argc, char **argv)
{
    struct platform_opts o;
    platform_opts_init(&o);
    const struct cli_option opts[] = {
        CLI_OPT_STRING("--db", "URL", &o.db,
                       "./gsi.db (default), a SQLite path, or postgresql://..."),
        CLI_OPT_STRING("--key", "FILE", &o.key_path,
                       "the log's signing key (default <db>.key, ./gsi-log.key)"),
        CLI_OPT_STRING("--checkpoint", "FILE", &o.checkpoint_path,
                       "the checkpoint file (default <db>.checkpoint)"),
        CLI_OPT_END(),
    };
    const struct cli_command cmd = { "journal", journal_usage, journal_epilog, opts };
    if (argc < 2 || cli_is_help(argv[1])) {
        cli_help(&cmd, argc < 2 ? stderr : stdout);
        return argc < 2 ? GSI_EXIT_USAGE : GSI_EXIT_OK;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "export-tiles") == 0) {
        return cmd_journal_export_tiles(argc, argv);
    }
    for (int i = 2; strcmp(sub, "verify") == 0 && i < argc; i++) {
        if (strncmp(argv[i], "--tiles", 7) == 0 || strncmp(argv[i], "--policy", 8) == 0) {
            return cmd_journal_verify_tiles(argc, argv); /* a mirror, no database */
        }
    }
    if (strcmp(sub, "verify") != 0 && strcmp(sub, "checkpoint") != 0 &&
        strcmp(sub, "confirm") != 0) {
        return cli_usage_error(
            "journal", "unknown subcommand '%s' (verify, checkpoint, confirm, export-tiles)", sub);
    }
    o.checkpoint_missing_ok = strcmp(sub, "confirm") == 0;
    int st = cli_parse(&cmd, argc, argv, 2);
    return st >= 0 ? st : journal_run(sub, &o);
}
