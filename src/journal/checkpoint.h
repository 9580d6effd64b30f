/*
 * checkpoint.h — C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the signed tree head.
 *
 * The note text of a checkpoint is
 *     <origin>\n                  non-empty, no control characters
 *     <tree size>\n               ASCII decimal, no sign, no leading zeros ("0" alone is fine)
 *     <base64 root hash>\n        standard base64 of the 32-byte RFC 6962 root
 *     [<extension line>\n ...]    optional, opaque, non-empty lines, kept verbatim
 * and the whole is a signed note (note.h). The log signs with a key whose name is the origin.
 *
 *     struct journal_checkpoint cp = {0};
 *     snprintf(cp.origin, sizeof cp.origin, "gsi.example/journal");
 *     cp.size = n; memcpy(cp.root, root, 32);
 *     journal_checkpoint_sign(&out, &cp, &signer, &err);
 *     ...
 *     journal_checkpoint_open(&cp, msg, len, "gsi.example/journal", &verifier, 1, &err);
 *     journal_checkpoint_release(&cp);
 */
#ifndef GSI_JOURNAL_CHECKPOINT_H
#define GSI_JOURNAL_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "journal/merkle.h"
#include "journal/note.h"

#define JOURNAL_ORIGIN_MAX         255 /* bytes of the origin line */
#define JOURNAL_CHECKPOINT_EXT_MAX 64  /* extension lines */

struct journal_checkpoint {
    char origin[JOURNAL_ORIGIN_MAX + 1]; /* NUL-terminated */
    uint64_t size;                       /* <= JOURNAL_MERKLE_SIZE_MAX */
    uint8_t root[JOURNAL_HASH_SIZE];
    char *extensions; /* heap: extension lines, each with its '\n'; or NULL */
    size_t extensions_len;
};

/* Appends the checkpoint's note text (the unsigned body) to `out`. */
int journal_checkpoint_format(struct gsi_buf *out, const struct journal_checkpoint *cp,
                              struct gsi_err *err);
/* Parses a checkpoint body (the text of an opened note). Strict: exactly the grammar above.
 * Fills `cp`; release with journal_checkpoint_release. */
int journal_checkpoint_parse(struct journal_checkpoint *cp, const char *text, size_t len,
                             struct gsi_err *err);
/* Formats and signs; appends the signed note to `out`. */
int journal_checkpoint_sign(struct gsi_buf *out, const struct journal_checkpoint *cp,
                            const struct journal_note_signer *signer, struct gsi_err *err);
/* Opens a signed checkpoint: verifies the note against `verifiers`, parses the body, and when
 * `origin` is not NULL requires that it match the origin line (GSI_EVERIFY otherwise).
 * `note_out` (may be NULL) receives the opened note, which the caller releases. */
int journal_checkpoint_open(struct journal_checkpoint *cp, struct journal_note *note_out,
                            const char *msg, size_t len, const char *origin,
                            const struct journal_note_verifier *verifiers, size_t nverifiers,
                            struct gsi_err *err);
void journal_checkpoint_release(struct journal_checkpoint *cp);

#endif
