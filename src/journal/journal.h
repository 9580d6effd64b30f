/*
 * journal.h — the cryptographic core of the journal, in one include.
 *
 *   merkle.h      RFC 6962/9162 hashing, tree heads, the compact range, inclusion and
 *                 consistency proofs (generate and verify)
 *   note.h        C2SP signed notes: keys as strings, sign, open/verify
 *   checkpoint.h  C2SP tlog-checkpoint: build, sign, open, parse
 *   key.h         Ed25519 keys in sodium_malloc'd memory, SHA-256, base64
 *   entry.h       canonical entry bytes (the Merkle leaf data)
 *
 * Call journal_crypto_init() once at start-up. See docs/internals/journal.md.
 */
#ifndef GSI_JOURNAL_JOURNAL_H
#define GSI_JOURNAL_JOURNAL_H

#include "journal/checkpoint.h"
#include "journal/cosig.h"
#include "journal/entry.h"
#include "journal/key.h"
#include "journal/merkle.h"
#include "journal/note.h"
#include "journal/tile.h"
#include "journal/witness.h"

#endif
