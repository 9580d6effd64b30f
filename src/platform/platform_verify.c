/* platform_verify.c — `gsi journal verify`: recompute everything the journal promises.
 *
 * In one read snapshot it (1) re-encodes every entry from its columns and re-hashes it,
 * (2) rebuilds the tree from those leaf hashes and checks every stored checkpoint's signature
 * and root at its size, and the checkpoint file outside the database, and (3) recomputes the
 * canonical bytes of every record, delegate and party and checks them against the payload
 * hash of the entry that names them, and (4) checks every stored tree node (journal_nodes,
 * which inclusion and consistency proofs are read from) against the node the rebuild made.
 * A changed byte anywhere, or a deleted row, shows up as a problem that names the row.
 * Memory: about 170 bytes per entry. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"
#include "core/text.h"
#include "platform/internal.h"
#include "platform/proc.h"

#define CHUNK          5000
#define PROBLEMS_SHOWN 200 /* messages passed on; all are counted */

struct vent {
    uint8_t leaf[JOURNAL_HASH_SIZE];
    char payload_hash[PLATFORM_HEX_MAX];
    char subject[48];
    bool present;
    bool seen;
};

struct vctx {
    struct platform_verify_report *rep;
    platform_problem_fn fn;
    void *ctx;
};

static void problem(struct vctx *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct vctx *v, const char *fmt, ...)
{
    v->rep->problems++;
    if (v->rep->problems > PROBLEMS_SHOWN || v->fn == NULL) {
        return;
    }
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    v->fn(v->ctx, msg);
}

struct revoke {
    int64_t delegate;
    char time[PLATFORM_TIME_MAX];
};

/* What the row callbacks of the paged reads below share: the entries and the report, and
 * the revocations check_records collects for check_delegates. */
struct vscan {
    struct vctx *v;
    struct vent *ents;
    uint64_t size;
    struct revoke *revs;
    size_t nrevs, cap;
};

/* A store_query_pages row of read_entries: one journal entry, re-encoded and re-hashed. */
static int entry_row(void *ctx, const struct store_rows *r, size_t i, struct gsi_err *err)
{
    (void)err;
    struct vscan *sc = ctx;
    struct vctx *v = sc->v;
    struct vent *ents = sc->ents;
    uint64_t size = sc->size;
    struct platform_entry e;
    memset(&e, 0, sizeof e);
    int64_t idx = store_rows_int(r, i, 0);
    if (idx < 0 || (uint64_t)idx >= size) {
        problem(v, "journal entry %lld is past the journal's head (size %llu)",
                (long long)idx, (unsigned long long)size);
        return 0;
    }
    snprintf(e.type, sizeof e.type, "%s", store_rows_text(r, i, 1));
    snprintf(e.party, sizeof e.party, "%s", store_rows_text(r, i, 2));
    e.delegate = store_rows_int(r, i, 3);
    e.time_us = store_rows_int(r, i, 4);
    snprintf(e.subject, sizeof e.subject, "%s", store_rows_text(r, i, 6));
    snprintf(e.payload_hash, sizeof e.payload_hash, "%s", store_rows_text(r, i, 7));
    struct vent *ve = &ents[idx];
    ve->present = true;
    memcpy(ve->subject, e.subject, sizeof ve->subject);
    memcpy(ve->payload_hash, e.payload_hash, sizeof ve->payload_hash);
    v->rep->entries++;
    char tstr[PLATFORM_TIME_MAX];
    platform_time_format(tstr, e.time_us);
    if (strcmp(tstr, store_rows_text(r, i, 5)) != 0) {
        problem(v, "journal entry %lld: its time text '%s' does not match its time",
                (long long)idx, store_rows_text(r, i, 5));
    }
    struct gsi_buf bytes;
    gsi_buf_init(&bytes, JOURNAL_ENTRY_MAX_BYTES + 1);
    struct gsi_err eerr = GSI_ERR_INIT;
    /* A confidential act's leaf data is blinded with its record's salt. */
    e.index = (uint64_t)idx;
    snprintf(e.leaf_hash, sizeof e.leaf_hash, "%s", store_rows_text(r, i, 8));
    if (platform_entry_form(&e, store_rows_text(r, i, 9), &eerr) < 0 ||
        platform_entry_canonical(&bytes, &e, &eerr) < 0) {
        problem(v, "journal entry %lld: cannot be encoded: %s", (long long)idx, eerr.msg);
        memset(ve->leaf, 0, sizeof ve->leaf);
    } else {
        journal_merkle_leaf_hash(ve->leaf, bytes.data, bytes.len);
        char hex[PLATFORM_HEX_MAX];
        platform_hex(hex, ve->leaf);
        if (strcmp(hex, store_rows_text(r, i, 8)) != 0) {
            problem(v, "journal entry %lld (%s): its content does not match its leaf hash",
                    (long long)idx, e.subject);
        }
    }
    gsi_buf_release(&bytes);
    return 0;
}

static int read_entries(struct store *s, struct vscan *sc, struct gsi_err *err)
{
    int rc = store_query_pages(s,
                               "SELECT j.idx, j.type, j.party, j.delegate, j.time_us, j.time,"
                               " j.subject, j.payload_hash, j.leaf_hash, COALESCE(r.salt, '')"
                               " FROM journal j LEFT JOIN records r ON r.journal_index = j.idx"
                               " WHERE j.idx > ? ORDER BY j.idx LIMIT ?",
                               -1, CHUNK, entry_row, sc, err);
    for (uint64_t i = 0; rc == 0 && i < sc->size; i++) {
        if (!sc->ents[i].present) {
            problem(sc->v, "journal entry %llu is missing", (unsigned long long)i);
        }
    }
    return rc;
}

/* The complete subtree hashes of the rebuilt tree, level by level: level L holds
 * size >> L nodes, so all levels hold fewer than 2 * size. */
struct vnodes {
    uint8_t (*hash)[JOURNAL_HASH_SIZE];
    bool *seen; /* a stored row was found for it */
    uint64_t off[65];
    uint64_t count[65];
};

static int vnodes_init(struct vnodes *n, uint64_t size, struct gsi_err *err)
{
    memset(n, 0, sizeof *n);
    uint64_t total = 0;
    for (unsigned l = 0; l < 64 && (size >> l) > 0; l++) {
        n->off[l] = total;
        n->count[l] = size >> l;
        total += n->count[l];
    }
    n->hash = calloc(total > 0 ? total : 1, sizeof *n->hash);
    n->seen = calloc(total > 0 ? total : 1, sizeof *n->seen);
    if (n->hash == NULL || n->seen == NULL) {
        free(n->hash);
        free(n->seen);
        n->hash = NULL;
        n->seen = NULL;
        /* The code itself, not gsi_err_set's value: the analyzer must see that the
         * arrays are set whenever 0 comes back. */
        gsi_err_set(err, GSI_ENOMEM, "out of memory for %llu tree nodes",
                    (unsigned long long)total);
        return GSI_ENOMEM;
    }
    return 0;
}

static void vnodes_release(struct vnodes *n)
{
    free(n->hash);
    free(n->seen);
}

/* journal_merkle_range_append's emit: keeps each newly complete node of the rebuild. */
static int vnodes_emit(void *ctx, unsigned level, uint64_t index,
                       const uint8_t hash[JOURNAL_HASH_SIZE], struct gsi_err *err)
{
    struct vnodes *n = ctx;
    (void)err;
    if (level < 64 && index < n->count[level]) {
        memcpy(n->hash[n->off[level] + index], hash, JOURNAL_HASH_SIZE);
    }
    return 0;
}

/* Every journal_nodes row must be a node of the rebuilt tree with its hash, and every node
 * of that tree must have its row: proofs are served from these rows, so one changed byte
 * would make the server hand out proofs that lead to no signed root. */
static int check_nodes(struct store *s, struct vnodes *nodes, struct vctx *v, struct gsi_err *err)
{
    int64_t after_level = -1, after_idx = -1;
    for (;;) {
        struct store_val pv[] = { STORE_INT(after_level), STORE_INT(after_level),
                                  STORE_INT(after_idx), STORE_INT(CHUNK) };
        struct store_rows *r;
        int rc = store_query(s, &r,
                             "SELECT level, idx, hash FROM journal_nodes WHERE level > ? OR"
                             " (level = ? AND idx > ?) ORDER BY level, idx LIMIT ?",
                             pv, 4, err);
        if (rc < 0) {
            return rc;
        }
        size_t n = store_rows_count(r);
        for (size_t i = 0; i < n; i++) {
            int64_t level = store_rows_int(r, i, 0);
            int64_t idx = store_rows_int(r, i, 1);
            after_level = level;
            after_idx = idx;
            if (level < 0 || level >= 64 || idx < 0 || (uint64_t)idx >= nodes->count[level]) {
                problem(v,
                        "journal_nodes (level %lld, index %lld): no such node in a tree of "
                        "this size",
                        (long long)level, (long long)idx);
                continue;
            }
            uint64_t k = nodes->off[level] + (uint64_t)idx;
            nodes->seen[k] = true;
            uint8_t h[JOURNAL_HASH_SIZE];
            struct gsi_err herr = GSI_ERR_INIT;
            if (platform_unhex(h, store_rows_text(r, i, 2), store_rows_len(r, i, 2), &herr) < 0 ||
                memcmp(h, nodes->hash[k], sizeof h) != 0) {
                problem(v,
                        "journal_nodes (level %lld, index %lld): the stored hash is not the "
                        "one the entries give (proofs from it would not verify)",
                        (long long)level, (long long)idx);
            }
        }
        store_rows_free(r);
        if (n < CHUNK) {
            break;
        }
    }
    for (unsigned l = 0; l < 64 && nodes->count[l] > 0; l++) {
        for (uint64_t i = 0; i < nodes->count[l]; i++) {
            if (!nodes->seen[nodes->off[l] + i]) {
                problem(v, "journal_nodes (level %u, index %llu) is missing", l,
                        (unsigned long long)i);
            }
        }
    }
    return 0;
}

/* The checkpoint file outside the database, one more checkpoint to place in the sweep of
 * check_checkpoints: its size (UINT64_MAX when there is none to check) and root. */
static void file_checkpoint(struct platform *p, uint64_t size, struct vctx *v, uint64_t *file_size,
                            uint8_t file_root[JOURNAL_HASH_SIZE])
{
    char *file = NULL;
    size_t flen = 0;
    struct gsi_err ferr = GSI_ERR_INIT;
    *file_size = UINT64_MAX;
    int frc = gsi_file_read(p->checkpoint_path, &file, &flen, PLATFORM_CHECKPOINT_FILE_MAX, &ferr);
    if (frc < 0 && frc != GSI_ENOTFOUND) {
        /* Only a file that is not there is no finding: one that cannot be read or is too
         * large is reported, never checked in part or skipped in silence. */
        problem(v, "the checkpoint file cannot be checked: %s", ferr.msg);
    }
    if (frc != 0) {
        return;
    }
    struct journal_checkpoint cp;
    if (journal_checkpoint_open(&cp, NULL, file, flen, p->origin, &p->verifier, 1, &ferr) == 0) {
        *file_size = cp.size;
        memcpy(file_root, cp.root, JOURNAL_HASH_SIZE);
        journal_checkpoint_release(&cp);
        if (*file_size > size) {
            problem(v,
                    "the checkpoint file %s has size %llu but the journal only %llu: "
                    "entries were removed from the database",
                    p->checkpoint_path, (unsigned long long)*file_size, (unsigned long long)size);
        }
    } else {
        problem(v, "the checkpoint file %s does not verify: %s", p->checkpoint_path, ferr.msg);
    }
    free(file);
}

/* Once the rebuilt tree has the checkpoint file's size, its root must be the file's. */
static void file_root_check(struct vctx *v, const struct platform *p,
                            const struct journal_merkle_range *range, uint64_t file_size,
                            const uint8_t file_root[JOURNAL_HASH_SIZE])
{
    if (file_size != range->size) {
        return;
    }
    uint8_t root[JOURNAL_HASH_SIZE];
    journal_merkle_range_root(range, root);
    if (memcmp(root, file_root, sizeof root) != 0) {
        problem(v, "the checkpoint file %s (size %llu) does not match the journal",
                p->checkpoint_path, (unsigned long long)file_size);
    }
}

static int check_checkpoints(struct platform *p, struct store *s, struct vent *ents, uint64_t size,
                             struct vnodes *nodes, struct vctx *v, struct gsi_err *err)
{
    struct store_rows *r;
    int rc =
        store_query(s, &r, "SELECT size, root, note FROM checkpoints ORDER BY size", NULL, 0, err);
    if (rc < 0) {
        return rc;
    }
    uint64_t file_size;
    uint8_t file_root[JOURNAL_HASH_SIZE];
    file_checkpoint(p, size, v, &file_size, file_root);
    struct journal_merkle_range range;
    journal_merkle_range_init(&range);
    uint64_t last = 0;
    size_t n = store_rows_count(r);
    for (size_t i = 0; i <= n; i++) {
        uint64_t cs = i < n ? (uint64_t)store_rows_int(r, i, 0) : size;
        if (cs > size) {
            problem(v, "checkpoint at size %llu is past the journal's size %llu",
                    (unsigned long long)cs, (unsigned long long)size);
            continue;
        }
        while (range.size < cs) {
            file_root_check(v, p, &range, file_size, file_root);
            rc =
                journal_merkle_range_append(&range, ents[range.size].leaf, vnodes_emit, nodes, err);
            if (rc < 0) {
                store_rows_free(r);
                return rc;
            }
        }
        if (i == n) {
            file_root_check(v, p, &range, file_size, file_root);
            break;
        }
        v->rep->checkpoints++;
        last = cs;
        struct journal_checkpoint cp;
        struct gsi_err cerr = GSI_ERR_INIT;
        const char *note = store_rows_text(r, i, 2);
        if (journal_checkpoint_open(&cp, NULL, note, store_rows_len(r, i, 2), p->origin,
                                    &p->verifier, 1, &cerr) < 0) {
            problem(v, "checkpoint at size %llu: its signature does not verify: %s",
                    (unsigned long long)cs, cerr.msg);
            continue;
        }
        uint8_t root[JOURNAL_HASH_SIZE];
        journal_merkle_range_root(&range, root);
        char hex[PLATFORM_HEX_MAX];
        platform_hex(hex, cp.root);
        if (cp.size != cs || strcmp(hex, store_rows_text(r, i, 1)) != 0) {
            problem(v, "checkpoint at size %llu: its columns do not match its signed note",
                    (unsigned long long)cs);
        } else if (memcmp(root, cp.root, sizeof root) != 0) {
            problem(v,
                    "checkpoint at size %llu: the journal's first %llu entries do not hash to "
                    "its signed root (an entry before %llu was changed or removed)",
                    (unsigned long long)cs, (unsigned long long)cs, (unsigned long long)cs);
        }
        journal_checkpoint_release(&cp);
    }
    if (last != size) {
        problem(v, "the last signed checkpoint covers %llu entries but the journal has %llu",
                (unsigned long long)last, (unsigned long long)size);
    }
    store_rows_free(r);
    return 0;
}

/* Checks the subject's canonical bytes against the entry that names it. Problems name it as
 * the subject with a space for its slash ("record/12": "record 12"). */
static void match(struct vctx *v, struct vent *ents, uint64_t size, int64_t index,
                  const char *subject, const struct gsi_buf *canon)
{
    char what[64];
    snprintf(what, sizeof what, "%s", subject);
    char *slash = strchr(what, '/');
    if (slash != NULL) {
        *slash = ' ';
    }
    v->rep->records++;
    if (index < 0 || (uint64_t)index >= size || !ents[index].present ||
        strcmp(ents[index].subject, subject) != 0) {
        problem(v, "%s: no journal entry names it (entry %lld)", what, (long long)index);
        return;
    }
    ents[index].seen = true;
    uint8_t h[JOURNAL_HASH_SIZE];
    journal_sha256(h, canon->data, canon->len);
    char hex[PLATFORM_HEX_MAX];
    platform_hex(hex, h);
    if (strcmp(hex, ents[index].payload_hash) != 0) {
        problem(v, "%s (entry %lld): its content does not match its journal entry", what,
                (long long)index);
    }
}

/* A store_query_pages row of check_records: one record's canonical bytes against its entry;
 * a revocation is kept for check_delegates. */
static int record_row(void *ctx, const struct store_rows *r, size_t i, struct gsi_err *err)
{
    struct vscan *sc = ctx;
    int64_t id = store_rows_int(r, i, 0);
    int64_t index = store_rows_int(r, i, 8);
    struct gsi_buf canon;
    gsi_buf_init(&canon, PLATFORM_CANON_MAX);
    struct gsi_err cerr = GSI_ERR_INIT;
    platform_canon_record_salted(&canon, id, store_rows_text(r, i, 1), store_rows_text(r, i, 2),
                                 store_rows_int(r, i, 3), store_rows_text(r, i, 4),
                                 store_rows_int(r, i, 5) != 0, store_rows_text(r, i, 6),
                                 (uint64_t)index, store_rows_text(r, i, 9),
                                 store_rows_text(r, i, 7), store_rows_len(r, i, 7), &cerr);
    char subject[48];
    snprintf(subject, sizeof subject, "record/%lld", (long long)id);
    match(sc->v, sc->ents, sc->size, index, subject, &canon);
    gsi_buf_release(&canon);
    if (strcmp(store_rows_text(r, i, 1), "delegate.revoke") != 0) {
        return 0;
    }
    int64_t d = 0;
    const char *pl = store_rows_text(r, i, 7);
    size_t pn = store_rows_len(r, i, 7);
    if (pn > 13 && strncmp(pl, "{\"delegate\":", 12) == 0 && pl[pn - 1] == '}' &&
        gsi_parse_i64(&d, pl + 12, pn - 13) == 0) {
        if (GSI_ALLOC_GROW(sc->revs, sc->nrevs + 1, sc->cap, 16) < 0) {
            return gsi_err_set(err, GSI_ENOMEM, "out of memory");
        }
        sc->revs[sc->nrevs].delegate = d;
        snprintf(sc->revs[sc->nrevs].time, PLATFORM_TIME_MAX, "%s", store_rows_text(r, i, 4));
        sc->nrevs++;
    } else {
        problem(sc->v, "record %lld: a revocation that names no delegate", (long long)id);
    }
    return 0;
}

static int check_records(struct store *s, struct vscan *sc, struct gsi_err *err)
{
    return store_query_pages(s,
                             "SELECT id, type, party, delegate, created, confidential, audience,"
                             " payload, journal_index, salt FROM records WHERE id > ? ORDER BY id"
                             " LIMIT ?",
                             0, 1000, record_row, sc, err);
}

static int check_delegates(struct store *s, struct vent *ents, uint64_t size, struct vctx *v,
                           const struct revoke *revs, size_t nrevs, struct gsi_err *err)
{
    struct store_rows *r;
    int rc = store_query(s, &r,
                         "SELECT id, party, role, name, pubkey, token_hash, created, revoked,"
                         " journal_index FROM delegates ORDER BY id",
                         NULL, 0, err);
    if (rc < 0) {
        return rc;
    }
    for (size_t i = 0; i < store_rows_count(r); i++) {
        int64_t id = store_rows_int(r, i, 0);
        struct gsi_buf canon;
        gsi_buf_init(&canon, 8192);
        struct gsi_err cerr = GSI_ERR_INIT;
        platform_canon_delegate(&canon, id, store_rows_text(r, i, 1), store_rows_text(r, i, 2),
                                store_rows_text(r, i, 3), store_rows_text(r, i, 4),
                                store_rows_text(r, i, 5), store_rows_text(r, i, 6), &cerr);
        char subject[48];
        snprintf(subject, sizeof subject, "delegate/%lld", (long long)id);
        match(v, ents, size, store_rows_int(r, i, 8), subject, &canon);
        gsi_buf_release(&canon);
        const struct revoke *rv = NULL;
        for (size_t k = 0; k < nrevs; k++) {
            if (revs[k].delegate == id) {
                rv = &revs[k];
            }
        }
        bool revoked = !store_rows_is_null(r, i, 7);
        if (revoked && (rv == NULL || strcmp(rv->time, store_rows_text(r, i, 7)) != 0)) {
            problem(v, "delegate %lld: marked revoked at %s with no matching revocation record",
                    (long long)id, store_rows_text(r, i, 7));
        } else if (!revoked && rv != NULL) {
            problem(v,
                    "delegate %lld: a revocation record exists but the delegate is not "
                    "revoked (its token would still work)",
                    (long long)id);
        }
    }
    store_rows_free(r);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int check_parties(struct store *s, struct vent *ents, uint64_t size, struct vctx *v,
                         struct gsi_err *err)
{
    struct store_rows *r, *m;
    int rc = store_query(
        s, &r, "SELECT id, kind, name, region, created, journal_index FROM parties", NULL, 0, err);
    if (rc < 0) {
        return rc;
    }
    rc = store_query(s, &m, "SELECT org, member FROM party_members", NULL, 0, err);
    if (rc < 0) {
        store_rows_free(r);
        return rc;
    }
    size_t nm = store_rows_count(m);
    const char **list = calloc(nm + 1, sizeof *list);
    if (list == NULL) {
        store_rows_free(r);
        store_rows_free(m);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < store_rows_count(r); i++) {
        const char *id = store_rows_text(r, i, 0);
        size_t k = 0;
        for (size_t j = 0; j < nm; j++) {
            if (strcmp(store_rows_text(m, j, 0), id) == 0) {
                list[k++] = store_rows_text(m, j, 1);
            }
        }
        /* Byte order, whatever the database's collation. */
        qsort(list, k, sizeof *list, cmp_str);
        struct gsi_buf members, canon;
        gsi_buf_init(&members, 1 << 16);
        gsi_buf_init(&canon, 1 << 17);
        for (size_t j = 0; j < k; j++) {
            gsi_buf_appendf(&members, "%s%s", j ? "," : "", list[j]);
        }
        struct gsi_err cerr = GSI_ERR_INIT;
        platform_canon_party(&canon, id, store_rows_text(r, i, 1), store_rows_text(r, i, 2),
                             store_rows_text(r, i, 3), store_rows_text(r, i, 4),
                             members.data ? members.data : "", &cerr);
        char subject[48];
        snprintf(subject, sizeof subject, "party/%s", id);
        match(v, ents, size, store_rows_int(r, i, 5), subject, &canon);
        gsi_buf_release(&members);
        gsi_buf_release(&canon);
    }
    free(list);
    store_rows_free(r);
    store_rows_free(m);
    return 0;
}

/* The procedures' tables are a projection of the records: rebuilt, they must not change
 * (proc_read.c). A record the rebuild refuses to replay is a problem too. */
static int check_projection(struct platform *p, struct vctx *v, struct gsi_err *err)
{
    bool differs = false;
    int rc = platform_proc_check(p, &differs, err);
    if (rc == GSI_EDATA || rc == GSI_ECONFLICT || rc == GSI_ENOTFOUND || rc == GSI_EFORBIDDEN) {
        problem(v, "the procedures' tables cannot be rebuilt from the records: %s", err->msg);
        return 0;
    }
    if (rc == 0 && differs) {
        problem(v, "the procedures' tables (proc_cases, proc_parties, proc_acts and each "
                   "procedure's own) differ from their rebuild from the records");
    }
    return rc;
}

/* Steps 1 to 4 (the file's comment) over the `size` entries in `ents`, in one snapshot. */
static int check_all(struct platform *p, struct store *s, struct vent *ents, uint64_t size,
                     struct vctx *v, struct gsi_err *err)
{
    struct vscan sc = { .v = v, .ents = ents, .size = size };
    int rc = read_entries(s, &sc, err);
    struct vnodes nodes;
    memset(&nodes, 0, sizeof nodes);
    if (rc == 0) {
        rc = vnodes_init(&nodes, size, err);
    }
    if (rc == 0) {
        rc = check_checkpoints(p, s, ents, size, &nodes, v, err);
    }
    if (rc == 0) {
        rc = check_nodes(s, &nodes, v, err);
    }
    vnodes_release(&nodes);
    if (rc == 0) {
        rc = check_records(s, &sc, err);
    }
    if (rc == 0) {
        rc = check_delegates(s, ents, size, v, sc.revs, sc.nrevs, err);
    }
    if (rc == 0) {
        rc = check_parties(s, ents, size, v, err);
    }
    for (uint64_t i = 0; rc == 0 && i < size; i++) {
        if (ents[i].present && !ents[i].seen) {
            problem(v, "%s (entry %llu) is missing from the database", ents[i].subject,
                    (unsigned long long)i);
        }
    }
    free(sc.revs);
    return rc;
}

int platform_journal_verify(struct platform *p, struct platform_verify_report *rep,
                            platform_problem_fn fn, void *ctx, struct gsi_err *err)
{
    memset(rep, 0, sizeof *rep);
    struct vctx v = { .rep = rep, .fn = fn, .ctx = ctx };
    struct store *s;
    int rc = platform_conn_get(p, &s, err);
    if (rc < 0) {
        return rc;
    }
    rc = store_begin_snapshot(s, err);
    int64_t head = 0;
    if (rc == 0) {
        rc = store_query_int(s, &head, 0, "SELECT size FROM journal_head WHERE id = 1", NULL, 0,
                             err);
    }
    if (rc == 0 && head < 0) {
        /* Read as a size it would be past every entry, and the entries would be indexed
         * past the table below. */
        rc = gsi_err_set(err, GSI_EDATA, "journal_head: size %lld is negative", (long long)head);
    }
    struct vent *ents = NULL;
    if (rc == 0) {
        ents = calloc(head > 0 ? (size_t)head : 1, sizeof *ents);
        if (ents == NULL) {
            /* The code itself, not gsi_err_set's value (see gsi_file_read): what follows
             * runs only when rc is 0, and the analyzer must see that ents is then set. */
            gsi_err_set(err, GSI_ENOMEM, "out of memory for %lld entries", (long long)head);
            rc = GSI_ENOMEM;
        }
    }
    if (rc == 0) {
        rc = check_all(p, s, ents, (uint64_t)head, &v, err);
    }
    free(ents);
    platform_conn_put(p, s, rc < 0);
    if (rc == 0) {
        rc = check_projection(p, &v, err);
    }
    if (rc == 0 && rep->problems > 0) {
        rc = gsi_err_set(err, GSI_EVERIFY, "journal verification found %llu problem%s",
                         (unsigned long long)rep->problems, rep->problems == 1 ? "" : "s");
    }
    return rc;
}
