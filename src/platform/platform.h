/*
 * platform.h — the platform's spine: one database (SQLite or PostgreSQL), the parties, their
 * delegates and bearer tokens, the rule of non-interference, and the signed journal that every
 * change is appended to in the same transaction as the change itself.
 *
 * Lifecycle. `gsi init` calls platform_init() once per database: it runs the migrations, makes
 * the log's Ed25519 signing key, seeds the parties and signs the first checkpoint. Every other
 * user opens the initialised database with platform_open() and closes it with platform_close().
 *
 *     struct platform_opts o;
 *     platform_opts_init(&o);
 *     o.db = "postgresql://gsi@127.0.0.1:5432/gsi";       // or NULL for ./gsi.db
 *     struct platform *p;
 *     if (platform_open(&p, &o, &err) < 0) ...            // refuses a db behind its checkpoint
 *     struct platform_delegate d;
 *     struct platform_party party;
 *     if (platform_delegate_authenticate(p, &d, &party, token, strlen(token), &err) < 0) ...
 *     struct platform_act act = {.type = "concern.lodge", .payload = json, .payload_len = n};
 *     struct platform_receipt r;
 *     if (platform_act_record(p, &r, &d, &act, &err) < 0) ...   // committed when it returns 0
 *     platform_close(p);
 *
 * Threads. A `struct platform` is shared by every thread of a process: all functions are
 * thread-safe. Reads run on a small pool of connections; writes are group-committed: writers
 * that arrive while a transaction is being committed queue up, and the next transaction
 * carries all of them (one fsync for many writes). A write function returns 0 only after its
 * transaction committed, so an acknowledged write survives a crash (kill -9, power loss with
 * honest disks).
 *
 * Several processes may open one PostgreSQL database at once (scale-out): appends to the
 * journal are serialised by a row lock on the log head, so the log stays one consistent tree.
 *
 * Errors. Every function returns 0 or a negative GSI_E* code and fills `err`:
 *   GSI_EAUTH      unknown or revoked token
 *   GSI_EFORBIDDEN a delegate acting for a party not its own, or an observer writing
 *   GSI_ENOTFOUND  no such record, or a confidential record the caller may not see (the same
 *                  answer, so an outsider cannot learn that it exists)
 *   GSI_EUSAGE     a malformed argument (bad party id, role, type name, range)
 *   GSI_ELIMIT     an argument past a cap below
 *   GSI_ECONFLICT  a duplicate (party id, an already revoked delegate)
 *   GSI_EDB        the database failed; GSI_EVERIFY the journal or its checkpoint do not agree
 *
 * Strings in the structs below are NUL-terminated copies owned by the struct (fixed arrays),
 * except where a comment says the caller frees them.
 */
#ifndef GSI_PLATFORM_PLATFORM_H
#define GSI_PLATFORM_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

struct platform;
struct platform_delegate;
struct store; /* src/store/store.h: one database connection */

/* Caps on what callers (and so HTTP clients) may pass. */
#define PLATFORM_ID_MAX       16         /* party id: "CHN", "UN", "UNSC", "ASEAN", "X-ABC" + NUL */
#define PLATFORM_NAME_MAX     160        /* party and delegate names, bytes with NUL */
#define PLATFORM_TYPE_MAX     64         /* act type "concern.lodge", bytes with NUL */
#define PLATFORM_TIME_MAX     32         /* "2026-11-28T01:45:59.123456Z" + NUL */
#define PLATFORM_HEX_MAX      65         /* a SHA-256 in lower-case hex + NUL */
#define PLATFORM_PUBKEY_MAX   48         /* base64 of a 32-byte Ed25519 public key + NUL */
#define PLATFORM_TOKEN_MAX    64         /* a bearer token as printed once, + NUL */
#define PLATFORM_PAYLOAD_MAX  (1u << 20) /* bytes of an act's payload */
#define PLATFORM_AUDIENCE_MAX 4096       /* bytes of an audience list */
#define PLATFORM_ENTRIES_MAX  1000       /* journal entries returned by one call */
#define PLATFORM_LIST_MAX     10000      /* records returned by one list call */
#define PLATFORM_HASH_SIZE    32         /* SHA-256 */
#define PLATFORM_PROOF_MAX    130        /* hashes in one proof (journal/merkle.h) */

/* --- opening --- */

struct platform_opts {
    /* "./gsi.db" (NULL), a file path, "sqlite:PATH", "file:PATH" or "postgresql://..." /
     * "postgres://...". */
    const char *db;
    /* The log's signing key file. NULL: "<db>.key" beside a SQLite file, "./gsi-log.key" for
     * PostgreSQL. Made by platform_init (mode 0600); read by writers to sign checkpoints. */
    const char *key_path;
    /* Where the last signed checkpoint is kept outside the database. NULL: "<db>.checkpoint"
     * beside a SQLite file, "./gsi-log.checkpoint" for PostgreSQL. */
    const char *checkpoint_path;
    /* The log's origin line in checkpoints (platform_init only). NULL: "gsi.local/log". */
    const char *origin;
    /* Most writes one group-commit transaction carries (0: 1024). */
    unsigned batch_max;
    /* Sign a checkpoint at most once per this many milliseconds while writes flow (0: at
     * every commit that appends; UINT_MAX: only when asked, platform_journal_checkpoint_sign).
     * Between two, the journal's head runs ahead of the last signed checkpoint. */
    unsigned checkpoint_every_ms;
    /* Open even though the checkpoint file is missing while the journal is not empty (only
     * `gsi journal confirm`, the operator's answer to that refusal; see platform_open). */
    bool checkpoint_missing_ok;
    /* The clock: microseconds since 1970-01-01T00:00:00Z. NULL: the system's real-time clock.
     * Acts are stamped with it and deadlines are judged against it, so tests inject time
     * here instead of sleeping. */
    int64_t (*clock)(void *ctx);
    void *clock_ctx;
};

/* Fills `o` with the defaults (all NULL/0). */
void platform_opts_init(struct platform_opts *o);

/* Creates or upgrades the database: runs the migrations, and on a new database makes the log
 * key, seeds the parties (193 UN member states, 2 observer states, the UN and its main organs,
 * the regional organisations with their members) and signs the first checkpoint. Running it
 * again on an initialised database only runs pending migrations and adds missing parties.
 * *created (may be NULL) tells whether the database was new. */
int platform_init(const struct platform_opts *o, bool *created, struct gsi_err *err);

/* Opens an initialised database; never creates one. GSI_ENOTFOUND when the SQLite file does
 * not exist or was never initialised (the message says "run gsi init --db PATH"),
 * GSI_EVERIFY when its journal is behind (or disagrees with) the checkpoint kept outside it. */
int platform_open(struct platform **out, const struct platform_opts *o, struct gsi_err *err);
/* platform_open refuses (GSI_EVERIFY) a database whose journal is behind the checkpoint file,
 * or does not extend it, and one whose journal holds entries while the checkpoint file is
 * missing: a database restored from an old copy with the file deleted looks exactly so, and
 * rewriting the file from it would hide the rollback. The operator confirms the database
 * with `gsi journal confirm` (o->checkpoint_missing_ok), which writes the file anew. */

/* Waits for writes in flight, writes the checkpoint file, closes every connection and frees
 * `p`. NULL is a no-op. */
void platform_close(struct platform *p);

/* "sqlite" or "postgresql". */
const char *platform_backend(const struct platform *p);

/* --- parties --- */

/* A party: a state, an observer state, the UN or one of its organs, an organisation, or a
 * non-state participant (think tank, social organisation). */
struct platform_party {
    char id[PLATFORM_ID_MAX]; /* ISO 3166-1 alpha-3 for states; "UN", "UNSC", "AU", ... */
    char kind[16];            /* "state", "observer", "un", "organisation", "nonstate" */
    char name[PLATFORM_NAME_MAX];
    char region[48]; /* UN region of a state, "" otherwise */
};

/* The party `id` (exact, upper case). GSI_ENOTFOUND if there is none. */
int platform_party_get(struct platform *p, struct platform_party *out, const char *id,
                       struct gsi_err *err);

/* All parties of `kind` (NULL: all), in id order. *out is a malloc'd array the caller frees. */
int platform_party_list(struct platform *p, struct platform_party **out, size_t *n,
                        const char *kind, struct gsi_err *err);

/* The member ids of organisation `org`, in id order: *out is a malloc'd array of
 * PLATFORM_ID_MAX strings the caller frees. GSI_ENOTFOUND if `org` is not a party. */
int platform_party_members(struct platform *p, char (**out)[PLATFORM_ID_MAX], size_t *n,
                           const char *org, struct gsi_err *err);

/* Adds a non-state participant `id` ("X-" followed by 1..12 of A-Z0-9-) named `name`;
 * journalled as "party.add". `actor` NULL is the local administrator (the CLI); otherwise only
 * a secretariat delegate may add one (GSI_EFORBIDDEN). GSI_ECONFLICT if the id is taken. */
int platform_party_add(struct platform *p, struct platform_party *out,
                       const struct platform_delegate *actor, const char *id, const char *name,
                       struct gsi_err *err);

/* --- delegates and tokens --- */

enum platform_role {
    PLATFORM_ROLE_DELEGATE = 0, /* speaks and acts for its party */
    PLATFORM_ROLE_MEDIATOR,     /* acts for its party, may also convene (next issue's rules) */
    PLATFORM_ROLE_SECRETARIAT,  /* acts for its party (an organisation's secretariat) */
    PLATFORM_ROLE_OBSERVER      /* reads only */
};

/* "delegate", "mediator", "secretariat", "observer". */
const char *platform_role_name(enum platform_role r);
/* Parses a role name; GSI_EUSAGE naming the four roles otherwise. */
int platform_role_parse(enum platform_role *out, const char *s, struct gsi_err *err);

struct platform_delegate {
    int64_t id;                  /* 1, 2, ... */
    char party[PLATFORM_ID_MAX]; /* the one party it acts for */
    enum platform_role role;
    char name[PLATFORM_NAME_MAX];
    char pubkey[PLATFORM_PUBKEY_MAX]; /* base64 Ed25519 public key, "" if none was given */
    char created[PLATFORM_TIME_MAX];
    bool revoked;
    char revoked_at[PLATFORM_TIME_MAX]; /* "" unless revoked */
};

/* Adds a delegate of `party` and issues its bearer token into `token` (NUL-terminated,
 * "gsi_" + 43 base64url characters). The token is shown this once: only its SHA-256 is
 * stored. `pubkey` is the delegate's base64 Ed25519 public key (`gsi keygen`), or NULL.
 * Journalled as "delegate.add". GSI_ENOTFOUND for an unknown party. */
int platform_delegate_add(struct platform *p, struct platform_delegate *out,
                          char token[PLATFORM_TOKEN_MAX], const char *party,
                          enum platform_role role, const char *name, const char *pubkey,
                          struct gsi_err *err);

/* Revokes delegate `id`: its token stops working at once. Journalled as "delegate.revoke".
 * GSI_ENOTFOUND for no such delegate, GSI_ECONFLICT if already revoked. */
int platform_delegate_revoke(struct platform *p, int64_t id, struct gsi_err *err);

int platform_delegate_get(struct platform *p, struct platform_delegate *out, int64_t id,
                          struct gsi_err *err);

/* Delegates of `party` (NULL: all), by id. *out is malloc'd; the caller frees it. */
int platform_delegate_list(struct platform *p, struct platform_delegate **out, size_t *n,
                           const char *party, struct gsi_err *err);

/* Looks up a bearer token (the bytes after "Bearer "). Fills the delegate and, when
 * `party_out` is not NULL, its party. GSI_EAUTH for an unknown, malformed or revoked token
 * (one answer for all three). Takes constant time in the token's content. */
int platform_delegate_authenticate(struct platform *p, struct platform_delegate *out,
                                   struct platform_party *party_out, const char *token,
                                   size_t token_len, struct gsi_err *err);

/* The non-interference rule: 0 when `actor` may act for `party` (its own party, and a role
 * that writes); GSI_EFORBIDDEN with a message otherwise. `actor` NULL (the local
 * administrator) may act for any party. */
int platform_may_act_for(const struct platform_delegate *actor, const char *party,
                         struct gsi_err *err);

/* --- acts: the one write path --- */

/* Extra writes a feature makes in the same transaction as its act (its own tables): called
 * after the record row is written and before its journal entry, inside a savepoint, with the
 * act's time (the record's, in microseconds since the epoch). Returning an error undoes this
 * act only (nothing of it is written); other acts in the same group commit are unaffected. */
typedef int (*platform_apply_fn)(void *ctx, struct store *s, int64_t record_id,
                                 uint64_t journal_index, int64_t time_us, struct gsi_err *err);
/* The same, given the group-commit batch that carries the act (its store and what the batch
 * keeps between its acts: internal.h), for the procedures' framework (proc.c). */
struct pw_batch;
typedef int (*platform_batch_apply_fn)(void *ctx, struct pw_batch *b, int64_t record_id,
                                       uint64_t journal_index, int64_t time_us,
                                       struct gsi_err *err);

struct platform_act {
    const char *type;        /* [a-z0-9._-]{1,63}, e.g. "concern.lodge" */
    const char *party;       /* the party acted for; NULL: the actor's own party */
    const char *payload;     /* JSON text (stored and hashed as given); NULL with len 0 = "{}" */
    size_t payload_len;      /* <= PLATFORM_PAYLOAD_MAX */
    bool confidential;       /* visible only to `party` and the audience */
    const char *audience;    /* comma-separated party ids that may see it ("CHN,IND"), or NULL */
    platform_apply_fn apply; /* optional */
    void *apply_ctx;
    platform_batch_apply_fn apply_batch; /* optional, instead of apply (same apply_ctx) */
};

struct platform_receipt {
    int64_t record_id;            /* the record's id */
    uint64_t index;               /* its journal entry's index (leaf number) */
    char time[PLATFORM_TIME_MAX]; /* when it was recorded (UTC, microseconds) */
    char leaf_hash[PLATFORM_HEX_MAX];
    uint64_t tree_size; /* the journal size after the commit that carried it */
};

/* Records an act by `actor` (NULL: the local administrator) and appends its journal entry in
 * the same transaction; returns 0 after the commit. Applies platform_may_act_for(). */
int platform_act_record(struct platform *p, struct platform_receipt *out,
                        const struct platform_delegate *actor, const struct platform_act *act,
                        struct gsi_err *err);

struct platform_record {
    int64_t id;
    char type[PLATFORM_TYPE_MAX];
    char party[PLATFORM_ID_MAX];
    int64_t delegate; /* 0: the local administrator */
    char time[PLATFORM_TIME_MAX];
    bool confidential;
    uint64_t index; /* journal entry */
    char *audience; /* malloc'd, "" when none */
    char *payload;  /* malloc'd, NUL-terminated */
    size_t payload_len;
    /* A confidential record's secret salt (64 hex digits; "" for a public one): in its
     * canonical bytes (gsi-record/v2), never in the public journal, so that only those who
     * may see the record can recompute its payload hash and prove its inclusion. */
    char salt[PLATFORM_HEX_MAX];
};

/* Record `id` as `viewer` (NULL: the local administrator, who sees everything) may see it.
 * GSI_ENOTFOUND both when it does not exist and when it is confidential and the viewer's party
 * is neither its party nor in its audience. Release with platform_record_release(). */
int platform_record_get(struct platform *p, struct platform_record *out,
                        const struct platform_delegate *viewer, int64_t id, struct gsi_err *err);

/* Records with id > after_id, of `type` (NULL: any) and `party` (NULL: any), that `viewer`
 * may see, oldest first, at most `limit` (<= PLATFORM_LIST_MAX), and no more than fit in
 * `max_bytes` of summed payload length (0: no byte cap; the first record always comes back,
 * whatever its size, so a reader can page through anything). Nothing past the byte cap is
 * read from the database. *more (may be NULL) is set when the page stopped at either cap, so
 * that more records may follow the last one returned. A viewer of no party (party "") sees
 * public records only. A `type` no record can have (not [a-z0-9._-], 1 to 63 bytes) is
 * GSI_EUSAGE. Free with platform_record_list_free(). */
int platform_record_list(struct platform *p, struct platform_record **out, size_t *n,
                         const struct platform_delegate *viewer, const char *type,
                         const char *party, int64_t after_id, size_t limit, size_t max_bytes,
                         bool *more, struct gsi_err *err);

void platform_record_release(struct platform_record *r);
void platform_record_list_free(struct platform_record *list, size_t n);

/* --- the journal --- */

/* One journal entry. Its canonical bytes (journal/entry.h: "GSIJ", version, type, party,
 * delegate, time, subject, payload hash) are the RFC 6962 leaf data. */
struct platform_entry {
    uint64_t index;
    char type[PLATFORM_TYPE_MAX];
    char party[PLATFORM_ID_MAX];  /* "" when the system acted (gsi init) */
    int64_t delegate;             /* 0: the local administrator or the system */
    int64_t time_us;              /* microseconds since 1970-01-01T00:00:00Z */
    char time[PLATFORM_TIME_MAX]; /* the same instant, ISO 8601 UTC */
    char subject[48];             /* what it is about: "record/12", "delegate/3", "party/CHN" */
    char payload_hash[PLATFORM_HEX_MAX]; /* SHA-256 of the subject's canonical bytes */
    char leaf_hash[PLATFORM_HEX_MAX];    /* SHA-256(0x00 || canonical entry bytes) */
    /* The entry records a confidential act. platform_journal_entries, the public listing,
     * then gives only index and leaf hash: type, party, delegate, time, subject and payload
     * hash are "" / 0 (the record's parties read them from the record itself). */
    bool confidential;
    /* Its leaf data is the blinded form (journal_entry_blind) salted with `salt` (the
     * record's, 64 hex digits): every confidential act since blinding. Never set, and the
     * salt never filled, by platform_journal_entries. */
    bool blind;
    char salt[PLATFORM_HEX_MAX];
};

/* Appends the entry's leaf data to `out`: its canonical bytes (journal_entry_encode), or
 * when e->blind the 37 blinded bytes over them (journal_entry_blind with e->salt). */
int platform_entry_canonical(struct gsi_buf *out, const struct platform_entry *e,
                             struct gsi_err *err);

/* Entries and tree size now committed. */
int platform_journal_size(struct platform *p, uint64_t *size, struct gsi_err *err);

/* Whether the store takes writes: false when the last write transaction failed with a
 * database or I/O error (a read-only file, a full disk, a lost server) and none has
 * committed since; then `why` (cap bytes) gets the store's message, which is for the
 * operator (it may hold SQL), never for a client. */
bool platform_store_writable(struct platform *p, char *why, size_t cap);

/* The latest signed checkpoint, a C2SP signed note (origin, size, base64 root, blank line,
 * signature lines), appended to `note`. */
int platform_journal_checkpoint(struct platform *p, struct gsi_buf *note, struct gsi_err *err);

/* Signs a checkpoint for the current tree now (if the latest one is older), stores it, writes
 * the checkpoint file, and appends the note to `note` (may be NULL). */
int platform_journal_checkpoint_sign(struct platform *p, struct gsi_buf *note, struct gsi_err *err);

/* The log's verifier key in C2SP note format ("<origin>+<hash>+<base64>"), appended to `out`. */
int platform_journal_vkey(struct platform *p, struct gsi_buf *out, struct gsi_err *err);

/* Entries [start, end): end - start <= PLATFORM_ENTRIES_MAX (GSI_ELIMIT) and end <= size
 * (GSI_EUSAGE). *out is malloc'd; the caller frees it. */
int platform_journal_entries(struct platform *p, struct platform_entry **out, size_t *n,
                             uint64_t start, uint64_t end, struct gsi_err *err);

/* Inclusion proof of entry `index` in the tree of `size` entries (size <= current size).
 * `proof` holds PLATFORM_PROOF_MAX hashes; *len gets how many were written. */
int platform_journal_proof_inclusion(struct platform *p, uint8_t (*proof)[PLATFORM_HASH_SIZE],
                                     size_t *len, uint64_t index, uint64_t size,
                                     struct gsi_err *err);

/* Consistency proof between the trees of `from` and `to` entries (0 < from <= to <= size). */
int platform_journal_proof_consistency(struct platform *p, uint8_t (*proof)[PLATFORM_HASH_SIZE],
                                       size_t *len, uint64_t from, uint64_t to,
                                       struct gsi_err *err);

/* Root hash of the tree of `size` entries. */
int platform_journal_root(struct platform *p, uint8_t root[PLATFORM_HASH_SIZE], uint64_t size,
                          struct gsi_err *err);

/* What `gsi journal verify` found. */
struct platform_verify_report {
    uint64_t entries;     /* entries read and re-hashed */
    uint64_t checkpoints; /* signed checkpoints checked */
    uint64_t records;     /* records, delegates and parties matched against their entries */
    uint64_t problems;    /* each one was passed to the callback */
};

/* Called once per problem with a message naming the record or entry ("record 12 (entry 40):
 * content does not match its journal entry"). */
typedef void (*platform_problem_fn)(void *ctx, const char *msg);

/* Recomputes every leaf hash and the tree from the entries, checks every stored checkpoint's
 * signature and root, the checkpoint file outside the database, and that every record,
 * delegate and party matches its entry (a changed byte or a missing row is a problem, passed
 * to fn(ctx, msg)). Returns 0 when there were none, GSI_EVERIFY (with the count in `err`)
 * otherwise. */
int platform_journal_verify(struct platform *p, struct platform_verify_report *rep,
                            platform_problem_fn fn, void *ctx, struct gsi_err *err);

/* --- the journal as tlog-tiles (platform_tiles.c) --- */

/* Appends tile (level, index) of width `width` (1..256; 256 the full tile) to `out`: the
 * 32-byte hashes of the stored nodes at Merkle level 8 * level, or for level -1 the entry
 * bundle (journal/tile.h). A partial width is the first `width` hashes, served as long as the
 * tree has them. *full tells whether it was the full tile (immutable). GSI_ENOTFOUND when the
 * journal does not have that many hashes there yet. */
int platform_journal_tile(struct platform *p, struct gsi_buf *out, int level, uint64_t index,
                          unsigned width, bool *full, struct gsi_err *err);

/* --- witnessing (platform_witness.c; C2SP tlog-witness and tlog-cosignature) --- */

/* Makes this server a witness: `skey` is its cosigning key (a note signer key string, `gsi
 * witness keygen`, read from `skey_name`), `logs` the logs it follows ("log VKEY" lines,
 * journal/witness.h; at least one). Errors name the file they concern. */
int platform_witness_configure(struct platform *p, const char *skey, size_t skey_len,
                               const char *skey_name, const char *logs, size_t logs_len,
                               const char *logs_name, struct gsi_err *err);

/* The witness's cosigner verifier key (algorithm 0x04). GSI_ENOTFOUND when not a witness. */
int platform_witness_vkey(struct platform *p, struct gsi_buf *out, struct gsi_err *err);

/* Handles one add-checkpoint request body. 0: `out` gets the cosignature line, signed at
 * `now_s` (seconds since the epoch), after the new size was committed. Errors, in the spec's
 * order: GSI_EUSAGE malformed or old size past the checkpoint (400), GSI_ENOTFOUND unknown
 * origin or not a witness (404), GSI_EFORBIDDEN no valid signature by the log (403),
 * GSI_ECONFLICT old size is not the size last cosigned, or the same size with another root
 * (409; `out` gets "<size held>\n"), GSI_EDATA the consistency proof fails (422). */
int platform_witness_add_checkpoint(struct platform *p, struct gsi_buf *out, const char *body,
                                    size_t len, int64_t now_s, struct gsi_err *err);

/* Stores the log's checkpoint of `size` with the cosignatures gathered for it (the signed
 * note with the witnesses' lines appended), replacing an earlier one of that size. */
int platform_journal_cosigned_put(struct platform *p, uint64_t size, const char *note, size_t len,
                                  struct gsi_err *err);

/* The latest checkpoint stored with platform_journal_cosigned_put. GSI_ENOTFOUND if none. */
int platform_journal_cosigned(struct platform *p, struct gsi_buf *note, struct gsi_err *err);

#endif
