/* cmd_sign.c — `gsi sign`: a delegate's Ed25519 signature over an agreement's canonical bytes
 * (docs/internals/agreements.md), made on the delegate's own machine with the key from
 * `gsi keygen`. The server never sees the secret key; it receives the signature only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/json.h"
#include "journal/journal.h"
#include "platform/agree.h"

static const char sign_usage[] =
    "Usage: gsi sign --key FILE [--format text|json] [BODY]\n"
    "\n"
    "Signs an agreement's canonical bytes (GET /v1/agreements/{id}/bytes, or BODY; default\n"
    "standard input) with the Ed25519 key in FILE (written by `gsi keygen`), and prints the\n"
    "signature in base64: the value to send as {\"signature\": ...} to\n"
    "POST /v1/agreements/{id}/signatures. The bytes are checked to be an agreement's\n"
    "(gsi-agreement/v1) before anything is signed.\n"
    "";

static const char sign_epilog[] =
    "Exit status: 0 success, 1 runtime failure, 2 usage error, 65 not an agreement body.\n";

/* The signature, key name, public key and signed-note line as one JSON line. */
static int write_json(const char *sig64, const char *name, const char *pub64, const char *note_line,
                      struct gsi_err *err)
{
    struct gsi_json w;
    gsi_json_init_file(&w, stdout);
    gsi_json_object_begin(&w, NULL, GSI_JSON_COMPACT);
    gsi_json_string(&w, "signature", sig64);
    gsi_json_string(&w, "key_name", name);
    gsi_json_string(&w, "public_key", pub64);
    gsi_json_string(&w, "note_signature", note_line);
    gsi_json_end(&w);
    gsi_json_newline(&w);
    int rc = gsi_json_finish(&w);
    gsi_json_release(&w);
    return rc < 0 ? gsi_err_set(err, rc, "cannot write the signature") : 0;
}

static int sign_body(const char *keyfile, const char *body, size_t len, bool json,
                     struct gsi_err *err)
{
    char *skey = NULL;
    size_t klen = 0;
    int rc = cli_read_all(&skey, &klen, keyfile, 4096, err);
    while (rc == 0 && klen > 0 && (skey[klen - 1] == '\n' || skey[klen - 1] == '\r')) {
        skey[--klen] = '\0';
    }
    struct journal_note_signer s;
    memset(&s, 0, sizeof s);
    if (rc == 0) {
        rc = journal_note_signer_parse(&s, skey, klen, err);
        if (rc < 0) {
            char where[512];
            snprintf(where, sizeof where, "%s (expected a private key written by gsi keygen)",
                     keyfile);
            platform_agree_err_wrap(err, rc, where);
        }
    }
    if (skey != NULL) {
        memset(skey, 0, klen);
        free(skey);
    }
    if (rc < 0) {
        return rc;
    }
    uint8_t sig[JOURNAL_ED25519_SIG_SIZE];
    char sig64[JOURNAL_BASE64_LEN(JOURNAL_ED25519_SIG_SIZE)];
    char pub64[JOURNAL_BASE64_LEN(JOURNAL_ED25519_PUB_SIZE)];
    /* The note signature line carries key id || signature. */
    uint8_t line[4 + JOURNAL_ED25519_SIG_SIZE];
    char line64[JOURNAL_BASE64_LEN(sizeof line)];
    rc = journal_key_sign(sig, &s.key, body, len, err);
    if (rc == 0) {
        line[0] = (uint8_t)(s.id >> 24), line[1] = (uint8_t)(s.id >> 16);
        line[2] = (uint8_t)(s.id >> 8), line[3] = (uint8_t)s.id;
        memcpy(line + 4, sig, sizeof sig);
        rc = journal_base64_encode(sig64, sizeof sig64, sig, sizeof sig, err);
    }
    if (rc == 0) {
        rc = journal_base64_encode(pub64, sizeof pub64, s.key.pub, sizeof s.key.pub, err);
    }
    if (rc == 0) {
        rc = journal_base64_encode(line64, sizeof line64, line, sizeof line, err);
    }
    if (rc == 0 && json) {
        char nl[JOURNAL_NOTE_NAME_MAX + sizeof line64 + 16];
        snprintf(nl, sizeof nl, "\xe2\x80\x94 %s %s", s.name, line64);
        rc = write_json(sig64, s.name, pub64, nl, err);
    } else if (rc == 0) {
        printf("%s\n", sig64);
    }
    journal_note_signer_release(&s);
    return rc;
}

/* text is the default; table and csv are taken as text, as the other commands' --format
 * values. */
static const char *const sign_formats[] = { "text", "json", "table", "csv", NULL };

int cmd_sign(int argc, char **argv)
{
    const char *key = NULL;
    int format = 0;
    struct cli_words words = { 0 };
    const struct cli_option opts[] = {
        CLI_OPT_STRING("--key", "FILE", &key, "the private key file from `gsi keygen` (required)"),
        CLI_OPT_CHOICE("--format", "FMT", &format, sign_formats,
                       "text (default): the signature alone; json: signature, key name,\n"
                       "public key, and the C2SP signed-note signature line"),
        CLI_OPT_WORDS(&words),
        CLI_OPT_END(),
    };
    const struct cli_command cmd = { "sign", sign_usage, sign_epilog, opts };
    const char *in;
    int st = cli_parse_word(&in, &cmd, argc, argv, 1, "one BODY file at most");
    if (st >= 0) {
        return st;
    }
    if (key == NULL) {
        return cli_usage_error("sign", "--key FILE is required (make one with gsi keygen)");
    }
    struct gsi_err err = GSI_ERR_INIT;
    if (journal_crypto_init(&err) < 0) {
        return cli_fail(&err);
    }
    char *body = NULL;
    size_t len = 0;
    int rc = cli_read_all(&body, &len, in, AGREE_BODY_MAX, &err);
    struct agree_doc d;
    if (rc == 0 && platform_agree_body_parse(&d, body, len, &err) < 0) {
        char where[512];
        snprintf(where, sizeof where, "%s: not an agreement's canonical bytes",
                 in ? in : "standard input");
        rc = platform_agree_err_wrap(&err, GSI_EDATA, where);
    }
    if (rc == 0) {
        rc = sign_body(key, body, len, strcmp(sign_formats[format], "json") == 0, &err);
    }
    free(body);
    return rc < 0 ? cli_fail(&err) : GSI_EXIT_OK;
}
