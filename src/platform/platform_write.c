/* platform_write.c — the one write path: group commit and the journal append.
 *
 * Group commit (leader/follower). A writer queues its request and waits. If no transaction is
 * running, the first waiter becomes the leader: it takes every queued request (up to
 * batch_max), runs them in one transaction — each in its own savepoint, so one failing request
 * undoes only itself — appends their journal entries, signs one checkpoint for the new tree,
 * commits, and wakes them. Requests that arrived meanwhile form the next batch. With N writers
 * the commit (one fsync) is shared by up to N writes; a lone writer pays one commit, as it
 * would anyway. No request is answered before the commit that carries it returned.
 *
 * The journal. Appends happen with the log locked (SQLite: BEGIN IMMEDIATE holds the only
 * write lock; PostgreSQL: the journal_head row FOR UPDATE), so processes sharing a PostgreSQL
 * database take turns and the log stays one tree. The compact range of the tree is cached
 * between batches and reloaded when the head moved (another process appended). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/platform_internal.h"

#define CANON_MAX (PLATFORM_PAYLOAD_MAX + 16384)

static int emit_node(void *ctx, unsigned level, uint64_t index, const uint8_t hash[JOURNAL_HASH_SIZE],
                     struct gsi_err *err)
{
    struct store *s = ctx;
    char hex[PLATFORM_HEX_MAX];
    platform_hex(hex, hash);
    struct store_val v[] = {STORE_INT(level), STORE_INT(index), STORE_TEXT(hex)};
    return store_exec(s, "INSERT INTO journal_nodes (level, idx, hash) VALUES (?, ?, ?)", v, 3,
                      err);
}

static void entry_to_journal(struct journal_entry *je, const struct platform_entry *e)
{
    memset(je, 0, sizeof *je);
    snprintf(je->type, sizeof je->type, "%s", e->type);
    snprintf(je->party, sizeof je->party, "%s", e->party);
    if (e->delegate > 0) {
        snprintf(je->delegate, sizeof je->delegate, "%lld", (long long)e->delegate);
    }
    je->time_us = e->time_us;
    snprintf(je->subject, sizeof je->subject, "%s", e->subject);
}

int platform_entry_canonical(struct gsi_buf *out, const struct platform_entry *e,
                             struct gsi_err *err)
{
    struct journal_entry je;
    entry_to_journal(&je, e);
    int rc = platform_unhex(je.payload_hash, e->payload_hash, strlen(e->payload_hash), err);
    if (rc < 0) {
        return rc;
    }
    uint8_t bytes[JOURNAL_ENTRY_MAX_BYTES];
    size_t n = 0;
    rc = journal_entry_encode(bytes, sizeof bytes, &n, &je, err);
    if (rc < 0) {
        return rc;
    }
    return gsi_buf_append(out, bytes, n);
}

int platform_journal_append(struct pw_batch *b, struct platform_entry *e, struct gsi_err *err)
{
    struct gsi_buf bytes;
    gsi_buf_init(&bytes, JOURNAL_ENTRY_MAX_BYTES + 1);
    int rc = platform_entry_canonical(&bytes, e, err);
    if (rc < 0) {
        gsi_buf_release(&bytes);
        return rc;
    }
    uint8_t leaf[JOURNAL_HASH_SIZE];
    journal_merkle_leaf_hash(leaf, bytes.data, bytes.len);
    gsi_buf_release(&bytes);
    e->index = b->range->size;
    platform_hex(e->leaf_hash, leaf);
    platform_time_format(e->time, e->time_us);
    struct store_val v[] = {STORE_INT(e->index),      STORE_TEXT(e->type),
                            STORE_TEXT(e->party),     STORE_INT(e->delegate),
                            STORE_INT(e->time_us),    STORE_TEXT(e->time),
                            STORE_TEXT(e->subject),   STORE_TEXT(e->payload_hash),
                            STORE_TEXT(e->leaf_hash)};
    rc = store_exec(b->s,
                    "INSERT INTO journal (idx, type, party, delegate, time_us, time, subject,"
                    " payload_hash, leaf_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    v, 9, err);
    if (rc < 0) {
        return rc;
    }
    return journal_merkle_range_append(b->range, leaf, emit_node, b->s, err);
}

/* Signs the checkpoint of the range's tree and stores it with the new head. */
static int sign_head(struct platform *p, struct store *s, const struct journal_merkle_range *r,
                     char **note_out, struct gsi_err *err)
{
    if (!p->have_signer) {
        return gsi_err_set(err, GSI_ECRYPTO,
                           "cannot sign the journal: the log key %s is not readable here",
                           p->key_path);
    }
    struct journal_checkpoint cp;
    memset(&cp, 0, sizeof cp);
    snprintf(cp.origin, sizeof cp.origin, "%s", p->origin);
    cp.size = r->size;
    journal_merkle_range_root(r, cp.root);
    struct gsi_buf note;
    gsi_buf_init(&note, JOURNAL_NOTE_MAX_BYTES);
    int rc = journal_checkpoint_sign(&note, &cp, &p->signer, err);
    char root[PLATFORM_HEX_MAX], now[PLATFORM_TIME_MAX];
    platform_hex(root, cp.root);
    platform_time_format(now, platform_now_us());
    if (rc == 0) {
        struct store_val v[] = {STORE_INT(r->size)};
        rc = store_exec(s, "UPDATE journal_head SET size = ? WHERE id = 1", v, 1, err);
    }
    if (rc == 0) {
        struct store_val v[] = {STORE_INT(r->size), STORE_TEXT(root),
                                STORE_TEXTN(note.data, note.len), STORE_TEXT(now)};
        rc = store_exec(s, "INSERT INTO checkpoints (size, root, note, created) VALUES (?, ?, ?, ?)",
                        v, 4, err);
    }
    if (rc == 0) {
        *note_out = gsi_buf_take(&note, NULL);
    }
    gsi_buf_release(&note);
    return rc;
}

/* Runs one batch as the leader. Called without wmu held. Returns the commit's status; each
 * request's own status is in req->rc. */
static int run_batch(struct platform *p, struct pw_req *batch, uint64_t *size_out,
                     struct gsi_err *err)
{
    if (p->wconn == NULL) {
        /* The last batch lost its connection (database restarted): open a fresh one. */
        int orc = platform_conn_get(p, &p->wconn, err);
        if (orc < 0) {
            p->wconn = NULL;
            return orc;
        }
        p->range_valid = false;
    }
    struct store *s = p->wconn;
    int rc = store_begin_write(s, err);
    if (rc == 0) {
        rc = store_lock_log(s, err);
    }
    int64_t head = 0;
    if (rc == 0) {
        rc = store_query_int(s, &head, 0, "SELECT size FROM journal_head WHERE id = 1", NULL, 0,
                             err);
    }
    if (rc == 0 && (!p->range_valid || p->range.size != (uint64_t)head)) {
        struct journal_merkle_source src;
        platform_node_source(&src, s);
        p->range_valid = false;
        rc = journal_merkle_range_load(&p->range, (uint64_t)head, &src, err);
        if (rc == 0) {
            p->range_valid = true;
        }
    }
    if (rc < 0) {
        if (store_in_transaction(s)) {
            store_rollback(s);
        }
        return rc;
    }
    struct journal_merkle_range saved = p->range;
    struct journal_merkle_range before;
    struct pw_batch b = {.s = s, .range = &p->range, .now_us = platform_now_us()};
    for (struct pw_req *r = batch; r != NULL; r = r->next) {
        before = p->range;
        gsi_err_clear(&r->err);
        r->rc = store_savepoint(s, "act", &r->err);
        if (r->rc == 0) {
            b.now_us = platform_now_us();
            r->rc = r->fn(p, &b, r->ctx, &r->err);
            if (r->rc < 0) {
                struct gsi_err ignore = GSI_ERR_INIT;
                store_savepoint_rollback(s, "act", &ignore);
                p->range = before;
            }
            struct gsi_err rel = GSI_ERR_INIT;
            if (store_savepoint_release(s, "act", &rel) < 0 && r->rc == 0) {
                r->rc = rel.code;
                r->err = rel;
                rc = rel.code; /* the transaction is unusable */
                *err = rel;
                break;
            }
        }
    }
    char *note = NULL;
    if (rc == 0 && p->range.size != saved.size) {
        rc = sign_head(p, s, &p->range, &note, err);
    }
    if (rc == 0) {
        rc = store_commit(s, err);
    } else {
        store_rollback(s);
    }
    if (rc < 0) {
        p->range = saved;
        free(note);
        return rc;
    }
    *size_out = p->range.size;
    if (note != NULL) {
        pthread_mutex_lock(&p->wmu);
        free(p->last_note);
        p->last_note = note;
        p->last_note_size = p->range.size;
        pthread_mutex_unlock(&p->wmu);
    }
    return 0;
}

int platform_write(struct platform *p, pw_fn fn, void *ctx, uint64_t *tree_size,
                   struct gsi_err *err)
{
    struct pw_req req;
    memset(&req, 0, sizeof req);
    req.fn = fn;
    req.ctx = ctx;
    pthread_mutex_lock(&p->wmu);
    if (p->qtail) {
        p->qtail->next = &req;
    } else {
        p->qhead = &req;
    }
    p->qtail = &req;
    while (!req.done) {
        if (p->leader) {
            pthread_cond_wait(&p->wcond, &p->wmu);
            continue;
        }
        /* Become the leader: take up to batch_max queued requests (ours is among them or
         * will be in a later batch we also lead). */
        p->leader = true;
        struct pw_req *batch = p->qhead, *last = p->qhead;
        unsigned n = 1;
        while (last->next != NULL && n < p->batch_max) {
            last = last->next;
            n++;
        }
        p->qhead = last->next;
        if (p->qhead == NULL) {
            p->qtail = NULL;
        }
        last->next = NULL;
        pthread_mutex_unlock(&p->wmu);

        struct gsi_err berr = GSI_ERR_INIT;
        uint64_t size = 0;
        int brc = run_batch(p, batch, &size, &berr);
        if (brc == GSI_EDB) {
            /* A database error at the transaction level may mean a dead connection; the next
             * batch opens a new one rather than failing forever on this one. */
            store_close(p->wconn);
            p->wconn = NULL;
        }

        pthread_mutex_lock(&p->wmu);
        for (struct pw_req *r = batch, *next; r != NULL; r = next) {
            next = r->next;
            if (brc < 0) {
                r->rc = brc;
                r->err = berr;
            }
            r->tree_size = size;
            r->done = true;
        }
        p->leader = false;
        pthread_cond_broadcast(&p->wcond);
    }
    pthread_mutex_unlock(&p->wmu);
    if (req.rc == 0) {
        struct gsi_err ferr = GSI_ERR_INIT;
        if (platform_checkpoint_file_update(p, false, &ferr) < 0) {
            /* The write is committed; a checkpoint file that cannot be written is reported
             * on stderr rather than turning a durable write into an error. */
            gsi_err_print(&ferr, "gsi");
        }
    }
    if (tree_size != NULL) {
        *tree_size = req.tree_size;
    }
    if (req.rc < 0) {
        *err = req.err;
    }
    return req.rc;
}

/* --- canonical bytes --- */

int platform_canon_record(struct gsi_buf *out, int64_t id, const char *type, const char *party,
                          int64_t delegate, const char *time, bool confidential,
                          const char *audience, uint64_t journal_index, const char *payload,
                          size_t payload_len, struct gsi_err *err)
{
    int rc = gsi_buf_appendf(out,
                             "gsi-record/v1\nid %lld\ntype %s\nparty %s\ndelegate %lld\ntime %s\n"
                             "confidential %d\naudience %s\njournal %llu\npayload %zu\n",
                             (long long)id, type, party, (long long)delegate, time,
                             confidential ? 1 : 0, audience, (unsigned long long)journal_index,
                             payload_len);
    if (rc == 0) {
        rc = gsi_buf_append(out, payload, payload_len);
    }
    if (rc < 0) {
        return gsi_err_set(err, rc, "record %lld is larger than %u bytes", (long long)id,
                           (unsigned)CANON_MAX);
    }
    return 0;
}

int platform_canon_delegate(struct gsi_buf *out, int64_t id, const char *party, const char *role,
                            const char *name, const char *pubkey, const char *token_hash,
                            const char *created, struct gsi_err *err)
{
    int rc = gsi_buf_appendf(out,
                             "gsi-delegate/v1\nid %lld\nparty %s\nrole %s\nname %s\npubkey %s\n"
                             "token-sha256 %s\ncreated %s\n",
                             (long long)id, party, role, name, pubkey, token_hash, created);
    return rc < 0 ? gsi_err_set(err, rc, "delegate %lld: too large", (long long)id) : 0;
}

int platform_canon_party(struct gsi_buf *out, const char *id, const char *kind, const char *name,
                         const char *region, const char *created, const char *members,
                         struct gsi_err *err)
{
    int rc = gsi_buf_appendf(out,
                             "gsi-party/v1\nid %s\nkind %s\nname %s\nregion %s\ncreated %s\n"
                             "members %s\n",
                             id, kind, name, region, created, members);
    return rc < 0 ? gsi_err_set(err, rc, "party %s: too large", id) : 0;
}

/* --- acts --- */

struct act_ctx {
    const struct platform_delegate *actor;
    const struct platform_act *act;
    const char *party;
    const char *payload;
    size_t payload_len;
    struct platform_receipt *out;
};

static int act_apply(struct platform *p, struct pw_batch *b, void *ctx, struct gsi_err *err)
{
    (void)p;
    struct act_ctx *c = ctx;
    const struct platform_act *a = c->act;
    struct platform_entry e;
    memset(&e, 0, sizeof e);
    e.time_us = b->now_us;
    platform_time_format(e.time, e.time_us);
    uint64_t index = b->range->size;
    int64_t delegate = c->actor ? c->actor->id : 0;
    const char *audience = a->audience ? a->audience : "";
    struct store_val v[] = {STORE_TEXT(a->type),     STORE_TEXT(c->party),
                            STORE_INT(delegate),     STORE_TEXT(e.time),
                            STORE_INT(a->confidential ? 1 : 0), STORE_TEXT(audience),
                            STORE_TEXTN(c->payload, c->payload_len), STORE_INT(index)};
    struct store_rows *r;
    int rc = store_query(b->s, &r,
                         "INSERT INTO records (type, party, delegate, created, confidential,"
                         " audience, payload, journal_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                         " RETURNING id",
                         v, 8, err);
    if (rc < 0) {
        return rc;
    }
    int64_t id = store_rows_int(r, 0, 0);
    store_rows_free(r);
    if (a->apply != NULL) {
        rc = a->apply(a->apply_ctx, b->s, id, index, err);
        if (rc < 0) {
            return rc;
        }
    }
    struct gsi_buf canon;
    gsi_buf_init(&canon, CANON_MAX);
    rc = platform_canon_record(&canon, id, a->type, c->party, delegate, e.time, a->confidential,
                               audience, index, c->payload, c->payload_len, err);
    if (rc == 0) {
        uint8_t h[JOURNAL_HASH_SIZE];
        journal_sha256(h, canon.data, canon.len);
        platform_hex(e.payload_hash, h);
        snprintf(e.type, sizeof e.type, "%s", a->type);
        snprintf(e.party, sizeof e.party, "%s", c->party);
        e.delegate = delegate;
        snprintf(e.subject, sizeof e.subject, "record/%lld", (long long)id);
        rc = platform_journal_append(b, &e, err);
    }
    gsi_buf_release(&canon);
    if (rc == 0) {
        c->out->record_id = id;
        c->out->index = e.index;
        snprintf(c->out->time, sizeof c->out->time, "%s", e.time);
        snprintf(c->out->leaf_hash, sizeof c->out->leaf_hash, "%s", e.leaf_hash);
    }
    return rc;
}

static int check_audience(const char *a, struct gsi_err *err)
{
    if (a == NULL) {
        return 0;
    }
    size_t n = strlen(a);
    if (n >= PLATFORM_AUDIENCE_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "audience longer than %d bytes",
                           PLATFORM_AUDIENCE_MAX - 1);
    }
    for (size_t i = 0; i < n; i++) {
        char c = a[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == ',')) {
            return gsi_err_set(err, GSI_EUSAGE,
                               "audience: expected comma-separated party ids (\"CHN,IND\")");
        }
    }
    return 0;
}

int platform_act_record(struct platform *p, struct platform_receipt *out,
                        const struct platform_delegate *actor, const struct platform_act *act,
                        struct gsi_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = platform_check_type(act->type, err);
    if (rc < 0) {
        return rc;
    }
    const char *party = act->party ? act->party : (actor ? actor->party : NULL);
    if (party == NULL) {
        return gsi_err_set(err, GSI_EUSAGE, "an act needs the party it is made for");
    }
    rc = platform_check_party_id(party, err);
    if (rc == 0) {
        rc = platform_may_act_for(actor, party, err);
    }
    if (rc == 0) {
        rc = check_audience(act->audience, err);
    }
    if (rc < 0) {
        return rc;
    }
    if (act->payload_len > PLATFORM_PAYLOAD_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "payload of %zu bytes is over the %u-byte limit",
                           act->payload_len, PLATFORM_PAYLOAD_MAX);
    }
    if (act->payload != NULL && memchr(act->payload, '\0', act->payload_len) != NULL) {
        return gsi_err_set(err, GSI_EUSAGE, "payload must be text without NUL bytes");
    }
    struct act_ctx c = {.actor = actor,
                        .act = act,
                        .party = party,
                        .payload = act->payload ? act->payload : "{}",
                        .payload_len = act->payload ? act->payload_len : 2,
                        .out = out};
    rc = platform_write(p, act_apply, &c, &out->tree_size, err);
    if (rc == GSI_ECONFLICT && strstr(err->msg, "FOREIGN") != NULL) {
        return gsi_err_set(err, GSI_ENOTFOUND, "no party '%s'", party);
    }
    if (rc == GSI_ECONFLICT && strstr(err->msg, "foreign key") != NULL) {
        return gsi_err_set(err, GSI_ENOTFOUND, "no party '%s'", party);
    }
    return rc;
}
