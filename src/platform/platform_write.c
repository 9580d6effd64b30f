/* platform_write.c — the one write path: group commit and the journal append.
 *
 * Group commit (leader/follower). A writer queues its request and waits on its own condition
 * variable. If no transaction is running it leads at once: it takes every queued request (up
 * to batch_max), runs them in one transaction — each in its own savepoint, so one failing
 * request undoes only itself — appends their journal entries, signs one checkpoint for the new
 * tree and commits. Then it hands the leadership straight to the oldest request that queued
 * meanwhile (which takes everything queued behind it into the next batch at once) and wakes
 * the requests it carried, one by one. With N writers the commit (one fsync) is shared by up
 * to N writes; a lone writer pays one commit, as it would anyway. No request is answered
 * before the commit that carries it returned.
 *
 * Round trips. Record ids are given here (MAX(id) + 1 per batch, under the log lock) and the
 * party of an act is checked (and then remembered) before its INSERT, so nothing an act sends
 * needs an answer: savepoints, the record, and the batch's journal and journal_nodes rows (one
 * store_insert_many each at the end) are deferred statements, which PostgreSQL receives in
 * one pipeline with the next statement that needs an answer. SQLite runs them at once.
 *
 * The journal. Appends happen with the log locked (SQLite: BEGIN IMMEDIATE holds the only
 * write lock; PostgreSQL: the journal_head row FOR UPDATE), so processes sharing a PostgreSQL
 * database take turns and the log stays one tree. The compact range of the tree is cached
 * between batches and reloaded when the head moved (another process appended).
 *
 * SQLite's write-ahead log is checkpointed off the commit path (maybe_checkpoint). */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "platform/internal.h"

/* Grows the array whose address is `itemsp` (any T **, elements of `size` bytes) to hold
 * one more than `n` (doubling; gsi_array_grow_at, GSI_ALLOC_GROW's routine). */
static int grow(void *itemsp, size_t *cap, size_t n, size_t size, struct gsi_err *err)
{
    if (gsi_array_grow_at(itemsp, cap, n + 1, size, 64) < 0) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory for the journal batch");
    }
    return 0;
}

static int emit_node(void *ctx, unsigned level, uint64_t index,
                     const uint8_t hash[JOURNAL_HASH_SIZE], struct gsi_err *err)
{
    struct pw_batch *b = ctx;
    int rc = grow(&b->nodes, &b->cap_nodes, b->nnodes, sizeof *b->nodes, err);
    if (rc < 0) {
        return rc;
    }
    struct pw_node *n = &b->nodes[b->nnodes++];
    n->level = level;
    n->idx = index;
    platform_hex(n->hash, hash);
    return 0;
}

/* Writes the batch's journal and journal_nodes rows: one statement each on PostgreSQL. */
static int flush_journal(struct pw_batch *b, struct gsi_err *err)
{
    size_t nv = b->nentries * 9 > b->nnodes * 3 ? b->nentries * 9 : b->nnodes * 3;
    if (nv == 0) {
        return 0;
    }
    struct store_val *v = calloc(nv, sizeof *v);
    if (v == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory for the journal batch");
    }
    for (size_t i = 0; i < b->nentries; i++) {
        const struct platform_entry *e = &b->entries[i];
        struct store_val *r = v + i * 9;
        r[0] = STORE_INT(e->index);
        r[1] = STORE_TEXT(e->type);
        r[2] = STORE_TEXT(e->party);
        r[3] = STORE_INT(e->delegate);
        r[4] = STORE_INT(e->time_us);
        r[5] = STORE_TEXT(e->time);
        r[6] = STORE_TEXT(e->subject);
        r[7] = STORE_TEXT(e->payload_hash);
        r[8] = STORE_TEXT(e->leaf_hash);
    }
    int rc = store_insert_many(b->s, "journal",
                               "idx, type, party, delegate, time_us, time, subject, payload_hash,"
                               " leaf_hash",
                               9, v, b->nentries, err);
    for (size_t i = 0; rc == 0 && i < b->nnodes; i++) {
        const struct pw_node *n = &b->nodes[i];
        v[i * 3] = STORE_INT(n->level);
        v[i * 3 + 1] = STORE_INT(n->idx);
        v[i * 3 + 2] = STORE_TEXT(n->hash);
    }
    if (rc == 0) {
        rc = store_insert_many(b->s, "journal_nodes", "level, idx, hash", 3, v, b->nnodes, err);
    }
    free(v);
    return rc;
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
    rc = grow(&b->entries, &b->cap_entries, b->nentries, sizeof *b->entries, err);
    if (rc < 0) {
        return rc;
    }
    size_t nodes_before = b->nnodes;
    rc = journal_merkle_range_append(b->range, leaf, emit_node, b, err);
    if (rc < 0) {
        b->nnodes = nodes_before;
        return rc;
    }
    b->entries[b->nentries++] = *e;
    return 0;
}

int platform_journal_append_act(struct pw_batch *b, struct platform_entry *e,
                                const struct gsi_buf *canon, const char *type, const char *party,
                                int64_t delegate, struct gsi_err *err)
{
    uint8_t h[JOURNAL_HASH_SIZE];
    journal_sha256(h, canon->data, canon->len);
    platform_hex(e->payload_hash, h);
    snprintf(e->type, sizeof e->type, "%s", type);
    snprintf(e->party, sizeof e->party, "%s", party);
    e->delegate = delegate;
    e->time_us = b->now_us;
    return platform_journal_append(b, e, err);
}

int platform_record_id_next(struct pw_batch *b, int64_t *id, struct gsi_err *err)
{
    if (b->next_record_id == 0) {
        int64_t max = 0;
        int rc = store_query_int(b->s, &max, 0, "SELECT MAX(id) FROM records", NULL, 0, err);
        if (rc < 0) {
            return rc;
        }
        b->next_record_id = max + 1;
    }
    *id = b->next_record_id++;
    return 0;
}

static bool party_in(char (*list)[PLATFORM_ID_MAX], size_t n, const char *party)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(list[i], party) == 0) {
            return true;
        }
    }
    return false;
}

int platform_party_check(struct platform *p, struct pw_batch *b, const char *party,
                         struct gsi_err *err)
{
    if (party_in(p->known, p->nknown, party) || party_in(b->seen, b->nseen, party)) {
        return 0;
    }
    struct store_val v[] = { STORE_TEXT(party) };
    int64_t n = 0;
    int rc = store_query_int(b->s, &n, 0, "SELECT COUNT(*) FROM parties WHERE id = ?", v, 1, err);
    if (rc < 0) {
        return rc;
    }
    if (n == 0) {
        return gsi_err_set(err, GSI_ENOTFOUND, "no party '%s'", party);
    }
    if (grow(&b->seen, &b->cap_seen, b->nseen, sizeof *b->seen, err) == 0) {
        snprintf(b->seen[b->nseen++], PLATFORM_ID_MAX, "%s", party);
    }
    return 0;
}

/* After a commit: the parties its batch found are known for good. */
static void parties_remember(struct platform *p, struct pw_batch *b)
{
    struct gsi_err ignore = GSI_ERR_INIT;
    for (size_t i = 0; i < b->nseen; i++) {
        if (p->nknown >= PLATFORM_KNOWN_PARTIES_MAX ||
            grow(&p->known, &p->cap_known, p->nknown, sizeof *p->known, &ignore) < 0) {
            return; /* a cache, not a rule: past its cap parties are looked up again */
        }
        if (!party_in(p->known, p->nknown, b->seen[i])) {
            memcpy(p->known[p->nknown++], b->seen[i], PLATFORM_ID_MAX);
        }
    }
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
    int64_t have = 0;
    if (rc == 0) {
        /* Another process on the same PostgreSQL database may have signed this size. */
        struct store_val v[] = { STORE_INT(r->size) };
        rc = store_query_int(s, &have, 0, "SELECT COUNT(*) FROM checkpoints WHERE size = ?", v, 1,
                             err);
    }
    if (rc == 0 && have == 0) {
        struct store_val v[] = { STORE_INT(r->size), STORE_TEXT(root),
                                 STORE_TEXTN(note.data, note.len), STORE_TEXT(now) };
        rc = store_exec_later(
            s, "INSERT INTO checkpoints (size, root, note, created) VALUES (?, ?, ?, ?)", v, 4,
            err);
    }
    if (rc == 0) {
        *note_out = gsi_buf_take(&note, NULL);
    }
    gsi_buf_release(&note);
    return rc;
}

/* A batch step that writes the journal runs only inside the batch's transaction, which holds
 * the log lock (batch_begin). */
static void batch_assert_locked(const struct store *s)
{
    assert(store_in_transaction(s) && "a batch step outside the transaction that locks the log");
    (void)s;
}

/* Opens the batch's write transaction on the leader's connection (a fresh one when the last
 * batch lost it), locks the log, and brings p->range to the journal's head (reloaded when
 * another process appended). On failure nothing is left open. */
static int batch_begin(struct platform *p, struct store **out, struct gsi_err *err)
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
    *out = s;
    return 0;
}

/* Runs request `r` in its own savepoint: its failure undoes its own writes and its share of
 * the batch (journal entries, nodes, record ids, the range), and is its own r->rc. Returns
 * the transaction's status: an error only when the transaction itself is lost, and then the
 * batch fails. */
static int batch_run_one(struct platform *p, struct pw_batch *b, struct pw_req *r,
                         struct gsi_err *err)
{
    struct store *s = b->s;
    struct journal_merkle_range before = p->range;
    size_t entries_before = b->nentries, nodes_before = b->nnodes;
    int64_t id_before = b->next_record_id;
    gsi_err_clear(&r->err);
    r->rc = store_savepoint(s, "act", &r->err);
    if (r->rc == 0) {
        b->now_us = platform_clock_now(p);
        r->rc = r->fn(p, b, r->ctx, &r->err);
        if (r->rc < 0) {
            struct gsi_err ignore = GSI_ERR_INIT;
            store_savepoint_rollback(s, "act", &ignore);
            if (!store_txn_open(s)) {
                /* The database rolled the whole transaction back by itself (SQLITE_FULL,
                 * IOERR, NOMEM): the acts before this one are gone too, and a SAVEPOINT
                 * now would quietly start a new transaction. Fail the batch. */
                return gsi_err_set(err, r->err.code == GSI_ENOMEM ? GSI_ENOMEM : GSI_EDB,
                                   "the database ended the transaction: %s", r->err.msg);
            }
            p->range = before;
            b->nentries = entries_before;
            b->nnodes = nodes_before;
            b->next_record_id = id_before;
            platform__proc_cache_drop(&b->proc_cache); /* it may hold what was undone */
        }
        struct gsi_err rel = GSI_ERR_INIT;
        if (store_savepoint_release(s, "act", &rel) < 0 && r->rc == 0) {
            r->rc = rel.code;
            r->err = rel;
            *err = rel;
            return rel.code; /* the transaction is unusable */
        }
    }
    if (r->rc < 0 && !store_txn_open(s)) {
        return gsi_err_set(err, GSI_EDB, "the database ended the transaction: %s", r->err.msg);
    }
    return 0;
}

/* Runs the batch's requests in order; stops at the first that loses the transaction. */
static int batch_run_requests(struct platform *p, struct pw_batch *b, struct pw_req *batch,
                              struct gsi_err *err)
{
    batch_assert_locked(b->s);
    for (struct pw_req *r = batch; r != NULL; r = r->next) {
        int rc = batch_run_one(p, b, r, err);
        if (rc < 0) {
            return rc;
        }
    }
    return 0;
}

/* Sends the batch's journal rows, keeps PostgreSQL's record id sequence past the ids given
 * here, and moves the head when the tree grew from `saved_size`. */
static int batch_write_journal(struct platform *p, struct pw_batch *b, uint64_t saved_size,
                               struct gsi_err *err)
{
    struct store *s = b->s;
    batch_assert_locked(s);
    int rc = flush_journal(b, err);
    if (rc == 0 && b->next_record_id > 0 && store_backend_of(s) == STORE_POSTGRES) {
        /* Keep PostgreSQL's identity sequence past the ids given here, so that an INSERT
         * without an id (an older gsi on the same database) cannot collide with them. */
        struct store_val v[] = { STORE_INT(b->next_record_id - 1) };
        rc = store_exec_later(
            s, "SELECT setval(pg_get_serial_sequence('records', 'id'), ?::bigint)", v, 1, err);
    }
    if (rc == 0 && p->range.size != saved_size) {
        struct store_val v[] = { STORE_INT(p->range.size) };
        rc = store_exec_later(s, "UPDATE journal_head SET size = ? WHERE id = 1", v, 1, err);
    }
    return rc;
}

/* Ends the batch's transaction: with `rc` 0, signs the new tree's checkpoint when one is due
 * (*note then holds it) and commits; otherwise, or when that fails, rolls back. After a
 * commit the parties it saw are remembered and the signature's size and time recorded.
 * Returns the commit's status. */
static int batch_end(struct platform *p, struct pw_batch *b, int rc, char **note,
                     struct gsi_err *err)
{
    struct store *s = b->s;
    batch_assert_locked(s);
    /* A signature costs a row and an Ed25519 signing: at most one per checkpoint_every_ms
     * (gsi serve --checkpoint-every), however many commits; `gsi serve` signs what is left
     * at its next tick and when it stops. */
    struct timespec mono;
    clock_gettime(CLOCK_MONOTONIC, &mono);
    int64_t now_ms = (int64_t)mono.tv_sec * 1000 + mono.tv_nsec / 1000000;
    bool due = p->checkpoint_every_ms == 0 || b->force_sign ||
               now_ms - p->signed_ms >= (int64_t)p->checkpoint_every_ms;
    if (rc == 0 && p->range.size > p->signed_size && due) {
        rc = sign_head(p, s, &p->range, note, err);
    }
    if (rc == 0 && !store_txn_open(s)) {
        rc = gsi_err_set(err, GSI_EDB, "the database ended the transaction before COMMIT");
    }
    if (rc == 0) {
        rc = store_commit(s, err);
    } else {
        store_rollback(s);
    }
    if (rc == 0) {
        parties_remember(p, b);
        if (*note != NULL) {
            p->signed_size = p->range.size;
            p->signed_ms = now_ms;
        }
    }
    return rc;
}

/* Runs one batch as the leader. Called without wmu held. Returns the commit's status; each
 * request's own status is in req->rc. */
static int run_batch(struct platform *p, struct pw_req *batch, uint64_t *size_out,
                     struct gsi_err *err)
{
    struct store *s;
    int rc = batch_begin(p, &s, err);
    if (rc < 0) {
        return rc;
    }
    struct journal_merkle_range saved = p->range;
    struct pw_batch b = { .s = s, .range = &p->range, .now_us = platform_clock_now(p) };
    rc = batch_run_requests(p, &b, batch, err);
    if (rc == 0) {
        rc = batch_write_journal(p, &b, saved.size, err);
    }
    free(b.entries);
    free(b.nodes);
    char *note = NULL;
    rc = batch_end(p, &b, rc, &note, err);
    free(b.seen);
    platform__proc_cache_drop(&b.proc_cache);
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

/* Checkpoints SQLite's write-ahead log from a pooled connection when the last commit left it
 * past PLATFORM_WAL_CHECKPOINT_PAGES; one thread at a time, while writers go on. Runs after
 * the caller's own write is answered-ready and the leadership is handed on, so no queued
 * write waits for it. */
static void maybe_checkpoint(struct platform *p, long wal_pages)
{
    if (wal_pages < PLATFORM_WAL_CHECKPOINT_PAGES) {
        return;
    }
    pthread_mutex_lock(&p->wmu);
    bool mine = !p->checkpointing;
    p->checkpointing = true;
    pthread_mutex_unlock(&p->wmu);
    if (!mine) {
        return;
    }
    struct store *c = NULL;
    struct gsi_err cerr = GSI_ERR_INIT;
    int rc = platform_conn_get(p, &c, &cerr);
    if (rc == 0) {
        rc = store_checkpoint(c, &cerr);
        platform_conn_put(p, c, rc < 0);
    }
    if (rc < 0) {
        gsi_err_print(&cerr, "gsi"); /* the writes are durable; the log only grows */
    }
    pthread_mutex_lock(&p->wmu);
    p->checkpointing = false;
    pthread_cond_broadcast(&p->wcond);
    pthread_mutex_unlock(&p->wmu);
}

/* Queues `req`; it leads at once when no batch is running (so the queue held nobody before
 * it). Called with p->wmu held. */
static void write_enqueue(struct platform *p, struct pw_req *req)
{
    if (p->qtail) {
        p->qtail->next = req;
    } else {
        p->qhead = req;
    }
    p->qtail = req;
    if (!p->leader) {
        p->leader = true;
        req->lead = true;
    }
}

/* Takes the leader's batch off the queue: the leader is always the head of the queue, and it
 * takes up to batch_max - 1 requests behind it, everything that queued while the last batch
 * ran. Called with p->wmu held. */
static struct pw_req *batch_take(struct platform *p)
{
    assert(p->leader && p->qhead != NULL && p->qhead->lead && "batch_take by a non-leader");
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
    return batch;
}

/* Runs the batch as the leader, then looks after the connection it ran on: closed after a
 * transaction-level database error, its write-ahead log checkpointed here when past
 * PLATFORM_WAL_CHECKPOINT_MAX. *wal_pages carries the log's size from one batch to the next.
 * Called without p->wmu held. */
static int batch_lead(struct platform *p, struct pw_req *batch, uint64_t *size, long *wal_pages,
                      struct gsi_err *err)
{
    int brc = run_batch(p, batch, size, err);
    if (brc == GSI_EDB) {
        /* A database error at the transaction level may mean a dead connection; the next
         * batch opens a new one rather than failing forever on this one. */
        store_close(p->wconn);
        p->wconn = NULL;
    }
    if (brc == 0 && p->wconn != NULL) {
        *wal_pages = store_wal_pages(p->wconn);
    }
    if (*wal_pages >= PLATFORM_WAL_CHECKPOINT_MAX) {
        /* Checkpoints beside a steady stream of commits rarely catch the log's end, and
         * SQLite restarts the log only when one did: past this size, checkpoint here
         * before the next batch starts, as SQLite itself would, so the log stays
         * bounded. */
        struct gsi_err cerr = GSI_ERR_INIT;
        if (store_checkpoint(p->wconn, &cerr) < 0) {
            gsi_err_print(&cerr, "gsi");
        }
        *wal_pages = 0;
    }
    return brc;
}

/* Hands the leadership on and answers the batch's requests (the batch's status `brc` when it
 * failed as a whole), waking each but `self`, which is awake. Called with p->wmu held. */
static void batch_hand_on(struct platform *p, struct pw_req *batch, const struct pw_req *self,
                          int brc, const struct gsi_err *berr, uint64_t size)
{
    assert(p->leader && "batch_hand_on without the leadership");
    /* Hand the leadership straight to the oldest waiting writer before waking anyone
     * else: it starts the next batch with everything queued meanwhile, without a crowd
     * of woken threads racing for it. */
    if (p->qhead != NULL) {
        p->qhead->lead = true;
        pthread_cond_signal(&p->qhead->cond);
    } else {
        p->leader = false;
        pthread_cond_broadcast(&p->wcond); /* platform_close waits for an idle queue */
    }
    for (struct pw_req *r = batch, *next; r != NULL; r = next) {
        next = r->next;
        if (brc < 0) {
            r->rc = brc;
            r->err = *berr;
        }
        r->tree_size = size;
        r->done = true;
        r->lead = false;
        if (r != self) {
            pthread_cond_signal(&r->cond);
        }
    }
}

/* What health reports: a store error (the whole batch's, or this act's own) means the store
 * may not be taking writes; a commit means it is. Called with p->wmu held. */
static void write_fault_note(struct platform *p, const struct pw_req *req)
{
    if (req->rc == GSI_EDB || req->rc == GSI_EIO) {
        p->write_fault = true;
        snprintf(p->write_fault_msg, sizeof p->write_fault_msg, "%s", req->err.msg);
    } else if (req->rc == 0) {
        p->write_fault = false;
    }
}

int platform_write(struct platform *p, pw_fn fn, void *ctx, uint64_t *tree_size,
                   struct gsi_err *err)
{
    struct pw_req req;
    memset(&req, 0, sizeof req);
    req.fn = fn;
    req.ctx = ctx;
    pthread_cond_init(&req.cond, NULL);
    long wal_pages = 0;
    pthread_mutex_lock(&p->wmu);
    write_enqueue(p, &req);
    while (!req.done) {
        if (!req.lead) {
            pthread_cond_wait(&req.cond, &p->wmu);
            continue;
        }
        struct pw_req *batch = batch_take(p);
        pthread_mutex_unlock(&p->wmu);
        struct gsi_err berr = GSI_ERR_INIT;
        uint64_t size = 0;
        int brc = batch_lead(p, batch, &size, &wal_pages, &berr);
        pthread_mutex_lock(&p->wmu);
        batch_hand_on(p, batch, &req, brc, &berr, size);
    }
    write_fault_note(p, &req);
    pthread_mutex_unlock(&p->wmu);
    pthread_cond_destroy(&req.cond);
    maybe_checkpoint(p, wal_pages);
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

bool platform_store_writable(struct platform *p, char *why, size_t cap)
{
    pthread_mutex_lock(&p->wmu);
    bool ok = !p->write_fault;
    if (!ok && cap > 0) {
        snprintf(why, cap, "%s", p->write_fault_msg);
    }
    pthread_mutex_unlock(&p->wmu);
    return ok;
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

/* Every party the audience names exists: a confidential act addressed to a party that does
 * not exist would be shown to whoever later registers that id. check_audience has made sure
 * the list is well formed (ids of at most PLATFORM_ID_MAX - 1 bytes, no empty one). */
static int audience_check(struct platform *p, struct pw_batch *b, const char *audience,
                          struct gsi_err *err)
{
    for (const char *a = audience; *a != '\0';) {
        size_t n = strcspn(a, ",");
        char id[PLATFORM_ID_MAX];
        snprintf(id, sizeof id, "%.*s", (int)n, a);
        int rc = platform_party_check(p, b, id, err);
        if (rc == GSI_ENOTFOUND) {
            return gsi_err_set(err, GSI_EDATA, "audience: no party '%s' (see GET /v1/parties)", id);
        }
        if (rc < 0) {
            return rc;
        }
        a += n + (a[n] == ',');
    }
    return 0;
}

static int act_apply(struct platform *p, struct pw_batch *b, void *ctx, struct gsi_err *err)
{
    struct act_ctx *c = ctx;
    const struct platform_act *a = c->act;
    struct platform_entry e;
    memset(&e, 0, sizeof e);
    e.time_us = b->now_us;
    platform_time_format(e.time, e.time_us);
    uint64_t index = b->range->size;
    int64_t delegate = c->actor ? c->actor->id : 0;
    const char *audience = a->audience ? a->audience : "";
    int64_t id = 0;
    char salt[PLATFORM_HEX_MAX] = "";
    if (a->confidential) {
        uint8_t raw[JOURNAL_HASH_SIZE];
        if (platform_random(raw, sizeof raw, err) < 0) {
            return err->code;
        }
        platform_hex(salt, raw);
        /* The journal row keeps every field; the leaf data is the blinded form. */
        e.blind = true;
        memcpy(e.salt, salt, sizeof e.salt);
    }
    int rc = platform_party_check(p, b, c->party, err);
    if (rc == 0) {
        rc = audience_check(p, b, audience, err);
    }
    if (rc == 0) {
        rc = platform_record_id_next(b, &id, err);
    }
    if (rc < 0) {
        return rc;
    }
    struct store_val v[] = { STORE_INT(id),        STORE_TEXT(a->type),
                             STORE_TEXT(c->party), STORE_INT(delegate),
                             STORE_TEXT(e.time),   STORE_INT(a->confidential ? 1 : 0),
                             STORE_TEXT(audience), STORE_TEXTN(c->payload, c->payload_len),
                             STORE_INT(index),     STORE_TEXT(salt) };
    /* Deferred: nothing in it can fail once the party is known and the id is ours. */
    rc = store_exec_later(b->s,
                          "INSERT INTO records (id, type, party, delegate, created, confidential,"
                          " audience, payload, journal_index, salt)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          v, 10, err);
    if (rc < 0) {
        return rc;
    }
    if (a->apply != NULL || a->apply_batch != NULL) {
        rc = a->apply_batch != NULL ? a->apply_batch(a->apply_ctx, b, id, index, e.time_us, err)
                                    : a->apply(a->apply_ctx, b->s, id, index, e.time_us, err);
        if (rc < 0) {
            return rc;
        }
    }
    struct gsi_buf canon;
    gsi_buf_init(&canon, PLATFORM_CANON_MAX);
    rc = platform_canon_record_salted(&canon, id, a->type, c->party, delegate, e.time,
                                      a->confidential, audience, index, salt, c->payload,
                                      c->payload_len, err);
    if (rc == 0) {
        snprintf(e.subject, sizeof e.subject, "record/%lld", (long long)id);
        rc = platform_journal_append_act(b, &e, &canon, a->type, c->party, delegate, err);
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
    size_t len = 0; /* of the id being read */
    for (size_t i = 0; i <= n; i++) {
        char c = a[i];
        if (c == ',' || c == '\0') {
            if ((len == 0 && n > 0) || len >= PLATFORM_ID_MAX) {
                return gsi_err_set(err, GSI_EUSAGE,
                                   "audience: an empty or overlong party id in \"%.64s\"", a);
            }
            len = 0;
        } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') {
            len++;
        } else {
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
    struct act_ctx c = { .actor = actor,
                         .act = act,
                         .party = party,
                         .payload = act->payload ? act->payload : "{}",
                         .payload_len = act->payload ? act->payload_len : 2,
                         .out = out };
    rc = platform_write(p, act_apply, &c, &out->tree_size, err);
    if (rc == GSI_ECONFLICT && strstr(err->msg, "FOREIGN") != NULL) {
        return gsi_err_set(err, GSI_ENOTFOUND, "no party '%s'", party);
    }
    if (rc == GSI_ECONFLICT && strstr(err->msg, "foreign key") != NULL) {
        return gsi_err_set(err, GSI_ENOTFOUND, "no party '%s'", party);
    }
    return rc;
}
