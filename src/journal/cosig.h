/*
 * cosig.h — C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature), the Ed25519
 * "cosignature/v1" type, and the witness policy a client checks cosignatures against.
 *
 * A cosignature is a signature line on a checkpoint note,
 *     — <cosigner name> base64(key ID (4) || timestamp (8, big-endian) || Ed25519 signature (64))
 * whose key ID is SHA-256(name || "\n" || 0x04 || public key)[:4] and whose signature covers
 *     cosignature/v1\n
 *     time <timestamp, decimal seconds since the epoch>\n
 *     <the checkpoint's note text: origin, size, root, extension lines>
 * The cosigner's verifier key is written as a note vkey with algorithm byte 0x04:
 * "<name>+<key ID hex>+<base64(0x04 || public key)>". A cosigner's secret key is an ordinary
 * note signer key (PRIVATE+KEY+..., algorithm 0x01): the same Ed25519 key, another key ID.
 *
 *     struct gsi_buf line;  // "— witness.example/w1 ...\n"
 *     journal_cosig_sign(&line, &signer, time(NULL), body, body_len, &err);
 *     journal_cosig_verify(&ts, &verifier, line.data, line.len, body, body_len, &err);
 */
#ifndef GSI_JOURNAL_COSIG_H
#define GSI_JOURNAL_COSIG_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "journal/note.h"

#define JOURNAL_COSIG_ALG     0x04
#define JOURNAL_COSIG_BYTES   (4 + 8 + JOURNAL_ED25519_SIG_SIZE) /* decoded signature field */
#define JOURNAL_COSIG_TS_MAX  ((uint64_t)INT64_MAX)
#define JOURNAL_POLICY_MAX    64 /* witnesses in one policy */
#define JOURNAL_POLICY_BYTES  (64u << 10)
#define JOURNAL_POLICY_URL_MAX 512

/* SHA-256(name || "\n" || 0x04 || pub)[:4], big-endian. */
uint32_t journal_cosig_key_id(const char *name, size_t name_len,
                              const uint8_t pub[JOURNAL_ED25519_PUB_SIZE]);

/* Parses a cosigner verifier key (algorithm 0x04) into `v` (whose id is the 0x04 key ID).
 * GSI_EDATA naming the part that is wrong. */
int journal_cosig_verifier_parse(struct journal_note_verifier *v, const char *vkey, size_t len,
                                 struct gsi_err *err);
/* Writes the cosigner verifier key of public key `pub` under `name` (NUL-terminated). */
int journal_cosig_verifier_format(struct gsi_buf *out, const char *name,
                                  const uint8_t pub[JOURNAL_ED25519_PUB_SIZE],
                                  struct gsi_err *err);

/* The signed message: "cosignature/v1\ntime <ts>\n" then `body` (the checkpoint's note text,
 * ending in '\n'). */
int journal_cosig_message(struct gsi_buf *out, uint64_t timestamp, const char *body, size_t len,
                          struct gsi_err *err);

/* Appends the cosignature line of `signer` over `body` at `timestamp` to `out`. */
int journal_cosig_sign(struct gsi_buf *out, const struct journal_note_signer *signer,
                       uint64_t timestamp, const char *body, size_t len, struct gsi_err *err);

/* Verifies one signature line ("— name base64\n", the newline optional) as a cosignature by
 * `v` over `body`; *timestamp gets its time. GSI_ENOTFOUND when the line is not by `v` (other
 * name, key ID or length: ignored, as the spec asks), GSI_EVERIFY when it is by `v` but the
 * signature is wrong or the timestamp past 2^63 - 1, GSI_EDATA for a malformed line. */
int journal_cosig_verify(uint64_t *timestamp, const struct journal_note_verifier *v,
                         const char *line, size_t len, const char *body, size_t body_len,
                         struct gsi_err *err);

/* A witness policy: which log, which witnesses, how many must cosign. Text, one statement a
 * line, '#' comments:
 *     log <log vkey>                          the log's note verifier key (0x01)
 *     witness <cosigner vkey (0x04)> [URL]    a witness, with its submission prefix
 *     quorum <k>                              cosignatures needed, 1..number of witnesses
 * The same file configures a log's witnesses (their URLs) and a client's quorum. */
struct journal_policy_witness {
    struct journal_note_verifier key;
    char url[JOURNAL_POLICY_URL_MAX]; /* "" when none was given */
};

struct journal_policy {
    int has_log;
    struct journal_note_verifier log;
    size_t nwitnesses;
    struct journal_policy_witness witnesses[JOURNAL_POLICY_MAX];
    size_t quorum; /* 0 when the file gave none: then every witness */
};

/* Calls fn for each non-blank line of a small configuration text (at most
 * JOURNAL_POLICY_BYTES), with '#' comments and surrounding blanks removed; `line` counts from
 * 1. Stops at fn's first error. */
typedef int (*journal_config_line_fn)(void *ctx, const char *s, const char *end, long line,
                                      struct gsi_err *err);
int journal_config_lines(const char *text, size_t len, const char *name,
                         journal_config_line_fn fn, void *ctx, struct gsi_err *err);

/* Parses a policy. GSI_EDATA with the line number and what was expected. `name` (a file
 * name) prefixes messages. */
int journal_policy_parse(struct journal_policy *p, const char *text, size_t len, const char *name,
                         struct gsi_err *err);

/* Counts the policy's witnesses with a valid cosignature in the signed note `note` (a
 * checkpoint with its signature lines); a witness counts once. 0 when at least the quorum
 * did (or every witness, with no quorum given), GSI_EVERIFY otherwise, saying how many of how
 * many. *valid gets the count. Does not check the log's own signature (journal_checkpoint_open
 * does). */
int journal_policy_check(size_t *valid, const struct journal_policy *p, const char *note,
                         size_t len, struct gsi_err *err);

#endif
