/* platform.c — opening and closing a platform: paths, the log key, the connection pool, the
 * checkpoint file outside the database and the check that the database is not behind it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/date.h"
#include "core/file.h"
#include "core/hex.h"
#include "core/text.h"
#include "platform/internal.h"

#define KEY_FILE_MAX 4096

void platform_opts_init(struct platform_opts *o)
{
    memset(o, 0, sizeof *o);
}

const char *platform_backend(const struct platform *p)
{
    return p->url.backend == STORE_POSTGRES ? "postgresql" : "sqlite";
}

int platform_paths(struct platform *p, const struct platform_opts *o, struct gsi_err *err)
{
    int rc = store_url_parse(&p->url, o->db, err);
    if (rc < 0) {
        return rc;
    }
    const char *base = p->url.backend == STORE_SQLITE ? p->url.conninfo : "./gsi-log";
    int n1 = o->key_path ? snprintf(p->key_path, sizeof p->key_path, "%s", o->key_path)
                         : snprintf(p->key_path, sizeof p->key_path, "%s.key", base);
    int n2 = o->checkpoint_path
                 ? snprintf(p->checkpoint_path, sizeof p->checkpoint_path, "%s", o->checkpoint_path)
                 : snprintf(p->checkpoint_path, sizeof p->checkpoint_path, "%s.checkpoint", base);
    if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof p->key_path ||
        (size_t)n2 >= sizeof p->checkpoint_path) {
        return gsi_err_set(err, GSI_EUSAGE, "key or checkpoint path longer than %d bytes",
                           PLATFORM_PATH_MAX - 1);
    }
    snprintf(p->origin, sizeof p->origin, "%s", o->origin ? o->origin : "gsi.local/log");
    p->batch_max = o->batch_max ? o->batch_max : PLATFORM_BATCH_DEFAULT;
    p->clock = o->clock;
    p->clock_ctx = o->clock_ctx;
    return 0;
}

/* --- small helpers shared by the platform's files --- */

int64_t platform_now_us(void)
{
    return gsi_time_now_us();
}

int64_t platform_clock_now(const struct platform *p)
{
    return p->clock != NULL ? p->clock(p->clock_ctx) : platform_now_us();
}

void platform_time_format(char out[PLATFORM_TIME_MAX], int64_t us)
{
    gsi_time_format_us(out, us);
}

void platform_hex(char out[PLATFORM_HEX_MAX], const uint8_t h[PLATFORM_HASH_SIZE])
{
    gsi_hex_encode(out, h, PLATFORM_HASH_SIZE);
}

int platform_unhex(uint8_t out[PLATFORM_HASH_SIZE], const char *s, size_t n, struct gsi_err *err)
{
    if (n != (size_t)2 * PLATFORM_HASH_SIZE) {
        return gsi_err_set(err, GSI_EDATA, "expected 64 hex digits, got %zu characters", n);
    }
    if (gsi_hex_decode(out, PLATFORM_HASH_SIZE, s, n) < 0) {
        return gsi_err_set(err, GSI_EDATA, "expected lower-case hex digits");
    }
    return 0;
}

int platform_rows_collect_ctx(struct store_rows *r, size_t size, platform_row_fill_ctx fill,
                              void *ctx, platform_elem_release release, void **out, size_t *n,
                              struct gsi_err *err)
{
    *out = NULL;
    *n = 0;
    size_t count = store_rows_count(r);
    unsigned char *list = calloc(count ? count : 1, size);
    if (list == NULL) {
        store_rows_free(r);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < count; i++) {
        int rc = fill(list + i * size, ctx, r, i, err);
        if (rc < 0) {
            for (size_t j = 0; release != NULL && j < i; j++) {
                release(list + j * size);
            }
            free(list);
            store_rows_free(r);
            return rc;
        }
    }
    store_rows_free(r);
    *out = list;
    *n = count;
    return 0;
}

/* The context platform_rows_collect hands platform_rows_collect_ctx: the plain fill. */
struct plain_fill {
    platform_row_fill fill;
};

static int plain_fill_call(void *elem, void *ctx, const struct store_rows *r, size_t row,
                           struct gsi_err *err)
{
    return ((const struct plain_fill *)ctx)->fill(elem, r, row, err);
}

int platform_rows_collect(struct store_rows *r, size_t size, platform_row_fill fill,
                          platform_elem_release release, void **out, size_t *n, struct gsi_err *err)
{
    struct plain_fill pf = { fill };
    return platform_rows_collect_ctx(r, size, plain_fill_call, &pf, release, out, n, err);
}

int platform_row_fill_id(void *elem, const struct store_rows *r, size_t row, struct gsi_err *err)
{
    (void)err;
    snprintf(elem, PLATFORM_ID_MAX, "%s", store_rows_text(r, row, 0));
    return 0;
}

int platform_check_party_id(const char *id, struct gsi_err *err)
{
    size_t n = id ? strlen(id) : 0;
    if (n < 2 || n >= PLATFORM_ID_MAX) {
        return gsi_err_set(err, GSI_EUSAGE, "party id must be 2 to %d characters",
                           PLATFORM_ID_MAX - 1);
    }
    if (strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != n) {
        return gsi_err_set(err, GSI_EUSAGE,
                           "party id '%s': expected upper-case letters, digits and '-'", id);
    }
    return 0;
}

int platform_check_type(const char *type, struct gsi_err *err)
{
    size_t n = type ? strlen(type) : 0;
    if (n < 1 || n >= PLATFORM_TYPE_MAX) {
        return gsi_err_set(err, GSI_EUSAGE, "act type must be 1 to %d characters",
                           PLATFORM_TYPE_MAX - 1);
    }
    if (strspn(type, "abcdefghijklmnopqrstuvwxyz0123456789._-") != n) {
        return gsi_err_set(err, GSI_EUSAGE, "act type '%.63s': expected [a-z0-9._-]", type);
    }
    return 0;
}

int platform_check_name(const char *what, const char *name, struct gsi_err *err)
{
    size_t n = name ? strlen(name) : 0;
    if (n < 1 || n >= PLATFORM_NAME_MAX) {
        return gsi_err_set(err, GSI_EUSAGE, "%s must be 1 to %d bytes", what,
                           PLATFORM_NAME_MAX - 1);
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < 0x20 || c == 0x7f) {
            return gsi_err_set(err, GSI_EUSAGE, "%s must not hold control characters", what);
        }
    }
    return 0;
}

/* --- the connection pool --- */

int platform_conn_get(struct platform *p, struct store **out, struct gsi_err *err)
{
    pthread_mutex_lock(&p->pool_mu);
    if (p->nidle > 0) {
        *out = p->idle[--p->nidle];
        pthread_mutex_unlock(&p->pool_mu);
        return 0;
    }
    pthread_mutex_unlock(&p->pool_mu);
    char db[STORE_URL_MAX + 8];
    snprintf(db, sizeof db, "%s%s", p->url.backend == STORE_SQLITE ? "sqlite:" : "",
             p->url.conninfo);
    return store_open(out, db, err);
}

void platform_conn_put(struct platform *p, struct store *s, bool broken)
{
    if (s == NULL) {
        return;
    }
    if (store_in_transaction(s)) {
        store_rollback(s);
    }
    pthread_mutex_lock(&p->pool_mu);
    if (!broken && p->nidle < PLATFORM_POOL_MAX) {
        p->idle[p->nidle++] = s;
        s = NULL;
    }
    pthread_mutex_unlock(&p->pool_mu);
    store_close(s);
}

int platform_query(struct platform *p, struct store_rows **r, const char *sql,
                   const struct store_val *v, size_t nv, struct gsi_err *err)
{
    struct store *s;
    int rc = platform_conn_get(p, &s, err);
    if (rc < 0) {
        return rc;
    }
    rc = store_query(s, r, sql, v, nv, err);
    platform_conn_put(p, s, rc < 0);
    return rc;
}

/* --- files --- */

int platform_checkpoint_file_update(struct platform *p, bool force, struct gsi_err *err)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    int64_t now = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
    pthread_mutex_lock(&p->file_mu);
    pthread_mutex_lock(&p->wmu);
    char *note = NULL;
    uint64_t size = p->last_note_size;
    if (p->last_note != NULL && size > p->file_size &&
        (force || now - p->file_time_ns >= PLATFORM_FILE_INTERVAL_NS)) {
        note = strdup(p->last_note);
    }
    pthread_mutex_unlock(&p->wmu);
    int rc = 0;
    if (note != NULL) {
        /* Another process on the same PostgreSQL database may have written a newer
         * checkpoint of the same log: never step the file back. (Its signature is checked
         * when the file is read; here only its size line matters.) */
        char *cur = NULL;
        size_t len = 0;
        struct gsi_err ignore = GSI_ERR_INIT;
        if (gsi_file_read(p->checkpoint_path, &cur, &len, PLATFORM_CHECKPOINT_FILE_MAX, &ignore) ==
            0) {
            const char *nl = memchr(cur, '\n', len);
            int64_t have = 0;
            if (nl != NULL) {
                const char *end = memchr(nl + 1, '\n', len - (size_t)(nl + 1 - cur));
                if (end != NULL && gsi_parse_i64(&have, nl + 1, (size_t)(end - nl - 1)) == 0 &&
                    have >= 0 && (uint64_t)have >= size) {
                    p->file_size = (uint64_t)have;
                    free(note);
                    note = NULL;
                }
            }
            free(cur);
        }
    }
    if (note != NULL) {
        rc = gsi_file_write_atomic(p->checkpoint_path, note, strlen(note), 0644, err);
        if (rc == 0) {
            p->file_size = size;
            p->file_time_ns = now;
        }
        free(note);
    }
    pthread_mutex_unlock(&p->file_mu);
    return rc;
}

/* --- the log key --- */
/* What to tell the user when the database is missing or empty: the command that makes it. A
 * PostgreSQL URL is not repeated (it may hold a password). */
static int db_hint(char *out, size_t cap, const struct platform *p)
{
    if (p->url.backend == STORE_SQLITE) {
        return snprintf(out, cap, "run gsi init --db %s", p->url.conninfo);
    }
    return snprintf(out, cap, "run gsi init with the same --db URL");
}

static int not_initialised(const struct platform *p, struct gsi_err *err)
{
    char hint[STORE_URL_MAX + 64];
    db_hint(hint, sizeof hint, p);
    if (p->url.backend == STORE_SQLITE) {
        return gsi_err_set(err, GSI_ENOTFOUND, "the database %s is not initialised: %s",
                           p->url.conninfo, hint);
    }
    return gsi_err_set(err, GSI_ENOTFOUND, "the database is not initialised: %s", hint);
}

static int meta_get(struct store *s, const char *key, char **out, struct gsi_err *err)
{
    struct store_val v[] = { STORE_TEXT(key) };
    struct store_rows *r;
    int rc = store_query(s, &r, "SELECT value FROM meta WHERE key = ?", v, 1, err);
    if (rc < 0) {
        return rc;
    }
    if (store_rows_count(r) == 0) {
        store_rows_free(r);
        /* The code itself, not gsi_err_set's value: see gsi_file_read. */
        gsi_err_set(err, GSI_ENOTFOUND, "meta '%s' not set", key);
        return GSI_ENOTFOUND;
    }
    *out = strdup(store_rows_text(r, 0, 0));
    store_rows_free(r);
    return *out ? 0 : gsi_err_set(err, GSI_ENOMEM, "out of memory");
}

/* Loads the verifier from the database and, when the key file is there, the signer; checks
 * that the two belong together. */
static int load_keys(struct platform *p, struct store *s, struct gsi_err *err)
{
    char *vkey = NULL;
    int rc = meta_get(s, "log_vkey", &vkey, err);
    if (rc == GSI_ENOTFOUND) {
        return not_initialised(p, err);
    }
    if (rc < 0) {
        return rc;
    }
    rc = journal_note_verifier_parse(&p->verifier, vkey, strlen(vkey), err);
    free(vkey);
    if (rc < 0) {
        return rc;
    }
    snprintf(p->origin, sizeof p->origin, "%s", p->verifier.name);
    char *skey = NULL;
    size_t len = 0;
    struct gsi_err kerr = GSI_ERR_INIT;
    if (gsi_file_read(p->key_path, &skey, &len, KEY_FILE_MAX, &kerr) < 0) {
        return 0; /* no key: this process can read and verify, not write */
    }
    while (len > 0 && (skey[len - 1] == '\n' || skey[len - 1] == '\r')) {
        skey[--len] = '\0';
    }
    rc = journal_note_signer_parse(&p->signer, skey, len, err);
    memset(skey, 0, len);
    free(skey);
    if (rc < 0) {
        return gsi_err_set(err, rc, "%s: %s", p->key_path, err->msg);
    }
    struct journal_note_verifier v;
    journal_note_signer_verifier(&v, &p->signer);
    if (v.id != p->verifier.id || memcmp(v.pub, p->verifier.pub, sizeof v.pub) != 0) {
        journal_note_signer_release(&p->signer);
        return gsi_err_set(err, GSI_EVERIFY, "%s is not the key of this database's log",
                           p->key_path);
    }
    p->have_signer = true;
    return 0;
}

/* --- the Merkle node source over journal_nodes --- */

static int get_node(void *ctx, unsigned level, uint64_t index, uint8_t out[JOURNAL_HASH_SIZE],
                    struct gsi_err *err)
{
    struct store *s = ctx;
    struct store_val v[] = { STORE_INT(level), STORE_INT(index) };
    struct store_rows *r;
    int rc =
        store_query(s, &r, "SELECT hash FROM journal_nodes WHERE level = ? AND idx = ?", v, 2, err);
    if (rc < 0) {
        return rc;
    }
    if (store_rows_count(r) == 0) {
        store_rows_free(r);
        return gsi_err_set(err, GSI_ENOTFOUND, "journal node (level %u, index %llu) is missing",
                           level, (unsigned long long)index);
    }
    rc = platform_unhex(out, store_rows_text(r, 0, 0), store_rows_len(r, 0, 0), err);
    store_rows_free(r);
    return rc;
}

void platform_node_source(struct journal_merkle_source *src, struct store *s)
{
    src->get_node = get_node;
    src->ctx = s;
    src->leaves_only = 0;
}

/* Refuses a database whose journal is behind (or not an extension of) the checkpoint file. */
static int check_checkpoint_file(struct platform *p, struct store *s, struct gsi_err *err)
{
    char *text = NULL;
    size_t len = 0;
    struct gsi_err ferr = GSI_ERR_INIT;
    int rc = gsi_file_read(p->checkpoint_path, &text, &len, PLATFORM_CHECKPOINT_FILE_MAX, &ferr);
    if (rc == GSI_ENOTFOUND) {
        /* Nothing to check on a new log. On one with entries the file was deleted, or the
         * database was replaced by an old copy and the file deleted to hide it: the two look
         * the same from here, so an operator must say which (gsi journal confirm). */
        int64_t size = 0;
        rc = store_query_int(s, &size, 0, "SELECT size FROM journal_head WHERE id = 1", NULL, 0,
                             err);
        if (rc == 0 && size > 0 && !p->checkpoint_missing_ok) {
            rc = gsi_err_set(err, GSI_EVERIFY,
                             "ROLLBACK CHECK FAILED: the checkpoint file %s is missing but the "
                             "journal has %lld entries; the database may have been restored "
                             "from an old copy. Nothing is served until an operator who knows "
                             "this database is the latest runs `gsi journal confirm`",
                             p->checkpoint_path, (long long)size);
        }
        return rc;
    }
    if (rc < 0) {
        *err = ferr;
        return rc;
    }
    struct journal_checkpoint cp;
    rc = journal_checkpoint_open(&cp, NULL, text, len, p->origin, &p->verifier, 1, err);
    free(text);
    if (rc < 0) {
        return gsi_err_set(err, GSI_EVERIFY, "%s: not a checkpoint signed by this log: %s",
                           p->checkpoint_path, err->msg);
    }
    int64_t size = 0;
    rc = store_query_int(s, &size, 0, "SELECT size FROM journal_head WHERE id = 1", NULL, 0, err);
    if (rc == 0 && (uint64_t)size < cp.size) {
        rc = gsi_err_set(err, GSI_EVERIFY,
                         "the database's journal has %lld entries but %s records %llu: the "
                         "database is behind its last signed checkpoint (restored from an old "
                         "copy?)",
                         (long long)size, p->checkpoint_path, (unsigned long long)cp.size);
    }
    if (rc == 0 && cp.size > 0) {
        struct journal_merkle_source src;
        platform_node_source(&src, s);
        uint8_t root[JOURNAL_HASH_SIZE];
        rc = journal_merkle_root_at(root, cp.size, &src, err);
        if (rc == 0 && memcmp(root, cp.root, sizeof root) != 0) {
            rc = gsi_err_set(err, GSI_EVERIFY,
                             "the database's journal at size %llu does not match %s",
                             (unsigned long long)cp.size, p->checkpoint_path);
        }
    }
    if (rc == 0) {
        p->file_size = cp.size;
    }
    journal_checkpoint_release(&cp);
    return rc;
}

static int latest_note(struct platform *p, struct store *s, struct gsi_err *err)
{
    struct store_rows *r;
    int rc = store_query(s, &r, "SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT 1",
                         NULL, 0, err);
    if (rc < 0) {
        return rc;
    }
    if (store_rows_count(r) > 0) {
        free(p->last_note);
        p->last_note = strdup(store_rows_text(r, 0, 1));
        p->last_note_size = (uint64_t)store_rows_int(r, 0, 0);
        p->signed_size = p->last_note_size;
    }
    store_rows_free(r);
    return 0;
}

static int open_common(struct platform **out, const struct platform_opts *o, bool check_file,
                       struct gsi_err *err)
{
    *out = NULL;
    int rc = journal_crypto_init(err);
    if (rc < 0) {
        return rc;
    }
    struct platform *p = calloc(1, sizeof *p);
    if (p == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&p->pool_mu, NULL);
    pthread_mutex_init(&p->wmu, NULL);
    pthread_mutex_init(&p->file_mu, NULL);
    pthread_cond_init(&p->wcond, NULL);
    rc = platform_paths(p, o, err);
    p->checkpoint_missing_ok = o->checkpoint_missing_ok;
    p->checkpoint_every_ms = o->checkpoint_every_ms;
    p->signed_ms = INT64_MIN / 2; /* the first commit that appends is due to sign */
    if (rc == 0) {
        rc = platform_conn_get(p, &p->wconn, err);
        if (rc == GSI_ENOTFOUND) {
            /* Opening never creates the file; only gsi init does. */
            char hint[STORE_URL_MAX + 64];
            db_hint(hint, sizeof hint, p);
            rc = gsi_err_set(err, GSI_ENOTFOUND, "no database at %s: %s", p->url.conninfo, hint);
        }
    }
    int version = 0;
    if (rc == 0) {
        rc = store_schema_version(p->wconn, &version, err);
    }
    if (rc == 0 && version == 0) {
        rc = not_initialised(p, err);
    }
    if (rc == 0 && version < store_schema_latest()) {
        rc = gsi_err_set(err, GSI_EDB,
                         "the database has schema version %d, this program needs %d: run gsi init",
                         version, store_schema_latest());
    }
    if (rc == 0 && version > store_schema_latest()) {
        /* A newer gsi migrated this database: this one does not know its tables and must
         * not write to them. */
        rc = gsi_err_set(err, GSI_EDB,
                         "the database has schema version %d, newer than the %d this program "
                         "knows: upgrade gsi",
                         version, store_schema_latest());
    }
    if (rc == 0) {
        rc = load_keys(p, p->wconn, err);
    }
    if (rc == 0 && check_file) {
        rc = check_checkpoint_file(p, p->wconn, err);
    }
    if (rc == 0) {
        rc = latest_note(p, p->wconn, err);
    }
    if (rc < 0) {
        platform_close(p);
        return rc;
    }
    *out = p;
    return 0;
}

int platform_open(struct platform **out, const struct platform_opts *o, struct gsi_err *err)
{
    return open_common(out, o, true, err);
}

void platform_close(struct platform *p)
{
    if (p == NULL) {
        return;
    }
    /* Writers in flight hold their own references to `p`; the caller guarantees none start
     * now, so waiting for the leader to finish is enough. */
    pthread_mutex_lock(&p->wmu);
    while (p->leader || p->qhead != NULL || p->checkpointing) {
        pthread_cond_wait(&p->wcond, &p->wmu);
    }
    pthread_mutex_unlock(&p->wmu);
    struct gsi_err ignore = GSI_ERR_INIT;
    platform_checkpoint_file_update(p, true, &ignore);
    store_close(p->wconn);
    for (size_t i = 0; i < p->nidle; i++) {
        store_close(p->idle[i]);
    }
    if (p->have_signer) {
        journal_note_signer_release(&p->signer);
    }
    free(p->last_note);
    free(p->known);
    platform_witness_cfg_free(p->witness);
    platform_tile_cache_free(p->tiles);
    pthread_mutex_destroy(&p->pool_mu);
    pthread_mutex_destroy(&p->wmu);
    pthread_mutex_destroy(&p->file_mu);
    pthread_cond_destroy(&p->wcond);
    free(p);
}

/* --- gsi init --- */

static int make_log_key(struct platform *p, struct store *s, struct gsi_err *err)
{
    char *existing = NULL;
    struct gsi_err ignore = GSI_ERR_INIT;
    if (meta_get(s, "log_vkey", &existing, &ignore) == 0) {
        free(existing);
        return 0;
    }
    char *skey = NULL;
    size_t skey_len = 0;
    struct gsi_buf vkey;
    gsi_buf_init(&vkey, 4096);
    int rc;
    /* A key file already there (a second database for the same log host, or a re-run after a
     * failed init) is reused rather than overwritten: overwriting would orphan what it signed. */
    int frc = gsi_file_read(p->key_path, &skey, &skey_len, KEY_FILE_MAX, &ignore);
    if (frc < 0 && frc != GSI_ENOTFOUND) {
        /* There but unreadable (a folder, too large, /dev/zero): not a key to replace. */
        gsi_buf_release(&vkey);
        return gsi_err_set(err, frc, "the log's key %s", ignore.msg);
    }
    if (frc == 0) {
        while (skey_len > 0 && (skey[skey_len - 1] == '\n' || skey[skey_len - 1] == '\r')) {
            skey[--skey_len] = '\0';
        }
        struct journal_note_signer sg;
        rc = journal_note_signer_parse(&sg, skey, skey_len, err);
        memset(skey, 0, skey_len);
        free(skey);
        skey = NULL;
        if (rc < 0) {
            gsi_buf_release(&vkey);
            return gsi_err_set(err, rc, "%s: %s", p->key_path, err->msg);
        }
        struct journal_note_verifier v;
        journal_note_signer_verifier(&v, &sg);
        journal_note_signer_release(&sg);
        rc = journal_note_verifier_format(&vkey, &v, err);
    } else {
        rc = journal_note_key_generate(&skey, &vkey, p->origin, err);
        if (rc == 0) {
            size_t n = strlen(skey);
            rc = gsi_file_write_atomic(p->key_path, skey, n, 0600, err);
            journal_note_secret_free(skey);
        }
    }
    if (rc == 0) {
        struct store_val v[] = { STORE_TEXT("log_vkey"), STORE_TEXTN(vkey.data, vkey.len) };
        rc = store_exec(s, "INSERT INTO meta (key, value) VALUES (?, ?)", v, 2, err);
    }
    if (rc == 0) {
        struct store_val v[] = { STORE_TEXT("origin"), STORE_TEXT(p->origin) };
        rc = store_exec(s, "INSERT INTO meta (key, value) VALUES (?, ?)", v, 2, err);
    }
    gsi_buf_release(&vkey);
    return rc;
}

int platform_init(const struct platform_opts *o, bool *created, struct gsi_err *err)
{
    int rc = journal_crypto_init(err);
    if (rc < 0) {
        return rc;
    }
    struct platform tmp;
    memset(&tmp, 0, sizeof tmp);
    rc = platform_paths(&tmp, o, err);
    if (rc < 0) {
        return rc;
    }
    char db[STORE_URL_MAX + 8];
    snprintf(db, sizeof db, "%s%s", tmp.url.backend == STORE_SQLITE ? "sqlite:" : "",
             tmp.url.conninfo);
    struct store *s;
    rc = store_create(&s, db, err); /* the one place a SQLite file is made */
    if (rc < 0) {
        return rc;
    }
    int before = 0;
    rc = store_schema_version(s, &before, err);
    if (rc == 0) {
        rc = store_migrate(s, err);
    }
    if (rc == 0) {
        rc = store_begin_write(s, err);
        if (rc == 0) {
            rc = make_log_key(&tmp, s, err);
            if (rc == 0) {
                rc = store_commit(s, err);
            } else {
                store_rollback(s);
            }
        }
    }
    store_close(s);
    if (rc < 0) {
        return rc;
    }
    if (created != NULL) {
        *created = before == 0;
    }
    if (before == 0) {
        /* A new log: a checkpoint file left by an earlier database at this path belongs to
         * another log and would make this one look truncated. */
        unlink(tmp.checkpoint_path);
    }
    struct platform *p;
    rc = open_common(&p, o, before != 0, err);
    if (rc < 0) {
        return rc;
    }
    rc = platform_parties_seed(p, err);
    if (rc == 0) {
        rc = platform_journal_checkpoint_sign(p, NULL, err);
    }
    platform_close(p);
    return rc;
}
