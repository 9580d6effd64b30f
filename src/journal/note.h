/*
 * note.h — C2SP signed notes (https://c2sp.org/signed-note), Ed25519 only, compatible with
 * Go's golang.org/x/mod/sumdb/note.
 *
 * A signed note is UTF-8 text that ends in a newline, a blank line, then one or more lines
 *     — <key name> <base64(key ID (4 bytes, big-endian) || Ed25519 signature (64 bytes))>\n
 * ("—" is U+2014). The signature covers the text including its final newline. The key ID is
 * the first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key); 0x01 is the Ed25519
 * algorithm byte.
 *
 * Keys as strings, as Go writes them (split on the first two or four '+': the base64 may hold
 * '+' itself):
 *     verifier key  <name>+<key ID, 8 lowercase hex>+<base64(0x01 || 32-byte public key)>
 *     signer key    PRIVATE+KEY+<name>+<key ID hex>+<base64(0x01 || 32-byte seed)>
 * A name is non-empty UTF-8 with no '+' and no Unicode white space, at most
 * JOURNAL_NOTE_NAME_MAX bytes. Parsing checks that the key ID matches the key.
 *
 * Opening a note (journal_note_open) follows Go's Open: the text must be valid UTF-8 with no
 * control characters but newline; signatures by keys not in the verifier set are kept as
 * unverified (identical repeats dropped); a known key's signature that fails is GSI_EVERIFY
 * ("invalid signature"), a known key used twice is GSI_EDATA, and a note with no verified
 * signature is GSI_EVERIFY ("unverified"). Caps: JOURNAL_NOTE_MAX_BYTES, JOURNAL_NOTE_MAX_SIGS
 * (GSI_ELIMIT past them).
 *
 *     struct journal_note n;
 *     if (journal_note_open(&n, msg, len, verifiers, nverifiers, &err) == 0) {
 *         use(n.text, n.text_len);
 *         journal_note_release(&n);
 *     }
 */
#ifndef GSI_JOURNAL_NOTE_H
#define GSI_JOURNAL_NOTE_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "journal/key.h"

#define JOURNAL_NOTE_MAX_BYTES   (1u << 20) /* a whole signed note, signatures included */
#define JOURNAL_NOTE_MAX_SIGS    100        /* signature lines per note (Go's limit) */
#define JOURNAL_NOTE_NAME_MAX    255        /* bytes of a key name */
#define JOURNAL_NOTE_ALG_ED25519 0x01

/* A verifier: who may sign, and with which public key. */
struct journal_note_verifier {
    char name[JOURNAL_NOTE_NAME_MAX + 1]; /* NUL-terminated */
    uint32_t id;                          /* key ID */
    uint8_t pub[JOURNAL_ED25519_PUB_SIZE];
};

/* A signer: a name and a secret key (in sodium_malloc'd memory inside `key`). */
struct journal_note_signer {
    char name[JOURNAL_NOTE_NAME_MAX + 1];
    uint32_t id;
    struct journal_key key;
};

/* One signature line of an opened note. */
struct journal_note_sig {
    char name[JOURNAL_NOTE_NAME_MAX + 1];
    uint32_t id;
    uint8_t sig[JOURNAL_ED25519_SIG_SIZE]; /* the Ed25519 signature (key ID stripped) */
    size_t sig_len; /* 64 for Ed25519; unverified ones may differ (<= 64 kept) */
    int verified;   /* 1: by a known verifier; 0: unknown key */
};

/* An opened note. `text` is a NUL-terminated heap copy of the signed text (final newline
 * included); `sigs` holds verified then unverified signatures in the order they appeared. */
struct journal_note {
    char *text;
    size_t text_len;
    struct journal_note_sig *sigs;
    size_t nsigs;
    size_t nverified;
};

/* Key ID of an Ed25519 public key under `name`: SHA-256(name || '\n' || 0x01 || pub)[0:4],
 * big-endian. */
uint32_t journal_note_key_id(const char *name, size_t name_len,
                             const uint8_t pub[JOURNAL_ED25519_PUB_SIZE]);

/* The same with another algorithm byte: cosignature/v1 keys use 0x04 (cosig.h). */
uint32_t journal_note_key_id_alg(const char *name, size_t name_len, uint8_t alg,
                                 const uint8_t pub[JOURNAL_ED25519_PUB_SIZE]);

/* 1 when `name` is a valid key name (see above), 0 otherwise. */
int journal_note_name_valid(const char *name, size_t len);

/* Where note text goes wrong: the offset of the first byte that is not valid UTF-8 or is an
 * ASCII control character other than '\n' (Go's Open and the C2SP spec), or `len` when the
 * whole text is fine. */
size_t journal_note_text_check(const char *text, size_t len);

/* Parses a verifier key string. GSI_EDATA (message says which part) on anything malformed,
 * an unknown algorithm or a key ID that does not match. */
int journal_note_verifier_parse(struct journal_note_verifier *v, const char *vkey, size_t len,
                                struct gsi_err *err);
/* Writes the verifier key string of `v` (NUL-terminated) to `out`. */
int journal_note_verifier_format(struct gsi_buf *out, const struct journal_note_verifier *v,
                                 struct gsi_err *err);

/* Parses a signer key string; the seed goes straight into sodium_malloc'd memory. Release with
 * journal_note_signer_release. */
int journal_note_signer_parse(struct journal_note_signer *s, const char *skey, size_t len,
                              struct gsi_err *err);
/* A signer from an existing key (the key is moved into the signer; `key` is left empty). */
int journal_note_signer_take_key(struct journal_note_signer *s, const char *name,
                                 struct journal_key *key, struct gsi_err *err);
/* The verifier for a signer. */
void journal_note_signer_verifier(struct journal_note_verifier *v,
                                  const struct journal_note_signer *s);
void journal_note_signer_release(struct journal_note_signer *s);

/* Generates a new key pair under `name` (Go's note.GenerateKey). `*skey` receives the signer
 * key string in sodium_malloc'd memory, freed with journal_note_secret_free; `vkey` (a plain
 * buffer) receives the verifier key string. */
int journal_note_key_generate(char **skey, struct gsi_buf *vkey, const char *name,
                              struct gsi_err *err);
void journal_note_secret_free(char *secret);

/* Signs `text` (non-empty, ending in '\n', valid UTF-8, no control characters but '\n') with
 * each signer, appending the whole signed note to `out`. */
int journal_note_sign(struct gsi_buf *out, const char *text, size_t len,
                      const struct journal_note_signer *signers, size_t nsigners,
                      struct gsi_err *err);

/* Parses and verifies a signed note against `verifiers` (may be empty: then it can only fail
 * with "unverified", after checking the syntax). On success fills `note`. On failure `note` is
 * left empty (nothing to release). */
int journal_note_open(struct journal_note *note, const char *msg, size_t len,
                      const struct journal_note_verifier *verifiers, size_t nverifiers,
                      struct gsi_err *err);
void journal_note_release(struct journal_note *note);

#endif
