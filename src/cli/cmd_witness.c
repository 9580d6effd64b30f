/* cmd_witness.c — `gsi witness keygen|vkey`: a witness's cosigning key (C2SP
 * tlog-cosignature). The witness itself runs inside `gsi serve --witness-key`. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/tlog_io.h"
#include "journal/journal.h"

static const char witness_usage[] =
    "Usage: gsi witness keygen --name NAME --out FILE\n"
    "       gsi witness vkey --key FILE\n"
    "\n"
    "keygen  makes a witness's Ed25519 cosigning key: writes the secret key to FILE (mode\n"
    "        0600; refuses to overwrite) and prints the cosigner verifier key\n"
    "        NAME+<key ID>+<base64(0x04 || public key)> that logs and clients put in their\n"
    "        policy files. NAME is a schema-less URL naming the witness (au.example/witness).\n"
    "vkey    prints the cosigner verifier key of an existing key file.\n"
    "\n"
    "A server witnesses other logs with `gsi serve --witness-key FILE --witness-logs LOGS`;\n"
    "see docs/internals/journal.md.\n";

static const char witness_epilog[] =
    "Exit status: 0 success, 1 runtime failure, 2 usage error, 65 bad key.\n";

static int print_vkey(const char *skey, size_t len, struct gsi_err *err)
{
    struct journal_note_signer s;
    int rc = journal_note_signer_parse(&s, skey, len, err);
    if (rc < 0) {
        return rc;
    }
    struct gsi_buf v;
    gsi_buf_init(&v, 1024);
    rc = journal_cosig_verifier_format(&v, s.name, s.key.pub, err);
    if (rc == 0) {
        printf("%s\n", v.data);
    }
    gsi_buf_release(&v);
    journal_note_signer_release(&s);
    return rc;
}

static int keygen(const char *name, const char *out, struct gsi_err *err)
{
    char *skey = NULL;
    struct gsi_buf vkey;
    gsi_buf_init(&vkey, 1024);
    int rc = journal_note_key_generate(&skey, &vkey, name, err);
    gsi_buf_release(&vkey);
    if (rc < 0) {
        return rc;
    }
    int fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        rc = gsi_err_set(err, GSI_EIO, "%s: %s%s", out, strerror(errno),
                         errno == EEXIST ? " (remove it first to make a new key)" : "");
    } else {
        size_t len = strlen(skey);
        if (write(fd, skey, len) != (ssize_t)len || write(fd, "\n", 1) != 1) {
            rc = gsi_err_set(err, GSI_EIO, "%s: %s", out, strerror(errno));
        }
        if (close(fd) < 0 && rc == 0) {
            rc = gsi_err_set(err, GSI_EIO, "%s: %s", out, strerror(errno));
        }
    }
    if (rc == 0) {
        rc = print_vkey(skey, strlen(skey), err);
    }
    journal_note_secret_free(skey);
    return rc;
}

int cmd_witness(int argc, char **argv)
{
    if (argc < 2 || cli_is_help(argv[1])) {
        fputs(witness_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? GSI_EXIT_USAGE : GSI_EXIT_OK;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "keygen") != 0 && strcmp(sub, "vkey") != 0) {
        return cli_usage_error("witness", "unknown subcommand '%s' (keygen, vkey)", sub);
    }
    const char *name = NULL;
    const char *file = NULL; /* keygen's --out, vkey's --key: the one key file */
    bool kg = strcmp(sub, "keygen") == 0;
    const struct cli_option keygen_opts[] = {
        CLI_OPT_STRING("--name", "NAME", &name, "the witness's name (au.example/witness)"),
        CLI_OPT_STRING("--out", "FILE", &file, "where the secret key goes (mode 0600)"),
        CLI_OPT_END(),
    };
    const struct cli_option vkey_opts[] = {
        CLI_OPT_STRING("--key", "FILE", &file, "the secret key file that keygen wrote"),
        CLI_OPT_END(),
    };
    const struct cli_command cmd = { "witness", witness_usage, witness_epilog,
                                     kg ? keygen_opts : vkey_opts };
    int st = cli_parse(&cmd, argc, argv, 2);
    if (st >= 0) {
        return st;
    }
    struct gsi_err err = GSI_ERR_INIT;
    int rc;
    if (kg) {
        if (name == NULL || file == NULL) {
            return cli_usage_error("witness", "keygen needs --name NAME and --out FILE");
        }
        rc = keygen(name, file, &err);
    } else {
        if (file == NULL) {
            return cli_usage_error("witness", "vkey needs --key FILE");
        }
        struct gsi_buf text;
        gsi_buf_init(&text, 4096);
        rc = tlog_file_read(&text, file, &err);
        while (rc == 0 && text.len > 0 && text.data[text.len - 1] == '\n') {
            text.data[--text.len] = '\0';
        }
        if (rc == 0 && (rc = print_vkey(text.data, text.len, &err)) < 0 && err.file[0] == '\0') {
            snprintf(err.file, sizeof err.file, "%s", file); /* the message names the file */
        }
        if (text.data != NULL) {
            explicit_bzero(text.data, text.cap); /* the witness's secret key */
        }
        gsi_buf_release(&text);
    }
    return rc < 0 ? cli_fail(&err) : GSI_EXIT_OK;
}
