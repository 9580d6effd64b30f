/* Fuzz target for what agreements and consultations parse from outside: an agreement's
 * canonical bytes, an agreement bundle (verified offline, as `gsi agreement verify` does), and
 * a Polis export (comments.csv and votes.csv, split at the first NUL byte). The first byte
 * picks the parser so one corpus covers them all. */
#include <stdint.h>
#include <string.h>

#include "journal/journal.h"
#include "platform/agree.h"
#include "platform/consult_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    const char *in = (const char *)data + 1;
    size_t n = size - 1;
    struct gsi_err err = GSI_ERR_INIT;
    if (journal_crypto_init(&err) < 0) {
        return 1;
    }
    switch (data[0] % 3) {
    case 0: {
        struct agree_doc d;
        if (platform_agree_body_parse(&d, in, n, &err) == 0) {
            /* One encoding per agreement: formatting what was parsed gives the same bytes. */
            struct gsi_buf b;
            gsi_buf_init(&b, AGREE_BODY_MAX);
            if (platform_agree_body_format(&b, &d, &err) != 0 || b.len != n ||
                memcmp(b.data, in, n) != 0) {
                __builtin_trap();
            }
            gsi_buf_release(&b);
        }
        break;
    }
    case 1: {
        struct agree_bundle_report rep;
        (void)platform_agree_bundle_verify(&rep, in, n, NULL, &err);
        break;
    }
    default: {
        const char *nul = memchr(in, '\0', n);
        size_t cl = nul ? (size_t)(nul - in) : n;
        const char *v = nul ? nul + 1 : "";
        size_t vl = nul ? n - cl - 1 : 0;
        struct consult_polis x;
        if (platform_consult_polis_parse(&x, in, cl, "comments.csv", v, vl, "votes.csv", &err) ==
            0) {
            platform_consult_polis_release(&x);
        }
        break;
    }
    }
    return 0;
}
