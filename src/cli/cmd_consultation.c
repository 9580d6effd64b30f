/* cmd_consultation.c — `gsi consultation import`: a Polis export (votes.csv, comments.csv) as
 * an open consultation, its statements and votes journalled with the files' hashes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/hex.h"
#include "core/json.h"
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
    "";

static const char consultation_epilog[] =
    "Exit status: 0 success, 1 runtime failure, 2 usage error, 65 bad input data.\n";

static const char *const consultation_formats[] = { "text", "json", NULL };

struct import_args {
    const char *comments, *votes, *party, *question, *domain, *means;
    int format; /* index in consultation_formats */
    struct platform_opts o;
};

/* Reads argv[2..] (after "import"). Returns -1 to go on, or the exit status. */
static int parse_args(struct import_args *a, int argc, char **argv)
{
    const struct cli_option opts[] = {
        CLI_OPT_STRING("--comments", "FILE", &a->comments,
                       "Polis comments.csv (comment-id, moderated, comment-body)"),
        CLI_OPT_STRING("--votes", "FILE", &a->votes,
                       "Polis votes.csv (comment-id, voter-id, vote; timestamp if present)"),
        CLI_OPT_STRING("--party", "ID", &a->party, "the convening party (default UN)"),
        CLI_OPT_STRING("--question", "TEXT", &a->question, "the question (default: the file name)"),
        CLI_OPT_STRING("--domain", "KEY", &a->domain,
                       "one of the 20 priority domains (default conflict-prevention)"),
        CLI_OPT_STRING("--means", "MEANS", &a->means,
                       "UN Charter Art. 33 means (default negotiation)"),
        CLI_OPT_DB(&a->o.db),
        CLI_OPT_CHOICE("--format", "FMT", &a->format, consultation_formats,
                       "text (default) or json"),
        CLI_OPT_END(),
    };
    const struct cli_command cmd = { "consultation", consultation_usage, consultation_epilog,
                                     opts };
    int st = cli_parse(&cmd, argc, argv, 2);
    if (st < 0 && (a->comments == NULL || a->votes == NULL)) {
        st = cli_usage_error("consultation", "import needs --comments FILE and --votes FILE");
    }
    return st;
}

static void sha_hex(char out[65], const char *data, size_t len)
{
    uint8_t h[JOURNAL_HASH_SIZE];
    journal_sha256(h, data, len);
    gsi_hex_encode(out, h, sizeof h);
    out[64] = '\0';
}

/* The summary as one JSON line. */
static int write_json(int64_t id, const struct consult_polis *x, struct gsi_err *err)
{
    struct gsi_json w;
    gsi_json_init_file(&w, stdout);
    gsi_json_object_begin(&w, NULL, GSI_JSON_COMPACT);
    gsi_json_int(&w, "consultation", id);
    gsi_json_uint(&w, "statements", x->nstmt);
    gsi_json_uint(&w, "votes", x->nvotes);
    gsi_json_uint(&w, "participants", x->voters);
    gsi_json_end(&w);
    gsi_json_newline(&w);
    int rc = gsi_json_finish(&w);
    gsi_json_release(&w);
    return rc < 0 ? gsi_err_set(err, rc, "cannot write the summary") : 0;
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
    int st = parse_args(&a, argc, argv);
    if (st >= 0) {
        return st;
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
        rc = platform_consult_polis_parse(&x, c, cl, a.comments, v, vl, a.votes, &err);
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
        rc = platform_consult_import(p, &id, a.party, a.question, a.domain, a.means, &x, ch, vh,
                                     &err);
    }
    if (rc == 0 && a.format == 1) {
        rc = write_json(id, &x, &err);
    } else if (rc == 0) {
        printf("consultation %lld: %zu statements, %zu votes, %zu participants\n", (long long)id,
               x.nstmt, x.nvotes, x.voters);
    }
    platform_consult_polis_release(&x);
    platform_close(p);
    return rc < 0 ? cli_fail(&err) : GSI_EXIT_OK;
}
