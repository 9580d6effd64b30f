/* Fuzz target for the tlog parsers: tile paths (with the format round trip), entry bundles,
 * witness policies, cosignature lines and verifier keys, add-checkpoint request bodies and
 * HTTP responses read by the client. The first byte picks the parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/client.h"
#include "journal/journal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A fixed cosigner key (Sigsum's test witness key under a made-up name, its key ID computed
 * with Python's hashlib) so that lines can name it. */
static const char wkey[] = "w.example/fuzz+1546e96e+BMvjV+a0ZASecDt75siSARk6zCoYwJWwaRqvULmx4VeK";

static void fuzz_tile(const char *in, size_t n)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct journal_tile t;
    if (journal_tile_path_parse(&t, in, n, &err) == 0) {
        char p[JOURNAL_TILE_PATH_MAX];
        /* A parsed path formats back to exactly its input. */
        if (journal_tile_path_format(p, sizeof p, t.level, t.index, t.width, &err) < 0 ||
            strlen(p) != n || memcmp(p, in, n) != 0) {
            __builtin_trap();
        }
    }
}

static void fuzz_bundle(const uint8_t *in, size_t n)
{
    struct gsi_err err = GSI_ERR_INIT;
    size_t pos = 0, len = 0, total = 0;
    const uint8_t *e = NULL;
    int rc;
    while ((rc = journal_bundle_next(&e, &len, in, n, &pos, &err)) == 1) {
        total += 2 + len;
        if (e < in || e + len > in + n) {
            __builtin_trap();
        }
    }
    if (rc == 0 && total != n) {
        __builtin_trap();
    }
}

static void fuzz_cosig(const char *in, size_t n)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct journal_note_verifier v;
    if (journal_cosig_verifier_parse(&v, wkey, sizeof wkey - 1, &err) < 0) {
        return;
    }
    uint64_t ts = 0;
    static const char body[] = "o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
    (void)journal_cosig_verify(&ts, &v, in, n, body, sizeof body - 1, &err);
    (void)journal_cosig_verifier_parse(&v, in, n, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    const char *in = (const char *)data + 1;
    size_t n = size - 1;
    struct gsi_err err = GSI_ERR_INIT;
    switch (data[0] % 6) {
    case 0:
        fuzz_tile(in, n);
        break;
    case 1:
        fuzz_bundle(data + 1, n);
        break;
    case 2: {
        struct journal_policy *p = malloc(sizeof *p);
        if (p != NULL) {
            (void)journal_policy_parse(p, in, n, "fuzz", &err);
            size_t valid = 0;
            (void)journal_policy_check(&valid, p, in, n, &err);
            free(p);
        }
        break;
    }
    case 3:
        fuzz_cosig(in, n);
        break;
    case 4: {
        struct http_client_resp r;
        http_client_resp_init(&r, 1 << 16);
        if (http_client_response_parse(&r, in, n, &err) == 0 && r.body.len > n) {
            __builtin_trap();
        }
        http_client_resp_release(&r);
        break;
    }
    default: {
        struct journal_witness_request *req = malloc(sizeof *req);
        if (req != NULL) {
            (void)journal_witness_request_parse(req, in, n, &err);
            free(req);
        }
        break;
    }
    }
    return 0;
}
