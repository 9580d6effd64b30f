/* proc_cache.c — the cases a group-commit batch's acts have loaded, as those acts left them.
 *
 * Inside one write transaction a case changes only through the acts of that batch: every
 * writer of proc_cases and proc_parties goes through platform__proc_project, and every batch
 * holds the log lock (SQLite: the one write lock; PostgreSQL: journal_head FOR UPDATE) from
 * its first read to its commit. So the first act on a case in a batch reads it from the
 * database and each later one takes it from here, as the accepted acts before it left it: on
 * PostgreSQL that spares two round trips per act, which the whole batch waits for.
 *
 * Invariants: an entry holds the case as the database holds it now, inside this transaction.
 * It is updated only after an act's projection succeeded (platform__proc_cache_keep); when any
 * act of the batch is undone (its savepoint rolled back) the write path drops the whole cache
 * (platform__proc_cache_drop), since what the undone act changed here is no longer true; and
 * it is dropped when the batch ends, committed or not. Past PROC_CACHE_CASES cases the others
 * are read each time, as without a cache. */
#include <stdlib.h>
#include <string.h>

#include "platform/internal.h"

#define PROC_CACHE_CASES 64

struct proc_cached {
    const struct platform_proc *proc;
    int64_t case_id;
    char owner[PLATFORM_ID_MAX];
    int case_state;
    int version;
    int64_t opened_us;
    const struct platform_proc_act *opening;
    json_t *data; /* never changed in place: a step works on its own copy */
    struct proc_prow *rows;
    size_t nrows;
    struct platform_proc_aux aux;
};

struct platform__proc_cache {
    struct proc_cached c[PROC_CACHE_CASES];
    size_t n;
};

static void entry_release(struct proc_cached *e)
{
    json_decref(e->data);
    free(e->rows);
    if (e->aux.data != NULL && e->aux.release != NULL) {
        e->aux.release(e->aux.data);
    }
    memset(e, 0, sizeof *e);
}

void platform__proc_cache_drop(struct platform__proc_cache **cache)
{
    if (*cache == NULL) {
        return;
    }
    for (size_t i = 0; i < (*cache)->n; i++) {
        entry_release(&(*cache)->c[i]);
    }
    free(*cache);
    *cache = NULL;
}

static struct proc_cached *find(struct platform__proc_cache *cache,
                                const struct platform_proc *proc, int64_t case_id)
{
    for (size_t i = 0; cache != NULL && i < cache->n; i++) {
        if (cache->c[i].case_id == case_id && cache->c[i].proc == proc) {
            return &cache->c[i];
        }
    }
    return NULL;
}

/* Sets e's copy of the case from st (the state after the act: case_to). */
static int entry_set(struct proc_cached *e, const struct platform_proc_step *st, int state)
{
    struct proc_prow *rows = calloc(st->nrows > 0 ? st->nrows : 1, sizeof *rows);
    json_t *data = json_deep_copy(st->data);
    if (rows == NULL || data == NULL) {
        free(rows);
        json_decref(data);
        return GSI_ENOMEM;
    }
    if (st->nrows > 0) {
        memcpy(rows, st->rows, st->nrows * sizeof *rows);
    }
    for (size_t i = 0; i < st->nrows; i++) {
        rows[i].changed = false;
    }
    free(e->rows);
    json_decref(e->data);
    e->proc = st->proc;
    e->case_id = st->case_id;
    memcpy(e->owner, st->owner, sizeof e->owner);
    e->case_state = state;
    e->version = st->version;
    e->opened_us = st->opened_us;
    e->opening = st->opening;
    e->data = data;
    e->rows = rows;
    e->nrows = st->nrows;
    return 0;
}

/* A new entry for st's case, or NULL past the cap (or out of memory). */
static struct proc_cached *entry_add(struct platform__proc_cache **cache,
                                     const struct platform_proc_step *st, int state)
{
    if (*cache == NULL) {
        *cache = calloc(1, sizeof **cache);
    }
    if (*cache == NULL || (*cache)->n >= PROC_CACHE_CASES) {
        return NULL;
    }
    struct proc_cached *e = &(*cache)->c[(*cache)->n];
    memset(e, 0, sizeof *e);
    if (entry_set(e, st, state) < 0) {
        return NULL;
    }
    (*cache)->n++;
    return e;
}

int platform__proc_cache_load(struct platform__proc_cache **cache, struct platform_proc_step *st,
                              int (*load)(struct platform_proc_step *, struct gsi_err *),
                              struct gsi_err *err)
{
    struct proc_cached *e = find(*cache, st->proc, st->case_id);
    if (e == NULL) {
        int rc = load(st, err);
        if (rc == 0) {
            e = entry_add(cache, st, st->case_state);
            st->aux = e != NULL ? &e->aux : NULL;
        }
        return rc;
    }
    st->rows = calloc(e->nrows > 0 ? e->nrows : 1, sizeof *st->rows);
    st->data = json_deep_copy(e->data);
    if (st->rows == NULL || st->data == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    if (e->nrows > 0) {
        memcpy(st->rows, e->rows, e->nrows * sizeof *st->rows);
    }
    st->nrows = e->nrows;
    memcpy(st->owner, e->owner, sizeof st->owner);
    st->case_state = e->case_state;
    st->version = e->version;
    st->opened_us = e->opened_us;
    st->opening = e->opening;
    st->aux = &e->aux;
    return 0;
}

void platform__proc_cache_keep(struct platform__proc_cache **cache,
                               const struct platform_proc_step *st)
{
    struct proc_cached *e = find(*cache, st->proc, st->case_id);
    if (e == NULL) {
        (void)entry_add(cache, st, st->case_to); /* an opening act, or past the cap */
        return;
    }
    if (entry_set(e, st, st->case_to) < 0) {
        /* Out of memory: the entry would be stale; the case is read again next time. */
        entry_release(e);
        e->case_id = -1;
    }
}
