/* witness_submit.c — the witness side of `gsi serve` and the log's submitter (see
 * witness_submit.h). */
#include "cli/witness_submit.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/tlog_io.h"
#include "core/text.h"
#include "http/client.h"
#include "journal/journal.h"
#include "platform/platform.h"

#define ROUND_MS  200  /* how often the submitter looks for a new checkpoint */
#define RETRY_MS  1000 /* how soon it tries again when a witness did not cosign */
#define TIMEOUT_S 10   /* per read or write on a witness's connection */

struct witness_serve {
    struct platform *p;
    struct journal_policy pol;
    uint64_t known[JOURNAL_POLICY_MAX]; /* the size each witness holds, as last learnt */
    bool failing[JOURNAL_POLICY_MAX];   /* its last submission failed (and was reported) */
    uint64_t done_size;                 /* every witness cosigned this size */
    bool running;
    bool stopping;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

static int file_text(struct gsi_buf *out, const char *file, struct gsi_err *err)
{
    int rc = tlog_file_read(out, file, err);
    while (rc == 0 && out->len > 0 &&
           (out->data[out->len - 1] == '\n' || out->data[out->len - 1] == '\r')) {
        out->data[--out->len] = '\0';
    }
    return rc;
}

static int witness_setup(struct platform *p, const char *key_file, const char *logs_file,
                         struct gsi_err *err)
{
    struct gsi_buf key;
    struct gsi_buf logs;
    gsi_buf_init(&key, 4096);
    gsi_buf_init(&logs, JOURNAL_POLICY_BYTES);
    int rc = file_text(&key, key_file, err);
    if (rc == 0) {
        rc = tlog_file_read(&logs, logs_file, err);
    }
    if (rc == 0) {
        rc = platform_witness_configure(p, key.data, key.len, key_file, logs.data, logs.len,
                                        logs_file, err);
    }
    if (key.data != NULL) {
        explicit_bzero(key.data, key.cap); /* the witness's secret key */
    }
    gsi_buf_release(&key);
    gsi_buf_release(&logs);
    return rc;
}

/* The note text (origin, size, root, extensions) of a signed note: up to its last blank
 * line, that line's first newline included. */
static size_t note_text_len(const char *note, size_t len)
{
    size_t text = 0;
    for (size_t i = 0; i + 1 < len; i++) {
        if (note[i] == '\n' && note[i + 1] == '\n') {
            text = i + 1;
        }
    }
    return text;
}

/* Appends to `merged` the lines of `resp` that are valid cosignatures by witness `w`. */
static size_t take_cosigs(struct gsi_buf *merged, const struct journal_policy_witness *w,
                          const struct gsi_buf *resp, const char *note, size_t text_len)
{
    size_t n = 0;
    const char *end = resp->data + resp->len;
    for (const char *s = resp->data; s != NULL && s < end;) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *le = nl != NULL ? nl : end;
        uint64_t ts = 0;
        struct gsi_err e2 = GSI_ERR_INIT;
        if (journal_cosig_verify(&ts, &w->key, s, (size_t)(le - s), note, text_len, &e2) == 0 &&
            gsi_buf_append(merged, s, (size_t)(le - s)) == 0 && gsi_buf_putc(merged, '\n') == 0) {
            n++;
        }
        s = le + 1;
    }
    return n;
}

/* One witness: POST the checkpoint with a proof from the size it holds, learning that size
 * from a 409 and trying once more. Appends its valid cosignatures to `merged`. */
static int submit_one(struct witness_serve *ws, size_t wi, struct gsi_buf *merged,
                      const struct gsi_buf *note, uint64_t size, struct gsi_err *err)
{
    const struct journal_policy_witness *w = &ws->pol.witnesses[wi];
    char url[JOURNAL_POLICY_URL_MAX + 32];
    size_t ul = strlen(w->url);
    while (ul > 0 && w->url[ul - 1] == '/') {
        ul--;
    }
    snprintf(url, sizeof url, "%.*s/add-checkpoint", (int)ul, w->url);
    size_t text_len = note_text_len(note->data, note->len);
    struct gsi_buf body;
    gsi_buf_init(&body, JOURNAL_WITNESS_BODY_MAX);
    struct http_client_resp r;
    http_client_resp_init(&r, 1u << 16);
    int rc = gsi_err_set(err, GSI_ECONFLICT, "%s: keeps answering 409", url);
    for (int attempt = 0; attempt < 3 && rc == GSI_ECONFLICT; attempt++) {
        uint64_t old = ws->known[wi];
        if (old > size) {
            rc = gsi_err_set(err, GSI_ECONFLICT,
                             "%s holds size %" PRIu64 ", past this log's %" PRIu64
                             " (was the log rolled back?)",
                             url, old, size);
            break;
        }
        uint8_t proof[PLATFORM_PROOF_MAX][PLATFORM_HASH_SIZE];
        size_t plen = 0;
        rc = old > 0 && old < size
                 ? platform_journal_proof_consistency(ws->p, proof, &plen, old, size, err)
                 : 0;
        gsi_buf_reset(&body);
        if (rc == 0) {
            rc = journal_witness_request_format(&body, old, (const uint8_t(*)[32])proof, plen,
                                                note->data, note->len, err);
        }
        if (rc == 0) {
            rc = http_client_do(&r, "POST", url, "text/plain", body.data, body.len, TIMEOUT_S, err);
        }
        if (rc < 0) {
            break;
        }
        if (r.status == 409) {
            int64_t held_i = 0;
            size_t bl = r.body.len;
            while (bl > 0 && (r.body.data[bl - 1] == '\n' || r.body.data[bl - 1] == '\r')) {
                bl--;
            }
            if (bl == 0 || gsi_parse_i64(&held_i, r.body.data, bl) < 0 || held_i < 0) {
                rc = gsi_err_set(err, GSI_EDATA, "%s: 409 without a size", url);
                break;
            }
            uint64_t held = (uint64_t)held_i;
            rc = gsi_err_set(err, GSI_ECONFLICT,
                             "%s: holds size %" PRIu64 " and refuses %" PRIu64 " (a fork?)", url,
                             held, size);
            if (held == old) {
                break; /* refused with the size we sent: the same size with another root */
            }
            ws->known[wi] = held;
        } else if (r.status != 200) {
            rc = gsi_err_set(err, GSI_EVERIFY, "%s: HTTP %d: %.200s", url, r.status,
                             r.body.data != NULL ? r.body.data : "");
        } else if (take_cosigs(merged, w, &r.body, note->data, text_len) == 0) {
            rc = gsi_err_set(err, GSI_EVERIFY, "%s: no valid cosignature by %s in the answer", url,
                             w->key.name);
        } else {
            ws->known[wi] = size;
            rc = 0;
        }
    }
    http_client_resp_release(&r);
    gsi_buf_release(&body);
    return rc;
}

int witness_serve_round(struct witness_serve *ws, struct gsi_err *err)
{
    struct gsi_buf note;
    struct gsi_buf merged;
    gsi_buf_init(&note, JOURNAL_NOTE_MAX_BYTES);
    gsi_buf_init(&merged, JOURNAL_NOTE_MAX_BYTES);
    struct journal_checkpoint cp;
    memset(&cp, 0, sizeof cp);
    int rc = platform_journal_checkpoint(ws->p, &note, err);
    if (rc == 0) {
        rc = journal_checkpoint_parse(&cp, note.data, note_text_len(note.data, note.len), err);
    }
    if (rc == 0 && cp.size == ws->done_size) {
        goto out; /* nothing new */
    }
    if (rc == 0) {
        rc = gsi_buf_append(&merged, note.data, note.len);
    }
    int failed = 0;
    for (size_t i = 0; rc == 0 && i < ws->pol.nwitnesses; i++) {
        struct gsi_err e2 = GSI_ERR_INIT;
        if (submit_one(ws, i, &merged, &note, cp.size, &e2) < 0) {
            failed++;
            if (!ws->failing[i]) {
                ws->failing[i] = true;
                fprintf(stderr, "gsi serve: witness %s did not cosign size %" PRIu64 ": %s\n",
                        ws->pol.witnesses[i].key.name, cp.size, e2.msg);
            }
        } else if (ws->failing[i]) {
            ws->failing[i] = false;
            fprintf(stderr, "gsi serve: witness %s cosigns again (size %" PRIu64 ")\n",
                    ws->pol.witnesses[i].key.name, cp.size);
        }
    }
    if (rc == 0) {
        rc = platform_journal_cosigned_put(ws->p, cp.size, merged.data, merged.len, err);
    }
    if (rc == 0 && failed > 0) {
        rc = gsi_err_set(err, GSI_EVERIFY, "%d of %zu witnesses did not cosign size %" PRIu64,
                         failed, ws->pol.nwitnesses, cp.size);
    } else if (rc == 0) {
        ws->done_size = cp.size;
    }
out:
    journal_checkpoint_release(&cp);
    gsi_buf_release(&merged);
    gsi_buf_release(&note);
    return rc;
}

static void *submitter_main(void *arg)
{
    struct witness_serve *ws = arg;
    pthread_mutex_lock(&ws->mu);
    while (!ws->stopping) {
        pthread_mutex_unlock(&ws->mu);
        struct gsi_err err = GSI_ERR_INIT;
        int rc = witness_serve_round(ws, &err);
        long ms = rc == 0 ? ROUND_MS : RETRY_MS;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += ms / 1000;
        until.tv_nsec += (ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_mutex_lock(&ws->mu);
        while (!ws->stopping && pthread_cond_timedwait(&ws->cv, &ws->mu, &until) != ETIMEDOUT) {
        }
    }
    pthread_mutex_unlock(&ws->mu);
    return NULL;
}

int witness_serve_start(struct witness_serve **out, struct platform *p, const char *key_file,
                        const char *logs_file, const char *policy_file, struct gsi_err *err)
{
    *out = NULL;
    if ((key_file == NULL) != (logs_file == NULL)) {
        return gsi_err_set(err, GSI_EUSAGE, "--witness-key and --witness-logs go together");
    }
    int rc = key_file != NULL ? witness_setup(p, key_file, logs_file, err) : 0;
    if (rc < 0 || policy_file == NULL) {
        return rc;
    }
    struct witness_serve *ws = calloc(1, sizeof *ws);
    if (ws == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    ws->p = p;
    struct gsi_buf text;
    gsi_buf_init(&text, JOURNAL_POLICY_BYTES);
    rc = tlog_file_read(&text, policy_file, err);
    if (rc == 0) {
        rc = journal_policy_parse(&ws->pol, text.data, text.len, policy_file, err);
    }
    gsi_buf_release(&text);
    if (rc == 0 && ws->pol.nwitnesses == 0) {
        /* Submitting to no one would serve checkpoints as if witnessed. */
        rc = gsi_err_set(err, GSI_EDATA, "%s: names no witness (\"witness VKEY URL\" lines)",
                         policy_file);
    }
    for (size_t i = 0; rc == 0 && i < ws->pol.nwitnesses; i++) {
        if (ws->pol.witnesses[i].url[0] == '\0') {
            rc = gsi_err_set(err, GSI_EDATA, "%s: witness %s has no URL to submit to", policy_file,
                             ws->pol.witnesses[i].key.name);
        }
    }
    if (rc < 0) {
        free(ws);
        return rc;
    }
    pthread_mutex_init(&ws->mu, NULL);
    pthread_cond_init(&ws->cv, NULL);
    if (pthread_create(&ws->thread, NULL, submitter_main, ws) != 0) {
        witness_serve_stop(ws);
        return gsi_err_set(err, GSI_ENOMEM, "cannot start the witness submitter");
    }
    ws->running = true;
    *out = ws;
    return 0;
}

void witness_serve_stop(struct witness_serve *ws)
{
    if (ws == NULL) {
        return;
    }
    if (ws->running) {
        pthread_mutex_lock(&ws->mu);
        ws->stopping = true;
        pthread_cond_broadcast(&ws->cv);
        pthread_mutex_unlock(&ws->mu);
        pthread_join(ws->thread, NULL);
    }
    pthread_cond_destroy(&ws->cv);
    pthread_mutex_destroy(&ws->mu);
    free(ws);
}
