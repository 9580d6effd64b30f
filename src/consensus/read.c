/* read.c — readers for Polis's export files: comments.csv, votes.csv, participants-votes.csv.
 *
 * Columns are found by their header names, so the several generations of the export (with or
 * without datetime, xid, is-meta...) all read. The first bad row stops the read with an error
 * naming the file, the line and what was expected. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "consensus/internal.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/text.h"

#define MATRIX_LINE_MAX (64u << 20) /* bytes in one participants-votes.csv line */

static int find_col(const struct gsi_csv *cs, const char *name)
{
    for (size_t i = 0; i < cs->nfields; i++) {
        const char *f = cs->field[i];
        size_t n = cs->flen[i];
        if (i == 0 && n >= 3 && (unsigned char)f[0] == 0xef && (unsigned char)f[1] == 0xbb &&
            (unsigned char)f[2] == 0xbf) {
            f += 3; /* UTF-8 byte order mark */
            n -= 3;
        }
        if (gsi_slice_eq(f, n, name)) {
            return (int)i;
        }
    }
    return -1;
}

static int read_header(struct gsi_csv *cs, struct gsi_err *err)
{
    int rc = gsi_csv_next(cs, err);
    if (rc == 0) {
        return gsi_err_at(err, GSI_EDATA, cs->path, 1, 0, "empty file: expected a header row");
    }
    return rc < 0 ? rc : 0;
}

static int field_i64(struct gsi_csv *cs, int col, const char *what, int64_t *out,
                     struct gsi_err *err)
{
    const char *f = cs->field[col];
    size_t n = cs->flen[col];
    gsi_slice_trim(&f, &n);
    if (gsi_parse_i64(out, f, n) < 0) {
        char buf[48];
        return gsi_err_at(err, GSI_EDATA, cs->path, cs->record_line, col + 1,
                          "%s \"%s\" is not an integer", what,
                          gsi_slice_copy(buf, sizeof buf, cs->field[col], cs->flen[col]));
    }
    return 0;
}

/* The field count must match the header: a short last row is a truncated file. */
static int check_width(struct gsi_csv *cs, size_t want, struct gsi_err *err)
{
    if (cs->nfields != want) {
        return gsi_err_at(err, GSI_EDATA, cs->path, cs->record_line, 0,
                          "expected %zu fields as in the header, found %zu%s", want, cs->nfields,
                          cs->nfields < want ? " (truncated row?)" : "");
    }
    return 0;
}

static int comments_from(struct consensus *c, struct gsi_csv *cs, struct gsi_err *err)
{
    int rc = read_header(cs, err);
    if (rc < 0) {
        return rc;
    }
    size_t width = cs->nfields;
    int cid = find_col(cs, "comment-id");
    int cmod = find_col(cs, "moderated");
    int cbody = find_col(cs, "comment-body");
    if (cid < 0) {
        return gsi_err_at(err, GSI_EDATA, cs->path, 1, 0,
                          "header has no comment-id column (a Polis comments.csv)");
    }
    while ((rc = gsi_csv_next(cs, err)) != 0) {
        if (rc < 0) {
            return rc;
        }
        if ((rc = check_width(cs, width, err)) < 0) {
            return rc;
        }
        int64_t id, mod = 0;
        if ((rc = field_i64(cs, cid, "comment-id", &id, err)) < 0) {
            return rc;
        }
        if (cmod >= 0 && cs->flen[cmod] > 0 &&
            (rc = field_i64(cs, cmod, "moderated", &mod, err)) < 0) {
            return rc;
        }
        if (mod < -1 || mod > 1) {
            return gsi_err_at(err, GSI_EDATA, cs->path, cs->record_line, cmod + 1,
                              "moderated %lld outside -1..1", (long long)mod);
        }
        rc = consensus_statement_add(c, id, cbody >= 0 ? cs->field[cbody] : "",
                                     cbody >= 0 ? cs->flen[cbody] : 0, mod == -1, err);
        if (rc < 0) {
            char msg[GSI_ERR_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", err->msg);
            return gsi_err_at(err, rc, cs->path, cs->record_line, cid + 1, "%s", msg);
        }
    }
    return 0;
}

int consensus_read_comments(struct consensus *c, const char *path, struct gsi_err *err)
{
    struct gsi_csv cs;
    int rc = gsi_csv_open(&cs, path, ',', true, err);
    if (rc < 0) {
        return rc;
    }
    rc = comments_from(c, &cs, err);
    gsi_csv_close(&cs);
    return rc;
}

int consensus_read_comments_mem(struct consensus *c, const char *data, size_t n,
                                struct gsi_err *err)
{
    struct gsi_csv cs;
    int rc = gsi_csv_open_mem(&cs, data, n, ',', true, err);
    if (rc < 0) {
        return rc;
    }
    rc = comments_from(c, &cs, err);
    gsi_csv_close(&cs);
    return rc;
}

struct vrow {
    int64_t ts;
    int64_t pid, tid;
    int8_t vote;
    uint64_t seq;
};

static int cmp_vrow(const void *a, const void *b)
{
    const struct vrow *x = a, *y = b;
    if (x->ts != y->ts) {
        return x->ts < y->ts ? -1 : 1;
    }
    return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

/* The columns of a votes.csv that count. */
struct votes_cols {
    size_t width;
    int cts, cid, cvoter, cvote; /* timestamp is optional (-1) */
    bool known_only;             /* comments were read first: the set of ids is closed */
};

/* The current record of cs as a vote (all but its seq), checked. */
static int vote_record(const struct consensus *c, struct gsi_csv *cs, const struct votes_cols *vc,
                       struct vrow *v, struct gsi_err *err)
{
    int64_t vote;
    int rc;
    v->ts = 0;
    if ((rc = check_width(cs, vc->width, err)) < 0 ||
        (vc->cts >= 0 && (rc = field_i64(cs, vc->cts, "timestamp", &v->ts, err)) < 0) ||
        (rc = field_i64(cs, vc->cid, "comment-id", &v->tid, err)) < 0 ||
        (rc = field_i64(cs, vc->cvoter, "voter-id", &v->pid, err)) < 0 ||
        (rc = field_i64(cs, vc->cvote, "vote", &vote, err)) < 0) {
        return rc;
    }
    if (vote < -1 || vote > 1) {
        return gsi_err_at(err, GSI_EDATA, cs->path, cs->record_line, vc->cvote + 1,
                          "vote %lld outside -1..1 (disagree -1, pass 0, agree 1)",
                          (long long)vote);
    }
    if (v->pid < 0 || v->pid > CONSENSUS_ID_MAX || v->tid < 0 || v->tid > CONSENSUS_ID_MAX) {
        return gsi_err_at(err, GSI_EDATA, cs->path, cs->record_line, 0,
                          "voter-id or comment-id out of range 0..%lld",
                          (long long)CONSENSUS_ID_MAX);
    }
    if (vc->known_only && consensus_statement_index(c, v->tid) < 0) {
        return gsi_err_at(err, GSI_EDATA, cs->path, cs->record_line, vc->cid + 1,
                          "unknown comment-id %lld: not in the comments file", (long long)v->tid);
    }
    v->vote = (int8_t)vote;
    return 0;
}

/* Every vote of the file into *rows (*n of them, which the caller frees), in time order. */
static int vote_records(const struct consensus *c, struct gsi_csv *cs, const struct votes_cols *vc,
                        struct vrow **rows, size_t *n, struct gsi_err *err)
{
    size_t cap = 0;
    bool sorted = true;
    int rc;
    while ((rc = gsi_csv_next(cs, err)) != 0) {
        struct vrow v;
        if (rc < 0 || (rc = vote_record(c, cs, vc, &v, err)) < 0) {
            return rc;
        }
        if (*n >= CONSENSUS_VOTES_MAX) {
            return gsi_err_at(err, GSI_ELIMIT, cs->path, cs->record_line, 0, "more than %u votes",
                              CONSENSUS_VOTES_MAX);
        }
        if (GSI_ALLOC_GROW(*rows, *n + 1, cap, 4096) < 0) {
            return gsi_err_set(err, GSI_ENOMEM, "out of memory reading %s", cs->path);
        }
        v.seq = *n;
        if (*n > 0 && v.ts < (*rows)[*n - 1].ts) {
            sorted = false;
        }
        (*rows)[(*n)++] = v;
    }
    /* Polis lists votes by statement; the matrix keeps each participant's latest vote. */
    if (!sorted) {
        qsort(*rows, *n, sizeof **rows, cmp_vrow);
    }
    return 0;
}

/* Adds the votes in order. A replay (window > 0) computes at the end of every window of
 * `window` time units that holds votes, windows counted from the first vote (timestamps
 * sorted, so the unsigned difference is exact), and once more at the end. */
static int apply_votes(struct consensus *c, const struct gsi_csv *cs, const struct vrow *rows,
                       size_t n, int64_t window, struct gsi_err *err)
{
    uint64_t cur = 0, computes = 0;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (window > 0) {
            uint64_t w = ((uint64_t)rows[i].ts - (uint64_t)rows[0].ts) / (uint64_t)window;
            if (i > 0 && w != cur) {
                if (++computes > CONSENSUS_REPLAY_MAX) {
                    return gsi_err_at(err, GSI_ELIMIT, cs->path, 0, 0,
                                      "more than %u replay windows: use a longer window",
                                      CONSENSUS_REPLAY_MAX);
                }
                if ((rc = consensus_compute(c, err)) < 0) {
                    return rc;
                }
            }
            cur = w;
        }
        rc = consensus_vote_add(c, rows[i].pid, rows[i].tid, rows[i].vote, false, err);
        if (rc < 0) {
            return rc;
        }
    }
    if (window > 0 && n > 0) {
        rc = consensus_compute(c, err);
    }
    return rc;
}

static int votes_from(struct consensus *c, struct gsi_csv *cs, int64_t window, struct gsi_err *err)
{
    int rc = read_header(cs, err);
    if (rc < 0) {
        return rc;
    }
    struct votes_cols vc = { cs->nfields,
                             find_col(cs, "timestamp"),
                             find_col(cs, "comment-id"),
                             find_col(cs, "voter-id"),
                             find_col(cs, "vote"),
                             c->ns > 0 };
    if (vc.cid < 0 || vc.cvoter < 0 || vc.cvote < 0) {
        return gsi_err_at(err, GSI_EDATA, cs->path, 1, 0,
                          "header lacks comment-id, voter-id or vote (a Polis votes.csv)");
    }
    struct vrow *rows = NULL;
    size_t n = 0;
    rc = vote_records(c, cs, &vc, &rows, &n, err);
    if (rc == 0) {
        rc = apply_votes(c, cs, rows, n, window, err);
    }
    free(rows);
    return rc;
}

int consensus_read_votes(struct consensus *c, const char *path, struct gsi_err *err)
{
    struct gsi_csv cs;
    int rc = gsi_csv_open(&cs, path, ',', true, err);
    if (rc < 0) {
        return rc;
    }
    rc = votes_from(c, &cs, 0, err);
    gsi_csv_close(&cs);
    return rc;
}

int consensus_read_votes_mem(struct consensus *c, const char *data, size_t n, struct gsi_err *err)
{
    struct gsi_csv cs;
    int rc = gsi_csv_open_mem(&cs, data, n, ',', true, err);
    if (rc < 0) {
        return rc;
    }
    rc = votes_from(c, &cs, 0, err);
    gsi_csv_close(&cs);
    return rc;
}

/* ---- participants-votes.csv: one column per statement, so wider than the CSV scanner's field
 * cap; read line by line with a splitter of its own (quotes allowed, no line breaks inside). */

struct line_src {
    const char *path;
    FILE *fp; /* file, or NULL for memory */
    const char *mem;
    size_t mem_len, mem_pos;
    char *line;
    size_t line_cap;
    long lineno;
};

/* One line of a file into s->line, which grows only up to MATRIX_LINE_MAX: getline would
 * grow it without bound on an input with no line end (/dev/zero). A NUL byte is refused:
 * the file is not text. 1, 0 at the end, or a negative code. */
static int file_line(struct line_src *s, size_t *len, struct gsi_err *err)
{
    size_t n = 0;
    int ch;
    while ((ch = getc(s->fp)) != EOF && ch != '\n') {
        if (ch == '\0') {
            return gsi_err_at(err, GSI_EDATA, s->path, s->lineno + 1, 0,
                              "a NUL byte: expected a text file (participants-votes.csv)");
        }
        if (n == MATRIX_LINE_MAX) {
            return gsi_err_at(err, GSI_ELIMIT, s->path, s->lineno + 1, 0,
                              "line longer than %u bytes", MATRIX_LINE_MAX);
        }
        /* n < MATRIX_LINE_MAX here, so the line (with its NUL) never needs more than
         * MATRIX_LINE_MAX + 1 bytes. */
        if (GSI_ALLOC_GROW(s->line, n + 2, s->line_cap, 4096) < 0) {
            return gsi_err_set(err, GSI_ENOMEM, "out of memory reading %s", s->path);
        }
        s->line[n++] = (char)ch;
    }
    if (ch == EOF && ferror(s->fp)) {
        return gsi_err_at(err, GSI_EIO, s->path, s->lineno + 1, 0, "read error");
    }
    if (ch == EOF && n == 0) {
        return 0;
    }
    if (s->line == NULL) {
        s->line = malloc(1);
        s->line_cap = 1;
        if (s->line == NULL) {
            return gsi_err_set(err, GSI_ENOMEM, "out of memory reading %s", s->path);
        }
    }
    s->lineno++;
    s->line[n] = '\0';
    *len = n;
    return 1;
}

/* Next line without its end; 1, 0 at the end, or a negative code. */
static int next_line(struct line_src *s, size_t *len, struct gsi_err *err)
{
    *len = 0;
    if (s->fp == NULL) {
        if (s->mem_pos >= s->mem_len) {
            return 0;
        }
        const char *b = s->mem + s->mem_pos;
        const char *e = memchr(b, '\n', s->mem_len - s->mem_pos);
        size_t n = e ? (size_t)(e - b) : s->mem_len - s->mem_pos;
        s->mem_pos += n + (e ? 1 : 0);
        s->lineno++;
        if (n > MATRIX_LINE_MAX) {
            return gsi_err_at(err, GSI_ELIMIT, s->path, s->lineno, 0, "line longer than %u bytes",
                              MATRIX_LINE_MAX);
        }
        if (GSI_ALLOC_GROW(s->line, n + 1, s->line_cap, 256) < 0) {
            return gsi_err_set(err, GSI_ENOMEM, "out of memory reading %s", s->path);
        }
        memcpy(s->line, b, n);
        s->line[n] = '\0';
        *len = n;
    } else {
        int rc = file_line(s, len, err);
        if (rc <= 0) {
            return rc;
        }
    }
    if (*len > 0 && s->line[*len - 1] == '\r') {
        s->line[--*len] = '\0';
    }
    return 1;
}

struct fields {
    size_t n, cap;
    char **f;
    size_t *len;
};

/* Splits a line in place at commas; quoted fields lose their quotes ("" → "). */
static int split(struct fields *fs, char *line, size_t len, const struct line_src *s,
                 struct gsi_err *err)
{
    fs->n = 0;
    size_t i = 0;
    for (;;) {
        if (fs->n == fs->cap) {
            size_t ncap = fs->cap ? fs->cap * 2 : 64;
            if (ncap > (size_t)CONSENSUS_STATEMENTS_MAX + 64) {
                return gsi_err_at(err, GSI_ELIMIT, s->path, s->lineno, 0, "more than %u columns",
                                  CONSENSUS_STATEMENTS_MAX + 64);
            }
            struct gsi_array_ref grow[] = { GSI_ARRAY_REF(fs->f), GSI_ARRAY_REF(fs->len) };
            if (gsi_arrays_grow(grow, 2, &fs->cap, ncap, 64) < 0) {
                return gsi_err_set(err, GSI_ENOMEM, "out of memory reading %s", s->path);
            }
        }
        char *start = line + i;
        size_t flen;
        if (i < len && line[i] == '"') {
            size_t o = i;
            i++;
            for (;;) {
                if (i >= len) {
                    return gsi_err_at(err, GSI_EDATA, s->path, s->lineno, (long)fs->n + 1,
                                      "quote not closed before the end of the line");
                }
                if (line[i] == '"') {
                    if (i + 1 < len && line[i + 1] == '"') {
                        line[o++] = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                line[o++] = line[i++];
            }
            flen = (size_t)(line + o - start);
            if (i < len && line[i] != ',') {
                return gsi_err_at(err, GSI_EDATA, s->path, s->lineno, (long)fs->n + 1,
                                  "text after a closing quote");
            }
        } else {
            while (i < len && line[i] != ',') {
                i++;
            }
            flen = (size_t)(line + i - start);
        }
        fs->f[fs->n] = start;
        fs->len[fs->n] = flen;
        fs->n++;
        if (i >= len) {
            break;
        }
        i++; /* the comma */
    }
    return 0;
}

static bool is_meta(const char *f, size_t n)
{
    static const char *const meta[] = { "participant", "xid",     "group-id",  "n-comments",
                                        "n-votes",     "n-agree", "n-disagree" };
    for (size_t i = 0; i < sizeof meta / sizeof meta[0]; i++) {
        if (gsi_slice_eq(f, n, meta[i])) {
            return true;
        }
    }
    return false;
}

/* What the header of a participants-votes.csv says about its columns. */
struct matrix_cols {
    size_t width;    /* fields a row has */
    long *col_stmt;  /* statement index of each column, -1 for a participant field */
    long cpart;      /* the participant column */
    long cgroup;     /* the group-id column, -1 when there is none */
    bool known_only; /* comments were read first: a comment-id must be one of them */
};

/* Header field i (f, n): a participant field, or a comment-id whose statement it finds or adds. */
static int matrix_header_field(struct consensus *c, const struct line_src *s,
                               struct matrix_cols *mc, size_t i, const char *f, size_t n,
                               struct gsi_err *err)
{
    mc->col_stmt[i] = -1;
    if (i == 0 && n >= 3 && (unsigned char)f[0] == 0xef && (unsigned char)f[1] == 0xbb &&
        (unsigned char)f[2] == 0xbf) {
        f += 3;
        n -= 3;
    }
    if (gsi_slice_eq(f, n, "participant")) {
        mc->cpart = (long)i;
    } else if (gsi_slice_eq(f, n, "group-id")) {
        mc->cgroup = (long)i;
    }
    if (is_meta(f, n)) {
        return 0;
    }
    int64_t tid;
    if (gsi_parse_i64(&tid, f, n) < 0 || tid < 0 || tid > CONSENSUS_ID_MAX) {
        char buf[48];
        return gsi_err_at(err, GSI_EDATA, s->path, 1, (long)i + 1,
                          "column \"%s\" is neither a participant field nor a comment-id",
                          gsi_slice_copy(buf, sizeof buf, f, n));
    }
    long j = consensus_statement_index(c, tid);
    if (j < 0) {
        if (mc->known_only) {
            return gsi_err_at(err, GSI_EDATA, s->path, 1, (long)i + 1,
                              "unknown comment-id %lld: not in the comments file", (long long)tid);
        }
        int rc = consensus_statement_add(c, tid, "", 0, false, err);
        if (rc < 0) {
            return rc;
        }
        j = consensus_statement_index(c, tid);
    }
    mc->col_stmt[i] = j;
    return 0;
}

/* The header row, split in fs: fills mc (whose col_stmt the caller frees). */
static int matrix_header(struct consensus *c, const struct line_src *s, const struct fields *fs,
                         struct matrix_cols *mc, struct gsi_err *err)
{
    mc->width = fs->n;
    mc->cpart = mc->cgroup = -1;
    mc->known_only = c->ns > 0;
    mc->col_stmt = malloc((mc->width ? mc->width : 1) * sizeof *mc->col_stmt);
    if (mc->col_stmt == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory reading %s", s->path);
    }
    for (size_t i = 0; i < mc->width; i++) {
        int rc = matrix_header_field(c, s, mc, i, fs->f[i], fs->len[i], err);
        if (rc < 0) {
            return rc;
        }
    }
    if (mc->cpart < 0) {
        return gsi_err_at(err, GSI_EDATA, s->path, 1, 0,
                          "header has no participant column (a Polis participants-votes.csv)");
    }
    if (c->ref_group == NULL) {
        size_t cap = c->st->pcap ? c->st->pcap : 1;
        c->ref_group = malloc(cap * sizeof *c->ref_group);
        if (c->ref_group == NULL) {
            return gsi_err_set(err, GSI_ENOMEM, "out of memory reading %s", s->path);
        }
        for (size_t i = 0; i < c->np; i++) {
            c->ref_group[i] = -1;
        }
    }
    return 0;
}

/* The ids of a data row: its participant (*pid) and reference group (*gid, -1 for blank). */
static int matrix_row_ids(const struct consensus *c, const struct line_src *s,
                          const struct fields *fs, const struct matrix_cols *mc, int64_t *pid,
                          int64_t *gid, struct gsi_err *err)
{
    long cpart = mc->cpart, cgroup = mc->cgroup;
    if (fs->n != mc->width) {
        return gsi_err_at(err, GSI_EDATA, s->path, s->lineno, 0,
                          "expected %zu fields as in the header, found %zu%s", mc->width, fs->n,
                          fs->n < mc->width ? " (truncated row?)" : "");
    }
    *gid = -1;
    if (gsi_parse_i64(pid, fs->f[cpart], fs->len[cpart]) < 0 || *pid < 0 ||
        *pid > CONSENSUS_ID_MAX) {
        return gsi_err_at(err, GSI_EDATA, s->path, s->lineno, cpart + 1,
                          "participant is not an id in 0..%lld", (long long)CONSENSUS_ID_MAX);
    }
    if (cgroup >= 0 && fs->len[cgroup] > 0 &&
        (gsi_parse_i64(gid, fs->f[cgroup], fs->len[cgroup]) < 0 || *gid < 0 || *gid > 1000000)) {
        return gsi_err_at(err, GSI_EDATA, s->path, s->lineno, cgroup + 1,
                          "group-id is not blank or a group number");
    }
    if (consensus_participant_index(c, *pid) >= 0) {
        return gsi_err_at(err, GSI_EDATA, s->path, s->lineno, cpart + 1,
                          "participant %lld appears twice", (long long)*pid);
    }
    return 0;
}

/* One data row, split in fs: its votes, and its participant's reference group. */
static int matrix_row(struct consensus *c, const struct line_src *s, const struct fields *fs,
                      const struct matrix_cols *mc, struct gsi_err *err)
{
    int64_t pid = 0, gid = -1; /* set by matrix_row_ids when it returns 0 */
    int rc = matrix_row_ids(c, s, fs, mc, &pid, &gid, err);
    if (rc < 0) {
        return rc;
    }
    for (size_t i = 0; i < mc->width; i++) {
        if (mc->col_stmt[i] < 0 || fs->len[i] == 0) {
            continue;
        }
        int64_t v;
        if (gsi_parse_i64(&v, fs->f[i], fs->len[i]) < 0 || v < -1 || v > 1) {
            char buf[48];
            return gsi_err_at(err, GSI_EDATA, s->path, s->lineno, (long)i + 1,
                              "vote \"%s\" is not -1, 0, 1 or blank",
                              gsi_slice_copy(buf, sizeof buf, fs->f[i], fs->len[i]));
        }
        rc = consensus_vote_add(c, pid, c->stmt[mc->col_stmt[i]].id, (int)v, true, err);
        if (rc < 0) {
            return rc;
        }
    }
    long p = consensus_participant_index(c, pid);
    if (p < 0) {
        /* A participant with no votes still has a row: keep them, unclustered. */
        p = consensus_participant_get(c, pid, err);
        if (p < 0) {
            return (int)p;
        }
    }
    c->ref_group[p] = (int32_t)gid;
    return 0;
}

static int matrix_from(struct consensus *c, struct line_src *s, struct gsi_err *err)
{
    struct fields fs = { 0, 0, NULL, NULL };
    struct matrix_cols mc = { 0, NULL, -1, -1, false };
    size_t len;
    int rc = next_line(s, &len, err);
    if (rc <= 0) {
        if (rc == 0) {
            rc = gsi_err_at(err, GSI_EDATA, s->path, 1, 0, "empty file: expected a header row");
        }
        goto out;
    }
    if ((rc = split(&fs, s->line, len, s, err)) < 0 ||
        (rc = matrix_header(c, s, &fs, &mc, err)) < 0) {
        goto out;
    }
    while ((rc = next_line(s, &len, err)) != 0) {
        if (rc < 0) {
            goto out;
        }
        if (len == 0) {
            continue;
        }
        if ((rc = split(&fs, s->line, len, s, err)) < 0 ||
            (rc = matrix_row(c, s, &fs, &mc, err)) < 0) {
            goto out;
        }
    }
    rc = 0;
out:
    free(fs.f);
    free(fs.len);
    free(mc.col_stmt);
    return rc;
}

int consensus_read_matrix(struct consensus *c, const char *path, struct gsi_err *err)
{
    struct line_src s;
    memset(&s, 0, sizeof s);
    s.path = path;
    /* O_NONBLOCK only for the open: a FIFO with no writer must not block it (it then reads
     * as empty); reads block as usual. */
    int fd = strcmp(path, "-") == 0 ? -1 : open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd >= 0) {
        int fl = fcntl(fd, F_GETFL);
        (void)fcntl(fd, F_SETFL, fl >= 0 ? fl & ~O_NONBLOCK : 0);
    }
    s.fp = strcmp(path, "-") == 0 ? stdin : fd >= 0 ? fdopen(fd, "r") : NULL;
    if (s.fp == NULL && fd >= 0) {
        close(fd);
    }
    if (s.fp == NULL) {
        return gsi_err_at(err, GSI_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    }
    int rc = matrix_from(c, &s, err);
    if (s.fp != stdin) {
        fclose(s.fp);
    }
    free(s.line);
    return rc;
}

int consensus_read_matrix_mem(struct consensus *c, const char *data, size_t n, struct gsi_err *err)
{
    struct line_src s;
    memset(&s, 0, sizeof s);
    s.path = "<memory>";
    s.mem = data;
    s.mem_len = n;
    int rc = matrix_from(c, &s, err);
    free(s.line);
    return rc;
}

int consensus_replay_votes(struct consensus *c, const char *path, int64_t window,
                           struct gsi_err *err)
{
    if (window <= 0) {
        return gsi_err_set(err, GSI_EUSAGE, "replay window must be positive");
    }
    struct gsi_csv cs;
    int rc = gsi_csv_open(&cs, path, ',', true, err);
    if (rc < 0) {
        return rc;
    }
    rc = votes_from(c, &cs, window, err);
    gsi_csv_close(&cs);
    return rc;
}
