/* agree_export.c — gathers an agreement bundle from the database: the latest signed
 * checkpoint, and for each signature its agreement.sign record and the signer's delegate.add
 * record, each with its journal entry and an inclusion proof in that checkpoint's tree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/agree.h"
#include "platform/internal.h"
#include "store/store.h"

/* Entry `index`'s fields into `it`, and its inclusion proof in the tree of `size`. */
static int item_entry(struct platform *p, struct agree_bundle_item *it, uint64_t index,
                      uint64_t size, struct gsi_err *err)
{
    struct platform_entry *e = NULL;
    size_t n = 0;
    int rc = platform_journal_entries(p, &e, &n, index, index + 1, err);
    if (rc == 0 && n != 1) {
        rc = gsi_err_set(err, GSI_ENOTFOUND, "journal entry %llu", (unsigned long long)index);
    }
    if (rc == 0) {
        it->index = index;
        snprintf(it->type, sizeof it->type, "%s", e[0].type);
        snprintf(it->party, sizeof it->party, "%s", e[0].party);
        it->delegate = e[0].delegate;
        it->time_us = e[0].time_us;
        snprintf(it->subject, sizeof it->subject, "%s", e[0].subject);
        rc = platform_journal_proof_inclusion(p, it->proof, &it->nproof, index, size, err);
    }
    free(e);
    return rc;
}

/* The delegate's canonical bytes (as journalled by delegate.add) and its entry's index. */
static int delegate_canon(struct platform *p, struct gsi_buf *out, uint64_t *index, int64_t id,
                          struct gsi_err *err)
{
    struct store_val v[] = { STORE_INT(id) };
    struct store_rows *r;
    int rc = platform_query(p, &r,
                            "SELECT party, role, name, pubkey, token_hash, created, journal_index"
                            " FROM delegates WHERE id = ?",
                            v, 1, err);
    if (rc < 0) {
        return rc;
    }
    if (store_rows_count(r) == 0) {
        rc = gsi_err_set(err, GSI_ENOTFOUND, "no delegate %lld", (long long)id);
    } else {
        *index = (uint64_t)store_rows_int(r, 0, 6);
        rc = platform_canon_delegate(out, id, store_rows_text(r, 0, 0), store_rows_text(r, 0, 1),
                                     store_rows_text(r, 0, 2), store_rows_text(r, 0, 3),
                                     store_rows_text(r, 0, 4), store_rows_text(r, 0, 5), err);
    }
    store_rows_free(r);
    return rc;
}

struct export_state {
    struct agree_bundle_item *items;
    struct gsi_buf *canon; /* one buffer per item, owning its bytes */
    size_t n;
};

/* Adds the sign record `rid` and its signer's delegate record. */
static int add_signature(struct platform *p, struct export_state *x, int64_t rid, uint64_t size,
                         struct gsi_err *err)
{
    struct platform_record rec;
    int rc = platform_record_get(p, &rec, NULL, rid, err);
    if (rc < 0) {
        return rc;
    }
    struct agree_bundle_item *it = &x->items[x->n];
    struct gsi_buf *c = &x->canon[x->n];
    rc = platform_canon_record(c, rec.id, rec.type, rec.party, rec.delegate, rec.time,
                               rec.confidential, rec.audience, rec.index, rec.payload,
                               rec.payload_len, err);
    if (rc == 0) {
        rc = item_entry(p, it, rec.index, size, err);
    }
    int64_t delegate = rec.delegate;
    platform_record_release(&rec);
    if (rc < 0) {
        return rc;
    }
    it->canon = c->data, it->canon_len = c->len;
    x->n++;
    char subject[48];
    snprintf(subject, sizeof subject, "delegate/%lld", (long long)delegate);
    for (size_t k = 0; k + 1 < x->n; k++) {
        if (strcmp(x->items[k].type, "delegate.add") == 0 &&
            strcmp(x->items[k].subject, subject) == 0) {
            return 0; /* this delegate's record is in already */
        }
    }
    it = &x->items[x->n];
    c = &x->canon[x->n];
    uint64_t didx = 0;
    rc = delegate_canon(p, c, &didx, delegate, err);
    if (rc == 0) {
        rc = item_entry(p, it, didx, size, err);
    }
    if (rc == 0) {
        it->canon = c->data, it->canon_len = c->len;
        x->n++;
    }
    return rc;
}

int platform_agree_bundle_export(struct platform *p, struct gsi_buf *out, const char *body,
                                 size_t body_len, const int64_t *sign_records, size_t n,
                                 struct gsi_err *err)
{
    if (n > AGREE_SIGNATORIES_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "more than %d signatures", AGREE_SIGNATORIES_MAX);
    }
    struct export_state x = { .items = calloc(2 * n + 1, sizeof *x.items),
                              .canon = calloc(2 * n + 1, sizeof *x.canon) };
    if (x.items == NULL || x.canon == NULL) {
        free(x.items);
        free(x.canon);
        return gsi_err_set(err, GSI_ENOMEM, "bundle: out of memory");
    }
    struct gsi_buf vkey, note;
    gsi_buf_init(&vkey, 4096);
    gsi_buf_init(&note, PLATFORM_CHECKPOINT_FILE_MAX);
    int rc = x.items && x.canon ? 0 : gsi_err_set(err, GSI_ENOMEM, "bundle: out of memory");
    for (size_t i = 0; x.canon && i < 2 * n + 1; i++) {
        gsi_buf_init(&x.canon[i], PLATFORM_PAYLOAD_MAX + 4096);
    }
    uint64_t size = 0;
    if (rc == 0) {
        rc = platform_journal_vkey(p, &vkey, err);
    }
    /* Checkpoints may lag the journal (serve --checkpoint-every); the bundle needs one that
     * covers every record it proves, so sign one for the current tree if the latest is older. */
    if (rc == 0) {
        rc = platform_journal_checkpoint_sign(p, NULL, err);
    }
    if (rc == 0) {
        rc = platform_checkpoint_latest(p, &note, &size, err);
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        rc = add_signature(p, &x, sign_records[i], size, err);
    }
    if (rc == 0) {
        rc = platform_agree_bundle_write(out, vkey.data, note.data, note.len, body, body_len,
                                         x.items, x.n, err);
    }
    for (size_t i = 0; x.canon && i < 2 * n + 1; i++) {
        gsi_buf_release(&x.canon[i]);
    }
    free(x.canon);
    free(x.items);
    gsi_buf_release(&vkey);
    gsi_buf_release(&note);
    return rc;
}
