/* C2SP signed notes, as Go's golang.org/x/mod/sumdb/note reads and writes them. See note.h. */
#include "journal/note.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/text.h"
#include "journal/merkle.h"

/* "— " : U+2014 EM DASH in UTF-8, then a space. */
static const char sig_prefix[] = "\xe2\x80\x94 ";
#define SIG_PREFIX_LEN 4
/* Largest decoded signature line payload kept for an unknown key: key ID + 512 bytes leaves
 * room for other algorithms (cosignatures are 4 + 8 + 64) while bounding the work. */
#define SIG_DECODED_MAX (4 + 512)

/* Decodes one UTF-8 sequence at s[0..n). Returns its length and sets *cp, or 0 when the bytes
 * are not valid UTF-8 (overlong forms, surrogates and code points past U+10FFFF included),
 * exactly the sequences Go's utf8.DecodeRune reports as RuneError of width 1. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0) {
        return 0;
    }
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2, v = c & 0x1fu, min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3, v = c & 0x0fu, min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4, v = c & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len) {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0u) != 0x80u) {
            return 0;
        }
        v = (v << 6) | (s[i] & 0x3fu);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
        return 0;
    }
    *cp = v;
    return len;
}

/* Go's unicode.IsSpace. */
static int is_unicode_space(uint32_t c)
{
    switch (c) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
        return 1;
    default:
        return c >= 0x2000 && c <= 0x200a;
    }
}

int journal_note_name_valid(const char *name, size_t len)
{
    if (len == 0 || len > JOURNAL_NOTE_NAME_MAX) {
        return 0;
    }
    const unsigned char *s = (const unsigned char *)name;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t w = utf8_decode(s + i, len - i, &c);
        if (w == 0 || c == '+' || is_unicode_space(c) || c == 0) {
            return 0;
        }
        i += w;
    }
    return 1;
}

size_t journal_note_text_check(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t w = utf8_decode(s + i, len - i, &c);
        if (w == 0 || (c < 0x20 && c != '\n')) {
            return i;
        }
        i += w;
    }
    return len;
}

uint32_t journal_note_key_id(const char *name, size_t name_len,
                             const uint8_t pub[JOURNAL_ED25519_PUB_SIZE])
{
    return journal_note_key_id_alg(name, name_len, JOURNAL_NOTE_ALG_ED25519, pub);
}

uint32_t journal_note_key_id_alg(const char *name, size_t name_len, uint8_t alg,
                                 const uint8_t pub[JOURNAL_ED25519_PUB_SIZE])
{
    const unsigned char sep[2] = { '\n', alg };
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)name, (unsigned long long)name_len);
    crypto_hash_sha256_update(&st, sep, sizeof sep);
    crypto_hash_sha256_update(&st, pub, JOURNAL_ED25519_PUB_SIZE);
    crypto_hash_sha256_final(&st, h);
    return ((uint32_t)h[0] << 24) | ((uint32_t)h[1] << 16) | ((uint32_t)h[2] << 8) | (uint32_t)h[3];
}

/* Splits s[0..n) at the first `sep`: the head goes to *head, the rest (after sep) to *tail.
 * Returns 0 when sep is absent (then head is everything and tail is empty), as Go's chop. */
static int chop(const char *s, size_t n, char sep, const char **head, size_t *head_len,
                const char **tail, size_t *tail_len)
{
    const char *p = memchr(s, sep, n);
    *head = s;
    if (p == NULL) {
        *head_len = n;
        *tail = s + n;
        *tail_len = 0;
        return 0;
    }
    *head_len = (size_t)(p - s);
    *tail = p + 1;
    *tail_len = n - *head_len - 1;
    return 1;
}

static int parse_hex32(uint32_t *out, const char *s, size_t n)
{
    if (n != 8) {
        return -1;
    }
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        uint32_t d;
        if (c >= '0' && c <= '9') {
            d = (uint32_t)(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            d = (uint32_t)(c - 'a' + 10);
        } else if (c >= 'A' && c <= 'F') {
            d = (uint32_t)(c - 'A' + 10);
        } else {
            return -1;
        }
        v = (v << 4) | d;
    }
    *out = v;
    return 0;
}

/* Longest key text read: a name of JOURNAL_NOTE_NAME_MAX bytes and a few short fields fit in
 * far less; the cap bounds the work on garbage. */
#define KEY_TEXT_MAX ((size_t)4 * JOURNAL_NOTE_NAME_MAX)

/* The "<name>+<key ID>+<base64>" tail that verifier and signer keys share. */
struct key_fields {
    const char *name, *b64;
    size_t name_len, b64_len;
    uint32_t id;
};

/* Splits `s` into key fields and checks the name and the key ID's form; the base64 is left to
 * the caller. `kind` ("verifier", "signer") names the key in messages. */
static int key_fields_split(struct key_fields *f, const char *s, size_t len, const char *kind,
                            struct gsi_err *err)
{
    memset(f, 0, sizeof *f);
    const char *rest, *hex;
    size_t rest_len, hex_len;
    chop(s, len, '+', &f->name, &f->name_len, &rest, &rest_len);
    chop(rest, rest_len, '+', &hex, &hex_len, &f->b64, &f->b64_len);
    if (!journal_note_name_valid(f->name, f->name_len)) {
        return gsi_err_set(err, GSI_EDATA,
                           "journal: %s key: name is empty, too long or holds '+' or a space",
                           kind);
    }
    if (parse_hex32(&f->id, hex, hex_len) < 0) {
        return gsi_err_set(err, GSI_EDATA,
                           "journal: %s key: expected 8 hex digits of key ID after the name", kind);
    }
    return 0;
}

int journal_note_verifier_parse(struct journal_note_verifier *v, const char *vkey, size_t len,
                                struct gsi_err *err)
{
    memset(v, 0, sizeof *v);
    if (len > KEY_TEXT_MAX) {
        return gsi_err_set(err, GSI_ELIMIT,
                           "journal: verifier key is %zu bytes, longer than any valid one", len);
    }
    struct key_fields f;
    int rc = key_fields_split(&f, vkey, len, "verifier", err);
    if (rc < 0) {
        return rc;
    }
    uint8_t key[1 + JOURNAL_ED25519_PUB_SIZE + 1];
    size_t key_len;
    struct gsi_err e2 = GSI_ERR_INIT;
    if (journal_base64_decode(key, sizeof key, &key_len, f.b64, f.b64_len, &e2) < 0 ||
        key_len == 0) {
        return gsi_err_set(
            err, GSI_EDATA,
            "journal: verifier key: the key is not valid base64 of an algorithm byte and a key");
    }
    if (key[0] != JOURNAL_NOTE_ALG_ED25519) {
        return gsi_err_set(
            err, GSI_EDATA,
            "journal: verifier key: unknown algorithm 0x%02x (expected 0x01, Ed25519)", key[0]);
    }
    if (key_len != 1 + JOURNAL_ED25519_PUB_SIZE) {
        return gsi_err_set(err, GSI_EDATA,
                           "journal: verifier key: Ed25519 key is %zu bytes, expected 32",
                           key_len - 1);
    }
    uint32_t want = journal_note_key_id(f.name, f.name_len, key + 1);
    if (want != f.id) {
        return gsi_err_set(
            err, GSI_EDATA,
            "journal: verifier key: key ID %08x does not match the key (expected %08x)", f.id,
            want);
    }
    memcpy(v->name, f.name, f.name_len);
    v->name[f.name_len] = '\0';
    v->id = f.id;
    memcpy(v->pub, key + 1, JOURNAL_ED25519_PUB_SIZE);
    return 0;
}

int journal_note_verifier_format(struct gsi_buf *out, const struct journal_note_verifier *v,
                                 struct gsi_err *err)
{
    uint8_t key[1 + JOURNAL_ED25519_PUB_SIZE];
    char b64[JOURNAL_BASE64_LEN(sizeof key)];
    key[0] = JOURNAL_NOTE_ALG_ED25519;
    memcpy(key + 1, v->pub, JOURNAL_ED25519_PUB_SIZE);
    int rc = journal_base64_encode(b64, sizeof b64, key, sizeof key, err);
    if (rc < 0) {
        return rc;
    }
    rc = gsi_buf_appendf(out, "%s+%08x+%s", v->name, v->id, b64);
    if (rc < 0) {
        return gsi_err_set(err, rc, "journal: cannot format the verifier key");
    }
    return 0;
}

int journal_note_signer_parse(struct journal_note_signer *s, const char *skey, size_t len,
                              struct gsi_err *err)
{
    memset(s, 0, sizeof *s);
    if (len > KEY_TEXT_MAX) {
        return gsi_err_set(err, GSI_ELIMIT,
                           "journal: signer key is %zu bytes, longer than any valid one", len);
    }
    const char *p1, *p2, *rest;
    size_t p1_len, p2_len, rest_len;
    chop(skey, len, '+', &p1, &p1_len, &rest, &rest_len);
    chop(rest, rest_len, '+', &p2, &p2_len, &rest, &rest_len);
    if (!gsi_slice_eq(p1, p1_len, "PRIVATE") || !gsi_slice_eq(p2, p2_len, "KEY")) {
        return gsi_err_set(err, GSI_EDATA, "journal: signer key must start with PRIVATE+KEY+");
    }
    struct key_fields f;
    int rc = key_fields_split(&f, rest, rest_len, "signer", err);
    if (rc < 0) {
        return rc;
    }
    rc = journal_crypto_init(err);
    if (rc < 0) {
        return rc;
    }
    /* The seed is secret: decode it straight into guarded memory. */
    uint8_t *key = sodium_malloc(1 + JOURNAL_ED25519_SEED_SIZE + 1);
    if (key == NULL) {
        return gsi_err_set(err, GSI_ENOMEM,
                           "journal: cannot allocate guarded memory for a secret key");
    }
    size_t key_len;
    struct gsi_err e2 = GSI_ERR_INIT;
    if (journal_base64_decode(key, 1 + JOURNAL_ED25519_SEED_SIZE + 1, &key_len, f.b64, f.b64_len,
                              &e2) < 0 ||
        key_len == 0) {
        rc = gsi_err_set(
            err, GSI_EDATA,
            "journal: signer key: the key is not valid base64 of an algorithm byte and a seed");
    } else if (key[0] != JOURNAL_NOTE_ALG_ED25519) {
        rc = gsi_err_set(err, GSI_EDATA,
                         "journal: signer key: unknown algorithm 0x%02x (expected 0x01, Ed25519)",
                         key[0]);
    } else if (key_len != 1 + JOURNAL_ED25519_SEED_SIZE) {
        rc =
            gsi_err_set(err, GSI_EDATA,
                        "journal: signer key: Ed25519 seed is %zu bytes, expected 32", key_len - 1);
    } else {
        rc = journal_key_from_seed(&s->key, key + 1, err);
    }
    sodium_free(key);
    if (rc < 0) {
        return rc;
    }
    uint32_t want = journal_note_key_id(f.name, f.name_len, s->key.pub);
    if (want != f.id) {
        journal_key_release(&s->key);
        return gsi_err_set(
            err, GSI_EDATA,
            "journal: signer key: key ID %08x does not match the key (expected %08x)", f.id, want);
    }
    memcpy(s->name, f.name, f.name_len);
    s->name[f.name_len] = '\0';
    s->id = f.id;
    return 0;
}

int journal_note_signer_take_key(struct journal_note_signer *s, const char *name,
                                 struct journal_key *key, struct gsi_err *err)
{
    memset(s, 0, sizeof *s);
    size_t name_len = strlen(name);
    if (!journal_note_name_valid(name, name_len)) {
        return gsi_err_set(err, GSI_EUSAGE,
                           "journal: key name \"%.64s\" is empty, too long or holds '+' or a space",
                           name);
    }
    if (key->secret == NULL) {
        return gsi_err_set(err, GSI_EUSAGE, "journal: a signer needs a key with its secret half");
    }
    memcpy(s->name, name, name_len + 1);
    s->id = journal_note_key_id(name, name_len, key->pub);
    s->key = *key;
    key->secret = NULL;
    memset(key->pub, 0, sizeof key->pub);
    return 0;
}

void journal_note_signer_verifier(struct journal_note_verifier *v,
                                  const struct journal_note_signer *s)
{
    memcpy(v->name, s->name, sizeof v->name);
    v->id = s->id;
    memcpy(v->pub, s->key.pub, sizeof v->pub);
}

void journal_note_signer_release(struct journal_note_signer *s)
{
    journal_key_release(&s->key);
    memset(s, 0, sizeof *s);
}

void journal_note_secret_free(char *secret)
{
    if (secret != NULL) {
        sodium_free(secret);
    }
}

int journal_note_key_generate(char **skey, struct gsi_buf *vkey, const char *name,
                              struct gsi_err *err)
{
    *skey = NULL;
    size_t name_len = strlen(name);
    if (!journal_note_name_valid(name, name_len)) {
        return gsi_err_set(err, GSI_EUSAGE,
                           "journal: key name \"%.64s\" is empty, too long or holds '+' or a space",
                           name);
    }
    struct journal_key key;
    int rc = journal_key_generate(&key, err);
    if (rc < 0) {
        return rc;
    }
    uint32_t id = journal_note_key_id(name, name_len, key.pub);
    /* "PRIVATE+KEY+" name "+" 8 hex "+" base64(33 bytes) = 44 chars, NUL. */
    size_t cap = 12 + name_len + 1 + 8 + 1 + JOURNAL_BASE64_LEN(33);
    char *out = sodium_malloc(cap);
    uint8_t *raw = sodium_malloc(1 + JOURNAL_ED25519_SEED_SIZE);
    if (out == NULL || raw == NULL) {
        if (out != NULL) {
            sodium_free(out);
        }
        if (raw != NULL) {
            sodium_free(raw);
        }
        journal_key_release(&key);
        return gsi_err_set(err, GSI_ENOMEM,
                           "journal: cannot allocate guarded memory for a secret key");
    }
    raw[0] = JOURNAL_NOTE_ALG_ED25519;
    memcpy(raw + 1, key.secret, JOURNAL_ED25519_SEED_SIZE);
    int head = snprintf(out, cap, "PRIVATE+KEY+%s+%08x+", name, id);
    rc = journal_base64_encode(out + head, cap - (size_t)head, raw, 1 + JOURNAL_ED25519_SEED_SIZE,
                               err);
    sodium_free(raw);
    if (rc == 0) {
        struct journal_note_verifier v;
        memcpy(v.name, name, name_len + 1);
        v.id = id;
        memcpy(v.pub, key.pub, sizeof v.pub);
        rc = journal_note_verifier_format(vkey, &v, err);
    }
    journal_key_release(&key);
    if (rc < 0) {
        sodium_free(out);
        return rc;
    }
    *skey = out;
    return 0;
}

static int add_sig_line(struct gsi_buf *out, const char *name, uint32_t id, const uint8_t *sig,
                        size_t sig_len, struct gsi_err *err)
{
    uint8_t raw[4 + JOURNAL_ED25519_SIG_SIZE];
    char b64[JOURNAL_BASE64_LEN(sizeof raw)];
    raw[0] = (uint8_t)(id >> 24);
    raw[1] = (uint8_t)(id >> 16);
    raw[2] = (uint8_t)(id >> 8);
    raw[3] = (uint8_t)id;
    memcpy(raw + 4, sig, sig_len);
    int rc = journal_base64_encode(b64, sizeof b64, raw, 4 + sig_len, err);
    if (rc < 0) {
        return rc;
    }
    if ((rc = gsi_buf_puts(out, sig_prefix)) < 0 || (rc = gsi_buf_puts(out, name)) < 0 ||
        (rc = gsi_buf_putc(out, ' ')) < 0 || (rc = gsi_buf_puts(out, b64)) < 0 ||
        (rc = gsi_buf_putc(out, '\n')) < 0) {
        return gsi_err_set(err, rc, "journal: signed note does not fit its buffer");
    }
    return 0;
}

int journal_note_sign(struct gsi_buf *out, const char *text, size_t len,
                      const struct journal_note_signer *signers, size_t nsigners,
                      struct gsi_err *err)
{
    if (len == 0 || text[len - 1] != '\n') {
        return gsi_err_set(err, GSI_EUSAGE,
                           "journal: note text must be non-empty and end in a newline");
    }
    if (len > JOURNAL_NOTE_MAX_BYTES) {
        return gsi_err_set(err, GSI_ELIMIT, "journal: note text is %zu bytes, more than %u", len,
                           JOURNAL_NOTE_MAX_BYTES);
    }
    size_t bad = journal_note_text_check(text, len);
    if (bad != len) {
        return gsi_err_set(err, GSI_EUSAGE,
                           "journal: note text byte %zu is a control character or not UTF-8", bad);
    }
    if (nsigners == 0 || nsigners > JOURNAL_NOTE_MAX_SIGS) {
        return gsi_err_set(err, GSI_EUSAGE, "journal: a note needs 1 to %d signers, got %zu",
                           JOURNAL_NOTE_MAX_SIGS, nsigners);
    }
    int rc;
    if ((rc = gsi_buf_append(out, text, len)) < 0 || (rc = gsi_buf_putc(out, '\n')) < 0) {
        return gsi_err_set(err, rc, "journal: signed note does not fit its buffer");
    }
    for (size_t i = 0; i < nsigners; i++) {
        const struct journal_note_signer *s = &signers[i];
        if (!journal_note_name_valid(s->name, strlen(s->name))) {
            return gsi_err_set(err, GSI_EUSAGE, "journal: signer %zu has an invalid name", i);
        }
        uint8_t sig[JOURNAL_ED25519_SIG_SIZE];
        rc = journal_key_sign(sig, &s->key, text, len, err);
        if (rc < 0) {
            return rc;
        }
        rc = add_sig_line(out, s->name, s->id, sig, sizeof sig, err);
        if (rc < 0) {
            return rc;
        }
    }
    return 0;
}

void journal_note_release(struct journal_note *note)
{
    free(note->text);
    free(note->sigs);
    memset(note, 0, sizeof *note);
}

static int malformed(struct gsi_err *err, long line, const char *what)
{
    return gsi_err_at(err, GSI_EDATA, "", line, 0, "journal: malformed signed note: %s", what);
}

static const struct journal_note_verifier *find_verifier(const struct journal_note_verifier *vs,
                                                         size_t n, const char *name,
                                                         size_t name_len, uint32_t id)
{
    for (size_t i = 0; i < n; i++) {
        if (vs[i].id == id && strlen(vs[i].name) == name_len &&
            memcmp(vs[i].name, name, name_len) == 0) {
            return &vs[i];
        }
    }
    return NULL;
}

/* A note cut in two at its last blank line: the signed text (through the newline before the
 * blank line) and the signature block after it. */
struct note_parts {
    size_t text_len;
    long text_lines; /* newlines in the text: signature line numbers follow on from it */
    const char *sigs;
    size_t sigs_len;
};

/* Checks the note's size and bytes and finds where its signatures start. */
static int note_split(struct note_parts *np, const char *msg, size_t len, struct gsi_err *err)
{
    if (len > JOURNAL_NOTE_MAX_BYTES) {
        return gsi_err_set(err, GSI_ELIMIT, "journal: signed note is %zu bytes, more than %u", len,
                           JOURNAL_NOTE_MAX_BYTES);
    }
    size_t bad = journal_note_text_check(msg, len);
    if (bad != len) {
        long line = 1;
        for (size_t i = 0; i < bad; i++) {
            line += msg[i] == '\n';
        }
        return malformed(err, line, "a control character or a byte that is not UTF-8");
    }
    /* The signature block follows the last blank line. */
    size_t split = len;
    for (size_t i = len; i-- > 1;) {
        if (msg[i] == '\n' && msg[i - 1] == '\n') {
            split = i - 1;
            break;
        }
    }
    if (split == len) {
        return malformed(err, 0, "no blank line before the signatures");
    }
    np->text_len = split + 1;
    np->sigs = msg + split + 2;
    np->sigs_len = len - split - 2;
    if (np->sigs_len == 0 || np->sigs[np->sigs_len - 1] != '\n') {
        return malformed(err, 0, "the signature block is empty or does not end in a newline");
    }
    np->text_lines = 0;
    for (size_t i = 0; i < np->text_len; i++) {
        np->text_lines += msg[i] == '\n';
    }
    return 0;
}

/* The signatures read so far, in the order they appeared, and the lines of the unverified
 * ones (to drop identical repeats). */
struct sig_list {
    struct journal_note_sig *list;
    size_t n, nverified, numsig;
    const char **unv_line;
    size_t *unv_len;
    size_t nunv;
};

static int sig_list_alloc(struct sig_list *sl, size_t sigs_len, struct gsi_err *err)
{
    memset(sl, 0, sizeof *sl);
    /* Each signature line is at least 5 bytes, so this bounds the arrays by the input. */
    size_t max_lines = sigs_len / (SIG_PREFIX_LEN + 2) + 1;
    if (max_lines > JOURNAL_NOTE_MAX_SIGS + 1) {
        max_lines = JOURNAL_NOTE_MAX_SIGS + 1;
    }
    sl->list = calloc(max_lines, sizeof *sl->list);
    sl->unv_line = calloc(max_lines, sizeof *sl->unv_line);
    sl->unv_len = calloc(max_lines, sizeof *sl->unv_len);
    if (sl->list == NULL || sl->unv_line == NULL || sl->unv_len == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "journal: out of memory opening a note");
    }
    return 0;
}

static void sig_list_free(struct sig_list *sl)
{
    free(sl->list);
    free(sl->unv_line);
    free(sl->unv_len);
}

/* Parses one signature line ("— NAME BASE64\n" without the newline) into the next free slot
 * of `sl` (s->verified not set) and its body (what follows the prefix). */
static int sig_line_parse(struct journal_note_sig *s, size_t *raw_sig_len, const char **body,
                          size_t *body_len, const char *line, size_t line_len, long lineno,
                          struct gsi_err *err)
{
    if (line_len < SIG_PREFIX_LEN || memcmp(line, sig_prefix, SIG_PREFIX_LEN) != 0) {
        return malformed(err, lineno,
                         "a line in the signature block does not start with \"\xe2\x80\x94 \"");
    }
    *body = line + SIG_PREFIX_LEN;
    *body_len = line_len - SIG_PREFIX_LEN;
    const char *name, *b64;
    size_t name_len, b64_len;
    chop(*body, *body_len, ' ', &name, &name_len, &b64, &b64_len);
    uint8_t raw[SIG_DECODED_MAX];
    size_t raw_len = 0;
    struct gsi_err e2 = GSI_ERR_INIT;
    if (!journal_note_name_valid(name, name_len) || b64_len == 0 ||
        journal_base64_decode(raw, sizeof raw, &raw_len, b64, b64_len, &e2) < 0 || raw_len < 5) {
        return malformed(err, lineno,
                         "expected a key name, a space and base64 of a key ID and a signature");
    }
    memcpy(s->name, name, name_len);
    s->name[name_len] = '\0';
    s->id = ((uint32_t)raw[0] << 24) | ((uint32_t)raw[1] << 16) | ((uint32_t)raw[2] << 8) | raw[3];
    *raw_sig_len = raw_len - 4;
    s->sig_len = raw_len - 4 > sizeof s->sig ? sizeof s->sig : raw_len - 4;
    memcpy(s->sig, raw + 4, s->sig_len);
    return 0;
}

/* Keeps the unverified signature in the next slot, unless an identical line came before. */
static void sig_keep_unverified(struct sig_list *sl, const char *body, size_t body_len)
{
    for (size_t j = 0; j < sl->nunv; j++) {
        if (sl->unv_len[j] == body_len && memcmp(sl->unv_line[j], body, body_len) == 0) {
            return;
        }
    }
    sl->unv_line[sl->nunv] = body;
    sl->unv_len[sl->nunv] = body_len;
    sl->nunv++;
    sl->list[sl->n].verified = 0;
    sl->n++;
}

/* Verifies the signature in the next slot by the known key `v` over the text, and keeps it.
 * A known key may sign once. */
static int sig_keep_verified(struct sig_list *sl, const struct journal_note_verifier *v,
                             size_t raw_sig_len, const char *text, size_t text_len, long lineno,
                             struct gsi_err *err)
{
    struct journal_note_sig *s = &sl->list[sl->n];
    for (size_t j = 0; j < sl->n; j++) {
        if (sl->list[j].verified && sl->list[j].id == s->id &&
            strcmp(sl->list[j].name, s->name) == 0) {
            return malformed(err, lineno, "a known key signed twice");
        }
    }
    struct gsi_err e2 = GSI_ERR_INIT;
    if (raw_sig_len != JOURNAL_ED25519_SIG_SIZE ||
        journal_ed25519_verify(s->sig, text, text_len, v->pub, &e2) < 0) {
        return gsi_err_at(err, GSI_EVERIFY, "", lineno, 0,
                          "journal: invalid signature by known key %s+%08x", s->name, s->id);
    }
    s->verified = 1;
    sl->n++;
    sl->nverified++;
    return 0;
}

/* Reads every line of the signature block into `sl`, verifying those by known keys. */
static int sigs_read(struct sig_list *sl, const char *msg, const struct note_parts *np,
                     const struct journal_note_verifier *verifiers, size_t nverifiers,
                     struct gsi_err *err)
{
    long lineno = np->text_lines + 1;
    for (size_t at = 0; at < np->sigs_len;) {
        lineno++;
        const char *line = np->sigs + at;
        const char *nl = memchr(line, '\n', np->sigs_len - at);
        size_t line_len = (size_t)(nl - line);
        at += line_len + 1;
        struct journal_note_sig *s = &sl->list[sl->n];
        const char *body;
        size_t body_len, raw_sig_len;
        int rc = sig_line_parse(s, &raw_sig_len, &body, &body_len, line, line_len, lineno, err);
        if (rc < 0) {
            return rc;
        }
        if (++sl->numsig > JOURNAL_NOTE_MAX_SIGS) {
            return malformed(err, lineno, "more than 100 signatures");
        }
        const struct journal_note_verifier *v =
            find_verifier(verifiers, nverifiers, s->name, strlen(s->name), s->id);
        if (v == NULL) {
            sig_keep_unverified(sl, body, body_len);
            continue;
        }
        rc = sig_keep_verified(sl, v, raw_sig_len, msg, np->text_len, lineno, err);
        if (rc < 0) {
            return rc;
        }
    }
    return 0;
}

/* Fills the opened note: a copy of the text, and the signatures, verified ones first, each
 * group in the order it appeared. Called once at least one signature verified. */
static int note_fill(struct journal_note *note, const char *msg, size_t text_len,
                     const struct sig_list *sl, struct gsi_err *err)
{
    assert(sl->nverified > 0 && sl->n >= sl->nverified && "note_fill without a verified signature");
    note->text = malloc(text_len + 1);
    if (note->text == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "journal: out of memory opening a note");
    }
    memcpy(note->text, msg, text_len);
    note->text[text_len] = '\0';
    note->text_len = text_len;
    note->sigs = calloc(sl->n, sizeof *note->sigs);
    if (note->sigs == NULL) {
        free(note->text);
        note->text = NULL;
        return gsi_err_set(err, GSI_ENOMEM, "journal: out of memory opening a note");
    }
    size_t k = 0;
    for (int pass = 1; pass >= 0; pass--) {
        for (size_t j = 0; j < sl->n; j++) {
            if (sl->list[j].verified == pass) {
                note->sigs[k++] = sl->list[j];
            }
        }
    }
    note->nsigs = sl->n;
    note->nverified = sl->nverified;
    return 0;
}

int journal_note_open(struct journal_note *note, const char *msg, size_t len,
                      const struct journal_note_verifier *verifiers, size_t nverifiers,
                      struct gsi_err *err)
{
    memset(note, 0, sizeof *note);
    struct note_parts np = { 0 };
    int rc = note_split(&np, msg, len, err);
    if (rc < 0) {
        return rc;
    }
    struct sig_list sl;
    rc = sig_list_alloc(&sl, np.sigs_len, err);
    if (rc == 0) {
        rc = sigs_read(&sl, msg, &np, verifiers, nverifiers, err);
    }
    if (rc == 0 && sl.nverified == 0) {
        rc = gsi_err_set(err, GSI_EVERIFY, "journal: unverified note: no signature by a known key");
    }
    if (rc == 0) {
        rc = note_fill(note, msg, np.text_len, &sl, err);
    }
    sig_list_free(&sl);
    return rc;
}
