/* lines.c — the fast path for GDELT exports: tab-separated lines without quoting, read in
 * chunks that several threads parse at once.
 *
 * A file is cut into CHUNK_SIZE byte ranges. A chunk owns every line that starts inside it:
 * the thread skips the partial line at its start (the previous chunk's) and reads past its end
 * to finish its last line. Each chunk counts its lines and keeps its own statistics with
 * chunk-relative line numbers; when all are done they are merged in chunk order with each
 * chunk's line offset added, so reports name the real line whatever the thread count.
 *
 * Fields are found with one pass of 16-byte SIMD compares per 64 bytes (SSE2, or a portable
 * loop elsewhere) that marks tabs and line feeds at once. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__SSE2__)
#    include <emmintrin.h>
#endif

#include "core/csv.h"
#include "core/progress.h"
#include "events/lines.h"
#include "events/parse.h"

#define CHUNK_SIZE  (4u << 20)         /* bytes per chunk */
#define LINE_MAX_B  GSI_CSV_RECORD_MAX /* longest line accepted */
#define READ_STEP   (64u << 10)        /* read-ahead to finish a chunk's last line */
#define MAX_FIELDS  64                 /* GDELT has 61; more is a bad row, counted */
#define PAD         64                 /* zero bytes after the data for the SIMD loop */

struct chunk_result {
    uint64_t lines;
    struct events_stats stats;
    int rc;               /* 0, or the code that stopped this chunk (strict / sink / I/O) */
    struct gsi_err err;
};

struct scan_job {
    const char *path;
    int fd;
    uint64_t size;
    size_t nchunks;
    atomic_size_t next;
    atomic_size_t stop_at; /* chunks at or after this index need not run (strict or failure) */
    const struct events_scan_options *opt;
    struct events_sink *sink;
    struct chunk_result *results;
    struct gsi_progress progress;
};

struct worker {
    struct scan_job *job;
    void *ctx;
    char *buf;
};

/* Bit i of the result is set when p[i] is a tab or a line feed, for i in 0..63. */
static inline uint64_t delim_mask64(const char *p)
{
#if defined(__SSE2__)
    const __m128i tab = _mm_set1_epi8('\t'), lf = _mm_set1_epi8('\n');
    uint64_t m = 0;
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, lf));
        m |= (uint64_t)(uint32_t)_mm_movemask_epi8(hit) << (16 * k);
    }
    return m;
#else
    uint64_t m = 0;
    for (int i = 0; i < 64; i++) {
        m |= (uint64_t)(p[i] == '\t' || p[i] == '\n') << i;
    }
    return m;
#endif
}

/* Parses and delivers one line [s, e) (no line feed). */
static int take_line(struct scan_job *job, void *ctx, struct chunk_result *res,
                     const char *const *field, const size_t *flen, size_t nfields, long line)
{
    struct events_row row = {job->path, line, nfields, field, flen};
    struct events_event ev;
    struct gsi_err err; /* filled only when the row is bad; not cleared per row (it is large) */
    res->stats.rows++;
    if (events_gdelt_parse(&ev, &row, job->opt->skip, &res->stats, &err) < 0) {
        if (job->opt->strict) {
            res->err = err;
            return GSI_EDATA;
        }
        events_stats_bad_row(&res->stats, &err);
        return 0;
    }
    const struct events_scan_options *o = job->opt;
    if ((o->from_day != EVENTS_DAY_NONE && ev.day < o->from_day) ||
        (o->to_day != EVENTS_DAY_NONE && ev.day > o->to_day)) {
        res->stats.filtered++;
        return 0;
    }
    int rc = job->sink->event(ctx, &ev, &res->err);
    return rc;
}

/* Runs over complete lines in [p, p+n), which ends with a line feed and is followed by PAD
 * readable bytes. Returns 0 or the code that stops the scan. */
static int scan_lines(struct scan_job *job, void *ctx, struct chunk_result *res, const char *p,
                      size_t n)
{
    const char *field[MAX_FIELDS];
    size_t flen[MAX_FIELDS];
    size_t nf = 0;
    const char *start = p; /* start of the current field */
    bool too_many = false;
    for (size_t base = 0; base < n; base += 64) {
        uint64_t m = delim_mask64(p + base);
        if (n - base < 64) {
            m &= (UINT64_C(1) << (n - base)) - 1;
        }
        while (m != 0) {
            const char *d = p + base + (size_t)__builtin_ctzll(m);
            m &= m - 1;
            if (nf < MAX_FIELDS) {
                field[nf] = start;
                flen[nf] = (size_t)(d - start);
                nf++;
            } else {
                too_many = true;
            }
            start = d + 1;
            if (*d != '\n') {
                continue;
            }
            /* End of a line. */
            res->lines++;
            long line = (long)res->lines;
            if (nf > 0 && flen[nf - 1] > 0 && field[nf - 1][flen[nf - 1] - 1] == '\r') {
                flen[nf - 1]--;
            }
            int rc = 0;
            if (too_many) {
                struct gsi_err err;
                gsi_err_at(&err, GSI_EDATA, job->path, line, 0,
                           "expected %d tab-separated fields (a GDELT 2.0 event export row), "
                           "found more than %d",
                           GDELT_FIELDS, MAX_FIELDS);
                res->stats.rows++;
                if (job->opt->strict) {
                    res->err = err;
                    rc = GSI_EDATA;
                } else {
                    events_stats_bad_row(&res->stats, &err);
                }
            } else if (!(nf == 1 && flen[0] == 0)) { /* blank lines are not rows */
                rc = take_line(job, ctx, res, field, flen, nf, line);
            }
            if (rc < 0) {
                return rc;
            }
            nf = 0;
            too_many = false;
        }
    }
    return 0;
}

static int read_at(int fd, char *dst, size_t n, uint64_t off, const char *path,
                   struct gsi_err *err)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(fd, dst + got, n - got, (off_t)(off + got));
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            return gsi_err_at(err, GSI_EIO, path, 0, 0, "read failed: %s",
                              r < 0 ? strerror(errno) : "file shrank while reading");
        }
        got += (size_t)r;
    }
    return 0;
}

/* One chunk: read it, trim to the lines it owns, finish its last line, scan. */
static int run_chunk(struct worker *w, size_t c, struct chunk_result *res)
{
    struct scan_job *job = w->job;
    uint64_t start = (uint64_t)c * CHUNK_SIZE;
    uint64_t end = start + CHUNK_SIZE < job->size ? start + CHUNK_SIZE : job->size;
    /* Read from one byte before the chunk, to know whether a line starts at `start`. */
    uint64_t rs = start > 0 ? start - 1 : 0;
    size_t len = (size_t)(end - rs);
    if (read_at(job->fd, w->buf, len, rs, job->path, &res->err) < 0) {
        return GSI_EIO;
    }
    gsi_progress_add(&job->progress, end - start);
    const char *p = w->buf;
    if (start > 0) {
        /* The bytes up to the first line feed belong to the previous chunk's last line. */
        const char *nl = memchr(p, '\n', len);
        if (nl == NULL) {
            return 0; /* no line starts here */
        }
        p = nl + 1;
    }
    size_t own = (size_t)(w->buf + len - p);
    if (own == 0) {
        return 0;
    }
    /* Finish the last line: read ahead until its line feed or the end of the file. */
    size_t have = len;
    const char *last_nl = NULL;
    for (const char *q = w->buf + have; q > p && last_nl == NULL; q--) {
        if (q[-1] == '\n') {
            last_nl = q - 1;
        }
    }
    size_t scan_end = last_nl != NULL ? (size_t)(last_nl - w->buf) + 1 : (size_t)(p - w->buf);
    if (scan_end < have) {
        /* Bytes after the last line feed start a line that we own and must complete. */
        for (;;) {
            uint64_t off = rs + have;
            if (off >= job->size) {
                w->buf[have++] = '\n'; /* last line of the file without a line feed */
                break;
            }
            size_t step = READ_STEP;
            if (have + step > (size_t)CHUNK_SIZE + 1 + LINE_MAX_B) {
                step = (size_t)CHUNK_SIZE + 1 + LINE_MAX_B - have;
            }
            if ((uint64_t)step > job->size - off) {
                step = (size_t)(job->size - off);
            }
            if (step == 0) {
                /* The line is longer than LINE_MAX_B: stop it here, as a bad row. */
                w->buf[have++] = '\n';
                break;
            }
            if (read_at(job->fd, w->buf + have, step, off, job->path, &res->err) < 0) {
                return GSI_EIO;
            }
            const char *nl = memchr(w->buf + have, '\n', step);
            have += step;
            if (nl != NULL) {
                have = (size_t)(nl - w->buf) + 1;
                break;
            }
        }
        scan_end = have;
    }
    memset(w->buf + scan_end, 0, PAD);
    return scan_lines(job, w->ctx, res, p, scan_end - (size_t)(p - w->buf));
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct scan_job *job = w->job;
    for (;;) {
        size_t c = atomic_fetch_add(&job->next, 1);
        if (c >= job->nchunks || c >= atomic_load(&job->stop_at)) {
            break;
        }
        struct chunk_result *res = &job->results[c];
        res->rc = run_chunk(w, c, res);
        if (res->rc < 0) {
            /* Later chunks cannot matter any more; earlier ones still run, so that with
             * --strict the first bad row of the file is the one reported. */
            size_t cur = atomic_load(&job->stop_at);
            while (c < cur && !atomic_compare_exchange_weak(&job->stop_at, &cur, c)) {
            }
        }
    }
    return NULL;
}

int events_lines_scan(int fd, uint64_t size, const char *path,
                      const struct events_scan_options *opt, struct events_sink *sink,
                      struct events_stats *stats, struct gsi_err *err)
{
    struct scan_job job = {.path = path, .fd = fd, .size = size, .opt = opt, .sink = sink};
    job.nchunks = (size_t)((size + CHUNK_SIZE - 1) / CHUNK_SIZE);
    atomic_init(&job.next, 0);
    atomic_init(&job.stop_at, job.nchunks);
    gsi_progress_init(&job.progress, "reading", size);
    unsigned nthreads = opt->threads;
    if (nthreads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        nthreads = n > 0 ? (unsigned)n : 1;
    }
    if (nthreads > sink->nctx) {
        nthreads = sink->nctx;
    }
    if (nthreads > EVENTS_THREADS_MAX) {
        nthreads = EVENTS_THREADS_MAX;
    }
    if (job.nchunks < nthreads) {
        nthreads = job.nchunks > 0 ? (unsigned)job.nchunks : 1;
    }
    job.results = calloc(job.nchunks > 0 ? job.nchunks : 1, sizeof *job.results);
    struct worker *workers = calloc(nthreads, sizeof *workers);
    pthread_t *tids = calloc(nthreads, sizeof *tids);
    int rc = 0;
    if (job.results == NULL || workers == NULL || tids == NULL) {
        rc = gsi_err_set(err, GSI_ENOMEM, "out of memory reading %s", path);
        goto out;
    }
    unsigned started = 0;
    for (unsigned t = 0; t < nthreads; t++) {
        workers[t].job = &job;
        workers[t].ctx = sink->ctx[t];
        workers[t].buf = malloc((size_t)CHUNK_SIZE + 1 + LINE_MAX_B + 1 + PAD);
        if (workers[t].buf == NULL) {
            rc = gsi_err_set(err, GSI_ENOMEM, "out of memory reading %s", path);
            break;
        }
    }
    if (rc == 0) {
        if (nthreads == 1) {
            worker_main(&workers[0]);
        } else {
            for (; started < nthreads; started++) {
                if (pthread_create(&tids[started], NULL, worker_main, &workers[started]) != 0) {
                    break;
                }
            }
            if (started == 0) {
                worker_main(&workers[0]);
            }
            for (unsigned t = 0; t < started; t++) {
                pthread_join(tids[t], NULL);
            }
        }
    }
    for (unsigned t = 0; t < nthreads; t++) {
        free(workers[t].buf);
    }
    gsi_progress_finish(&job.progress);
    if (rc < 0) {
        goto out;
    }
    /* Merge in file order, turning chunk-relative line numbers into file line numbers. */
    uint64_t lines_before = 0;
    for (size_t c = 0; c < job.nchunks; c++) {
        struct chunk_result *res = &job.results[c];
        for (size_t i = 0; i < res->stats.nreported; i++) {
            res->stats.reported[i].line += (long)lines_before;
        }
        if (res->rc < 0) {
            *err = res->err;
            if (err->line > 0 && strcmp(err->file, path) == 0) {
                err->line += (long)lines_before;
            }
            rc = res->rc;
            break;
        }
        events_stats_merge(stats, &res->stats);
        lines_before += res->lines;
    }
out:
    free(job.results);
    free(workers);
    free(tids);
    return rc;
}
