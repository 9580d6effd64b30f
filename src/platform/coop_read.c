/* coop_read.c — the open offers and requests into the engine; the allocation, re-run and
 * journalled after each act on them (platform_coop.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "platform/internal.h"
#include "platform/platform_coop.h"
#include "platform/proc.h"

/* The case id an offer's or request's book id names (load_case writes it in decimal). */
static int64_t case_id_of(const char *s)
{
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    return end != s && *end == '\0' ? (int64_t)v : 0;
}

/* Adds one open case to the book. */
static int load_case(struct coop_book *b, const struct platform_proc_case *c, bool offer,
                     struct gsi_err *err)
{
    json_t *data = json_loads(c->data != NULL ? c->data : "{}", 0, NULL);
    if (data == NULL) {
        return gsi_err_set(err, GSI_EDATA, "case %lld: its data is not JSON", (long long)c->id);
    }
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)c->id);
    const char *langs[COOP_ENTRY_LIST_MAX];
    const char *regions[COOP_ENTRY_LIST_MAX];
    struct coop_entry e;
    struct gsi_err why = GSI_ERR_INIT;
    platform_coop_entry(&e, langs, regions, data, id, c->owner, offer);
    int rc = offer ? coop_book_offer_add(b, &e, &why) : coop_book_request_add(b, &e, &why);
    json_decref(data);
    if (rc < 0) {
        return gsi_err_set(err, rc, "%s %lld: %s", offer ? "offer" : "request", (long long)c->id,
                           why.msg);
    }
    return 0;
}

/* Every open case of `proc`, page by page; withdrawn ones count for as_of only. */
static int load_proc(struct platform *p, struct platform_coop *c, const struct platform_proc *proc,
                     bool offer, struct gsi_err *err)
{
    struct platform_proc_query q = { .limit = PLATFORM_PROC_LIST_MAX };
    for (;;) {
        struct platform_proc_case *list = NULL;
        size_t n = 0;
        int rc = platform_proc_list(p, &list, &n, NULL, proc, &q, err);
        for (size_t i = 0; rc == 0 && i < n; i++) {
            if (strcmp(list[i].state, "open") == 0) {
                rc = load_case(&c->book, &list[i], offer, err);
            }
            c->as_of = list[i].last_record > c->as_of ? list[i].last_record : c->as_of;
            q.after = list[i].last_record;
        }
        platform_proc_case_list_free(list, n);
        if (rc < 0 || n < q.limit) {
            return rc;
        }
        if (c->book.noffers + c->book.nreqs > PLATFORM_COOP_CASES_MAX) {
            return gsi_err_set(err, GSI_ELIMIT, "more than %u open offers and requests",
                               PLATFORM_COOP_CASES_MAX);
        }
    }
}

int platform_coop_load(struct platform *p, struct platform_coop *c, struct gsi_err *err)
{
    memset(c, 0, sizeof *c);
    coop_book_init(&c->book);
    int rc = load_proc(p, c, &platform_proc_coop_offer, true, err);
    rc = rc < 0 ? rc : load_proc(p, c, &platform_proc_coop_request, false, err);
    rc = rc < 0 ? rc : coop_book_finish(&c->book, err);
    if (rc < 0) {
        platform_coop_release(c);
    }
    return rc;
}

void platform_coop_release(struct platform_coop *c)
{
    coop_book_release(&c->book);
    c->as_of = 0;
}

int platform_coop_allocate(struct platform *p, struct platform_coop *c, struct coop_alloc *a,
                           struct gsi_err *err)
{
    memset(a, 0, sizeof *a);
    int rc = platform_coop_load(p, c, err);
    if (rc == 0) {
        const struct coop_book *b = &c->book;
        rc = coop_alloc_run(a, b->offers, b->noffers, b->reqs, b->nreqs, b->nparties, err);
        if (rc < 0) {
            platform_coop_release(c);
        }
    }
    return rc;
}

/* The allocation as the journal keeps it (see platform_coop.h). */
static json_t *alloc_json(const struct platform_coop *c, const struct coop_alloc *a, bool grants)
{
    if (a->party_places == NULL) {
        return NULL;
    }
    json_t *shares = json_object();
    for (size_t i = 0; i < c->book.nparties; i++) {
        json_object_set_new(shares, c->book.parties[i], json_integer(a->party_places[i]));
    }
    json_t *j = json_pack("{s:I,s:I,s:o}", "as_of", (json_int_t)c->as_of, "allocated",
                          (json_int_t)a->total, "shares", shares);
    if (j == NULL) {
        return NULL;
    }
    if (!grants) {
        json_object_set_new(j, "grants_omitted", json_true());
        return j;
    }
    json_t *g = json_array();
    for (size_t i = 0; i < a->ngrants; i++) {
        const struct coop_grant *x = &a->grants[i];
        json_array_append_new(
            g, json_pack("[I,I,i]", (json_int_t)case_id_of(c->book.req_ids[x->request]),
                         (json_int_t)case_id_of(c->book.offer_ids[x->offer]), (int)x->places));
    }
    json_object_set_new(j, "grants", g);
    return j;
}

/* One re-run: the allocation of the open offers and requests now, journalled. */
static int reallocate_once(struct platform *p, struct platform_receipt *out,
                           const struct platform_delegate *actor, const char *party,
                           struct gsi_err *err)
{
    struct platform_coop c;
    struct coop_alloc a;
    int rc = platform_coop_allocate(p, &c, &a, err);
    if (rc < 0) {
        return rc;
    }
    char *text = NULL;
    for (int grants = 1; grants >= 0 && text == NULL; grants--) {
        json_t *j = alloc_json(&c, &a, grants == 1);
        text = j != NULL ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        json_decref(j);
        if (text != NULL && strlen(text) > PLATFORM_PAYLOAD_MAX) {
            free(text);
            text = NULL;
        }
    }
    coop_alloc_release(&a);
    platform_coop_release(&c);
    if (text == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory writing the allocation");
    }
    struct platform_act act = { .type = "cooperation.allocation",
                                .party = party,
                                .payload = text,
                                .payload_len = strlen(text) };
    rc = platform_act_record(p, out, actor, &act, err);
    free(text);
    return rc;
}

/* Re-runs are made one at a time. A request (made after its act committed) that finds one
 * running waits for the next, which starts once the running one ends and is made by the
 * first such request for all of them: its load sees every act whose request came before it
 * started. So each act is followed by an allocation that reflects it, as with one re-run per
 * act, and acts committing together share one re-run and one record instead of each
 * computing and journalling an allocation the next one replaces. */
static pthread_mutex_t runs_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t runs_cond = PTHREAD_COND_INITIALIZER;

int platform_coop_reallocate(struct platform *p, struct platform_receipt *out,
                             const struct platform_delegate *actor, const char *party,
                             struct gsi_err *err)
{
    pthread_mutex_lock(&runs_mu);
    uint64_t mine = ++p->coop_runs.asked;
    while (p->coop_runs.done < mine) {
        if (p->coop_runs.running) {
            pthread_cond_wait(&runs_cond, &runs_mu);
            continue;
        }
        p->coop_runs.running = true;
        uint64_t covers = p->coop_runs.asked; /* every act asked so far has committed */
        pthread_mutex_unlock(&runs_mu);
        struct platform_receipt r;
        struct gsi_err e = GSI_ERR_INIT;
        memset(&r, 0, sizeof r);
        int rc = reallocate_once(p, &r, actor, party, &e);
        pthread_mutex_lock(&runs_mu);
        p->coop_runs.running = false;
        p->coop_runs.done = covers;
        p->coop_runs.rc = rc;
        p->coop_runs.receipt = r;
        p->coop_runs.err = e;
        pthread_cond_broadcast(&runs_cond);
    }
    int rc = p->coop_runs.rc;
    *out = p->coop_runs.receipt;
    if (rc < 0) {
        *err = p->coop_runs.err;
    }
    pthread_mutex_unlock(&runs_mu);
    return rc;
}

int platform_coop_matches(struct platform *p, struct platform_coop_match **out, size_t *n,
                          int64_t request, size_t top, bool compatible, int64_t *as_of,
                          struct gsi_err *err)
{
    struct platform_coop c;
    struct coop_match *m = NULL;
    size_t nm = 0;
    *out = NULL;
    *n = 0;
    int rc = platform_coop_load(p, &c, err);
    if (rc < 0) {
        return rc;
    }
    const struct coop_book *b = &c.book;
    *as_of = c.as_of;
    bool known = request <= 0;
    for (size_t r = 0; !known && r < b->nreqs; r++) {
        known = case_id_of(b->req_ids[r]) == request;
    }
    if (!known) {
        /* A request that is not open has no matches to show: say so, not "none". */
        platform_coop_release(&c);
        return gsi_err_set(err, GSI_ENOTFOUND, "no open cooperation request %lld",
                           (long long)request);
    }
    rc = coop_match_run(&m, &nm, b->offers, b->noffers, b->reqs, b->nreqs, top, compatible, err);
    struct platform_coop_match *list = rc == 0 ? calloc(nm > 0 ? nm : 1, sizeof *list) : NULL;
    if (rc == 0 && list == NULL) {
        rc = gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    int rank = 0;
    for (size_t i = 0; list != NULL && i < nm; i++) {
        rank = i > 0 && m[i - 1].request == m[i].request ? rank + 1 : 1;
        int64_t req = case_id_of(b->req_ids[m[i].request]);
        if (request > 0 && req != request) {
            continue;
        }
        struct platform_coop_match *x = &list[(*n)++];
        x->request = req;
        x->offer = case_id_of(b->offer_ids[m[i].offer]);
        snprintf(x->party, sizeof x->party, "%s", b->req_parties[m[i].request]);
        snprintf(x->offered_by, sizeof x->offered_by, "%s", b->offer_parties[m[i].offer]);
        x->places = b->offers[m[i].offer].places;
        x->reasons = m[i].reasons;
        x->rank = rank;
    }
    *out = list;
    free(m);
    platform_coop_release(&c);
    return rc;
}

/* Fills the result's shares and grants from an allocation over c's book. */
static int result_fill(struct platform_coop_result *out, const struct platform_coop *c,
                       const struct coop_alloc *a)
{
    const struct coop_book *b = &c->book;
    if (a->party_places == NULL) {
        return GSI_EINTERNAL;
    }
    out->shares = calloc(b->nparties > 0 ? b->nparties : 1, sizeof *out->shares);
    out->grants = calloc(a->ngrants > 0 ? a->ngrants : 1, sizeof *out->grants);
    if (out->shares == NULL || out->grants == NULL) {
        return GSI_ENOMEM;
    }
    out->as_of = c->as_of;
    out->allocated = a->total;
    out->nshares = b->nparties;
    for (size_t i = 0; i < b->nparties; i++) {
        snprintf(out->shares[i].party, sizeof out->shares[i].party, "%s", b->parties[i]);
        out->shares[i].allocated = a->party_places[i];
    }
    for (size_t r = 0; r < b->nreqs; r++) {
        out->shares[b->reqs[r].party].requested += b->reqs[r].places;
    }
    out->ngrants = a->ngrants;
    for (size_t i = 0; i < a->ngrants; i++) {
        struct platform_coop_grant *g = &out->grants[i];
        g->request = case_id_of(b->req_ids[a->grants[i].request]);
        g->offer = case_id_of(b->offer_ids[a->grants[i].offer]);
        snprintf(g->party, sizeof g->party, "%s", b->req_parties[a->grants[i].request]);
        g->places = a->grants[i].places;
    }
    return 0;
}

int platform_coop_result_get(struct platform *p, struct platform_coop_result *out,
                             struct gsi_err *err)
{
    struct platform_coop c;
    struct coop_alloc a;
    memset(out, 0, sizeof *out);
    int rc = platform_coop_allocate(p, &c, &a, err);
    if (rc < 0) {
        return rc;
    }
    if (result_fill(out, &c, &a) < 0) {
        platform_coop_result_release(out);
        rc = gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    coop_alloc_release(&a);
    platform_coop_release(&c);
    return rc;
}

void platform_coop_result_release(struct platform_coop_result *r)
{
    free(r->shares);
    free(r->grants);
    memset(r, 0, sizeof *r);
}
