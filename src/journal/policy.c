/* policy.c — witness policies: parsing, and counting a checkpoint's valid cosignatures against
 * a quorum (see cosig.h). */
#include <stdio.h>
#include <string.h>

#include "journal/cosig.h"

/* The next whitespace-separated word of [*s, end) (advances *s). */
static size_t word(const char **w, const char **s, const char *end)
{
    while (*s < end && (**s == ' ' || **s == '\t')) {
        (*s)++;
    }
    *w = *s;
    while (*s < end && **s != ' ' && **s != '\t') {
        (*s)++;
    }
    return (size_t)(*s - *w);
}

static int policy_line(struct journal_policy *p, const char *s, const char *end, long line,
                       const char *name, struct gsi_err *err)
{
    const char *kw;
    const char *a;
    const char *b;
    size_t kl = word(&kw, &s, end);
    size_t al = word(&a, &s, end);
    size_t bl = word(&b, &s, end);
    const char *extra;
    size_t xl = word(&extra, &s, end);
    if (kl == 0) {
        return 0; /* blank */
    }
    struct gsi_err e2 = GSI_ERR_INIT;
    if (kl == 3 && memcmp(kw, "log", 3) == 0 && al > 0 && bl == 0) {
        if (p->has_log) {
            return gsi_err_set(err, GSI_EDATA, "%s:%ld: a second 'log' line", name, line);
        }
        if (journal_note_verifier_parse(&p->log, a, al, &e2) < 0) {
            return gsi_err_set(err, GSI_EDATA, "%s:%ld: log key: %s", name, line, e2.msg);
        }
        p->has_log = 1;
        return 0;
    }
    if (kl == 7 && memcmp(kw, "witness", 7) == 0 && al > 0 && xl == 0) {
        if (p->nwitnesses == JOURNAL_POLICY_MAX) {
            return gsi_err_set(err, GSI_ELIMIT, "%s:%ld: more than %d witnesses", name, line,
                               JOURNAL_POLICY_MAX);
        }
        struct journal_policy_witness *w = &p->witnesses[p->nwitnesses];
        if (journal_cosig_verifier_parse(&w->key, a, al, &e2) < 0) {
            return gsi_err_set(err, GSI_EDATA, "%s:%ld: witness key: %s", name, line, e2.msg);
        }
        if (bl >= sizeof w->url || (bl > 0 && (bl < 8 || memcmp(b, "http://", 7) != 0))) {
            return gsi_err_set(err, GSI_EDATA, "%s:%ld: witness URL must be http://... (under %zu bytes)",
                               name, line, sizeof w->url);
        }
        memcpy(w->url, b, bl);
        w->url[bl] = '\0';
        for (size_t i = 0; i < p->nwitnesses; i++) {
            if (strcmp(p->witnesses[i].key.name, w->key.name) == 0 &&
                p->witnesses[i].key.id == w->key.id) {
                return gsi_err_set(err, GSI_EDATA, "%s:%ld: witness %s given twice", name, line,
                                   w->key.name);
            }
        }
        p->nwitnesses++;
        return 0;
    }
    if (kl == 6 && memcmp(kw, "quorum", 6) == 0 && al > 0 && al <= 2 && bl == 0) {
        size_t k = 0;
        for (size_t i = 0; i < al; i++) {
            if (a[i] < '0' || a[i] > '9') {
                k = 0;
                break;
            }
            k = k * 10 + (size_t)(a[i] - '0');
        }
        if (k == 0 || p->quorum != 0) {
            return gsi_err_set(err, GSI_EDATA, "%s:%ld: quorum must be one number from 1 to %d",
                               name, line, JOURNAL_POLICY_MAX);
        }
        p->quorum = k;
        return 0;
    }
    return gsi_err_set(err, GSI_EDATA,
                       "%s:%ld: expected 'log VKEY', 'witness VKEY [URL]' or 'quorum K'", name,
                       line);
}

int journal_config_lines(const char *text, size_t len, const char *name,
                        journal_config_line_fn fn, void *ctx, struct gsi_err *err)
{
    if (len > JOURNAL_POLICY_BYTES) {
        return gsi_err_set(err, GSI_ELIMIT, "%s: larger than %u bytes", name, JOURNAL_POLICY_BYTES);
    }
    const char *end = text + len;
    long line = 0;
    for (const char *s = text; s < end;) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *le = nl != NULL ? nl : end;
        const char *hash = memchr(s, '#', (size_t)(le - s));
        const char *ce = hash != NULL ? hash : le;
        while (ce > s && (ce[-1] == '\r' || ce[-1] == ' ' || ce[-1] == '\t')) {
            ce--;
        }
        while (s < ce && (*s == ' ' || *s == '\t')) {
            s++;
        }
        line++;
        int rc = ce > s ? fn(ctx, s, ce, line, err) : 0;
        if (rc < 0) {
            return rc;
        }
        s = le + (nl != NULL ? 1 : 0);
    }
    return 0;
}

struct policy_ctx {
    struct journal_policy *p;
    const char *name;
};

static int policy_line_fn(void *ctx, const char *s, const char *end, long line,
                          struct gsi_err *err)
{
    const struct policy_ctx *c = ctx;
    return policy_line(c->p, s, end, line, c->name, err);
}

int journal_policy_parse(struct journal_policy *p, const char *text, size_t len, const char *name,
                         struct gsi_err *err)
{
    memset(p, 0, sizeof *p);
    struct policy_ctx c = { .p = p, .name = name };
    int rc = journal_config_lines(text, len, name, policy_line_fn, &c, err);
    if (rc < 0) {
        return rc;
    }
    if (p->quorum > p->nwitnesses) {
        return gsi_err_set(err, GSI_EDATA, "%s: quorum %zu but only %zu witnesses", name,
                           p->quorum, p->nwitnesses);
    }
    return 0;
}

int journal_policy_check(size_t *valid, const struct journal_policy *p, const char *note,
                         size_t len, struct gsi_err *err)
{
    *valid = 0;
    /* The text ends at the last blank line; the signature lines follow (signed-note). */
    const char *sep = NULL;
    for (size_t i = 0; i + 1 < len; i++) {
        if (note[i] == '\n' && note[i + 1] == '\n') {
            sep = note + i;
        }
    }
    if (sep == NULL) {
        return gsi_err_set(err, GSI_EDATA, "not a signed note (no blank line)");
    }
    size_t body_len = (size_t)(sep - note) + 1;
    const char *end = note + len;
    int seen[JOURNAL_POLICY_MAX] = { 0 };
    for (const char *s = sep + 2; s < end;) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *le = nl != NULL ? nl : end;
        for (size_t w = 0; w < p->nwitnesses; w++) {
            uint64_t ts = 0;
            struct gsi_err e2 = GSI_ERR_INIT;
            if (!seen[w] && journal_cosig_verify(&ts, &p->witnesses[w].key, s, (size_t)(le - s),
                                                 note, body_len, &e2) == 0) {
                seen[w] = 1;
                (*valid)++;
            }
        }
        s = le + 1;
    }
    size_t need = p->quorum > 0 ? p->quorum : p->nwitnesses;
    if (*valid < need) {
        return gsi_err_set(err, GSI_EVERIFY,
                           "checkpoint has %zu valid cosignatures of the %zu needed (%zu witnesses)",
                           *valid, need, p->nwitnesses);
    }
    return 0;
}
