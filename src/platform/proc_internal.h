/* proc_internal.h — what the procedure framework (proc.c, proc_schema.c) shares with the
 * procedures' own files (concern.c, notify.c, ...): the step an act is applied as, and the
 * payload checks. Not for other modules (they use proc.h).
 *
 * The platform reads payloads with jansson, which the http module uses too (docs/architecture.md,
 * "Changes to the design", says why). */
#ifndef GSI_PLATFORM_PROC_INTERNAL_H
#define GSI_PLATFORM_PROC_INTERNAL_H

#include <jansson.h>

#include "platform/platform_internal.h"
#include "platform/proc.h"

/* Caps of the payload reader (proc_schema.c). */
#define PROC_STRING_CAP 256  /* default bytes of a STRING field */
#define PROC_ARRAY_CAP  64   /* default items of a STRINGS field */
#define PROC_GEO_POINTS 4096 /* positions in one polygon, all rings together */
#define PROC_GEO_RINGS  16   /* rings of one polygon */

/* One addressed party's row as the step sees (and changes) it. */
struct proc_prow {
    char party[PLATFORM_ID_MAX];
    int state;      /* index in proc->party_states */
    int64_t due_us; /* 0: nothing due */
    char due_what[PLATFORM_PROC_STATE_MAX];
    bool changed;
};

/* An act being applied, inside the write transaction (or while rebuilding). The framework has
 * checked the payload, the actor's relation and the states before `rules` sees it; `rules` may
 * change `case_to`, the rows' states and deadlines, and refuse. */
struct platform_proc_step {
    const struct platform_proc *proc;
    const struct platform_proc_act *act;
    const struct platform_proc_act *opening; /* the act that opened the case */
    struct store *s;
    json_t *payload;   /* this act's payload, validated (borrowed) */
    json_t *data;      /* the case's data before this act (the opening payload, as amended) */
    const char *party; /* the acting party */
    int64_t time_us;   /* this act's time */
    int64_t record_id;
    int64_t case_id;
    char owner[PLATFORM_ID_MAX];
    int case_state; /* before the act */
    int case_to;    /* after it (rules may change it) */
    int version;
    int64_t opened_us;
    struct proc_prow *rows; /* the addressed parties, by party id */
    size_t nrows;
    struct proc_prow *self; /* the acting party's row (ADDRESSED acts), else NULL */
};

/* The row of `party` in the step, or NULL. */
struct proc_prow *proc_step_row(struct platform_proc_step *st, const char *party);
/* Sets a row's deadline (0: nothing due) and marks it changed. */
void proc_row_due(struct proc_prow *r, int64_t due_us, const char *what);

/* Reads time field `key` of `obj` (validated earlier as PLATFORM_PROC_TIME); 0 when absent. */
int64_t proc_json_time(const json_t *obj, const char *key);
/* Reads integer field `key`, or `dflt` when absent. */
int64_t proc_json_int(const json_t *obj, const char *key, int64_t dflt);

/* Whether `key` is a field act `a` takes ("party", or one of its declared fields). */
bool proc_field_known(const struct platform_proc_act *a, const char *key);

/* Checks `obj` against the fields of `a`, expanding PARTIES fields (groupings, "ALL") through
 * the platform and dropping `self` from them (`p` NULL: party fields are refused, for the fuzz
 * target, which has no database). On success *title, *domain (may be NULL) point
 * into obj. GSI_EDATA naming the field by JSON pointer otherwise. */
int proc_payload_check(struct platform *p, const struct platform_proc_act *a, json_t *obj,
                       const char *self, struct gsi_err *err);

/* Applies act `a` of `proc` by `party` with the checked `payload` at `time_us` as record
 * `record_id` to case `case_id` (the record id itself for an opening act): the generic
 * transitions, then proc->rules, then the projection's rows, through `s` inside the write
 * transaction. The same code serves acts being made and the rebuild from the records. */
int proc_project(struct store *s, const struct platform_proc *proc,
                 const struct platform_proc_act *a, const char *party, json_t *payload,
                 int64_t case_id, int64_t record_id, int64_t time_us, struct gsi_err *err);

#define PROC_HOUR_US ((int64_t)3600 * 1000000)
#define PROC_DAY_US  (24 * PROC_HOUR_US)

#endif
