/* cosig.c — C2SP tlog-cosignature/v1 (Ed25519): key IDs, verifier keys, signing and verifying
 * cosignature lines (see cosig.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "journal/cosig.h"

static const char dash[] = "\xe2\x80\x94 "; /* U+2014 and a space: a signature line's start */

uint32_t journal_cosig_key_id(const char *name, size_t name_len,
                              const uint8_t pub[JOURNAL_ED25519_PUB_SIZE])
{
    return journal_note_key_id_alg(name, name_len, JOURNAL_COSIG_ALG, pub);
}

int journal_cosig_verifier_parse(struct journal_note_verifier *v, const char *vkey, size_t len,
                                 struct gsi_err *err)
{
    memset(v, 0, sizeof *v);
    const char *p1 = memchr(vkey, '+', len);
    const char *p2 = p1 != NULL ? memchr(p1 + 1, '+', len - (size_t)(p1 + 1 - vkey)) : NULL;
    if (p2 == NULL || p2 - p1 != 9) {
        return gsi_err_set(err, GSI_EDATA,
                           "cosigner key: expected <name>+<8 hex digits>+<base64>");
    }
    size_t nlen = (size_t)(p1 - vkey);
    if (!journal_note_name_valid(vkey, nlen)) {
        return gsi_err_set(err, GSI_EDATA, "cosigner key: invalid name");
    }
    uint32_t id = 0;
    for (int i = 1; i <= 8; i++) {
        char c = p1[i];
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                                            : 16u;
        if (d == 16) {
            return gsi_err_set(err, GSI_EDATA, "cosigner key: key ID must be 8 lower-case hex");
        }
        id = (id << 4) | d;
    }
    uint8_t key[1 + JOURNAL_ED25519_PUB_SIZE + 1];
    size_t klen = 0;
    struct gsi_err e2 = GSI_ERR_INIT;
    if (journal_base64_decode(key, sizeof key, &klen, p2 + 1, len - (size_t)(p2 + 1 - vkey),
                              &e2) < 0 ||
        klen != 1 + JOURNAL_ED25519_PUB_SIZE || key[0] != JOURNAL_COSIG_ALG) {
        return gsi_err_set(err, GSI_EDATA,
                           "cosigner key: expected base64 of 0x04 and a 32-byte Ed25519 key");
    }
    if (journal_cosig_key_id(vkey, nlen, key + 1) != id) {
        return gsi_err_set(err, GSI_EDATA, "cosigner key: key ID %08" PRIx32
                           " does not match the key", id);
    }
    memcpy(v->name, vkey, nlen);
    v->name[nlen] = '\0';
    v->id = id;
    memcpy(v->pub, key + 1, JOURNAL_ED25519_PUB_SIZE);
    return 0;
}

int journal_cosig_verifier_format(struct gsi_buf *out, const char *name,
                                  const uint8_t pub[JOURNAL_ED25519_PUB_SIZE],
                                  struct gsi_err *err)
{
    uint8_t key[1 + JOURNAL_ED25519_PUB_SIZE];
    key[0] = JOURNAL_COSIG_ALG;
    memcpy(key + 1, pub, JOURNAL_ED25519_PUB_SIZE);
    char b64[JOURNAL_BASE64_LEN(sizeof key)];
    int rc = journal_base64_encode(b64, sizeof b64, key, sizeof key, err);
    if (rc == 0 && gsi_buf_appendf(out, "%s+%08" PRIx32 "+%s", name,
                                   journal_cosig_key_id(name, strlen(name), pub), b64) < 0) {
        rc = gsi_err_set(err, GSI_ELIMIT, "cosigner key too long");
    }
    return rc;
}

int journal_cosig_message(struct gsi_buf *out, uint64_t timestamp, const char *body, size_t len,
                          struct gsi_err *err)
{
    if (timestamp > JOURNAL_COSIG_TS_MAX || len == 0 || body[len - 1] != '\n') {
        return gsi_err_set(err, GSI_EUSAGE,
                           "cosignature: a timestamp below 2^63 and a note text ending in a newline");
    }
    if (gsi_buf_appendf(out, "cosignature/v1\ntime %" PRIu64 "\n", timestamp) < 0 ||
        gsi_buf_append(out, body, len) < 0) {
        return gsi_err_set(err, GSI_ELIMIT, "cosignature: message too long");
    }
    return 0;
}

int journal_cosig_sign(struct gsi_buf *out, const struct journal_note_signer *signer,
                       uint64_t timestamp, const char *body, size_t len, struct gsi_err *err)
{
    struct gsi_buf msg;
    gsi_buf_init(&msg, JOURNAL_NOTE_MAX_BYTES + 64);
    uint8_t raw[JOURNAL_COSIG_BYTES];
    int rc = journal_cosig_message(&msg, timestamp, body, len, err);
    if (rc == 0) {
        rc = journal_key_sign(raw + 12, &signer->key, msg.data, msg.len, err);
    }
    gsi_buf_release(&msg);
    if (rc < 0) {
        return rc;
    }
    uint32_t id = journal_cosig_key_id(signer->name, strlen(signer->name), signer->key.pub);
    for (int i = 0; i < 4; i++) {
        raw[i] = (uint8_t)(id >> (24 - 8 * i));
    }
    for (int i = 0; i < 8; i++) {
        raw[4 + i] = (uint8_t)(timestamp >> (56 - 8 * i));
    }
    char b64[JOURNAL_BASE64_LEN(sizeof raw)];
    rc = journal_base64_encode(b64, sizeof b64, raw, sizeof raw, err);
    if (rc == 0 && gsi_buf_appendf(out, "%s%s %s\n", dash, signer->name, b64) < 0) {
        rc = gsi_err_set(err, GSI_ELIMIT, "cosignature line too long");
    }
    return rc;
}

int journal_cosig_verify(uint64_t *timestamp, const struct journal_note_verifier *v,
                         const char *line, size_t len, const char *body, size_t body_len,
                         struct gsi_err *err)
{
    *timestamp = 0;
    if (len > 0 && line[len - 1] == '\n') {
        len--;
    }
    size_t dl = sizeof dash - 1;
    const char *sp = len > dl ? memchr(line + dl, ' ', len - dl) : NULL;
    if (len <= dl || memcmp(line, dash, dl) != 0 || sp == NULL) {
        return gsi_err_set(err, GSI_EDATA, "not a signature line ('— <name> <base64>')");
    }
    size_t nlen = (size_t)(sp - line - (ptrdiff_t)dl);
    if (nlen != strlen(v->name) || memcmp(line + dl, v->name, nlen) != 0) {
        return gsi_err_set(err, GSI_ENOTFOUND, "another signer");
    }
    uint8_t raw[JOURNAL_COSIG_BYTES + 1];
    size_t rlen = 0;
    struct gsi_err e2 = GSI_ERR_INIT;
    if (journal_base64_decode(raw, sizeof raw, &rlen, sp + 1, len - (size_t)(sp + 1 - line),
                              &e2) < 0) {
        /* Longer than a cosignature: another signature type, ignored like other keys. */
        return e2.code == GSI_ELIMIT ? gsi_err_set(err, GSI_ENOTFOUND, "another signature type")
                                     : gsi_err_set(err, GSI_EDATA, "signature line: malformed base64");
    }
    uint32_t id = rlen >= 4 ? ((uint32_t)raw[0] << 24) | ((uint32_t)raw[1] << 16) |
                                  ((uint32_t)raw[2] << 8) | raw[3]
                            : 0;
    if (rlen != JOURNAL_COSIG_BYTES || id != v->id) {
        return gsi_err_set(err, GSI_ENOTFOUND, "another key or signature type");
    }
    uint64_t ts = 0;
    for (int i = 0; i < 8; i++) {
        ts = (ts << 8) | raw[4 + i];
    }
    struct gsi_buf msg;
    gsi_buf_init(&msg, JOURNAL_NOTE_MAX_BYTES + 64);
    int rc = journal_cosig_message(&msg, ts, body, body_len, err);
    if (rc == GSI_EUSAGE) {
        rc = gsi_err_set(err, GSI_EVERIFY, "cosignature by %s: timestamp past 2^63 - 1", v->name);
    }
    if (rc == 0 && journal_ed25519_verify(raw + 12, msg.data, msg.len, v->pub, err) < 0) {
        rc = gsi_err_set(err, GSI_EVERIFY, "cosignature by %s does not verify", v->name);
    }
    gsi_buf_release(&msg);
    if (rc == 0) {
        *timestamp = ts;
    }
    return rc;
}
