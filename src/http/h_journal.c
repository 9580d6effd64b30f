/*
 * h_journal.c — the public, verifiable journal: the signed checkpoint, the verifier key,
 * entries, and RFC 6962 inclusion and consistency proofs. Hashes are lower-case hex; the
 * checkpoint is the C2SP signed note, byte for byte.
 */
#include <stdlib.h>
#include <string.h>

#include "core/hex.h"
#include "http/handlers.h"
#include "platform/platform.h"

/* Default and largest page of entries. */
#define ENTRIES_PAGE_DEFAULT 100u

static json_t *hex_json(const uint8_t *bytes, size_t n)
{
    char hex[2 * PLATFORM_HASH_SIZE + 1];
    gsi_hex_encode(hex, bytes, n);
    return json_string(hex);
}

static json_t *proof_json(uint8_t (*proof)[PLATFORM_HASH_SIZE], size_t len)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < len; i++) {
        json_array_append_new(a, hex_json(proof[i], PLATFORM_HASH_SIZE));
    }
    return a;
}

/* The journal's committed size, for defaults and range checks. */
static int journal_size(struct http_req *req, uint64_t *size)
{
    return platform_journal_size(req->platform, size, &req->err);
}

/* As journal_size; a proof needs at least one entry, so an empty journal is GSI_ENOTFOUND. */
static int journal_size_nonempty(struct http_req *req, uint64_t *size)
{
    if (journal_size(req, size) < 0) {
        return req->err.code;
    }
    if (*size == 0) {
        return gsi_err_set(&req->err, GSI_ENOTFOUND, "the journal is empty");
    }
    return 0;
}

int http__journal_checkpoint(struct http_req *req, struct http_resp *resp)
{
    struct gsi_buf note;
    gsi_buf_init(&note, 1u << 16);
    if (platform_journal_checkpoint(req->platform, &note, &req->err) < 0) {
        gsi_buf_release(&note);
        return req->err.code;
    }
    if (req->want_text) {
        /* The signed note as-is, for tools that verify C2SP notes (Accept: text/plain). */
        gsi_buf_release(&resp->body);
        resp->body = note;
        resp->status = 200;
        resp->content_type = "text/plain; charset=utf-8";
        return 0;
    }
    /* A note's body is "origin\nsize\nbase64 root\n" (C2SP tlog-checkpoint). */
    const char *origin = note.data != NULL ? note.data : "";
    const char *nl1 = strchr(origin, '\n');
    const char *nl2 = nl1 != NULL ? strchr(nl1 + 1, '\n') : NULL;
    const char *nl3 = nl2 != NULL ? strchr(nl2 + 1, '\n') : NULL;
    if (nl3 == NULL) {
        gsi_buf_release(&note);
        return gsi_err_set(&req->err, GSI_EVERIFY, "the stored checkpoint is not a signed note");
    }
    json_t *j = json_pack("{s:s%,s:I,s:s%,s:s}", "origin", origin, (size_t)(nl1 - origin), "size",
                          (json_int_t)strtoll(nl1 + 1, NULL, 10), "root", nl2 + 1,
                          (size_t)(nl3 - nl2 - 1), "note", origin);
    gsi_buf_release(&note);
    return http_resp_json(resp, 200, j);
}

int http__journal_key(struct http_req *req, struct http_resp *resp)
{
    struct gsi_buf vkey;
    gsi_buf_init(&vkey, 1024);
    if (platform_journal_vkey(req->platform, &vkey, &req->err) < 0) {
        gsi_buf_release(&vkey);
        return req->err.code;
    }
    json_t *j = json_pack("{s:s}", "vkey", vkey.data != NULL ? vkey.data : "");
    gsi_buf_release(&vkey);
    return http_resp_json(resp, 200, j);
}

static json_t *entry_json(const struct platform_entry *e)
{
    if (e->confidential) {
        /* The public listing of a confidential act: where it is in the tree and its leaf
         * hash (so the tree can still be checked), nothing of who, what or when. */
        return json_pack("{s:I,s:s,s:b}", "index", (json_int_t)e->index, "leaf_hash", e->leaf_hash,
                         "confidential", 1);
    }
    return json_pack("{s:I,s:s,s:s,s:I,s:s,s:s,s:s,s:s}", "index", (json_int_t)e->index, "type",
                     e->type, "party", e->party, "delegate", (json_int_t)e->delegate, "time",
                     e->time, "payload_hash", e->payload_hash, "leaf_hash", e->leaf_hash, "subject",
                     e->subject);
}

int http__journal_entries(struct http_req *req, struct http_resp *resp)
{
    uint64_t size;
    uint64_t start;
    uint64_t end;
    if (journal_size(req, &size) < 0 ||
        http_req_query_u64(&start, req, "start", false, 0, 0, size) < 0) {
        return req->err.code;
    }
    uint64_t dflt = size - start < ENTRIES_PAGE_DEFAULT ? size : start + ENTRIES_PAGE_DEFAULT;
    if (http_req_query_u64(&end, req, "end", false, dflt, start, size) < 0) {
        return req->err.code;
    }
    if (end - start > PLATFORM_ENTRIES_MAX) {
        return gsi_err_set(
            &req->err, GSI_EUSAGE, "at most %u entries per request (start=%llu, end=%llu)",
            PLATFORM_ENTRIES_MAX, (unsigned long long)start, (unsigned long long)end);
    }
    struct platform_entry *entries = NULL;
    size_t n = 0;
    if (end > start &&
        platform_journal_entries(req->platform, &entries, &n, start, end, &req->err) < 0) {
        return req->err.code;
    }
    json_t *list = json_array();
    for (size_t i = 0; list != NULL && i < n; i++) {
        json_array_append_new(list, entry_json(&entries[i]));
    }
    free(entries);
    json_t *j = json_pack("{s:I,s:I,s:I,s:o}", "start", (json_int_t)start, "end", (json_int_t)end,
                          "size", (json_int_t)size, "entries", list);
    return http_resp_json(resp, 200, j);
}

int http__journal_proof_inclusion(struct http_req *req, struct http_resp *resp)
{
    uint64_t cur;
    uint64_t index;
    uint64_t size;
    if (journal_size_nonempty(req, &cur) < 0) {
        return req->err.code;
    }
    if (http_req_query_u64(&size, req, "size", false, cur, 1, cur) < 0 ||
        http_req_query_u64(&index, req, "index", true, 0, 0, size - 1) < 0) {
        return req->err.code;
    }
    uint8_t proof[PLATFORM_PROOF_MAX][PLATFORM_HASH_SIZE];
    size_t len = 0;
    uint8_t root[PLATFORM_HASH_SIZE];
    struct platform_entry *e = NULL;
    size_t ne = 0;
    if (platform_journal_proof_inclusion(req->platform, proof, &len, index, size, &req->err) < 0 ||
        platform_journal_root(req->platform, root, size, &req->err) < 0 ||
        platform_journal_entries(req->platform, &e, &ne, index, index + 1, &req->err) < 0) {
        return req->err.code;
    }
    json_t *j = json_pack("{s:I,s:I,s:s,s:o,s:o}", "index", (json_int_t)index, "size",
                          (json_int_t)size, "leaf_hash", ne == 1 ? e[0].leaf_hash : "", "root",
                          hex_json(root, sizeof root), "proof", proof_json(proof, len));
    free(e);
    return http_resp_json(resp, 200, j);
}

int http__journal_proof_consistency(struct http_req *req, struct http_resp *resp)
{
    uint64_t cur;
    uint64_t from;
    uint64_t to;
    if (journal_size_nonempty(req, &cur) < 0) {
        return req->err.code;
    }
    if (http_req_query_u64(&to, req, "to", false, cur, 1, cur) < 0 ||
        http_req_query_u64(&from, req, "from", true, 0, 1, to) < 0) {
        return req->err.code;
    }
    uint8_t proof[PLATFORM_PROOF_MAX][PLATFORM_HASH_SIZE];
    size_t len = 0;
    uint8_t root_from[PLATFORM_HASH_SIZE];
    uint8_t root_to[PLATFORM_HASH_SIZE];
    if (platform_journal_proof_consistency(req->platform, proof, &len, from, to, &req->err) < 0 ||
        platform_journal_root(req->platform, root_from, from, &req->err) < 0 ||
        platform_journal_root(req->platform, root_to, to, &req->err) < 0) {
        return req->err.code;
    }
    json_t *j = json_pack("{s:I,s:I,s:o,s:o,s:o}", "from", (json_int_t)from, "to", (json_int_t)to,
                          "root_from", hex_json(root_from, sizeof root_from), "root_to",
                          hex_json(root_to, sizeof root_to), "proof", proof_json(proof, len));
    return http_resp_json(resp, 200, j);
}
