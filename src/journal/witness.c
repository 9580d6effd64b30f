/* witness.c — C2SP tlog-witness requests and decisions (see witness.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "journal/cosig.h"
#include "journal/witness.h"

static int parse_u64(uint64_t *out, const char *s, size_t len)
{
    if (len == 0 || len > 19 || (len > 1 && s[0] == '0')) {
        return -1;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v > JOURNAL_MERKLE_SIZE_MAX) {
        return -1;
    }
    *out = v;
    return 0;
}

int journal_witness_request_parse(struct journal_witness_request *req, const char *body,
                                  size_t len, struct gsi_err *err)
{
    memset(req, 0, sizeof *req);
    if (len > JOURNAL_WITNESS_BODY_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "add-checkpoint body over %u bytes",
                           (unsigned)JOURNAL_WITNESS_BODY_MAX);
    }
    const char *end = body + len;
    const char *nl = memchr(body, '\n', len);
    if (nl == NULL || nl - body < 5 || memcmp(body, "old ", 4) != 0 ||
        parse_u64(&req->old_size, body + 4, (size_t)(nl - body - 4)) < 0) {
        return gsi_err_set(err, GSI_EUSAGE, "line 1: expected 'old <size>'");
    }
    const char *s = nl + 1;
    long line = 1;
    for (;;) {
        line++;
        nl = s < end ? memchr(s, '\n', (size_t)(end - s)) : NULL;
        if (nl == NULL) {
            return gsi_err_set(err, GSI_EUSAGE, "line %ld: no empty line before the checkpoint",
                               line);
        }
        if (nl == s) {
            break;
        }
        if (req->nproof == JOURNAL_WITNESS_PROOF_MAX) {
            return gsi_err_set(err, GSI_ELIMIT, "line %ld: more than %d proof lines", line,
                               JOURNAL_WITNESS_PROOF_MAX);
        }
        size_t hl = 0;
        struct gsi_err e2 = GSI_ERR_INIT;
        if (journal_base64_decode(req->proof[req->nproof], JOURNAL_HASH_SIZE, &hl, s,
                                  (size_t)(nl - s), &e2) < 0 ||
            hl != JOURNAL_HASH_SIZE) {
            return gsi_err_set(err, GSI_EUSAGE, "line %ld: expected a base64 SHA-256 hash",
                               line);
        }
        req->nproof++;
        s = nl + 1;
    }
    req->checkpoint = nl + 1;
    req->checkpoint_len = (size_t)(end - req->checkpoint);
    if (req->checkpoint_len == 0) {
        return gsi_err_set(err, GSI_EUSAGE, "no checkpoint after the empty line");
    }
    return 0;
}

int journal_witness_request_format(struct gsi_buf *out, uint64_t old_size,
                                   const uint8_t (*proof)[JOURNAL_HASH_SIZE], size_t nproof,
                                   const char *note, size_t note_len, struct gsi_err *err)
{
    if (nproof > JOURNAL_WITNESS_PROOF_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "a proof of %zu hashes", nproof);
    }
    int rc = gsi_buf_appendf(out, "old %" PRIu64 "\n", old_size);
    for (size_t i = 0; rc == 0 && i < nproof; i++) {
        char b64[JOURNAL_BASE64_LEN(JOURNAL_HASH_SIZE)];
        rc = journal_base64_encode(b64, sizeof b64, proof[i], JOURNAL_HASH_SIZE, err);
        if (rc == 0) {
            rc = gsi_buf_appendf(out, "%s\n", b64);
        }
    }
    if (rc == 0 && (gsi_buf_putc(out, '\n') < 0 || gsi_buf_append(out, note, note_len) < 0)) {
        rc = GSI_ELIMIT;
    }
    return rc < 0 && err->code == 0 ? gsi_err_set(err, rc, "add-checkpoint body too long") : rc;
}

int journal_witness_decide(const struct journal_witness_request *req, uint64_t size,
                           const uint8_t root[JOURNAL_HASH_SIZE], uint64_t stored_size,
                           const uint8_t stored_root[JOURNAL_HASH_SIZE], struct gsi_err *err)
{
    if (req->old_size > size) {
        return gsi_err_set(err, GSI_EUSAGE, "old size %" PRIu64 " is past the checkpoint's %" PRIu64,
                           req->old_size, size);
    }
    if (req->old_size != stored_size) {
        return gsi_err_set(err, GSI_ECONFLICT,
                           "old size %" PRIu64 " is not the size last cosigned, %" PRIu64,
                           req->old_size, stored_size);
    }
    if (req->old_size == 0) {
        /* Nothing cosigned yet: any tree extends the empty one, and the proof must be empty. */
        return req->nproof == 0 ? 0
                                : gsi_err_set(err, GSI_EDATA, "a proof from old size 0 must be empty");
    }
    if (req->old_size == size) {
        if (req->nproof != 0 || memcmp(root, stored_root, JOURNAL_HASH_SIZE) != 0) {
            return gsi_err_set(err, req->nproof != 0 ? GSI_EDATA : GSI_ECONFLICT,
                               "size %" PRIu64 " was cosigned with another root: a fork", size);
        }
        return 0;
    }
    struct gsi_err e2 = GSI_ERR_INIT;
    if (journal_merkle_consistency_verify(req->old_size, size, stored_root, root, req->proof,
                                          req->nproof, &e2) < 0) {
        return gsi_err_set(err, GSI_EDATA,
                           "the tree of %" PRIu64 " is not consistent with the one cosigned at %"
                           PRIu64 ": %s",
                           size, req->old_size, e2.msg);
    }
    return 0;
}

struct logs_ctx {
    struct journal_witness_logs *l;
    const char *name;
};

static int logs_line(void *ctx, const char *s, const char *end, long line, struct gsi_err *err)
{
    const struct logs_ctx *c = ctx;
    struct journal_witness_logs *l = c->l;
    struct gsi_err e2 = GSI_ERR_INIT;
    if ((size_t)(end - s) < 5 || memcmp(s, "log ", 4) != 0) {
        return gsi_err_set(err, GSI_EDATA, "%s:%ld: expected 'log VKEY'", c->name, line);
    }
    if (l->n == JOURNAL_WITNESS_LOGS_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "%s:%ld: more than %d logs", c->name, line,
                           JOURNAL_WITNESS_LOGS_MAX);
    }
    if (journal_note_verifier_parse(&l->logs[l->n], s + 4, (size_t)(end - s - 4), &e2) < 0) {
        return gsi_err_set(err, GSI_EDATA, "%s:%ld: %s", c->name, line, e2.msg);
    }
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->logs[i].name, l->logs[l->n].name) == 0) {
            return gsi_err_set(err, GSI_EDATA, "%s:%ld: log %s given twice", c->name, line,
                               l->logs[i].name);
        }
    }
    l->n++;
    return 0;
}

int journal_witness_logs_parse(struct journal_witness_logs *l, const char *text, size_t len,
                               const char *name, struct gsi_err *err)
{
    memset(l, 0, sizeof *l);
    struct logs_ctx c = { .l = l, .name = name };
    return journal_config_lines(text, len, name, logs_line, &c, err);
}
