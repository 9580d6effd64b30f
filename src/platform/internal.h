/* internal.h — what the platform's own files share: the `struct platform` itself, the
 * connection pool, the group-commit write path and the journal append step; and, further
 * down, what the procedure framework (proc.c, proc_schema.c) shares with the procedures' own
 * files (concern.c, notify.c, ...): the step an act is applied as, and the payload checks.
 * Not for other modules (they use platform.h and proc.h).
 *
 * The platform reads payloads with jansson, which the http module uses too
 * (docs/architecture.md, "Changes to the design", says why). */
#ifndef GSI_PLATFORM_INTERNAL_H
#define GSI_PLATFORM_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "journal/journal.h"
#include "platform/canonical.h"
#include "platform/platform.h"
#include "platform/proc.h"
#include "store/store.h"

#define PLATFORM_POOL_MAX      64 /* idle read connections kept */
#define PLATFORM_PATH_MAX      1024
#define PLATFORM_BATCH_DEFAULT 1024
/* The checkpoint file is rewritten (write, fsync, rename) at most this often while writes
 * flow, and always at close and on `gsi journal checkpoint`: a file that lags the database
 * is harmless (the database is ahead of it), and rewriting it on every commit would double
 * the fsyncs per write. */
#define PLATFORM_FILE_INTERVAL_NS 1000000000LL

/* One write waiting for (or in) a group commit. */
struct pw_req;
struct pw_batch;
typedef int (*pw_fn)(struct platform *p, struct pw_batch *b, void *ctx, struct gsi_err *err);

struct pw_req {
    pw_fn fn;
    void *ctx;
    int rc;
    bool done;
    bool lead;           /* handed the leadership: run the next batch */
    pthread_cond_t cond; /* signalled when done or lead is set */
    struct gsi_err err;
    uint64_t tree_size; /* journal size after the commit that carried it */
    struct pw_req *next;
};

/* The state of the transaction a leader is running. */
/* A journal_nodes row waiting to be written. */
struct pw_node {
    unsigned level;
    uint64_t idx;
    char hash[PLATFORM_HEX_MAX];
};

struct pw_batch {
    struct store *s;
    struct journal_merkle_range *range;
    int64_t now_us;
    /* The batch's journal and journal_nodes rows, kept here and written with one statement
     * each (store_insert_many) before the commit; a failing request drops its own. */
    struct platform_entry *entries;
    size_t nentries, cap_entries;
    struct pw_node *nodes;
    size_t nnodes, cap_nodes;
    /* The id the next record gets (0: not read yet this batch); see platform_record_id_next. */
    int64_t next_record_id;
    /* Parties this batch found in the database, remembered once it commits. */
    char (*seen)[PLATFORM_ID_MAX];
    size_t nseen, cap_seen;
    /* Sign a checkpoint of the tree at this commit even if one is not due yet (an explicit
     * platform_journal_checkpoint_sign). */
    bool force_sign;
    /* The cases this batch's procedure acts loaded, as they left them (proc_cache.c); dropped
     * when an act is undone and when the batch ends. */
    struct platform__proc_cache *proc_cache;
};

struct platform {
    struct store_url url;
    char key_path[PLATFORM_PATH_MAX];
    char checkpoint_path[PLATFORM_PATH_MAX];
    char origin[JOURNAL_ORIGIN_MAX + 1];
    bool have_signer;
    struct journal_note_signer signer;
    struct journal_note_verifier verifier;
    unsigned batch_max;
    int64_t (*clock)(void *ctx); /* NULL: the system's real-time clock */
    void *clock_ctx;

    pthread_mutex_t pool_mu;
    struct store *idle[PLATFORM_POOL_MAX];
    size_t nidle;

    pthread_mutex_t wmu;
    pthread_cond_t wcond;
    struct pw_req *qhead, *qtail;
    bool leader;
    bool checkpointing; /* a thread is checkpointing SQLite's write-ahead log */
    /* Parties known to exist (only the leader of a batch touches it; parties are never
     * removed, so a party once committed stays valid). */
    char (*known)[PLATFORM_ID_MAX];
    size_t nknown, cap_known;
    struct store *wconn;
    struct journal_merkle_range range;
    bool range_valid;
    char *last_note; /* the checkpoint the last commit signed (malloc'd) */
    uint64_t last_note_size;

    /* Under wmu: the last write transaction failed with a store error (GSI_EDB, GSI_EIO)
     * and none committed since; its message. */
    bool write_fault;
    char write_fault_msg[GSI_ERR_MSG_MAX];

    bool checkpoint_missing_ok; /* platform_opts.checkpoint_missing_ok */
    /* Signing (leader only): at most one checkpoint per checkpoint_every_ms (0: one per
     * commit that appends); the size and time (CLOCK_MONOTONIC, ms) of the last one. */
    unsigned checkpoint_every_ms;
    uint64_t signed_size;
    int64_t signed_ms;
    pthread_mutex_t file_mu;
    uint64_t file_size;   /* size of the checkpoint last written to the file */
    int64_t file_time_ns; /* when (CLOCK_MONOTONIC) */

    struct platform_witness_cfg *witness; /* platform_witness.c; NULL: not a witness */
    struct platform_tile_cache *tiles;    /* platform_tiles.c; made on first use */

    /* Cooperation's allocation re-runs (coop_read.c; under its mutex): re-runs asked for (one
     * per committed act), how many of them a finished run covers, whether one runs now, and
     * the last run's outcome, which every request it covered answers with. */
    struct {
        uint64_t asked, done;
        bool running;
        int rc;
        struct platform_receipt receipt;
        struct gsi_err err;
    } coop_runs;
};

/* Frees the cache of full tiles (platform_tiles.c); NULL is a no-op. */
void platform_tile_cache_free(struct platform_tile_cache *c);

/* Frees the witness configuration (platform_witness.c); NULL is a no-op. */
void platform_witness_cfg_free(struct platform_witness_cfg *w);

/* Paths and defaults from the options. */
int platform_paths(struct platform *p, const struct platform_opts *o, struct gsi_err *err);

/* SQLite's write-ahead log: frames past which the leader of a commit checkpoints it beside
 * the next batch (SQLite's own threshold), and past which it does so before the next batch
 * (a bound on the log's size when the first kind never catches up). */
#define PLATFORM_WAL_CHECKPOINT_PAGES 1000
#define PLATFORM_WAL_CHECKPOINT_MAX   8000
/* Parties the write path remembers as existing (the UN system is a few hundred). */
#define PLATFORM_KNOWN_PARTIES_MAX 4096

/* A read connection from the pool (opened when none is idle); give it back with conn_put. */
int platform_conn_get(struct platform *p, struct store **out, struct gsi_err *err);
/* `broken`: close it instead of keeping it (after a connection-level failure). */
void platform_conn_put(struct platform *p, struct store *s, bool broken);

/* Runs one read query on a connection from the pool and gives the connection back (closing it
 * when the query failed). *r is set only when this returns 0. */
int platform_query(struct platform *p, struct store_rows **r, const char *sql,
                   const struct store_val *v, size_t nv, struct gsi_err *err);

/* Runs `fn` inside a group-commit transaction and returns once that transaction committed
 * (0) or failed. `fn` runs inside its own savepoint: its error undoes only its own writes.
 * *tree_size (may be NULL) receives the journal size after the commit. */
int platform_write(struct platform *p, pw_fn fn, void *ctx, uint64_t *tree_size,
                   struct gsi_err *err);

/* Appends the journal entry `e` (type, party, delegate, time_us, subject and payload_hash
 * filled; index, time and leaf_hash are set here) inside batch `b`. */
int platform_journal_append(struct pw_batch *b, struct platform_entry *e, struct gsi_err *err);

/* Appends the journal entry of an act whose canonical bytes are `canon`: the entry's payload
 * hash is their SHA-256, its type, party, delegate and time (the batch's) are set here; the
 * caller fills e->subject (and zeroes the rest). On success e->index, e->time and e->leaf_hash
 * say where it went. */
int platform_journal_append_act(struct pw_batch *b, struct platform_entry *e,
                                const struct gsi_buf *canon, const char *type, const char *party,
                                int64_t delegate, struct gsi_err *err);

/* Entries [start, end) with every field and their leaf-data form (platform_entry_form), for
 * the entry bundles; the same limits as platform_journal_entries. Never for a public
 * listing: it holds confidential acts' fields and salts. */
int platform_journal_leaves(struct platform *p, struct platform_entry **out, size_t *n,
                            uint64_t start, uint64_t end, struct gsi_err *err);

/* The id of the next record the batch inserts: MAX(records.id) + 1, read once per batch with
 * the log locked, then counted up. Records get their ids here rather than from the database
 * (RETURNING id), so their INSERTs need no answer and go in the batch's pipeline. */
int platform_record_id_next(struct pw_batch *b, int64_t *id, struct gsi_err *err);

/* 0 when the party exists, GSI_ENOTFOUND ("no party 'X'") when it does not. Checked before a
 * record's INSERT is sent, because that INSERT is deferred and its foreign-key error would
 * fail the whole batch; parties already seen cost no query. */
int platform_party_check(struct platform *p, struct pw_batch *b, const char *party,
                         struct gsi_err *err);

/* Writes the latest checkpoint to the file outside the database when it is newer than the
 * one there and (unless `force`) the last write is older than PLATFORM_FILE_INTERVAL_NS. */
int platform_checkpoint_file_update(struct platform *p, bool force, struct gsi_err *err);

/* A merkle source reading journal_nodes through `s`. */
void platform_node_source(struct journal_merkle_source *src, struct store *s);

/* Microseconds since the epoch now, and its ISO 8601 form "YYYY-MM-DDTHH:MM:SS.uuuuuuZ". */
int64_t platform_now_us(void);
/* The platform's clock (platform_opts.clock, or the system's when none was injected). */
int64_t platform_clock_now(const struct platform *p);
void platform_time_format(char out[PLATFORM_TIME_MAX], int64_t us);

/* Lower-case hex of 32 bytes, and back (GSI_EDATA unless exactly 64 hex digits). */
void platform_hex(char out[PLATFORM_HEX_MAX], const uint8_t h[PLATFORM_HASH_SIZE]);
int platform_unhex(uint8_t out[PLATFORM_HASH_SIZE], const char *s, size_t n, struct gsi_err *err);

/* Checks an id (party), a type and a name: bounded, no control characters. */
int platform_check_party_id(const char *id, struct gsi_err *err);
int platform_check_type(const char *type, struct gsi_err *err);
int platform_check_name(const char *what, const char *name, struct gsi_err *err);

/* Fills `out` with `n` bytes from the kernel's random source (getrandom). */
int platform_random(uint8_t *out, size_t n, struct gsi_err *err);
/* Fills `out` from a row (id, party, role, name, pubkey, created, revoked). */
void platform_delegate_from_row(struct platform_delegate *out, const struct store_rows *r,
                                size_t row);
/* Fills `out` from a row (id, kind, name, region). */
void platform_party_from_row(struct platform_party *out, const struct store_rows *r, size_t row);

/* Fills element `elem` of a list from row `row` of `r`. On failure it returns a negative
 * GSI_E* code and leaves nothing allocated in `elem`. */
typedef int (*platform_row_fill)(void *elem, const struct store_rows *r, size_t row,
                                 struct gsi_err *err);
/* Releases what a filled element owns (not the element itself). */
typedef void (*platform_elem_release)(void *elem);

/* Turns the rows of a query into a list: a calloc'd array of one `size`-byte element per row
 * of `r`, element i filled by fill(elem, r, i). At least one element is allocated, so an empty
 * list is still a pointer the caller frees like any other. `r` is freed in every case. On
 * failure *out is NULL, *n is 0 and the elements already filled are released with `release`
 * (NULL when elements own nothing). */
int platform_rows_collect(struct store_rows *r, size_t size, platform_row_fill fill,
                          platform_elem_release release, void **out, size_t *n,
                          struct gsi_err *err);

/* platform_rows_collect for a fill that needs more than the row: `ctx` is handed to every
 * fill(elem, ctx, r, i) unchanged (a step, a time to judge by). Same contract otherwise. */
typedef int (*platform_row_fill_ctx)(void *elem, void *ctx, const struct store_rows *r,
                                     size_t row, struct gsi_err *err);
int platform_rows_collect_ctx(struct store_rows *r, size_t size, platform_row_fill_ctx fill,
                              void *ctx, platform_elem_release release, void **out, size_t *n,
                              struct gsi_err *err);

/* A platform_row_fill for a list of ids (`char [PLATFORM_ID_MAX]` elements): the text of the
 * row's first column, cut to the element. */
int platform_row_fill_id(void *elem, const struct store_rows *r, size_t row,
                         struct gsi_err *err);

/* Bytes a checkpoint file may hold. */
#define PLATFORM_CHECKPOINT_FILE_MAX 65536

/* The latest signed checkpoint's note, appended to `note`, and its tree size in *size (when
 * not NULL). GSI_ENOTFOUND "no checkpoint has been signed yet" before the first. */
int platform_checkpoint_latest(struct platform *p, struct gsi_buf *note, uint64_t *size,
                               struct gsi_err *err);

/* Seeds the parties (platform_init). */
int platform_parties_seed(struct platform *p, struct gsi_err *err);

/* The embedded CSV files of data/parties/ (gen_parties.py). */
extern const char platform_organisations_csv[];
extern const size_t platform_organisations_csv_len;
extern const char platform_members_csv[];
extern const size_t platform_members_csv_len;

/* --- the procedure framework ------------------------------------------------------ */

/* Caps of the payload reader (proc_schema.c). */
#define PROC_STRING_CAP 256  /* default bytes of a STRING field */
#define PROC_ARRAY_CAP  64   /* default items of a STRINGS field */
#define PROC_GEO_POINTS 4096 /* positions in one polygon, all rings together */
#define PROC_GEO_RINGS  16   /* rings of one polygon */

/* One addressed party's row as the step sees (and changes) it. */
/* What a procedure's rules keep about one case for the rest of a batch, such as
 * consult.c's moderated-out statements: `data`, freed by `release`, NULL when nothing is kept.
 * It must be what the database holds inside the transaction: a rule that changes what it
 * describes updates it or sets it back to NULL (it is dropped with the batch's cache anyway
 * when an act is undone). */
struct platform_proc_aux {
    void *data;
    void (*release)(void *data);
};

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
    bool replay;            /* the rebuild replays a journalled record (which was accepted then) */
    /* What the procedure's rules keep about this case for the rest of the group-commit batch
     * (proc_cache.c); NULL while rebuilding, or past the cache's cap: then read each time. */
    struct platform_proc_aux *aux;
};

/* GSI_ENOTFOUND "no <procedure> <id>": the one answer for a case that does not exist and for
 * a confidential case the asker may not see, so that an outsider learns nothing. */
int platform__proc_no_case(const struct platform_proc *proc, int64_t id, struct gsi_err *err);
/* Reads case `id` of `proc` with `sql`, a query of proc_cases whose two parameters are the id
 * and the procedure's name (`… WHERE id = ? AND kind = ?`), into *r, which then holds at least
 * one row; platform__proc_no_case (r freed) when there is none. */
int platform__proc_case_query(struct platform *p, struct store_rows **r, const char *sql,
                              const struct platform_proc *proc, int64_t id, struct gsi_err *err);

/* The row of `party` in the step, or NULL. */
struct proc_prow *platform__proc_step_row(struct platform_proc_step *st, const char *party);
/* Sets a row's deadline (0: nothing due) and marks it changed. */
void platform__proc_row_due(struct proc_prow *r, int64_t due_us, const char *what);
/* Sets every addressed party's deadline to `due_us` (0: nothing due) with what is due, as
 * platform__proc_row_due does for one row. */
void platform__proc_rows_due(struct platform_proc_step *st, int64_t due_us, const char *what);
/* Whether every addressed party's row is in party state `state` (true when there are none). */
bool platform__proc_rows_all(const struct platform_proc_step *st, int state);

/* Reads time field `key` of `obj` (validated earlier as PLATFORM_PROC_TIME); 0 when absent. */
int64_t platform__proc_json_time(const json_t *obj, const char *key);
/* Reads integer field `key`, or `dflt` when absent. */
int64_t platform__proc_json_int(const json_t *obj, const char *key, int64_t dflt);

/* Whether `key` is a field act `a` takes ("party", or one of its declared fields). */
/* "a, b, c": the verbs of `proc`'s opening acts (its cases' subtypes), for a message; cut
 * short at `cap`. */
void platform__proc_opening_verbs(char *out, size_t cap, const struct platform_proc *proc);

bool platform__proc_field_known(const struct platform_proc_act *a, const char *key);

/* Checks `obj` against the fields of `a`, expanding PARTIES fields (groupings, "ALL") through
 * the platform and dropping `self` from them (`p` NULL: party fields are refused, for the fuzz
 * target, which has no database). On success *title, *domain (may be NULL) point
 * into obj. GSI_EDATA naming the field by JSON pointer otherwise. */
int platform__proc_payload_check(struct platform *p, const struct platform_proc_act *a, json_t *obj,
                       const char *self, struct gsi_err *err);

/* Applies act `a` of `proc` by `party` with the checked `payload` at `time_us` as record
 * `record_id` to case `case_id` (the record id itself for an opening act): the generic
 * transitions, then proc->rules, then the projection's rows, through `s` inside the write
 * transaction. The same code serves acts being made and the rebuild from the records
 * (`replay`: the step's `replay`). */
int platform__proc_project(struct store *s, const struct platform_proc *proc,
                 const struct platform_proc_act *a, const char *party, json_t *payload,
                 int64_t case_id, int64_t record_id, int64_t time_us, bool replay,
                 struct gsi_err *err);

/* The batch's case cache (proc_cache.c). platform__proc_cache_load fills st with case
 * st->case_id, from the cache or through `load` (then cached), and sets st->aux;
 * platform__proc_cache_keep records the case as an act that succeeded left it;
 * platform__proc_cache_drop forgets everything (an act was undone, or the batch ends). */
struct platform__proc_cache;
int platform__proc_cache_load(struct platform__proc_cache **cache, struct platform_proc_step *st,
                              int (*load)(struct platform_proc_step *, struct gsi_err *),
                              struct gsi_err *err);
void platform__proc_cache_keep(struct platform__proc_cache **cache,
                               const struct platform_proc_step *st);
void platform__proc_cache_drop(struct platform__proc_cache **cache);

#define PROC_HOUR_US ((int64_t)3600 * 1000000)
#define PROC_DAY_US  (24 * PROC_HOUR_US)

#endif
