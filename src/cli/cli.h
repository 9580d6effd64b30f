/*
 * cli.h — what every `gsi` subcommand shares: the command table, option parsing helpers and
 * the rules for exit statuses.
 *
 * A subcommand is `int cmd_<name>(int argc, char **argv)`, where argv[0] is the subcommand's
 * name. It returns the process exit status: 0 success, 1 runtime failure, 2 usage error,
 * 65 bad input data (gsi_err_exit_status maps a GSI_E* code to it).
 */
#ifndef GSI_CLI_CLI_H
#define GSI_CLI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "core/err.h"
#include "core/table.h"

#define GSI_EXIT_OK      0
#define GSI_EXIT_FAILURE 1
#define GSI_EXIT_USAGE   2
#define GSI_EXIT_DATA    65

/* X(name, function, one-line summary). Add a subcommand by adding a line here and its
 * cmd_<name>.c to src/cli/meson.build. */
#define GSI_COMMANDS(X)                                                                    \
    X("events", cmd_events,                                                                \
      "summarize and convert conflict event data (GDELT, UCDP, ICEWS, ViEWS)")             \
    X("consensus", cmd_consensus,                                                          \
      "opinion groups, common ground and differences from votes (Polis)")                  \
    X("warn", cmd_warn, "forecast conflict fatalities, score them and brief on hotspots")  \
    X("init", cmd_init, "create or upgrade the database and seed the parties")             \
    X("keygen", cmd_keygen, "make an Ed25519 key pair for a delegate")                     \
    X("delegate", cmd_delegate, "add, revoke or list the delegates who act for a party")   \
    X("journal", cmd_journal, "verify the signed journal, or print its latest checkpoint") \
    X("serve", cmd_serve, "serve the HTTP API (JSON) and the journal on ADDR:PORT")         \
    X("cooperation", cmd_cooperation,                                                      \
      "match offers and requests of assistance; allocate training places fairly")          \
    X("sign", cmd_sign, "sign an agreement's canonical bytes with a delegate's key")        \
    X("agreement", cmd_agreement, "export an agreement's bundle, or verify one offline")    \
    X("witness", cmd_witness, "make a witness's cosigning key (C2SP tlog-witness)")         \
    X("notify", cmd_notify, "send a confidence-building notification from a JSON file")     \
    X("consultation", cmd_consultation, "import a Polis export as an open consultation")

#define GSI_CMD_DECL(name, fn, summary) int fn(int argc, char **argv);
GSI_COMMANDS(GSI_CMD_DECL)
#undef GSI_CMD_DECL

/* Prints "gsi <cmd>: message" and a hint to run --help; returns GSI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints the error and returns its exit status. */
int cli_fail(const struct gsi_err *err);

/* True when argv[i] is "--help" or "-h". */
bool cli_is_help(const char *arg);

/* Takes the value of option `name` at argv[*i] ("--name VALUE" or "--name=VALUE"). Returns
 * the value and advances *i past it, or NULL when argv[*i] is not that option. Sets *missing
 * when the option is there but its value is not. */
const char *cli_opt(int argc, char **argv, int *i, const char *name, bool *missing);

/* Parses `value` of option `name` as a whole number in lo..hi (decimal digits with an optional
 * sign, nothing else). Prints a usage error and returns -1 otherwise. */
int cli_int(long *out, const char *cmd, const char *name, const char *value, long lo, long hi);

/* Parses --format's value; prints a usage error and returns -1 when it is not valid. */
int cli_format(enum gsi_format *out, const char *cmd, const char *value);

/* Reads all of `path` ("-" or NULL: standard input), at most `max` bytes, into *out
 * (malloc'd, NUL-terminated, length in *len). GSI_EIO naming the path, GSI_ELIMIT past `max`. */
int cli_read_all(char **out, size_t *len, const char *path, size_t max, struct gsi_err *err);

#endif
