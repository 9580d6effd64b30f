/* err.c — the status table and error records (see err.h). */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct err_row {
    int code;
    const char *name;
    int exit_status;
    int http_status;
    const char *desc;
};

static const struct err_row err_rows[] = {
#define GSI_ERR_ROW(name, value, exit_status, http_status, desc) \
    { value, #name, exit_status, http_status, desc },
    GSI_ERRORS(GSI_ERR_ROW)
#undef GSI_ERR_ROW
};

static const struct err_row *err_row(int code)
{
    for (size_t i = 0; i < sizeof err_rows / sizeof err_rows[0]; i++) {
        if (err_rows[i].code == code) {
            return &err_rows[i];
        }
    }
    return &err_rows[sizeof err_rows / sizeof err_rows[0] - 1]; /* GSI_EINTERNAL */
}

void gsi_err_clear(struct gsi_err *err)
{
    if (err != NULL) {
        memset(err, 0, sizeof *err);
    }
}

/* Fills every field of `err` (not NULL); the message first, so `file` may be a string that
 * the format's arguments also use. */
static void err_vset(struct gsi_err *err, int code, const char *file, long line, long column,
                     const char *fmt, va_list ap)
{
    err->code = code;
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    snprintf(err->file, sizeof err->file, "%s", file != NULL ? file : "");
    err->line = line;
    err->column = column;
}

int gsi_err_set(struct gsi_err *err, int code, const char *fmt, ...)
{
    if (err == NULL) {
        return code;
    }
    va_list ap;
    va_start(ap, fmt);
    err_vset(err, code, NULL, 0, 0, fmt, ap);
    va_end(ap);
    return code;
}

int gsi_err_at(struct gsi_err *err, int code, const char *file, long line, long column,
               const char *fmt, ...)
{
    if (err == NULL) {
        return code;
    }
    va_list ap;
    va_start(ap, fmt);
    err_vset(err, code, file, line, column, fmt, ap);
    va_end(ap);
    return code;
}

char *gsi_err_format(char *buf, size_t cap, const struct gsi_err *err)
{
    if (cap == 0) {
        return buf;
    }
    const char *msg = err->msg[0] != '\0' ? err->msg : gsi_err_describe(err->code);
    if (err->file[0] != '\0' && err->line > 0 && err->column > 0) {
        snprintf(buf, cap, "%s:%ld: field %ld: %s", err->file, err->line, err->column, msg);
    } else if (err->file[0] != '\0' && err->line > 0) {
        snprintf(buf, cap, "%s:%ld: %s", err->file, err->line, msg);
    } else if (err->file[0] != '\0') {
        snprintf(buf, cap, "%s: %s", err->file, msg);
    } else {
        snprintf(buf, cap, "%s", msg);
    }
    return buf;
}

void gsi_err_print(const struct gsi_err *err, const char *prog)
{
    char line[GSI_ERR_MSG_MAX + GSI_ERR_FILE_MAX + 64];
    gsi_err_format(line, sizeof line, err);
    if (err->file[0] != '\0') {
        fprintf(stderr, "%s\n", line);
    } else {
        fprintf(stderr, "%s: %s\n", prog, line);
    }
}

const char *gsi_err_name(int code)
{
    return err_row(code)->name;
}

const char *gsi_err_describe(int code)
{
    return err_row(code)->desc;
}

int gsi_err_exit_status(int code)
{
    return err_row(code)->exit_status;
}

int gsi_err_http_status(int code)
{
    return err_row(code)->http_status;
}

_Noreturn void gsi_bug(const char *file, int line, const char *msg)
{
    fprintf(stderr, "gsi: internal error at %s:%d: %s\n", file, line, msg);
    abort();
}
