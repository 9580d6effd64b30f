/* platform_read.c — reading records (with the confidentiality rule) and the journal: entries,
 * checkpoints, roots and proofs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/internal.h"

#define RECORD_COLS \
    "id, type, party, delegate, created, confidential, audience, payload, journal_index, salt"

/* A confidential record is visible to its own party and to the parties in its audience; the
 * SQL form of the same rule is in platform_record_list. A viewer of no party (the anonymous
 * reader of the HTTP API) sees public records only: an empty party must match neither an
 * empty record party nor an empty audience element. */
static bool may_see(const struct platform_delegate *viewer, const char *party, bool confidential,
                    const char *audience)
{
    if (viewer == NULL || !confidential) {
        return true;
    }
    size_t n = strlen(viewer->party);
    if (n == 0) {
        return false;
    }
    if (strcmp(viewer->party, party) == 0) {
        return true;
    }
    for (const char *a = audience; *a;) {
        const char *comma = strchr(a, ',');
        size_t len = comma ? (size_t)(comma - a) : strlen(a);
        if (len == n && memcmp(a, viewer->party, n) == 0) {
            return true;
        }
        a += len + (comma ? 1 : 0);
    }
    return false;
}

static int record_from_row(struct platform_record *out, const struct store_rows *r, size_t i,
                           struct gsi_err *err)
{
    memset(out, 0, sizeof *out);
    out->id = store_rows_int(r, i, 0);
    snprintf(out->type, sizeof out->type, "%s", store_rows_text(r, i, 1));
    snprintf(out->party, sizeof out->party, "%s", store_rows_text(r, i, 2));
    out->delegate = store_rows_int(r, i, 3);
    snprintf(out->time, sizeof out->time, "%s", store_rows_text(r, i, 4));
    out->confidential = store_rows_int(r, i, 5) != 0;
    out->audience = strdup(store_rows_text(r, i, 6));
    out->payload_len = store_rows_len(r, i, 7);
    out->payload = malloc(out->payload_len + 1);
    out->index = (uint64_t)store_rows_int(r, i, 8);
    snprintf(out->salt, sizeof out->salt, "%s", store_rows_text(r, i, 9));
    if (out->audience == NULL || out->payload == NULL) {
        platform_record_release(out);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    memcpy(out->payload, store_rows_text(r, i, 7), out->payload_len + 1);
    return 0;
}

void platform_record_release(struct platform_record *r)
{
    if (r == NULL) {
        return;
    }
    free(r->audience);
    free(r->payload);
    r->audience = NULL;
    r->payload = NULL;
}

void platform_record_list_free(struct platform_record *list, size_t n)
{
    if (list == NULL) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        platform_record_release(&list[i]);
    }
    free(list);
}

/* record_from_row and platform_record_release in the shapes platform_rows_collect takes. */
static int record_fill(void *elem, const struct store_rows *r, size_t row, struct gsi_err *err)
{
    return record_from_row(elem, r, row, err);
}

static void record_release(void *elem)
{
    platform_record_release(elem);
}

int platform_record_get(struct platform *p, struct platform_record *out,
                        const struct platform_delegate *viewer, int64_t id, struct gsi_err *err)
{
    memset(out, 0, sizeof *out);
    struct store_val v[] = { STORE_INT(id) };
    struct store_rows *r;
    int rc = platform_query(p, &r, "SELECT " RECORD_COLS " FROM records WHERE id = ?", v, 1, err);
    if (rc < 0) {
        return rc;
    }
    if (store_rows_count(r) == 0 ||
        !may_see(viewer, store_rows_text(r, 0, 2), store_rows_int(r, 0, 5) != 0,
                 store_rows_text(r, 0, 6))) {
        store_rows_free(r);
        /* The same answer whether it is missing or hidden: an outsider learns nothing. */
        return gsi_err_set(err, GSI_ENOTFOUND, "no record %lld", (long long)id);
    }
    rc = record_from_row(out, r, 0, err);
    store_rows_free(r);
    return rc;
}

/* Appends an SQL condition to `where` (sized for all that platform_record_list adds). */
static void where_add(char *where, size_t cap, const char *clause)
{
    size_t len = strlen(where);
    snprintf(where + len, cap - len, "%s", clause);
}

/* A records query being built: its FROM ... WHERE clause and the values it binds, with room
 * for the two that the paging adds (a cut id and the LIMIT). */
struct record_query {
    char where[320];
    struct store_val v[7];
    size_t nv;
};

/* The clause of platform_record_list's filters: records after `after_id`, of `type` and
 * `party` when given, and only those `viewer` may see. */
static void record_query_where(struct record_query *q, const struct platform_delegate *viewer,
                               const char *type, const char *party, int64_t after_id)
{
    q->nv = 0;
    snprintf(q->where, sizeof q->where, " FROM records WHERE id > ?");
    q->v[q->nv++] = STORE_INT(after_id);
    if (type != NULL) {
        where_add(q->where, sizeof q->where, " AND type = ?");
        q->v[q->nv++] = STORE_TEXT(type);
    }
    if (party != NULL) {
        where_add(q->where, sizeof q->where, " AND party = ?");
        q->v[q->nv++] = STORE_TEXT(party);
    }
    if (viewer != NULL && viewer->party[0] == '\0') {
        /* No party: public records only (see may_see; ',' || '' || ',' would match an
         * empty audience). */
        where_add(q->where, sizeof q->where, " AND confidential = 0");
    } else if (viewer != NULL) {
        where_add(q->where, sizeof q->where,
                  " AND (confidential = 0 OR party = ? OR"
                  " (',' || audience || ',') LIKE ('%,' || ? || ',%'))");
        q->v[q->nv++] = STORE_TEXT(viewer->party);
        q->v[q->nv++] = STORE_TEXT(viewer->party);
    }
}

/* Reads the ids and payload sizes of the page first, so that the rows read next (payloads
 * included) stay within max_bytes: a page of large payloads never makes the store read more
 * than the caller can send. When the page must stop early, sets *cut and binds the last id
 * it keeps (q->nv grows by one). */
static int record_query_cut(struct store *s, struct record_query *q, size_t limit, size_t max_bytes,
                            bool *cut, struct gsi_err *err)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT id, %s%s ORDER BY id LIMIT ?",
             store_backend_of(s) == STORE_POSTGRES ? "OCTET_LENGTH(payload)"
                                                   : "LENGTH(CAST(payload AS BLOB))",
             q->where);
    q->v[q->nv] = STORE_INT(limit);
    struct store_rows *r = NULL;
    int rc = store_query(s, &r, sql, q->v, q->nv + 1, err);
    if (rc < 0) {
        return rc;
    }
    size_t sum = 0, count = store_rows_count(r);
    for (size_t i = 0; i < count; i++) {
        size_t plen = (size_t)store_rows_int(r, i, 1);
        if (i > 0 && plen > max_bytes - sum) {
            /* Stop before this one; the first record always comes back, so a client can
             * page through whatever the sizes. */
            *cut = true;
            q->v[q->nv++] = STORE_INT(store_rows_int(r, i - 1, 0));
            break;
        }
        sum += plen > max_bytes - sum ? max_bytes - sum : plen;
    }
    store_rows_free(r);
    return 0;
}

/* A page size within the cap, and a type some record could have: one no record can have is a
 * mistake, not a question whose answer is an empty page. */
static int list_args_check(size_t limit, const char *type, struct gsi_err *err)
{
    if (limit > PLATFORM_LIST_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "limit %zu is over %d", limit, PLATFORM_LIST_MAX);
    }
    return type != NULL ? platform_check_type(type, err) : 0;
}

int platform_record_list(struct platform *p, struct platform_record **out, size_t *n,
                         const struct platform_delegate *viewer, const char *type,
                         const char *party, int64_t after_id, size_t limit, size_t max_bytes,
                         bool *more, struct gsi_err *err)
{
    *out = NULL;
    *n = 0;
    if (more != NULL) {
        *more = false;
    }
    if (list_args_check(limit, type, err) < 0) {
        return err->code;
    }
    struct record_query q;
    record_query_where(&q, viewer, type, party, after_id);
    struct store *s;
    int rc = platform_conn_get(p, &s, err);
    if (rc < 0) {
        return rc;
    }
    bool cut = false;
    if (max_bytes > 0) {
        rc = record_query_cut(s, &q, limit, max_bytes, &cut, err);
    }
    struct store_rows *r = NULL;
    if (rc == 0) {
        char sql[512];
        snprintf(sql, sizeof sql, "SELECT " RECORD_COLS "%s%s ORDER BY id LIMIT ?", q.where,
                 cut ? " AND id <= ?" : "");
        q.v[q.nv++] = STORE_INT(limit);
        rc = store_query(s, &r, sql, q.v, q.nv, err);
    }
    platform_conn_put(p, s, rc < 0);
    if (rc < 0) {
        return rc;
    }
    void *list;
    rc = platform_rows_collect(r, sizeof **out, record_fill, record_release, &list, n, err);
    *out = list;
    if (rc == 0 && more != NULL) {
        *more = *n > 0 && (cut || *n == limit);
    }
    return rc;
}

/* --- journal --- */

int platform_journal_size(struct platform *p, uint64_t *size, struct gsi_err *err)
{
    struct store_rows *r;
    int rc = platform_query(p, &r, "SELECT size FROM journal_head WHERE id = 1", NULL, 0, err);
    if (rc < 0) {
        return rc;
    }
    *size = (uint64_t)store_rows_int(r, 0, 0);
    store_rows_free(r);
    return 0;
}

int platform_checkpoint_latest(struct platform *p, struct gsi_buf *note, uint64_t *size,
                               struct gsi_err *err)
{
    struct store_rows *r;
    int rc = platform_query(p, &r, "SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT 1",
                            NULL, 0, err);
    if (rc < 0) {
        return rc;
    }
    if (store_rows_count(r) == 0) {
        rc = gsi_err_set(err, GSI_ENOTFOUND, "no checkpoint has been signed yet");
    } else {
        if (size != NULL) {
            *size = (uint64_t)store_rows_int(r, 0, 0);
        }
        rc = gsi_buf_append(note, store_rows_text(r, 0, 1), store_rows_len(r, 0, 1));
    }
    store_rows_free(r);
    return rc;
}

int platform_journal_checkpoint(struct platform *p, struct gsi_buf *note, struct gsi_err *err)
{
    return platform_checkpoint_latest(p, note, NULL, err);
}

static int sign_now(struct platform *p, struct pw_batch *b, void *ctx, struct gsi_err *err)
{
    (void)p;
    (void)ctx;
    (void)err;
    b->force_sign = true; /* nothing to append: the leader signs if the tree outgrew the last */
    return 0;
}

int platform_journal_checkpoint_sign(struct platform *p, struct gsi_buf *note, struct gsi_err *err)
{
    /* An empty batch that signs the tree as it is, if the last checkpoint does not cover it
     * (commits sign at most once per checkpoint_every_ms); it also makes sure no writer of
     * this process is mid-commit. */
    int rc = platform_write(p, sign_now, NULL, NULL, err);
    struct store_rows *r = NULL; /* set only when the query succeeds */
    if (rc == 0) {
        rc = platform_query(p, &r, "SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT 1",
                            NULL, 0, err);
    }
    if (rc == 0) {
        if (store_rows_count(r) > 0) {
            pthread_mutex_lock(&p->wmu);
            if ((uint64_t)store_rows_int(r, 0, 0) >= p->last_note_size) {
                free(p->last_note);
                p->last_note = strdup(store_rows_text(r, 0, 1));
                p->last_note_size = (uint64_t)store_rows_int(r, 0, 0);
            }
            pthread_mutex_unlock(&p->wmu);
        }
        store_rows_free(r);
    }
    if (rc == 0) {
        rc = platform_checkpoint_file_update(p, true, err);
    }
    if (rc == 0 && note != NULL) {
        rc = platform_journal_checkpoint(p, note, err);
    }
    return rc;
}

int platform_journal_vkey(struct platform *p, struct gsi_buf *out, struct gsi_err *err)
{
    return journal_note_verifier_format(out, &p->verifier, err);
}

#define ENTRY_COLS                                                                      \
    "j.idx, j.type, j.party, j.delegate, j.time_us, j.time, j.subject, j.payload_hash," \
    " j.leaf_hash, COALESCE(r.confidential, 0), COALESCE(r.salt, '')"

/* A platform_rows_collect fill: a journal row (ENTRY_COLS) into a struct platform_entry
 * with every field and its leaf-data form (platform_entry_form). */
static int entry_fill_full(void *elem, const struct store_rows *r, size_t i, struct gsi_err *err)
{
    struct platform_entry *e = elem;
    memset(e, 0, sizeof *e);
    e->index = (uint64_t)store_rows_int(r, i, 0);
    snprintf(e->type, sizeof e->type, "%s", store_rows_text(r, i, 1));
    snprintf(e->party, sizeof e->party, "%s", store_rows_text(r, i, 2));
    e->delegate = store_rows_int(r, i, 3);
    e->time_us = store_rows_int(r, i, 4);
    snprintf(e->time, sizeof e->time, "%s", store_rows_text(r, i, 5));
    snprintf(e->subject, sizeof e->subject, "%s", store_rows_text(r, i, 6));
    snprintf(e->payload_hash, sizeof e->payload_hash, "%s", store_rows_text(r, i, 7));
    snprintf(e->leaf_hash, sizeof e->leaf_hash, "%s", store_rows_text(r, i, 8));
    e->confidential = store_rows_int(r, i, 9) != 0;
    return platform_entry_form(e, store_rows_text(r, i, 10), err);
}

/* The public listing's fill: a confidential act shows only its index and its leaf hash,
 * which the tree needs and which reveals nothing (the blinded form hashes a salted
 * commitment); not even its time. */
static int entry_fill(void *elem, const struct store_rows *r, size_t i, struct gsi_err *err)
{
    (void)err;
    struct platform_entry *e = elem;
    memset(e, 0, sizeof *e);
    e->index = (uint64_t)store_rows_int(r, i, 0);
    snprintf(e->leaf_hash, sizeof e->leaf_hash, "%s", store_rows_text(r, i, 8));
    e->confidential = store_rows_int(r, i, 9) != 0;
    if (!e->confidential) {
        e->time_us = store_rows_int(r, i, 4);
        snprintf(e->time, sizeof e->time, "%s", store_rows_text(r, i, 5));
        snprintf(e->type, sizeof e->type, "%s", store_rows_text(r, i, 1));
        snprintf(e->party, sizeof e->party, "%s", store_rows_text(r, i, 2));
        e->delegate = store_rows_int(r, i, 3);
        snprintf(e->subject, sizeof e->subject, "%s", store_rows_text(r, i, 6));
        snprintf(e->payload_hash, sizeof e->payload_hash, "%s", store_rows_text(r, i, 7));
    }
    return 0;
}

static int entries_read(struct platform *p, struct platform_entry **out, size_t *n, uint64_t start,
                        uint64_t end, platform_row_fill fill, struct gsi_err *err)
{
    *out = NULL;
    *n = 0;
    if (end < start) {
        return gsi_err_set(err, GSI_EUSAGE, "end %llu is before start %llu",
                           (unsigned long long)end, (unsigned long long)start);
    }
    if (end - start > PLATFORM_ENTRIES_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "at most %d entries per request", PLATFORM_ENTRIES_MAX);
    }
    uint64_t size = 0;
    int rc = platform_journal_size(p, &size, err);
    if (rc < 0) {
        return rc;
    }
    if (end > size) {
        return gsi_err_set(err, GSI_EUSAGE, "end %llu is past the journal's size %llu",
                           (unsigned long long)end, (unsigned long long)size);
    }
    struct store_val v[] = { STORE_INT(start), STORE_INT(end) };
    struct store_rows *r;
    rc = platform_query(p, &r,
                        "SELECT " ENTRY_COLS
                        " FROM journal j LEFT JOIN records r ON r.journal_index = j.idx"
                        " WHERE j.idx >= ? AND j.idx < ? ORDER BY j.idx",
                        v, 2, err);
    if (rc < 0) {
        return rc;
    }
    void *list;
    rc = platform_rows_collect(r, sizeof **out, fill, NULL, &list, n, err);
    *out = list;
    return rc;
}

int platform_journal_entries(struct platform *p, struct platform_entry **out, size_t *n,
                             uint64_t start, uint64_t end, struct gsi_err *err)
{
    return entries_read(p, out, n, start, end, entry_fill, err);
}

int platform_journal_leaves(struct platform *p, struct platform_entry **out, size_t *n,
                            uint64_t start, uint64_t end, struct gsi_err *err)
{
    return entries_read(p, out, n, start, end, entry_fill_full, err);
}

/* Proofs and roots read journal_nodes inside one read transaction, so they see one tree. */
static int with_source(struct platform *p, uint64_t need_size, struct store **s,
                       struct journal_merkle_source *src, struct gsi_err *err)
{
    int rc = platform_conn_get(p, s, err);
    if (rc < 0) {
        return rc;
    }
    rc = store_begin_snapshot(*s, err);
    int64_t size = 0;
    if (rc == 0) {
        rc = store_query_int(*s, &size, 0, "SELECT size FROM journal_head WHERE id = 1", NULL, 0,
                             err);
    }
    if (rc == 0 && need_size > (uint64_t)size) {
        rc = gsi_err_set(err, GSI_EUSAGE, "tree size %llu is past the journal's size %lld",
                         (unsigned long long)need_size, (long long)size);
    }
    if (rc < 0) {
        platform_conn_put(p, *s, false);
        return rc;
    }
    platform_node_source(src, *s);
    return 0;
}

/* journal_merkle_inclusion_proof or journal_merkle_consistency_proof: the same arguments, the
 * second number being the size of the tree the proof is in. */
typedef int (*proof_fn)(uint8_t (*proof)[JOURNAL_HASH_SIZE], size_t *len, uint64_t a, uint64_t size,
                        const struct journal_merkle_source *src, struct gsi_err *err);

static int journal_proof(struct platform *p, proof_fn fn, uint8_t (*proof)[PLATFORM_HASH_SIZE],
                         size_t *len, uint64_t a, uint64_t size, struct gsi_err *err)
{
    *len = 0;
    struct store *s;
    struct journal_merkle_source src;
    int rc = with_source(p, size, &s, &src, err);
    if (rc < 0) {
        return rc;
    }
    rc = fn(proof, len, a, size, &src, err);
    platform_conn_put(p, s, false);
    return rc;
}

int platform_journal_proof_inclusion(struct platform *p, uint8_t (*proof)[PLATFORM_HASH_SIZE],
                                     size_t *len, uint64_t index, uint64_t size,
                                     struct gsi_err *err)
{
    return journal_proof(p, journal_merkle_inclusion_proof, proof, len, index, size, err);
}

int platform_journal_proof_consistency(struct platform *p, uint8_t (*proof)[PLATFORM_HASH_SIZE],
                                       size_t *len, uint64_t from, uint64_t to, struct gsi_err *err)
{
    return journal_proof(p, journal_merkle_consistency_proof, proof, len, from, to, err);
}

int platform_journal_root(struct platform *p, uint8_t root[PLATFORM_HASH_SIZE], uint64_t size,
                          struct gsi_err *err)
{
    struct store *s;
    struct journal_merkle_source src;
    int rc = with_source(p, size, &s, &src, err);
    if (rc < 0) {
        return rc;
    }
    rc = journal_merkle_root_at(root, size, &src, err);
    platform_conn_put(p, s, false);
    return rc;
}
