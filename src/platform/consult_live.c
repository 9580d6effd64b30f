/* consult_live.c — live consensus views (consult_live.h): one engine per followed
 * consultation, fed by a background thread from the committed votes. */
#include "platform/consult_live.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "consensus/consensus.h"
#include "core/buf.h"
#include "core/json.h"
#include "platform/internal.h"
#include "store/store.h"

#define LIVE_JSON_MAX        (64u << 20)
#define LIVE_SMALL_VOTES     100000u                 /* compute on every batch below this */
#define LIVE_COMPUTE_AFTER   (INT64_C(60) * 1000000) /* µs after the first folded vote */
#define LIVE_REGISTRIES      16
#define LIVE_PARTY_VOTES_MAX 1000000u

struct party_vote {
    int64_t voter, statement;
    int vote;
    char party[PLATFORM_ID_MAX];
};

struct live {
    int64_t consultation;
    pthread_mutex_t eng; /* the engine and everything below but `json` */
    struct consensus *c;
    int64_t last_vote, last_stmt;
    uint64_t rows;   /* vote rows read */
    long moderated;  /* statements moderated out, as last read */
    uint64_t folded; /* votes folded in by updates since the last compute */
    int64_t first_fold_us;
    bool full; /* the last refresh was a full compute */
    struct party_vote *pv;
    size_t npv, cappv;
    char *json; /* guarded by the registry's mutex */
    size_t json_len;
};

struct registry {
    struct platform *p;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t th;
    bool running, stop;
    struct consult_live_opts opts;
    struct live *lives[CONSULT_LIVE_MAX];
    size_t n;
};

static pthread_mutex_t regs_mu = PTHREAD_MUTEX_INITIALIZER;
static struct registry *regs[LIVE_REGISTRIES];

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The registry of `p`, made when `create`. */
static struct registry *registry_of(struct platform *p, bool create)
{
    pthread_mutex_lock(&regs_mu);
    struct registry *r = NULL;
    for (size_t i = 0; i < LIVE_REGISTRIES && r == NULL; i++) {
        r = regs[i] != NULL && regs[i]->p == p ? regs[i] : NULL;
    }
    for (size_t i = 0; create && r == NULL && i < LIVE_REGISTRIES; i++) {
        if (regs[i] == NULL && (r = calloc(1, sizeof *r)) != NULL) {
            r->p = p;
            pthread_mutex_init(&r->mu, NULL);
            pthread_cond_init(&r->cv, NULL);
            r->opts.interval_us = 50000;
            r->opts.threads = 1;
            regs[i] = r;
        }
    }
    pthread_mutex_unlock(&regs_mu);
    return r;
}

void platform_consult_live_configure(struct platform *p, const struct consult_live_opts *o)
{
    struct registry *r = registry_of(p, true);
    if (r == NULL) {
        return;
    }
    pthread_mutex_lock(&r->mu);
    if (r->n == 0) {
        r->opts.interval_us = o->interval_us > 0 ? o->interval_us : 50000;
        r->opts.threads = o->threads > 0 ? o->threads : 1;
    }
    pthread_mutex_unlock(&r->mu);
}

/* --- reading new rows -------------------------------------------------------------------- */

static int read_statements(struct platform *p, struct live *l, bool *changed, struct gsi_err *err)
{
    struct store_val v[] = { STORE_INT(l->consultation), STORE_INT(l->last_stmt) };
    struct store_rows *r;
    int rc = platform_query(p, &r,
                            "SELECT id, text, moderated FROM consult_statements"
                            " WHERE consultation = ? AND id > ? ORDER BY id",
                            v, 2, err);
    for (size_t i = 0; rc == 0 && i < store_rows_count(r); i++) {
        int64_t id = store_rows_int(r, i, 0);
        rc = consensus_statement_add(l->c, id, store_rows_text(r, i, 1), store_rows_len(r, i, 1),
                                     store_rows_int(r, i, 2) != 0, err);
        l->last_stmt = id;
        *changed = true;
    }
    if (rc == 0) {
        store_rows_free(r);
        rc = platform_query(p, &r,
                            "SELECT id FROM consult_statements WHERE consultation = ? AND"
                            " moderated = 1 ORDER BY id",
                            v, 1, err);
    }
    if (rc < 0) {
        return rc;
    }
    long nmod = (long)store_rows_count(r);
    for (size_t i = 0; nmod != l->moderated && rc == 0 && i < store_rows_count(r); i++) {
        long k = consensus_statement_index(l->c, store_rows_int(r, i, 0));
        if (k >= 0 && !l->c->stmt[k].moderated_out) {
            const char *t = l->c->stmt[k].text;
            rc = consensus_statement_add(l->c, l->c->stmt[k].id, t, strlen(t), true, err);
            *changed = true;
        }
    }
    l->moderated = rc == 0 ? nmod : l->moderated;
    store_rows_free(r);
    return rc;
}

static int party_vote_put(struct live *l, int64_t voter, const char *party, int64_t stmt, int vote,
                          struct gsi_err *err)
{
    for (size_t i = 0; i < l->npv; i++) {
        if (l->pv[i].voter == voter && l->pv[i].statement == stmt) {
            l->pv[i].vote = vote;
            return 0;
        }
    }
    if (l->npv == LIVE_PARTY_VOTES_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "consultation %lld: more than %u party votes",
                           (long long)l->consultation, LIVE_PARTY_VOTES_MAX);
    }
    if (GSI_ALLOC_GROW(l->pv, l->npv + 1, l->cappv, 64) < 0) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    struct party_vote *pv = &l->pv[l->npv++];
    pv->voter = voter, pv->statement = stmt, pv->vote = vote;
    snprintf(pv->party, sizeof pv->party, "%s", party);
    return 0;
}

/* Reads the votes after l->last_vote; *n gets how many. */
static int read_votes(struct platform *p, struct live *l, size_t *n, struct gsi_err *err)
{
    struct store_val v[] = { STORE_INT(l->consultation), STORE_INT(l->last_vote),
                             STORE_INT(CONSULT_LIVE_BATCH) };
    struct store_rows *r;
    int rc = platform_query(p, &r,
                            "SELECT id, voter, party, statement, vote FROM consult_votes"
                            " WHERE consultation = ? AND id > ? ORDER BY id LIMIT ?",
                            v, 3, err);
    if (rc < 0) {
        return rc;
    }
    *n = store_rows_count(r);
    for (size_t i = 0; rc == 0 && i < *n; i++) {
        int64_t voter = store_rows_int(r, i, 1), stmt = store_rows_int(r, i, 3);
        int vote = (int)store_rows_int(r, i, 4);
        rc = consensus_vote_add(l->c, voter, stmt, vote, false, err);
        if (rc == 0 && store_rows_len(r, i, 2) > 0) {
            rc = party_vote_put(l, voter, store_rows_text(r, i, 2), stmt, vote, err);
        }
        l->last_vote = store_rows_int(r, i, 0);
        l->rows++;
    }
    store_rows_free(r);
    return rc;
}

/* Folds in what is new and refreshes the engine's results by the recommended policy. */
static int live_refresh(struct platform *p, struct live *l, bool *changed, struct gsi_err *err)
{
    bool stmts = false;
    size_t nv = 0;
    int rc = read_statements(p, l, &stmts, err);
    if (rc == 0) {
        rc = read_votes(p, l, &nv, err);
    }
    *changed = stmts || nv > 0;
    if (rc < 0 || !*changed || l->c->np == 0) {
        return rc;
    }
    uint64_t total = consensus_vote_count(l->c);
    int64_t t = now_us();
    bool due = l->c->computes == 0 || stmts || total < LIVE_SMALL_VOTES ||
               l->folded + nv > total / 100 ||
               (l->first_fold_us > 0 && t - l->first_fold_us > LIVE_COMPUTE_AFTER);
    if (due) {
        rc = consensus_compute(l->c, err);
        l->full = true;
        l->folded = 0;
        l->first_fold_us = 0;
    } else {
        rc = consensus_update(l->c, err);
        l->full = rc == 1;
        l->folded = rc == 1 ? 0 : l->folded + nv;
        l->first_fold_us = rc == 1 ? 0 : (l->first_fold_us ? l->first_fold_us : t);
        rc = rc > 0 ? 0 : rc;
    }
    return rc;
}

/* --- rendering ----------------------------------------------------------------------- */

/* Numbers as the view has always given them: six significant digits (%.6g), null for what
 * JSON cannot carry. */
static void live_num(struct gsi_json *w, const char *key, double v)
{
    if (v != v || v > 1e300 || v < -1e300) {
        gsi_json_null(w, key);
    } else {
        char text[32];
        snprintf(text, sizeof text, "%.6g", v);
        gsi_json_raw(w, key, text);
    }
}

static void render_participants(struct gsi_json *w, const struct live *l)
{
    const struct consensus *c = l->c;
    gsi_json_array_begin(w, "participants", GSI_JSON_COMPACT);
    for (size_t i = 0; i < c->np; i++) {
        const char *party = "";
        for (size_t k = 0; k < l->npv && party[0] == '\0'; k++) {
            party = l->pv[k].voter == c->pid[i] ? l->pv[k].party : party;
        }
        bool pub = c->pid[i] >= CONSULT_VOTER_PUBLIC;
        gsi_json_object_begin(w, NULL, GSI_JSON_COMPACT);
        gsi_json_int(w, "id", c->pid[i]);
        gsi_json_string(w, "kind", pub ? "public" : "party");
        gsi_json_string(w, "party", party);
        gsi_json_int(w, "group", c->group[i]);
        live_num(w, "x", c->x[i]);
        live_num(w, "y", c->y[i]);
        gsi_json_uint(w, "votes", c->nvotes[i]);
        gsi_json_end(w);
    }
    gsi_json_end(w);
}

static void render_groups(struct gsi_json *w, const struct consensus *c)
{
    gsi_json_array_begin(w, "groups", GSI_JSON_COMPACT);
    for (int g = 0; g < c->ngroups; g++) {
        const struct consensus_group *gr = &c->groups[g];
        gsi_json_object_begin(w, NULL, GSI_JSON_COMPACT);
        gsi_json_int(w, "id", g);
        gsi_json_uint(w, "size", gr->size);
        gsi_json_array_begin(w, "representative", GSI_JSON_COMPACT);
        for (int k = 0; k < gr->nreps; k++) {
            gsi_json_object_begin(w, NULL, GSI_JSON_COMPACT);
            gsi_json_int(w, "statement", c->stmt[gr->reps[k].statement].id);
            gsi_json_bool(w, "agree", gr->reps[k].agree);
            live_num(w, "p_success", gr->reps[k].p_success);
            gsi_json_end(w);
        }
        gsi_json_end(w);
        gsi_json_end(w);
    }
    gsi_json_end(w);
}

/* The top CONSULT_LIVE_TOP statements not moderated out by gic (common ground: `by_gic`) or
 * by divisiveness (differences). */
static void render_ranked(struct gsi_json *w, const struct consensus *c, bool by_gic)
{
    uint32_t top[CONSULT_LIVE_TOP];
    size_t n = 0;
    for (size_t j = 0; j < c->ns; j++) {
        if (c->stmt[j].moderated_out || c->stmt[j].agree + c->stmt[j].disagree == 0) {
            continue;
        }
        double key = by_gic ? c->stmt[j].gic : c->stmt[j].divisiveness;
        size_t pos = n < CONSULT_LIVE_TOP ? n++ : CONSULT_LIVE_TOP;
        while (pos > 0) {
            const struct consensus_statement *q = &c->stmt[top[pos - 1]];
            if ((by_gic ? q->gic : q->divisiveness) >= key) {
                break;
            }
            if (pos < CONSULT_LIVE_TOP) {
                top[pos] = top[pos - 1];
            }
            pos--;
        }
        if (pos < CONSULT_LIVE_TOP) {
            top[pos] = (uint32_t)j;
        }
    }
    gsi_json_array_begin(w, by_gic ? "common_ground" : "differences", GSI_JSON_COMPACT);
    for (size_t k = 0; k < n; k++) {
        const struct consensus_statement *s = &c->stmt[top[k]];
        gsi_json_object_begin(w, NULL, GSI_JSON_COMPACT);
        gsi_json_int(w, "statement", s->id);
        gsi_json_string(w, "text", s->text);
        live_num(w, by_gic ? "consensus" : "divisiveness", by_gic ? s->gic : s->divisiveness);
        gsi_json_end(w);
    }
    gsi_json_end(w);
}

/* The public's counts of each statement: all votes less the parties'. */
static void render_public(struct gsi_json *w, const struct live *l)
{
    const struct consensus *c = l->c;
    size_t npub = 0;
    for (size_t i = 0; i < c->np; i++) {
        npub += c->pid[i] >= CONSULT_VOTER_PUBLIC;
    }
    gsi_json_object_begin(w, "public", GSI_JSON_COMPACT);
    gsi_json_uint(w, "participants", npub);
    gsi_json_array_begin(w, "statements", GSI_JSON_COMPACT);
    for (size_t j = 0; j < c->ns; j++) {
        long cnt[3] = { c->stmt[j].disagree, c->stmt[j].pass, c->stmt[j].agree };
        for (size_t k = 0; k < l->npv; k++) {
            if (l->pv[k].statement == c->stmt[j].id) {
                cnt[l->pv[k].vote + 1]--;
            }
        }
        gsi_json_object_begin(w, NULL, GSI_JSON_COMPACT);
        gsi_json_int(w, "statement", c->stmt[j].id);
        gsi_json_int(w, "agree", cnt[2]);
        gsi_json_int(w, "disagree", cnt[0]);
        gsi_json_int(w, "pass", cnt[1]);
        gsi_json_end(w);
    }
    gsi_json_end(w);
    gsi_json_end(w);
}

/* Every statement with its counts and support per group; then the public's counts. */
static void render_statements(struct gsi_json *w, const struct live *l)
{
    const struct consensus *c = l->c;
    gsi_json_array_begin(w, "statements", GSI_JSON_COMPACT);
    for (size_t j = 0; j < c->ns; j++) {
        const struct consensus_statement *s = &c->stmt[j];
        gsi_json_object_begin(w, NULL, GSI_JSON_COMPACT);
        gsi_json_int(w, "statement", s->id);
        gsi_json_string(w, "text", s->text);
        gsi_json_bool(w, "moderated", s->moderated_out);
        gsi_json_uint(w, "agree", s->agree);
        gsi_json_uint(w, "disagree", s->disagree);
        gsi_json_uint(w, "pass", s->pass);
        gsi_json_array_begin(w, "groups", GSI_JSON_COMPACT);
        for (int g = 0; c->repness != NULL && g < c->ngroups; g++) {
            const struct consensus_repness *r = &c->repness[(size_t)g * c->ns + j];
            gsi_json_object_begin(w, NULL, GSI_JSON_COMPACT);
            gsi_json_uint(w, "agree", r->na);
            gsi_json_uint(w, "disagree", r->nd);
            gsi_json_uint(w, "seen", r->ns);
            gsi_json_end(w);
        }
        gsi_json_end(w);
        gsi_json_end(w);
    }
    gsi_json_end(w);
    render_public(w, l);
}

/* Each party's delegates' current votes, by party, in the order first seen. */
static void render_parties(struct gsi_json *w, const struct live *l)
{
    gsi_json_array_begin(w, "parties", GSI_JSON_COMPACT);
    for (size_t i = 0; i < l->npv; i++) {
        bool first = true;
        for (size_t k = 0; k < i && first; k++) {
            first = strcmp(l->pv[k].party, l->pv[i].party) != 0;
        }
        if (!first) {
            continue;
        }
        gsi_json_object_begin(w, NULL, GSI_JSON_COMPACT);
        gsi_json_string(w, "party", l->pv[i].party);
        gsi_json_array_begin(w, "positions", GSI_JSON_COMPACT);
        for (size_t k = i; k < l->npv; k++) {
            if (strcmp(l->pv[k].party, l->pv[i].party) == 0) {
                gsi_json_object_begin(w, NULL, GSI_JSON_COMPACT);
                gsi_json_int(w, "statement", l->pv[k].statement);
                gsi_json_int(w, "delegate", l->pv[k].voter);
                gsi_json_int(w, "vote", l->pv[k].vote);
                gsi_json_end(w);
            }
        }
        gsi_json_end(w);
        gsi_json_end(w);
    }
    gsi_json_end(w);
}

static int live_render(struct registry *reg, struct live *l, struct gsi_err *err)
{
    struct gsi_json w;
    gsi_json_init(&w, LIVE_JSON_MAX);
    gsi_json_object_begin(&w, NULL, GSI_JSON_COMPACT);
    gsi_json_int(&w, "consultation", l->consultation);
    gsi_json_int(&w, "last_vote", l->last_vote);
    gsi_json_uint(&w, "votes", l->rows);
    gsi_json_int(&w, "as_of", now_us());
    gsi_json_string(&w, "computed", l->full ? "full" : "update");
    gsi_json_int(&w, "computes", l->c->computes);
    render_participants(&w, l);
    render_groups(&w, l->c);
    render_ranked(&w, l->c, true);
    render_ranked(&w, l->c, false);
    render_statements(&w, l);
    render_parties(&w, l);
    gsi_json_end(&w);
    if (gsi_json_finish(&w) < 0 || w.buf.data == NULL) {
        gsi_json_release(&w);
        return gsi_err_set(err, GSI_ELIMIT, "consultation %lld: view over %u bytes",
                           (long long)l->consultation, LIVE_JSON_MAX);
    }
    size_t len = 0;
    char *json = gsi_buf_take(&w.buf, &len);
    gsi_json_release(&w);
    pthread_mutex_lock(&reg->mu);
    free(l->json);
    l->json = json;
    l->json_len = len;
    pthread_mutex_unlock(&reg->mu);
    return 0;
}

/* --- the thread ----------------------------------------------------------------------- */

static void *live_thread(void *arg)
{
    struct registry *reg = arg;
    pthread_mutex_lock(&reg->mu);
    while (!reg->stop) {
        size_t n = reg->n;
        pthread_mutex_unlock(&reg->mu);
        for (size_t i = 0; i < n; i++) {
            struct live *l = reg->lives[i]; /* entries are only appended, never moved */
            struct gsi_err err = GSI_ERR_INIT;
            bool changed = false;
            pthread_mutex_lock(&l->eng);
            int rc = live_refresh(reg->p, l, &changed, &err);
            if (rc == 0 && changed) {
                rc = live_render(reg, l, &err);
            }
            pthread_mutex_unlock(&l->eng);
            if (rc < 0) {
                fprintf(stderr, "gsi: consensus view of consultation %lld: %s\n",
                        (long long)l->consultation, err.msg);
            }
        }
        pthread_mutex_lock(&reg->mu);
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        int64_t ns = ts.tv_nsec + (reg->opts.interval_us % 1000000) * 1000;
        ts.tv_sec += (time_t)(reg->opts.interval_us / 1000000 + ns / 1000000000);
        ts.tv_nsec = (long)(ns % 1000000000);
        if (!reg->stop) {
            pthread_cond_timedwait(&reg->cv, &reg->mu, &ts);
        }
    }
    pthread_mutex_unlock(&reg->mu);
    return NULL;
}

static void live_free(struct live *l)
{
    if (l == NULL) {
        return;
    }
    consensus_free(l->c);
    pthread_mutex_destroy(&l->eng);
    free(l->pv);
    free(l->json);
    free(l);
}

/* A new view of `consultation`, loaded and computed in the caller's thread. */
static int live_new(struct registry *reg, struct live **out, int64_t consultation,
                    struct gsi_err *err)
{
    *out = NULL;
    struct live *l = calloc(1, sizeof *l);
    struct consensus_opts o;
    consensus_opts_default(&o);
    o.threads = reg->opts.threads;
    if (l == NULL || (l->c = consensus_new(&o)) == NULL) {
        free(l);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&l->eng, NULL);
    l->consultation = consultation;
    l->moderated = -1;
    bool changed = false;
    int rc = live_refresh(reg->p, l, &changed, err);
    if (rc == 0) {
        rc = live_render(reg, l, err);
    }
    if (rc < 0) {
        live_free(l);
        return rc;
    }
    *out = l;
    return 0;
}

static int live_find_or_add(struct registry *reg, struct live **out, int64_t consultation,
                            struct gsi_err *err)
{
    pthread_mutex_lock(&reg->mu);
    for (size_t i = 0; i < reg->n; i++) {
        if (reg->lives[i]->consultation == consultation) {
            *out = reg->lives[i];
            pthread_mutex_unlock(&reg->mu);
            return 0;
        }
    }
    pthread_mutex_unlock(&reg->mu);
    struct live *l = NULL;
    int rc = live_new(reg, &l, consultation, err);
    if (rc < 0 || l == NULL) {
        return rc < 0 ? rc : gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    pthread_mutex_lock(&reg->mu);
    for (size_t i = 0; i < reg->n; i++) { /* another reader may have added it meanwhile */
        if (reg->lives[i]->consultation == consultation) {
            *out = reg->lives[i];
            pthread_mutex_unlock(&reg->mu);
            live_free(l);
            return 0;
        }
    }
    if (reg->n == CONSULT_LIVE_MAX) {
        pthread_mutex_unlock(&reg->mu);
        live_free(l);
        return gsi_err_set(err, GSI_ELIMIT, "more than %d consultations followed at once",
                           CONSULT_LIVE_MAX);
    }
    reg->lives[reg->n++] = l;
    if (!reg->running && pthread_create(&reg->th, NULL, live_thread, reg) == 0) {
        reg->running = true;
    }
    pthread_mutex_unlock(&reg->mu);
    *out = l;
    return 0;
}

int platform_consult_live_view(struct platform *p, int64_t consultation, char **json, size_t *len,
                               struct gsi_err *err)
{
    struct registry *reg = registry_of(p, true);
    if (reg == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory (or too many platforms open)");
    }
    struct live *l = NULL;
    int rc = live_find_or_add(reg, &l, consultation, err);
    if (rc < 0 || l == NULL) {
        return rc < 0 ? rc : gsi_err_set(err, GSI_EINTERNAL, "no view");
    }
    pthread_mutex_lock(&reg->mu);
    *json = malloc(l->json_len + 1);
    if (*json != NULL) {
        memcpy(*json, l->json, l->json_len + 1);
        *len = l->json_len;
    }
    pthread_mutex_unlock(&reg->mu);
    return *json ? 0 : gsi_err_set(err, GSI_ENOMEM, "out of memory");
}

void platform_consult_live_shutdown(struct platform *p)
{
    struct registry *reg = registry_of(p, false);
    if (reg == NULL) {
        return;
    }
    pthread_mutex_lock(&reg->mu);
    reg->stop = true;
    pthread_cond_broadcast(&reg->cv);
    bool running = reg->running;
    pthread_mutex_unlock(&reg->mu);
    if (running) {
        pthread_join(reg->th, NULL);
    }
    pthread_mutex_lock(&regs_mu);
    for (size_t i = 0; i < LIVE_REGISTRIES; i++) {
        regs[i] = regs[i] == reg ? NULL : regs[i];
    }
    pthread_mutex_unlock(&regs_mu);
    for (size_t i = 0; i < reg->n; i++) {
        live_free(reg->lives[i]);
    }
    pthread_mutex_destroy(&reg->mu);
    pthread_cond_destroy(&reg->cv);
    free(reg);
}
