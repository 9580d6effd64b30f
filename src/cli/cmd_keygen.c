/* cmd_keygen.c — `gsi keygen`: an Ed25519 key pair for a delegate (or a witness), written as
 * C2SP note keys: FILE holds the signer key (mode 0600), FILE.pub the verifier key, which is
 * what `gsi delegate add --pubkey-file` takes. The secret lives only in sodium_malloc'd memory
 * until it is written. */
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/file.h"
#include "journal/journal.h"

static const char keygen_usage[] =
    "Usage: gsi keygen --name NAME [--out FILE]\n"
    "\n"
    "Makes an Ed25519 key pair. FILE (default ./gsi-key) receives the private key, readable\n"
    "only by you; FILE.pub receives the public (verifier) key, which is also printed. Give\n"
    "the .pub file to `gsi delegate add --pubkey-file`. An existing FILE is never\n"
    "overwritten.\n";

static const char keygen_epilog[] = "Exit status: 0 success, 1 runtime failure, 2 usage error.\n";

/* Writes a new file (never over an existing one) holding `len` bytes of `data` and a newline. */
static int write_new(const char *path, const char *data, size_t len, mode_t mode,
                     struct gsi_err *err)
{
    struct iovec parts[2] = { { (void *)data, len }, { (void *)"\n", 1 } };
    return gsi_file_create(path, mode, parts, 2, err);
}

int cmd_keygen(int argc, char **argv)
{
    const char *name = NULL, *out = "./gsi-key";
    const struct cli_option opts[] = {
        CLI_OPT_STRING("--name", "NAME", &name,
                       "the key's name, e.g. the delegate's e-mail or host (no spaces or '+')"),
        CLI_OPT_STRING("--out", "FILE", &out, "where to write the key pair (default ./gsi-key)"),
        CLI_OPT_END(),
    };
    const struct cli_command cmd = { "keygen", keygen_usage, keygen_epilog, opts };
    int st = cli_parse(&cmd, argc, argv, 1);
    if (st >= 0) {
        return st;
    }
    if (name == NULL) {
        return cli_usage_error("keygen", "--name is required");
    }
    if (!journal_note_name_valid(name, strlen(name))) {
        return cli_usage_error("keygen", "--name must be non-empty, with no spaces and no '+'");
    }
    char pub[4096];
    if (snprintf(pub, sizeof pub, "%s.pub", out) >= (int)sizeof pub) {
        return cli_usage_error("keygen", "--out is too long");
    }
    struct gsi_err err = GSI_ERR_INIT;
    if (journal_crypto_init(&err) < 0) {
        return cli_fail(&err);
    }
    if (access(out, F_OK) == 0 || access(pub, F_OK) == 0) {
        gsi_err_set(&err, GSI_ECONFLICT, "%s or %s already exists: not overwriting a key", out,
                    pub);
        return cli_fail(&err);
    }
    char *skey = NULL;
    struct gsi_buf vkey;
    gsi_buf_init(&vkey, 4096);
    int rc = journal_note_key_generate(&skey, &vkey, name, &err);
    if (rc == 0) {
        rc = write_new(out, skey, strlen(skey), 0600, &err);
    }
    journal_note_secret_free(skey);
    if (rc == 0) {
        rc = write_new(pub, vkey.data, vkey.len, 0644, &err);
        if (rc < 0) {
            unlink(out);
        }
    }
    if (rc == 0) {
        printf("%s\n", vkey.data);
        fprintf(stderr, "gsi keygen: private key in %s, public key in %s\n", out, pub);
    }
    gsi_buf_release(&vkey);
    return rc < 0 ? cli_fail(&err) : GSI_EXIT_OK;
}
