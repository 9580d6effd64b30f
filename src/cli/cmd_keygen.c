/* cmd_keygen.c — `gsi keygen`: an Ed25519 key pair for a delegate (or a witness), written as
 * C2SP note keys: FILE holds the signer key (mode 0600), FILE.pub the verifier key, which is
 * what `gsi delegate add --pubkey-file` takes. The secret lives only in sodium_malloc'd memory
 * until it is written. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "journal/journal.h"

static const char keygen_usage[] =
    "Usage: gsi keygen --name NAME [--out FILE]\n"
    "\n"
    "Makes an Ed25519 key pair. FILE (default ./gsi-key) receives the private key, readable\n"
    "only by you; FILE.pub receives the public (verifier) key, which is also printed. Give\n"
    "the .pub file to `gsi delegate add --pubkey-file`. An existing FILE is never\n"
    "overwritten.\n"
    "\n"
    "Options:\n"
    "  --name NAME   the key's name, e.g. the delegate's e-mail or host (no spaces or '+')\n"
    "  --out FILE    where to write the key pair (default ./gsi-key)\n"
    "  -h, --help    show this help\n"
    "\n"
    "Exit status: 0 success, 1 runtime failure, 2 usage error.\n";

static int write_new(const char *path, const char *data, size_t len, mode_t mode,
                     struct gsi_err *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        return gsi_err_set(err, GSI_EIO, "%s: %s", path, strerror(errno));
    }
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w < 0) {
            int e = errno;
            close(fd);
            return gsi_err_set(err, GSI_EIO, "%s: %s", path, strerror(e));
        }
        off += (size_t)w;
    }
    if (write(fd, "\n", 1) != 1 || fsync(fd) < 0 || close(fd) < 0) {
        return gsi_err_set(err, GSI_EIO, "%s: %s", path, strerror(errno));
    }
    return 0;
}

int cmd_keygen(int argc, char **argv)
{
    const char *name = NULL, *out = "./gsi-key";
    for (int i = 1; i < argc; i++) {
        const char *v;
        bool missing = false;
        if (cli_is_help(argv[i])) {
            fputs(keygen_usage, stdout);
            return GSI_EXIT_OK;
        } else if ((v = cli_opt(argc, argv, &i, "--name", &missing)) != NULL) {
            name = v;
        } else if ((v = cli_opt(argc, argv, &i, "--out", &missing)) != NULL) {
            out = v;
        } else if (missing) {
            return cli_usage_error("keygen", "%s needs a value", argv[i]);
        } else {
            return cli_usage_error("keygen", "unknown argument '%s'", argv[i]);
        }
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
