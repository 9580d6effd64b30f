/*
 * key.h — Ed25519 keys (libsodium), with the secret half kept in sodium_malloc'd memory.
 *
 * A `struct journal_key` always has the 32-byte public key; `secret` is NULL for a key that can
 * only verify. The secret is libsodium's 64-byte form (seed || public key) in a guarded,
 * locked allocation that journal_key_release() wipes and frees. Call journal_crypto_init()
 * once before anything else in this module (it is cheap and idempotent).
 *
 *     struct journal_key k;
 *     if (journal_key_generate(&k, &err) < 0) ...
 *     journal_key_sign(sig, &k, msg, len, &err);
 *     journal_key_release(&k);
 *
 * Verification follows libsodium's crypto_sign_ed25519_verify_detached: S must be canonical
 * (S < L), and small-order or non-canonical public keys and R values are rejected. This is
 * stricter than RFC 8032 §5.1.7 on points of small order, which RFC 8032 lets verifiers refuse.
 */
#ifndef GSI_JOURNAL_KEY_H
#define GSI_JOURNAL_KEY_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define JOURNAL_ED25519_PUB_SIZE    32
#define JOURNAL_ED25519_SEED_SIZE   32
#define JOURNAL_ED25519_SECRET_SIZE 64
#define JOURNAL_ED25519_SIG_SIZE    64

struct journal_key {
    uint8_t pub[JOURNAL_ED25519_PUB_SIZE];
    unsigned char *secret; /* JOURNAL_ED25519_SECRET_SIZE bytes from sodium_malloc, or NULL */
};

/* Initialises libsodium. GSI_ECRYPTO if it cannot. Safe to call more than once. */
int journal_crypto_init(struct gsi_err *err);

/* A fresh key pair from the system's random source. */
int journal_key_generate(struct journal_key *key, struct gsi_err *err);
/* The key pair derived from a 32-byte seed (RFC 8032 §5.1.5). */
int journal_key_from_seed(struct journal_key *key, const uint8_t seed[JOURNAL_ED25519_SEED_SIZE],
                          struct gsi_err *err);
/* A verify-only key. Never fails; the bytes are checked when used. */
void journal_key_from_public(struct journal_key *key, const uint8_t pub[JOURNAL_ED25519_PUB_SIZE]);
/* Copies the seed out (for writing a key file; the caller wipes it with sodium_memzero).
 * GSI_EUSAGE on a verify-only key. */
int journal_key_seed(uint8_t seed[JOURNAL_ED25519_SEED_SIZE], const struct journal_key *key,
                     struct gsi_err *err);
/* Wipes and frees the secret; the key is left verify-only with a zero public key. */
void journal_key_release(struct journal_key *key);

/* Detached signature of `len` bytes. GSI_EUSAGE on a verify-only key. */
int journal_key_sign(uint8_t sig[JOURNAL_ED25519_SIG_SIZE], const struct journal_key *key,
                     const void *msg, size_t len, struct gsi_err *err);
/* 0 when `sig` is a valid signature of the message under `pub`, GSI_EVERIFY otherwise. */
int journal_ed25519_verify(const uint8_t sig[JOURNAL_ED25519_SIG_SIZE], const void *msg, size_t len,
                           const uint8_t pub[JOURNAL_ED25519_PUB_SIZE], struct gsi_err *err);

/* Standard base64 with padding (RFC 4648 §4), the encoding notes and checkpoints use.
 * journal_base64_encode writes a NUL-terminated string; `cap` must be at least
 * JOURNAL_BASE64_LEN(n). journal_base64_decode is strict: padding required, no whitespace,
 * no trailing bits; GSI_EDATA on bad input, GSI_ELIMIT if it does not fit in `cap`. */
#define JOURNAL_BASE64_LEN(n) ((((n) + 2) / 3) * 4 + 1)
int journal_base64_encode(char *out, size_t cap, const void *bin, size_t n, struct gsi_err *err);
int journal_base64_decode(uint8_t *out, size_t cap, size_t *out_len, const char *b64, size_t len,
                          struct gsi_err *err);

#endif
