/* Canonical entry bytes. See entry.h and docs/internals/journal.md. */
#include "journal/entry.h"

#include <string.h>

static const uint8_t magic[4] = { 'G', 'S', 'I', 'J' };

enum charset { CS_TYPE, CS_ID, CS_PRINT };

static int char_ok(unsigned char c, enum charset cs)
{
    switch (cs) {
    case CS_TYPE:
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    case CS_ID:
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
    case CS_PRINT:
        return c >= 0x20 && c < 0x7f;
    }
    return 0;
}

static int field_ok(const char *s, size_t n, size_t min, size_t max, enum charset cs)
{
    if (n < min || n > max) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (!char_ok((unsigned char)s[i], cs)) {
            return 0;
        }
    }
    return 1;
}

struct field {
    const char *name;
    size_t off; /* offset of the char array in struct journal_entry */
    size_t min, max;
    enum charset cs;
};

/* The string fields, in encoding order; time sits between delegate and subject. */
static const struct field fields[] = {
    { "type", offsetof(struct journal_entry, type), 1, JOURNAL_ENTRY_TYPE_MAX, CS_TYPE },
    { "party", offsetof(struct journal_entry, party), 0, JOURNAL_ENTRY_PARTY_MAX, CS_ID },
    { "delegate", offsetof(struct journal_entry, delegate), 0, JOURNAL_ENTRY_DELEGATE_MAX, CS_ID },
    { "subject", offsetof(struct journal_entry, subject), 0, JOURNAL_ENTRY_SUBJECT_MAX, CS_PRINT },
};

int journal_entry_encode(uint8_t *out, size_t cap, size_t *len, const struct journal_entry *e,
                         struct gsi_err *err)
{
    *len = 0;
    uint8_t buf[JOURNAL_ENTRY_MAX_BYTES];
    size_t n = 0;
    memcpy(buf, magic, 4);
    buf[4] = JOURNAL_ENTRY_VERSION;
    n = 5;
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
        if (f == 3) {
            uint64_t t = (uint64_t)e->time_us; /* two's complement, big-endian */
            for (int i = 7; i >= 0; i--) {
                buf[n++] = (uint8_t)(t >> (8 * i));
            }
        }
        const char *s = (const char *)e + fields[f].off;
        size_t sl = strnlen(s, fields[f].max + 1);
        if (!field_ok(s, sl, fields[f].min, fields[f].max, fields[f].cs)) {
            return gsi_err_set(
                err, GSI_EDATA,
                "journal: entry %s \"%.64s\" is out of range (%zu to %zu bytes of the allowed characters)",
                fields[f].name, s, fields[f].min, fields[f].max);
        }
        buf[n++] = (uint8_t)(sl >> 8);
        buf[n++] = (uint8_t)sl;
        memcpy(buf + n, s, sl);
        n += sl;
    }
    memcpy(buf + n, e->payload_hash, JOURNAL_HASH_SIZE);
    n += JOURNAL_HASH_SIZE;
    if (n > cap) {
        return gsi_err_set(err, GSI_ELIMIT, "journal: entry needs %zu bytes, the buffer holds %zu",
                           n, cap);
    }
    memcpy(out, buf, n);
    *len = n;
    return 0;
}

int journal_entry_decode(struct journal_entry *e, const uint8_t *bytes, size_t len,
                         struct gsi_err *err)
{
    memset(e, 0, sizeof *e);
    if (len < 5 || memcmp(bytes, magic, 4) != 0 || bytes[4] != JOURNAL_ENTRY_VERSION) {
        return gsi_err_set(err, GSI_EDATA,
                           "journal: entry does not start with \"GSIJ\" and version 1");
    }
    size_t at = 5;
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
        if (f == 3) {
            if (len - at < 8) {
                return gsi_err_set(err, GSI_EDATA, "journal: entry ends inside the time");
            }
            uint64_t t = 0;
            for (int i = 0; i < 8; i++) {
                t = (t << 8) | bytes[at++];
            }
            /* Two's complement back to signed without implementation-defined conversion. */
            e->time_us = t > (uint64_t)INT64_MAX ? -(int64_t)(~t) - 1 : (int64_t)t;
        }
        if (len - at < 2) {
            return gsi_err_set(err, GSI_EDATA, "journal: entry ends before the %s length",
                               fields[f].name);
        }
        size_t sl = ((size_t)bytes[at] << 8) | bytes[at + 1];
        at += 2;
        if (sl > len - at) {
            return gsi_err_set(err, GSI_EDATA, "journal: entry ends inside the %s", fields[f].name);
        }
        const char *s = (const char *)bytes + at;
        if (!field_ok(s, sl, fields[f].min, fields[f].max, fields[f].cs)) {
            return gsi_err_set(err, GSI_EDATA, "journal: entry %s is out of range", fields[f].name);
        }
        char *dst = (char *)e + fields[f].off;
        memcpy(dst, s, sl);
        dst[sl] = '\0';
        at += sl;
    }
    if (len - at != JOURNAL_HASH_SIZE) {
        return gsi_err_set(err, GSI_EDATA,
                           "journal: entry has %zu bytes where the 32-byte payload hash belongs",
                           len - at);
    }
    memcpy(e->payload_hash, bytes + at, JOURNAL_HASH_SIZE);
    return 0;
}

int journal_entry_leaf_hash(uint8_t out[JOURNAL_HASH_SIZE], const struct journal_entry *e,
                            struct gsi_err *err)
{
    uint8_t buf[JOURNAL_ENTRY_MAX_BYTES];
    size_t n;
    int rc = journal_entry_encode(buf, sizeof buf, &n, e, err);
    if (rc < 0) {
        return rc;
    }
    journal_merkle_leaf_hash(out, buf, n);
    return 0;
}

void journal_entry_blind(uint8_t out[JOURNAL_ENTRY_BLIND_BYTES],
                         const uint8_t salt[JOURNAL_ENTRY_SALT_SIZE], const uint8_t *full,
                         size_t full_len)
{
    static const char domain[] = JOURNAL_ENTRY_BLIND_DOMAIN;
    uint8_t buf[sizeof domain - 1 + JOURNAL_ENTRY_SALT_SIZE + JOURNAL_ENTRY_MAX_BYTES];
    size_t n = sizeof domain - 1;
    memcpy(buf, domain, n);
    memcpy(buf + n, salt, JOURNAL_ENTRY_SALT_SIZE);
    n += JOURNAL_ENTRY_SALT_SIZE;
    /* full_len <= JOURNAL_ENTRY_MAX_BYTES for anything journal_entry_encode wrote; clamp
     * anyway so a wrong caller cannot overrun the buffer. */
    size_t fl = full_len < JOURNAL_ENTRY_MAX_BYTES ? full_len : JOURNAL_ENTRY_MAX_BYTES;
    memcpy(buf + n, full, fl);
    n += fl;
    memcpy(out, magic, 4);
    out[4] = JOURNAL_ENTRY_VERSION_BLIND;
    journal_sha256(out + 5, buf, n);
}

int journal_entry_check(const uint8_t *bytes, size_t len, struct gsi_err *err)
{
    if (len >= 5 && memcmp(bytes, magic, 4) == 0 && bytes[4] == JOURNAL_ENTRY_VERSION_BLIND) {
        if (len != JOURNAL_ENTRY_BLIND_BYTES) {
            return gsi_err_set(err, GSI_EDATA,
                               "journal: a blinded entry (version 2) has %zu bytes, not %d", len,
                               JOURNAL_ENTRY_BLIND_BYTES);
        }
        return 0;
    }
    struct journal_entry e;
    return journal_entry_decode(&e, bytes, len, err);
}
