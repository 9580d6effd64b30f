/* proc_read.c — reading procedures' cases (with the confidentiality rule and deadlines judged at
 * read time), the overdue counts, and rebuilding the projection from the records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/internal.h"
#include "ref/ref.h"

#define CASE_COLS                                                                           \
    "c.id, c.kind, c.subtype, c.owner, c.state, c.confidential, c.title, c.domain, c.data," \
    " c.version, c.opened_us, c.updated_us, c.last_record"

int64_t platform_proc_now(const struct platform *p)
{
    return platform_clock_now(p);
}

void platform_proc_case_release(struct platform_proc_case *c)
{
    if (c == NULL) {
        return;
    }
    free(c->data);
    free(c->parties);
    free(c->acts);
    c->data = NULL;
    c->parties = NULL;
    c->acts = NULL;
}

void platform_proc_case_list_free(struct platform_proc_case *list, size_t n)
{
    for (size_t i = 0; list != NULL && i < n; i++) {
        platform_proc_case_release(&list[i]);
    }
    free(list);
}

static int case_fill(void *elem, const struct store_rows *r, size_t i, struct gsi_err *err)
{
    struct platform_proc_case *c = elem;
    memset(c, 0, sizeof *c);
    c->id = store_rows_int(r, i, 0);
    snprintf(c->kind, sizeof c->kind, "%s", store_rows_text(r, i, 1));
    snprintf(c->subtype, sizeof c->subtype, "%s", store_rows_text(r, i, 2));
    snprintf(c->owner, sizeof c->owner, "%s", store_rows_text(r, i, 3));
    snprintf(c->state, sizeof c->state, "%s", store_rows_text(r, i, 4));
    c->confidential = store_rows_int(r, i, 5) != 0;
    snprintf(c->title, sizeof c->title, "%s", store_rows_text(r, i, 6));
    snprintf(c->domain, sizeof c->domain, "%s", store_rows_text(r, i, 7));
    c->data = strdup(store_rows_text(r, i, 8));
    c->version = (int)store_rows_int(r, i, 9);
    c->opened_us = store_rows_int(r, i, 10);
    c->updated_us = store_rows_int(r, i, 11);
    c->last_record = store_rows_int(r, i, 12);
    return c->data != NULL ? 0 : gsi_err_set(err, GSI_ENOMEM, "out of memory");
}

static void case_release(void *elem)
{
    platform_proc_case_release(elem);
}

/* A platform_rows_collect_ctx fill: a proc_parties row (party, state, due_us, due_what,
 * updated_us), judged overdue at the time `*(int64_t *)ctx`. */
static int party_fill(void *elem, void *ctx, const struct store_rows *r, size_t i,
                      struct gsi_err *err)
{
    (void)err;
    struct platform_proc_party *pp = elem;
    int64_t at_us = *(const int64_t *)ctx;
    snprintf(pp->party, sizeof pp->party, "%s", store_rows_text(r, i, 0));
    snprintf(pp->state, sizeof pp->state, "%s", store_rows_text(r, i, 1));
    pp->due_us = store_rows_is_null(r, i, 2) ? 0 : store_rows_int(r, i, 2);
    snprintf(pp->due_what, sizeof pp->due_what, "%s", store_rows_text(r, i, 3));
    pp->updated_us = store_rows_int(r, i, 4);
    pp->overdue = pp->due_us != 0 && pp->due_us < at_us;
    return 0;
}

/* The case's party rows, each judged overdue at `at_us`. */
static int parties_load(struct platform *p, struct platform_proc_case *c, int64_t at_us,
                        struct gsi_err *err)
{
    struct store_val v[] = { STORE_INT(c->id) };
    struct store_rows *r;
    int rc = platform_query(p, &r,
                            "SELECT party, state, due_us, due_what, updated_us FROM proc_parties"
                            " WHERE case_id = ? ORDER BY party",
                            v, 1, err);
    if (rc < 0) {
        return rc;
    }
    void *list;
    rc = platform_rows_collect_ctx(r, sizeof *c->parties, party_fill, &at_us, NULL, &list,
                                   &c->nparties, err);
    c->parties = list;
    return rc;
}

/* A platform_rows_collect fill: a proc_acts row (record_id, type, party, time_us). */
static int act_fill(void *elem, const struct store_rows *r, size_t i, struct gsi_err *err)
{
    (void)err;
    struct platform_proc_act_ref *a = elem;
    a->record_id = store_rows_int(r, i, 0);
    snprintf(a->type, sizeof a->type, "%s", store_rows_text(r, i, 1));
    snprintf(a->party, sizeof a->party, "%s", store_rows_text(r, i, 2));
    a->time_us = store_rows_int(r, i, 3);
    return 0;
}

static int acts_load(struct platform *p, struct platform_proc_case *c, struct gsi_err *err)
{
    struct store_val v[] = { STORE_INT(c->id) };
    struct store_rows *r;
    int rc =
        platform_query(p, &r,
                       "SELECT record_id, type, party, time_us FROM proc_acts WHERE case_id = ?"
                       " ORDER BY record_id",
                       v, 1, err);
    if (rc < 0) {
        return rc;
    }
    void *list;
    rc = platform_rows_collect(r, sizeof *c->acts, act_fill, NULL, &list, &c->nacts, err);
    c->acts = list;
    return rc;
}

/* The confidentiality rule for cases: visible to the administrator (NULL), and when
 * confidential only to its owner and the parties it addresses. */
static bool case_visible(const struct platform_delegate *viewer, const struct platform_proc_case *c)
{
    if (viewer == NULL || !c->confidential) {
        return true;
    }
    if (viewer->party[0] == '\0') {
        return false;
    }
    if (strcmp(viewer->party, c->owner) == 0) {
        return true;
    }
    for (size_t i = 0; i < c->nparties; i++) {
        if (strcmp(viewer->party, c->parties[i].party) == 0) {
            return true;
        }
    }
    return false;
}

int platform_proc_get(struct platform *p, struct platform_proc_case *out,
                      const struct platform_delegate *viewer, const struct platform_proc *proc,
                      int64_t id, int64_t at_us, struct gsi_err *err)
{
    memset(out, 0, sizeof *out);
    struct store_rows *r;
    int rc = platform__proc_case_query(
        p, &r, "SELECT " CASE_COLS " FROM proc_cases c WHERE c.id = ? AND c.kind = ?", proc, id,
        err);
    if (rc < 0) {
        return rc;
    }
    rc = case_fill(out, r, 0, err);
    store_rows_free(r);
    rc = rc ? rc : parties_load(p, out, at_us != 0 ? at_us : platform_clock_now(p), err);
    if (rc == 0 && !case_visible(viewer, out)) {
        rc = platform__proc_no_case(proc, id, err); /* hidden reads as missing */
    }
    rc = rc ? rc : acts_load(p, out, err);
    if (rc < 0) {
        platform_proc_case_release(out);
    }
    return rc;
}

static void where_add(char *w, size_t cap, const char *clause)
{
    size_t len = strlen(w);
    snprintf(w + len, cap - len, "%s", clause);
}

/* "a, b, c" of `n` names, cut short at `cap`, for a message. */
static void names_join(char *out, size_t cap, const char *const *names, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && len < cap; i++) {
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i > 0 ? ", " : "", names[i]);
    }
}

/* Whether `s` is one of `n` names. */
static bool name_in(const char *s, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(s, names[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* Whether `s` is the verb of one of `proc`'s opening acts (a case's subtype). */
static bool subtype_known(const struct platform_proc *proc, const char *s)
{
    for (size_t i = 0; i < proc->nacts; i++) {
        if ((proc->acts[i].flags & PLATFORM_PROC_OPENS) && strcmp(proc->acts[i].verb, s) == 0) {
            return true;
        }
    }
    return false;
}

/* A filter that names nothing (a state the procedure lacks, a subtype, domain or party that does
 * not exist) is the caller's mistake, not a question whose answer is an empty list: GSI_EUSAGE
 * naming the allowed values, GSI_ENOTFOUND for a party. */
static int query_check(struct platform *p, const struct platform_proc *proc,
                       const struct platform_proc_query *q, struct gsi_err *err)
{
    char allowed[GSI_ERR_MSG_MAX];
    if (q->state != NULL && !name_in(q->state, proc->states, proc->nstates)) {
        names_join(allowed, sizeof allowed, proc->states, proc->nstates);
        return gsi_err_set(err, GSI_EUSAGE, "state '%.24s' is no state of a %s; expected one of %s",
                           q->state, proc->name, allowed);
    }
    if (q->subtype != NULL && !subtype_known(proc, q->subtype)) {
        platform__proc_opening_verbs(allowed, sizeof allowed, proc);
        return gsi_err_set(err, GSI_EUSAGE, "type '%.40s' is no type of a %s; expected one of %s",
                           q->subtype, proc->name, allowed);
    }
    if (q->domain != NULL && ref_domain_by_key(q->domain, strlen(q->domain)) == NULL) {
        const char *keys[32];
        size_t nk = 0;
        for (size_t i = 0; i < ref_domain_count() && nk < 32; i++) {
            keys[nk++] = ref_domain_at(i)->key;
        }
        names_join(allowed, sizeof allowed, keys, nk);
        return gsi_err_set(err, GSI_EUSAGE, "domain '%.40s' is unknown; expected one of %s",
                           q->domain, allowed);
    }
    struct platform_party party;
    return q->party != NULL ? platform_party_get(p, &party, q->party, err) : 0;
}

int platform_proc_list(struct platform *p, struct platform_proc_case **out, size_t *n,
                       const struct platform_delegate *viewer, const struct platform_proc *proc,
                       const struct platform_proc_query *q, struct gsi_err *err)
{
    *out = NULL;
    *n = 0;
    size_t limit = q->limit != 0 ? q->limit : 100;
    if (query_check(p, proc, q, err) < 0) {
        return err->code;
    }
    if (limit > PLATFORM_PROC_LIST_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "limit %zu is over %d", limit, PLATFORM_PROC_LIST_MAX);
    }
    int64_t at = q->at_us != 0 ? q->at_us : platform_clock_now(p);
    char where[1024];
    struct store_val v[16];
    size_t nv = 0;
    snprintf(where, sizeof where, " FROM proc_cases c WHERE c.kind = ? AND c.last_record > ?");
    v[nv++] = STORE_TEXT(proc->name);
    v[nv++] = STORE_INT(q->after);
    if (viewer != NULL && viewer->party[0] == '\0') {
        where_add(where, sizeof where, " AND c.confidential = 0");
    } else if (viewer != NULL) {
        where_add(where, sizeof where,
                  " AND (c.confidential = 0 OR c.owner = ? OR EXISTS (SELECT 1 FROM proc_parties"
                  " v WHERE v.case_id = c.id AND v.party = ?))");
        v[nv++] = STORE_TEXT(viewer->party);
        v[nv++] = STORE_TEXT(viewer->party);
    }
    if (q->party != NULL && !q->overdue) {
        where_add(where, sizeof where,
                  " AND (c.owner = ? OR EXISTS (SELECT 1 FROM proc_parties w WHERE w.case_id ="
                  " c.id AND w.party = ?))");
        v[nv++] = STORE_TEXT(q->party);
        v[nv++] = STORE_TEXT(q->party);
    }
    if (q->overdue) {
        where_add(where, sizeof where,
                  " AND EXISTS (SELECT 1 FROM proc_parties o WHERE o.case_id = c.id AND"
                  " o.due_us IS NOT NULL AND o.due_us < ?");
        v[nv++] = STORE_INT(at);
        if (q->party != NULL) {
            where_add(where, sizeof where, " AND o.party = ?");
            v[nv++] = STORE_TEXT(q->party);
        }
        where_add(where, sizeof where, ")");
    }
    const char *eq[][2] = { { " AND c.state = ?", q->state },
                            { " AND c.subtype = ?", q->subtype },
                            { " AND c.domain = ?", q->domain } };
    for (size_t i = 0; i < 3; i++) {
        if (eq[i][1] != NULL) {
            where_add(where, sizeof where, eq[i][0]);
            v[nv++] = STORE_TEXT(eq[i][1]);
        }
    }
    if (q->since_us != 0) {
        where_add(where, sizeof where, " AND c.updated_us >= ?");
        v[nv++] = STORE_INT(q->since_us);
    }
    v[nv++] = STORE_INT(limit);
    char sql[1400];
    snprintf(sql, sizeof sql, "SELECT " CASE_COLS "%s ORDER BY c.last_record LIMIT ?", where);
    struct store_rows *r;
    int rc = platform_query(p, &r, sql, v, nv, err);
    if (rc < 0) {
        return rc;
    }
    void *list;
    rc = platform_rows_collect(r, sizeof **out, case_fill, case_release, &list, n, err);
    *out = list;
    for (size_t i = 0; rc == 0 && i < *n; i++) {
        rc = parties_load(p, &(*out)[i], at, err);
    }
    if (rc < 0) {
        platform_proc_case_list_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

static int count_fill(void *elem, const struct store_rows *r, size_t i, struct gsi_err *err)
{
    (void)err;
    struct platform_proc_count *c = elem;
    snprintf(c->party, sizeof c->party, "%s", store_rows_text(r, i, 0));
    c->count = store_rows_int(r, i, 1);
    return 0;
}

int platform_proc_overdue_counts(struct platform *p, struct platform_proc_count **out, size_t *n,
                                 const struct platform_proc *proc, int64_t at_us,
                                 struct gsi_err *err)
{
    *out = NULL;
    *n = 0;
    struct store_val v[] = { STORE_TEXT(proc->name),
                             STORE_INT(at_us != 0 ? at_us : platform_clock_now(p)) };
    struct store_rows *r;
    int rc = platform_query(p, &r,
                            "SELECT o.party, COUNT(*) FROM proc_parties o JOIN proc_cases c ON"
                            " c.id = o.case_id WHERE c.kind = ? AND o.due_us IS NOT NULL AND"
                            " o.due_us < ? GROUP BY o.party ORDER BY o.party",
                            v, 2, err);
    if (rc < 0) {
        return rc;
    }
    void *list;
    rc = platform_rows_collect(r, sizeof **out, count_fill, NULL, &list, n, err);
    *out = list;
    return rc;
}

/* --- rebuilding the projection from the records --- */

/* The procedure and act of a record type, or NULL for a record of no procedure. */
static const struct platform_proc_act *act_of(const char *type, const struct platform_proc **proc)
{
    for (size_t i = 0; platform_procs[i] != NULL; i++) {
        const struct platform_proc *pr = platform_procs[i];
        size_t len = strlen(pr->name);
        if (strncmp(type, pr->name, len) == 0 && (type[len] == '.' || type[len] == '\0')) {
            for (size_t k = 0; k < pr->nacts; k++) {
                if (strcmp(pr->acts[k].type, type) == 0) {
                    *proc = pr;
                    return &pr->acts[k];
                }
            }
        }
    }
    return NULL;
}

/* A store_query_pages row: replays record row `i` on the store `ctx`. */
static int replay_one(void *ctx, const struct store_rows *r, size_t i, struct gsi_err *err)
{
    struct store *s = ctx;
    const struct platform_proc *proc = NULL;
    const struct platform_proc_act *a = act_of(store_rows_text(r, i, 1), &proc);
    if (a == NULL) {
        return 0;
    }
    int64_t id = store_rows_int(r, i, 0);
    json_t *payload = json_loadb(store_rows_text(r, i, 3), store_rows_len(r, i, 3), 0, NULL);
    if (payload == NULL) {
        return gsi_err_set(err, GSI_EDATA, "record %lld: its payload is not JSON", (long long)id);
    }
    int64_t case_id =
        (a->flags & PLATFORM_PROC_OPENS) ? id : platform__proc_json_int(payload, "case", 0);
    int rc = platform__proc_project(s, proc, a, store_rows_text(r, i, 2), payload, case_id, id,
                                    store_rows_int(r, i, 4), true, err);
    json_decref(payload);
    if (rc < 0) {
        char msg[GSI_ERR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", err->msg);
        return gsi_err_set(err, rc, "record %lld (%s): %s", (long long)id, a->type, msg);
    }
    return 0;
}

/* Before the replay: the procedure's own tables emptied but the rows it keeps, then its
 * reset. Table names and conditions are the procedures' constant SQL text. */
static int tables_clear(struct store *s, const struct platform_proc *proc, struct gsi_err *err)
{
    int rc = 0;
    for (size_t t = 0; rc == 0 && t < proc->ntables; t++) {
        const struct platform_proc_table *tb = &proc->tables[t];
        char sql[512];
        int n =
            snprintf(sql, sizeof sql, "DELETE FROM %s%s%s%s", tb->name,
                     tb->keep ? " WHERE NOT (" : "", tb->keep ? tb->keep : "", tb->keep ? ")" : "");
        rc = n > 0 && (size_t)n < sizeof sql
                 ? store_exec(s, sql, NULL, 0, err)
                 : gsi_err_set(err, GSI_EINTERNAL, "%s: the clearing statement is too long",
                               tb->name);
    }
    return rc == 0 && proc->reset != NULL ? proc->reset(s, err) : rc;
}

static int rebuild_fn(struct platform *p, struct pw_batch *b, void *ctx, struct gsi_err *err)
{
    (void)p;
    (void)ctx;
    /* Every row is written again from the records: what acts earlier in this batch cached
     * of a case (proc_cache.c) may not be what the rebuild leaves. */
    platform__proc_cache_drop(&b->proc_cache);
    int rc = store_exec(b->s,
                        "DELETE FROM proc_acts; DELETE FROM proc_parties;"
                        " DELETE FROM proc_cases",
                        NULL, 0, err);
    for (size_t i = 0; rc == 0 && platform_procs[i] != NULL; i++) {
        rc = tables_clear(b->s, platform_procs[i], err);
    }
    /* Pages of records, oldest first, joined with their entries for the act time. */
    return rc < 0 ? rc
                  : store_query_pages(b->s,
                                      "SELECT r.id, r.type, r.party, r.payload, j.time_us FROM"
                                      " records r JOIN journal j ON j.idx = r.journal_index WHERE"
                                      " r.id > ? AND r.type LIKE '%.%' ORDER BY r.id LIMIT ?",
                                      0, 1000, replay_one, b->s, err);
}

int platform_proc_rebuild(struct platform *p, struct gsi_err *err)
{
    return platform_write(p, rebuild_fn, NULL, NULL, err);
}

/* Chains one query's rows into `out`: h = SHA-256(h || row), each row's columns joined by
 * 0x1f. *n gets the rows, *last the first column of the last row. */
static int digest_rows(struct store *s, uint8_t out[PLATFORM_HASH_SIZE], struct gsi_buf *row,
                       const char *sql, const struct store_val *v, size_t nv, size_t *n,
                       int64_t *last, struct gsi_err *err)
{
    struct store_rows *r = NULL;
    int rc = store_query(s, &r, sql, v, nv, err);
    *n = rc == 0 ? store_rows_count(r) : 0;
    for (size_t i = 0; rc == 0 && i < *n; i++) {
        gsi_buf_reset(row);
        rc = gsi_buf_append(row, out, PLATFORM_HASH_SIZE);
        for (size_t k = 0; rc == 0 && k < store_rows_columns(r); k++) {
            rc = gsi_buf_append(row, store_rows_text(r, i, k), store_rows_len(r, i, k));
            rc = rc ? rc : gsi_buf_putc(row, 0x1f);
        }
        if (rc == 0) {
            journal_sha256(out, row->data, row->len);
            *last = store_rows_int(r, i, 0);
        }
    }
    if (r != NULL && (rc == GSI_ENOMEM || rc == GSI_ELIMIT)) {
        rc = gsi_err_set(err, rc, "out of memory hashing the procedures' tables");
    }
    store_rows_free(r);
    return rc;
}

#define DIGEST_PAGE 10000

/* A procedure's own table into the digest: every row, all columns in the table's order, by
 * its key; pages of DIGEST_PAGE rows when the key is one integer column. */
static int digest_table(struct store *s, uint8_t out[PLATFORM_HASH_SIZE], struct gsi_buf *row,
                        const struct platform_proc_table *tb, struct gsi_err *err)
{
    bool paged = strchr(tb->key, ',') == NULL;
    char sql[512];
    int len =
        paged ? snprintf(sql, sizeof sql, "SELECT %s, * FROM %s WHERE %s > ? ORDER BY %s LIMIT %d",
                         tb->key, tb->name, tb->key, tb->key, DIGEST_PAGE)
              : snprintf(sql, sizeof sql, "SELECT 0, * FROM %s ORDER BY %s", tb->name, tb->key);
    if (len < 0 || (size_t)len >= sizeof sql) {
        return gsi_err_set(err, GSI_EINTERNAL, "%s: the digest's query is too long", tb->name);
    }
    int64_t after = INT64_MIN;
    size_t n = DIGEST_PAGE;
    int rc = 0;
    while (rc == 0 && n == DIGEST_PAGE) {
        struct store_val v[] = { STORE_INT(after) };
        rc = digest_rows(s, out, row, sql, v, paged ? 1 : 0, &n, &after, err);
        n = paged ? n : 0;
    }
    return rc;
}

/* SHA-256 over every row of the projection, in a fixed order: proc_cases, proc_parties,
 * proc_acts, then each procedure's own tables (registry order, then declared order). */
static int projection_digest(struct store *s, uint8_t out[PLATFORM_HASH_SIZE], struct gsi_err *err)
{
    static const char *const queries[] = {
        "SELECT " CASE_COLS " FROM proc_cases c ORDER BY c.id",
        ("SELECT case_id, party, state, due_us, due_what, updated_us FROM proc_parties"
         " ORDER BY case_id, party"),
        "SELECT record_id, case_id, type, party, time_us FROM proc_acts ORDER BY record_id",
    };
    memset(out, 0, PLATFORM_HASH_SIZE);
    struct gsi_buf row;
    gsi_buf_init(&row, STORE_RESULT_MAX);
    int rc = 0;
    for (size_t q = 0; rc == 0 && q < sizeof queries / sizeof queries[0]; q++) {
        size_t n;
        int64_t last;
        rc = digest_rows(s, out, &row, queries[q], NULL, 0, &n, &last, err);
    }
    for (size_t i = 0; rc == 0 && platform_procs[i] != NULL; i++) {
        for (size_t t = 0; rc == 0 && t < platform_procs[i]->ntables; t++) {
            rc = digest_table(s, out, &row, &platform_procs[i]->tables[t], err);
        }
    }
    gsi_buf_release(&row);
    return rc;
}

struct check_ctx {
    uint8_t before[PLATFORM_HASH_SIZE], after[PLATFORM_HASH_SIZE];
    bool done;
};

/* Inside a write transaction: the digest, the rebuild, the digest again; then it fails on
 * purpose, so that the group commit rolls its savepoint back and nothing changes. */
static int check_fn(struct platform *p, struct pw_batch *b, void *ctx, struct gsi_err *err)
{
    struct check_ctx *c = ctx;
    int rc = projection_digest(b->s, c->before, err);
    rc = rc ? rc : rebuild_fn(p, b, NULL, err);
    rc = rc ? rc : projection_digest(b->s, c->after, err);
    if (rc < 0) {
        return rc;
    }
    c->done = true;
    return gsi_err_set(err, GSI_ECONFLICT, "the projection check rolls itself back");
}

int platform_proc_check(struct platform *p, bool *differs, struct gsi_err *err)
{
    struct check_ctx c;
    memset(&c, 0, sizeof c);
    *differs = false;
    int rc = platform_write(p, check_fn, &c, NULL, err);
    if (!c.done) {
        return rc < 0 ? rc : gsi_err_set(err, GSI_EINTERNAL, "the projection check did not run");
    }
    *differs = memcmp(c.before, c.after, sizeof c.before) != 0;
    return 0;
}
