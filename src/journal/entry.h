/*
 * entry.h — the canonical bytes of one journal entry (the Merkle leaf data).
 *
 * Every change on the platform appends one entry; its bytes are what the leaf hash covers, so
 * they must be the same on every machine and in every version of the program. The encoding
 * (docs/internals/journal.md, "Entry bytes") is, all integers big-endian:
 *
 *     "GSIJ"            4 bytes, magic
 *     version           1 byte, 0x01
 *     type              u16 length + bytes   1..64,  [a-z0-9._-]      e.g. "concern.lodge"
 *     party             u16 length + bytes   0..64,  [A-Za-z0-9._-]   e.g. "CHN", "ASEAN"
 *     delegate          u16 length + bytes   0..64,  [A-Za-z0-9._-]   the acting delegate's id
 *     time              8 bytes, signed, microseconds since 1970-01-01T00:00:00Z (UTC)
 *     subject           u16 length + bytes   0..128, printable ASCII  the record, "concern/42"
 *     payload hash      32 bytes, SHA-256 of the record's canonical payload bytes
 *
 * Empty party/delegate mean the system acted (e.g. `gsi init`). No field is optional in the
 * bytes: an empty string is its zero length. Decoding is strict (exact length, every field
 * in range), so one entry has exactly one encoding.
 *
 *     struct journal_entry e = {.type = "concern.lodge", .party = "CHN", .delegate = "17",
 *                               .time_us = t, .subject = "concern/42"};
 *     journal_sha256(e.payload_hash, payload, payload_len);
 *     uint8_t bytes[JOURNAL_ENTRY_MAX_BYTES]; size_t n;
 *     journal_entry_encode(bytes, sizeof bytes, &n, &e, &err);
 *     journal_merkle_leaf_hash(leaf, bytes, n);
 */
#ifndef GSI_JOURNAL_ENTRY_H
#define GSI_JOURNAL_ENTRY_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "journal/merkle.h"

#define JOURNAL_ENTRY_TYPE_MAX     64
#define JOURNAL_ENTRY_PARTY_MAX    64
#define JOURNAL_ENTRY_DELEGATE_MAX 64
#define JOURNAL_ENTRY_SUBJECT_MAX  128
#define JOURNAL_ENTRY_VERSION      1
/* The blinded form of a confidential act's entry (journal_entry_blind). */
#define JOURNAL_ENTRY_VERSION_BLIND 2
/* 4 + 1 + 32: "GSIJ", 0x02, the commitment */
#define JOURNAL_ENTRY_BLIND_BYTES 37
/* The commitment's domain-separation prefix (19 bytes, no NUL). */
#define JOURNAL_ENTRY_BLIND_DOMAIN "gsi-journal-blind/1"
/* The secret each blinded entry is salted with. */
#define JOURNAL_ENTRY_SALT_SIZE 32
/* 4 + 1 + 4 * 2 + 64 + 64 + 64 + 8 + 128 + 32 */
#define JOURNAL_ENTRY_MAX_BYTES 373

struct journal_entry {
    char type[JOURNAL_ENTRY_TYPE_MAX + 1]; /* NUL-terminated */
    char party[JOURNAL_ENTRY_PARTY_MAX + 1];
    char delegate[JOURNAL_ENTRY_DELEGATE_MAX + 1];
    int64_t time_us;
    char subject[JOURNAL_ENTRY_SUBJECT_MAX + 1];
    uint8_t payload_hash[JOURNAL_HASH_SIZE];
};

/* Writes the canonical bytes of `e` to `out` (`cap` >= JOURNAL_ENTRY_MAX_BYTES always
 * suffices) and their length to *len. GSI_EDATA (naming the field) if a field is out of range. */
int journal_entry_encode(uint8_t *out, size_t cap, size_t *len, const struct journal_entry *e,
                         struct gsi_err *err);
/* Parses canonical bytes back. GSI_EDATA on anything but an exact, valid encoding. */
int journal_entry_decode(struct journal_entry *e, const uint8_t *bytes, size_t len,
                         struct gsi_err *err);
/*
 * The blinded leaf data of a confidential act (docs/internals/journal.md, "Blinded entries"):
 *
 *     "GSIJ" 0x02 SHA-256("gsi-journal-blind/1" || salt || full)
 *
 * where `full` are the entry's version-1 bytes (journal_entry_encode) and `salt` the
 * record's 32-byte secret. The 37 bytes say only that a confidential act happened; who may
 * read the record (and its salt) recomputes them and so proves inclusion. Hiding rests on
 * the salt: without it, a guess of every field cannot be confirmed.
 */
void journal_entry_blind(uint8_t out[JOURNAL_ENTRY_BLIND_BYTES],
                         const uint8_t salt[JOURNAL_ENTRY_SALT_SIZE], const uint8_t *full,
                         size_t full_len);
/* 0 when `bytes` are leaf data of either form: a valid version-1 entry (journal_entry_decode)
 * or exactly the 37 bytes of a blinded one; GSI_EDATA otherwise. */
int journal_entry_check(const uint8_t *bytes, size_t len, struct gsi_err *err);
/* The leaf hash of an entry: journal_merkle_leaf_hash over its canonical bytes. */
int journal_entry_leaf_hash(uint8_t out[JOURNAL_HASH_SIZE], const struct journal_entry *e,
                            struct gsi_err *err);

#endif
