/* canonical.c — the canonical bytes the journal commits to: records, delegates and parties
 * (their SHA-256 is an entry's payload hash) and an entry's leaf data. canonical.h specifies
 * every byte; the functions here are the only place those bytes are formed. */
#include "platform/canonical.h"

#include <stdio.h>
#include <string.h>

#include "platform/internal.h"

/* --- an entry's leaf data --- */

static void entry_to_journal(struct journal_entry *je, const struct platform_entry *e)
{
    memset(je, 0, sizeof *je);
    snprintf(je->type, sizeof je->type, "%s", e->type);
    snprintf(je->party, sizeof je->party, "%s", e->party);
    if (e->delegate > 0) {
        snprintf(je->delegate, sizeof je->delegate, "%lld", (long long)e->delegate);
    }
    je->time_us = e->time_us;
    snprintf(je->subject, sizeof je->subject, "%s", e->subject);
}

int platform_entry_canonical(struct gsi_buf *out, const struct platform_entry *e,
                             struct gsi_err *err)
{
    struct journal_entry je;
    entry_to_journal(&je, e);
    int rc = platform_unhex(je.payload_hash, e->payload_hash, strlen(e->payload_hash), err);
    if (rc < 0) {
        return rc;
    }
    uint8_t bytes[JOURNAL_ENTRY_MAX_BYTES];
    size_t n = 0;
    rc = journal_entry_encode(bytes, sizeof bytes, &n, &je, err);
    if (rc < 0 || !e->blind) {
        return rc < 0 ? rc : gsi_buf_append(out, bytes, n);
    }
    uint8_t salt[JOURNAL_ENTRY_SALT_SIZE];
    if (strlen(e->salt) != 2 * sizeof salt) {
        return gsi_err_set(err, GSI_EDATA,
                           "journal entry %llu: its record's salt is not 64 hex digits",
                           (unsigned long long)e->index);
    }
    rc = platform_unhex(salt, e->salt, 2 * sizeof salt, err);
    if (rc < 0) {
        return rc;
    }
    uint8_t blind[JOURNAL_ENTRY_BLIND_BYTES];
    journal_entry_blind(blind, salt, bytes, n);
    return gsi_buf_append(out, blind, sizeof blind);
}

int platform_entry_form(struct platform_entry *e, const char *salt, struct gsi_err *err)
{
    e->blind = false;
    e->salt[0] = '\0';
    if (salt == NULL || salt[0] == '\0') {
        return 0;
    }
    struct gsi_buf bytes;
    gsi_buf_init(&bytes, JOURNAL_ENTRY_MAX_BYTES + 1);
    int rc = platform_entry_canonical(&bytes, e, err);
    if (rc == 0) {
        uint8_t leaf[JOURNAL_HASH_SIZE];
        char hex[PLATFORM_HEX_MAX];
        journal_merkle_leaf_hash(leaf, bytes.data, bytes.len);
        platform_hex(hex, leaf);
        /* A confidential act written before blinding keeps its version-1 leaf. */
        e->blind = strcmp(hex, e->leaf_hash) != 0;
        snprintf(e->salt, sizeof e->salt, "%s", e->blind ? salt : "");
    }
    gsi_buf_release(&bytes);
    return rc;
}

/* --- payload bytes (the texts canonical.h specifies) --- */

int platform_canon_record(struct gsi_buf *out, int64_t id, const char *type, const char *party,
                          int64_t delegate, const char *time, bool confidential,
                          const char *audience, uint64_t journal_index, const char *payload,
                          size_t payload_len, struct gsi_err *err)
{
    return platform_canon_record_salted(out, id, type, party, delegate, time, confidential,
                                        audience, journal_index, "", payload, payload_len, err);
}

int platform_canon_record_salted(struct gsi_buf *out, int64_t id, const char *type,
                                 const char *party, int64_t delegate, const char *time,
                                 bool confidential, const char *audience, uint64_t journal_index,
                                 const char *salt, const char *payload, size_t payload_len,
                                 struct gsi_err *err)
{
    /* v1 for public records (and every record written before salts); v2, with the salt
     * line before the payload, for a confidential one: every other field is public or
     * guessable, so without the salt a guess of a short payload could be confirmed
     * against the public payload hash. */
    bool v2 = salt[0] != '\0';
    int rc = gsi_buf_appendf(out,
                             "gsi-record/v%d\nid %lld\ntype %s\nparty %s\ndelegate %lld\ntime %s\n"
                             "confidential %d\naudience %s\njournal %llu\n%s%s%spayload %zu\n",
                             v2 ? 2 : 1, (long long)id, type, party, (long long)delegate, time,
                             confidential ? 1 : 0, audience, (unsigned long long)journal_index,
                             v2 ? "salt " : "", salt, v2 ? "\n" : "", payload_len);
    if (rc == 0) {
        rc = gsi_buf_append(out, payload, payload_len);
    }
    if (rc < 0) {
        return gsi_err_set(err, rc, "record %lld is larger than %u bytes", (long long)id,
                           (unsigned)PLATFORM_CANON_MAX);
    }
    return 0;
}

int platform_canon_delegate(struct gsi_buf *out, int64_t id, const char *party, const char *role,
                            const char *name, const char *pubkey, const char *token_hash,
                            const char *created, struct gsi_err *err)
{
    int rc = gsi_buf_appendf(out,
                             "gsi-delegate/v1\nid %lld\nparty %s\nrole %s\nname %s\npubkey %s\n"
                             "token-sha256 %s\ncreated %s\n",
                             (long long)id, party, role, name, pubkey, token_hash, created);
    return rc < 0 ? gsi_err_set(err, rc, "delegate %lld: too large", (long long)id) : 0;
}

int platform_canon_party(struct gsi_buf *out, const char *id, const char *kind, const char *name,
                         const char *region, const char *created, const char *members,
                         struct gsi_err *err)
{
    int rc = gsi_buf_appendf(out,
                             "gsi-party/v1\nid %s\nkind %s\nname %s\nregion %s\ncreated %s\n"
                             "members %s\n",
                             id, kind, name, region, created, members);
    return rc < 0 ? gsi_err_set(err, rc, "party %s: too large", id) : 0;
}
