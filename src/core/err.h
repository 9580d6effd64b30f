/*
 * err.h — status codes and the error record every fallible function fills.
 *
 * Convention (docs/internals/core.md): a function returns 0 on success or a negative GSI_E*
 * code, and on failure fills the caller's `struct gsi_err`. The record carries the code, a
 * message written for the person who must act on it, and where the input was bad: file,
 * line and column (line/column 0 when unknown).
 *
 * One table, GSI_ERRORS, maps each code to its name, the process exit status and the HTTP
 * status it stands for, so the CLI and the API never disagree about what an error means.
 *
 *     struct gsi_err err = GSI_ERR_INIT;
 *     if (events_read(..., &err) < 0) {
 *         gsi_err_print(&err, "gsi");
 *         return gsi_err_exit_status(err.code);
 *     }
 */
#ifndef GSI_CORE_ERR_H
#define GSI_CORE_ERR_H

#include <stddef.h>

/* X(name, value, exit status, HTTP status, short description) */
#define GSI_ERRORS(X)                                               \
    X(GSI_OK, 0, 0, 200, "success")                                 \
    X(GSI_EUSAGE, -1, 2, 400, "usage error")                        \
    X(GSI_EDATA, -2, 65, 422, "bad input data")                     \
    X(GSI_ELIMIT, -3, 65, 413, "input exceeds a limit")             \
    X(GSI_EIO, -4, 1, 500, "input/output error")                    \
    X(GSI_ENOMEM, -5, 1, 503, "out of memory")                      \
    X(GSI_ENOTFOUND, -6, 1, 404, "not found")                       \
    X(GSI_EFORBIDDEN, -7, 1, 403, "forbidden")                      \
    X(GSI_EAUTH, -8, 1, 401, "not authenticated")                   \
    X(GSI_ECONFLICT, -9, 1, 409, "conflict with the current state") \
    X(GSI_EDB, -10, 1, 500, "database error")                       \
    X(GSI_ECRYPTO, -11, 1, 500, "cryptographic failure")            \
    X(GSI_EVERIFY, -12, 1, 409, "verification failed")              \
    X(GSI_EINTERNAL, -13, 1, 500, "internal error")

enum gsi_status {
#define GSI_ERR_ENUM(name, value, exit_status, http_status, desc) name = (value),
    GSI_ERRORS(GSI_ERR_ENUM)
#undef GSI_ERR_ENUM
};

#define GSI_ERR_MSG_MAX  512
#define GSI_ERR_FILE_MAX 256

struct gsi_err {
    int code;                    /* 0 or a negative GSI_E* value */
    char file[GSI_ERR_FILE_MAX]; /* input file the error is about, "" if none */
    long line;                   /* 1-based line in `file`, 0 if unknown */
    long column;               /* 1-based column (field number for delimited text), 0 if unknown */
    char msg[GSI_ERR_MSG_MAX]; /* what went wrong and what was expected */
};

#define GSI_ERR_INIT    \
    {                   \
        0, "", 0, 0, "" \
    }

/* Clears `err` back to GSI_OK. */
void gsi_err_clear(struct gsi_err *err);

/* Sets code and message (printf format); returns `code` so callers can `return gsi_err_set(...)`.
 * `err` may be NULL. */
int gsi_err_set(struct gsi_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* As gsi_err_set, and records where in which input file the problem is. */
int gsi_err_at(struct gsi_err *err, int code, const char *file, long line, long column,
               const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Writes "FILE:LINE: message" (or "prog: message" with no file) to `buf`, at most `cap` bytes
 * including the NUL. Returns `buf`. */
char *gsi_err_format(char *buf, size_t cap, const struct gsi_err *err);

/* Prints the formatted error on standard error, prefixed by `prog` when there is no file. */
void gsi_err_print(const struct gsi_err *err, const char *prog);

const char *gsi_err_name(int code);     /* "GSI_EDATA" */
const char *gsi_err_describe(int code); /* "bad input data" */
int gsi_err_exit_status(int code);      /* 0, 1, 2 or 65 */
int gsi_err_http_status(int code);      /* 200, 400, 404, ... */

/* A broken invariant: the program cannot go on. Never used for bad input. */
#define GSI_BUG(msg) gsi_bug(__FILE__, __LINE__, (msg))
_Noreturn void gsi_bug(const char *file, int line, const char *msg);

#endif
