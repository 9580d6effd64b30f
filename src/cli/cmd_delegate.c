/* cmd_delegate.c — `gsi delegate add|revoke|list`: the people who act for a party, and their
 * bearer tokens (printed once; only a hash is stored). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/file.h"
#include "core/text.h"
#include "platform/platform.h"

static const char delegate_usage[] =
    "Usage: gsi delegate add --party ID --role ROLE --name NAME [--pubkey-file FILE.pub]\n"
    "       gsi delegate revoke ID\n"
    "       gsi delegate list [--party ID]\n"
    "\n"
    "Delegates act for exactly one party. `add` issues the delegate's API token and prints it\n"
    "this once (only its SHA-256 is kept): store it where the delegate can use it. `revoke`\n"
    "stops a token at once. Both are entries in the signed journal.\n"
    "";

static const char delegate_epilog[] =
    "Output of add (stdout): a line \"delegate ID PARTY ROLE\" and a line \"token TOKEN\".\n"
    "Exit status: 0 success, 1 runtime failure (unknown party or delegate), 2 usage error.\n";

struct dargs {
    struct platform_opts o;
    const char *party, *role, *name, *pubkey, *pubkey_file;
    struct cli_words words; /* revoke's ID */
};

/* The first line of the .pub file gsi keygen writes. A file with a NUL byte (/dev/zero) or
 * an empty first line is refused: read as a C string it would be "" and the delegate added
 * silently without a key. */
static int read_pubkey_file(char *out, size_t cap, const char *path, struct gsi_err *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc = gsi_file_read(path, &text, &len, 4096, err);
    if (rc < 0) {
        return rc;
    }
    size_t line = strcspn(text, "\r\n");
    if (memchr(text, '\0', len) != NULL || line == 0 || line >= cap) {
        rc = gsi_err_at(err, GSI_EDATA, path, 1, 0,
                        "expected the public key line that gsi keygen writes (one line of "
                        "text, at most %zu bytes)",
                        cap - 1);
    } else {
        memcpy(out, text, line);
        out[line] = '\0';
    }
    free(text);
    return rc;
}

static int do_add(struct platform *p, struct dargs *a, struct gsi_err *err)
{
    enum platform_role role;
    if (a->party == NULL || a->role == NULL || a->name == NULL) {
        return gsi_err_set(err, GSI_EUSAGE, "delegate add needs --party, --role and --name");
    }
    int rc = platform_role_parse(&role, a->role, err);
    char keybuf[1024];
    const char *key = a->pubkey;
    if (rc == 0 && a->pubkey_file != NULL) {
        rc = read_pubkey_file(keybuf, sizeof keybuf, a->pubkey_file, err);
        key = keybuf;
    }
    if (rc < 0) {
        return rc;
    }
    if (key == NULL) {
        fprintf(stderr, "gsi delegate: no --pubkey given: the delegate will have no signing key "
                        "on record (make one with gsi keygen)\n");
    }
    struct platform_delegate d;
    char token[PLATFORM_TOKEN_MAX];
    rc = platform_delegate_add(p, &d, token, a->party, role, a->name, key, err);
    if (rc == 0) {
        printf("delegate %lld %s %s\ntoken %s\n", (long long)d.id, d.party,
               platform_role_name(d.role), token);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            /* The token exists nowhere else: the delegate must not be left usable unseen. */
            rc = gsi_err_set(err, GSI_EIO,
                             "the token could not be written to standard output; revoke "
                             "delegate %lld (gsi delegate revoke %lld) and add it again",
                             (long long)d.id, (long long)d.id);
        } else {
            fprintf(stderr, "gsi delegate: the token is shown only this once\n");
        }
    }
    memset(token, 0, sizeof token);
    return rc;
}

static int do_list(struct platform *p, struct dargs *a, struct gsi_err *err)
{
    struct platform_delegate *list;
    size_t n;
    int rc = platform_delegate_list(p, &list, &n, a->party, err);
    if (rc < 0) {
        return rc;
    }
    printf("%-6s %-8s %-12s %-28s %s\n", "id", "party", "role", "created", "name");
    for (size_t i = 0; i < n; i++) {
        printf("%-6lld %-8s %-12s %-28s %s%s\n", (long long)list[i].id, list[i].party,
               platform_role_name(list[i].role), list[i].created, list[i].name,
               list[i].revoked ? " (revoked)" : "");
    }
    free(list);
    return 0;
}

int cmd_delegate(int argc, char **argv)
{
    struct dargs a;
    memset(&a, 0, sizeof a);
    platform_opts_init(&a.o);
    const struct cli_option opts[] = {
        CLI_OPT_DB(&a.o.db),
        CLI_OPT_STRING("--key", "FILE", &a.o.key_path,
                       "the log's signing key (default <db>.key, ./gsi-log.key)"),
        CLI_OPT_STRING("--checkpoint", "FILE", &a.o.checkpoint_path,
                       "the checkpoint file (default <db>.checkpoint)"),
        CLI_OPT_STRING("--party", "ID", &a.party,
                       "ISO 3166-1 alpha-3 code of a state, or an organisation (AU, UN...)"),
        CLI_OPT_STRING("--role", "ROLE", &a.role,
                       "delegate, mediator, secretariat or observer (reads only)"),
        CLI_OPT_STRING("--name", "NAME", &a.name, "the delegate's name"),
        CLI_OPT_STRING("--pubkey", "KEY", &a.pubkey,
                       "the delegate's Ed25519 public key (base64, or a verifier key)"),
        CLI_OPT_STRING("--pubkey-file", "FILE", &a.pubkey_file,
                       "the .pub file written by `gsi keygen`"),
        CLI_OPT_WORDS(&a.words),
        CLI_OPT_END(),
    };
    const struct cli_command cmd = { "delegate", delegate_usage, delegate_epilog, opts };
    if (argc < 2 || cli_is_help(argv[1])) {
        cli_help(&cmd, argc < 2 ? stderr : stdout);
        return argc < 2 ? GSI_EXIT_USAGE : GSI_EXIT_OK;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "add") != 0 && strcmp(sub, "revoke") != 0 && strcmp(sub, "list") != 0) {
        return cli_usage_error("delegate", "unknown subcommand '%s' (add, revoke, list)", sub);
    }
    const char *positional;
    int st = cli_parse_word(&positional, &cmd, argc, argv, 2, NULL);
    if (st >= 0) {
        return st;
    }
    int64_t id = 0;
    if (strcmp(sub, "revoke") == 0 &&
        (positional == NULL || gsi_parse_i64(&id, positional, strlen(positional)) < 0 || id < 1)) {
        return cli_usage_error("delegate", "revoke needs the delegate's id (a number)");
    }
    if (strcmp(sub, "revoke") != 0 && positional != NULL) {
        return cli_usage_error("delegate", "unexpected argument '%s'", positional);
    }
    struct gsi_err err = GSI_ERR_INIT;
    struct platform *p;
    if (platform_open(&p, &a.o, &err) < 0) {
        return cli_fail(&err);
    }
    int rc;
    if (strcmp(sub, "add") == 0) {
        rc = do_add(p, &a, &err);
    } else if (strcmp(sub, "list") == 0) {
        rc = do_list(p, &a, &err);
    } else {
        rc = platform_delegate_revoke(p, id, &err);
        if (rc == 0) {
            printf("delegate %lld revoked\n", (long long)id);
        }
    }
    platform_close(p);
    if (rc == GSI_EUSAGE) {
        return cli_usage_error("delegate", "%s", err.msg);
    }
    return rc < 0 ? cli_fail(&err) : GSI_EXIT_OK;
}
