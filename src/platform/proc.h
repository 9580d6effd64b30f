/*
 * proc.h — procedures: one shape for every act a party performs (concerns, notifications,
 * cooperation, forums, consultations, agreements).
 *
 * A procedure is one `static const struct platform_proc` table: its name, its states, and its
 * act types, each with a payload schema (fields with JSON type, cap and allowed values), who may
 * perform it (party relation and roles), the states it is allowed from and the state it leads
 * to. Everything else comes from the table, the same way for every procedure:
 *
 *   - validation of the payload (GSI_EDATA, HTTP 422, naming the field by JSON pointer:
 *     "/launch_area/coordinates/0/2/1: expected a latitude in [-90, 90]");
 *   - authorisation: the acting party (platform_may_act_for, 403), the case's visibility (404),
 *     the party's relation to the case and its role (403), the state (GSI_ECONFLICT, 409,
 *     "already acknowledged");
 *   - the write: one record per act through platform_act_record, journalled in the same
 *     transaction, and the projection (tables proc_cases, proc_parties, proc_acts) updated in
 *     the act's apply callback, so a refused act writes nothing;
 *   - the OpenAPI schema of each act's payload (platform_proc_openapi), which
 *     tests/unit/platform checks against docs/api.yaml.
 *
 * A *case* is one instance: one concern, one notification. Its id is the record id of the act
 * that opened it. It has an owner (the party that opened it), a state, and one row per party
 * it addresses, each with its own state and its next deadline (`due`). Deadlines are act time
 * plus a period; "overdue" is judged when read, against the platform's clock
 * (platform_opts.clock), so nothing changes state in the background and tests inject time.
 *
 * Confidential cases are visible to their owner and the parties they address only (the local
 * administrator sees all): to anyone else every read and act answers 404 as for a case that does
 * not exist, lists leave them out, their records carry the same audience, and the public journal
 * listing shows only their index and leaf hash (docs/internals/procedures.md).
 *
 * Adding a procedure: a table (fields, acts, states), optionally a `rules` hook for what a table
 * cannot say (time rules, deadlines) and the `tables` those rules write, an entry in
 * platform_procs[] (proc_registry.c), routes in src/http/routes.c pointing at the generic handlers
 * of h_proc.c, and its paths in docs/api.yaml.
 *
 *     struct platform_proc_receipt r;
 *     const char *body = "{\"to\":[\"USA\"],\"domain\":\"nuclear\",\"title\":\"...\",...}";
 *     if (platform_proc_act(p, &r, actor, &platform_proc_concern, "concern.lodge", 0, body,
 *                           strlen(body), &err) < 0) ...   // err.code: 403, 404, 409, 422...
 *     ... platform_proc_act(p, &r, other, &platform_proc_concern, "concern.acknowledge",
 *                           r.case_id, "{}", 2, &err) ...
 */
#ifndef GSI_PLATFORM_PROC_H
#define GSI_PLATFORM_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "platform/platform.h"

#define PLATFORM_PROC_STATE_MAX   24   /* a state name + NUL: "acknowledged" */
#define PLATFORM_PROC_KIND_MAX    24   /* a procedure's name + NUL: "notification" */
#define PLATFORM_PROC_SUB_MAX     40   /* a case's subtype (its opening act's suffix) + NUL */
#define PLATFORM_PROC_STATES      16   /* states one procedure may declare (bit masks) */
#define PLATFORM_PROC_TITLE_MAX   256  /* bytes of a case's title + NUL */
#define PLATFORM_PROC_PARTIES_MAX 256  /* parties one case may address (all states: 193) */
#define PLATFORM_PROC_LIST_MAX    1000 /* cases one list call returns */

/* JSON types of payload fields. The checks each makes are in proc_schema.c. */
enum platform_proc_ftype {
    PLATFORM_PROC_STRING,  /* a string of 1..max bytes of UTF-8 without control characters
                            * (newlines and tabs allowed when `max` > 256) */
    PLATFORM_PROC_INT,     /* an integer in [min, max] */
    PLATFORM_PROC_NUMBER,  /* a number in [min, max] */
    PLATFORM_PROC_BOOL,    /* true or false */
    PLATFORM_PROC_TIME,    /* RFC 3339 UTC: "2026-12-03T09:00:00Z" (fraction of a second
                            * allowed, "Z" required) */
    PLATFORM_PROC_ENUM,    /* one of `values` */
    PLATFORM_PROC_DOMAIN,  /* one of the 20 priority domains' keys (ref_domain_by_key) */
    PLATFORM_PROC_MEANS,   /* one of the UN Charter Art. 33 means (ref_charter33_at) */
    PLATFORM_PROC_PARTY,   /* a party id that exists */
    PLATFORM_PROC_PARTIES, /* an array of 1..max party ids, each a party or a grouping
                            * (expanded to its members), or ["ALL"]: every UN member state */
    PLATFORM_PROC_STRINGS, /* an array of 1..max strings of 1..256 bytes each */
    PLATFORM_PROC_GEO,     /* a GeoJSON Point or Polygon (RFC 7946): positions
                            * [lon, lat] with lon in [-180, 180] and lat in [-90, 90]; a
                            * polygon's rings have >= 4 positions and close (last = first) */
};

/* Field flags. */
#define PLATFORM_PROC_REQUIRED  1u /* must be present */
#define PLATFORM_PROC_ADDRESSES 2u /* (PARTIES) the parties the case addresses */
#define PLATFORM_PROC_TITLE     4u /* (STRING) shown as the case's title in lists */
#define PLATFORM_PROC_DOMAINKEY 8u /* (DOMAIN) the case's domain, filterable */
#define PLATFORM_PROC_AS_GIVEN                                    \
    16u /* (PARTIES) a grouping is itself a party here ("UN" as a \
         * mediator or signatory), not expanded to its members */

struct platform_proc_field {
    const char *name; /* JSON key, [a-z0-9_]+ */
    enum platform_proc_ftype type;
    unsigned flags;
    double min, max;           /* INT, NUMBER: the range; STRING: max bytes; arrays: max
                                * items (0: the type's default cap) */
    const char *const *values; /* ENUM: NULL-terminated allowed values */
    const char *doc;           /* one line for the OpenAPI description */
};

/* Who may perform an act, relative to the case. */
enum platform_proc_who {
    PLATFORM_PROC_ANY,       /* any party (acts that open a case) */
    PLATFORM_PROC_OWNER,     /* the party that opened the case */
    PLATFORM_PROC_ADDRESSED, /* a party the case addresses */
};

/* Roles (enum platform_role) as bits; observers never act (platform_may_act_for). */
#define PLATFORM_PROC_ROLE(r) (1u << (unsigned)(r))
#define PLATFORM_PROC_ROLES_ACTING                                                             \
    (PLATFORM_PROC_ROLE(PLATFORM_ROLE_DELEGATE) | PLATFORM_PROC_ROLE(PLATFORM_ROLE_MEDIATOR) | \
     PLATFORM_PROC_ROLE(PLATFORM_ROLE_SECRETARIAT))

/* States as bits of a mask: state i of the procedure's `states` (or `party_states`). */
#define PLATFORM_PROC_S(i) (1u << (unsigned)(i))

/* Act flags.
 *   OPENS   opens a new case (case_id 0); its verb is the case's subtype
 *   AMENDS  the payload replaces the case's data and is checked against the schema of the act
 *           that opened the case (the parties addressed and confidentiality may not change)
 *   RESETS  every addressed party goes back to party state 0 */
#define PLATFORM_PROC_OPENS  1u
#define PLATFORM_PROC_AMENDS 2u
#define PLATFORM_PROC_RESETS 4u

struct platform_proc;
struct platform_proc_step; /* an act being applied; see internal.h */
struct store;

/* One of a procedure's own projection tables. Every row must be a function of the records
 * (ids from record ids, never from a sequence), so that the rebuild writes it again the same. */
struct platform_proc_table {
    const char *name; /* "consult_votes" */
    const char *key;  /* the columns that order its rows: one integer column ("id"), read in
                       * pages, or several ("proposal, party"), read at once (small tables) */
    const char *keep; /* an SQL condition: rows no record replays, which the rebuild keeps (an
                       * import's rows: the record holds its files' hashes); NULL: none */
};

struct platform_proc_act {
    const char *type;    /* "<procedure>.<verb>", e.g. "concern.acknowledge" */
    const char *verb;    /* the last segment of its route: "acknowledge" (opening acts: the
                          * subtype, chosen by the body's "type" when a procedure has several) */
    const char *summary; /* one line: what it does, for docs and OpenAPI */
    const struct platform_proc_field *fields;
    size_t nfields;
    unsigned flags;
    enum platform_proc_who who;
    unsigned roles;      /* PLATFORM_PROC_ROLE bits allowed */
    unsigned case_from;  /* case states it is allowed in (0 for an opening act) */
    unsigned party_from; /* ADDRESSED acts: the acting party's states it is allowed in */
    int case_to;         /* the case's state after it; -1: unchanged */
    int party_to;        /* ADDRESSED acts: the acting party's state after it; -1: unchanged */
    /* The message of a 409 when the party's state does not allow it ("already acknowledged");
     * NULL: a message naming the state. */
    const char *refused;
};

struct platform_proc {
    const char *name;          /* "concern": the acts' prefix, the kind in proc_cases */
    const char *path;          /* "concerns": the resource under /v1/ */
    const char *doc;           /* one line */
    const char *const *states; /* case states; state 0 is the one a case opens in */
    size_t nstates;
    const char *const *party_states; /* an addressed party's states; 0 is the first */
    size_t nparty_states;
    const struct platform_proc_act *acts;
    size_t nacts;
    /* What a table cannot say: time rules, deadlines, derived states. Called inside the
     * transaction after the generic checks, both when an act is made and when the projection
     * is rebuilt, so it must depend only on the step (payload, act time, case). A negative
     * return refuses the act (GSI_EDATA 422 naming the rule, GSI_ECONFLICT 409). NULL: none. */
    int (*rules)(struct platform_proc_step *st, struct gsi_err *err);
    /* Called once the payload passed its schema, before it is stored (outside the
     * transaction: the step has the act, the acting party and the payload only): fills
     * defaults into the payload so that the record holds every value the rules will use
     * (a deadline period chosen by default is stored, not looked up again on a rebuild), or
     * refuses (GSI_EDATA naming the field). NULL: none. */
    int (*prepare)(struct platform_proc_step *st, struct gsi_err *err);
    /* The procedure's own projection tables (those its `rules` write), `ntables` of them. The
     * rebuild clears them (but the rows `keep` names) before it replays the records, and
     * `gsi journal verify`'s projection check hashes them with proc_*. NULL: none. */
    const struct platform_proc_table *tables;
    size_t ntables;
    /* Called by the rebuild after the tables were cleared, before the replay, inside its
     * transaction: puts the kept rows back as they were before any record changed them.
     * NULL: nothing to do. */
    int (*reset)(struct store *s, struct gsi_err *err);
};

/* The procedures (one file each). */
extern const struct platform_proc platform_proc_concern;      /* concern.c */
extern const struct platform_proc platform_proc_notification; /* notify.c */
extern const struct platform_proc platform_proc_coop_offer;   /* coop.c */
extern const struct platform_proc platform_proc_coop_request; /* coop.c */
extern const struct platform_proc platform_proc_forum;        /* forum.c */

/* The concerns register's default deadlines for `domain` (a domain key): days to acknowledge
 * and to answer. GSI_ENOTFOUND for an unknown domain. */
int platform_concern_periods(const char *domain, int *ack_days, int *answer_days);

/* Every procedure this build knows (proc_registry.c), NULL-terminated. */
extern const struct platform_proc *const platform_procs[];

/* The procedure named `name` ("concern") or served at `path` ("concerns"); NULL if none. */
const struct platform_proc *platform_proc_find(const char *name_or_path);

/* The act `type` ("concern.lodge") of `proc`, or for an opening act its verb (the body's
 * "type", e.g. "missile_launch"); NULL if none. */
const struct platform_proc_act *platform_proc_act_find(const struct platform_proc *proc,
                                                       const char *type_or_verb);

/* --- acting --- */

struct platform_proc_receipt {
    int64_t case_id;                  /* the case acted on (the new one for an opening act) */
    struct platform_receipt act;      /* the act's record and journal entry */
    char act_type[PLATFORM_TYPE_MAX]; /* the act performed: "notification.missile_launch" */
};

/* Performs act `type` of `proc` on case `case_id` (0 for an opening act) as `actor` (NULL: the
 * local administrator), with the JSON object `payload` (`len` bytes). The payload may carry
 * "party": the party acted for (default: the actor's; the administrator must give it).
 * The payload is validated against the act's schema, stored in canonical form (keys sorted,
 * compact, groupings expanded, defaults filled, "case" added), and journalled; the case's
 * projection changes in the same transaction. Errors, and nothing written: GSI_EFORBIDDEN
 * (acting for another party, wrong role, not the owner, not addressed), GSI_ENOTFOUND (no such
 * case, or not visible), GSI_ECONFLICT (wrong state), GSI_EDATA (invalid payload or a broken
 * rule: the message names the field or the rule), GSI_ELIMIT (payload over the cap). */
int platform_proc_act(struct platform *p, struct platform_proc_receipt *out,
                      const struct platform_delegate *actor, const struct platform_proc *proc,
                      const char *type, int64_t case_id, const char *payload, size_t len,
                      struct gsi_err *err);

/* Opens a case of `proc` with the JSON object `payload`: the procedure's one opening act, or,
 * when it has several (notifications), the one whose verb the payload's "type" names ("type"
 * is then taken out of the payload). Otherwise as platform_proc_act; an unknown or missing
 * "type" is GSI_EDATA naming "/type" and the kinds there are. */
int platform_proc_open(struct platform *p, struct platform_proc_receipt *out,
                       const struct platform_delegate *actor, const struct platform_proc *proc,
                       const char *payload, size_t len, struct gsi_err *err);

/* --- reading --- */

struct platform_proc_party {
    char party[PLATFORM_ID_MAX];
    char state[PLATFORM_PROC_STATE_MAX];
    int64_t due_us;                         /* 0: nothing due */
    char due_what[PLATFORM_PROC_STATE_MAX]; /* what is due: "acknowledge", "answer" */
    bool overdue;                           /* due_us != 0 and due_us < the time asked */
    int64_t updated_us;
};

struct platform_proc_act_ref {
    int64_t record_id;
    char type[PLATFORM_TYPE_MAX];
    char party[PLATFORM_ID_MAX];
    int64_t time_us;
};

struct platform_proc_case {
    int64_t id;
    char kind[PLATFORM_PROC_KIND_MAX];
    char subtype[PLATFORM_PROC_SUB_MAX];
    char owner[PLATFORM_ID_MAX];
    char state[PLATFORM_PROC_STATE_MAX];
    bool confidential;
    char title[PLATFORM_PROC_TITLE_MAX];
    char domain[32];
    char *data;  /* malloc'd: the case's current payload, canonical JSON */
    int version; /* 1, then one more per amendment */
    int64_t opened_us, updated_us;
    int64_t last_record;                 /* the newest act's record id: a feed's cursor */
    struct platform_proc_party *parties; /* malloc'd, by party id */
    size_t nparties;
    struct platform_proc_act_ref *acts; /* malloc'd, oldest first (platform_proc_get only) */
    size_t nacts;
};

void platform_proc_case_release(struct platform_proc_case *c);
void platform_proc_case_list_free(struct platform_proc_case *list, size_t n);

/* Case `id` of `proc` as `viewer` (NULL: the administrator) may see it, with its parties (each
 * `overdue` judged at `at_us`; 0: the platform's clock now) and its acts. GSI_ENOTFOUND when
 * it does not exist, is of another procedure, or is not visible. */
int platform_proc_get(struct platform *p, struct platform_proc_case *out,
                      const struct platform_delegate *viewer, const struct platform_proc *proc,
                      int64_t id, int64_t at_us, struct gsi_err *err);

struct platform_proc_query {
    const char *party;   /* cases addressing this party or owned by it; NULL: any */
    const char *state;   /* case state; NULL: any */
    const char *subtype; /* NULL: any */
    const char *domain;  /* NULL: any */
    bool overdue;        /* only cases with an overdue party (that party, when `party`) */
    int64_t at_us;       /* the time overdue is judged at; 0: the platform's clock now */
    int64_t after;       /* only cases whose last act's record id is > after (a feed) */
    int64_t since_us;    /* only cases changed at or after this time; 0: any */
    size_t limit;        /* <= PLATFORM_PROC_LIST_MAX; 0: 100 */
};

/* Cases of `proc` that `viewer` may see and that match `q`, by last_record (oldest change
 * first), without their acts. Free with platform_proc_case_list_free. A filter that names
 * nothing is refused rather than answered with an empty list: a state `proc` lacks, a subtype
 * that is none of its opening verbs, an unknown domain (GSI_EUSAGE, the message lists the
 * allowed values) or a party that does not exist (GSI_ENOTFOUND). */
int platform_proc_list(struct platform *p, struct platform_proc_case **out, size_t *n,
                       const struct platform_delegate *viewer, const struct platform_proc *proc,
                       const struct platform_proc_query *q, struct gsi_err *err);

struct platform_proc_count {
    char party[PLATFORM_ID_MAX];
    int64_t count;
};

/* For each party with overdue duties in cases of `proc` (all of them, confidential included:
 * counts only), how many cases it is overdue in at `at_us` (0: now), by party id. *out is
 * malloc'd. For the early-warning brief. */
int platform_proc_overdue_counts(struct platform *p, struct platform_proc_count **out, size_t *n,
                                 const struct platform_proc *proc, int64_t at_us,
                                 struct gsi_err *err);

/* The platform's clock now (platform_opts.clock), microseconds since the epoch. */
int64_t platform_proc_now(const struct platform *p);

/* Parses an RFC 3339 UTC time ("2026-12-03T09:00:00Z", "...:00.5Z"; "Z" or "+00:00") into
 * microseconds since the epoch. GSI_EDATA otherwise. */
int platform_time_parse(int64_t *us, const char *s, size_t n);

/* Writes `us` as RFC 3339 UTC to the second ("2026-12-03T09:00:00Z"). */
void platform_proc_time_format(char out[PLATFORM_TIME_MAX], int64_t us);

/* Rebuilds the projection of every procedure from the records, in one transaction. The
 * result is the same as the tables the acts built (`gsi journal verify` checks it). */
int platform_proc_rebuild(struct platform *p, struct gsi_err *err);

/* Checks that the projection is what the records say: inside one write transaction, hashes
 * the procedures' tables, rebuilds them from the records, hashes them again, and rolls it all
 * back. *differs tells whether the two differ (`gsi journal verify` reports it as a problem). */
int platform_proc_check(struct platform *p, bool *differs, struct gsi_err *err);

/* Appends the OpenAPI (YAML) schemas of every act of `proc`'s payload to `out`, one
 * components/schemas entry per act, named by the act type with '.' and '_' removed and
 * camel-cased ("ConcernLodge"), indented for docs/api.yaml's `components: schemas:`. */
int platform_proc_openapi(struct gsi_buf *out, const struct platform_proc *proc,
                          struct gsi_err *err);

#endif
