/*
 * fake_platform.c — an in-memory stand-in for the platform functions the HTTP handlers call,
 * so the HTTP layer is tested alone: routing, status codes, limits, JSON shapes.
 *
 * Fixed world: parties CHN, IND (states), BRA (state), ASEAN (organisation: IDN, MYS);
 * delegates 1 (CHN, delegate, token "gsi_tokCHN"), 2 (IND, delegate, "gsi_tokIND"),
 * 3 (BRA, observer, "gsi_tokOBS"). Records are kept in an array; the journal is one entry per
 * record, with made-up hashes (the real ones are the journal's tests' business).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/events_store.h"
#include "platform/forecast.h"
#include "platform/platform.h"

struct platform {
    int unused;
};

#define FAKE_RECORDS_MAX 256

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct platform_record records[FAKE_RECORDS_MAX];
static size_t nrecords;

static const struct platform_party parties[] = {
    { "ASEAN", "organisation", "Association of Southeast Asian Nations", "" },
    { "BRA", "state", "Brazil", "Americas" },
    { "CHN", "state", "China", "Asia" },
    { "IND", "state", "India", "Asia" },
};

static struct platform_delegate delegates[] = {
    { 1, "CHN", PLATFORM_ROLE_DELEGATE, "Delegate of China", "", "2026-01-01T00:00:00Z", false,
      "" },
    { 2, "IND", PLATFORM_ROLE_DELEGATE, "Delegate of India", "", "2026-01-01T00:00:00Z", false,
      "" },
    { 3, "BRA", PLATFORM_ROLE_OBSERVER, "Observer of Brazil", "", "2026-01-01T00:00:00Z", false,
      "" },
};
static const char *tokens[] = { "gsi_tokCHN", "gsi_tokIND", "gsi_tokOBS" };

struct platform *fake_platform(void);
struct platform *fake_platform(void)
{
    static struct platform p;
    return &p;
}

const char *platform_backend(const struct platform *p)
{
    return "fake";
}

const char *platform_role_name(enum platform_role r)
{
    static const char *names[] = { "delegate", "mediator", "secretariat", "observer" };
    return (unsigned)r < 4 ? names[r] : "?";
}

int platform_party_get(struct platform *p, struct platform_party *out, const char *id,
                       struct gsi_err *err)
{
    for (size_t i = 0; i < sizeof parties / sizeof parties[0]; i++) {
        if (strcmp(parties[i].id, id) == 0) {
            *out = parties[i];
            return 0;
        }
    }
    return gsi_err_set(err, GSI_ENOTFOUND, "no party '%s'", id);
}

int platform_party_list(struct platform *p, struct platform_party **out, size_t *n,
                        const char *kind, struct gsi_err *err)
{
    *out = malloc(sizeof parties);
    *n = 0;
    for (size_t i = 0; i < sizeof parties / sizeof parties[0]; i++) {
        if (kind == NULL || strcmp(kind, parties[i].kind) == 0) {
            (*out)[(*n)++] = parties[i];
        }
    }
    return 0;
}

int platform_party_members(struct platform *p, char (**out)[PLATFORM_ID_MAX], size_t *n,
                           const char *org, struct gsi_err *err)
{
    *out = calloc(2, PLATFORM_ID_MAX);
    strcpy((*out)[0], "IDN");
    strcpy((*out)[1], "MYS");
    *n = 2;
    return 0;
}

int platform_party_add(struct platform *p, struct platform_party *out,
                       const struct platform_delegate *actor, const char *id, const char *name,
                       struct gsi_err *err)
{
    if (actor != NULL && actor->role != PLATFORM_ROLE_SECRETARIAT) {
        return gsi_err_set(err, GSI_EFORBIDDEN, "only a secretariat delegate adds a party");
    }
    return gsi_err_set(err, GSI_EINTERNAL, "not in the fake");
}

int platform_delegate_get(struct platform *p, struct platform_delegate *out, int64_t id,
                          struct gsi_err *err)
{
    if (id < 1 || id > 3) {
        return gsi_err_set(err, GSI_ENOTFOUND, "no delegate %lld", (long long)id);
    }
    pthread_mutex_lock(&mu);
    *out = delegates[id - 1];
    pthread_mutex_unlock(&mu);
    return 0;
}

int platform_delegate_list(struct platform *p, struct platform_delegate **out, size_t *n,
                           const char *party, struct gsi_err *err)
{
    *out = malloc(sizeof delegates);
    *n = 0;
    pthread_mutex_lock(&mu);
    for (size_t i = 0; i < 3; i++) {
        if (party == NULL || strcmp(party, delegates[i].party) == 0) {
            (*out)[(*n)++] = delegates[i];
        }
    }
    pthread_mutex_unlock(&mu);
    return 0;
}

int platform_delegate_revoke(struct platform *p, int64_t id, struct gsi_err *err)
{
    if (id < 1 || id > 3) {
        return gsi_err_set(err, GSI_ENOTFOUND, "no delegate %lld", (long long)id);
    }
    pthread_mutex_lock(&mu);
    delegates[id - 1].revoked = true;
    strcpy(delegates[id - 1].revoked_at, "2026-01-02T00:00:00Z");
    pthread_mutex_unlock(&mu);
    return 0;
}

int platform_delegate_authenticate(struct platform *p, struct platform_delegate *out,
                                   struct platform_party *party_out, const char *token,
                                   size_t token_len, struct gsi_err *err)
{
    for (size_t i = 0; i < 3; i++) {
        if (strlen(tokens[i]) == token_len && memcmp(tokens[i], token, token_len) == 0) {
            pthread_mutex_lock(&mu);
            struct platform_delegate d = delegates[i];
            pthread_mutex_unlock(&mu);
            if (d.revoked) {
                break;
            }
            *out = d;
            return party_out != NULL ? platform_party_get(p, party_out, d.party, err) : 0;
        }
    }
    return gsi_err_set(err, GSI_EAUTH, "unknown or revoked token");
}

int platform_may_act_for(const struct platform_delegate *actor, const char *party,
                         struct gsi_err *err)
{
    if (actor == NULL) {
        return 0;
    }
    if (strcmp(actor->party, party) != 0) {
        return gsi_err_set(err, GSI_EFORBIDDEN, "delegate %lld acts for %s, not for %s",
                           (long long)actor->id, actor->party, party);
    }
    if (actor->role == PLATFORM_ROLE_OBSERVER) {
        return gsi_err_set(err, GSI_EFORBIDDEN, "an observer does not write");
    }
    return 0;
}

static char *dupn(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static void record_copy(struct platform_record *dst, const struct platform_record *src)
{
    *dst = *src;
    dst->audience = dupn(src->audience, strlen(src->audience));
    dst->payload = dupn(src->payload, src->payload_len);
}

/* Visible when public, or when the viewer's party is the record's or in its audience. */
static bool visible(const struct platform_record *r, const struct platform_delegate *v)
{
    if (!r->confidential || v == NULL) {
        return true;
    }
    if (v->party[0] == '\0') {
        return false;
    }
    if (strcmp(v->party, r->party) == 0) {
        return true;
    }
    size_t n = strlen(v->party);
    for (const char *a = r->audience; (a = strstr(a, v->party)) != NULL; a += n) {
        if ((a == r->audience || a[-1] == ',') && (a[n] == ',' || a[n] == '\0')) {
            return true;
        }
    }
    return false;
}

/* A store that stopped taking writes, as the real one reports it: type "note.dbfail" fails
 * like a write to a read-only SQLite file, with the statement in the message. */
static bool write_fault;

bool platform_store_writable(struct platform *p, char *why, size_t cap)
{
    pthread_mutex_lock(&mu);
    bool ok = !write_fault;
    pthread_mutex_unlock(&mu);
    if (!ok) {
        snprintf(why, cap, "sqlite: INSERT INTO records: attempt to write a readonly database");
    }
    return ok;
}

int platform_act_record(struct platform *p, struct platform_receipt *out,
                        const struct platform_delegate *actor, const struct platform_act *act,
                        struct gsi_err *err)
{
    const char *party = act->party != NULL ? act->party : actor->party;
    if (platform_may_act_for(actor, party, err) < 0) {
        return err->code;
    }
    pthread_mutex_lock(&mu);
    write_fault = strcmp(act->type, "note.dbfail") == 0;
    if (write_fault) {
        pthread_mutex_unlock(&mu);
        return gsi_err_set(err, GSI_EDB,
                           "sqlite: INSERT INTO records (id, type, party) VALUES (?, ?, ?): "
                           "attempt to write a readonly database");
    }
    if (nrecords == FAKE_RECORDS_MAX) {
        pthread_mutex_unlock(&mu);
        return gsi_err_set(err, GSI_ELIMIT, "the fake is full");
    }
    struct platform_record *r = &records[nrecords];
    memset(r, 0, sizeof *r);
    r->id = (int64_t)nrecords + 1;
    snprintf(r->type, sizeof r->type, "%s", act->type);
    snprintf(r->party, sizeof r->party, "%s", party);
    r->delegate = actor != NULL ? actor->id : 0;
    strcpy(r->time, "2026-11-28T00:00:00.000000Z");
    r->confidential = act->confidential;
    r->index = nrecords;
    r->audience = dupn(act->audience != NULL ? act->audience : "",
                       act->audience != NULL ? strlen(act->audience) : 0);
    r->payload = act->payload != NULL ? dupn(act->payload, act->payload_len) : dupn("{}", 2);
    r->payload_len = strlen(r->payload);
    nrecords++;
    out->record_id = r->id;
    out->index = r->index;
    strcpy(out->time, r->time);
    snprintf(out->leaf_hash, sizeof out->leaf_hash, "%064llx", (unsigned long long)r->index);
    out->tree_size = nrecords;
    pthread_mutex_unlock(&mu);
    return 0;
}

int platform_record_get(struct platform *p, struct platform_record *out,
                        const struct platform_delegate *viewer, int64_t id, struct gsi_err *err)
{
    pthread_mutex_lock(&mu);
    if (id < 1 || (size_t)id > nrecords || !visible(&records[id - 1], viewer)) {
        pthread_mutex_unlock(&mu);
        return gsi_err_set(err, GSI_ENOTFOUND, "no record %lld", (long long)id);
    }
    record_copy(out, &records[id - 1]);
    pthread_mutex_unlock(&mu);
    return 0;
}

int platform_record_list(struct platform *p, struct platform_record **out, size_t *n,
                         const struct platform_delegate *viewer, const char *type,
                         const char *party, int64_t after_id, size_t limit, size_t max_bytes,
                         bool *more, struct gsi_err *err)
{
    pthread_mutex_lock(&mu);
    *out = calloc(nrecords + 1, sizeof **out);
    *n = 0;
    size_t sum = 0;
    bool cut = false;
    for (size_t i = 0; i < nrecords && *n < limit; i++) {
        const struct platform_record *r = &records[i];
        if (r->id > after_id && visible(r, viewer) && (type == NULL || !strcmp(type, r->type)) &&
            (party == NULL || !strcmp(party, r->party))) {
            if (max_bytes > 0 && *n > 0 && sum + r->payload_len > max_bytes) {
                cut = true;
                break;
            }
            sum += r->payload_len;
            record_copy(&(*out)[(*n)++], r);
        }
    }
    if (more != NULL) {
        *more = *n > 0 && (cut || *n == limit);
    }
    pthread_mutex_unlock(&mu);
    return 0;
}

void platform_record_release(struct platform_record *r)
{
    free(r->audience);
    free(r->payload);
    r->audience = NULL;
    r->payload = NULL;
}

void platform_record_list_free(struct platform_record *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        platform_record_release(&list[i]);
    }
    free(list);
}

int platform_journal_size(struct platform *p, uint64_t *size, struct gsi_err *err)
{
    pthread_mutex_lock(&mu);
    *size = nrecords;
    pthread_mutex_unlock(&mu);
    return 0;
}

int platform_journal_checkpoint(struct platform *p, struct gsi_buf *note, struct gsi_err *err)
{
    return gsi_buf_puts(
        note,
        "gsi.local/log\n3\nq6z7YJEeU4k0r8g0tsr3mY4y8Ye/0lJz0dLcd3l0Zkc=\n\n"
        "\xe2\x80\x94 gsi.local/log Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyCJYsbuYNHr8NE=\n");
}

int platform_journal_checkpoint_sign(struct platform *p, struct gsi_buf *note, struct gsi_err *err)
{
    return 0;
}

int platform_journal_vkey(struct platform *p, struct gsi_buf *out, struct gsi_err *err)
{
    return gsi_buf_puts(out, "gsi.local/log+1234abcd+AbCd");
}

int platform_journal_entries(struct platform *p, struct platform_entry **out, size_t *n,
                             uint64_t start, uint64_t end, struct gsi_err *err)
{
    *out = calloc(end - start + 1, sizeof **out);
    *n = 0;
    pthread_mutex_lock(&mu);
    for (uint64_t i = start; i < end && i < nrecords; i++) {
        struct platform_entry *e = &(*out)[(*n)++];
        e->index = i;
        snprintf(e->type, sizeof e->type, "%s", records[i].type);
        snprintf(e->party, sizeof e->party, "%s", records[i].party);
        e->delegate = records[i].delegate;
        strcpy(e->time, records[i].time);
        snprintf(e->payload_hash, sizeof e->payload_hash, "%064llx", (unsigned long long)i + 1000);
        snprintf(e->leaf_hash, sizeof e->leaf_hash, "%064llx", (unsigned long long)i);
        snprintf(e->subject, sizeof e->subject, "record/%lld", (long long)records[i].id);
    }
    pthread_mutex_unlock(&mu);
    return 0;
}

/* A proof of `n` hashes whose bytes are all their position: enough to check the encoding. */
static void fill_proof(uint8_t (*proof)[PLATFORM_HASH_SIZE], size_t *len, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        memset(proof[i], (int)i + 1, PLATFORM_HASH_SIZE);
    }
    *len = n;
}

int platform_journal_proof_inclusion(struct platform *p, uint8_t (*proof)[PLATFORM_HASH_SIZE],
                                     size_t *len, uint64_t index, uint64_t size,
                                     struct gsi_err *err)
{
    fill_proof(proof, len, 2);
    return 0;
}

int platform_journal_proof_consistency(struct platform *p, uint8_t (*proof)[PLATFORM_HASH_SIZE],
                                       size_t *len, uint64_t from, uint64_t to, struct gsi_err *err)
{
    fill_proof(proof, len, 3);
    return 0;
}

int platform_journal_root(struct platform *p, uint8_t root[PLATFORM_HASH_SIZE], uint64_t size,
                          struct gsi_err *err)
{
    memset(root, 0xab, PLATFORM_HASH_SIZE);
    return 0;
}

/* Stored forecast runs (platform/forecast.h): the fake world has none, so the forecast and
 * hotspot routes answer 404 here; tests/integration/warn_http.py covers them end to end. */
void platform_forecast_release(struct platform_fc_run *run)
{
    free(run->countries);
    run->countries = NULL;
}

int platform_forecast_get(struct platform *p, struct platform_fc_run *out, const char *id,
                          bool series, struct gsi_err *err)
{
    memset(out, 0, sizeof *out);
    return gsi_err_set(err, GSI_ENOTFOUND, "no forecast run is stored yet");
}

void platform_hotspot_id(char out[PLATFORM_FC_HOTSPOT_MAX], const char *iso3, int through)
{
    snprintf(out, PLATFORM_FC_HOTSPOT_MAX, "%.3s-%d", iso3, through + 1);
}

int platform_hotspot_parse(char iso3[4], int *through, const char *id, struct gsi_err *err)
{
    return gsi_err_set(err, GSI_ENOTFOUND, "no hotspot '%.40s'", id);
}

int platform_hotspot_links(struct platform *p, struct platform_record **out, size_t *n,
                           const struct platform_delegate *viewer, const char *id,
                           struct gsi_err *err)
{
    *out = NULL;
    *n = 0;
    return gsi_err_set(err, GSI_ENOTFOUND, "no hotspot '%.40s'", id);
}

/* Tiles of the fake journal (one hash per record): each hash is 32 bytes of its index's low
 * byte, an entry bundle entry is the one byte of its index; enough to test routing, headers
 * and widths. */
int platform_journal_tile(struct platform *p, struct gsi_buf *out, int level, uint64_t index,
                          unsigned width, bool *full, struct gsi_err *err)
{
    uint64_t size;
    platform_journal_size(p, &size, err);
    uint64_t have = level <= 0 ? size : size >> (8 * level);
    if (width == 0 || width > 256 || index * 256 + width > have) {
        return gsi_err_set(err, GSI_ENOTFOUND, "no such tile");
    }
    *full = width == 256;
    for (unsigned i = 0; i < width; i++) {
        uint8_t b = (uint8_t)(index * 256 + i);
        uint8_t h[32];
        memset(h, b, sizeof h);
        uint8_t e[3] = { 0, 1, b };
        if (level < 0 ? gsi_buf_append(out, e, 3) : gsi_buf_append(out, h, 32)) {
            return gsi_err_set(err, GSI_ELIMIT, "too big");
        }
    }
    return 0;
}

int platform_journal_cosigned(struct platform *p, struct gsi_buf *note, struct gsi_err *err)
{
    return gsi_err_set(err, GSI_ENOTFOUND, "no cosigned checkpoint");
}

int platform_witness_add_checkpoint(struct platform *p, struct gsi_buf *out, const char *body,
                                    size_t len, int64_t now_s, struct gsi_err *err)
{
    return gsi_err_set(err, GSI_ENOTFOUND, "this server is not a witness");
}

/* Event trends (platform/events_store.h): the fake world has loaded no event file, so every
 * country's trend is empty; tests/integration/events_http.py covers real counts. */
int platform_events_trend(struct platform *p, struct platform_ev_period **out, size_t *n,
                          const char *iso3, const char *source, bool by_month, struct gsi_err *err)
{
    *out = NULL;
    *n = 0;
    return 0;
}

int platform_events_files(struct platform *p, int64_t *nfiles, int64_t *nevents, const char *source,
                          struct gsi_err *err)
{
    *nfiles = *nevents = 0;
    return 0;
}

/* --- procedures: the fake knows none, so their routes answer 404 (the real ones are tested
 * in tests/unit/platform and tests/integration/http_procedures.py). --- */
#include "platform/proc.h"

const struct platform_proc *platform_proc_find(const char *name_or_path)
{
    (void)name_or_path;
    return NULL;
}

const struct platform_proc_act *platform_proc_act_find(const struct platform_proc *proc,
                                                       const char *type_or_verb)
{
    (void)proc;
    (void)type_or_verb;
    return NULL;
}

int platform_proc_act(struct platform *p, struct platform_proc_receipt *out,
                      const struct platform_delegate *actor, const struct platform_proc *proc,
                      const char *type, int64_t case_id, const char *payload, size_t len,
                      struct gsi_err *err)
{
    return gsi_err_set(err, GSI_ENOTFOUND, "no procedures in the fake platform");
}

int platform_proc_get(struct platform *p, struct platform_proc_case *out,
                      const struct platform_delegate *viewer, const struct platform_proc *proc,
                      int64_t id, int64_t at_us, struct gsi_err *err)
{
    return gsi_err_set(err, GSI_ENOTFOUND, "no procedures in the fake platform");
}

int platform_proc_list(struct platform *p, struct platform_proc_case **out, size_t *n,
                       const struct platform_delegate *viewer, const struct platform_proc *proc,
                       const struct platform_proc_query *q, struct gsi_err *err)
{
    return gsi_err_set(err, GSI_ENOTFOUND, "no procedures in the fake platform");
}

void platform_proc_case_release(struct platform_proc_case *c)
{
    (void)c;
}

void platform_proc_case_list_free(struct platform_proc_case *list, size_t n)
{
    (void)n;
    free(list);
}

int platform_time_parse(int64_t *us, const char *s, size_t n)
{
    (void)s;
    (void)n;
    *us = 0;
    return GSI_EDATA;
}

void platform_proc_time_format(char out[PLATFORM_TIME_MAX], int64_t us)
{
    (void)us;
    snprintf(out, PLATFORM_TIME_MAX, "1970-01-01T00:00:00Z");
}

int platform_proc_open(struct platform *p, struct platform_proc_receipt *out,
                       const struct platform_delegate *actor, const struct platform_proc *proc,
                       const char *payload, size_t len, struct gsi_err *err)
{
    return gsi_err_set(err, GSI_ENOTFOUND, "no procedures in the fake platform");
}

#include "platform/platform_coop.h"

/* Cooperation (h_coop.c): no offers or requests in the fake platform. */
int platform_coop_reallocate(struct platform *p, struct platform_receipt *out,
                             const struct platform_delegate *actor, const char *party,
                             struct gsi_err *err)
{
    (void)p;
    (void)out;
    (void)actor;
    (void)party;
    return gsi_err_set(err, GSI_ENOTFOUND, "no cooperation in the fake platform");
}

int platform_coop_matches(struct platform *p, struct platform_coop_match **out, size_t *n,
                          int64_t request, size_t top, bool compatible, int64_t *as_of,
                          struct gsi_err *err)
{
    (void)p;
    (void)request;
    (void)top;
    (void)compatible;
    *out = NULL;
    *n = 0;
    *as_of = 0;
    (void)err;
    return 0;
}

int platform_coop_result_get(struct platform *p, struct platform_coop_result *out,
                             struct gsi_err *err)
{
    (void)p;
    (void)err;
    memset(out, 0, sizeof *out);
    return 0;
}

void platform_coop_result_release(struct platform_coop_result *r)
{
    (void)r;
}

/* --- consultations and agreements: nothing to find, so their routes answer 404. --- */
#include "platform/consult.h"
#include "platform/consult_live.h"

const struct platform_proc platform_proc_consultation = { .name = "consultation",
                                                          .path = "consultations" };
const struct platform_proc platform_proc_agreement = { .name = "agreement", .path = "agreements" };

int platform_consult_live_view(struct platform *p, int64_t consultation, char **json, size_t *len,
                               struct gsi_err *err)
{
    (void)p, (void)consultation, (void)json, (void)len;
    return gsi_err_set(err, GSI_ENOTFOUND, "no consultations in the fake platform");
}

int platform_consult_public_register(struct platform *p, char token[CONSULT_PUBLIC_TOKEN_MAX],
                                     int64_t *participant, int64_t consultation, const char *name,
                                     const char *address, int64_t now_s, struct gsi_err *err)
{
    (void)p, (void)token, (void)participant, (void)consultation, (void)name, (void)address;
    (void)now_s;
    return gsi_err_set(err, GSI_ENOTFOUND, "no consultations in the fake platform");
}

int platform_consult_public_act(struct platform *p, struct platform_proc_receipt *out,
                                int64_t consultation, const char *token, const char *verb,
                                const char *payload, size_t len, struct gsi_err *err)
{
    (void)p, (void)out, (void)consultation, (void)token, (void)verb, (void)payload, (void)len;
    return gsi_err_set(err, GSI_ENOTFOUND, "no consultations in the fake platform");
}

int platform_consult_agreement_bytes(struct platform *p, struct gsi_buf *out, int64_t id,
                                     struct gsi_err *err)
{
    (void)p, (void)out, (void)id;
    return gsi_err_set(err, GSI_ENOTFOUND, "no agreements in the fake platform");
}

int platform_consult_agreement_export(struct platform *p, struct gsi_buf *out, int64_t id,
                                      struct gsi_err *err)
{
    (void)p, (void)out, (void)id;
    return gsi_err_set(err, GSI_ENOTFOUND, "no agreements in the fake platform");
}

int platform_consult_proposals_json(struct platform *p, struct gsi_buf *out, int64_t id,
                                    struct gsi_err *err)
{
    (void)p, (void)out, (void)id;
    return gsi_err_set(err, GSI_ENOTFOUND, "no consultations in the fake platform");
}
