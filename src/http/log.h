/*
 * log.h — the server's error log on standard error, with repeated lines rate-limited.
 *
 * A flood of connections or failing requests would otherwise write a line each (a probe
 * once made the server write half a million lines in a minute). Lines are grouped by their
 * format string: each format may print HTTP_LOG_BURST lines per second; the rest of that
 * second are counted, and the next line of that format first says how many were dropped.
 *
 *     http_log("gsi serve: %s %s: %s", method, path, err.msg);
 *
 * Thread-safe. The clock and the stream can be replaced for tests (http_log_setup).
 */
#ifndef GSI_HTTP_LOG_H
#define GSI_HTTP_LOG_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#define HTTP_LOG_BURST 10u /* lines of one format per second */
#define HTTP_LOG_KEYS  32u /* formats tracked at once; more share the last slot */

/* Writes one line (a newline is added) unless its format is over its rate. */
void http_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void http_log_v(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Sends the log to `out` (NULL: stderr) and reads seconds from `clock` (NULL: the real
 * clock, CLOCK_MONOTONIC); forgets every count. */
void http_log_setup(FILE *out, int64_t (*clock)(void));

#endif
