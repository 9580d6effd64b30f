/* cmd_init.c — `gsi init`: create or upgrade a database, make the log key, seed the parties. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "platform/platform.h"

static const char init_usage[] =
    "Usage: gsi init [--db URL] [--origin NAME] [--key FILE] [--checkpoint FILE]\n"
    "\n"
    "Creates the database (or brings an existing one to this program's schema), makes the\n"
    "journal's Ed25519 signing key, and seeds the parties: the 193 UN member states and the 2\n"
    "observer states, the UN and its main organs, and the regional organisations with their\n"
    "members (AU, ASEAN, LAS, SCO, BRICS, CICA, CELAC, GCC, IGAD, ECOWAS, PIF, EU, OSCE,\n"
    "China-Central Asia). Every party is an entry in the signed journal. Running it again\n"
    "is safe: it only applies what is missing.\n"
    "";

static const char init_epilog[] = "Exit status: 0 success, 1 runtime failure, 2 usage error.\n";

/* Returns -1 to go on, or an exit status. */
static int parse(struct platform_opts *o, int argc, char **argv)
{
    const struct cli_option opts[] = {
        CLI_OPT_STRING("--db", "URL", &o->db,
                       "./gsi.db (default), a SQLite path, or postgresql://user@host/db"),
        CLI_OPT_STRING("--origin", "NAME", &o->origin,
                       "the log's name in its checkpoints (default gsi.local/log)"),
        CLI_OPT_STRING("--key", "FILE", &o->key_path,
                       "the log's signing key (default: <db>.key beside a SQLite file,\n"
                       "./gsi-log.key for PostgreSQL); created with mode 0600"),
        CLI_OPT_STRING("--checkpoint", "FILE", &o->checkpoint_path,
                       "where the last signed checkpoint is kept outside the database\n"
                       "(default <db>.checkpoint, or ./gsi-log.checkpoint)"),
        CLI_OPT_END(),
    };
    const struct cli_command cmd = { "init", init_usage, init_epilog, opts };
    return cli_parse(&cmd, argc, argv, 1);
}

int cmd_init(int argc, char **argv)
{
    struct platform_opts o;
    platform_opts_init(&o);
    int st = parse(&o, argc, argv);
    if (st >= 0) {
        return st;
    }
    struct gsi_err err = GSI_ERR_INIT;
    bool created = false;
    if (platform_init(&o, &created, &err) < 0) {
        return cli_fail(&err);
    }
    struct platform *p;
    if (platform_open(&p, &o, &err) < 0) {
        return cli_fail(&err);
    }
    struct platform_party *parties = NULL;
    size_t n = 0;
    uint64_t size = 0;
    int rc = platform_party_list(p, &parties, &n, NULL, &err);
    if (rc == 0) {
        rc = platform_journal_size(p, &size, &err);
    }
    if (rc == 0) {
        printf("gsi init: %s database %s (%s): %zu parties, journal of %llu entries\n",
               created ? "created" : "upgraded", o.db ? o.db : "./gsi.db", platform_backend(p), n,
               (unsigned long long)size);
    }
    free(parties);
    platform_close(p);
    return rc < 0 ? cli_fail(&err) : GSI_EXIT_OK;
}
