/* platform_witness.c — this server as a C2SP tlog-witness for other logs (the state it keeps
 * per log, the checks, the cosignature), and the log's own checkpoints with the cosignatures
 * its witnesses returned. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal/journal.h"
#include "platform/internal.h"

struct platform_witness_cfg {
    struct journal_note_signer signer;
    struct journal_witness_logs logs;
};

void platform_witness_cfg_free(struct platform_witness_cfg *w)
{
    if (w != NULL) {
        journal_note_signer_release(&w->signer);
        free(w);
    }
}

int platform_witness_configure(struct platform *p, const char *skey, size_t skey_len,
                               const char *skey_name, const char *logs, size_t logs_len,
                               const char *logs_name, struct gsi_err *err)
{
    struct platform_witness_cfg *w = calloc(1, sizeof *w);
    if (w == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    struct gsi_err kerr = GSI_ERR_INIT;
    int rc = journal_note_signer_parse(&w->signer, skey, skey_len, &kerr);
    if (rc < 0) {
        free(w);
        return gsi_err_at(err, rc, skey_name, 0, 0, "%s", kerr.msg);
    }
    rc = journal_witness_logs_parse(&w->logs, logs, logs_len, logs_name, err);
    if (rc == 0 && w->logs.n == 0) {
        /* A witness of nothing would serve as if configured. */
        rc = gsi_err_at(err, GSI_EDATA, logs_name, 0, 0,
                        "names no log: expected \"log VKEY\" lines");
    }
    if (rc < 0) {
        platform_witness_cfg_free(w);
        return rc;
    }
    platform_witness_cfg_free(p->witness);
    p->witness = w;
    return 0;
}

int platform_witness_vkey(struct platform *p, struct gsi_buf *out, struct gsi_err *err)
{
    if (p->witness == NULL) {
        return gsi_err_set(err, GSI_ENOTFOUND, "this server is not a witness");
    }
    return journal_cosig_verifier_format(out, p->witness->signer.name, p->witness->signer.key.pub,
                                         err);
}

/* One add-checkpoint's compare-and-set, run inside a write transaction so that two requests
 * for one log are serialised (the spec's race). */
struct advance {
    const struct journal_witness_request *req;
    const struct journal_checkpoint *cp;
    const char *note;
    size_t note_len;
    uint64_t stored_size; /* out: the size held before (for a 409) */
};

static int advance_apply(struct platform *p, struct pw_batch *b, void *ctx, struct gsi_err *err)
{
    (void)p;
    struct advance *a = ctx;
    struct store_val key[] = { STORE_TEXT(a->cp->origin) };
    struct store_rows *r;
    int rc =
        store_query(b->s, &r, "SELECT size, root FROM witness_logs WHERE origin = ?", key, 1, err);
    if (rc < 0) {
        return rc;
    }
    uint8_t root[PLATFORM_HASH_SIZE] = { 0 };
    bool known = store_rows_count(r) > 0;
    a->stored_size = known ? (uint64_t)store_rows_int(r, 0, 0) : 0;
    if (known) {
        rc = platform_unhex(root, store_rows_text(r, 0, 1), store_rows_len(r, 0, 1), err);
    }
    store_rows_free(r);
    if (rc == 0) {
        rc = journal_witness_decide(a->req, a->cp->size, a->cp->root, a->stored_size, root, err);
    }
    if (rc < 0) {
        return rc;
    }
    char hex[PLATFORM_HEX_MAX];
    char now[PLATFORM_TIME_MAX];
    platform_hex(hex, a->cp->root);
    platform_time_format(now, b->now_us);
    struct store_val v[] = { STORE_INT((int64_t)a->cp->size), STORE_TEXT(hex),
                             STORE_TEXTN(a->note, a->note_len), STORE_TEXT(now),
                             STORE_TEXT(a->cp->origin) };
    return store_exec(b->s,
                      known ? "UPDATE witness_logs SET size = ?, root = ?, note = ?, updated = ?"
                              " WHERE origin = ?"
                            : "INSERT INTO witness_logs (size, root, note, updated, origin)"
                              " VALUES (?, ?, ?, ?, ?)",
                      v, 5, err);
}

/* The log `origin` names, among those this witness follows: the first line of the note. */
static const struct journal_note_verifier *log_for(const struct platform_witness_cfg *w,
                                                   const char *note, size_t len)
{
    const char *nl = memchr(note, '\n', len);
    size_t n = nl != NULL ? (size_t)(nl - note) : 0;
    for (size_t i = 0; i < w->logs.n; i++) {
        if (strlen(w->logs.logs[i].name) == n && memcmp(w->logs.logs[i].name, note, n) == 0) {
            return &w->logs.logs[i];
        }
    }
    return NULL;
}

int platform_witness_add_checkpoint(struct platform *p, struct gsi_buf *out, const char *body,
                                    size_t len, int64_t now_s, struct gsi_err *err)
{
    const struct platform_witness_cfg *w = p->witness;
    if (w == NULL) {
        return gsi_err_set(err, GSI_ENOTFOUND, "this server is not a witness");
    }
    struct journal_witness_request *req = malloc(sizeof *req);
    if (req == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    int rc = journal_witness_request_parse(req, body, len, err);
    const struct journal_note_verifier *logv = NULL;
    if (rc == 0 && (logv = log_for(w, req->checkpoint, req->checkpoint_len)) == NULL) {
        rc = gsi_err_set(err, GSI_ENOTFOUND, "this witness does not follow that log's origin");
    }
    struct journal_checkpoint cp;
    struct journal_note note;
    memset(&cp, 0, sizeof cp);
    memset(&note, 0, sizeof note);
    if (rc == 0) {
        rc = journal_checkpoint_open(&cp, &note, req->checkpoint, req->checkpoint_len, logv->name,
                                     logv, 1, err);
        if (rc == GSI_EVERIFY) {
            rc = gsi_err_set(err, GSI_EFORBIDDEN, "no signature by the log's key: %s", err->msg);
        } else if (rc < 0) {
            rc = gsi_err_set(err, GSI_EUSAGE, "not a checkpoint: %s", err->msg);
        }
    }
    struct advance a = {
        .req = req, .cp = &cp, .note = req->checkpoint, .note_len = req->checkpoint_len
    };
    if (rc == 0) {
        rc = platform_write(p, advance_apply, &a, NULL, err);
        if (rc == GSI_ECONFLICT) {
            /* The answer to a 409 is the size this witness holds (text/x.tlog.size). */
            gsi_buf_appendf(out, "%llu\n", (unsigned long long)a.stored_size);
        }
    }
    if (rc == 0) {
        rc = journal_cosig_sign(out, &w->signer, (uint64_t)now_s, note.text, note.text_len, err);
    }
    journal_note_release(&note);
    journal_checkpoint_release(&cp);
    free(req);
    return rc;
}

/* --- the log's checkpoints with their cosignatures --- */

struct cosigned {
    uint64_t size;
    const char *note;
    size_t len;
};

static int cosigned_apply(struct platform *p, struct pw_batch *b, void *ctx, struct gsi_err *err)
{
    (void)p;
    const struct cosigned *c = ctx;
    struct store_val v[] = { STORE_INT((int64_t)c->size), STORE_TEXTN(c->note, c->len) };
    return store_exec(b->s,
                      "INSERT INTO journal_cosigned (size, note) VALUES (?, ?)"
                      " ON CONFLICT (size) DO UPDATE SET note = excluded.note",
                      v, 2, err);
}

int platform_journal_cosigned_put(struct platform *p, uint64_t size, const char *note, size_t len,
                                  struct gsi_err *err)
{
    struct cosigned c = { .size = size, .note = note, .len = len };
    return platform_write(p, cosigned_apply, &c, NULL, err);
}

int platform_journal_cosigned(struct platform *p, struct gsi_buf *note, struct gsi_err *err)
{
    struct store_rows *r;
    int rc = platform_query(p, &r, "SELECT note FROM journal_cosigned ORDER BY size DESC LIMIT 1",
                            NULL, 0, err);
    if (rc < 0) {
        return rc;
    }
    if (store_rows_count(r) == 0) {
        rc = gsi_err_set(err, GSI_ENOTFOUND, "no checkpoint has been submitted to witnesses");
    } else if (gsi_buf_append(note, store_rows_text(r, 0, 0), store_rows_len(r, 0, 0)) < 0) {
        rc = gsi_err_set(err, GSI_ELIMIT, "cosigned checkpoint too long");
    }
    store_rows_free(r);
    return rc;
}
