/* cli.c — helpers shared by the subcommands (see cli.h). */
#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "core/buf.h"
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
    bool std = path == NULL || strcmp(path, "-") == 0;
    const char *name = std ? "standard input" : path;
    FILE *f = std ? stdin : fopen(path, "rb");
    if (f == NULL) {
        return gsi_err_set(err, GSI_EIO, "%s: %s", name, strerror(errno));
    }
    struct gsi_buf b;
    gsi_buf_init(&b, max + 1);
    char chunk[65536];
    size_t n;
    int rc = 0;
    while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        rc = gsi_buf_append(&b, chunk, n);
    }
    if (rc == 0 && ferror(f)) {
        rc = gsi_err_set(err, GSI_EIO, "%s: read error", name);
    } else if (rc < 0 || b.len > max) {
        rc = gsi_err_set(err, GSI_ELIMIT, "%s: more than %zu bytes", name, max);
    }
    if (!std) {
        fclose(f);
    }
    if (rc < 0) {
        gsi_buf_release(&b);
        return rc;
    }
    if (gsi_buf_reserve(&b, 1) < 0) { /* data is NUL-terminated once allocated */
        gsi_buf_release(&b);
        return gsi_err_set(err, GSI_ENOMEM, "%s: out of memory", name);
    }
    *out = gsi_buf_take(&b, len);
    return 0;
}
