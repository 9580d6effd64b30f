/* platform_delegate.c — delegates, their bearer tokens, and the non-interference rule.
 *
 * A token is "gsi_" followed by 32 random bytes in unpadded base64url (43 characters). Only
 * SHA-256(token) in hex is stored; a lookup hashes the presented token and finds the row by
 * that hash, so the time it takes does not depend on how much of a stored token matched. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/json.h"
#include "platform/internal.h"

#define TOKEN_PREFIX "gsi_"
#define TOKEN_RANDOM 32

static const char *const role_names[] = { "delegate", "mediator", "secretariat", "observer" };

const char *platform_role_name(enum platform_role r)
{
    return (unsigned)r < 4 ? role_names[r] : "?";
}

int platform_role_parse(enum platform_role *out, const char *s, struct gsi_err *err)
{
    for (unsigned i = 0; i < 4; i++) {
        if (s != NULL && strcmp(s, role_names[i]) == 0) {
            *out = (enum platform_role)i;
            return 0;
        }
    }
    return gsi_err_set(err, GSI_EUSAGE,
                       "role '%.40s': expected delegate, mediator, secretariat or observer",
                       s ? s : "");
}

void platform_delegate_from_row(struct platform_delegate *out, const struct store_rows *r,
                                size_t row)
{
    memset(out, 0, sizeof *out);
    out->id = store_rows_int(r, row, 0);
    snprintf(out->party, sizeof out->party, "%s", store_rows_text(r, row, 1));
    struct gsi_err ignore = GSI_ERR_INIT;
    if (platform_role_parse(&out->role, store_rows_text(r, row, 2), &ignore) < 0) {
        out->role = PLATFORM_ROLE_OBSERVER; /* an unknown role may only read */
    }
    snprintf(out->name, sizeof out->name, "%s", store_rows_text(r, row, 3));
    snprintf(out->pubkey, sizeof out->pubkey, "%s", store_rows_text(r, row, 4));
    snprintf(out->created, sizeof out->created, "%s", store_rows_text(r, row, 5));
    out->revoked = !store_rows_is_null(r, row, 6);
    snprintf(out->revoked_at, sizeof out->revoked_at, "%s", store_rows_text(r, row, 6));
}

#define DELEGATE_COLS "id, party, role, name, pubkey, created, revoked"

int platform_may_act_for(const struct platform_delegate *actor, const char *party,
                         struct gsi_err *err)
{
    if (actor == NULL) {
        return 0;
    }
    if (actor->revoked) {
        return gsi_err_set(err, GSI_EAUTH, "delegate %lld has been revoked", (long long)actor->id);
    }
    if (actor->role == PLATFORM_ROLE_OBSERVER) {
        return gsi_err_set(err, GSI_EFORBIDDEN, "an observer may read but not act");
    }
    if (party == NULL || strcmp(actor->party, party) != 0) {
        return gsi_err_set(err, GSI_EFORBIDDEN,
                           "delegate %lld acts for %s and may not act for %.20s "
                           "(non-interference)",
                           (long long)actor->id, actor->party, party ? party : "another party");
    }
    return 0;
}

static void token_hash_hex(char out[PLATFORM_HEX_MAX], const char *token, size_t len)
{
    uint8_t h[JOURNAL_HASH_SIZE];
    journal_sha256(h, token, len);
    platform_hex(out, h);
}

int platform_random(uint8_t *out, size_t len, struct gsi_err *err)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = getrandom(out + got, len - got, 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return gsi_err_set(err, GSI_ECRYPTO, "getrandom: %s", strerror(errno));
        }
        got += (size_t)n;
    }
    return 0;
}

static int token_make(char token[PLATFORM_TOKEN_MAX], struct gsi_err *err)
{
    uint8_t raw[TOKEN_RANDOM];
    if (platform_random(raw, sizeof raw, err) < 0) {
        return err->code;
    }
    char b64[JOURNAL_BASE64_LEN(TOKEN_RANDOM)];
    int rc = journal_base64_encode(b64, sizeof b64, raw, sizeof raw, err);
    memset(raw, 0, sizeof raw);
    if (rc < 0) {
        return rc;
    }
    size_t o = 0;
    memcpy(token, TOKEN_PREFIX, strlen(TOKEN_PREFIX));
    o = strlen(TOKEN_PREFIX);
    for (const char *c = b64; *c && *c != '='; c++) {
        char ch = *c;
        if (ch == '+') {
            ch = '-';
        } else if (ch == '/') {
            ch = '_';
        }
        token[o++] = ch;
    }
    token[o] = '\0';
    memset(b64, 0, sizeof b64);
    return 0;
}

/* Accepts a base64 32-byte key, or a C2SP verifier key "<name>+<id>+<base64(0x01||key)>". */
static int pubkey_normalise(char out[PLATFORM_PUBKEY_MAX], const char *in, struct gsi_err *err)
{
    out[0] = '\0';
    if (in == NULL || in[0] == '\0') {
        return 0;
    }
    size_t n = strlen(in);
    while (n > 0 && (in[n - 1] == '\n' || in[n - 1] == '\r' || in[n - 1] == ' ')) {
        n--;
    }
    uint8_t key[64];
    size_t klen = 0;
    struct gsi_err ignore = GSI_ERR_INIT;
    if (journal_base64_decode(key, sizeof key, &klen, in, n, &ignore) == 0 &&
        klen == JOURNAL_ED25519_PUB_SIZE) {
        return journal_base64_encode(out, PLATFORM_PUBKEY_MAX, key, klen, err);
    }
    struct journal_note_verifier v;
    if (journal_note_verifier_parse(&v, in, n, &ignore) < 0) {
        return gsi_err_set(err, GSI_EUSAGE,
                           "public key: expected base64 of 32 bytes or a verifier key "
                           "(gsi keygen's .pub file)");
    }
    return journal_base64_encode(out, PLATFORM_PUBKEY_MAX, v.pub, sizeof v.pub, err);
}

struct dadd_ctx {
    const char *party;
    enum platform_role role;
    const char *name;
    const char *pubkey;
    const char *token_hash;
    int64_t id;
};

static int dadd_apply(struct platform *p, struct pw_batch *b, void *ctx, struct gsi_err *err)
{
    (void)p;
    struct dadd_ctx *c = ctx;
    char created[PLATFORM_TIME_MAX];
    platform_time_format(created, b->now_us);
    const char *role = platform_role_name(c->role);
    uint64_t index = b->range->size;
    struct store_val v[] = { STORE_TEXT(c->party),  STORE_TEXT(role),          STORE_TEXT(c->name),
                             STORE_TEXT(c->pubkey), STORE_TEXT(c->token_hash), STORE_TEXT(created),
                             STORE_INT(index) };
    struct store_rows *r;
    int rc = store_query(b->s, &r,
                         "INSERT INTO delegates (party, role, name, pubkey, token_hash, created,"
                         " journal_index) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         v, 7, err);
    if (rc < 0) {
        return rc;
    }
    c->id = store_rows_int(r, 0, 0);
    store_rows_free(r);
    struct gsi_buf canon;
    gsi_buf_init(&canon, 4096);
    rc = platform_canon_delegate(&canon, c->id, c->party, role, c->name, c->pubkey, c->token_hash,
                                 created, err);
    if (rc == 0) {
        struct platform_entry e;
        memset(&e, 0, sizeof e);
        snprintf(e.subject, sizeof e.subject, "delegate/%lld", (long long)c->id);
        rc = platform_journal_append_act(b, &e, &canon, "delegate.add", c->party, 0, err);
    }
    gsi_buf_release(&canon);
    return rc;
}

int platform_delegate_add(struct platform *p, struct platform_delegate *out,
                          char token[PLATFORM_TOKEN_MAX], const char *party,
                          enum platform_role role, const char *name, const char *pubkey,
                          struct gsi_err *err)
{
    token[0] = '\0';
    struct platform_party pp;
    int rc = platform_check_name("delegate name", name, err);
    if (rc == 0 && (unsigned)role > PLATFORM_ROLE_OBSERVER) {
        rc = gsi_err_set(err, GSI_EUSAGE, "unknown role");
    }
    if (rc == 0) {
        rc = platform_party_get(p, &pp, party, err);
    }
    char key[PLATFORM_PUBKEY_MAX];
    if (rc == 0) {
        rc = pubkey_normalise(key, pubkey, err);
    }
    if (rc == 0) {
        rc = token_make(token, err);
    }
    if (rc < 0) {
        return rc;
    }
    char th[PLATFORM_HEX_MAX];
    token_hash_hex(th, token, strlen(token));
    struct dadd_ctx c = {
        .party = party, .role = role, .name = name, .pubkey = key, .token_hash = th
    };
    rc = platform_write(p, dadd_apply, &c, NULL, err);
    if (rc == 0 && out != NULL) {
        rc = platform_delegate_get(p, out, c.id, err);
    }
    if (rc < 0) {
        memset(token, 0, PLATFORM_TOKEN_MAX);
    }
    return rc;
}

struct drev_ctx {
    int64_t id;
};

/* Writes the revocation of delegate `id` (row `d`): the delegate.revoke record with
 * `payload`, the delegate row's revoked time, and the record's journal entry. */
static int drev_record(struct pw_batch *b, int64_t id, const struct platform_delegate *d,
                       const char *payload, size_t plen, struct gsi_err *err)
{
    char now[PLATFORM_TIME_MAX];
    platform_time_format(now, b->now_us);
    uint64_t index = b->range->size;
    int64_t rid = 0;
    int rc = platform_record_id_next(b, &rid, err); /* ids come from the write path, not the db */
    if (rc < 0) {
        return rc;
    }
    struct store_val rv[] = { STORE_INT(rid),  STORE_TEXT("delegate.revoke"), STORE_TEXT(d->party),
                              STORE_TEXT(now), STORE_TEXTN(payload, plen),    STORE_INT(index) };
    rc = store_exec(b->s,
                    "INSERT INTO records (id, type, party, delegate, created, confidential,"
                    " audience, payload, journal_index) VALUES (?, ?, ?, 0, ?, 0, '', ?, ?)",
                    rv, 6, err);
    if (rc < 0) {
        return rc;
    }
    struct store_val uv[] = { STORE_TEXT(now), STORE_INT(id) };
    rc = store_exec(b->s, "UPDATE delegates SET revoked = ? WHERE id = ?", uv, 2, err);
    if (rc < 0) {
        return rc;
    }
    struct gsi_buf canon;
    gsi_buf_init(&canon, 4096);
    rc = platform_canon_record(&canon, rid, "delegate.revoke", d->party, 0, now, false, "", index,
                               payload, plen, err);
    if (rc == 0) {
        struct platform_entry e;
        memset(&e, 0, sizeof e);
        snprintf(e.subject, sizeof e.subject, "record/%lld", (long long)rid);
        rc = platform_journal_append_act(b, &e, &canon, "delegate.revoke", d->party, 0, err);
    }
    gsi_buf_release(&canon);
    return rc;
}

static int drev_apply(struct platform *p, struct pw_batch *b, void *ctx, struct gsi_err *err)
{
    (void)p;
    struct drev_ctx *c = ctx;
    struct store_val v[] = { STORE_INT(c->id) };
    struct store_rows *r;
    int rc =
        store_query(b->s, &r, "SELECT " DELEGATE_COLS " FROM delegates WHERE id = ?", v, 1, err);
    if (rc < 0) {
        return rc;
    }
    struct platform_delegate d;
    if (store_rows_count(r) == 0) {
        store_rows_free(r);
        return gsi_err_set(err, GSI_ENOTFOUND, "no delegate %lld", (long long)c->id);
    }
    platform_delegate_from_row(&d, r, 0);
    store_rows_free(r);
    if (d.revoked) {
        return gsi_err_set(err, GSI_ECONFLICT, "delegate %lld was already revoked at %s",
                           (long long)c->id, d.revoked_at);
    }
    /* The revocation is an act on the record of its own ("delegate.revoke"), so the delegate
     * row's journalled content stays what it was when added; verify checks that the row's
     * `revoked` time and the revocation record agree. */
    struct gsi_json payload; /* {"delegate":ID}, compact: platform_verify.c reads it so */
    gsi_json_init(&payload, 64);
    gsi_json_object_begin(&payload, NULL, GSI_JSON_COMPACT);
    gsi_json_int(&payload, "delegate", c->id);
    gsi_json_end(&payload);
    rc = gsi_json_finish(&payload);
    rc = rc == 0 ? drev_record(b, c->id, &d, payload.buf.data, payload.buf.len, err)
                 : gsi_err_set(err, rc, "delegate %lld: revocation payload", (long long)c->id);
    gsi_json_release(&payload);
    return rc;
}

int platform_delegate_revoke(struct platform *p, int64_t id, struct gsi_err *err)
{
    struct drev_ctx c = { .id = id };
    return platform_write(p, drev_apply, &c, NULL, err);
}

int platform_delegate_get(struct platform *p, struct platform_delegate *out, int64_t id,
                          struct gsi_err *err)
{
    memset(out, 0, sizeof *out);
    struct store_val v[] = { STORE_INT(id) };
    struct store_rows *r;
    int rc =
        platform_query(p, &r, "SELECT " DELEGATE_COLS " FROM delegates WHERE id = ?", v, 1, err);
    if (rc < 0) {
        return rc;
    }
    if (store_rows_count(r) == 0) {
        rc = gsi_err_set(err, GSI_ENOTFOUND, "no delegate %lld", (long long)id);
    } else {
        platform_delegate_from_row(out, r, 0);
    }
    store_rows_free(r);
    return rc;
}

static int delegate_fill(void *elem, const struct store_rows *r, size_t row, struct gsi_err *err)
{
    (void)err;
    platform_delegate_from_row(elem, r, row);
    return 0;
}

int platform_delegate_list(struct platform *p, struct platform_delegate **out, size_t *n,
                           const char *party, struct gsi_err *err)
{
    *out = NULL;
    *n = 0;
    struct store_rows *r;
    int rc;
    if (party != NULL) {
        struct store_val v[] = { STORE_TEXT(party) };
        rc = platform_query(p, &r,
                            "SELECT " DELEGATE_COLS " FROM delegates WHERE party = ? ORDER BY id",
                            v, 1, err);
    } else {
        rc = platform_query(p, &r, "SELECT " DELEGATE_COLS " FROM delegates ORDER BY id", NULL, 0,
                            err);
    }
    if (rc < 0) {
        return rc;
    }
    void *list;
    rc = platform_rows_collect(r, sizeof **out, delegate_fill, NULL, &list, n, err);
    *out = list;
    return rc;
}

int platform_delegate_authenticate(struct platform *p, struct platform_delegate *out,
                                   struct platform_party *party_out, const char *token,
                                   size_t token_len, struct gsi_err *err)
{
    memset(out, 0, sizeof *out);
    if (token == NULL || token_len < 5 || token_len >= PLATFORM_TOKEN_MAX ||
        memcmp(token, TOKEN_PREFIX, 4) != 0) {
        return gsi_err_set(err, GSI_EAUTH, "invalid or revoked token");
    }
    char th[PLATFORM_HEX_MAX];
    token_hash_hex(th, token, token_len);
    struct store_val v[] = { STORE_TEXT(th) };
    struct store_rows *r;
    int rc = platform_query(p, &r,
                            "SELECT d.id, d.party, d.role, d.name, d.pubkey, d.created, d.revoked,"
                            " p.id, p.kind, p.name, p.region FROM delegates d"
                            " JOIN parties p ON p.id = d.party"
                            " WHERE d.token_hash = ? AND d.revoked IS NULL",
                            v, 1, err);
    if (rc < 0) {
        return rc;
    }
    if (store_rows_count(r) == 0) {
        store_rows_free(r);
        return gsi_err_set(err, GSI_EAUTH, "invalid or revoked token");
    }
    platform_delegate_from_row(out, r, 0);
    if (party_out != NULL) {
        memset(party_out, 0, sizeof *party_out);
        snprintf(party_out->id, sizeof party_out->id, "%s", store_rows_text(r, 0, 7));
        snprintf(party_out->kind, sizeof party_out->kind, "%s", store_rows_text(r, 0, 8));
        snprintf(party_out->name, sizeof party_out->name, "%s", store_rows_text(r, 0, 9));
        snprintf(party_out->region, sizeof party_out->region, "%s", store_rows_text(r, 0, 10));
    }
    store_rows_free(r);
    return 0;
}
