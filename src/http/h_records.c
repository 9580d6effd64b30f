/*
 * h_records.c — acts on the record: reading them (as the caller may see them) and recording
 * one, which the platform commits together with its journal entry before it answers.
 *
 * Over this generic endpoint a delegate records notes only (type "note" or "note.<kind>"):
 * the typed acts of the features (concerns, votes, agreements...) go through their own
 * resources, which apply their own rules.
 */
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"
#include "platform/platform.h"

#define RECORDS_PAGE_DEFAULT 100u
#define RECORDS_PAGE_MAX     1000u
/* Payload bytes one page may carry. A payload goes out re-encoded with JSON_ENSURE_ASCII, at
 * most 3 times its stored size (a 2-byte UTF-8 character becomes \u00e9; a 4-byte one a
 * 12-byte surrogate pair), and up to RECORDS_PAGE_MAX records add their fields besides:
 * an eighth of the response cap keeps a full page well inside it. A page that stops here
 * says where the next one starts (next_after), like a full one. */
#define RECORDS_PAGE_BYTES (HTTP_RESP_MAX / 8u)

static json_t *record_json(const struct platform_record *r)
{
    json_t *j = json_pack("{s:I,s:s,s:s,s:I,s:s,s:b,s:I}", "id", (json_int_t)r->id, "type", r->type,
                          "party", r->party, "delegate", (json_int_t)r->delegate, "time", r->time,
                          "confidential", r->confidential, "index", (json_int_t)r->index);
    if (j == NULL) {
        return NULL;
    }
    if (r->salt[0] != '\0') {
        /* Only those who may see a confidential record get here: the salt lets them
         * recompute its payload hash and prove its inclusion (docs/internals/platform.md). */
        json_object_set_new(j, "salt", json_string(r->salt));
    }
    json_t *aud = json_array();
    const char *a = r->audience != NULL ? r->audience : "";
    while (aud != NULL && *a != '\0') {
        const char *comma = strchr(a, ',');
        size_t n = comma != NULL ? (size_t)(comma - a) : strlen(a);
        if (n > 0) {
            json_array_append_new(aud, json_stringn(a, n));
        }
        a += n + (comma != NULL ? 1 : 0);
    }
    json_object_set_new(j, "audience", aud);
    /* The payload was stored as JSON text; it goes out as JSON, or as a string should an
     * older row hold something else. */
    json_t *payload = r->payload != NULL
                          ? json_loadb(r->payload, r->payload_len, JSON_DECODE_ANY, NULL)
                          : json_object();
    if (payload == NULL) {
        payload = json_stringn(r->payload, r->payload_len);
    }
    json_object_set_new(j, "payload", payload);
    return j;
}

static int list(struct http_req *req, struct http_resp *resp, const char *party)
{
    const char *type = req->query != NULL ? req->query(req->query_ctx, "type") : NULL;
    uint64_t after;
    uint64_t limit;
    if (http_req_query_u64(&after, req, "after", false, 0, 0, INT64_MAX) < 0 ||
        http_req_query_u64(&limit, req, "limit", false, RECORDS_PAGE_DEFAULT, 1, RECORDS_PAGE_MAX) <
            0) {
        return req->err.code;
    }
    struct platform_delegate anon;
    struct platform_record *recs = NULL;
    size_t n = 0;
    bool more = false;
    if (platform_record_list(req->platform, &recs, &n, http_viewer(req, &anon), type, party,
                             (int64_t)after, (size_t)limit, RECORDS_PAGE_BYTES, &more,
                             &req->err) < 0) {
        return req->err.code;
    }
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < n; i++) {
        json_array_append_new(a, record_json(&recs[i]));
    }
    json_t *j = json_pack("{s:o}", "records", a);
    if (j != NULL && more && n > 0) {
        /* Where the next page starts. */
        json_object_set_new(j, "next_after", json_integer((json_int_t)recs[n - 1].id));
    }
    platform_record_list_free(recs, n);
    return http_resp_json(resp, 200, j);
}

int http__records_list(struct http_req *req, struct http_resp *resp)
{
    const char *party = req->query != NULL ? req->query(req->query_ctx, "party") : NULL;
    struct platform_party p;
    /* A party that does not exist is the caller's mistake (404, as for its own path), not
     * an empty page that reads like "no records". */
    if (party != NULL && platform_party_get(req->platform, &p, party, &req->err) < 0) {
        return req->err.code;
    }
    return list(req, resp, party);
}

int http__party_records_list(struct http_req *req, struct http_resp *resp)
{
    struct platform_party p;
    if (platform_party_get(req->platform, &p, req->params[0], &req->err) < 0) {
        return req->err.code;
    }
    return list(req, resp, p.id);
}

int http__record_get(struct http_req *req, struct http_resp *resp)
{
    int64_t id;
    if (http_req_param_id(&id, req, "record") < 0) {
        return req->err.code;
    }
    struct platform_delegate anon;
    struct platform_record r;
    if (platform_record_get(req->platform, &r, http_viewer(req, &anon), id, &req->err) < 0) {
        return req->err.code;
    }
    json_t *j = record_json(&r);
    platform_record_release(&r);
    return http_resp_json(resp, 200, j);
}

static bool note_type(const char *t)
{
    return strcmp(t, "note") == 0 || (strncmp(t, "note.", 5) == 0 && t[5] != '\0');
}

/* Whether audience[0..i) already holds `id`. */
static bool audience_has(json_t *aud, size_t i, const char *id)
{
    for (size_t k = 0; k < i; k++) {
        const char *s = json_string_value(json_array_get(aud, k));
        if (s != NULL && strcmp(s, id) == 0) {
            return true;
        }
    }
    return false;
}

/* Joins the audience array into "CHN,IND", the platform's form. Each party once: a repeated
 * id would be stored, hashed and journalled as given, two spellings of one audience. */
static int audience_join(struct gsi_buf *out, json_t *aud, struct gsi_err *err)
{
    size_t i;
    json_t *v;
    json_array_foreach(aud, i, v)
    {
        const char *id = json_string_value(v);
        if (id == NULL || id[0] == '\0' || strlen(id) >= PLATFORM_ID_MAX || strchr(id, ',')) {
            return gsi_err_set(err, GSI_EUSAGE, "audience[%zu] must be a party id such as \"CHN\"",
                               i);
        }
        if (audience_has(aud, i, id)) {
            return gsi_err_set(err, GSI_EUSAGE, "audience[%zu]: party '%s' is named twice", i, id);
        }
        if ((i > 0 && gsi_buf_putc(out, ',') < 0) || gsi_buf_puts(out, id) < 0) {
            return gsi_err_set(err, GSI_EUSAGE, "the audience is longer than %u bytes",
                               PLATFORM_AUDIENCE_MAX);
        }
    }
    return 0;
}

int http__party_records_add(struct http_req *req, struct http_resp *resp)
{
    /* Non-interference first: a delegate of another party learns nothing more. */
    if (platform_may_act_for(req->auth, req->params[0], &req->err) < 0) {
        return req->err.code;
    }
    json_t *body;
    if (http_req_json(&body, req) < 0) {
        return req->err.code;
    }
    const char *type = "note";
    json_t *payload = NULL;
    int confidential = 0;
    json_t *aud = NULL;
    json_error_t je;
    int rc = 0;
    char *payload_text = NULL;
    struct gsi_buf audience;
    gsi_buf_init(&audience, PLATFORM_AUDIENCE_MAX - 1);
    if (json_unpack_ex(body, &je, JSON_STRICT, "{s?s,s?o,s?b,s?o}", "type", &type, "payload",
                       &payload, "confidential", &confidential, "audience", &aud) < 0) {
        rc = gsi_err_set(&req->err, GSI_EUSAGE,
                         "the body takes \"type\", \"payload\", \"confidential\" and "
                         "\"audience\" only: %s",
                         je.text);
        goto done;
    }
    if (!note_type(type) || strlen(type) >= PLATFORM_TYPE_MAX) {
        rc = gsi_err_set(&req->err, GSI_EUSAGE,
                         "\"type\" must be \"note\" or \"note.<kind>\" here, not \"%.64s\"", type);
        goto done;
    }
    if (aud != NULL && !json_is_array(aud)) {
        rc = gsi_err_set(&req->err, GSI_EUSAGE, "\"audience\" must be an array of party ids");
        goto done;
    }
    if (aud != NULL && !confidential) {
        /* A public record is shown to everyone: an audience would say otherwise. */
        rc = gsi_err_set(&req->err, GSI_EUSAGE,
                         "\"audience\" is for a confidential record only (\"confidential\": true)");
        goto done;
    }
    if (aud != NULL && (rc = audience_join(&audience, aud, &req->err)) < 0) {
        goto done;
    }
    /* The payload is stored and hashed as this server writes it: compact, keys sorted, so
     * the same content always has the same hash whatever spacing the client used. */
    if (payload != NULL) {
        payload_text = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
        if (payload_text == NULL) {
            rc = gsi_err_set(&req->err, GSI_ENOMEM, "out of memory encoding the payload");
            goto done;
        }
    }
    struct platform_act act = {
        .type = type,
        .party = req->params[0],
        .payload = payload_text,
        .payload_len = payload_text != NULL ? strlen(payload_text) : 0,
        .confidential = confidential != 0,
        .audience = audience.len > 0 ? audience.data : NULL,
    };
    struct platform_receipt r;
    if ((rc = platform_act_record(req->platform, &r, req->auth, &act, &req->err)) < 0) {
        goto done;
    }
    snprintf(resp->location, sizeof resp->location, "/v1/records/%lld", (long long)r.record_id);
    rc = http_resp_json(resp, 201,
                        json_pack("{s:I,s:s,s:s,s:I,s:s,s:s,s:I}", "id", (json_int_t)r.record_id,
                                  "type", type, "party", req->params[0], "index",
                                  (json_int_t)r.index, "time", r.time, "leaf_hash", r.leaf_hash,
                                  "tree_size", (json_int_t)r.tree_size));
done:
    free(payload_text);
    gsi_buf_release(&audience);
    json_decref(body);
    return rc;
}
