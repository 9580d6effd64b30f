/*
 * witness.h — C2SP tlog-witness (https://c2sp.org/tlog-witness): the add-checkpoint request
 * body, the witness's decision, and the list of logs a witness follows.
 *
 * Request body:
 *     old <size>\n                       decimal, no leading zeros
 *     <base64 hash>\n ...                 0 to 63 consistency proof hashes
 *     \n
 *     <signed checkpoint note>
 *
 * The decision, given the size and root the witness last cosigned for the origin (0 and
 * nothing when never), follows the spec's order: old size past the checkpoint's size is
 * GSI_EUSAGE (400); old size other than the stored one is GSI_ECONFLICT (409, answer the
 * stored size); a proof that does not verify is GSI_EDATA (422), as is a proof for old size 0;
 * equal sizes with another root is GSI_ECONFLICT. Unknown origin (404) and a checkpoint no
 * trusted key signed (403) are decided before, when opening the note.
 */
#ifndef GSI_JOURNAL_WITNESS_H
#define GSI_JOURNAL_WITNESS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "journal/merkle.h"
#include "journal/note.h"

#define JOURNAL_WITNESS_PROOF_MAX 63
#define JOURNAL_WITNESS_BODY_MAX  (JOURNAL_NOTE_MAX_BYTES + 8192)
#define JOURNAL_WITNESS_LOGS_MAX  64

struct journal_witness_request {
    uint64_t old_size;
    size_t nproof;
    uint8_t proof[JOURNAL_WITNESS_PROOF_MAX][JOURNAL_HASH_SIZE];
    const char *checkpoint; /* points into the body */
    size_t checkpoint_len;
};

/* Parses a request body. GSI_EUSAGE (400) naming the line that is wrong; GSI_ELIMIT past
 * JOURNAL_WITNESS_BODY_MAX or JOURNAL_WITNESS_PROOF_MAX lines. */
int journal_witness_request_parse(struct journal_witness_request *req, const char *body,
                                  size_t len, struct gsi_err *err);

/* Writes a request body for `old_size`, `proof` and the signed checkpoint `note`. */
int journal_witness_request_format(struct gsi_buf *out, uint64_t old_size,
                                   const uint8_t (*proof)[JOURNAL_HASH_SIZE], size_t nproof,
                                   const char *note, size_t note_len, struct gsi_err *err);

/* The spec's checks of a request against the stored state (stored_size 0: never cosigned;
 * stored_root is then ignored), for a checkpoint of `size` and `root` whose signature the
 * caller verified. 0 when the witness may cosign and store (size, root). */
int journal_witness_decide(const struct journal_witness_request *req, uint64_t size,
                           const uint8_t root[JOURNAL_HASH_SIZE], uint64_t stored_size,
                           const uint8_t stored_root[JOURNAL_HASH_SIZE], struct gsi_err *err);

/* The logs a witness follows: lines "log <vkey>" ('#' comments), the key name being the
 * origin. GSI_EDATA with the line number. */
struct journal_witness_logs {
    size_t n;
    struct journal_note_verifier logs[JOURNAL_WITNESS_LOGS_MAX];
};

int journal_witness_logs_parse(struct journal_witness_logs *l, const char *text, size_t len,
                               const char *name, struct gsi_err *err);

#endif
