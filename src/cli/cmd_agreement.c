/* cmd_agreement.c — `gsi agreement verify|export`: an agreement as a self-contained bundle,
 * and its offline check (no server, no database): each signature, each inclusion proof
 * against the checkpoint's root, and the checkpoint's signature against the log's key. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/json.h"
#include "journal/journal.h"
#include "platform/agree.h"
#include "platform/consult.h"
#include "platform/platform.h"

static const char agreement_usage[] =
    "Usage: gsi agreement verify [--log-key KEY|--log-key-file FILE] [--format text|json] BUNDLE\n"
    "       gsi agreement export [--db URL] [--out FILE] ID\n"
    "\n"
    "verify  checks a bundle offline: the checkpoint's signature against the log's key, every\n"
    "        journal record's inclusion proof against the checkpoint's root, and each\n"
    "        signatory's Ed25519 signature over the agreement's canonical bytes under the key\n"
    "        its delegate registered. Without --log-key the key written in the bundle is used:\n"
    "        compare it with the log's published key (GET /v1/journal/key).\n"
    "export  writes agreement ID's bundle: its canonical bytes, each signature's journal record\n"
    "        and the signer's delegate record, their inclusion proofs, and the latest signed\n"
    "        checkpoint (GET /v1/agreements/{id}/bundle gives the same).\n"
    "";

static const char agreement_epilog[] =
    "Exit status: 0 verified, 1 verification failed or runtime failure, 2 usage error,\n"
    "65 malformed bundle.\n";

/* The report as one JSON line. A failed write shows in stdout's error state. */
static void write_json(const struct agree_bundle_report *r)
{
    struct gsi_json w;
    gsi_json_init_file(&w, stdout);
    gsi_json_object_begin(&w, NULL, GSI_JSON_COMPACT);
    gsi_json_bool(&w, "verified", true);
    gsi_json_int(&w, "agreement", r->doc.agreement);
    gsi_json_int(&w, "consultation", r->doc.consultation);
    gsi_json_int(&w, "decision", r->doc.decision);
    gsi_json_string(&w, "log", r->doc.origin);
    gsi_json_uint(&w, "tree_size", r->tree_size);
    gsi_json_uint(&w, "proofs", r->proofs);
    gsi_json_array_begin(&w, "signatures", GSI_JSON_COMPACT);
    for (size_t i = 0; i < r->doc.nsignatories; i++) {
        gsi_json_string(&w, NULL, r->signer[i]);
    }
    gsi_json_end(&w);
    gsi_json_end(&w);
    gsi_json_newline(&w);
    gsi_json_finish(&w);
    gsi_json_release(&w);
}

static void print_report(const struct agree_bundle_report *r, const char *vkey, bool json)
{
    if (json) {
        write_json(r);
        return;
    }
    printf("agreement %lld (consultation %lld, decision %lld) on log %s\n",
           (long long)r->doc.agreement, (long long)r->doc.consultation, (long long)r->doc.decision,
           r->doc.origin);
    printf("checkpoint: tree of %llu entries, signed by %s\n", (unsigned long long)r->tree_size,
           vkey ? "the pinned log key" : "the log key written in the bundle");
    printf("inclusion proofs verified: %zu\n", r->proofs);
    for (size_t i = 0; i < r->doc.nsignatories; i++) {
        printf("signed: %s\n", r->signer[i]);
    }
    printf("verified: %zu of %zu signatories\n", r->signatures, r->doc.nsignatories);
}

static int agreement_verify(const char *path, const char *vkey, const char *vkey_file, bool json)
{
    struct gsi_err err = GSI_ERR_INIT;
    if (journal_crypto_init(&err) < 0) {
        return cli_fail(&err);
    }
    char *key = NULL, *bundle = NULL;
    size_t klen = 0, len = 0;
    int rc = 0;
    if (vkey_file != NULL) {
        rc = cli_read_all(&key, &klen, vkey_file, 4096, &err);
        while (rc == 0 && klen > 0 && (key[klen - 1] == '\n' || key[klen - 1] == '\r')) {
            key[--klen] = '\0';
        }
        struct journal_note_verifier v;
        if (rc == 0 &&
            (strlen(key) != klen || journal_note_verifier_parse(&v, key, klen, &err) < 0)) {
            rc = gsi_err_at(&err, GSI_EDATA, vkey_file, 1, 0,
                            "expected the journal's verifier key (GET /v1/journal/key)");
        }
        vkey = key;
    }
    if (rc == 0) {
        rc = cli_read_all(&bundle, &len, path, AGREE_BUNDLE_MAX, &err);
    }
    struct agree_bundle_report rep;
    if (rc == 0) {
        rc = platform_agree_bundle_verify(&rep, bundle, len, vkey, &err);
        if (rc < 0 && strcmp(err.file, "bundle") == 0) {
            snprintf(err.file, sizeof err.file, "%s", path); /* the file, not the word */
        }
    }
    if (rc == 0) {
        print_report(&rep, vkey, json);
    } else if (err.code == GSI_EVERIFY) {
        printf("not verified: %s\n", err.msg);
    }
    free(bundle);
    free(key);
    return rc < 0 ? cli_fail(&err) : GSI_EXIT_OK;
}

static int write_file(const char *path, const char *data, size_t len, struct gsi_err *err)
{
    FILE *f = path ? fopen(path, "wb") : stdout;
    if (f == NULL) {
        return gsi_err_set(err, GSI_EIO, "%s: cannot create", path);
    }
    bool ok = fwrite(data, 1, len, f) == len;
    ok = (path ? fclose(f) == 0 : fflush(f) == 0) && ok;
    return ok ? 0 : gsi_err_set(err, GSI_EIO, "%s: write failed", path ? path : "output");
}

static int agreement_export(int argc, char **argv)
{
    struct platform_opts o;
    platform_opts_init(&o);
    const char *out = NULL;
    struct cli_words words = { 0 };
    const struct cli_option opts[] = {
        CLI_OPT_DB(&o.db),
        CLI_OPT_STRING("--out", "FILE", &out,
                       "where export writes the bundle (default standard output)"),
        CLI_OPT_WORDS(&words),
        CLI_OPT_END(),
    };
    const struct cli_command cmd = { "agreement", agreement_usage, agreement_epilog, opts };
    int st = cli_parse(&cmd, argc, argv, 1);
    if (st < 0 && words.n > 1) {
        st = cli_usage_error("agreement", "unexpected argument '%s'", words.v[1]);
    }
    const char *ids = words.n > 0 ? words.v[0] : NULL;
    free(words.v);
    if (st >= 0) {
        return st;
    }
    long id = 0;
    if (ids == NULL) {
        return cli_usage_error("agreement", "export needs the agreement's ID");
    }
    if (cli_int(&id, "agreement", "ID", ids, 1, INT64_MAX) < 0) {
        return GSI_EXIT_USAGE;
    }
    struct gsi_err err = GSI_ERR_INIT;
    struct platform *p;
    if (platform_open(&p, &o, &err) < 0) {
        return cli_fail(&err);
    }
    struct gsi_buf b;
    gsi_buf_init(&b, AGREE_BUNDLE_MAX);
    int rc = platform_consult_agreement_export(p, &b, id, &err);
    if (rc == 0) {
        rc = write_file(out, b.data, b.len, &err);
    }
    gsi_buf_release(&b);
    platform_close(p);
    return rc < 0 ? cli_fail(&err) : GSI_EXIT_OK;
}

/* text is the default; table and csv are taken as text, as the other commands' --format
 * values. */
static const char *const agreement_formats[] = { "text", "json", "table", "csv", NULL };

int cmd_agreement(int argc, char **argv)
{
    if (argc < 2 || cli_is_help(argv[1])) {
        fputs(agreement_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? GSI_EXIT_USAGE : GSI_EXIT_OK;
    }
    if (strcmp(argv[1], "export") == 0) {
        return agreement_export(argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "verify") != 0) {
        return cli_usage_error("agreement", "unknown subcommand '%s' (verify, export)", argv[1]);
    }
    const char *vkey = NULL, *vkey_file = NULL;
    int format = 0;
    struct cli_words words = { 0 };
    const struct cli_option opts[] = {
        CLI_OPT_STRING("--log-key", "KEY", &vkey, "the journal's C2SP verifier key to pin"),
        CLI_OPT_STRING("--log-key-file", "FILE", &vkey_file, "the same, read from FILE"),
        CLI_OPT_CHOICE("--format", "FMT", &format, agreement_formats, "text (default) or json"),
        CLI_OPT_WORDS(&words),
        CLI_OPT_END(),
    };
    const struct cli_command cmd = { "agreement", agreement_usage, agreement_epilog, opts };
    const char *path;
    int st = cli_parse_word(&path, &cmd, argc, argv, 2, "one BUNDLE at a time");
    if (st >= 0) {
        return st;
    }
    if (path == NULL) {
        return cli_usage_error("agreement", "verify needs a BUNDLE file ('-' for standard input)");
    }
    return agreement_verify(path, vkey, vkey_file, strcmp(agreement_formats[format], "json") == 0);
}
