/* par.c — run a fixed set of blocks on worker threads.
 *
 * Work is cut into blocks by size only (par_blocks, internal.h), never by the number of threads,
 * and each block writes its own partial result; the caller adds the partials in block order. So the
 * floating-point sums, and every result, are the same bits with 1 thread or 16. */
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "consensus/internal.h"

int consensus__par_threads(int requested)
{
    if (requested > 0) {
        return requested > 64 ? 64 : requested;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) {
        return 1;
    }
    return n > 64 ? 64 : (int)n;
}

struct par_job {
    void (*fn)(void *ctx, size_t block);
    void *ctx;
    size_t nblocks;
    atomic_size_t next;
};

static void *par_worker(void *arg)
{
    struct par_job *job = arg;
    for (;;) {
        size_t b = atomic_fetch_add(&job->next, 1);
        if (b >= job->nblocks) {
            break;
        }
        job->fn(job->ctx, b);
    }
    return NULL;
}

void consensus__par_run(int threads, size_t nblocks, void (*fn)(void *ctx, size_t block), void *ctx)
{
    struct par_job job;
    job.fn = fn;
    job.ctx = ctx;
    job.nblocks = nblocks;
    atomic_init(&job.next, 0);
    int nt = threads;
    if ((size_t)nt > nblocks) {
        nt = (int)nblocks;
    }
    pthread_t tid[64];
    int started = 0;
    for (int i = 1; i < nt; i++) {
        if (pthread_create(&tid[started], NULL, par_worker, &job) != 0) {
            break; /* fewer threads: the calling thread does the rest, same results */
        }
        started++;
    }
    par_worker(&job);
    for (int i = 0; i < started; i++) {
        pthread_join(tid[i], NULL);
    }
}
