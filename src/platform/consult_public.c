/* consult_public.c — members of the public in open consultations (consult.h): registration
 * with a per-address rate limit, participant tokens bound to one consultation, and their acts
 * journalled as party X-PUBLIC. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/hex.h"
#include "journal/journal.h"
#include "platform/consult.h"
#include "platform/internal.h"
#include "store/store.h"

/* Fixed one-minute windows per address, in a small table keyed by the address's hash;
 * colliding addresses share a slot (they may be limited together, never more loosely). */
static pthread_mutex_t rate_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
    uint64_t key;
    int64_t minute;
    unsigned n;
} rate_slots[CONSULT_RATE_SLOTS];
static unsigned rate_per_minute = 20;

void platform_consult_public_rate(unsigned per_minute)
{
    pthread_mutex_lock(&rate_mu);
    rate_per_minute = per_minute ? per_minute : rate_per_minute;
    pthread_mutex_unlock(&rate_mu);
}

static int rate_take(const char *address, int64_t now_s, struct gsi_err *err)
{
    uint8_t h[JOURNAL_HASH_SIZE];
    journal_sha256(h, address, strlen(address));
    uint64_t key = 0;
    for (int i = 0; i < 8; i++) {
        key = key << 8 | h[i];
    }
    int64_t minute = now_s / 60;
    pthread_mutex_lock(&rate_mu);
    size_t slot = (size_t)(key % CONSULT_RATE_SLOTS);
    if (rate_slots[slot].key != key || rate_slots[slot].minute != minute) {
        rate_slots[slot].key = key, rate_slots[slot].minute = minute, rate_slots[slot].n = 0;
    }
    bool over = rate_slots[slot].n >= rate_per_minute;
    rate_slots[slot].n += !over;
    unsigned limit = rate_per_minute;
    pthread_mutex_unlock(&rate_mu);
    if (over) {
        return gsi_err_set(err, GSI_ELIMIT,
                           "too many registrations from this address (%u a minute): try again "
                           "in a minute",
                           limit);
    }
    return 0;
}

/* The party X-PUBLIC, added (journalled) the first time it is needed. */
static int public_party(struct platform *p, struct gsi_err *err)
{
    struct platform_party pp;
    struct gsi_err ignore = GSI_ERR_INIT;
    if (platform_party_get(p, &pp, CONSULT_PUBLIC_PARTY, &ignore) == 0) {
        return 0;
    }
    int rc = platform_party_add(p, &pp, NULL, CONSULT_PUBLIC_PARTY, "Members of the public", err);
    return rc == GSI_ECONFLICT ? 0 : rc; /* another request added it meanwhile */
}

int platform_consult_public_register(struct platform *p, char token[CONSULT_PUBLIC_TOKEN_MAX],
                                     int64_t *participant, int64_t consultation, const char *name,
                                     const char *address, int64_t now_s, struct gsi_err *err)
{
    token[0] = '\0';
    int rc = rate_take(address ? address : "", now_s, err);
    if (rc == 0) {
        rc = public_party(p, err);
    }
    uint8_t raw[32];
    if (rc == 0 && getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) {
        rc = gsi_err_set(err, GSI_ECRYPTO, "no random bytes for a token");
    }
    if (rc < 0) {
        return rc;
    }
    memcpy(token, "gsip_", 5);
    gsi_hex_encode(token + 5, raw, sizeof raw);
    uint8_t h[JOURNAL_HASH_SIZE];
    char hex[PLATFORM_HEX_MAX];
    journal_sha256(h, token, strlen(token));
    platform_hex(hex, h);
    json_t *o = json_pack("{s:s,s:s,s:s}", "party", CONSULT_PUBLIC_PARTY, "name", name ? name : "",
                          "token_sha256", hex);
    char *body = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (body == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    struct platform_proc_receipt r;
    rc = platform_proc_act(p, &r, NULL, &platform_proc_consultation, "consultation.register",
                           consultation, body, strlen(body), err);
    free(body);
    if (rc < 0) {
        memset(token, 0, CONSULT_PUBLIC_TOKEN_MAX);
        return rc;
    }
    *participant = r.act.record_id;
    return 0;
}

/* What a public act's checks before the write need, read in one query through the read pool:
 * the token's participant and consultation and, for a vote, its statement's consultation and
 * moderation. The first two never change once true, nor does a statement's consultation, so
 * the vote's rules need not read them inside the transaction (consult.c); the moderation is
 * read here to refuse early, and again inside the transaction (rule_vote), since a moderation
 * may commit in between. */
struct public_facts {
    bool found, stmt_found;
    int64_t part, cid, stmt_cid, moderated;
};

static int public_facts_read(struct platform *p, struct public_facts *f, const char *token,
                             int64_t stmt, struct gsi_err *err)
{
    memset(f, 0, sizeof *f);
    uint8_t h[JOURNAL_HASH_SIZE];
    char hex[PLATFORM_HEX_MAX];
    journal_sha256(h, token ? token : "", token ? strlen(token) : 0);
    platform_hex(hex, h);
    struct store_val v[] = { STORE_INT(stmt), STORE_TEXT(hex) };
    struct store_rows *r;
    int rc = platform_query(p, &r,
                            "SELECT pp.id, pp.consultation, st.consultation, st.moderated FROM"
                            " consult_public pp LEFT JOIN consult_statements st ON st.id = ?"
                            " WHERE pp.token_hash = ?",
                            v, 2, err);
    if (rc < 0) {
        return rc;
    }
    f->found = store_rows_count(r) > 0;
    if (f->found) {
        f->part = store_rows_int(r, 0, 0), f->cid = store_rows_int(r, 0, 1);
        f->stmt_found = !store_rows_is_null(r, 0, 2);
        f->stmt_cid = f->stmt_found ? store_rows_int(r, 0, 2) : 0;
        f->moderated = f->stmt_found ? store_rows_int(r, 0, 3) : 0;
    }
    store_rows_free(r);
    return 0;
}

/* A public vote's statement: an id, this consultation's, and not moderated out. */
static int public_statement_check(const struct public_facts *f, int64_t consultation,
                                  const json_t *sv, struct gsi_err *err)
{
    if (!json_is_integer(sv)) {
        return gsi_err_set(err, GSI_EDATA, "/statement: expected a statement id");
    }
    long long stmt = (long long)json_integer_value(sv);
    if (!f->stmt_found || f->stmt_cid != consultation) {
        return gsi_err_set(err, GSI_ENOTFOUND, "/statement: no statement %lld in consultation %lld",
                           stmt, (long long)consultation);
    }
    if (f->moderated != 0) {
        return gsi_err_set(err, GSI_ECONFLICT, "statement %lld was moderated out", stmt);
    }
    return 0;
}

int platform_consult_public_act(struct platform *p, struct platform_proc_receipt *out,
                                int64_t consultation, const char *token, const char *verb,
                                const char *payload, size_t len, struct gsi_err *err)
{
    if (strcmp(verb, "statement") != 0 && strcmp(verb, "vote") != 0) {
        return gsi_err_set(err, GSI_EUSAGE, "members of the public make statements and votes");
    }
    /* Parsed first for the statement's id, so that one read answers every check; the token's
     * errors still come first. */
    bool vote = strcmp(verb, "vote") == 0;
    json_error_t je;
    json_t *o = json_loadb(payload, len, JSON_REJECT_DUPLICATES, &je);
    const json_t *sv = json_is_object(o) ? json_object_get(o, "statement") : NULL;
    struct public_facts f;
    int rc = public_facts_read(
        p, &f, token, vote && json_is_integer(sv) ? (int64_t)json_integer_value(sv) : 0, err);
    if (rc == 0 && !f.found) {
        rc = gsi_err_set(err, GSI_EAUTH,
                         "unknown participant token: register with POST "
                         "/v1/consultations/{id}/participants");
    }
    if (rc == 0 && f.cid != consultation) {
        rc = gsi_err_set(err, GSI_EFORBIDDEN,
                         "this participant token belongs to consultation %lld, not %lld",
                         (long long)f.cid, (long long)consultation);
    }
    if (rc == 0 && !json_is_object(o)) {
        rc = gsi_err_set(err, GSI_EDATA, "expected a JSON object");
    }
    if (rc == 0 && vote) {
        rc = public_statement_check(&f, consultation, sv, err);
    }
    int64_t part = f.part;
    char *body = NULL;
    if (rc == 0) {
        json_object_del(o, "token");
        json_object_set_new(o, "party", json_string(CONSULT_PUBLIC_PARTY));
        json_object_set_new(o, "participant", json_integer((json_int_t)part));
        body = json_dumps(o, JSON_COMPACT);
        rc = body ? 0 : gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    json_decref(o);
    if (rc == 0) {
        char type[PLATFORM_TYPE_MAX];
        snprintf(type, sizeof type, "consultation.%s", verb);
        rc = platform_proc_act(p, out, NULL, &platform_proc_consultation, type, consultation, body,
                               strlen(body), err);
    }
    free(body);
    return rc;
}

int platform_consult_proposals_json(struct platform *p, struct gsi_buf *out, int64_t id,
                                    struct gsi_err *err)
{
    struct store_val v[] = { STORE_INT(id) };
    struct store_rows *r;
    int rc = platform_query(p, &r,
                            "SELECT pr.id, pr.party, pr.text, pr.deadline_us, pr.outcome,"
                            " po.party, po.position, po.explanation FROM consult_proposals pr"
                            " LEFT JOIN consult_positions po ON po.proposal = pr.id"
                            " WHERE pr.consultation = ? ORDER BY pr.id, po.party",
                            v, 1, err);
    if (rc < 0) {
        return rc;
    }
    json_t *arr = json_array(), *cur = NULL;
    int64_t last = 0;
    for (size_t i = 0; arr != NULL && i < store_rows_count(r); i++) {
        int64_t pid = store_rows_int(r, i, 0);
        if (cur == NULL || pid != last) {
            char t[PLATFORM_TIME_MAX];
            platform_time_format(t, store_rows_int(r, i, 3));
            cur = json_pack("{s:I,s:s,s:s,s:s,s:s,s:[]}", "id", (json_int_t)pid, "party",
                            store_rows_text(r, i, 1), "text", store_rows_text(r, i, 2), "deadline",
                            t, "outcome", store_rows_text(r, i, 4), "positions");
            json_array_append_new(arr, cur);
            last = pid;
        }
        if (cur != NULL && !store_rows_is_null(r, i, 5)) {
            json_array_append_new(json_object_get(cur, "positions"),
                                  json_pack("{s:s,s:s,s:s}", "party", store_rows_text(r, i, 5),
                                            "position", store_rows_text(r, i, 6), "explanation",
                                            store_rows_text(r, i, 7)));
        }
    }
    store_rows_free(r);
    char *text = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
    json_decref(arr);
    rc = text ? gsi_buf_puts(out, text) : GSI_ENOMEM;
    free(text);
    return rc < 0 ? gsi_err_set(err, rc, "proposals of consultation %lld", (long long)id) : 0;
}
