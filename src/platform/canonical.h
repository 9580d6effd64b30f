/*
 * canonical.h — the canonical bytes the journal commits to: what a record, a delegate and a
 * party are, as hashed into an entry's payload hash, and an entry's leaf data as hashed into
 * the Merkle tree. canonical.c holds the one encoder of each; the write path, `gsi journal
 * verify`, the entry bundles and the agreement bundles all call these, so a byte is never
 * formed in two places. The bytes must be the same on every machine and in every version of
 * the program: a change here breaks every journal already written.
 *
 * Payload hashes. An entry's payload hash is SHA-256 over one of these texts (every line
 * ends in "\n" (0x0a); integers are decimal ASCII with a '-' only when negative; strings are
 * copied as they are, and the platform's checks keep control characters out of every field
 * but the payload, so the line form is unambiguous):
 *
 *     gsi-record/v1                      a public record, or any written before salts
 *     id <records.id>
 *     type <the act's type>              "concern.lodge"
 *     party <the acting party>           "CHN"
 *     delegate <delegate id>             0: the local administrator or the system
 *     time <ISO 8601 UTC, microseconds>  "2025-01-02T03:04:05.000006Z"
 *     confidential <0 or 1>
 *     audience <party ids, ','-joined>   "" when none
 *     journal <index of its entry>
 *     payload <payload length in bytes>
 *     <the payload bytes, exactly, and nothing after them>
 *
 *     gsi-record/v2                      a confidential record written since salts: the
 *     ...                                v1 lines from "id" to "journal", then
 *     salt <64 lower-case hex digits>    the record's 32 random bytes (records.salt)
 *     payload <length>
 *     <the payload bytes>
 *
 *     gsi-delegate/v1                    gsi-party/v1
 *     id <delegates.id>                  id <party id>
 *     party <party id>                   kind <state, observer, organisation, un>
 *     role <role>                        name <name>
 *     name <name>                        region <region, "" for organisations>
 *     pubkey <base64 Ed25519, or "">     created <ISO 8601 UTC>
 *     token-sha256 <hex of its token>    members <member ids, ','-joined, sorted>
 *     created <ISO 8601 UTC>
 *
 * The salt of v2 is there because every other line of a record is public or guessable:
 * without it the public payload hash of a short confidential payload ("yes", a country
 * code) would confirm a guess. A delegate's `revoked` column is left out on purpose:
 * revocation is a record of its own, and verify checks that the two agree.
 *
 * Leaf data. An entry's leaf hash is SHA-256(0x00 || leaf data) (RFC 6962), where the leaf
 * data is journal_entry_encode's bytes of the entry (journal/entry.h gives that format;
 * delegate id in decimal, "" for 0), or for a confidential act written since blinding the
 * 37 bytes of journal_entry_blind over them, salted with the record's salt:
 *
 *     "GSIJ" 0x02 SHA-256("gsi-journal-blind/1" || salt (32 bytes) || entry bytes (v1))
 *
 * Use:
 *
 *     struct gsi_buf canon;
 *     gsi_buf_init(&canon, PLATFORM_CANON_MAX);
 *     rc = platform_canon_record(&canon, id, type, party, delegate, time, false, "",
 *                                index, payload, payload_len, err);
 *     journal_sha256(hash, canon.data, canon.len);    // the entry's payload hash
 *     gsi_buf_release(&canon);
 *
 * docs/internals/platform.md ("The journal append") explains where each is used.
 */
#ifndef GSI_PLATFORM_CANONICAL_H
#define GSI_PLATFORM_CANONICAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "platform/platform.h"

/* The cap of a buffer holding one record's canonical bytes: the largest payload and room
 * for every line before it. */
#define PLATFORM_CANON_MAX (PLATFORM_PAYLOAD_MAX + 16384)

/* Appends the gsi-record/v1 bytes of a record to `out`. GSI_ELIMIT or GSI_ENOMEM (naming the
 * record) when `out`'s cap is reached. */
int platform_canon_record(struct gsi_buf *out, int64_t id, const char *type, const char *party,
                          int64_t delegate, const char *time, bool confidential,
                          const char *audience, uint64_t journal_index, const char *payload,
                          size_t payload_len, struct gsi_err *err);
/* As platform_canon_record; with a non-empty `salt` (64 hex digits, a confidential record's)
 * the gsi-record/v2 form, which carries it; with "" the gsi-record/v1 form. */
int platform_canon_record_salted(struct gsi_buf *out, int64_t id, const char *type,
                                 const char *party, int64_t delegate, const char *time,
                                 bool confidential, const char *audience, uint64_t journal_index,
                                 const char *salt, const char *payload, size_t payload_len,
                                 struct gsi_err *err);
/* Appends the gsi-delegate/v1 bytes of a delegate (`pubkey`, `token_hash` "" when it has
 * none). */
int platform_canon_delegate(struct gsi_buf *out, int64_t id, const char *party, const char *role,
                            const char *name, const char *pubkey, const char *token_hash,
                            const char *created, struct gsi_err *err);
/* Appends the gsi-party/v1 bytes of a party (`members` already sorted and joined). */
int platform_canon_party(struct gsi_buf *out, const char *id, const char *kind, const char *name,
                         const char *region, const char *created, const char *members,
                         struct gsi_err *err);

/* An entry's leaf data is platform_entry_canonical's (declared in platform.h, where the
 * other modules find it): the entry bytes, or the blinded bytes when e->blind. */

/* Decides the leaf-data form of entry `e` read from the journal (fields and leaf_hash
 * filled), given its record's salt ("" or NULL: none): blinded when there is a salt and the
 * version-1 bytes do not hash to the stored leaf hash, since confidential acts written before
 * blinding keep their version-1 leaf. Sets e->blind and e->salt. A corrupt row then fails
 * the leaf check in either form, which is what verify reports. */
int platform_entry_form(struct platform_entry *e, const char *salt, struct gsi_err *err);

#endif
