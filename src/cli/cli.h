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
#include <stdint.h>
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

/*
 * Declared options (git's parse-options model). A command describes its options in one table;
 * cli_parse() reads argv against it, and the --help text, the types, the ranges and the error
 * messages all come from that table:
 *
 *     static int64_t top = 10;
 *     static const char *votes;
 *     static struct cli_words files;
 *     const struct cli_option opts[] = {
 *         CLI_OPT_STRING("--votes", "FILE", &votes, "votes, one a row"),
 *         CLI_OPT_INT("--top", "N", &top, 0, 1000000, "statements listed (default 10)"),
 *         CLI_OPT_WORDS(&files),
 *         CLI_OPT_END(),
 *     };
 *     static const struct cli_command cmd = { "consensus", usage_text, epilog_text, opts };
 *     int st = cli_parse(&cmd, argc, argv, NULL);
 *     if (st >= 0) return st;     // --help printed (0) or a usage error reported (2)
 *
 * An option is "--name VALUE" or "--name=VALUE"; a flag takes no value. Each value is checked
 * as it is read, in argv order (a later repetition overrides an earlier one), and a bad one is
 * reported as "gsi CMD: --top must be a whole number from 0 to 1000000, not 'x'". A word not
 * starting with '-' (or "-" alone, or anything after "--") is positional: it goes to the
 * table's CLI_OPT_WORDS entry, or is an "unknown argument" when the table has none. The macros
 * check the type of the pointer they are given at compile time.
 */
enum cli_opt_type {
    CLI_TYPE_END,
    CLI_TYPE_FLAG,   /* bool *: set to true */
    CLI_TYPE_STRING, /* const char **: the value as given */
    CLI_TYPE_INT,    /* int64_t *: a whole number in [min, max] */
    CLI_TYPE_U64,    /* uint64_t *: an unsigned whole number in [umin, umax] */
    CLI_TYPE_DOUBLE, /* double *: a finite decimal number in [dmin, dmax] */
    CLI_TYPE_CHOICE, /* int *: the index of the value in `choices` */
    CLI_TYPE_FUNC,   /* func(option, value, ctx) checks and stores the value */
    CLI_TYPE_WORDS,  /* struct cli_words *: the positional words, in order */
};

struct cli_option;
/* Checks and stores `value` (through opt->ctx). Returns 0, or reports a usage error itself
 * (cli_usage_error(cmd, ...)) and returns GSI_EXIT_USAGE. */
typedef int (*cli_opt_func)(const struct cli_option *opt, const char *cmd, const char *value);

struct cli_option {
    enum cli_opt_type type;
    const char *name; /* "--votes" */
    const char *arg;  /* the value's placeholder in --help ("FILE"); NULL for a flag */
    const char *help; /* the --help line; '\n' continues it on the next line, aligned */
    void *value;
    int64_t min, max;
    uint64_t umin, umax;
    double dmin, dmax;
    const char *const *choices; /* CHOICE: NULL-terminated */
    cli_opt_func func;
    void *ctx;
};

/* Positional words, collected by cli_parse (pointers into argv); free `v` with free(). */
struct cli_words {
    const char **v;
    size_t n, cap;
};

#define CLI_TYPED_PTR(type, p) ((void *)(1 ? (p) : (type *)0)) /* p must be a type * */
#define CLI_OPT_END()        \
    {                        \
        .type = CLI_TYPE_END \
    }
#define CLI_OPT_FLAG(n, p, h)                                                            \
    {                                                                                    \
        .type = CLI_TYPE_FLAG, .name = (n), .help = (h), .value = CLI_TYPED_PTR(bool, p) \
    }
#define CLI_OPT_STRING(n, a, p, h)                                     \
    {                                                                  \
        .type = CLI_TYPE_STRING, .name = (n), .arg = (a), .help = (h), \
        .value = CLI_TYPED_PTR(const char *, p)                        \
    }
#define CLI_OPT_INT(n, a, p, lo, hi, h)                              \
    {                                                                \
        .type = CLI_TYPE_INT, .name = (n), .arg = (a), .help = (h),  \
        .value = CLI_TYPED_PTR(int64_t, p), .min = (lo), .max = (hi) \
    }
#define CLI_OPT_U64(n, a, p, lo, hi, h)                                 \
    {                                                                   \
        .type = CLI_TYPE_U64, .name = (n), .arg = (a), .help = (h),     \
        .value = CLI_TYPED_PTR(uint64_t, p), .umin = (lo), .umax = (hi) \
    }
#define CLI_OPT_DOUBLE(n, a, p, lo, hi, h)                             \
    {                                                                  \
        .type = CLI_TYPE_DOUBLE, .name = (n), .arg = (a), .help = (h), \
        .value = CLI_TYPED_PTR(double, p), .dmin = (lo), .dmax = (hi)  \
    }
#define CLI_OPT_CHOICE(n, a, p, list, h)                               \
    {                                                                  \
        .type = CLI_TYPE_CHOICE, .name = (n), .arg = (a), .help = (h), \
        .value = CLI_TYPED_PTR(int, p), .choices = (list)              \
    }
#define CLI_OPT_FUNC(n, a, f, c, h)                                                          \
    {                                                                                        \
        .type = CLI_TYPE_FUNC, .name = (n), .arg = (a), .help = (h), .func = (f), .ctx = (c) \
    }
/* The --db option of every command that opens the database (struct platform_opts's db). */
#define CLI_OPT_DB(p) \
    CLI_OPT_STRING("--db", "URL", p, "./gsi.db (default), a SQLite path, or postgresql://...")
#define CLI_OPT_WORDS(p)                                                    \
    {                                                                       \
        .type = CLI_TYPE_WORDS, .value = CLI_TYPED_PTR(struct cli_words, p) \
    }

struct cli_command {
    const char *name;                 /* "consensus", for messages */
    const char *usage;                /* what --help prints before "Options:" */
    const char *epilog;               /* what it prints after them (examples, exit status) */
    const struct cli_option *options; /* ends with CLI_OPT_END() */
};

/* Reads argv[first..argc) against cmd->options. Returns -1 to go on, GSI_EXIT_OK after printing
 * --help, GSI_EXIT_USAGE after reporting a usage error, GSI_EXIT_FAILURE when memory for the
 * positional words ran out. */
int cli_parse(const struct cli_command *cmd, int argc, char **argv, int first);
/* cli_parse for a command that takes one positional word at the most (a file, a directory, an
 * id): *word is that word (a pointer into argv) or NULL when none was given, and the table's
 * CLI_OPT_WORDS list is freed. A second word, when cli_parse went on, is a usage error:
 * `too_many` as the message, or "unknown argument 'WORD'" when it is NULL. Returns what
 * cli_parse returns otherwise. */
int cli_parse_word(const char **word, const struct cli_command *cmd, int argc, char **argv,
                   int first, const char *too_many);
/* Takes the value of option `name` at argv[*i] ("--name VALUE" or "--name=VALUE"). Returns
 * the value and advances *i past it, or NULL when argv[*i] is not that option. Sets *missing
 * when the option is there but its value is not. For commands not yet on an option table. */
const char *cli_opt(int argc, char **argv, int *i, const char *name, bool *missing);
/* Parses `value` of option `name` as a whole number in lo..hi (decimal digits with an optional
 * sign, nothing else). Prints a usage error and returns -1 otherwise. */
int cli_int(long *out, const char *cmd, const char *name, const char *value, long lo, long hi);

/* Prints the --help text generated from the table on `out`. */
void cli_help(const struct cli_command *cmd, FILE *out);
/* Parses --format's value; prints a usage error and returns -1 when it is not valid. */
int cli_format(enum gsi_format *out, const char *cmd, const char *value);
/* The option table's entry for --format (table, csv or json) into an enum gsi_format. */
int cli_format_func(const struct cli_option *opt, const char *cmd, const char *value);
#define CLI_OPT_FORMAT(p, h)                                                  \
    {                                                                         \
        .type = CLI_TYPE_FUNC, .name = "--format", .arg = "FMT", .help = (h), \
        .func = cli_format_func, .ctx = CLI_TYPED_PTR(enum gsi_format, p)     \
    }

/* Reads all of `path` ("-" or NULL: standard input), at most `max` bytes, into *out
 * (malloc'd, NUL-terminated, length in *len). GSI_EIO naming the path, GSI_ELIMIT past `max`.
 * Through gsi_file_read: a FIFO with no writer reads as empty instead of blocking. */
int cli_read_all(char **out, size_t *len, const char *path, size_t max, struct gsi_err *err);

#endif
