/* lines.c — the fast path for GDELT exports: tab-separated lines without quoting, read in
 * chunks that several threads parse at once.
 *
 * A file is cut into CHUNK_SIZE byte ranges. A chunk owns every line that starts inside it:
 * the thread skips the partial line at its start (the previous chunk's) and reads past its end
 * to finish its last line. Each chunk is mapped (mmap) rather than copied, and unmapped when
 * done, so the file's pages are read straight from the page cache and memory stays at a few
 * chunks whatever the file size. Each chunk counts its lines and keeps its own statistics with
 * chunk-relative line numbers; when all are done they are merged in chunk order with each
 * chunk's line offset added, so reports name the real line whatever the thread count.
 *
 * Fields are found with one pass of SIMD compares per 64 bytes (AVX2 or SSE2, or a portable
 * loop elsewhere) that marks tabs and line feeds at once; of each line's delimiters only the
 * ones that bound a column the GDELT parser reads are located, the rest only counted. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__SSE2__)
#    include <emmintrin.h>
#endif

#include "core/csv.h"
#include "core/progress.h"
#include "events/internal.h"

#define CHUNK_SIZE (4u << 20)         /* bytes per chunk */
#define LINE_MAX_B GSI_CSV_RECORD_MAX /* longest line accepted */
#define MAX_FIELDS 64                 /* GDELT has 61; more is a bad row, counted */

struct chunk_result {
    uint64_t lines;
    struct events_stats stats;
    int rc; /* 0, or the code that stopped this chunk (strict / sink / I/O) */
    struct gsi_err err;
};

struct scan_job {
    const char *path;
    int fd;
    uint64_t size;
    size_t nchunks;
    atomic_size_t next;
    atomic_size_t stop_at; /* chunks at or after this index need not run (strict or failure) */
    size_t page;
    const struct events_scan_options *opt;
    struct events_sink *sink;
    struct chunk_result *results;
    struct gsi_progress progress;
};

struct worker {
    struct scan_job *job;
    void *ctx;
};

/* Sets *delims to the bits i (0..63) where p[i] is a tab or a line feed and returns the bits
 * where it is a line feed. */
static inline uint64_t masks64(const char *p, uint64_t *delims)
{
#if defined(__SSE2__)
    const __m128i tab = _mm_set1_epi8('\t'), lf = _mm_set1_epi8('\n');
    uint64_t d = 0, l = 0;
    for (size_t k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        __m128i is_lf = _mm_cmpeq_epi8(v, lf);
        __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(v, tab), is_lf);
        d |= (uint64_t)(uint32_t)_mm_movemask_epi8(hit) << (16 * k);
        l |= (uint64_t)(uint32_t)_mm_movemask_epi8(is_lf) << (16 * k);
    }
    *delims = d;
    return l;
#else
    uint64_t d = 0, l = 0;
    for (int i = 0; i < 64; i++) {
        d |= (uint64_t)(p[i] == '\t' || p[i] == '\n') << i;
        l |= (uint64_t)(p[i] == '\n') << i;
    }
    *delims = d;
    return l;
#endif
}

#if defined(__x86_64__) && defined(__GNUC__)
#    include <immintrin.h>
#    define GSI_LINES_AVX2 1
/* masks64 with 32-byte compares, for processors with AVX2 (chosen at run time). */
__attribute__((target("avx2"))) static inline uint64_t masks64_avx2(const char *p, uint64_t *delims)
{
    const __m256i tab = _mm256_set1_epi8('\t'), lf = _mm256_set1_epi8('\n');
    __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)p);
    __m256i hi = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
    __m256i lf_lo = _mm256_cmpeq_epi8(lo, lf), lf_hi = _mm256_cmpeq_epi8(hi, lf);
    __m256i d_lo = _mm256_or_si256(_mm256_cmpeq_epi8(lo, tab), lf_lo);
    __m256i d_hi = _mm256_or_si256(_mm256_cmpeq_epi8(hi, tab), lf_hi);
    *delims = (uint64_t)(uint32_t)_mm256_movemask_epi8(d_lo) |
              (uint64_t)(uint32_t)_mm256_movemask_epi8(d_hi) << 32;
    return (uint64_t)(uint32_t)_mm256_movemask_epi8(lf_lo) |
           (uint64_t)(uint32_t)_mm256_movemask_epi8(lf_hi) << 32;
}
#endif

/* Parses and delivers one line [s, e) (no line feed). */
static int take_line(struct scan_job *job, void *ctx, struct chunk_result *res,
                     const char *const *field, const size_t *flen, size_t nfields, long line)
{
    struct events_row row = { job->path, line, nfields, field, flen };
    struct events_event ev;
    struct gsi_err err; /* filled only when the row is bad; not cleared per row (it is large) */
    res->stats.rows++;
    if (events__gdelt_parse(&ev, &row, job->opt->skip, &res->stats, &err) < 0) {
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

/* A line with too many fields: counted, reported, or fatal under --strict. */
static int too_many_fields(struct scan_job *job, struct chunk_result *res, long line)
{
    struct gsi_err err;
    gsi_err_at(&err, GSI_EDATA, job->path, line, 0,
               "expected %d tab-separated fields (a GDELT 2.0 event export row), found more "
               "than %d",
               GDELT_FIELDS, MAX_FIELDS);
    res->stats.rows++;
    if (job->opt->strict) {
        res->err = err;
        return GSI_EDATA;
    }
    events_stats_bad_row(&res->stats, &err);
    return 0;
}

/* The delimiters a line's GDELT columns need, as a mask over their index in the line: field k
 * lies between delimiters k - 1 and k (the line's start for k = 0). */
static uint64_t needed_delims(void)
{
    uint64_t need = 0;
    for (size_t c = 0; c < EVENTS_GDELT_NCOLUMNS; c++) {
        unsigned k = events_gdelt_columns[c];
        need |= UINT64_C(1) << k;
        if (k > 0) {
            need |= UINT64_C(1) << (k - 1);
        }
    }
    return need;
}

#ifdef GSI_LINES_AVX2
/* PDEP, in a function of its own so that only the callers compiled for BMI2 inline it. */
__attribute__((target("bmi2"))) static inline uint64_t pdep64(uint64_t src, uint64_t mask)
{
    return _pdep_u64(src, mask);
}
#endif

/* Stores in dpos[j] the offset base + i of each set bit i of `seg` whose index j in the line
 * (c plus the set bits of seg below it) is in `need`; returns c plus the set bits of seg. Only
 * the delimiters wanted are visited: with BMI2, PDEP deposits the wanted indices onto the bits
 * of seg, so a block costs one step per wanted delimiter rather than one per delimiter. */
static inline __attribute__((always_inline)) size_t
collect(uint32_t dpos[64], uint32_t base, uint64_t seg, size_t c, uint64_t need, bool bmi2)
{
    size_t cnt = (size_t)__builtin_popcountll(seg);
    if (c < 64) {
        uint64_t src = need >> c;
        if (cnt < 64) {
            src &= (UINT64_C(1) << cnt) - 1;
        }
#ifdef GSI_LINES_AVX2
        if (bmi2) {
            uint64_t dep = pdep64(src, seg);
            while (src != 0) {
                dpos[c + (size_t)__builtin_ctzll(src)] = base + (uint32_t)__builtin_ctzll(dep);
                src &= src - 1;
                dep &= dep - 1;
            }
            return c + cnt;
        }
#else
        (void)bmi2;
#endif
        for (size_t j = c; src != 0; j++, src >>= 1, seg &= seg - 1) {
            if (src & 1) {
                dpos[j] = base + (uint32_t)__builtin_ctzll(seg);
            }
        }
    }
    return c + cnt;
}

/* Runs over complete lines in [p, p+n), which ends with a line feed; `avail` >= n bytes at p
 * may be read. Returns 0 or the code that stops the scan.
 *
 * Each 64-byte block's delimiters (tabs and line feeds) are counted per line, and the offsets
 * of those that bound a column the GDELT parser reads are kept in dpos, by their index in the
 * line; each line feed then closes a line with that many fields. */
static inline __attribute__((always_inline)) int scan_lines_body(struct scan_job *job, void *ctx,
                                                                 struct chunk_result *res,
                                                                 const char *p, size_t n,
                                                                 size_t avail, bool avx2, bool bmi2)
{
    const uint64_t need = needed_delims();
    uint32_t dpos[64];
    size_t c = 0;          /* delimiters of the current line so far */
    size_t line_start = 0; /* offset of the current line's first byte */
    const char *field[MAX_FIELDS];
    size_t flen[MAX_FIELDS];
    for (size_t base = 0; base < n; base += 64) {
        uint64_t m;
        const char *blk = p + base;
        char tail[64];
        if (base + 64 > avail) { /* the last block, near the end of the mapping */
            memset(tail, 0, sizeof tail);
            memcpy(tail, blk, n - base);
            blk = tail;
        }
#ifdef GSI_LINES_AVX2
        uint64_t lf = avx2 ? masks64_avx2(blk, &m) : masks64(blk, &m);
#else
        (void)avx2;
        uint64_t lf = masks64(blk, &m);
#endif
        if (n - base < 64) {
            uint64_t keep = (UINT64_C(1) << (n - base)) - 1;
            m &= keep;
            lf &= keep;
        }
        while (lf != 0) {
            unsigned bit = (unsigned)__builtin_ctzll(lf);
            lf &= lf - 1;
            /* The delimiters up to and including this line feed end the current line. */
            uint64_t upto = bit == 63 ? ~UINT64_C(0) : (UINT64_C(2) << bit) - 1;
            size_t nf = collect(dpos, (uint32_t)base, m & upto, c, need, bmi2);
            m &= ~upto;
            res->lines++;
            long line = (long)res->lines;
            int rc = 0;
            if (nf > MAX_FIELDS) {
                rc = too_many_fields(job, res, line);
            } else if (nf == 1 && base + bit == line_start) {
                /* blank lines are not rows */
            } else {
                /* Only the columns the GDELT parser reads (internal.h), and only when the row has
                 * all its fields: it reads none of a row that does not. The loop is unrolled,
                 * so each column number is a constant. */
                if (nf == GDELT_FIELDS) {
#pragma GCC unroll 16
                    for (size_t i = 0; i < EVENTS_GDELT_NCOLUMNS; i++) {
                        size_t k = events_gdelt_columns[i];
                        size_t s = k == 0 ? line_start : dpos[k - 1] + 1;
                        field[k] = p + s;
                        flen[k] = dpos[k] - s;
                    }
                }
                rc = take_line(job, ctx, res, field, flen, nf, line);
            }
            if (rc < 0) {
                return rc;
            }
            c = 0;
            line_start = base + bit + 1;
        }
        c = collect(dpos, (uint32_t)base, m, c, need, bmi2);
    }
    return 0;
}

/* scan_lines_body compiled four ways: with AVX2, BMI2 and POPCNT; with AVX2 and POPCNT; with
 * POPCNT; and for any x86-64 (or other) processor. scan_lines picks the best the processor has
 * (AMD's Zen 1 and 2 run PDEP in microcode, slower than the loop it replaces). The results are
 * the same; only the instructions differ. */
#ifdef GSI_LINES_AVX2
__attribute__((target("avx2,bmi2,popcnt"))) static int
scan_lines_bmi2(struct scan_job *job, void *ctx, struct chunk_result *res, const char *p, size_t n,
                size_t avail)
{
    return scan_lines_body(job, ctx, res, p, n, avail, true, true);
}

__attribute__((target("avx2,popcnt"))) static int scan_lines_avx2(struct scan_job *job, void *ctx,
                                                                  struct chunk_result *res,
                                                                  const char *p, size_t n,
                                                                  size_t avail)
{
    return scan_lines_body(job, ctx, res, p, n, avail, true, false);
}

__attribute__((target("popcnt"))) static int scan_lines_popcnt(struct scan_job *job, void *ctx,
                                                               struct chunk_result *res,
                                                               const char *p, size_t n,
                                                               size_t avail)
{
    return scan_lines_body(job, ctx, res, p, n, avail, false, false);
}
#endif

static int scan_lines(struct scan_job *job, void *ctx, struct chunk_result *res, const char *p,
                      size_t n, size_t avail)
{
#ifdef GSI_LINES_AVX2
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt")) {
        if (__builtin_cpu_supports("bmi2") && !__builtin_cpu_is("znver1") &&
            !__builtin_cpu_is("znver2")) {
            return scan_lines_bmi2(job, ctx, res, p, n, avail);
        }
        return scan_lines_avx2(job, ctx, res, p, n, avail);
    }
    if (__builtin_cpu_supports("popcnt")) {
        return scan_lines_popcnt(job, ctx, res, p, n, avail);
    }
#endif
    return scan_lines_body(job, ctx, res, p, n, avail, false, false);
}

/* The last line feed in [p, e), or NULL. */
static const char *last_lf(const char *p, const char *e)
{
    while (e > p) {
        if (*--e == '\n') {
            return e;
        }
    }
    return NULL;
}

/* The file's last line, which has no line feed: scanned from a copy that has one. */
static int scan_final_line(struct worker *w, struct chunk_result *res, const char *p, size_t n)
{
    char *copy = malloc(n + 1);
    if (copy == NULL) {
        return gsi_err_set(&res->err, GSI_ENOMEM, "out of memory reading %s", w->job->path);
    }
    memcpy(copy, p, n);
    copy[n] = '\n';
    int rc = scan_lines(w->job, w->ctx, res, copy, n + 1, n + 1);
    free(copy);
    return rc;
}

/* A line longer than LINE_MAX_B: counted and reported as a bad row, or fatal with --strict. */
static int line_too_long(struct scan_job *job, struct chunk_result *res)
{
    res->lines++;
    res->stats.rows++;
    struct gsi_err err;
    gsi_err_at(&err, GSI_EDATA, job->path, (long)res->lines, 0, "line longer than %u bytes",
               LINE_MAX_B);
    if (job->opt->strict) {
        res->err = err;
        return GSI_EDATA;
    }
    events_stats_bad_row(&res->stats, &err);
    return 0;
}

/* One chunk: map it with enough after it to finish its last line, trim to the lines it owns,
 * scan. */
static int run_chunk(struct worker *w, size_t c, struct chunk_result *res)
{
    struct scan_job *job = w->job;
    uint64_t start = (uint64_t)c * CHUNK_SIZE;
    uint64_t end = start + CHUNK_SIZE < job->size ? start + CHUNK_SIZE : job->size;
    /* From one byte before the chunk (to know whether a line starts at `start`) to where its
     * last line must end at the latest. */
    uint64_t rs = start > 0 ? start - 1 : 0;
    uint64_t map_end = end + LINE_MAX_B < job->size ? end + LINE_MAX_B : job->size;
    uint64_t map_off = rs - rs % (uint64_t)job->page;
    size_t map_len = (size_t)(map_end - map_off);
    char *map = mmap(NULL, map_len, PROT_READ, MAP_PRIVATE, job->fd, (off_t)map_off);
    if (map == MAP_FAILED) {
        return gsi_err_at(&res->err, GSI_EIO, job->path, 0, 0, "cannot map: %s", strerror(errno));
    }
#ifdef MADV_POPULATE_READ
    /* Fill the page tables for the chunk in one call rather than one fault per 64 KiB; older
     * kernels refuse the advice and fault the pages in as they are read. */
    if (madvise(map, (size_t)(end - map_off), MADV_POPULATE_READ) != 0) {
        madvise(map, (size_t)(end - map_off), MADV_WILLNEED);
    }
#else
    madvise(map, (size_t)(end - map_off), MADV_WILLNEED);
#endif
    gsi_progress_add(&job->progress, end - start);
    const char *base = map + (rs - map_off);
    const char *own_end = map + (end - map_off); /* lines that start before this are ours */
    const char *lim = map + map_len;
    const char *p = base;
    int rc = 0;
    if (start > 0) {
        /* The bytes up to the first line feed end the previous chunk's last line. */
        const char *nl = memchr(p, '\n', (size_t)(own_end - p));
        p = nl != NULL ? nl + 1 : own_end;
    }
    if (p < own_end) {
        const char *q = memchr(own_end - 1, '\n', (size_t)(lim - (own_end - 1)));
        if (q != NULL) {
            rc = scan_lines(job, w->ctx, res, p, (size_t)(q + 1 - p), (size_t)(lim - p));
        } else {
            /* The last line has no line feed within reach: either the file ends without one,
             * or the line is longer than LINE_MAX_B. The lines before it come first. */
            const char *nl = last_lf(p, own_end);
            const char *last = nl != NULL ? nl + 1 : p;
            if (nl != NULL) {
                rc = scan_lines(job, w->ctx, res, p, (size_t)(last - p), (size_t)(lim - p));
            }
            if (rc == 0) {
                rc = map_end == job->size && (size_t)(lim - last) <= LINE_MAX_B
                         ? scan_final_line(w, res, last, (size_t)(lim - last))
                         : line_too_long(job, res);
            }
        }
    }
    munmap(map, map_len);
    return rc;
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

int events__lines_scan(int fd, uint64_t size, const char *path,
                       const struct events_scan_options *opt, struct events_sink *sink,
                       struct events_stats *stats, struct gsi_err *err)
{
    struct scan_job job = { .path = path, .fd = fd, .size = size, .opt = opt, .sink = sink };
    job.nchunks = (size_t)((size + CHUNK_SIZE - 1) / CHUNK_SIZE);
    long page = sysconf(_SC_PAGESIZE);
    job.page = page > 0 ? (size_t)page : 4096;
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
        nthreads = (unsigned)job.nchunks;
    }
    /* At least one worker, on sink->ctx[0] (a sink has 1..EVENTS_THREADS_MAX contexts): an
     * empty file still runs one, which finds no chunk. */
    if (nthreads == 0) {
        nthreads = 1;
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
