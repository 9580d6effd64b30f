/* cmd_consensus.c — `gsi consensus`: opinion groups, common ground and differences of a
 * consultation from its statements and votes (Polis export files). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "consensus/consensus.h"
#include "core/json.h"
#include "core/text.h"

static const char consensus_usage[] =
    "Usage: gsi consensus --votes votes.csv [--comments comments.csv] [options]\n"
    "       gsi consensus --matrix participants-votes.csv [--comments comments.csv] [options]\n"
    "\n"
    "Finds the opinion groups of a consultation, the statements they agree on (common ground)\n"
    "and those that divide them (differences), with each group's representative statements,\n"
    "by the method of Polis: PCA of the vote matrix, k-means clustering, representativeness\n"
    "tests and group-informed consensus. Reads Polis's export files: votes.csv (one vote a\n"
    "row: agree 1, disagree -1, pass 0), or participants-votes.csv (one participant a row),\n"
    "with comments.csv for the statements' text and moderation (moderated -1 is left out).\n"
    "";

static const char consensus_epilog[] =
    "Examples:\n"
    "  gsi consensus --votes votes.csv --comments comments.csv\n"
    "  gsi consensus --matrix participants-votes.csv --format json > result.json\n"
    "  gsi consensus --votes votes.csv --replay 60 --compare participants-votes.csv\n"
    "\n"
    "Exit status: 0 success, 1 runtime failure, 2 usage error, 65 bad input data\n"
    "(the message names the file and line).\n";

struct consensus_args {
    const char *votes, *matrix, *comments, *compare;
    enum gsi_format format;
    int64_t top;
    int64_t replay; /* seconds per update when replaying votes.csv; 0: compute once */
    int64_t seed, threads;
    struct consensus_opts opts;
};

/* Returns -1 to go on, or the exit status to end with. */
static int parse_args(struct consensus_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    a->format = GSI_FORMAT_TABLE;
    a->top = 10;
    consensus_opts_default(&a->opts);
    a->seed = (int64_t)a->opts.seed;
    a->threads = a->opts.threads;
    const struct cli_option opts[] = {
        CLI_OPT_STRING("--votes", "FILE", &a->votes,
                       "votes, one a row (timestamp, comment-id, voter-id, vote)"),
        CLI_OPT_STRING("--matrix", "FILE", &a->matrix,
                       "participants-votes.csv, one participant a row"),
        CLI_OPT_STRING("--comments", "FILE", &a->comments,
                       "comments.csv; makes unknown comment-ids an error"),
        CLI_OPT_FORMAT(&a->format, "table (default), csv (one row a statement) or json "
                                   "(everything)"),
        CLI_OPT_INT("--top", "N", &a->top, 0, 1000000,
                    "statements listed as common ground and as differences (default 10)"),
        CLI_OPT_INT("--replay", "SECONDS", &a->replay, 1, 31536000,
                    "with --votes: replay the votes in time order, updating after every\n"
                    "SECONDS of votes as a live consultation does (Polis's groups carry\n"
                    "that history), then compute once more with the state Polis keeps"),
        CLI_OPT_STRING("--compare", "FILE", &a->compare,
                       "a participants-votes.csv whose group-id column holds reference\n"
                       "groups (Polis's): report how far the groups found agree with them\n"
                       "(adjusted Rand index; table and json output)"),
        CLI_OPT_INT("--seed", "N", &a->seed, 0, 2147483647,
                    "seed of the random start (default 1); same seed, same result"),
        CLI_OPT_INT("--threads", "N", &a->threads, 1, 64,
                    "worker threads (default: all cores); results do not depend on it"),
        CLI_OPT_END(),
    };
    const struct cli_command cmd = { "consensus", consensus_usage, consensus_epilog, opts };
    int st = cli_parse(&cmd, argc, argv, 1);
    if (st >= 0) {
        return st;
    }
    a->opts.seed = (uint64_t)a->seed;
    a->opts.threads = (int)a->threads;
    if ((a->votes == NULL) == (a->matrix == NULL)) {
        return cli_usage_error("consensus", "give exactly one of --votes and --matrix");
    }
    if (a->compare != NULL && a->format == GSI_FORMAT_CSV) {
        return cli_usage_error("consensus", "--compare reports in table and json output, not csv");
    }
    if (a->replay > 0 && a->votes == NULL) {
        return cli_usage_error("consensus", "--replay needs --votes (a file with timestamps)");
    }
    return -1;
}

static double share(uint32_t k, uint32_t n)
{
    return n > 0 ? (double)k / (double)n : NAN;
}

static int num_or_null(struct gsi_table *t, double v)
{
    return isnan(v) ? gsi_table_null(t) : gsi_table_num(t, v);
}

/* The first ~`cap` bytes of a statement for a table cell: cut on a UTF-8 character boundary,
 * line breaks and tabs turned into spaces, "..." when cut. */
static const char *short_text(char *dst, size_t cap, const char *s)
{
    size_t n = strlen(s), o = 0;
    bool cut = n > cap - 4;
    size_t lim = cut ? cap - 4 : n;
    while (lim > 0 && cut && ((unsigned char)s[lim] & 0xc0) == 0x80) {
        lim--;
    }
    for (size_t i = 0; i < lim; i++) {
        char ch = s[i];
        if (ch == '\n' || ch == '\r' || ch == '\t') {
            ch = ' ';
        }
        dst[o++] = ch;
    }
    if (cut) {
        memcpy(dst + o, "...", 3);
        o += 3;
    }
    dst[o] = '\0';
    return dst;
}

static const char *text_of(const struct consensus *c, uint32_t j)
{
    return c->stmt[j].text != NULL ? c->stmt[j].text : "";
}

static void json_group_shares(struct gsi_json *w, const struct consensus *c, uint32_t j)
{
    gsi_json_array_begin(w, "groups", GSI_JSON_INLINE);
    for (int g = 0; g < c->ngroups; g++) {
        const struct consensus_repness *r = &c->repness[(size_t)g * c->ns + j];
        gsi_json_object_begin(w, NULL, GSI_JSON_INLINE);
        gsi_json_int(w, "group", g);
        gsi_json_double(w, "agree", share(r->na, r->ns));
        gsi_json_double(w, "disagree", share(r->nd, r->ns));
        gsi_json_uint(w, "votes", r->ns);
        gsi_json_end(w);
    }
    gsi_json_end(w);
}

static void json_statement_list(struct gsi_json *w, const char *key, const struct consensus *c,
                                const uint32_t *idx, size_t n, bool by_gic)
{
    gsi_json_array_begin(w, key, GSI_JSON_LINES);
    for (size_t i = 0; i < n; i++) {
        uint32_t j = idx[i];
        const struct consensus_statement *s = &c->stmt[j];
        gsi_json_object_begin(w, NULL, GSI_JSON_INLINE);
        gsi_json_int(w, "statement", s->id);
        gsi_json_string(w, "text", text_of(c, j));
        gsi_json_double(w, by_gic ? "consensus" : "divisiveness",
                        by_gic ? s->gic : s->divisiveness);
        gsi_json_uint(w, "agrees", s->agree);
        gsi_json_uint(w, "disagrees", s->disagree);
        gsi_json_uint(w, "passes", s->pass);
        json_group_shares(w, c, j);
        gsi_json_end(w);
    }
    gsi_json_end(w);
}

/* The agreement with --compare's reference groups; `ag` NULL when there is none. */
static void json_reference(struct gsi_json *w, const struct consensus_agreement *ag,
                           const char *path)
{
    if (ag == NULL) {
        return;
    }
    gsi_json_object_begin(w, "reference", GSI_JSON_INLINE);
    gsi_json_string(w, "file", path);
    gsi_json_uint(w, "participants", ag->participants);
    gsi_json_uint(w, "grouped_both", ag->grouped_both);
    gsi_json_int(w, "groups", ag->ref_groups);
    gsi_json_double(w, "adjusted_rand_index", ag->ari);
    gsi_json_end(w);
}

static void json_participants(struct gsi_json *w, const struct consensus *c)
{
    gsi_json_array_begin(w, "participants", GSI_JSON_LINES);
    for (size_t i = 0; i < c->np; i++) {
        gsi_json_object_begin(w, NULL, GSI_JSON_INLINE);
        gsi_json_int(w, "id", c->pid[i]);
        if (c->group[i] >= 0) {
            gsi_json_int(w, "group", c->group[i]);
        } else {
            gsi_json_null(w, "group");
        }
        gsi_json_double(w, "x", c->x[i]);
        gsi_json_double(w, "y", c->y[i]);
        gsi_json_uint(w, "votes", c->nvotes[i]);
        gsi_json_end(w);
    }
    gsi_json_end(w);
}

static void json_group(struct gsi_json *w, const struct consensus *c, int g)
{
    const struct consensus_group *gr = &c->groups[g];
    gsi_json_object_begin(w, NULL, GSI_JSON_INLINE);
    gsi_json_int(w, "id", g);
    gsi_json_uint(w, "size", gr->size);
    gsi_json_double(w, "x", gr->cx);
    gsi_json_double(w, "y", gr->cy);
    gsi_json_array_begin(w, "members", GSI_JSON_INLINE);
    for (size_t i = 0; i < c->np; i++) {
        if (c->group[i] == g) {
            gsi_json_int(w, NULL, c->pid[i]);
        }
    }
    gsi_json_end(w);
    gsi_json_wrap(w);
    gsi_json_array_begin(w, "representative", GSI_JSON_LINES);
    for (int r = 0; r < gr->nreps; r++) {
        const struct consensus_rep *rep = &gr->reps[r];
        gsi_json_object_begin(w, NULL, GSI_JSON_INLINE);
        gsi_json_int(w, "statement", c->stmt[rep->statement].id);
        gsi_json_string(w, "text", text_of(c, rep->statement));
        gsi_json_string(w, "repful_for", rep->agree ? "agree" : "disagree");
        gsi_json_bool(w, "best_agree", rep->best_agree);
        gsi_json_uint(w, "n_success", rep->n_success);
        gsi_json_uint(w, "n_trials", rep->n_trials);
        gsi_json_double(w, "p_success", rep->p_success);
        gsi_json_double(w, "p_test", rep->p_test);
        gsi_json_double(w, "repness", rep->repness);
        gsi_json_double(w, "repness_test", rep->repness_test);
        gsi_json_end(w);
    }
    gsi_json_end(w);
    gsi_json_end(w);
}

static void json_majority(struct gsi_json *w, const struct consensus *c)
{
    gsi_json_array_begin(w, "majority", GSI_JSON_LINES);
    for (int side = 0; side < 2; side++) {
        const struct consensus_majority *mj = side == 0 ? c->maj_agree : c->maj_disagree;
        int cnt = side == 0 ? c->nmaj_agree : c->nmaj_disagree;
        for (int i = 0; i < cnt; i++) {
            gsi_json_object_begin(w, NULL, GSI_JSON_INLINE);
            gsi_json_int(w, "statement", c->stmt[mj[i].statement].id);
            gsi_json_string(w, "text", text_of(c, mj[i].statement));
            gsi_json_string(w, "for", mj[i].agree ? "agree" : "disagree");
            gsi_json_uint(w, "n_success", mj[i].n_success);
            gsi_json_uint(w, "n_trials", mj[i].n_trials);
            gsi_json_double(w, "p_success", mj[i].p_success);
            gsi_json_double(w, "p_test", mj[i].p_test);
            gsi_json_end(w);
        }
    }
    gsi_json_end(w);
}

static int write_json(FILE *out, const struct consensus *c, const struct consensus_args *a,
                      const struct consensus_agreement *ag, const uint32_t *gic_rank, size_t ngic,
                      const uint32_t *div_rank, size_t ndiv)
{
    struct gsi_json w;
    gsi_json_init_file(&w, out);
    gsi_json_object_begin(&w, NULL, GSI_JSON_LINES);
    gsi_json_uint(&w, "participants_total", c->np);
    gsi_json_uint(&w, "statements_total", c->n_active);
    gsi_json_uint(&w, "votes", consensus_vote_count(c));
    json_reference(&w, ag, a->compare);
    json_participants(&w, c);
    gsi_json_array_begin(&w, "groups", GSI_JSON_LINES);
    for (int g = 0; g < c->ngroups; g++) {
        json_group(&w, c, g);
    }
    gsi_json_end(&w);
    json_statement_list(&w, "common_ground", c, gic_rank, ngic, true);
    json_statement_list(&w, "differences", c, div_rank, ndiv, false);
    json_majority(&w, c);
    gsi_json_end(&w);
    gsi_json_newline(&w);
    int rc = gsi_json_finish(&w);
    gsi_json_release(&w);
    return rc;
}

static int write_csv(FILE *out, const struct consensus *c)
{
    enum { BASE = 9 };
    struct gsi_table_col cols[BASE + 3 * CONSENSUS_GROUPS_MAX];
    char names[3 * CONSENSUS_GROUPS_MAX][32];
    static const struct gsi_table_col base[BASE] = { { "statement", -1 },     { "text", -1 },
                                                     { "moderated_out", -1 }, { "agrees", 0 },
                                                     { "disagrees", 0 },      { "passes", 0 },
                                                     { "consensus", 4 },      { "divisiveness", 4 },
                                                     { "majority", -1 } };
    memcpy(cols, base, sizeof base);
    size_t nc = BASE;
    for (int g = 0; g < c->ngroups; g++) {
        char(*gn)[32] = names + 3 * (size_t)g; /* this group's three column names */
        snprintf(gn[0], sizeof gn[0], "g%d_agree", g);
        snprintf(gn[1], sizeof gn[1], "g%d_disagree", g);
        snprintf(gn[2], sizeof gn[2], "g%d_representative", g);
        cols[nc++] = (struct gsi_table_col){ gn[0], 3 };
        cols[nc++] = (struct gsi_table_col){ gn[1], 3 };
        cols[nc++] = (struct gsi_table_col){ gn[2], -1 };
    }
    struct gsi_table *t = gsi_table_new(cols, nc);
    if (t == NULL) {
        return -1;
    }
    char buf[32];
    for (size_t j = 0; j < c->ns; j++) {
        const struct consensus_statement *s = &c->stmt[j];
        snprintf(buf, sizeof buf, "%lld", (long long)s->id);
        gsi_table_text(t, buf);
        gsi_table_text(t, text_of(c, (uint32_t)j));
        gsi_table_text(t, s->moderated_out ? "yes" : "no");
        gsi_table_num(t, s->agree);
        gsi_table_num(t, s->disagree);
        gsi_table_num(t, s->pass);
        if (s->moderated_out) {
            gsi_table_null(t);
            gsi_table_null(t);
        } else {
            gsi_table_num(t, s->gic);
            gsi_table_num(t, s->divisiveness);
        }
        const char *maj = "";
        for (int i = 0; i < c->nmaj_agree; i++) {
            if (c->maj_agree[i].statement == j) {
                maj = "agree";
            }
        }
        for (int i = 0; i < c->nmaj_disagree; i++) {
            if (c->maj_disagree[i].statement == j) {
                maj = "disagree";
            }
        }
        gsi_table_text(t, maj);
        for (int g = 0; g < c->ngroups; g++) {
            const struct consensus_repness *r = &c->repness[(size_t)g * c->ns + j];
            num_or_null(t, share(r->na, r->ns));
            num_or_null(t, share(r->nd, r->ns));
            const char *rep = "";
            for (int k = 0; k < c->groups[g].nreps; k++) {
                if (c->groups[g].reps[k].statement == j) {
                    rep = c->groups[g].reps[k].agree ? "agree" : "disagree";
                }
            }
            gsi_table_text(t, rep);
        }
    }
    int rc = gsi_table_write(t, out, GSI_FORMAT_CSV);
    gsi_table_free(t);
    return rc;
}

/* The text form: four small tables with a title each. */
static int write_text(FILE *out, const struct consensus *c, const struct consensus_args *a,
                      const struct consensus_agreement *ag, const uint32_t *gic_rank, size_t ngic,
                      const uint32_t *div_rank, size_t ndiv)
{
    size_t clustered = 0;
    for (size_t i = 0; i < c->np; i++) {
        clustered += c->group[i] >= 0;
    }
    fprintf(out, "%zu participants (%zu clustered), %zu statements, %llu votes, %d groups\n", c->np,
            clustered, c->n_active, (unsigned long long)consensus_vote_count(c), c->ngroups);
    if (ag != NULL) {
        fprintf(out,
                "against %s: %d reference groups, adjusted Rand index %.3f over the %zu "
                "participants grouped in both\n",
                a->compare, ag->ref_groups, ag->ari, ag->grouped_both);
    }
    fputc('\n', out);
    static const struct gsi_table_col gcols[] = {
        { "group", 0 }, { "size", 0 }, { "share", 3 }, { "x", 3 }, { "y", 3 }
    };
    struct gsi_table *t = gsi_table_new(gcols, 5);
    if (t == NULL) {
        return -1;
    }
    for (int g = 0; g < c->ngroups; g++) {
        gsi_table_num(t, g);
        gsi_table_num(t, c->groups[g].size);
        gsi_table_num(t, clustered ? (double)c->groups[g].size / (double)clustered : 0);
        gsi_table_num(t, c->groups[g].cx);
        gsi_table_num(t, c->groups[g].cy);
    }
    fputs("Opinion groups\n", out);
    int rc = gsi_table_write(t, out, GSI_FORMAT_TABLE);
    gsi_table_free(t);
    char names[2 * CONSENSUS_GROUPS_MAX][32];
    for (int list = 0; list < 2 && rc == 0; list++) {
        struct gsi_table_col cols[3 + 2 * CONSENSUS_GROUPS_MAX];
        cols[0] = (struct gsi_table_col){ "statement", -1 };
        cols[1] = (struct gsi_table_col){ list == 0 ? "consensus" : "divisiveness", 3 };
        size_t nc = 2;
        for (int g = 0; g < c->ngroups; g++) {
            char(*gn)[32] = names + 2 * (size_t)g; /* this group's two column names */
            snprintf(gn[0], sizeof gn[0], "g%d_agree", g);
            snprintf(gn[1], sizeof gn[1], "g%d_disagree", g);
            cols[nc++] = (struct gsi_table_col){ gn[0], 2 };
            cols[nc++] = (struct gsi_table_col){ gn[1], 2 };
        }
        cols[nc++] = (struct gsi_table_col){ "text", -1 };
        t = gsi_table_new(cols, nc);
        if (t == NULL) {
            return -1;
        }
        const uint32_t *idx = list == 0 ? gic_rank : div_rank;
        size_t n = list == 0 ? ngic : ndiv;
        char buf[32], tb[84];
        for (size_t i = 0; i < n; i++) {
            uint32_t j = idx[i];
            snprintf(buf, sizeof buf, "%lld", (long long)c->stmt[j].id);
            gsi_table_text(t, buf);
            gsi_table_num(t, list == 0 ? c->stmt[j].gic : c->stmt[j].divisiveness);
            for (int g = 0; g < c->ngroups; g++) {
                const struct consensus_repness *r = &c->repness[(size_t)g * c->ns + j];
                num_or_null(t, share(r->na, r->ns));
                num_or_null(t, share(r->nd, r->ns));
            }
            gsi_table_text(t, short_text(tb, sizeof tb, text_of(c, j)));
        }
        fputs(list == 0 ? "\nCommon ground (group-informed consensus)\n"
                        : "\nDifferences (spread of net agreement between groups)\n",
              out);
        rc = gsi_table_write(t, out, GSI_FORMAT_TABLE);
        gsi_table_free(t);
    }
    if (rc != 0) {
        return rc;
    }
    static const struct gsi_table_col rcols[] = { { "group", 0 },   { "statement", -1 },
                                                  { "for", -1 },    { "share", 2 },
                                                  { "repness", 2 }, { "text", -1 } };
    t = gsi_table_new(rcols, 6);
    if (t == NULL) {
        return -1;
    }
    for (int g = 0; g < c->ngroups; g++) {
        for (int k = 0; k < c->groups[g].nreps; k++) {
            const struct consensus_rep *r = &c->groups[g].reps[k];
            char buf[32], tb[84];
            gsi_table_num(t, g);
            snprintf(buf, sizeof buf, "%lld", (long long)c->stmt[r->statement].id);
            gsi_table_text(t, buf);
            gsi_table_text(t, r->agree ? "agree" : "disagree");
            gsi_table_num(t, share(r->n_success, r->n_trials));
            gsi_table_num(t, r->repness);
            gsi_table_text(t, short_text(tb, sizeof tb, text_of(c, r->statement)));
        }
    }
    fputs("\nRepresentative statements\n", out);
    rc = gsi_table_write(t, out, GSI_FORMAT_TABLE);
    gsi_table_free(t);
    return rc;
}

int cmd_consensus(int argc, char **argv)
{
    struct consensus_args a;
    int rc = parse_args(&a, argc, argv);
    if (rc >= 0) {
        return rc;
    }
    struct gsi_err err = GSI_ERR_INIT;
    struct consensus *c = consensus_new(&a.opts);
    if (c == NULL) {
        fprintf(stderr, "gsi consensus: out of memory\n");
        return GSI_EXIT_FAILURE;
    }
    int status = GSI_EXIT_OK;
    if (a.comments != NULL && consensus_read_comments(c, a.comments, &err) < 0) {
        goto fail;
    }
    if (a.votes != NULL && a.replay > 0) {
        /* Polis's export timestamps are milliseconds. After the replay, forget what Polis does
         * not store between updates, as its groups were last computed (docs/internals). */
        if (consensus_replay_votes(c, a.votes, (int64_t)a.replay * 1000, &err) < 0) {
            goto fail;
        }
        consensus_reload_state(c);
    } else if (a.votes != NULL && consensus_read_votes(c, a.votes, &err) < 0) {
        goto fail;
    }
    if (a.matrix != NULL && consensus_read_matrix(c, a.matrix, &err) < 0) {
        goto fail;
    }
    if (consensus_compute(c, &err) < 0) {
        goto fail;
    }
    struct consensus_agreement ag = { 0 }, *agp = NULL;
    if (a.compare != NULL) {
        if (consensus_agreement_file(&ag, c, a.compare, &err) < 0) {
            goto fail;
        }
        agp = &ag;
    }
    uint32_t *gic_rank = malloc((c->ns ? c->ns : 1) * sizeof *gic_rank);
    uint32_t *div_rank = malloc((c->ns ? c->ns : 1) * sizeof *div_rank);
    if (gic_rank == NULL || div_rank == NULL) {
        free(gic_rank);
        free(div_rank);
        fprintf(stderr, "gsi consensus: out of memory\n");
        consensus_free(c);
        return GSI_EXIT_FAILURE;
    }
    size_t ngic = consensus_statements_rank(gic_rank, c, CONSENSUS_RANK_CONSENSUS);
    size_t ndiv = consensus_statements_rank(div_rank, c, CONSENSUS_RANK_DIVISIVENESS);
    if (ngic > (size_t)a.top) {
        ngic = (size_t)a.top;
    }
    if (ndiv > (size_t)a.top) {
        ndiv = (size_t)a.top;
    }
    if (a.format == GSI_FORMAT_JSON) {
        rc = write_json(stdout, c, &a, agp, gic_rank, ngic, div_rank, ndiv);
    } else if (a.format == GSI_FORMAT_CSV) {
        rc = write_csv(stdout, c);
    } else {
        rc = write_text(stdout, c, &a, agp, gic_rank, ngic, div_rank, ndiv);
    }
    free(gic_rank);
    free(div_rank);
    if (rc != 0 || fflush(stdout) != 0) {
        fprintf(stderr, "gsi consensus: cannot write the output\n");
        status = GSI_EXIT_FAILURE;
    }
    consensus_free(c);
    return status;
fail:
    status = cli_fail(&err);
    consensus_free(c);
    return status;
}
