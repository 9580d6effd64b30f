/* cmd_cooperation.c — `gsi cooperation match|allocate`: offer↔request matches with their
 * reasons, and the max-min fair allocation of training places (docs/internals/cooperation.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/coop_json.h"
#include "coop/book.h"
#include "coop/coop.h"
#include "platform/platform.h"
#include "platform/platform_coop.h"
#include "ref/ref.h"

static const char coop_usage[] =
    "Usage: gsi cooperation match [--db URL | --offers FILE --requests FILE] [--top N]\n"
    "                             [--compatible]\n"
    "       gsi cooperation allocate [--db URL | --offers FILE --requests FILE]\n"
    "                                [--by party|request]\n"
    "\n"
    "Offers and requests of assistance and training, by domain, with places, languages,\n"
    "regions and dates. `match` proposes, for each request, the offers of its domain ranked\n"
    "by the reasons they match (domain, language, region, dates), then by places. `allocate`\n"
    "shares the offers' places among the requesting parties max-min fairly: the smallest\n"
    "share is as large as it can be, then the next smallest, and so on; a request takes\n"
    "places only from the offers that match it on all four reasons.\n"
    "\n"
    "The offers and requests are the open ones in the database (their ids are the case ids\n"
    "of /v1/cooperation/offers and /requests), or those of two JSON files.\n";

static const char coop_epilog[] =
    "Exit status: 0 success, 1 runtime failure, 2 usage error, 65 bad input data.\n";

static const char *const coop_by[] = { "party", "request", NULL };

struct cargs {
    struct platform_opts o;
    const char *verb, *offers, *requests;
    int64_t top;
    int by; /* index in coop_by */
    bool compatible, match;
    enum gsi_format format;
    struct cli_words words; /* the verb */
};

/* Checks what the table cannot: the verb and which options go together. Returns -1 to go
 * on, or the exit status. */
static int check(struct cargs *a)
{
    a->verb = a->words.n > 0 ? a->words.v[0] : NULL;
    if (a->words.n > 1) {
        return cli_usage_error("cooperation", "unknown argument '%s'", a->words.v[1]);
    }
    if (a->verb == NULL || (strcmp(a->verb, "match") != 0 && strcmp(a->verb, "allocate") != 0)) {
        return cli_usage_error("cooperation", "expected 'match' or 'allocate'");
    }
    if ((a->offers == NULL) != (a->requests == NULL)) {
        return cli_usage_error("cooperation", "--offers FILE and --requests FILE go together");
    }
    if (a->offers != NULL && a->o.db != NULL) {
        return cli_usage_error("cooperation", "either --db or the two files, not both");
    }
    a->match = strcmp(a->verb, "match") == 0;
    return -1;
}

/* Returns -1 to go on, or the exit status. */
static int parse(struct cargs *a, int argc, char **argv)
{
    a->top = 3;
    const struct cli_option opts[] = {
        CLI_OPT_DB(&a->o.db),
        CLI_OPT_STRING("--key", "FILE", &a->o.key_path,
                       "the log's signing key (default <db>.key, ./gsi-log.key)"),
        CLI_OPT_STRING("--checkpoint", "FILE", &a->o.checkpoint_path,
                       "the checkpoint file (default <db>.checkpoint)"),
        CLI_OPT_STRING("--offers", "FILE", &a->offers,
                       "JSON array of offers: id, party, domain, places, languages,\n"
                       "regions (none: open to all), start, end (YYYY-MM-DD)"),
        CLI_OPT_STRING("--requests", "FILE", &a->requests,
                       "JSON array of requests: id, party, domain, places, languages,\n"
                       "region (default: the party's UN region), start, end (window)"),
        CLI_OPT_INT("--top", "N", &a->top, 0, 1000000,
                    "match: at most N offers per request (default 3; 0 = all)"),
        CLI_OPT_FLAG("--compatible", &a->compatible,
                     "match: only offers that match on all four reasons"),
        CLI_OPT_CHOICE("--by", "party|request", &a->by, coop_by,
                       "allocate: one row per party (default) or per request and offer"),
        CLI_OPT_FORMAT(&a->format, "table (default), csv or json"),
        CLI_OPT_WORDS(&a->words),
        CLI_OPT_END(),
    };
    const struct cli_command c = { "cooperation", coop_usage, coop_epilog, opts };
    int rc = cli_parse(&c, argc, argv, 1);
    return rc >= 0 ? rc : check(a);
}

static int match_table(struct gsi_table *t, const struct coop_book *b,
                       const struct coop_match *m, size_t n)
{
    int rc = 0;
    uint32_t rank = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char why[64];
        char missing[64];
        rank = i > 0 && m[i - 1].request == m[i].request ? rank + 1 : 1;
        coop_reasons_format(why, sizeof why, m[i].reasons);
        coop_reasons_format(missing, sizeof missing, COOP_REASON_ALL & ~m[i].reasons);
        rc |= gsi_table_text(t, b->req_ids[m[i].request]);
        rc |= gsi_table_text(t, b->req_parties[m[i].request]);
        rc |= gsi_table_num(t, rank);
        rc |= gsi_table_text(t, b->offer_ids[m[i].offer]);
        rc |= gsi_table_text(t, b->offer_parties[m[i].offer]);
        rc |= gsi_table_num(t, b->offers[m[i].offer].places);
        rc |= gsi_table_text(t, why);
        rc |= gsi_table_text(t, missing);
    }
    return rc;
}

static int run_match(const struct cargs *a, const struct coop_book *b, struct gsi_err *err)
{
    static const struct gsi_table_col cols[] = {
        {"request", -1}, {"party", -1}, {"rank", 0},     {"offer", -1},
        {"offered_by", -1}, {"places", 0}, {"reasons", -1}, {"missing", -1}};
    struct coop_match *m = NULL;
    size_t n = 0;
    int rc = coop_match_run(&m, &n, b->offers, b->noffers, b->reqs, b->nreqs, (size_t)a->top,
                            a->compatible, err);
    if (rc < 0) {
        return rc;
    }
    struct gsi_table *t = gsi_table_new(cols, sizeof cols / sizeof cols[0]);
    rc = t == NULL || match_table(t, b, m, n) != 0 ? GSI_ENOMEM : 0;
    free(m);
    if (rc == 0 && gsi_table_write(t, stdout, a->format) < 0) {
        rc = GSI_EIO;
    }
    gsi_table_free(t);
    return rc < 0 ? gsi_err_set(err, rc, "cannot write the matches") : 0;
}

static int alloc_by_party(struct gsi_table *t, const struct coop_book *b,
                          const struct coop_alloc *al)
{
    int rc = 0;
    for (size_t p = 0; rc == 0 && p < b->nparties; p++) {
        uint64_t want = 0;
        for (size_t r = 0; r < b->nreqs; r++) {
            want += b->reqs[r].party == p ? b->reqs[r].places : 0;
        }
        rc |= gsi_table_text(t, b->parties[p]);
        rc |= gsi_table_num(t, (double)want);
        rc |= gsi_table_num(t, al->party_places[p]);
    }
    return rc;
}

static int alloc_by_request(struct gsi_table *t, const struct coop_book *b,
                            const struct coop_alloc *al)
{
    int rc = 0;
    size_t g = 0;
    for (size_t r = 0; rc == 0 && r < b->nreqs; r++) {
        if (g == al->ngrants || al->grants[g].request != r) {
            rc |= gsi_table_text(t, b->req_ids[r]);
            rc |= gsi_table_text(t, b->req_parties[r]);
            rc |= gsi_table_null(t);
            rc |= gsi_table_num(t, 0);
            continue;
        }
        for (; rc == 0 && g < al->ngrants && al->grants[g].request == r; g++) {
            rc |= gsi_table_text(t, b->req_ids[r]);
            rc |= gsi_table_text(t, b->req_parties[r]);
            rc |= gsi_table_text(t, b->offer_ids[al->grants[g].offer]);
            rc |= gsi_table_num(t, al->grants[g].places);
        }
    }
    return rc;
}

static int run_allocate(const struct cargs *a, const struct coop_book *b, struct gsi_err *err)
{
    static const struct gsi_table_col by_party[] = {
        {"party", -1}, {"requested", 0}, {"allocated", 0}};
    static const struct gsi_table_col by_request[] = {
        {"request", -1}, {"party", -1}, {"offer", -1}, {"places", 0}};
    bool party = a->by == 0;
    struct coop_alloc al;
    int rc = coop_alloc_run(&al, b->offers, b->noffers, b->reqs, b->nreqs, b->nparties, err);
    if (rc < 0) {
        return rc;
    }
    struct gsi_table *t = party ? gsi_table_new(by_party, 3) : gsi_table_new(by_request, 4);
    if (t == NULL || (party ? alloc_by_party(t, b, &al) : alloc_by_request(t, b, &al)) != 0) {
        rc = GSI_ENOMEM;
    }
    if (rc == 0 && gsi_table_write(t, stdout, a->format) < 0) {
        rc = GSI_EIO;
    }
    gsi_table_free(t);
    coop_alloc_release(&al);
    return rc < 0 ? gsi_err_set(err, rc, "cannot write the allocation") : 0;
}

int cmd_cooperation(int argc, char **argv)
{
    struct cargs a = {0};
    int rc = parse(&a, argc, argv);
    if (rc >= 0) {
        free(a.words.v);
        return rc;
    }
    struct gsi_err err = GSI_ERR_INIT;
    struct platform_coop c;
    memset(&c, 0, sizeof c);
    coop_book_init(&c.book);
    if (a.offers != NULL) {
        rc = coop_json_read(&c.book, COOP_JSON_OFFERS, a.offers, &err);
        rc = rc < 0 ? rc : coop_json_read(&c.book, COOP_JSON_REQUESTS, a.requests, &err);
        rc = rc < 0 ? rc : coop_book_finish(&c.book, &err);
    } else {
        struct platform *p;
        rc = platform_open(&p, &a.o, &err);
        if (rc == 0) {
            rc = platform_coop_load(p, &c, &err);
            platform_close(p);
        }
    }
    if (rc == 0) {
        rc = a.match ? run_match(&a, &c.book, &err) : run_allocate(&a, &c.book, &err);
    }
    platform_coop_release(&c);
    free(a.words.v);
    return rc < 0 ? cli_fail(&err) : GSI_EXIT_OK;
}
