/* agree_bundle.c — the agreement bundle: written by the server, verified offline (agree.h).
 *
 * Layout (docs/internals/agreements.md, "Bundle"): lines, and length-prefixed blocks for
 * anything that is itself text with newlines:
 *
 *     gsi-agreement-bundle/v1
 *     log-key <C2SP verifier key of the journal>
 *     checkpoint <n>\n<n bytes: the signed checkpoint note>
 *     body <n>\n<n bytes: the agreement's canonical bytes>
 *     item <index> <type> <party> <delegate or 0> <time_us> <subject> <n>\n<n canonical bytes>
 *     proof <count> [<hex hash> ...]
 *     ... (item and proof again, at most AGREE_BUNDLE_ITEMS times)
 *     end
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hex.h"
#include "core/text.h"
#include "journal/journal.h"
#include "platform/agree.h"
#include "platform/internal.h"

int platform_agree_bundle_write(struct gsi_buf *out, const char *log_vkey, const char *checkpoint,
                                size_t checkpoint_len, const char *body, size_t body_len,
                                const struct agree_bundle_item *items, size_t nitems,
                                struct gsi_err *err)
{
    int rc = gsi_buf_appendf(out, "gsi-agreement-bundle/v1\nlog-key %s\ncheckpoint %zu\n", log_vkey,
                             checkpoint_len);
    if (rc == 0) {
        rc = gsi_buf_append(out, checkpoint, checkpoint_len);
    }
    if (rc == 0) {
        rc = gsi_buf_appendf(out, "body %zu\n", body_len);
    }
    if (rc == 0) {
        rc = gsi_buf_append(out, body, body_len);
    }
    for (size_t i = 0; rc == 0 && i < nitems; i++) {
        const struct agree_bundle_item *it = &items[i];
        rc = gsi_buf_appendf(
            out, "item %llu %s %s %lld %lld %s %zu\n", (unsigned long long)it->index, it->type,
            it->party, (long long)it->delegate, (long long)it->time_us, it->subject, it->canon_len);
        if (rc == 0) {
            rc = gsi_buf_append(out, it->canon, it->canon_len);
        }
        if (rc == 0) {
            rc = gsi_buf_appendf(out, "proof %zu", it->nproof);
        }
        for (size_t j = 0; rc == 0 && j < it->nproof; j++) {
            char hex[PLATFORM_HEX_MAX];
            platform_hex(hex, it->proof[j]);
            rc = gsi_buf_appendf(out, " %s", hex);
        }
        if (rc == 0) {
            rc = gsi_buf_putc(out, '\n');
        }
    }
    if (rc == 0) {
        rc = gsi_buf_puts(out, "end\n");
    }
    return rc < 0 ? gsi_err_set(err, rc, "agreement bundle larger than its cap") : 0;
}

/* --- reading ---------------------------------------------------------------------------- */

struct rd {
    const char *s;
    size_t len, pos;
    int line;
    struct gsi_err *err;
};

static int rd_fail(struct rd *r, const char *what)
{
    return gsi_err_at(r->err, GSI_EDATA, "bundle", r->line, 0, "bundle line %d: expected %s",
                      r->line, what);
}

/* The next line without its newline, as [*l, *l + *n). */
static int rd_line(struct rd *r, const char **l, size_t *n, const char *what)
{
    const char *nl = r->pos < r->len ? memchr(r->s + r->pos, '\n', r->len - r->pos) : NULL;
    r->line++;
    if (nl == NULL) {
        return rd_fail(r, what);
    }
    *l = r->s + r->pos;
    *n = (size_t)(nl - *l);
    r->pos += *n + 1;
    return 0;
}

/* A block: the line "<name> <n>" then n bytes. */
static int rd_block(struct rd *r, const char *name, const char **b, size_t *bn, size_t max)
{
    const char *l = "";
    size_t n = 0, nl = strlen(name);
    uint64_t v = 0;
    int rc = rd_line(r, &l, &n, name);
    if (rc == 0 &&
        (n <= nl + 1 || memcmp(l, name, nl) != 0 || l[nl] != ' ' ||
         gsi_parse_u64(&v, l + nl + 1, n - nl - 1) < 0 || v > max || v > r->len - r->pos)) {
        rc = rd_fail(r, name);
    }
    if (rc == 0) {
        *b = r->s + r->pos;
        *bn = (size_t)v;
        r->pos += (size_t)v;
        for (size_t i = 0; i < *bn; i++) {
            r->line += (*b)[i] == '\n';
        }
    }
    return rc;
}

/* Splits a line on single spaces into at most `max` words. */
static size_t words(const char *l, size_t n, const char **w, size_t *wn, size_t max)
{
    size_t k = 0, i = 0;
    while (i <= n && k < max) {
        const char *sp = memchr(l + i, ' ', n - i);
        size_t e = sp ? (size_t)(sp - l) : n;
        w[k] = l + i;
        wn[k++] = e - i;
        i = e + 1;
        if (sp == NULL) {
            break;
        }
    }
    return i <= n ? max + 1 : k; /* more words than max: report too many */
}

static int word_u64(uint64_t *v, const char *w, size_t n)
{
    return (n == 0 || (n > 1 && w[0] == '0')) ? GSI_EDATA : gsi_parse_u64(v, w, n);
}

static int rd_item(struct rd *r, struct agree_bundle_item *it)
{
    const char *l = "", *w[7] = { 0 };
    size_t n = 0, wn[7] = { 0 };
    uint64_t v[4] = { 0 };
    int rc = rd_line(r, &l, &n, "item");
    if (rc == 0 &&
        (n < 5 || memcmp(l, "item ", 5) != 0 || words(l + 5, n - 5, w, wn, 7) != 7 ||
         word_u64(&v[0], w[0], wn[0]) < 0 || word_u64(&v[1], w[3], wn[3]) < 0 ||
         word_u64(&v[2], w[4], wn[4]) < 0 || word_u64(&v[3], w[6], wn[6]) < 0 || wn[1] == 0 ||
         wn[1] >= sizeof it->type || wn[2] == 0 || wn[2] >= sizeof it->party || wn[5] == 0 ||
         wn[5] >= sizeof it->subject || v[1] > INT64_MAX || v[2] > INT64_MAX ||
         v[3] > PLATFORM_PAYLOAD_MAX + 4096 || v[3] > r->len - r->pos)) {
        rc = rd_fail(r, "\"item <index> <type> <party> <delegate> <time_us> <subject> <bytes>\"");
    }
    if (rc < 0) {
        return rc;
    }
    it->index = v[0];
    gsi_slice_copy(it->type, sizeof it->type, w[1], wn[1]);
    gsi_slice_copy(it->party, sizeof it->party, w[2], wn[2]);
    it->delegate = (int64_t)v[1];
    it->time_us = (int64_t)v[2];
    gsi_slice_copy(it->subject, sizeof it->subject, w[5], wn[5]);
    it->canon = r->s + r->pos;
    it->canon_len = (size_t)v[3];
    r->pos += it->canon_len;
    for (size_t i = 0; i < it->canon_len; i++) {
        r->line += it->canon[i] == '\n';
    }
    rc = rd_line(r, &l, &n, "proof");
    const char *pw[PLATFORM_PROOF_MAX + 1] = { 0 };
    size_t pwn[PLATFORM_PROOF_MAX + 1] = { 0 };
    size_t k = 0;
    uint64_t cnt = 0;
    if (rc == 0 &&
        (n < 7 || memcmp(l, "proof ", 6) != 0 ||
         (k = words(l + 6, n - 6, pw, pwn, PLATFORM_PROOF_MAX + 1)) > PLATFORM_PROOF_MAX + 1 ||
         word_u64(&cnt, pw[0], pwn[0]) < 0 || cnt != k - 1)) {
        return rd_fail(r, "\"proof <count> <hex hash> ...\" with at most 130 hashes");
    }
    it->nproof = (size_t)cnt;
    for (size_t j = 0; rc == 0 && j < it->nproof; j++) {
        if (platform_unhex(it->proof[j], pw[j + 1], pwn[j + 1], r->err) < 0) {
            rc = rd_fail(r, "proof hashes of 64 hex digits");
        }
    }
    return rc;
}

/* --- checking --------------------------------------------------------------------------- */

/* Reads "name value\n" at *pos of a canonical text; the value is [*v, *v + *vn). */
static int canon_field(const char **v, size_t *vn, const char *c, size_t len, size_t *pos,
                       const char *name)
{
    size_t nl = strlen(name);
    const char *s = c + *pos;
    const char *end = *pos < len ? memchr(s, '\n', len - *pos) : NULL;
    if (end == NULL || (size_t)(end - s) < nl + 1 || memcmp(s, name, nl) != 0 || s[nl] != ' ') {
        return GSI_EDATA;
    }
    *v = s + nl + 1;
    *vn = (size_t)(end - *v);
    *pos += (size_t)(end - s) + 1;
    return 0;
}

/* A delegate from its canonical bytes (gsi-delegate/v1), checked against its entry. */
struct signer {
    int64_t id;
    char party[PLATFORM_ID_MAX];
    char pubkey[PLATFORM_PUBKEY_MAX];
    bool observer;
};

static int item_delegate(struct signer *d, const struct agree_bundle_item *it, size_t k,
                         struct gsi_err *err)
{
    static const char magic[] = "gsi-delegate/v1\n";
    const char *c = it->canon, *v;
    size_t n = it->canon_len, pos = sizeof magic - 1, vn;
    uint64_t id = 0;
    char want[48];
    int ok = n > pos && memcmp(c, magic, pos) == 0 && canon_field(&v, &vn, c, n, &pos, "id") == 0 &&
             word_u64(&id, v, vn) == 0 && id <= INT64_MAX;
    snprintf(want, sizeof want, "delegate/%llu", (unsigned long long)id);
    ok = ok && strcmp(it->subject, want) == 0 && canon_field(&v, &vn, c, n, &pos, "party") == 0 &&
         gsi_slice_eq(v, vn, it->party);
    ok = ok && canon_field(&v, &vn, c, n, &pos, "role") == 0;
    d->observer = ok && gsi_slice_eq(v, vn, "observer");
    ok = ok && canon_field(&v, &vn, c, n, &pos, "name") == 0 &&
         canon_field(&v, &vn, c, n, &pos, "pubkey") == 0 && vn < sizeof d->pubkey;
    if (!ok) {
        return gsi_err_set(err, GSI_EDATA, "bundle item %zu: not a delegate.add record", k);
    }
    d->id = (int64_t)id;
    snprintf(d->party, sizeof d->party, "%s", it->party);
    gsi_slice_copy(d->pubkey, sizeof d->pubkey, v, vn);
    return 0;
}

/* An agreement.sign record: checks every field against its entry and the payload against the
 * agreement; leaves the signature in `sig`. */
static int item_sign(char sig[AGREE_SIG_B64_LEN + 1], const struct agree_bundle_item *it, size_t k,
                     const struct agree_doc *doc, const char *body_hex, struct gsi_err *err)
{
    static const char magic[] = "gsi-record/v1\n";
    const char *c = it->canon, *v;
    size_t n = it->canon_len, pos = sizeof magic - 1, vn;
    uint64_t id = 0, del = 0, jidx = 0, plen = 0;
    char want[48], tm[PLATFORM_TIME_MAX];
    platform_time_format(tm, it->time_us);
    int ok = n > pos && memcmp(c, magic, pos) == 0 && canon_field(&v, &vn, c, n, &pos, "id") == 0 &&
             word_u64(&id, v, vn) == 0;
    snprintf(want, sizeof want, "record/%llu", (unsigned long long)id);
    ok = ok && strcmp(it->subject, want) == 0 && canon_field(&v, &vn, c, n, &pos, "type") == 0 &&
         gsi_slice_eq(v, vn, it->type) && canon_field(&v, &vn, c, n, &pos, "party") == 0 &&
         gsi_slice_eq(v, vn, it->party) && canon_field(&v, &vn, c, n, &pos, "delegate") == 0 &&
         word_u64(&del, v, vn) == 0 && del == (uint64_t)it->delegate &&
         canon_field(&v, &vn, c, n, &pos, "time") == 0 && gsi_slice_eq(v, vn, tm) &&
         canon_field(&v, &vn, c, n, &pos, "confidential") == 0 &&
         canon_field(&v, &vn, c, n, &pos, "audience") == 0 &&
         canon_field(&v, &vn, c, n, &pos, "journal") == 0 && word_u64(&jidx, v, vn) == 0 &&
         jidx == it->index && canon_field(&v, &vn, c, n, &pos, "payload") == 0 &&
         word_u64(&plen, v, vn) == 0 && plen == n - pos;
    if (!ok) {
        return gsi_err_set(err, GSI_EDATA, "bundle item %zu: not an agreement.sign record", k);
    }
    /* The payload ends in "<88 base64 characters>\"}" (platform_agree_sign_payload's fixed form).
     */
    const char *p = c + pos;
    if (plen < AGREE_SIG_B64_LEN + 2 || memcmp(c + n - 2, "\"}", 2) != 0) {
        return gsi_err_set(err, GSI_EVERIFY, "bundle item %zu: no signature in the record", k);
    }
    const char *s = c + n - 2 - AGREE_SIG_B64_LEN;
    gsi_slice_copy(sig, AGREE_SIG_B64_LEN + 1, s, AGREE_SIG_B64_LEN);
    struct gsi_buf expect;
    gsi_buf_init(&expect, 1024);
    int rc = platform_agree_sign_payload(&expect, doc->agreement, body_hex, sig, err);
    if (rc == 0 && (expect.len != plen || memcmp(expect.data, p, plen) != 0)) {
        rc = gsi_err_set(err, GSI_EVERIFY,
                         "bundle item %zu: the signature record is for another agreement or "
                         "other bytes than this body",
                         k);
    }
    gsi_buf_release(&expect);
    return rc;
}

/* The item's journal entry, its leaf hash, and its inclusion proof against the checkpoint. */
static int item_proof(const struct agree_bundle_item *it, size_t k,
                      const struct journal_checkpoint *cp, struct gsi_err *err)
{
    struct journal_entry e;
    memset(&e, 0, sizeof e);
    snprintf(e.type, sizeof e.type, "%s", it->type);
    snprintf(e.party, sizeof e.party, "%s", it->party);
    if (it->delegate > 0) {
        snprintf(e.delegate, sizeof e.delegate, "%lld", (long long)it->delegate);
    }
    e.time_us = it->time_us;
    snprintf(e.subject, sizeof e.subject, "%s", it->subject);
    journal_sha256(e.payload_hash, it->canon, it->canon_len);
    uint8_t leaf[JOURNAL_HASH_SIZE];
    int rc = journal_entry_leaf_hash(leaf, &e, err);
    if (rc == 0) {
        rc = journal_merkle_inclusion_verify(it->index, cp->size, leaf,
                                             (const uint8_t(*)[JOURNAL_HASH_SIZE])it->proof,
                                             it->nproof, cp->root, err);
    }
    if (rc < 0) {
        char where[160];
        snprintf(where, sizeof where,
                 "bundle item %zu (%s, entry %llu): not in the journal of the signed checkpoint", k,
                 it->subject, (unsigned long long)it->index);
        return platform_agree_err_wrap(err, GSI_EVERIFY, where);
    }
    return 0;
}

struct bundle {
    const char *vkey, *ckpt, *body;
    size_t vkey_len, ckpt_len, body_len, nitems;
    struct agree_bundle_item *items;
};

static int bundle_read(struct bundle *b, struct rd *r)
{
    const char *l = "";
    size_t n = 0;
    int rc = rd_line(r, &l, &n, "\"gsi-agreement-bundle/v1\"");
    if (rc == 0 && !gsi_slice_eq(l, n, "gsi-agreement-bundle/v1")) {
        rc = rd_fail(r, "\"gsi-agreement-bundle/v1\"");
    }
    if (rc == 0) {
        rc = rd_line(r, &l, &n, "\"log-key <verifier key>\"");
    }
    if (rc == 0 && (n < 9 || memcmp(l, "log-key ", 8) != 0)) {
        rc = rd_fail(r, "\"log-key <verifier key>\"");
    }
    b->vkey = l + 8;
    b->vkey_len = n - 8;
    if (rc == 0) {
        rc = rd_block(r, "checkpoint", &b->ckpt, &b->ckpt_len, PLATFORM_CHECKPOINT_FILE_MAX);
    }
    if (rc == 0) {
        rc = rd_block(r, "body", &b->body, &b->body_len, AGREE_BODY_MAX);
    }
    while (rc == 0 && r->len - r->pos >= 5 && memcmp(r->s + r->pos, "item ", 5) == 0) {
        if (b->nitems == AGREE_BUNDLE_ITEMS) {
            return gsi_err_set(r->err, GSI_ELIMIT, "bundle: more than %d items",
                               AGREE_BUNDLE_ITEMS);
        }
        rc = rd_item(r, &b->items[b->nitems]);
        b->nitems += rc == 0;
    }
    if (rc == 0) {
        rc = rd_line(r, &l, &n, "\"end\"");
    }
    if (rc == 0 && (!gsi_slice_eq(l, n, "end") || r->pos != r->len)) {
        rc = rd_fail(r, "\"end\" as the last line");
    }
    return rc;
}

/* One signatory: exactly one agreement.sign record for it, by a delegate of that party whose
 * delegate.add record is in the bundle, and a signature that verifies under its key. */
static int check_signatory(struct agree_bundle_report *rep, size_t si, const struct bundle *b,
                           const struct signer *dl, size_t ndl, const char *body_hex,
                           struct gsi_err *err)
{
    const char *party = rep->doc.signatories[si];
    size_t found = 0;
    for (size_t k = 0; k < b->nitems; k++) {
        const struct agree_bundle_item *it = &b->items[k];
        if (strcmp(it->type, "agreement.sign") != 0 || strcmp(it->party, party) != 0) {
            continue;
        }
        if (found++ > 0) {
            return gsi_err_set(err, GSI_EVERIFY, "bundle: %s signed more than once", party);
        }
        char sig[AGREE_SIG_B64_LEN + 1];
        int rc = item_sign(sig, it, k, &rep->doc, body_hex, err);
        const struct signer *d = NULL;
        for (size_t j = 0; rc == 0 && j < ndl; j++) {
            d = dl[j].id == it->delegate ? &dl[j] : d;
        }
        if (rc == 0 && (d == NULL || strcmp(d->party, party) != 0 || d->observer)) {
            rc = gsi_err_set(err, GSI_EVERIFY,
                             "bundle item %zu: signed for %s by delegate %lld, whose registration "
                             "for %s is not in the bundle",
                             k, party, (long long)it->delegate, party);
        }
        if (rc == 0) {
            rc = platform_agree_sig_verify(d->pubkey, b->body, b->body_len, sig, err);
        }
        if (rc < 0) {
            char where[64];
            snprintf(where, sizeof where, "signature of %s", party);
            return platform_agree_err_wrap(err, rc == GSI_EDATA ? GSI_EVERIFY : rc, where);
        }
        snprintf(rep->signer[si], sizeof rep->signer[si], "%s by delegate %lld", party,
                 (long long)it->delegate);
    }
    if (found == 0) {
        return gsi_err_set(err, GSI_EVERIFY, "bundle: no signature of %s", party);
    }
    rep->signatures++;
    return 0;
}

static int bundle_check(struct agree_bundle_report *rep, const struct bundle *b,
                        const struct journal_checkpoint *cp, struct gsi_err *err)
{
    int rc = platform_agree_body_parse(&rep->doc, b->body, b->body_len, err);
    if (rc == 0 && strcmp(rep->doc.origin, cp->origin) != 0) {
        rc = gsi_err_set(err, GSI_EVERIFY,
                         "bundle: the agreement names log '%s', the checkpoint '%s'",
                         rep->doc.origin, cp->origin);
    }
    struct signer dl[AGREE_BUNDLE_ITEMS];
    size_t ndl = 0;
    for (size_t k = 0; rc == 0 && k < b->nitems; k++) {
        rc = item_proof(&b->items[k], k, cp, err);
        rep->proofs += rc == 0;
        if (rc == 0 && strcmp(b->items[k].type, "delegate.add") == 0) {
            rc = item_delegate(&dl[ndl], &b->items[k], k, err);
            ndl += rc == 0;
        }
    }
    uint8_t h[JOURNAL_HASH_SIZE];
    char hex[PLATFORM_HEX_MAX];
    journal_sha256(h, b->body, b->body_len);
    platform_hex(hex, h);
    for (size_t si = 0; rc == 0 && si < rep->doc.nsignatories; si++) {
        rc = check_signatory(rep, si, b, dl, ndl, hex, err);
    }
    return rc;
}

int platform_agree_bundle_verify(struct agree_bundle_report *rep, const char *bundle, size_t len,
                                 const char *log_vkey, struct gsi_err *err)
{
    memset(rep, 0, sizeof *rep);
    if (len > AGREE_BUNDLE_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "bundle of %zu bytes, over the %u-byte cap", len,
                           AGREE_BUNDLE_MAX);
    }
    struct bundle b;
    memset(&b, 0, sizeof b);
    b.items = calloc(AGREE_BUNDLE_ITEMS, sizeof *b.items);
    if (b.items == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "bundle: out of memory");
    }
    struct rd r = { .s = bundle, .len = len, .err = err };
    int rc = bundle_read(&b, &r);
    struct journal_note_verifier v;
    if (rc == 0) {
        const char *k = log_vkey ? log_vkey : b.vkey;
        rc = journal_note_verifier_parse(&v, k, log_vkey ? strlen(log_vkey) : b.vkey_len, err);
    }
    struct journal_checkpoint cp;
    memset(&cp, 0, sizeof cp);
    if (rc == 0) {
        rc = journal_checkpoint_open(&cp, NULL, b.ckpt, b.ckpt_len, NULL, &v, 1, err);
        if (rc < 0) {
            rc = platform_agree_err_wrap(err, GSI_EVERIFY,
                                         "bundle: the checkpoint is not signed by the "
                                         "log key");
        }
    }
    if (rc == 0) {
        rep->tree_size = cp.size;
        rc = bundle_check(rep, &b, &cp, err);
        journal_checkpoint_release(&cp);
    }
    free(b.items);
    return rc;
}
