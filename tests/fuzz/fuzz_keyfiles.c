/* Fuzz target for the small files and strings an operator hands the server and the CLI: the
 * signer key files (`--key`, a witness's `--witness-key`, `gsi sign --key`), the witness logs
 * file (`gsi serve --witness-logs`) and the http:// URLs of witness policies and `--tiles`.
 * The first byte picks the parser. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/client.h"
#include "journal/journal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_url(const char *in, size_t n)
{
    /* The parser takes a C string: the input up to its first NUL. */
    char *url = malloc(n + 1);
    if (url == NULL) {
        return;
    }
    memcpy(url, in, n);
    url[n] = '\0';
    char host[256];
    char path[512];
    uint16_t port = 0;
    struct gsi_err err = GSI_ERR_INIT;
    if (http_client_url_parse(host, sizeof host, &port, path, sizeof path, url, &err) == 0) {
        /* A parsed URL has a host, a port and a path that begins with '/'. */
        if (host[0] == '\0' || port == 0 || path[0] != '/' || strlen(host) >= sizeof host) {
            __builtin_trap();
        }
    }
    free(url);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    const char *in = (const char *)data + 1;
    size_t n = size - 1;
    struct gsi_err err = GSI_ERR_INIT;
    static bool ready;
    if (!ready && journal_crypto_init(&err) < 0) {
        return 1; /* libsodium cannot start: nothing to fuzz */
    }
    ready = true;
    switch (data[0] % 3) {
    case 0: {
        struct journal_note_signer s;
        if (journal_note_signer_parse(&s, in, n, &err) == 0) {
            if (s.name[0] == '\0' || strlen(s.name) > JOURNAL_NOTE_NAME_MAX) {
                __builtin_trap();
            }
            journal_note_signer_release(&s);
        }
        break;
    }
    case 1: {
        struct journal_witness_logs *l = malloc(sizeof *l);
        if (l != NULL && journal_witness_logs_parse(l, in, n, "logs", &err) == 0 &&
            l->n > JOURNAL_WITNESS_LOGS_MAX) {
            __builtin_trap();
        }
        free(l);
        break;
    }
    default:
        fuzz_url(in, n);
        break;
    }
    return 0;
}
