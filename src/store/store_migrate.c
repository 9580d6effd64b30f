/* store_migrate.c — GSI's schema, as numbered migrations applied in order (see store.h).
 *
 * A migration is SQL in the common subset of SQLite and PostgreSQL; "{PK}" stands for the
 * dialect's auto-increment primary key. Hashes are lower-case hex text and times ISO 8601
 * text, so both databases hold byte-identical values and `gsi journal verify` reads them the
 * same way. A migration, once released, is never edited: a change is a new migration. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "store/store.h"

struct migration {
    int version;
    const char *name;
    const char *sql;
};

static const struct migration migrations[] = {
    { 1, "spine: parties, delegates, records, journal",
      "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
      "CREATE TABLE parties (id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL,"
      " region TEXT NOT NULL DEFAULT '', created TEXT NOT NULL, journal_index BIGINT);"
      "CREATE TABLE party_members (org TEXT NOT NULL REFERENCES parties(id),"
      " member TEXT NOT NULL REFERENCES parties(id), PRIMARY KEY (org, member));"
      "CREATE TABLE delegates (id {PK}, party TEXT NOT NULL REFERENCES parties(id),"
      " role TEXT NOT NULL, name TEXT NOT NULL, pubkey TEXT NOT NULL DEFAULT '',"
      " token_hash TEXT NOT NULL UNIQUE, created TEXT NOT NULL, revoked TEXT,"
      " journal_index BIGINT);"
      "CREATE INDEX delegates_party ON delegates(party, id);"
      "CREATE TABLE records (id {PK}, type TEXT NOT NULL,"
      " party TEXT NOT NULL REFERENCES parties(id), delegate BIGINT NOT NULL,"
      " created TEXT NOT NULL, confidential INTEGER NOT NULL, audience TEXT NOT NULL DEFAULT '',"
      " payload TEXT NOT NULL, journal_index BIGINT NOT NULL UNIQUE);"
      "CREATE INDEX records_type ON records(type, id);"
      "CREATE INDEX records_party ON records(party, id);"
      "CREATE TABLE journal (idx BIGINT PRIMARY KEY, type TEXT NOT NULL, party TEXT NOT NULL,"
      " delegate BIGINT NOT NULL, time_us BIGINT NOT NULL, time TEXT NOT NULL,"
      " subject TEXT NOT NULL, payload_hash TEXT NOT NULL, leaf_hash TEXT NOT NULL);"
      "CREATE TABLE journal_nodes (level INTEGER NOT NULL, idx BIGINT NOT NULL,"
      " hash TEXT NOT NULL, PRIMARY KEY (level, idx));"
      "CREATE TABLE journal_head (id INTEGER PRIMARY KEY CHECK (id = 1), size BIGINT NOT NULL);"
      "INSERT INTO journal_head (id, size) VALUES (1, 0);"
      "CREATE TABLE checkpoints (size BIGINT PRIMARY KEY, root TEXT NOT NULL,"
      " note TEXT NOT NULL, created TEXT NOT NULL);" },
    /* A confidential record's canonical bytes (gsi-record/v2) carry a secret random salt,
     * kept here and never published, so that its public payload hash cannot confirm a
     * guess of its content. '' for public records and those written before. */
    { 2, "records: the salt of a confidential record",
      "ALTER TABLE records ADD COLUMN salt TEXT NOT NULL DEFAULT '';" },
    /* Procedures (docs/internals/procedures.md): the projection of their journalled acts,
     * rebuilt from the records by `platform_proc_rebuild`. A case is one concern, one
     * notification...; its id is the record id of the act that opened it. Times are
     * microseconds since the epoch; due_us NULL means nothing is due. */
    { 3, "procedures: cases, their parties and acts",
      "CREATE TABLE proc_cases (id BIGINT PRIMARY KEY REFERENCES records(id),"
      " kind TEXT NOT NULL, subtype TEXT NOT NULL, owner TEXT NOT NULL REFERENCES parties(id),"
      " state TEXT NOT NULL, confidential INTEGER NOT NULL, title TEXT NOT NULL DEFAULT '',"
      " domain TEXT NOT NULL DEFAULT '', data TEXT NOT NULL, version INTEGER NOT NULL,"
      " opened_us BIGINT NOT NULL, updated_us BIGINT NOT NULL, last_record BIGINT NOT NULL);"
      "CREATE INDEX proc_cases_kind ON proc_cases(kind, id);"
      "CREATE INDEX proc_cases_updated ON proc_cases(kind, last_record);"
      "CREATE TABLE proc_parties (case_id BIGINT NOT NULL REFERENCES proc_cases(id),"
      " party TEXT NOT NULL REFERENCES parties(id), state TEXT NOT NULL, due_us BIGINT,"
      " due_what TEXT NOT NULL DEFAULT '', updated_us BIGINT NOT NULL,"
      " PRIMARY KEY (case_id, party));"
      "CREATE INDEX proc_parties_party ON proc_parties(party, due_us);"
      "CREATE TABLE proc_acts (record_id BIGINT PRIMARY KEY REFERENCES records(id),"
      " case_id BIGINT NOT NULL REFERENCES proc_cases(id), type TEXT NOT NULL,"
      " party TEXT NOT NULL, time_us BIGINT NOT NULL);"
      "CREATE INDEX proc_acts_case ON proc_acts(case_id, record_id);" },
    { 4, "warn: stored forecast runs (src/platform/forecast.h)",
      "CREATE TABLE forecast_runs (id TEXT PRIMARY KEY, seq BIGINT NOT NULL UNIQUE,"
      " through TEXT NOT NULL, model TEXT NOT NULL, seed BIGINT NOT NULL, draws BIGINT NOT NULL,"
      " horizon INTEGER NOT NULL, source TEXT NOT NULL, created TEXT NOT NULL);"
      "CREATE TABLE forecast_countries (run TEXT NOT NULL REFERENCES forecast_runs(id),"
      " iso3 TEXT NOT NULL, country_id INTEGER NOT NULL, name TEXT NOT NULL,"
      " rank INTEGER NOT NULL, median_12m TEXT NOT NULL, mean_12m TEXT NOT NULL,"
      " lo90_12m TEXT NOT NULL, hi90_12m TEXT NOT NULL, p_ge_25 TEXT NOT NULL,"
      " p_ge_1000 TEXT NOT NULL, p_ge_25_next TEXT NOT NULL, past_12m TEXT NOT NULL,"
      " change_12m TEXT NOT NULL, alerts TEXT NOT NULL, reasons TEXT NOT NULL,"
      " PRIMARY KEY (run, iso3));"
      "CREATE INDEX forecast_countries_rank ON forecast_countries(run, rank);"
      "CREATE TABLE forecast_months (run TEXT NOT NULL, iso3 TEXT NOT NULL, month TEXT NOT NULL,"
      " mean TEXT NOT NULL, q05 TEXT NOT NULL, q25 TEXT NOT NULL, q50 TEXT NOT NULL,"
      " q75 TEXT NOT NULL, q95 TEXT NOT NULL, p_ge_25 TEXT NOT NULL,"
      " PRIMARY KEY (run, iso3, month),"
      " FOREIGN KEY (run, iso3) REFERENCES forecast_countries(run, iso3));"
      "CREATE TABLE forecast_actuals (run TEXT NOT NULL, iso3 TEXT NOT NULL, month TEXT NOT NULL,"
      " deaths TEXT NOT NULL, PRIMARY KEY (run, iso3, month),"
      " FOREIGN KEY (run, iso3) REFERENCES forecast_countries(run, iso3));" },
    { 5, "witness: logs this server witnesses, and its own cosigned checkpoints",
      "CREATE TABLE witness_logs (origin TEXT PRIMARY KEY, size BIGINT NOT NULL,"
      " root TEXT NOT NULL, note TEXT NOT NULL, updated TEXT NOT NULL);"
      "CREATE TABLE journal_cosigned (size BIGINT PRIMARY KEY, note TEXT NOT NULL);" },
    /* Consultations (docs/internals/consultations.md): statements, votes and public
     * participants, the projection of their journalled acts. A statement's id is its record's
     * id (an imported one's: 3000000000 plus its Polis comment-id). Votes are numbered as they
     * are inserted, and writes are serialised, so ids grow in commit order and a reader can
     * follow new votes by id; `record` is the act that cast it.
     * `voter` is the consensus engine's participant id: a delegate's id, or 1000000000 plus a
     * public participant's id; `party` is '' for a public participant. */
    { 6, "consultations and agreements: statements, votes, public participants, mediators,"
      " proposals, positions, agreements and their signatures",
      "CREATE TABLE consult_public (id BIGINT PRIMARY KEY, consultation BIGINT NOT NULL,"
      " token_hash TEXT NOT NULL UNIQUE, name TEXT NOT NULL, created_us BIGINT NOT NULL);"
      "CREATE TABLE consult_statements (id BIGINT PRIMARY KEY, consultation BIGINT NOT NULL,"
      " voter BIGINT NOT NULL, party TEXT NOT NULL, text TEXT NOT NULL,"
      " moderated INTEGER NOT NULL DEFAULT 0, reason TEXT NOT NULL DEFAULT '');"
      "CREATE INDEX consult_statements_c ON consult_statements(consultation, id);"
      "CREATE TABLE consult_votes (id {PK}, consultation BIGINT NOT NULL,"
      " record BIGINT NOT NULL, voter BIGINT NOT NULL, party TEXT NOT NULL,"
      " statement BIGINT NOT NULL, vote INTEGER NOT NULL);"
      "CREATE INDEX consult_votes_c ON consult_votes(consultation, id);"
      "CREATE TABLE consult_invites (consultation BIGINT NOT NULL, mediator TEXT NOT NULL,"
      " party TEXT NOT NULL, PRIMARY KEY (consultation, mediator, party));"
      "CREATE TABLE consult_mediators (consultation BIGINT NOT NULL, party TEXT NOT NULL,"
      " joined_us BIGINT NOT NULL, PRIMARY KEY (consultation, party));"
      "CREATE TABLE consult_proposals (id BIGINT PRIMARY KEY, consultation BIGINT NOT NULL,"
      " party TEXT NOT NULL, text TEXT NOT NULL, deadline_us BIGINT NOT NULL,"
      " outcome TEXT NOT NULL, decided_record BIGINT, created_us BIGINT NOT NULL);"
      "CREATE TABLE consult_positions (proposal BIGINT NOT NULL, party TEXT NOT NULL,"
      " position TEXT NOT NULL, explanation TEXT NOT NULL, record BIGINT NOT NULL,"
      " PRIMARY KEY (proposal, party));"
      "CREATE TABLE agreement_docs (id BIGINT PRIMARY KEY, consultation BIGINT NOT NULL,"
      " proposal BIGINT NOT NULL, body TEXT NOT NULL, body_sha256 TEXT NOT NULL,"
      " signatories INTEGER NOT NULL);"
      "CREATE TABLE agreement_sigs (agreement BIGINT NOT NULL, party TEXT NOT NULL,"
      " delegate BIGINT NOT NULL, record BIGINT NOT NULL, signature TEXT NOT NULL,"
      " PRIMARY KEY (agreement, party));" },
    { 7, "events: daily event counts per country from event files (src/platform/events_store.h)",
      "CREATE TABLE event_files (source TEXT NOT NULL, name TEXT NOT NULL,"
      " events BIGINT NOT NULL, loaded TEXT NOT NULL, PRIMARY KEY (source, name));"
      "CREATE TABLE event_days (source TEXT NOT NULL, iso3 TEXT NOT NULL, day TEXT NOT NULL,"
      " events BIGINT NOT NULL, q1 BIGINT NOT NULL, q2 BIGINT NOT NULL, q3 BIGINT NOT NULL,"
      " q4 BIGINT NOT NULL, goldstein_tenths BIGINT NOT NULL, PRIMARY KEY (source, iso3, day));" },
};

#define NMIGRATIONS (sizeof migrations / sizeof migrations[0])

int store_schema_latest(void)
{
    return migrations[NMIGRATIONS - 1].version;
}

static const char *bootstrap =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL, applied TEXT NOT NULL)";

int store_schema_version(struct store *s, int *out, struct gsi_err *err)
{
    int rc = store_exec(s, bootstrap, NULL, 0, err);
    if (rc < 0) {
        return rc;
    }
    int64_t v = 0;
    rc = store_query_int(s, &v, 0, "SELECT MAX(version) FROM schema_migrations", NULL, 0, err);
    if (rc < 0) {
        return rc;
    }
    *out = (int)v;
    return 0;
}

/* Replaces each "{PK}" in `sql` with the backend's primary-key type. Caller frees; NULL when
 * out of memory (the migrations are this program's own text, far below the cap). */
static char *dialect(const char *sql, const char *pk)
{
    struct gsi_buf b;
    gsi_buf_init(&b, (size_t)1 << 20);
    int rc = 0;
    const char *c = sql;
    for (const char *m = strstr(c, "{PK}"); rc == 0 && m; m = strstr(c, "{PK}")) {
        rc = gsi_buf_append(&b, c, (size_t)(m - c));
        rc = rc ? rc : gsi_buf_puts(&b, pk);
        c = m + 4;
    }
    rc = rc ? rc : gsi_buf_puts(&b, c);
    if (rc < 0) {
        gsi_buf_release(&b);
        return NULL;
    }
    return gsi_buf_take(&b, NULL);
}

int store_migrate(struct store *s, struct gsi_err *err)
{
    int rc = store_exec(s, bootstrap, NULL, 0, err);
    if (rc < 0) {
        return rc;
    }
    const char *pk =
        store_backend_of(s) == STORE_POSTGRES ? store_pg_ops.serial_pk : store_sqlite_ops.serial_pk;
    for (size_t i = 0; i < NMIGRATIONS; i++) {
        rc = store_begin_write(s, err);
        if (rc < 0) {
            return rc;
        }
        if (store_backend_of(s) == STORE_POSTGRES) {
            /* Two processes migrating at once take turns; the second sees the version the
             * first wrote and skips. (SQLite's BEGIN IMMEDIATE already serialises.) */
            rc = store_exec(s, "SELECT pg_advisory_xact_lock(7405611)", NULL, 0, err);
        }
        int64_t have = 0;
        if (rc == 0) {
            rc = store_query_int(s, &have, 0, "SELECT MAX(version) FROM schema_migrations", NULL, 0,
                                 err);
        }
        if (rc == 0 && have > store_schema_latest()) {
            rc = gsi_err_set(err, GSI_EDB,
                             "the database has schema version %lld, newer than this program's %d",
                             (long long)have, store_schema_latest());
        }
        if (rc == 0 && have < migrations[i].version) {
            char *sql = dialect(migrations[i].sql, pk);
            if (sql == NULL) {
                rc = gsi_err_set(err, GSI_ENOMEM, "out of memory");
            } else {
                rc = store_exec(s, sql, NULL, 0, err);
                free(sql);
            }
            if (rc == 0) {
                struct store_val v[] = { STORE_INT(migrations[i].version),
                                         STORE_TEXT(migrations[i].name) };
                rc = store_exec(s,
                                "INSERT INTO schema_migrations (version, name, applied)"
                                " VALUES (?, ?, CURRENT_TIMESTAMP)",
                                v, 2, err);
            }
        }
        if (rc < 0) {
            store_rollback(s);
            return rc;
        }
        rc = store_commit(s, err);
        if (rc < 0) {
            return rc;
        }
    }
    return 0;
}
