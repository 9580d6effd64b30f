/* backtest.c — (year, model) runs over a few threads (see backtest.h). */
#include "warn/backtest.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "warn/forecast.h"

struct job {
    struct warn_eval *out;
    struct warn_eval_cell *cells; /* NULL, or 12 * ncountries per (year, model) */
    size_t ncells;                /* cells per (year, model) */
    const struct warn_panel *p;
    const int *years;
    const enum warn_model_kind *models;
    size_t nmodels, njobs, ndraws;
    uint64_t seed;
    atomic_size_t next;  /* next job index to take */
    int *rc;             /* per job */
    struct gsi_err *err; /* per job */
};

static void run_one(struct job *j, size_t i)
{
    size_t yi = i / j->nmodels, mi = i % j->nmodels;
    struct warn_forecast f;
    j->rc[i] = warn_model_forecast_year(&f, j->p, j->models[mi], j->years[yi], j->ndraws, j->seed,
                                        &j->err[i]);
    if (j->rc[i] == 0) {
        j->rc[i] = warn_eval_forecast_cells(&j->out[i],
                                            j->cells != NULL ? j->cells + i * j->ncells : NULL,
                                            &f, j->p, "forecast", j->seed, &j->err[i]);
        warn_forecast_release(&f);
    }
}

static void *worker(void *arg)
{
    struct job *j = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&j->next, 1);
        if (i >= j->njobs) {
            return NULL;
        }
        run_one(j, i);
    }
}

int warn_backtest_run(struct warn_eval *out, const struct warn_panel *p, const int *years,
                      size_t nyears, const enum warn_model_kind *models, size_t nmodels,
                      size_t ndraws, uint64_t seed, unsigned threads, struct gsi_err *err)
{
    return warn_backtest_run_cells(out, NULL, p, years, nyears, models, nmodels, ndraws, seed,
                                   threads, err);
}

int warn_backtest_run_cells(struct warn_eval *out, struct warn_eval_cell *cells,
                            const struct warn_panel *p, const int *years, size_t nyears,
                            const enum warn_model_kind *models, size_t nmodels, size_t ndraws,
                            uint64_t seed, unsigned threads, struct gsi_err *err)
{
    struct job j;
    memset(&j, 0, sizeof j);
    j.out = out;
    j.cells = cells;
    j.ncells = 12 * p->ncountries;
    j.p = p;
    j.years = years;
    j.models = models;
    j.nmodels = nmodels;
    j.njobs = nyears * nmodels;
    j.ndraws = ndraws;
    j.seed = seed;
    atomic_init(&j.next, 0);
    if (j.njobs == 0) {
        return 0;
    }
    j.rc = calloc(j.njobs, sizeof *j.rc);
    j.err = calloc(j.njobs, sizeof *j.err);
    if (j.rc == NULL || j.err == NULL) {
        free(j.rc);
        free(j.err);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory for the backtest");
    }
    unsigned nt = threads < 1                           ? 1
                  : threads > WARN_BACKTEST_THREADS_MAX ? WARN_BACKTEST_THREADS_MAX
                                                        : threads;
    if (nt > j.njobs) {
        nt = (unsigned)j.njobs;
    }
    pthread_t tid[WARN_BACKTEST_THREADS_MAX];
    unsigned started = 0;
    /* The calling thread works too; extra threads that fail to start are simply not used. */
    for (unsigned t = 1; t < nt; t++) {
        if (pthread_create(&tid[started], NULL, worker, &j) == 0) {
            started++;
        }
    }
    worker(&j);
    for (unsigned t = 0; t < started; t++) {
        pthread_join(tid[t], NULL);
    }
    int rc = 0;
    for (size_t i = 0; i < j.njobs; i++) {
        if (j.rc[i] < 0) {
            rc = j.rc[i];
            if (err != NULL) {
                *err = j.err[i];
            }
            break;
        }
    }
    free(j.rc);
    free(j.err);
    return rc;
}
