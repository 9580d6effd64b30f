/* Ed25519 keys through libsodium, base64. See key.h. */
#include "journal/key.h"

#include <string.h>

#include <sodium.h>

int journal_crypto_init(struct gsi_err *err)
{
    /* sodium_init returns 0 the first time, 1 after, -1 on failure. */
    if (sodium_init() < 0) {
        return gsi_err_set(err, GSI_ECRYPTO, "journal: libsodium could not be initialised");
    }
    return 0;
}

static int secret_alloc(struct journal_key *key, struct gsi_err *err)
{
    key->secret = sodium_malloc(JOURNAL_ED25519_SECRET_SIZE);
    if (key->secret == NULL) {
        return gsi_err_set(err, GSI_ENOMEM,
                           "journal: cannot allocate guarded memory for a secret key");
    }
    return 0;
}

int journal_key_generate(struct journal_key *key, struct gsi_err *err)
{
    memset(key->pub, 0, sizeof key->pub);
    key->secret = NULL;
    int rc = journal_crypto_init(err);
    if (rc < 0 || (rc = secret_alloc(key, err)) < 0) {
        return rc;
    }
    if (crypto_sign_ed25519_keypair(key->pub, key->secret) != 0) {
        journal_key_release(key);
        return gsi_err_set(err, GSI_ECRYPTO, "journal: Ed25519 key generation failed");
    }
    return 0;
}

int journal_key_from_seed(struct journal_key *key, const uint8_t seed[JOURNAL_ED25519_SEED_SIZE],
                          struct gsi_err *err)
{
    memset(key->pub, 0, sizeof key->pub);
    key->secret = NULL;
    int rc = journal_crypto_init(err);
    if (rc < 0 || (rc = secret_alloc(key, err)) < 0) {
        return rc;
    }
    if (crypto_sign_ed25519_seed_keypair(key->pub, key->secret, seed) != 0) {
        journal_key_release(key);
        return gsi_err_set(err, GSI_ECRYPTO, "journal: Ed25519 key derivation failed");
    }
    return 0;
}

void journal_key_from_public(struct journal_key *key, const uint8_t pub[JOURNAL_ED25519_PUB_SIZE])
{
    memcpy(key->pub, pub, JOURNAL_ED25519_PUB_SIZE);
    key->secret = NULL;
}

int journal_key_seed(uint8_t seed[JOURNAL_ED25519_SEED_SIZE], const struct journal_key *key,
                     struct gsi_err *err)
{
    if (key->secret == NULL) {
        return gsi_err_set(err, GSI_EUSAGE, "journal: the key has no secret half");
    }
    /* libsodium's secret key is seed || public key. */
    memcpy(seed, key->secret, JOURNAL_ED25519_SEED_SIZE);
    return 0;
}

void journal_key_release(struct journal_key *key)
{
    if (key->secret != NULL) {
        sodium_free(key->secret); /* wipes before freeing */
        key->secret = NULL;
    }
    memset(key->pub, 0, sizeof key->pub);
}

int journal_key_sign(uint8_t sig[JOURNAL_ED25519_SIG_SIZE], const struct journal_key *key,
                     const void *msg, size_t len, struct gsi_err *err)
{
    if (key->secret == NULL) {
        return gsi_err_set(err, GSI_EUSAGE, "journal: cannot sign with a verify-only key");
    }
    if (crypto_sign_ed25519_detached(sig, NULL, (const unsigned char *)msg, (unsigned long long)len,
                                     key->secret) != 0) {
        return gsi_err_set(err, GSI_ECRYPTO, "journal: Ed25519 signing failed");
    }
    return 0;
}

int journal_ed25519_verify(const uint8_t sig[JOURNAL_ED25519_SIG_SIZE], const void *msg, size_t len,
                           const uint8_t pub[JOURNAL_ED25519_PUB_SIZE], struct gsi_err *err)
{
    if (crypto_sign_ed25519_verify_detached(sig, (const unsigned char *)msg,
                                            (unsigned long long)len, pub) != 0) {
        return gsi_err_set(err, GSI_EVERIFY, "journal: Ed25519 signature does not verify");
    }
    return 0;
}

int journal_base64_encode(char *out, size_t cap, const void *bin, size_t n, struct gsi_err *err)
{
    if (cap < JOURNAL_BASE64_LEN(n)) {
        return gsi_err_set(err, GSI_ELIMIT, "journal: base64 output buffer too small");
    }
    sodium_bin2base64(out, cap, (const unsigned char *)bin, n, sodium_base64_VARIANT_ORIGINAL);
    return 0;
}

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+') {
        return 62;
    }
    if (c == '/') {
        return 63;
    }
    return -1;
}

/* Strict RFC 4648 decoding, written out rather than left to a library so that the rules are
 * exactly Go's base64.StdEncoding (padding required, no line breaks, unused bits zero):
 * one text has one meaning, which signatures over text depend on. */
int journal_base64_decode(uint8_t *out, size_t cap, size_t *out_len, const char *b64, size_t len,
                          struct gsi_err *err)
{
    *out_len = 0;
    if (len % 4 != 0) {
        return gsi_err_set(err, GSI_EDATA, "journal: base64 length %zu is not a multiple of 4",
                           len);
    }
    size_t n = 0;
    for (size_t i = 0; i < len; i += 4) {
        int v[4];
        int pad = 0;
        for (int j = 0; j < 4; j++) {
            unsigned char c = (unsigned char)b64[i + (size_t)j];
            if (c == '=' && i + 4 == len && j >= 2) {
                v[j] = 0;
                pad++;
                continue;
            }
            if (pad > 0) {
                return gsi_err_set(err, GSI_EDATA, "journal: base64 has data after padding");
            }
            v[j] = b64_value(c);
            if (v[j] < 0) {
                return gsi_err_set(err, GSI_EDATA, "journal: byte 0x%02x at %zu is not base64", c,
                                   i + (size_t)j);
            }
        }
        uint32_t w = ((uint32_t)v[0] << 18) | ((uint32_t)v[1] << 12) | ((uint32_t)v[2] << 6) |
                     (uint32_t)v[3];
        size_t bytes = 3 - (size_t)pad;
        if ((pad == 1 && (w & 0xffu) != 0) || (pad == 2 && (w & 0xffffu) != 0)) {
            return gsi_err_set(err, GSI_EDATA, "journal: base64 has non-zero padding bits");
        }
        if (n + bytes > cap) {
            return gsi_err_set(err, GSI_ELIMIT, "journal: base64 decodes to more than %zu bytes",
                               cap);
        }
        out[n] = (uint8_t)(w >> 16);
        if (bytes > 1) {
            out[n + 1] = (uint8_t)(w >> 8);
        }
        if (bytes > 2) {
            out[n + 2] = (uint8_t)w;
        }
        n += bytes;
    }
    *out_len = n;
    return 0;
}
