/* cmd_consultation.c — `gsi consultation import`: a Polis export (votes.csv, comments.csv) as
 * an open consultation, its statements and votes journalled with the files' hashes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/hex.h"
#include "journal/journal.h"
#include "platform/consult.h"
#include "platform/consult_import.h"
#include "platform/platform.h"

static const char consultation_usage[] =
    "Usage: gsi consultation import --comments FILE --votes FILE [options]\n"
    "\n"
    "Imports a Polis export as an open, active consultation: comments.csv's statements (those\n"
    "moderated out stay out of the computation) and votes.csv's votes, in timestamp order,\n"
    "their voters as public participants. The consensus view is then at\n"
    "GET /v1/consultations/{id}/consensus. The import is journalled with both files' SHA-256.\n"
    "\n"
    "Options:\n"
    "  --comments FILE   Polis comments.csv (comment-id, moderated, comment-body)\n"
    "  --votes FILE      Polis votes.csv (comment-id, voter-id, vote; timestamp if present)\n"
    "  --party ID        the convening party (default UN)\n"
    "  --question TEXT   the question (default: the file name)\n"
    "  --domain KEY      one of the 20 priority domains (default conflict-prevention)\n"
    "  --means MEANS     UN Charter Art. 33 means (default negotiation)\n"
    "  --db URL          ./gsi.db (default), a SQLite path, or postgresql://...\n"
    "  --format FMT      text (default) or json\n"
    "  -h, --help        show this help\n"
    "\n"
    "Exit status: 0 success, 1 runtime failure, 2 usage error, 65 bad input data.\n";

struct import_args {
    const char *comments, *votes, *party, *question, *domain, *means;
    bool json;
    struct platform_opts o;
};

static int parse_args(struct import_args *a, int argc, char **argv)
{
    for (int i = 2; i < argc; i++) {
        const char *v;
        bool missing = false;
        if (cli_is_help(argv[i])) {
            fputs(consultation_usage, stdout);
            return 1;
        } else if ((v = cli_opt(argc, argv, &i, "--comments", &missing)) != NULL) {
            a->comments = v;
        } else if ((v = cli_opt(argc, argv, &i, "--votes", &missing)) != NULL) {
            a->votes = v;
        } else if ((v = cli_opt(argc, argv, &i, "--party", &missing)) != NULL) {
            a->party = v;
        } else if ((v = cli_opt(argc, argv, &i, "--question", &missing)) != NULL) {
            a->question = v;
        } else if ((v = cli_opt(argc, argv, &i, "--domain", &missing)) != NULL) {
            a->domain = v;
        } else if ((v = cli_opt(argc, argv, &i, "--means", &missing)) != NULL) {
            a->means = v;
        } else if ((v = cli_opt(argc, argv, &i, "--db", &missing)) != NULL) {
            a->o.db = v;
        } else if ((v = cli_opt(argc, argv, &i, "--format", &missing)) != NULL) {
            if (strcmp(v, "json") != 0 && strcmp(v, "text") != 0) {
                return -cli_usage_error("consultation", "--format is text or json");
            }
            a->json = strcmp(v, "json") == 0;
        } else if (missing) {
            return -cli_usage_error("consultation", "%s needs a value", argv[i]);
        } else {
            return -cli_usage_error("consultation", "unknown argument '%s'", argv[i]);
        }
    }
    if (a->comments == NULL || a->votes == NULL) {
        return -cli_usage_error("consultation", "import needs --comments FILE and --votes FILE");
    }
    return 0;
}

static void sha_hex(char out[65], const char *data, size_t len)
{
    uint8_t h[JOURNAL_HASH_SIZE];
    journal_sha256(h, data, len);
    gsi_hex_encode(out, h, sizeof h);
    out[64] = '\0';
}

int cmd_consultation(int argc, char **argv)
{
    if (argc < 2 || cli_is_help(argv[1])) {
        fputs(consultation_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? GSI_EXIT_USAGE : GSI_EXIT_OK;
    }
    if (strcmp(argv[1], "import") != 0) {
        return cli_usage_error("consultation", "unknown subcommand '%s' (import)", argv[1]);
    }
    struct import_args a = { .party = "UN",
                             .domain = "conflict-prevention",
                             .means = "negotiation" };
    platform_opts_init(&a.o);
    int pr = parse_args(&a, argc, argv);
    if (pr != 0) {
        return pr > 0 ? GSI_EXIT_OK : -pr;
    }
    a.question = a.question ? a.question : a.votes;
    struct gsi_err err = GSI_ERR_INIT;
    char *c = NULL, *v = NULL;
    size_t cl = 0, vl = 0;
    int rc = journal_crypto_init(&err);
    if (rc == 0) {
        rc = cli_read_all(&c, &cl, a.comments, 256u << 20, &err);
    }
    if (rc == 0) {
        rc = cli_read_all(&v, &vl, a.votes, 1024u << 20, &err);
    }
    struct consult_polis x;
    memset(&x, 0, sizeof x);
    if (rc == 0) {
        rc = consult_polis_parse(&x, c, cl, a.comments, v, vl, a.votes, &err);
    }
    char ch[65], vh[65];
    sha_hex(ch, c ? c : "", cl);
    sha_hex(vh, v ? v : "", vl);
    free(c);
    free(v);
    struct platform *p = NULL;
    if (rc == 0) {
        rc = platform_open(&p, &a.o, &err);
    }
    int64_t id = 0;
    if (rc == 0) {
        rc = consult_import(p, &id, a.party, a.question, a.domain, a.means, &x, ch, vh, &err);
    }
    if (rc == 0 && a.json) {
        printf("{\"consultation\":%lld,\"statements\":%zu,\"votes\":%zu,\"participants\":%zu}\n",
               (long long)id, x.nstmt, x.nvotes, x.voters);
    } else if (rc == 0) {
        printf("consultation %lld: %zu statements, %zu votes, %zu participants\n", (long long)id,
               x.nstmt, x.nvotes, x.voters);
    }
    consult_polis_release(&x);
    platform_close(p);
    return rc < 0 ? cli_fail(&err) : GSI_EXIT_OK;
}
