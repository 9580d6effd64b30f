/* Fuzz target for the journal's parsers: signed notes, checkpoints, verifier and signer keys,
 * entry bytes and base64. The first byte picks the parser so one corpus covers them all. */
#include <stdint.h>
#include <string.h>

#include "journal/journal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A fixed, public verifier (the Go sumdb example key) so signatures can verify. */
static const char vkey[] = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    const char *in = (const char *)data + 1;
    size_t n = size - 1;
    struct gsi_err err = GSI_ERR_INIT;
    struct journal_note_verifier v[2];
    if (journal_note_verifier_parse(&v[0], vkey, sizeof vkey - 1, &err) < 0) {
        return 1; /* cannot happen: the key is valid */
    }
    switch (data[0] % 6) {
    case 0: {
        struct journal_note note;
        if (journal_note_open(&note, in, n, v, 1, &err) == 0) {
            if (note.text_len > n || note.nverified == 0) {
                __builtin_trap();
            }
            journal_note_release(&note);
        }
        break;
    }
    case 1: {
        struct journal_checkpoint cp;
        if (journal_checkpoint_parse(&cp, in, n, &err) == 0) {
            /* A parsed checkpoint formats back to exactly its input. */
            struct gsi_buf b;
            gsi_buf_init(&b, 1 << 21);
            if (journal_checkpoint_format(&b, &cp, &err) < 0 || b.len != n ||
                memcmp(b.data, in, n) != 0) {
                __builtin_trap();
            }
            gsi_buf_release(&b);
            journal_checkpoint_release(&cp);
        }
        break;
    }
    case 2:
        (void)journal_note_verifier_parse(&v[1], in, n, &err);
        break;
    case 3: {
        struct journal_note_signer s;
        if (journal_note_signer_parse(&s, in, n, &err) == 0) {
            journal_note_signer_release(&s);
        }
        break;
    }
    case 4: {
        struct journal_entry e;
        int decoded = journal_entry_decode(&e, data + 1, n, &err) == 0;
        if (decoded) {
            uint8_t back[JOURNAL_ENTRY_MAX_BYTES];
            size_t len;
            if (journal_entry_encode(back, sizeof back, &len, &e, &err) < 0 || len != n ||
                memcmp(back, data + 1, n) != 0) {
                __builtin_trap();
            }
        }
        /* Leaf data of either form: a valid entry, or 37 bytes of a blinded one. */
        int blind = n == JOURNAL_ENTRY_BLIND_BYTES && memcmp(data + 1, "GSIJ\x02", 5) == 0;
        if ((journal_entry_check(data + 1, n, &err) == 0) != (decoded || blind)) {
            __builtin_trap();
        }
        break;
    }
    default: {
        uint8_t out[256];
        size_t len;
        (void)journal_base64_decode(out, sizeof out, &len, in, n, &err);
        break;
    }
    }
    return 0;
}
