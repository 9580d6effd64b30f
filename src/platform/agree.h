/*
 * agree.h — an agreement's canonical bytes, its signatures, and the offline bundle.
 *
 * Canonical bytes (docs/internals/agreements.md, "Canonical bytes"). What each signatory's
 * delegate signs is the body of a C2SP signed note (https://c2sp.org/signed-note): UTF-8 text
 * with no control character but '\n', ending in '\n', in this exact layout
 *
 *     gsi-agreement/v1\n
 *     log <origin of the journal's checkpoints>\n
 *     agreement <decimal id>\n
 *     consultation <decimal id>\n
 *     decision <decimal id>\n
 *     signatories <party ids, ascending byte order, comma-separated>\n
 *     text <decimal byte length of the text>\n
 *     <the text: non-empty, ends in '\n', no blank line at its end>
 *
 * Decimal numbers have no sign and no leading zeros. An Ed25519 signature (RFC 8032, pure
 * Ed25519) over exactly these bytes is an agreement signature; appending
 * "\n— <key name> <base64(key id || signature)>\n" makes it a signed note that Go's
 * golang.org/x/mod/sumdb/note verifies, since a note signature covers the same bytes.
 *
 *     struct agree_doc d = {...};
 *     struct gsi_buf body;  gsi_buf_init(&body, AGREE_BODY_MAX);
 *     platform_agree_body_format(&body, &d, &err);
 *     platform_agree_sig_verify(pubkey_b64, body.data, body.len, sig_b64, &err);   // 0 or
 * GSI_EVERIFY
 *
 * The bundle (platform_agree_bundle_verify) carries the body, the signatures' journal records, the
 * signers' delegate records, one inclusion proof per record and a signed checkpoint, so that
 * anyone holding the log's verifier key can check an agreement with no server and no database.
 */
#ifndef GSI_PLATFORM_AGREE_H
#define GSI_PLATFORM_AGREE_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "platform/platform.h"

#define AGREE_TEXT_MAX        65536u /* bytes of an agreement's text */
#define AGREE_BODY_MAX        (AGREE_TEXT_MAX + 4096u)
#define AGREE_SIGNATORIES_MAX 32         /* signatory parties of one agreement */
#define AGREE_ORIGIN_MAX      256        /* bytes of the log origin with NUL */
#define AGREE_BUNDLE_MAX      (4u << 20) /* bytes of a whole bundle */
#define AGREE_BUNDLE_ITEMS    (2 * AGREE_SIGNATORIES_MAX + 8)
#define AGREE_SIG_B64_LEN     88 /* base64 of 64 bytes, with padding */

struct agree_doc {
    char origin[AGREE_ORIGIN_MAX];
    int64_t agreement, consultation, decision; /* ids, >= 1 */
    size_t nsignatories;
    char signatories[AGREE_SIGNATORIES_MAX][PLATFORM_ID_MAX]; /* ascending, distinct */
    const char *text; /* borrowed; after platform_agree_body_parse it points into the parsed body */
    size_t text_len;
};

/* Sets err to `code` with message "<prefix>: <err's current message>" (the message is copied
 * first: formatting a buffer into itself is undefined). Returns `code`. */
int platform_agree_err_wrap(struct gsi_err *err, int code, const char *prefix);

/* Checks an agreement text: non-empty, at most AGREE_TEXT_MAX bytes, valid UTF-8 with no
 * control character but '\n', ending in exactly one '\n'. GSI_EDATA naming the byte offset. */
int platform_agree_text_check(const char *text, size_t len, struct gsi_err *err);

/* Sorts `d`'s signatories ascending; GSI_EDATA on a duplicate or a malformed party id. */
int platform_agree_signatories_normalise(struct agree_doc *d, struct gsi_err *err);

/* Appends the canonical bytes of `d` to `out`. The signatories must be normalised. */
int platform_agree_body_format(struct gsi_buf *out, const struct agree_doc *d, struct gsi_err *err);

/* Parses canonical bytes back, strictly (exactly one encoding per agreement): GSI_EDATA naming
 * the line and what was expected. d->text points into `body`. */
int platform_agree_body_parse(struct agree_doc *d, const char *body, size_t len,
                              struct gsi_err *err);

/* Verifies a base64 Ed25519 signature (AGREE_SIG_B64_LEN characters) of `body` under a base64
 * public key (a delegate's registered `pubkey`). GSI_EDATA when either is not well-formed
 * base64 of the right length, GSI_EVERIFY when the signature does not verify. */
int platform_agree_sig_verify(const char *pubkey_b64, const char *body, size_t len,
                              const char *sig_b64, struct gsi_err *err);

/* The payload the platform journals for one signature (agreement.sign), byte for byte:
 *     {"body_sha256":"HEX","case":ID,"signature":"B64"}
 * (the procedures' canonical form: keys sorted, compact, the case's id added), so the offline
 * verifier can rebuild it without a JSON parser. */
int platform_agree_sign_payload(struct gsi_buf *out, int64_t agreement, const char *body_sha256_hex,
                                const char *sig_b64, struct gsi_err *err);

/* --- the bundle ---------------------------------------------------------------------- */

/* One journal record carried in a bundle: the entry's fields, the canonical bytes of what it
 * recorded (a "gsi-record/v1" or "gsi-delegate/v1" text), and its inclusion proof. */
struct agree_bundle_item {
    uint64_t index;
    char type[PLATFORM_TYPE_MAX];
    char party[PLATFORM_ID_MAX];
    int64_t delegate; /* the acting delegate, 0 for none */
    int64_t time_us;
    char subject[48];
    const char *canon; /* borrowed */
    size_t canon_len;
    size_t nproof;
    uint8_t proof[PLATFORM_PROOF_MAX][PLATFORM_HASH_SIZE];
};

/* Writes a bundle: the log's verifier key, the signed checkpoint (its tree must contain every
 * item), the agreement body and the items. Layout: docs/internals/agreements.md, "Bundle". */
int platform_agree_bundle_write(struct gsi_buf *out, const char *log_vkey, const char *checkpoint,
                                size_t checkpoint_len, const char *body, size_t body_len,
                                const struct agree_bundle_item *items, size_t nitems,
                                struct gsi_err *err);

/* Gathers and writes the bundle of an agreement whose canonical bytes are `body`: the log's
 * key, the latest signed checkpoint, and for each agreement.sign record in `sign_records` the
 * record and its signer's delegate.add record, each with its entry and inclusion proof. */
int platform_agree_bundle_export(struct platform *p, struct gsi_buf *out, const char *body,
                                 size_t body_len, const int64_t *sign_records, size_t n,
                                 struct gsi_err *err);

/* What verifying a bundle established. */
struct agree_bundle_report {
    struct agree_doc doc; /* the agreement (text points into the caller's bundle bytes) */
    uint64_t tree_size;   /* of the checkpoint */
    size_t signatures;    /* signatures that verified, one per signatory */
    size_t proofs;        /* inclusion proofs that verified */
    char signer[AGREE_SIGNATORIES_MAX][PLATFORM_ID_MAX + 24]; /* "CHN by delegate 3" */
};

/* Verifies a bundle offline. `log_vkey` (may be NULL) pins the log's verifier key; otherwise
 * the key written in the bundle is used, and the caller should compare it with the log's
 * published key. Checks: the checkpoint's signature; every item's inclusion proof against the
 * checkpoint's root; for each signatory, a journalled agreement.sign record by a delegate of
 * that party whose own delegate.add record is in the bundle, with the agreement's id and body
 * hash, and an Ed25519 signature of the body under that delegate's registered key. Any failure
 * is GSI_EVERIFY (or GSI_EDATA for a malformed bundle) naming the line or the item. */
int platform_agree_bundle_verify(struct agree_bundle_report *rep, const char *bundle, size_t len,
                                 const char *log_vkey, struct gsi_err *err);

#endif
