/* tlog_io.c — a tiled log in a directory or behind http (see tlog_io.h). */
#include "cli/tlog_io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/file.h"
#include "http/client.h"
#include "journal/journal.h"

void tlog_source_init(struct tlog_source *s, const char *base)
{
    s->base = base;
    s->is_url = strncmp(base, "http://", 7) == 0 || strncmp(base, "https://", 8) == 0;
}

static size_t base_len(const char *base)
{
    size_t n = strlen(base);
    while (n > 1 && base[n - 1] == '/') {
        n--;
    }
    return n;
}

int tlog_file_read(struct gsi_buf *out, const char *file, struct gsi_err *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc = gsi_file_read(file, &text, &len, out->max, err);
    if (rc == 0) {
        rc = gsi_buf_append(out, text, len);
    }
    if (text != NULL) {
        explicit_bzero(text, len); /* it may be a secret key (the witness's) */
    }
    free(text);
    return rc;
}

int tlog_source_fetch(void *ctx, const char *path, struct gsi_buf *out, struct gsi_err *err)
{
    const struct tlog_source *s = ctx;
    char full[4096];
    int n = snprintf(full, sizeof full, "%.*s/%s", (int)base_len(s->base), s->base, path);
    if (n < 0 || (size_t)n >= sizeof full) {
        return gsi_err_set(err, GSI_EUSAGE, "%s: path too long", s->base);
    }
    if (!s->is_url) {
        return tlog_file_read(out, full, err);
    }
    struct http_client_resp r;
    http_client_resp_init(&r, out->max);
    int rc = http_client_do(&r, "GET", full, NULL, NULL, 0, 30, err);
    if (rc == 0 && r.status == 404) {
        rc = gsi_err_set(err, GSI_ENOTFOUND, "%s: 404", full);
    } else if (rc == 0 && r.status != 200) {
        rc = gsi_err_set(err, GSI_EIO, "%s: HTTP status %d", full, r.status);
    } else if (rc == 0 &&
               gsi_buf_append(out, r.body.data != NULL ? r.body.data : "", r.body.len) < 0) {
        rc = gsi_err_set(err, GSI_ELIMIT, "%s: larger than %zu bytes", full, out->max);
    }
    http_client_resp_release(&r);
    return rc;
}

/* mkdir -p of the directory part of `file`. */
static int make_parents(char *file, struct gsi_err *err)
{
    for (char *p = file + 1; *p != '\0'; p++) {
        if (*p != '/') {
            continue;
        }
        *p = '\0';
        int bad = mkdir(file, 0755) < 0 && errno != EEXIST;
        int saved = errno;
        *p = '/';
        if (bad) {
            return gsi_err_set(err, GSI_EIO, "cannot make the directory for %s: %s", file,
                               strerror(saved));
        }
    }
    return 0;
}

int tlog_file_write(const char *dir, const char *path, const void *data, size_t len,
                    struct gsi_err *err)
{
    char file[4096];
    char tmp[4200];
    int n = snprintf(file, sizeof file, "%.*s/%s", (int)base_len(dir), dir, path);
    if (n < 0 || (size_t)n >= sizeof file) {
        return gsi_err_set(err, GSI_EUSAGE, "%s: path too long", dir);
    }
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", file, (long)getpid());
    int rc = make_parents(file, err);
    if (rc < 0) {
        return rc;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return gsi_err_set(err, GSI_EIO, "%s: %s", tmp, strerror(errno));
    }
    const char *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            rc = gsi_err_set(err, GSI_EIO, "%s: %s", tmp, strerror(errno));
            break;
        }
        p += w;
        left -= (size_t)w;
    }
    if (close(fd) < 0 && rc == 0) {
        rc = gsi_err_set(err, GSI_EIO, "%s: %s", tmp, strerror(errno));
    }
    if (rc == 0 && rename(tmp, file) < 0) {
        rc = gsi_err_set(err, GSI_EIO, "%s: %s", file, strerror(errno));
    }
    if (rc < 0) {
        unlink(tmp);
    }
    return rc;
}

static int policy_load(struct journal_policy *pol, const char *file, struct gsi_err *err)
{
    struct gsi_buf text;
    gsi_buf_init(&text, JOURNAL_POLICY_BYTES);
    int rc = tlog_file_read(&text, file, err);
    if (rc == 0) {
        rc = journal_policy_parse(pol, text.data, text.len, file, err);
    }
    gsi_buf_release(&text);
    return rc;
}

int tlog_policy_log_key(struct journal_note_verifier *v, const char *vkey, const char *policy,
                        struct gsi_err *err)
{
    if (vkey != NULL) {
        struct gsi_buf text;
        gsi_buf_init(&text, 4096);
        const char *s = vkey;
        size_t len = strlen(vkey);
        int rc = 0;
        if (strchr(vkey, '+') == NULL) {
            rc = tlog_file_read(&text, vkey, err);
            s = text.data;
            len = text.len;
            while (rc == 0 && len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r')) {
                len--;
            }
        }
        if (rc == 0) {
            rc = journal_note_verifier_parse(v, s, len, err);
        }
        gsi_buf_release(&text);
        return rc;
    }
    struct journal_policy *pol = malloc(sizeof *pol);
    if (pol == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    int rc = policy_load(pol, policy, err);
    if (rc == 0 && !pol->has_log) {
        rc = gsi_err_set(err, GSI_EDATA, "%s: no 'log VKEY' line, and no --vkey given", policy);
    }
    if (rc == 0) {
        *v = pol->log;
    }
    free(pol);
    return rc;
}

int tlog_policy_check(size_t *valid, const char *policy, const char *note, size_t len,
                      struct gsi_err *err)
{
    struct journal_policy *pol = malloc(sizeof *pol);
    if (pol == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    int rc = policy_load(pol, policy, err);
    if (rc == 0) {
        rc = journal_policy_check(valid, pol, note, len, err);
    }
    free(pol);
    return rc;
}
