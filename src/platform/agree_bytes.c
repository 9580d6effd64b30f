/* agree_bytes.c — an agreement's canonical bytes (agree.h) and Ed25519 signatures over them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hex.h"
#include "core/json.h"
#include "core/text.h"
#include "journal/journal.h"
#include "platform/agree.h"
#include "platform/internal.h"

int platform_agree_err_wrap(struct gsi_err *err, int code, const char *prefix)
{
    char m[GSI_ERR_MSG_MAX];
    snprintf(m, sizeof m, "%s", err->msg);
    return gsi_err_set(err, code, "%s: %s", prefix, m);
}

int platform_agree_text_check(const char *text, size_t len, struct gsi_err *err)
{
    if (len == 0) {
        return gsi_err_set(err, GSI_EDATA, "text: expected a non-empty agreement text");
    }
    if (len > AGREE_TEXT_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "text: %zu bytes, over the %u-byte limit", len,
                           AGREE_TEXT_MAX);
    }
    size_t bad = journal_note_text_check(text, len);
    if (bad < len) {
        return gsi_err_set(err, GSI_EDATA,
                           "text: byte %zu is not UTF-8 text (control characters other than "
                           "newline are not allowed)",
                           bad);
    }
    if (text[len - 1] != '\n') {
        return gsi_err_set(err, GSI_EDATA, "text: expected it to end with a newline");
    }
    if (len >= 2 && text[len - 2] == '\n') {
        return gsi_err_set(err, GSI_EDATA, "text: expected no blank line at its end");
    }
    return 0;
}

static int cmp_id(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

int platform_agree_signatories_normalise(struct agree_doc *d, struct gsi_err *err)
{
    if (d->nsignatories == 0 || d->nsignatories > AGREE_SIGNATORIES_MAX) {
        return gsi_err_set(err, GSI_EDATA, "signatories: expected 1 to %d parties",
                           AGREE_SIGNATORIES_MAX);
    }
    for (size_t i = 0; i < d->nsignatories; i++) {
        int rc = platform_check_party_id(d->signatories[i], err);
        if (rc < 0) {
            char where[32];
            snprintf(where, sizeof where, "signatories/%zu", i);
            return platform_agree_err_wrap(err, GSI_EDATA, where);
        }
    }
    qsort(d->signatories, d->nsignatories, sizeof d->signatories[0], cmp_id);
    for (size_t i = 1; i < d->nsignatories; i++) {
        if (strcmp(d->signatories[i - 1], d->signatories[i]) == 0) {
            return gsi_err_set(err, GSI_EDATA, "signatories: %s is named twice", d->signatories[i]);
        }
    }
    return 0;
}

int platform_agree_body_format(struct gsi_buf *out, const struct agree_doc *d, struct gsi_err *err)
{
    int rc = platform_agree_text_check(d->text, d->text_len, err);
    if (rc < 0) {
        return rc;
    }
    size_t olen = strlen(d->origin);
    if (olen == 0 || journal_note_text_check(d->origin, olen) != olen ||
        strchr(d->origin, '\n') != NULL || d->agreement < 1 || d->consultation < 1 ||
        d->decision < 1 || d->nsignatories == 0) {
        return gsi_err_set(err, GSI_EUSAGE, "agreement: origin, ids and signatories are required");
    }
    rc = gsi_buf_appendf(out,
                         "gsi-agreement/v1\nlog %s\nagreement %lld\nconsultation %lld\n"
                         "decision %lld\nsignatories ",
                         d->origin, (long long)d->agreement, (long long)d->consultation,
                         (long long)d->decision);
    for (size_t i = 0; rc == 0 && i < d->nsignatories; i++) {
        rc = gsi_buf_appendf(out, "%s%s", i ? "," : "", d->signatories[i]);
    }
    if (rc == 0) {
        rc = gsi_buf_appendf(out, "\ntext %zu\n", d->text_len);
    }
    if (rc == 0) {
        rc = gsi_buf_append(out, d->text, d->text_len);
    }
    return rc < 0 ? gsi_err_set(err, rc, "agreement %lld: canonical bytes too large",
                                (long long)d->agreement)
                  : 0;
}

/* Reads line `name value\n` at *pos; value is [*v, *v + *vn). */
static int body_line(const char **v, size_t *vn, const char *body, size_t len, size_t *pos,
                     const char *name, int line, struct gsi_err *err)
{
    size_t nl = strlen(name);
    const char *s = body + *pos;
    size_t left = len - *pos;
    const char *end = memchr(s, '\n', left);
    if (end == NULL || (size_t)(end - s) < nl + 1 || memcmp(s, name, nl) != 0 || s[nl] != ' ') {
        return gsi_err_set(err, GSI_EDATA, "agreement body line %d: expected \"%s <value>\"", line,
                           name);
    }
    *v = s + nl + 1;
    *vn = (size_t)(end - *v);
    *pos += (size_t)(end - s) + 1;
    return 0;
}

/* A decimal id >= 1 with no sign and no leading zero. */
static int body_id(int64_t *out, const char *v, size_t n, int line, struct gsi_err *err)
{
    uint64_t u = 0;
    if (n == 0 || v[0] == '0' || gsi_parse_u64(&u, v, n) < 0 || u > (uint64_t)INT64_MAX) {
        return gsi_err_set(err, GSI_EDATA, "agreement body line %d: expected an id >= 1", line);
    }
    *out = (int64_t)u;
    return 0;
}

static int body_signatories(struct agree_doc *d, const char *v, size_t n, struct gsi_err *err)
{
    d->nsignatories = 0;
    size_t i = 0;
    while (i <= n) {
        const char *c = memchr(v + i, ',', n - i);
        size_t w = c ? (size_t)(c - (v + i)) : n - i;
        if (d->nsignatories == AGREE_SIGNATORIES_MAX || w == 0 || w >= PLATFORM_ID_MAX) {
            return gsi_err_set(err, GSI_EDATA,
                               "agreement body line 6: expected 1 to %d comma-separated party ids",
                               AGREE_SIGNATORIES_MAX);
        }
        gsi_slice_copy(d->signatories[d->nsignatories++], PLATFORM_ID_MAX, v + i, w);
        i += w + 1;
    }
    /* Canonical means already sorted and distinct: normalising must not move anything. */
    char before[AGREE_SIGNATORIES_MAX][PLATFORM_ID_MAX];
    memcpy(before, d->signatories, sizeof before);
    int rc = platform_agree_signatories_normalise(d, err);
    if (rc == 0 && memcmp(before, d->signatories, sizeof before) != 0) {
        rc = gsi_err_set(err, GSI_EDATA,
                         "agreement body line 6: signatories not in ascending order");
    }
    return rc < 0 ? platform_agree_err_wrap(err, GSI_EDATA, "agreement body line 6") : 0;
}

int platform_agree_body_parse(struct agree_doc *d, const char *body, size_t len,
                              struct gsi_err *err)
{
    memset(d, 0, sizeof *d);
    static const char magic[] = "gsi-agreement/v1\n";
    if (len > AGREE_BODY_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "agreement body of %zu bytes, over %u", len,
                           AGREE_BODY_MAX);
    }
    size_t bad = journal_note_text_check(body, len);
    if (bad < len) { /* the body of a signed note: UTF-8, no control character but newline */
        return gsi_err_set(err, GSI_EDATA,
                           "agreement body: byte %zu is not UTF-8 text without control "
                           "characters",
                           bad);
    }
    if (len < sizeof magic - 1 || memcmp(body, magic, sizeof magic - 1) != 0) {
        return gsi_err_set(err, GSI_EDATA, "agreement body line 1: expected \"gsi-agreement/v1\"");
    }
    size_t pos = sizeof magic - 1;
    const char *v = body;
    size_t vn = 0;
    int rc = body_line(&v, &vn, body, len, &pos, "log", 2, err);
    if (rc == 0 && (vn == 0 || vn >= AGREE_ORIGIN_MAX || journal_note_text_check(v, vn) != vn ||
                    memchr(v, '\n', vn) != NULL)) {
        rc = gsi_err_set(err, GSI_EDATA,
                         "agreement body line 2: expected a log origin (UTF-8, no control "
                         "characters)");
    }
    if (rc == 0) {
        gsi_slice_copy(d->origin, sizeof d->origin, v, vn);
        rc = body_line(&v, &vn, body, len, &pos, "agreement", 3, err);
    }
    if (rc == 0) {
        rc = body_id(&d->agreement, v, vn, 3, err);
    }
    if (rc == 0) {
        rc = body_line(&v, &vn, body, len, &pos, "consultation", 4, err);
    }
    if (rc == 0) {
        rc = body_id(&d->consultation, v, vn, 4, err);
    }
    if (rc == 0) {
        rc = body_line(&v, &vn, body, len, &pos, "decision", 5, err);
    }
    if (rc == 0) {
        rc = body_id(&d->decision, v, vn, 5, err);
    }
    if (rc == 0) {
        rc = body_line(&v, &vn, body, len, &pos, "signatories", 6, err);
    }
    if (rc == 0) {
        rc = body_signatories(d, v, vn, err);
    }
    if (rc == 0) {
        rc = body_line(&v, &vn, body, len, &pos, "text", 7, err);
    }
    uint64_t tl = 0;
    if (rc == 0 &&
        ((vn > 1 && v[0] == '0') || gsi_parse_u64(&tl, v, vn) < 0 || tl < 1 || tl != len - pos)) {
        rc = gsi_err_set(err, GSI_EDATA,
                         "agreement body line 7: expected the text's length (%zu bytes follow)",
                         len - pos);
    }
    if (rc == 0) {
        d->text = body + pos;
        d->text_len = len - pos;
        rc = platform_agree_text_check(d->text, d->text_len, err);
    }
    return rc;
}

static int b64_exact(uint8_t *out, size_t want, const char *b64, const char *what,
                     struct gsi_err *err)
{
    size_t n = 0;
    size_t bl = strnlen(b64, JOURNAL_BASE64_LEN(want));
    if (bl != JOURNAL_BASE64_LEN(want) - 1 ||
        journal_base64_decode(out, want, &n, b64, bl, err) < 0 || n != want) {
        return gsi_err_set(err, GSI_EDATA, "%s: expected base64 of %zu bytes", what, want);
    }
    return 0;
}

int platform_agree_sig_verify(const char *pubkey_b64, const char *body, size_t len,
                              const char *sig_b64, struct gsi_err *err)
{
    uint8_t pub[JOURNAL_ED25519_PUB_SIZE], sig[JOURNAL_ED25519_SIG_SIZE];
    if (pubkey_b64 == NULL || pubkey_b64[0] == '\0') {
        return gsi_err_set(err, GSI_EVERIFY, "the delegate registered no public key");
    }
    int rc = b64_exact(pub, sizeof pub, pubkey_b64, "public key", err);
    if (rc == 0) {
        rc = b64_exact(sig, sizeof sig, sig_b64, "signature", err);
    }
    if (rc == 0 && journal_ed25519_verify(sig, body, len, pub, err) < 0) {
        rc = gsi_err_set(err, GSI_EVERIFY,
                         "the signature does not verify over the agreement's canonical bytes "
                         "under the delegate's registered key");
    }
    return rc;
}

int platform_agree_sign_payload(struct gsi_buf *out, int64_t agreement, const char *body_sha256_hex,
                                const char *sig_b64, struct gsi_err *err)
{
    /* Compact, keys in sorted order: the bytes agree.h gives. */
    struct gsi_json w;
    gsi_json_init(&w, out->max);
    gsi_json_object_begin(&w, NULL, GSI_JSON_COMPACT);
    gsi_json_string(&w, "body_sha256", body_sha256_hex);
    gsi_json_int(&w, "case", agreement);
    gsi_json_string(&w, "signature", sig_b64);
    gsi_json_end(&w);
    int rc = gsi_json_finish(&w);
    if (rc == 0) {
        rc = gsi_buf_append(out, w.buf.data, w.buf.len);
    }
    gsi_json_release(&w);
    return rc < 0 ? gsi_err_set(err, rc, "signature payload too large") : 0;
}
