/* proc.c — performing an act of a procedure (see proc.h): the checks that come from the table,
 * the record through platform_act_record, and the projection in its apply callback.
 *
 * Order of the checks, each refusing with nothing written:
 *   outside the transaction (what never changes once a case exists: its kind, subtype, owner,
 *   confidentiality and addressed parties) — the acting party (403), the role (403), the case
 *   and its visibility (404), the relation to the case (403), the payload (422);
 *   inside it, in the act's apply callback (what acts change) — the case's and the party's
 *   states (409), then the procedure's rules (422 naming the rule, or 409).
 * platform__proc_project is the same code whether an act is being made or the projection is rebuilt
 * from the records (proc_read.c), so the tables are always what the journal says. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/internal.h"

/* What the checks outside the transaction learnt about a case. */
struct case_head {
    int64_t id;
    char subtype[PLATFORM_PROC_SUB_MAX];
    char owner[PLATFORM_ID_MAX];
    bool confidential;
    char (*addressed)[PLATFORM_ID_MAX];
    size_t naddressed;
};

const struct platform_proc_act *platform_proc_act_find(const struct platform_proc *proc,
                                                       const char *type_or_verb)
{
    for (size_t i = 0; type_or_verb != NULL && i < proc->nacts; i++) {
        const struct platform_proc_act *a = &proc->acts[i];
        if (strcmp(a->type, type_or_verb) == 0 ||
            ((a->flags & PLATFORM_PROC_OPENS) && strcmp(a->verb, type_or_verb) == 0)) {
            return a;
        }
    }
    return NULL;
}

static int state_index(const char *const *names, size_t n, const char *s)
{
    for (size_t i = 0; s != NULL && i < n; i++) {
        if (names[i] != NULL && strcmp(names[i], s) == 0) {
            return (int)i;
        }
    }
    return -1;
}

int platform__proc_no_case(const struct platform_proc *proc, int64_t id, struct gsi_err *err)
{
    return gsi_err_set(err, GSI_ENOTFOUND, "no %s %lld", proc->name, (long long)id);
}

int platform__proc_case_query(struct platform *p, struct store_rows **r, const char *sql,
                              const struct platform_proc *proc, int64_t id, struct gsi_err *err)
{
    struct store_val v[] = { STORE_INT(id), STORE_TEXT(proc->name) };
    int rc = platform_query(p, r, sql, v, 2, err);
    if (rc == 0 && store_rows_count(*r) == 0) {
        store_rows_free(*r);
        *r = NULL;
        rc = platform__proc_no_case(proc, id, err);
    }
    return rc;
}

struct proc_prow *platform__proc_step_row(struct platform_proc_step *st, const char *party)
{
    for (size_t i = 0; party != NULL && st->rows != NULL && i < st->nrows; i++) {
        if (strcmp(st->rows[i].party, party) == 0) {
            return &st->rows[i];
        }
    }
    return NULL;
}

void platform__proc_row_due(struct proc_prow *r, int64_t due_us, const char *what)
{
    r->due_us = due_us;
    snprintf(r->due_what, sizeof r->due_what, "%s", due_us != 0 && what != NULL ? what : "");
    r->changed = true;
}

void platform__proc_rows_due(struct platform_proc_step *st, int64_t due_us, const char *what)
{
    for (size_t i = 0; i < st->nrows; i++) {
        platform__proc_row_due(&st->rows[i], due_us, what);
    }
}

bool platform__proc_rows_all(const struct platform_proc_step *st, int state)
{
    for (size_t i = 0; i < st->nrows; i++) {
        if (st->rows[i].state != state) {
            return false;
        }
    }
    return true;
}

/* --- the projection --- */

/* A platform_rows_collect_ctx fill: a proc_parties row (party, state, due_us, due_what) of the
 * case of step `ctx`; a state the procedure does not declare is bad data. */
static int prow_fill(void *elem, void *ctx, const struct store_rows *r, size_t i,
                     struct gsi_err *err)
{
    struct proc_prow *row = elem;
    const struct platform_proc_step *st = ctx;
    snprintf(row->party, sizeof row->party, "%s", store_rows_text(r, i, 0));
    row->state =
        state_index(st->proc->party_states, st->proc->nparty_states, store_rows_text(r, i, 1));
    row->due_us = store_rows_is_null(r, i, 2) ? 0 : store_rows_int(r, i, 2);
    snprintf(row->due_what, sizeof row->due_what, "%s", store_rows_text(r, i, 3));
    if (row->state < 0) {
        return gsi_err_set(err, GSI_EDATA, "%s %lld: party %s has a state this build does not know",
                           st->proc->name, (long long)st->case_id, row->party);
    }
    return 0;
}

/* Loads the case's mutable state and its party rows into `st` (inside the transaction). */
static int step_load(struct platform_proc_step *st, struct gsi_err *err)
{
    struct store_val v[] = { STORE_INT(st->case_id), STORE_TEXT(st->proc->name) };
    struct store_rows *r;
    int rc = store_query(st->s, &r,
                         "SELECT owner, state, data, version, opened_us, subtype FROM proc_cases"
                         " WHERE id = ? AND kind = ?",
                         v, 2, err);
    if (rc < 0) {
        return rc;
    }
    if (store_rows_count(r) == 0) {
        store_rows_free(r);
        return platform__proc_no_case(st->proc, st->case_id, err);
    }
    snprintf(st->owner, sizeof st->owner, "%s", store_rows_text(r, 0, 0));
    st->case_state = state_index(st->proc->states, st->proc->nstates, store_rows_text(r, 0, 1));
    st->data = json_loadb(store_rows_text(r, 0, 2), store_rows_len(r, 0, 2), 0, NULL);
    st->version = (int)store_rows_int(r, 0, 3);
    st->opened_us = store_rows_int(r, 0, 4);
    st->opening = platform_proc_act_find(st->proc, store_rows_text(r, 0, 5));
    store_rows_free(r);
    if (st->case_state < 0 || st->data == NULL || st->opening == NULL) {
        return gsi_err_set(err, GSI_EDATA, "%s %lld: its stored state is not one this build knows",
                           st->proc->name, (long long)st->case_id);
    }
    rc = store_query(st->s, &r,
                     "SELECT party, state, due_us, due_what FROM proc_parties WHERE case_id = ?"
                     " ORDER BY party",
                     v, 1, err);
    if (rc < 0) {
        return rc;
    }
    void *rows;
    rc = platform_rows_collect_ctx(r, sizeof *st->rows, prow_fill, st, NULL, &rows, &st->nrows,
                                   err);
    st->rows = rows;
    return rc;
}

/* A new case: its rows from the payload's ADDRESSES field, all in the first party state. */
static int step_open(struct platform_proc_step *st, struct gsi_err *err)
{
    st->case_id = st->record_id;
    snprintf(st->owner, sizeof st->owner, "%s", st->party);
    st->case_state = 0;
    st->version = 1;
    st->opened_us = st->time_us;
    st->opening = st->act;
    st->data = json_incref(st->payload);
    json_t *to = NULL;
    for (size_t i = 0; i < st->act->nfields; i++) {
        if (st->act->fields[i].flags & PLATFORM_PROC_ADDRESSES) {
            to = json_object_get(st->payload, st->act->fields[i].name);
        }
    }
    size_t n = json_array_size(to);
    st->rows = calloc(n > 0 ? n : 1, sizeof *st->rows);
    if (st->rows == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        const char *id = json_string_value(json_array_get(to, i));
        snprintf(st->rows[i].party, sizeof st->rows[i].party, "%s", id != NULL ? id : "");
        st->rows[i].changed = true;
    }
    st->nrows = n;
    return 0;
}

/* An amendment changes what a case says, not whom it addresses or who may see it. */
static int amend_keeps(const struct platform_proc_step *st, struct gsi_err *err)
{
    for (size_t i = 0; st->opening != NULL && i < st->opening->nfields; i++) {
        const struct platform_proc_field *f = &st->opening->fields[i];
        if (!(f->flags & PLATFORM_PROC_ADDRESSES)) {
            continue;
        }
        if (!json_equal(json_object_get(st->data, f->name),
                        json_object_get(st->payload, f->name))) {
            return gsi_err_set(err, GSI_EDATA,
                               "/%s: an amendment cannot change the parties "
                               "addressed (cancel and send a new one)",
                               f->name);
        }
    }
    if (json_is_true(json_object_get(st->data, "confidential")) !=
        json_is_true(json_object_get(st->payload, "confidential"))) {
        return gsi_err_set(err, GSI_EDATA, "/confidential: an amendment cannot change it");
    }
    return 0;
}

/* The generic transitions: states allowed from, states led to, amendments. */
static int step_transit(struct platform_proc_step *st, struct gsi_err *err)
{
    const struct platform_proc_act *a = st->act;
    const char *kind = st->proc->name;
    if (st->case_state < 0 || st->case_state >= PLATFORM_PROC_STATES) {
        return gsi_err_set(err, GSI_EDATA, "%s %lld: unknown state", kind, (long long)st->case_id);
    }
    if (!(a->flags & PLATFORM_PROC_OPENS) && !(a->case_from & PLATFORM_PROC_S(st->case_state))) {
        return gsi_err_set(err, GSI_ECONFLICT, "%s %lld is %s: %s is not possible now", kind,
                           (long long)st->case_id, st->proc->states[st->case_state], a->type);
    }
    if (a->who == PLATFORM_PROC_ADDRESSED) {
        st->self = platform__proc_step_row(st, st->party);
        if (st->self == NULL) { /* checked before the transaction; addressed rows never change */
            return gsi_err_set(err, GSI_EFORBIDDEN, "%s %lld is not addressed to %s", kind,
                               (long long)st->case_id, st->party);
        }
        if (st->self->state < 0 || !(a->party_from & PLATFORM_PROC_S(st->self->state))) {
            if (a->refused != NULL) {
                return gsi_err_set(err, GSI_ECONFLICT, "%s: %s", st->party, a->refused);
            }
            return gsi_err_set(err, GSI_ECONFLICT, "%s has %s %s %lld: %s is not possible now",
                               st->party, st->proc->party_states[st->self->state], kind,
                               (long long)st->case_id, a->type);
        }
        if (a->party_to >= 0) {
            st->self->state = a->party_to;
            st->self->changed = true;
        }
    }
    st->case_to = a->case_to >= 0 ? a->case_to : st->case_state;
    if (a->flags & PLATFORM_PROC_AMENDS) {
        int rc = amend_keeps(st, err);
        if (rc < 0) {
            return rc;
        }
        json_decref(st->data);
        st->data = json_deep_copy(st->payload);
        if (st->data == NULL) {
            return gsi_err_set(err, GSI_ENOMEM, "out of memory");
        }
        json_object_del(st->data, "case"); /* the link, not part of the case's data */
        st->version++;
    }
    if (a->flags & PLATFORM_PROC_RESETS) {
        for (size_t i = 0; i < st->nrows; i++) {
            st->rows[i].state = 0;
            st->rows[i].changed = true;
        }
    }
    return 0;
}

static int write_rows(struct platform_proc_step *st, bool opening, struct gsi_err *err)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < st->nrows; i++) {
        const struct proc_prow *row = &st->rows[i];
        if (!row->changed) {
            continue;
        }
        struct store_val v[] = { STORE_TEXT(st->proc->party_states[row->state]),
                                 row->due_us != 0 ? STORE_INT(row->due_us) : STORE_NULL,
                                 STORE_TEXT(row->due_what),
                                 STORE_INT(st->time_us),
                                 STORE_INT(st->case_id),
                                 STORE_TEXT(row->party) };
        rc = store_exec_later(st->s,
                              opening ? "INSERT INTO proc_parties (state, due_us, due_what,"
                                        " updated_us, case_id, party) VALUES (?, ?, ?, ?, ?, ?)"
                                      : "UPDATE proc_parties SET state = ?, due_us = ?,"
                                        " due_what = ?, updated_us = ? WHERE case_id = ? AND"
                                        " party = ?",
                              v, 6, err);
    }
    return rc;
}

static int step_write(struct platform_proc_step *st, const char *data_text, bool opening,
                      struct gsi_err *err)
{
    const char *title = "";
    const char *domain = "";
    for (size_t i = 0; st->opening != NULL && i < st->opening->nfields; i++) {
        const struct platform_proc_field *f = &st->opening->fields[i];
        const char *s = json_string_value(json_object_get(st->data, f->name));
        if (s != NULL && (f->flags & PLATFORM_PROC_TITLE)) {
            title = s;
        }
        if (s != NULL && (f->flags & PLATFORM_PROC_DOMAINKEY)) {
            domain = s;
        }
    }
    char tbuf[PLATFORM_PROC_TITLE_MAX];
    snprintf(tbuf, sizeof tbuf, "%s", title);
    int rc;
    if (opening) {
        json_t *conf = json_object_get(st->data, "confidential");
        struct store_val v[] = { STORE_INT(st->case_id),
                                 STORE_TEXT(st->proc->name),
                                 STORE_TEXT(st->act->verb),
                                 STORE_TEXT(st->owner),
                                 STORE_TEXT(st->proc->states[st->case_to]),
                                 STORE_INT(json_is_true(conf) ? 1 : 0),
                                 STORE_TEXT(tbuf),
                                 STORE_TEXT(domain),
                                 STORE_TEXT(data_text),
                                 STORE_INT(st->version),
                                 STORE_INT(st->time_us),
                                 STORE_INT(st->time_us),
                                 STORE_INT(st->record_id) };
        rc = store_exec_later(st->s,
                              "INSERT INTO proc_cases (id, kind, subtype, owner, state,"
                              " confidential, title, domain, data, version, opened_us,"
                              " updated_us, last_record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                              " ?, ?)",
                              v, 13, err);
    } else {
        struct store_val v[] = { STORE_TEXT(st->proc->states[st->case_to]),
                                 STORE_TEXT(tbuf),
                                 STORE_TEXT(domain),
                                 STORE_TEXT(data_text),
                                 STORE_INT(st->version),
                                 STORE_INT(st->time_us),
                                 STORE_INT(st->record_id),
                                 STORE_INT(st->case_id) };
        rc = store_exec_later(st->s,
                              "UPDATE proc_cases SET state = ?, title = ?, domain = ?, data = ?,"
                              " version = ?, updated_us = ?, last_record = ? WHERE id = ?",
                              v, 8, err);
    }
    rc = rc ? rc : write_rows(st, opening, err);
    if (rc == 0) {
        struct store_val v[] = { STORE_INT(st->record_id), STORE_INT(st->case_id),
                                 STORE_TEXT(st->act->type), STORE_TEXT(st->party),
                                 STORE_INT(st->time_us) };
        rc = store_exec_later(st->s,
                              "INSERT INTO proc_acts (record_id, case_id, type, party, time_us)"
                              " VALUES (?, ?, ?, ?, ?)",
                              v, 5, err);
    }
    return rc;
}

/* A step of act `a` by `party` with `payload` on case `case_id` (0: the act opens one), all
 * else zero: what both the projection and a procedure's prepare start from. */
static void step_init(struct platform_proc_step *st, const struct platform_proc *proc,
                      const struct platform_proc_act *a, const char *party, json_t *payload,
                      int64_t case_id)
{
    memset(st, 0, sizeof *st);
    st->proc = proc;
    st->act = a;
    st->party = party;
    st->payload = payload;
    st->case_id = case_id;
}

/* platform__proc_project, with the batch's case cache when `cache` is not NULL (an act being
 * made; the rebuild has none). */
static int project(struct store *s, struct platform__proc_cache **cache,
                   const struct platform_proc *proc, const struct platform_proc_act *a,
                   const char *party, json_t *payload, int64_t case_id, int64_t record_id,
                   int64_t time_us, bool replay, struct gsi_err *err)
{
    struct platform_proc_step st;
    step_init(&st, proc, a, party, payload, case_id);
    st.replay = replay;
    st.s = s;
    st.time_us = time_us;
    st.record_id = record_id;
    bool opening = (a->flags & PLATFORM_PROC_OPENS) != 0;
    int rc = opening         ? step_open(&st, err)
             : cache != NULL ? platform__proc_cache_load(cache, &st, step_load, err)
                             : step_load(&st, err);
    rc = rc ? rc : step_transit(&st, err);
    if (rc == 0 && proc->rules != NULL) {
        rc = proc->rules(&st, err);
    }
    char *data_text = NULL;
    if (rc == 0) {
        data_text = json_dumps(st.data, JSON_COMPACT | JSON_SORT_KEYS);
        rc = data_text != NULL ? 0 : gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    if (rc == 0 && data_text != NULL) {
        rc = step_write(&st, data_text, opening, err);
    }
    if (rc == 0 && cache != NULL) {
        platform__proc_cache_keep(cache, &st);
    }
    free(data_text);
    json_decref(st.data);
    free(st.rows);
    return rc;
}

int platform__proc_project(struct store *s, const struct platform_proc *proc,
                           const struct platform_proc_act *a, const char *party, json_t *payload,
                           int64_t case_id, int64_t record_id, int64_t time_us, bool replay,
                           struct gsi_err *err)
{
    return project(s, NULL, proc, a, party, payload, case_id, record_id, time_us, replay, err);
}

/* --- making an act --- */

struct act_ctx {
    const struct platform_proc *proc;
    const struct platform_proc_act *act;
    const char *party;
    json_t *payload;
    int64_t case_id;
};

static int act_apply(void *ctx, struct pw_batch *b, int64_t record_id, uint64_t journal_index,
                     int64_t time_us, struct gsi_err *err)
{
    (void)journal_index;
    struct act_ctx *c = ctx;
    return project(b->s, &b->proc_cache, c->proc, c->act, c->party, c->payload, c->case_id,
                   record_id, time_us, false, err);
}

static void head_release(struct case_head *h)
{
    free(h->addressed);
    h->addressed = NULL;
}

static bool head_addresses(const struct case_head *h, const char *party)
{
    for (size_t i = 0; h->addressed != NULL && i < h->naddressed; i++) {
        if (strcmp(h->addressed[i], party) == 0) {
            return true;
        }
    }
    return false;
}

/* Reads what never changes about case `id`; GSI_ENOTFOUND when it is not one of `proc`'s. */
static int head_read(struct platform *p, struct case_head *h, const struct platform_proc *proc,
                     int64_t id, struct gsi_err *err)
{
    memset(h, 0, sizeof *h);
    struct store_rows *r;
    int rc = platform__proc_case_query(
        p, &r, "SELECT subtype, owner, confidential FROM proc_cases WHERE id = ? AND kind = ?",
        proc, id, err);
    if (rc < 0) {
        return rc;
    }
    h->id = id;
    snprintf(h->subtype, sizeof h->subtype, "%s", store_rows_text(r, 0, 0));
    snprintf(h->owner, sizeof h->owner, "%s", store_rows_text(r, 0, 1));
    h->confidential = store_rows_int(r, 0, 2) != 0;
    store_rows_free(r);
    struct store_val v[] = { STORE_INT(id) };
    rc = platform_query(p, &r, "SELECT party FROM proc_parties WHERE case_id = ? ORDER BY party", v,
                        1, err);
    if (rc < 0) {
        return rc;
    }
    void *list;
    rc = platform_rows_collect(r, PLATFORM_ID_MAX, platform_row_fill_id, NULL, &list,
                               &h->naddressed, err);
    h->addressed = list;
    return rc;
}

/* The audience of a confidential case's records: its owner and the parties it addresses. */
static int audience_of(struct gsi_buf *out, const char *owner, json_t *addressed,
                       const struct case_head *h, struct gsi_err *err)
{
    int rc = gsi_buf_puts(out, owner);
    for (size_t i = 0; rc == 0 && i < json_array_size(addressed); i++) {
        rc = gsi_buf_appendf(out, ",%s", json_string_value(json_array_get(addressed, i)));
    }
    for (size_t i = 0; rc == 0 && h != NULL && i < h->naddressed; i++) {
        rc = gsi_buf_appendf(out, ",%s", h->addressed[i]);
    }
    return rc < 0 ? gsi_err_set(err, GSI_ELIMIT, "a confidential case addresses too many parties")
                  : 0;
}

/* Who acts: the payload's "party" (taken out of it) or the actor's own. */
static int acting_party(char out[PLATFORM_ID_MAX], const struct platform_delegate *actor,
                        const struct platform_proc_act *a, json_t *payload, struct gsi_err *err)
{
    json_t *pv = json_object_get(payload, "party");
    const char *party = actor != NULL ? actor->party : NULL;
    if (pv != NULL) {
        party = json_string_value(pv);
        if (party == NULL || strlen(party) >= PLATFORM_ID_MAX) {
            return gsi_err_set(err, GSI_EDATA, "/party: expected a party id");
        }
    }
    if (party == NULL) {
        return gsi_err_set(err, GSI_EUSAGE, "%s needs the party it is made for (\"party\")",
                           a->type);
    }
    snprintf(out, PLATFORM_ID_MAX, "%s", party);
    json_object_del(payload, "party");
    int rc = platform_may_act_for(actor, out, err);
    if (rc == 0 && actor != NULL && !(a->roles & PLATFORM_PROC_ROLE(actor->role))) {
        rc = gsi_err_set(err, GSI_EFORBIDDEN, "a %s may not perform %s",
                         platform_role_name(actor->role), a->type);
    }
    return rc;
}

/* The case's head, its visibility to `party` and the party's relation to it. */
static int check_case(struct platform *p, struct case_head *h, const struct platform_proc *proc,
                      const struct platform_proc_act *a, int64_t case_id, const char *party,
                      bool admin, struct gsi_err *err)
{
    int rc = head_read(p, h, proc, case_id, err);
    if (rc < 0) {
        return rc;
    }
    bool member = strcmp(h->owner, party) == 0 || head_addresses(h, party);
    if (h->confidential && !admin && !member) {
        return platform__proc_no_case(proc, case_id, err);
    }
    if (a->who == PLATFORM_PROC_OWNER && strcmp(h->owner, party) != 0) {
        return gsi_err_set(err, GSI_EFORBIDDEN, "only %s, which opened %s %lld, may perform %s",
                           h->owner, proc->name, (long long)case_id, a->type);
    }
    if (a->who == PLATFORM_PROC_ADDRESSED && !head_addresses(h, party)) {
        return gsi_err_set(err, GSI_EFORBIDDEN, "%s %lld is not addressed to %s", proc->name,
                           (long long)case_id, party);
    }
    return 0;
}

static int act_record(struct platform *p, struct platform_proc_receipt *out,
                      const struct platform_delegate *actor, struct act_ctx *c,
                      const char *audience, bool confidential, struct gsi_err *err)
{
    char *text = json_dumps(c->payload, JSON_COMPACT | JSON_SORT_KEYS);
    if (text == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    struct platform_act act = { .type = c->act->type,
                                .party = c->party,
                                .payload = text,
                                .payload_len = strlen(text),
                                .confidential = confidential,
                                .audience = confidential ? audience : NULL,
                                .apply_batch = act_apply,
                                .apply_ctx = c };
    int rc = platform_act_record(p, &out->act, actor, &act, err);
    free(text);
    if (rc == 0) {
        out->case_id = c->case_id != 0 ? c->case_id : out->act.record_id;
        snprintf(out->act_type, sizeof out->act_type, "%s", c->act->type);
    }
    return rc;
}

/* Parses a payload (NULL: "{}"), capped at PLATFORM_PAYLOAD_MAX; two values for one key are
 * refused, since they would make the act ambiguous. */
static int payload_parse(json_t **out, const char *payload, size_t len, struct gsi_err *err)
{
    *out = NULL;
    if (len > PLATFORM_PAYLOAD_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "payload of %zu bytes is over the %u-byte limit", len,
                           PLATFORM_PAYLOAD_MAX);
    }
    json_error_t je;
    *out = json_loadb(payload != NULL ? payload : "{}", payload != NULL ? len : 2,
                      JSON_REJECT_DUPLICATES, &je);
    if (*out == NULL) {
        return gsi_err_set(err, GSI_EDATA, "malformed JSON at line %d, column %d: %s", je.line,
                           je.column, je.text);
    }
    return 0;
}

int platform_proc_act(struct platform *p, struct platform_proc_receipt *out,
                      const struct platform_delegate *actor, const struct platform_proc *proc,
                      const char *type, int64_t case_id, const char *payload, size_t len,
                      struct gsi_err *err)
{
    memset(out, 0, sizeof *out);
    const struct platform_proc_act *a = platform_proc_act_find(proc, type);
    if (a == NULL) {
        return gsi_err_set(err, GSI_EDATA, "/type: %s has no act '%.64s'", proc->name,
                           type != NULL ? type : "");
    }
    bool opening = (a->flags & PLATFORM_PROC_OPENS) != 0;
    if (opening != (case_id == 0)) {
        return gsi_err_set(err, GSI_EUSAGE, "%s %s", a->type,
                           opening ? "opens a new case" : "needs the case it is about");
    }
    json_t *obj = NULL;
    int prc = payload_parse(&obj, payload, len, err);
    if (prc < 0) {
        return prc;
    }
    char party[PLATFORM_ID_MAX];
    struct case_head h;
    memset(&h, 0, sizeof h);
    struct gsi_buf audience;
    gsi_buf_init(&audience, PLATFORM_AUDIENCE_MAX - 1);
    int rc = json_is_object(obj) ? acting_party(party, actor, a, obj, err)
                                 : gsi_err_set(err, GSI_EDATA, "/: expected a JSON object");
    const struct platform_proc_act *schema = a;
    if (rc == 0 && !opening) {
        rc = check_case(p, &h, proc, a, case_id, party, actor == NULL, err);
        if (rc == 0 && (a->flags & PLATFORM_PROC_AMENDS)) {
            schema = platform_proc_act_find(proc, h.subtype);
            rc = schema != NULL ? 0 : gsi_err_set(err, GSI_EDATA, "unknown case subtype");
        }
    }
    bool amends = (a->flags & PLATFORM_PROC_AMENDS) != 0;
    rc = rc ? rc
            : platform__proc_payload_check(p, schema, obj, opening || amends ? party : NULL, err);
    if (rc == 0 && proc->prepare != NULL) {
        struct platform_proc_step st;
        step_init(&st, proc, a, party, obj, case_id);
        st.opening = schema;
        snprintf(st.owner, sizeof st.owner, "%s", opening ? party : h.owner);
        rc = proc->prepare(&st, err);
    }
    bool confidential =
        opening ? json_is_true(json_object_get(obj, "confidential")) : h.confidential;
    if (rc == 0 && confidential) {
        json_t *to = NULL;
        for (size_t i = 0; opening && i < a->nfields; i++) {
            if (a->fields[i].flags & PLATFORM_PROC_ADDRESSES) {
                to = json_object_get(obj, a->fields[i].name);
            }
        }
        rc = audience_of(&audience, opening ? party : h.owner, to, opening ? NULL : &h, err);
    }
    if (rc == 0 && !opening) {
        json_object_set_new(obj, "case", json_integer((json_int_t)case_id));
    }
    struct act_ctx c = { proc, a, party, obj, case_id };
    if (rc == 0) {
        rc = act_record(p, out, actor, &c, audience.data, confidential, err);
    }
    gsi_buf_release(&audience);
    head_release(&h);
    json_decref(obj);
    return rc;
}

void platform__proc_opening_verbs(char *out, size_t cap, const struct platform_proc *proc)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < proc->nacts && len < cap; i++) {
        if (proc->acts[i].flags & PLATFORM_PROC_OPENS) {
            len += (size_t)snprintf(out + len, cap - len, "%s%s", len > 0 ? ", " : "",
                                    proc->acts[i].verb);
        }
    }
}

int platform_proc_open(struct platform *p, struct platform_proc_receipt *out,
                       const struct platform_delegate *actor, const struct platform_proc *proc,
                       const char *payload, size_t len, struct gsi_err *err)
{
    const struct platform_proc_act *open = NULL;
    size_t nopen = 0;
    for (size_t i = 0; i < proc->nacts; i++) {
        if (proc->acts[i].flags & PLATFORM_PROC_OPENS) {
            open = &proc->acts[i];
            nopen++;
        }
    }
    if (nopen == 1) {
        return platform_proc_act(p, out, actor, proc, open->type, 0, payload, len, err);
    }
    memset(out, 0, sizeof *out);
    json_t *obj = NULL;
    int prc = payload_parse(&obj, payload, len, err);
    if (prc < 0) {
        return prc;
    }
    const char *t = json_string_value(json_object_get(obj, "type"));
    open = t != NULL ? platform_proc_act_find(proc, t) : NULL;
    int rc;
    if (open == NULL || !(open->flags & PLATFORM_PROC_OPENS)) {
        char verbs[512];
        platform__proc_opening_verbs(verbs, sizeof verbs, proc);
        rc = gsi_err_set(err, GSI_EDATA, "/type: expected the kind of %s: one of %s", proc->name,
                         verbs);
    } else {
        const char *type = open->type;
        json_object_del(obj, "type");
        char *text = json_dumps(obj, JSON_COMPACT);
        rc = text != NULL ? platform_proc_act(p, out, actor, proc, type, 0, text, strlen(text), err)
                          : gsi_err_set(err, GSI_ENOMEM, "out of memory");
        free(text);
    }
    json_decref(obj);
    return rc;
}
