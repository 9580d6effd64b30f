/* cli.c — helpers shared by the subcommands (see cli.h). */
#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/file.h"
#include "core/text.h"

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "gsi %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'gsi %s --help'.\n", cmd);
    return GSI_EXIT_USAGE;
}

int cli_fail(const struct gsi_err *err)
{
    gsi_err_print(err, "gsi");
    return gsi_err_exit_status(err->code);
}

bool cli_is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

const char *cli_opt(int argc, char **argv, int *i, const char *name, bool *missing)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    *missing = false;
    if (strncmp(a, name, n) != 0) {
        return NULL;
    }
    if (a[n] == '=') {
        return a + n + 1;
    }
    if (a[n] != '\0') {
        return NULL;
    }
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    *i += 1;
    return argv[*i];
}

int cli_int(long *out, const char *cmd, const char *name, const char *value, long lo, long hi)
{
    int64_t v;
    if (gsi_parse_i64(&v, value, strlen(value)) < 0 || v < lo || v > hi) {
        cli_usage_error(cmd, "%s must be a whole number from %ld to %ld, not '%s'", name, lo, hi,
                        value);
        return -1;
    }
    *out = (long)v;
    return 0;
}

int cli_format(enum gsi_format *out, const char *cmd, const char *value)
{
    if (gsi_format_parse(out, value) < 0) {
        cli_usage_error(cmd, "--format must be table, csv or json, not '%s'", value);
        return -1;
    }
    return 0;
}

int cli_read_all(char **out, size_t *len, const char *path, size_t max, struct gsi_err *err)
{
    if (path == NULL || strcmp(path, "-") == 0) {
        return gsi_fd_read(STDIN_FILENO, "standard input", out, len, max, err);
    }
    return gsi_file_read(path, out, len, max, err);
}

int cli_format_func(const struct cli_option *opt, const char *cmd, const char *value)
{
    return cli_format(opt->ctx, cmd, value) < 0 ? GSI_EXIT_USAGE : 0;
}

/* --- the option table --- */

static int take_int(const struct cli_option *o, const char *cmd, const char *v)
{
    int64_t n;
    if (gsi_parse_i64(&n, v, strlen(v)) < 0 || n < o->min || n > o->max) {
        return cli_usage_error(cmd, "%s must be a whole number from %lld to %lld, not '%s'",
                               o->name, (long long)o->min, (long long)o->max, v);
    }
    *(int64_t *)o->value = n;
    return 0;
}

static int take_u64(const struct cli_option *o, const char *cmd, const char *v)
{
    uint64_t n;
    if (gsi_parse_u64(&n, v, strlen(v)) < 0 || n < o->umin || n > o->umax) {
        return cli_usage_error(cmd, "%s must be a whole number from %llu to %llu, not '%s'",
                               o->name, (unsigned long long)o->umin, (unsigned long long)o->umax,
                               v);
    }
    *(uint64_t *)o->value = n;
    return 0;
}

static int take_double(const struct cli_option *o, const char *cmd, const char *v)
{
    double d;
    if (gsi_parse_f64(&d, v, strlen(v)) < 0 || !(d >= o->dmin && d <= o->dmax)) {
        return cli_usage_error(cmd, "%s must be a number from %g to %g, not '%s'", o->name, o->dmin,
                               o->dmax, v);
    }
    *(double *)o->value = d;
    return 0;
}

static int take_choice(const struct cli_option *o, const char *cmd, const char *v)
{
    char list[256] = "";
    size_t used = 0;
    for (int i = 0; o->choices[i] != NULL; i++) {
        if (strcmp(o->choices[i], v) == 0) {
            *(int *)o->value = i;
            return 0;
        }
        int k = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", o->choices[i]);
        if (k > 0 && (size_t)k < sizeof list - used) {
            used += (size_t)k;
        }
    }
    return cli_usage_error(cmd, "%s must be one of %s, not '%s'", o->name, list, v);
}

/* Stores `value` for option `o`. Returns 0 or GSI_EXIT_USAGE (reported). */
static int take(const struct cli_option *o, const char *cmd, const char *value)
{
    switch (o->type) {
    case CLI_TYPE_STRING:
        *(const char **)o->value = value;
        return 0;
    case CLI_TYPE_INT:
        return take_int(o, cmd, value);
    case CLI_TYPE_U64:
        return take_u64(o, cmd, value);
    case CLI_TYPE_DOUBLE:
        return take_double(o, cmd, value);
    case CLI_TYPE_CHOICE:
        return take_choice(o, cmd, value);
    case CLI_TYPE_FUNC:
        return o->func(o, cmd, value);
    default:
        GSI_BUG("option type takes no value");
    }
}

/* The entry for argv[i] ("--name", "--name=VALUE"); *inline_value points past '=' if any. */
static const struct cli_option *find(const struct cli_option *opts, const char *arg,
                                     const char **inline_value)
{
    *inline_value = NULL;
    for (const struct cli_option *o = opts; o->type != CLI_TYPE_END; o++) {
        if (o->name == NULL) {
            continue;
        }
        size_t n = strlen(o->name);
        if (strncmp(arg, o->name, n) == 0 && (arg[n] == '\0' || arg[n] == '=')) {
            *inline_value = arg[n] == '=' ? arg + n + 1 : NULL;
            return o;
        }
    }
    return NULL;
}

static int add_word(const struct cli_command *cmd, const char *word)
{
    const struct cli_option *o = cmd->options;
    while (o->type != CLI_TYPE_END && o->type != CLI_TYPE_WORDS) {
        o++;
    }
    if (o->type == CLI_TYPE_END) {
        return cli_usage_error(cmd->name, "unknown argument '%s'", word);
    }
    struct cli_words *w = o->value;
    if (GSI_ALLOC_GROW(w->v, w->n + 1, w->cap, 8) < 0) {
        fprintf(stderr, "gsi %s: out of memory\n", cmd->name);
        return GSI_EXIT_FAILURE;
    }
    w->v[w->n++] = word;
    return 0;
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv, int first)
{
    bool words_only = false;
    for (int i = first; i < argc; i++) {
        const char *arg = argv[i], *value;
        int rc;
        if (words_only || arg[0] != '-' || arg[1] == '\0') {
            rc = add_word(cmd, arg);
        } else if (strcmp(arg, "--") == 0) {
            words_only = true;
            continue;
        } else if (cli_is_help(arg)) {
            cli_help(cmd, stdout);
            return GSI_EXIT_OK;
        } else {
            const struct cli_option *o = find(cmd->options, arg, &value);
            if (o == NULL) {
                return cli_usage_error(cmd->name, "unknown option '%s'", arg);
            }
            if (o->type == CLI_TYPE_FLAG) {
                if (value != NULL) {
                    return cli_usage_error(cmd->name, "%s takes no value", o->name);
                }
                *(bool *)o->value = true;
                continue;
            }
            if (value == NULL && i + 1 >= argc) {
                return cli_usage_error(cmd->name, "%s needs a value", arg);
            }
            rc = take(o, cmd->name, value != NULL ? value : argv[++i]);
        }
        if (rc != 0) {
            return rc;
        }
    }
    return -1;
}

int cli_parse_word(const char **word, const struct cli_command *cmd, int argc, char **argv,
                   int first, const char *too_many)
{
    struct cli_words *w = NULL;
    for (const struct cli_option *o = cmd->options; o->type != CLI_TYPE_END; o++) {
        if (o->type == CLI_TYPE_WORDS) {
            w = o->value;
        }
    }
    int st = cli_parse(cmd, argc, argv, first);
    if (st < 0 && w != NULL && w->n > 1) {
        st = too_many != NULL ? cli_usage_error(cmd->name, "%s", too_many)
                              : cli_usage_error(cmd->name, "unknown argument '%s'", w->v[1]);
    }
    *word = w != NULL && w->n > 0 ? w->v[0] : NULL;
    if (w != NULL) {
        free(w->v);
        w->v = NULL;
        w->n = w->cap = 0;
    }
    return st;
}

/* One option's --help entry: "  --name ARG" padded to `col`, then the help, whose '\n's start
 * continuation lines at the same column. */
static void help_line(FILE *out, const char *left, const char *help, int col)
{
    int w = fprintf(out, "  %s", left);
    if (w + 2 > col) {
        fprintf(out, "\n%*s", col, "");
    } else {
        fprintf(out, "%*s", col - w, "");
    }
    for (const char *p = help; *p; p++) {
        fputc(*p, out);
        if (*p == '\n') {
            fprintf(out, "%*s", col, "");
        }
    }
    fputc('\n', out);
}

void cli_help(const struct cli_command *cmd, FILE *out)
{
    char left[128];
    int col = (int)strlen("  -h, --help") + 2;
    for (const struct cli_option *o = cmd->options; o->type != CLI_TYPE_END; o++) {
        if (o->name != NULL) {
            int w = snprintf(left, sizeof left, "  %s%s%s", o->name, o->arg ? " " : "",
                             o->arg ? o->arg : "");
            col = w + 2 > col ? w + 2 : col;
        }
    }
    fputs(cmd->usage, out);
    fputs("\nOptions:\n", out);
    for (const struct cli_option *o = cmd->options; o->type != CLI_TYPE_END; o++) {
        if (o->name != NULL) {
            snprintf(left, sizeof left, "%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
            help_line(out, left, o->help, col);
        }
    }
    help_line(out, "-h, --help", "show this help", col);
    if (cmd->epilog != NULL) {
        fputc('\n', out);
        fputs(cmd->epilog, out);
    }
}
