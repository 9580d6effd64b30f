/* C2SP tlog-checkpoint: build, parse, sign, open. See checkpoint.h. */
#include "journal/checkpoint.h"

#include <stdlib.h>
#include <string.h>

static int bad(struct gsi_err *err, long line, const char *what)
{
    return gsi_err_at(err, GSI_EDATA, "", line, 0, "journal: malformed checkpoint: %s", what);
}

/* An origin or extension line: non-empty, no control characters (newline included). The note
 * layer checks UTF-8 for what is signed; here only the line structure matters. */
static int line_ok(const char *s, size_t n)
{
    if (n == 0) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) {
            return 0;
        }
    }
    return 1;
}

int journal_checkpoint_format(struct gsi_buf *out, const struct journal_checkpoint *cp,
                              struct gsi_err *err)
{
    size_t olen = strnlen(cp->origin, sizeof cp->origin);
    if (olen == sizeof cp->origin || !line_ok(cp->origin, olen)) {
        return gsi_err_set(
            err, GSI_EUSAGE,
            "journal: checkpoint origin is empty, too long or has a control character");
    }
    if (cp->size > JOURNAL_MERKLE_SIZE_MAX) {
        return gsi_err_set(err, GSI_EUSAGE, "journal: checkpoint tree size is past the limit");
    }
    if (cp->extensions_len > 0) {
        /* Each extension line must be non-empty and newline-terminated. */
        const char *e = cp->extensions;
        size_t n = cp->extensions_len, lines = 0;
        if (e[n - 1] != '\n') {
            return gsi_err_set(err, GSI_EUSAGE,
                               "journal: checkpoint extensions must end in a newline");
        }
        for (size_t at = 0; at < n;) {
            const char *nl = memchr(e + at, '\n', n - at);
            size_t l = (size_t)(nl - (e + at));
            if (!line_ok(e + at, l) || ++lines > JOURNAL_CHECKPOINT_EXT_MAX) {
                return gsi_err_set(
                    err, GSI_EUSAGE,
                    "journal: checkpoint extension line %zu is empty, has a control character or is past the limit",
                    lines);
            }
            at += l + 1;
        }
    }
    char b64[JOURNAL_BASE64_LEN(JOURNAL_HASH_SIZE)];
    int rc = journal_base64_encode(b64, sizeof b64, cp->root, JOURNAL_HASH_SIZE, err);
    if (rc < 0) {
        return rc;
    }
    if ((rc = gsi_buf_appendf(out, "%s\n%llu\n%s\n", cp->origin, (unsigned long long)cp->size,
                              b64)) < 0 ||
        (cp->extensions_len > 0 &&
         (rc = gsi_buf_append(out, cp->extensions, cp->extensions_len)) < 0)) {
        return gsi_err_set(err, rc, "journal: checkpoint does not fit its buffer");
    }
    return 0;
}

void journal_checkpoint_release(struct journal_checkpoint *cp)
{
    free(cp->extensions);
    memset(cp, 0, sizeof *cp);
}

/* Next line of text[at..len): sets the line and its length (without the newline) and returns the
 * offset after it, or 0 when no complete line is left. */
static size_t next_line(const char *text, size_t len, size_t at, const char **line, size_t *n)
{
    if (at >= len) {
        return 0;
    }
    const char *nl = memchr(text + at, '\n', len - at);
    if (nl == NULL) {
        return 0;
    }
    *line = text + at;
    *n = (size_t)(nl - *line);
    return at + *n + 1;
}

int journal_checkpoint_parse(struct journal_checkpoint *cp, const char *text, size_t len,
                             struct gsi_err *err)
{
    memset(cp, 0, sizeof *cp);
    if (len > JOURNAL_NOTE_MAX_BYTES) {
        return gsi_err_set(err, GSI_ELIMIT, "journal: checkpoint is %zu bytes, more than %u", len,
                           JOURNAL_NOTE_MAX_BYTES);
    }
    if (len == 0 || text[len - 1] != '\n') {
        return bad(err, 0, "the text must end in a newline");
    }
    const char *line;
    size_t n, at = 0;
    at = next_line(text, len, at, &line, &n);
    if (at == 0 || !line_ok(line, n) || n > JOURNAL_ORIGIN_MAX) {
        return bad(
            err, 1,
            "expected the origin: a non-empty line of at most 255 bytes, no control characters");
    }
    memcpy(cp->origin, line, n);
    cp->origin[n] = '\0';

    at = next_line(text, len, at, &line, &n);
    /* Decimal, no sign, no leading zero unless the number is 0, at most 2^63 - 1. */
    if (at == 0 || n == 0 || n > 19 || (n > 1 && line[0] == '0')) {
        return bad(err, 2, "expected the tree size in decimal without leading zeros");
    }
    uint64_t size = 0;
    for (size_t i = 0; i < n; i++) {
        if (line[i] < '0' || line[i] > '9') {
            return bad(err, 2, "expected the tree size in decimal without leading zeros");
        }
        size = size * 10 + (uint64_t)(line[i] - '0'); /* 19 digits cannot wrap 64 bits */
    }
    if (size > JOURNAL_MERKLE_SIZE_MAX) {
        return bad(err, 2, "tree size is larger than 2^63 - 1");
    }
    cp->size = size;

    at = next_line(text, len, at, &line, &n);
    size_t root_len = 0;
    uint8_t root[JOURNAL_HASH_SIZE + 3];
    struct gsi_err e2 = GSI_ERR_INIT;
    if (at == 0 || journal_base64_decode(root, sizeof root, &root_len, line, n, &e2) < 0 ||
        root_len != JOURNAL_HASH_SIZE) {
        return bad(err, 3, "expected the root hash: base64 of 32 bytes");
    }
    memcpy(cp->root, root, JOURNAL_HASH_SIZE);

    size_t ext_start = at;
    long lineno = 3;
    size_t lines = 0;
    while (at < len) {
        lineno++;
        at = next_line(text, len, at, &line, &n);
        if (at == 0 || !line_ok(line, n)) {
            return bad(err, lineno, "an extension line is empty or has a control character");
        }
        if (++lines > JOURNAL_CHECKPOINT_EXT_MAX) {
            return gsi_err_at(err, GSI_ELIMIT, "", lineno, 0,
                              "journal: checkpoint has more than %d extension lines",
                              JOURNAL_CHECKPOINT_EXT_MAX);
        }
    }
    if (lines > 0) {
        cp->extensions_len = len - ext_start;
        cp->extensions = malloc(cp->extensions_len + 1);
        if (cp->extensions == NULL) {
            cp->extensions_len = 0;
            return gsi_err_set(err, GSI_ENOMEM, "journal: out of memory parsing a checkpoint");
        }
        memcpy(cp->extensions, text + ext_start, cp->extensions_len);
        cp->extensions[cp->extensions_len] = '\0';
    }
    return 0;
}

int journal_checkpoint_sign(struct gsi_buf *out, const struct journal_checkpoint *cp,
                            const struct journal_note_signer *signer, struct gsi_err *err)
{
    struct gsi_buf body;
    gsi_buf_init(&body, JOURNAL_NOTE_MAX_BYTES);
    int rc = journal_checkpoint_format(&body, cp, err);
    if (rc == 0) {
        rc = journal_note_sign(out, body.data, body.len, signer, 1, err);
    }
    gsi_buf_release(&body);
    return rc;
}

int journal_checkpoint_open(struct journal_checkpoint *cp, struct journal_note *note_out,
                            const char *msg, size_t len, const char *origin,
                            const struct journal_note_verifier *verifiers, size_t nverifiers,
                            struct gsi_err *err)
{
    memset(cp, 0, sizeof *cp);
    if (note_out != NULL) {
        memset(note_out, 0, sizeof *note_out);
    }
    struct journal_note note;
    int rc = journal_note_open(&note, msg, len, verifiers, nverifiers, err);
    if (rc < 0) {
        return rc;
    }
    rc = journal_checkpoint_parse(cp, note.text, note.text_len, err);
    if (rc == 0 && origin != NULL && strcmp(origin, cp->origin) != 0) {
        rc = gsi_err_set(err, GSI_EVERIFY,
                         "journal: checkpoint is for origin \"%.100s\", expected \"%.100s\"",
                         cp->origin, origin);
    }
    if (rc < 0) {
        journal_checkpoint_release(cp);
        journal_note_release(&note);
        return rc;
    }
    if (note_out != NULL) {
        *note_out = note;
    } else {
        journal_note_release(&note);
    }
    return 0;
}
