/* consult.c — consultations (principle 5: settle differences by dialogue and consultation,
 * with the consent of the parties, on the UN Charter's means) and their decisions.
 *
 * A party proposes a consultation to the parties concerned (the case's addressed parties; the
 * proposer is one of them by proposing): the means (Art. 33), the domain, the question, links
 * to a hotspot ("ETH-2022-11") or a concern, confidential or not, open to the public or not,
 * and the decision rule, all fixed at the start. It becomes active when every party concerned
 * has consented; one refusal ends it. A mediator (a party, e.g. "UN") joins only once every
 * party concerned has invited it. Only an active consultation accepts statements, votes,
 * moderation, proposals and positions (409 otherwise). States: proposed → active → closed, or
 * proposed → refused; each party concerned is invited → consented | refused.
 *
 * Who: statements, votes and proposals come from the parties concerned and the mediator (and,
 * in an open consultation, from registered public participants, journalled as party
 * X-PUBLIC); moderation from the convenor (the proposer) or the mediator; positions on a
 * proposal from the parties concerned only. The rows of consult_statements, consult_votes,
 * consult_invites, consult_proposals and consult_positions are written here, in the act's
 * transaction, so a refused act writes nothing. docs/internals/consultations.md. */
#include "platform/consult.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/consult_import.h"
#include "platform/consult_live.h"
#include "platform/decide.h"
#include "platform/internal.h"
#include "ref/ref.h"
#include "store/store.h"

enum { C_PROPOSED, C_ACTIVE, C_REFUSED, C_CLOSED };
enum { P_INVITED, P_CONSENTED, P_REFUSED };
static const char *const case_states[] = { "proposed", "active", "refused", "closed" };
static const char *const party_states[] = { "invited", "consented", "refused" };
static const char *const rules[] = { "consensus", "consensus-stand-aside", "consensus-minus",
                                     NULL };
static const char *const votes[] = { "agree", "disagree", "pass", NULL };
static const char *const positions[] = { "support", "stand-aside", "object", NULL };

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct platform_proc_field propose_fields[] = {
    { "parties", PLATFORM_PROC_PARTIES,
      PLATFORM_PROC_REQUIRED | PLATFORM_PROC_ADDRESSES | PLATFORM_PROC_AS_GIVEN, 0, 32, NULL,
      "the other parties concerned (the proposer is one by proposing)" },
    { "means", PLATFORM_PROC_MEANS, PLATFORM_PROC_REQUIRED, 0, 0, NULL,
      "the peaceful means (UN Charter Art. 33)" },
    { "domain", PLATFORM_PROC_DOMAIN, PLATFORM_PROC_REQUIRED | PLATFORM_PROC_DOMAINKEY, 0, 0, NULL,
      "one of the 20 priority domains" },
    { "question", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED | PLATFORM_PROC_TITLE, 0, 500, NULL,
      "the question put to the consultation" },
    { "hotspot", PLATFORM_PROC_STRING, 0, 0, 16, NULL,
      "a hotspot of the early-warning brief: ISO3-YYYY-MM, e.g. ETH-2022-11" },
    { "concern", PLATFORM_PROC_INT, 0, 1, 9e18, NULL, "a concern's id" },
    { "confidential", PLATFORM_PROC_BOOL, 0, 0, 0, NULL,
      "visible only to the parties concerned (default false)" },
    { "open", PLATFORM_PROC_BOOL, 0, 0, 0, NULL,
      "admits registered members of the public (default false; not with confidential)" },
    { "rule", PLATFORM_PROC_ENUM, PLATFORM_PROC_REQUIRED, 0, 0, rules, "the decision rule" },
    { "max_stand_aside", PLATFORM_PROC_INT, 0, 0, 32, NULL,
      "consensus-stand-aside: stand-asides that do not block (default 1)" },
    { "minus", PLATFORM_PROC_INT, 0, 0, 32, NULL,
      "consensus-minus: objections tolerated (default 1)" },
};
static const struct platform_proc_field none_fields[] = {
    { "note", PLATFORM_PROC_STRING, 0, 0, 2000, NULL, "an optional note" },
};
static const struct platform_proc_field invite_fields[] = {
    { "mediator", PLATFORM_PROC_PARTY, PLATFORM_PROC_REQUIRED, 0, 0, NULL,
      "the party invited to mediate or offer good offices, e.g. UN" },
};
static const struct platform_proc_field statement_fields[] = {
    { "text", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, 2000, NULL, "the statement" },
    { "participant", PLATFORM_PROC_INT, 0, 1, 9e18, NULL,
      "set by the server for a public participant" },
};
static const struct platform_proc_field vote_fields[] = {
    { "statement", PLATFORM_PROC_INT, PLATFORM_PROC_REQUIRED, 1, 9e18, NULL, "the statement" },
    { "vote", PLATFORM_PROC_ENUM, PLATFORM_PROC_REQUIRED, 0, 0, votes, "agree, disagree or pass" },
    { "participant", PLATFORM_PROC_INT, 0, 1, 9e18, NULL,
      "set by the server for a public participant" },
};
static const struct platform_proc_field moderate_fields[] = {
    { "statement", PLATFORM_PROC_INT, PLATFORM_PROC_REQUIRED, 1, 9e18, NULL, "the statement" },
    { "reason", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, 2000, NULL, "why" },
};
static const struct platform_proc_field proposal_fields[] = {
    { "text", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, 20000, NULL, "the proposal" },
    { "statements", PLATFORM_PROC_STRINGS, 0, 0, 64, NULL, "ids of the statements it rests on" },
    { "days", PLATFORM_PROC_INT, 0, 1, 365, NULL, "days until the deadline (default 14)" },
};
static const struct platform_proc_field position_fields[] = {
    { "proposal", PLATFORM_PROC_INT, PLATFORM_PROC_REQUIRED, 1, 9e18, NULL, "the proposal" },
    { "position", PLATFORM_PROC_ENUM, PLATFORM_PROC_REQUIRED, 0, 0, positions,
      "support, stand-aside or object" },
    { "explanation", PLATFORM_PROC_STRING, 0, 0, 4000, NULL, "optional" },
};
static const struct platform_proc_field register_fields[] = {
    { "name", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, 80, NULL,
      "the name the participant gives" },
    { "token_sha256", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, 64, NULL,
      "SHA-256 of the participant token (set by the server)" },
};
static const struct platform_proc_field import_fields[] = {
    { "question", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED | PLATFORM_PROC_TITLE, 0, 500, NULL,
      "the question the conversation was about" },
    { "domain", PLATFORM_PROC_DOMAIN, PLATFORM_PROC_REQUIRED | PLATFORM_PROC_DOMAINKEY, 0, 0, NULL,
      "one of the 20 priority domains" },
    { "means", PLATFORM_PROC_MEANS, PLATFORM_PROC_REQUIRED, 0, 0, NULL,
      "the peaceful means (UN Charter Art. 33)" },
    { "open", PLATFORM_PROC_BOOL, PLATFORM_PROC_REQUIRED, 0, 0, NULL, "true: admits the public" },
    { "rule", PLATFORM_PROC_ENUM, PLATFORM_PROC_REQUIRED, 0, 0, rules, "the decision rule" },
    { "comments_sha256", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, 64, NULL,
      "SHA-256 of the imported comments.csv" },
    { "votes_sha256", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, 64, NULL,
      "SHA-256 of the imported votes.csv" },
    { "statements", PLATFORM_PROC_INT, PLATFORM_PROC_REQUIRED, 0, 1e9, NULL, "statements read" },
    { "votes", PLATFORM_PROC_INT, PLATFORM_PROC_REQUIRED, 0, 1e9, NULL, "votes read" },
};
static const struct platform_proc_field decide_fields[] = {
    { "proposal", PLATFORM_PROC_INT, PLATFORM_PROC_REQUIRED, 1, 9e18, NULL, "the proposal" },
};

#define ACTING PLATFORM_PROC_ROLES_ACTING
#define ACTIVE PLATFORM_PROC_S(C_ACTIVE)

static const struct platform_proc_act consult_acts[] = {
    { "consultation.propose", "propose", "propose a consultation to the parties concerned",
      propose_fields, N(propose_fields), PLATFORM_PROC_OPENS, PLATFORM_PROC_ANY, ACTING, 0, 0,
      C_PROPOSED, -1, NULL },
    { "consultation.import", "import",
      "an open consultation from a Polis export (the local administrator: gsi consultation "
      "import)",
      import_fields, N(import_fields), PLATFORM_PROC_OPENS, PLATFORM_PROC_ANY, 0, 0, 0, C_ACTIVE,
      -1, NULL },
    { "consultation.consent", "consent", "a party concerned consents", none_fields, N(none_fields),
      0, PLATFORM_PROC_ADDRESSED, ACTING, PLATFORM_PROC_S(C_PROPOSED), PLATFORM_PROC_S(P_INVITED),
      -1, P_CONSENTED, "already answered" },
    { "consultation.refuse", "refuse", "a party concerned refuses: the consultation ends",
      none_fields, N(none_fields), 0, PLATFORM_PROC_ADDRESSED, ACTING, PLATFORM_PROC_S(C_PROPOSED),
      PLATFORM_PROC_S(P_INVITED), C_REFUSED, P_REFUSED, "already answered" },
    { "consultation.invite", "invite", "a party concerned invites a mediator", invite_fields,
      N(invite_fields), 0, PLATFORM_PROC_ANY, ACTING, PLATFORM_PROC_S(C_PROPOSED) | ACTIVE, 0, -1,
      -1, NULL },
    { "consultation.statement", "statement", "a participant makes a statement", statement_fields,
      N(statement_fields), 0, PLATFORM_PROC_ANY, ACTING, ACTIVE, 0, -1, -1, NULL },
    { "consultation.vote", "vote", "a participant votes on a statement (changeable)", vote_fields,
      N(vote_fields), 0, PLATFORM_PROC_ANY, ACTING, ACTIVE, 0, -1, -1, NULL },
    { "consultation.moderate", "moderate", "the convenor or the mediator moderates a statement out",
      moderate_fields, N(moderate_fields), 0, PLATFORM_PROC_ANY, ACTING, ACTIVE, 0, -1, -1, NULL },
    { "consultation.proposal", "proposal", "a participant puts a proposal to decision",
      proposal_fields, N(proposal_fields), 0, PLATFORM_PROC_ANY, ACTING, ACTIVE, 0, -1, -1, NULL },
    { "consultation.position", "position", "a party concerned takes a position on a proposal",
      position_fields, N(position_fields), 0, PLATFORM_PROC_ANY, ACTING, ACTIVE, 0, -1, -1, NULL },
    { "consultation.decide", "decide", "records a proposal's outcome once its deadline passed",
      decide_fields, N(decide_fields), 0, PLATFORM_PROC_ANY, ACTING, ACTIVE, 0, -1, -1, NULL },
    { "consultation.register", "register", "a member of the public joins an open consultation",
      register_fields, N(register_fields), 0, PLATFORM_PROC_ANY, ACTING, ACTIVE, 0, -1, -1, NULL },
    { "consultation.close", "close", "the convenor closes the consultation", none_fields,
      N(none_fields), 0, PLATFORM_PROC_OWNER, ACTING, ACTIVE, 0, C_CLOSED, -1, NULL },
};

/* --- helpers -------------------------------------------------------------------------- */

static bool concerned(const struct platform_proc_step *st, const char *party)
{
    if (strcmp(st->owner, party) == 0) {
        return true;
    }
    for (size_t i = 0; i < st->nrows; i++) {
        if (strcmp(st->rows[i].party, party) == 0) {
            return true;
        }
    }
    return false;
}

/* What the rules of a party's statements, votes and proposals, and of moderation, need to
 * know, read in one query (one round trip inside the write transaction on PostgreSQL): the
 * acting delegate, whether the acting party mediates, and whether statement `stmt` is this
 * consultation's and moderated out. */
struct facts {
    int64_t delegate, mediator, stmt_found, moderated;
};

static int facts_read(struct platform_proc_step *st, int64_t stmt, struct facts *f,
                      struct gsi_err *err)
{
    struct store_val v[] = { STORE_INT(st->record_id), STORE_INT(st->case_id),
                             STORE_TEXT(st->party),    STORE_INT(stmt),
                             STORE_INT(st->case_id),   STORE_INT(stmt),
                             STORE_INT(st->case_id) };
    struct store_rows *r;
    int rc = store_query(st->s, &r,
                         "SELECT (SELECT delegate FROM records WHERE id = ?),"
                         " (SELECT COUNT(*) FROM consult_mediators WHERE consultation = ? AND"
                         " party = ?), (SELECT COUNT(*) FROM consult_statements WHERE id = ? AND"
                         " consultation = ?), (SELECT COALESCE(MAX(moderated), 0) FROM"
                         " consult_statements WHERE id = ? AND consultation = ?)",
                         v, 7, err);
    if (rc < 0) {
        return rc;
    }
    f->delegate = store_rows_int(r, 0, 0);
    f->mediator = store_rows_int(r, 0, 1);
    f->stmt_found = store_rows_int(r, 0, 2);
    f->moderated = store_rows_int(r, 0, 3);
    store_rows_free(r);
    return 0;
}

/* A party concerned or the mediator, or a public participant registered in this consultation
 * (only through platform_consult_public_act). Sets the engine's voter id: the acting delegate's, or
 * CONSULT_VOTER_PUBLIC + the participant's. */
static int participant_check(struct platform_proc_step *st, int64_t stmt, int64_t *voter,
                             struct facts *f, struct gsi_err *err)
{
    memset(f, 0, sizeof *f);
    int64_t part = platform__proc_json_int(st->payload, "participant", 0);
    bool pub = strcmp(st->party, CONSULT_PUBLIC_PARTY) == 0;
    if (pub && (part == 0 || !json_is_true(json_object_get(st->data, "open")))) {
        return gsi_err_set(err, GSI_EFORBIDDEN, "consultation %lld does not admit the public",
                           (long long)st->case_id);
    }
    if (!pub && part != 0) {
        return gsi_err_set(err, GSI_EDATA, "/participant: only for public participants");
    }
    /* Members of the public act only through platform_consult_public_act, which found the
     * participant by its token in this consultation and that a vote's statement is this
     * consultation's before the write (neither changes once true), so their acts read no
     * facts here (each read inside the write costs a round trip on PostgreSQL, with the batch
     * waiting); whether the statement is moderated out can change, and rule_vote checks it
     * (public_moderated). The local administrator is trusted anyway. */
    if (pub) {
        f->stmt_found = 1;
        *voter = CONSULT_VOTER_PUBLIC + part;
        return 0;
    }
    int rc = facts_read(st, stmt, f, err);
    if (rc < 0) {
        return rc;
    }
    *voter = f->delegate;
    if (!concerned(st, st->party) && f->mediator == 0) {
        return gsi_err_set(err, GSI_EFORBIDDEN,
                           "%s is neither a party concerned in consultation %lld nor its mediator",
                           st->party, (long long)st->case_id);
    }
    return 0;
}

/* --- acts ------------------------------------------------------------------------------- */

static int rule_propose(struct platform_proc_step *st, struct gsi_err *err)
{
    const char *h = json_string_value(json_object_get(st->payload, "hotspot"));
    if (h != NULL) {
        bool digits = strlen(h) == 11;
        for (size_t i = 4; digits && i < 11; i++) {
            digits = i == 8 ? h[i] == '-' : (h[i] >= '0' && h[i] <= '9');
        }
        int y =
            digits ? (h[4] - '0') * 1000 + (h[5] - '0') * 100 + (h[6] - '0') * 10 + h[7] - '0' : 0;
        int m = digits ? (h[9] - '0') * 10 + h[10] - '0' : 0;
        if (!digits || ref_country_by_iso3(h, 3) == NULL || h[3] != '-' || y < 1989 || m < 1 ||
            m > 12) {
            return gsi_err_set(err, GSI_EDATA,
                               "/hotspot: expected ISO3-YYYY-MM with a known country, e.g. "
                               "ETH-2022-11");
        }
    }
    if (json_is_true(json_object_get(st->payload, "open")) &&
        json_is_true(json_object_get(st->payload, "confidential"))) {
        return gsi_err_set(err, GSI_EDATA,
                           "/open: a confidential consultation cannot admit the public");
    }
    if (st->nrows == 0) {
        return gsi_err_set(err, GSI_EDATA, "/parties: name at least one other party concerned");
    }
    return 0;
}

static int rule_invite(struct platform_proc_step *st, struct gsi_err *err)
{
    const char *med = json_string_value(json_object_get(st->payload, "mediator"));
    if (!concerned(st, st->party)) {
        return gsi_err_set(err, GSI_EFORBIDDEN, "only a party concerned may invite a mediator");
    }
    if (concerned(st, med)) {
        return gsi_err_set(err, GSI_EDATA, "/mediator: %s is a party concerned", med);
    }
    struct store_val v[] = { STORE_INT(st->case_id), STORE_TEXT(med), STORE_TEXT(st->party) };
    int64_t have = 0, n = 0;
    int rc = store_query_int(st->s, &have, 0,
                             "SELECT COUNT(*) FROM consult_invites WHERE consultation = ? AND"
                             " mediator = ? AND party = ?",
                             v, 3, err);
    if (rc == 0 && have > 0) {
        return gsi_err_set(err, GSI_ECONFLICT, "%s has already invited %s", st->party, med);
    }
    if (rc == 0) {
        rc = store_exec(st->s,
                        "INSERT INTO consult_invites (consultation, mediator, party) VALUES"
                        " (?, ?, ?)",
                        v, 3, err);
    }
    if (rc == 0) {
        rc = store_query_int(st->s, &n, 0,
                             "SELECT COUNT(*) FROM consult_invites WHERE consultation = ? AND"
                             " mediator = ?",
                             v, 2, err);
    }
    if (rc == 0 && n == (int64_t)st->nrows + 1) { /* every party concerned invited it */
        rc = store_exec(
            st->s,
            "INSERT INTO consult_mediators (consultation, party, joined_us) VALUES"
            " (?, ?, ?)",
            (struct store_val[]){ STORE_INT(st->case_id), STORE_TEXT(med), STORE_INT(st->time_us) },
            3, err);
    }
    return rc;
}

static int rule_statement(struct platform_proc_step *st, struct gsi_err *err)
{
    int64_t voter = 0;
    struct facts f;
    int rc = participant_check(st, 0, &voter, &f, err);
    if (rc < 0) {
        return rc;
    }
    const char *text = json_string_value(json_object_get(st->payload, "text"));
    const char *party = strcmp(st->party, CONSULT_PUBLIC_PARTY) == 0 ? "" : st->party;
    struct store_val v[] = { STORE_INT(st->record_id), STORE_INT(st->case_id), STORE_INT(voter),
                             STORE_TEXT(party), STORE_TEXT(text) };
    return store_exec(st->s,
                      "INSERT INTO consult_statements (id, consultation, voter, party, text)"
                      " VALUES (?, ?, ?, ?, ?)",
                      v, 5, err);
}

/* The moderated-out statements of a consultation, kept for the rest of a batch (st->aux):
 * every public vote checks its statement inside the transaction, and a batch of them on one
 * consultation reads this once. At most MODERATED_KEPT ids; past that each vote reads its
 * statement's row. rule_moderate sets it back to unread. */
#define MODERATED_KEPT 4096
struct moderated {
    bool over; /* more than MODERATED_KEPT: none kept, each vote reads its statement */
    size_t n;
    int64_t id[];
};

static int moderated_load(struct platform_proc_step *st, struct gsi_err *err)
{
    struct store_val v[] = { STORE_INT(st->case_id), STORE_INT(MODERATED_KEPT + 1) };
    struct store_rows *r;
    int rc = store_query(st->s, &r,
                         "SELECT id FROM consult_statements WHERE consultation = ? AND"
                         " moderated <> 0 ORDER BY id LIMIT ?",
                         v, 2, err);
    if (rc < 0) {
        return rc;
    }
    size_t n = store_rows_count(r);
    bool over = n > MODERATED_KEPT;
    n = over ? 0 : n;
    struct moderated *m = malloc(sizeof *m + n * sizeof m->id[0]);
    for (size_t i = 0; m != NULL && i < n; i++) {
        m->id[i] = store_rows_int(r, i, 0);
    }
    store_rows_free(r);
    if (m != NULL) { /* out of memory: nothing kept, the vote reads its statement */
        m->over = over;
        m->n = n;
        st->aux->data = m;
        st->aux->release = free;
    }
    return 0;
}

/* Whether statement `stmt` of this consultation is moderated out, now, inside the write: a
 * public vote's check before the write cannot see a moderation committed since, or one made
 * earlier in the same batch. */
static int public_moderated(struct platform_proc_step *st, int64_t stmt, int64_t *moderated,
                            struct gsi_err *err)
{
    *moderated = 0;
    int rc = st->aux != NULL && st->aux->data == NULL ? moderated_load(st, err) : 0;
    const struct moderated *m = st->aux != NULL ? st->aux->data : NULL;
    for (size_t i = 0; rc == 0 && m != NULL && i < m->n && *moderated == 0; i++) {
        *moderated = m->id[i] == stmt;
    }
    if (rc == 0 && (m == NULL || m->over)) {
        struct store_val v[] = { STORE_INT(stmt), STORE_INT(st->case_id) };
        rc = store_query_int(st->s, moderated, 0,
                             "SELECT COALESCE(MAX(moderated), 0) FROM consult_statements WHERE"
                             " id = ? AND consultation = ?",
                             v, 2, err);
    }
    return rc;
}

static int rule_vote(struct platform_proc_step *st, struct gsi_err *err)
{
    int64_t voter = 0, stmt = platform__proc_json_int(st->payload, "statement", 0);
    struct facts f;
    int rc = participant_check(st, stmt, &voter, &f, err);
    if (rc == 0 && strcmp(st->party, CONSULT_PUBLIC_PARTY) == 0 && !st->replay) {
        /* A replayed public vote was accepted when made (before this check was made inside
         * the write, a moderation could slip between the two): it stands. */
        rc = public_moderated(st, stmt, &f.moderated, err);
    }
    if (rc == 0 && f.stmt_found == 0) {
        rc = gsi_err_set(err, GSI_ENOTFOUND, "/statement: no statement %lld in consultation %lld",
                         (long long)stmt, (long long)st->case_id);
    }
    if (rc == 0 && f.moderated != 0) {
        rc = gsi_err_set(err, GSI_ECONFLICT, "statement %lld was moderated out", (long long)stmt);
    }
    if (rc < 0) {
        return rc;
    }
    const char *vs = json_string_value(json_object_get(st->payload, "vote"));
    int vote = strcmp(vs, "agree") == 0 ? 1 : strcmp(vs, "disagree") == 0 ? -1 : 0;
    const char *party = strcmp(st->party, CONSULT_PUBLIC_PARTY) == 0 ? "" : st->party;
    struct store_val v[] = { STORE_INT(CONSULT_VOTE_ID(st->record_id, 0)),
                             STORE_INT(st->case_id),
                             STORE_INT(st->record_id),
                             STORE_INT(voter),
                             STORE_TEXT(party),
                             STORE_INT(stmt),
                             STORE_INT(vote) };
    return store_exec_later(st->s,
                            "INSERT INTO consult_votes (id, consultation, record, voter, party,"
                            " statement, vote) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            v, 7, err);
}

static int rule_moderate(struct platform_proc_step *st, struct gsi_err *err)
{
    int64_t stmt = platform__proc_json_int(st->payload, "statement", 0);
    struct facts f;
    int rc = facts_read(st, stmt, &f, err);
    if (rc == 0 && f.mediator == 0 && strcmp(st->owner, st->party) != 0) {
        rc = gsi_err_set(err, GSI_EFORBIDDEN, "only the convenor (%s) or the mediator may moderate",
                         st->owner);
    }
    if (rc == 0 && f.stmt_found == 0) {
        rc = gsi_err_set(err, GSI_ENOTFOUND, "/statement: no statement %lld in consultation %lld",
                         (long long)stmt, (long long)st->case_id);
    }
    if (rc == 0 && f.moderated != 0) {
        rc = gsi_err_set(err, GSI_ECONFLICT, "statement %lld is already moderated out",
                         (long long)stmt);
    }
    if (rc == 0) {
        const char *reason = json_string_value(json_object_get(st->payload, "reason"));
        struct store_val v[] = { STORE_TEXT(reason), STORE_INT(stmt) };
        rc = store_exec(st->s,
                        "UPDATE consult_statements SET moderated = 1, reason = ? WHERE id = ?", v,
                        2, err);
    }
    if (rc == 0 && st->aux != NULL && st->aux->data != NULL) {
        st->aux->release(st->aux->data); /* read again by the next public vote */
        st->aux->data = NULL;
    }
    return rc;
}

static int rule_proposal(struct platform_proc_step *st, struct gsi_err *err)
{
    int64_t voter = 0;
    struct facts f;
    int rc = participant_check(st, 0, &voter, &f, err);
    if (rc == 0 && strcmp(st->party, CONSULT_PUBLIC_PARTY) == 0) {
        rc = gsi_err_set(err, GSI_EFORBIDDEN, "proposals come from the parties and the mediator");
    }
    if (rc < 0) {
        return rc;
    }
    int64_t deadline = st->time_us + platform__proc_json_int(st->payload, "days", 14) * PROC_DAY_US;
    const char *text = json_string_value(json_object_get(st->payload, "text"));
    struct store_val v[] = { STORE_INT(st->record_id), STORE_INT(st->case_id),
                             STORE_TEXT(st->party),    STORE_TEXT(text),
                             STORE_INT(deadline),      STORE_INT(st->time_us) };
    return store_exec(st->s,
                      "INSERT INTO consult_proposals (id, consultation, party, text, deadline_us,"
                      " outcome, created_us) VALUES (?, ?, ?, ?, ?, 'pending', ?)",
                      v, 6, err);
}

/* The proposal's outcome from the positions of the parties concerned, recorded when decided. */
static int proposal_decide(struct platform_proc_step *st, int64_t prop, int64_t deadline,
                           bool require, struct gsi_err *err)
{
    struct store_val v[] = { STORE_INT(prop) };
    struct store_rows *r;
    int rc = store_query(st->s, &r, "SELECT position FROM consult_positions WHERE proposal = ?", v,
                         1, err);
    if (rc < 0) {
        return rc;
    }
    struct decide_tally t = { .parties = (unsigned)st->nrows + 1 };
    for (size_t i = 0; i < store_rows_count(r); i++) {
        const char *pos = store_rows_text(r, i, 0);
        t.support += strcmp(pos, "support") == 0;
        t.stand_aside += strcmp(pos, "stand-aside") == 0;
        t.object += strcmp(pos, "object") == 0;
    }
    store_rows_free(r);
    struct decide_rule rule = { .max_stand_aside = (unsigned)platform__proc_json_int(
                                    st->data, "max_stand_aside", 1),
                                .minus = (unsigned)platform__proc_json_int(st->data, "minus", 1) };
    const char *rn = json_string_value(json_object_get(st->data, "rule"));
    rc = platform_decide_rule_parse(&rule.kind, rn, err);
    enum platform_decide_outcome o = platform_decide_outcome(&rule, &t, st->time_us > deadline);
    if (rc == 0 && o == DECIDE_PENDING && require) {
        rc = gsi_err_set(err, GSI_ECONFLICT,
                         "proposal %lld is pending: not every party concerned has spoken and "
                         "its deadline has not passed",
                         (long long)prop);
    }
    if (rc == 0 && o != DECIDE_PENDING) {
        struct store_val u[] = { STORE_TEXT(platform_decide_outcome_name(o)),
                                 STORE_INT(st->record_id), STORE_INT(prop) };
        rc = store_exec(st->s,
                        "UPDATE consult_proposals SET outcome = ?, decided_record = ? WHERE id = ?",
                        u, 3, err);
    }
    return rc;
}

/* The proposal's deadline; GSI_ENOTFOUND when not this consultation's, GSI_ECONFLICT when it
 * is already decided. */
static int proposal_open(struct platform_proc_step *st, int64_t prop, int64_t *deadline,
                         struct gsi_err *err)
{
    struct store_val v[] = { STORE_INT(prop), STORE_INT(st->case_id) };
    struct store_rows *r;
    int rc = store_query(st->s, &r,
                         "SELECT deadline_us, outcome FROM consult_proposals WHERE id = ? AND"
                         " consultation = ?",
                         v, 2, err);
    if (rc < 0) {
        return rc;
    }
    if (store_rows_count(r) == 0) {
        rc = gsi_err_set(err, GSI_ENOTFOUND, "/proposal: no proposal %lld in consultation %lld",
                         (long long)prop, (long long)st->case_id);
    } else if (strcmp(store_rows_text(r, 0, 1), "pending") != 0) {
        rc = gsi_err_set(err, GSI_ECONFLICT, "proposal %lld is already decided (%s)",
                         (long long)prop, store_rows_text(r, 0, 1));
    } else {
        *deadline = store_rows_int(r, 0, 0);
    }
    store_rows_free(r);
    return rc;
}

static int rule_position(struct platform_proc_step *st, struct gsi_err *err)
{
    int64_t prop = platform__proc_json_int(st->payload, "proposal", 0), deadline = 0;
    if (!concerned(st, st->party)) {
        return gsi_err_set(err, GSI_EFORBIDDEN,
                           "%s is not a party concerned in consultation %lld: only they take "
                           "positions",
                           st->party, (long long)st->case_id);
    }
    int rc = proposal_open(st, prop, &deadline, err);
    const char *pos = json_string_value(json_object_get(st->payload, "position"));
    json_t *ex = json_object_get(st->payload, "explanation");
    struct store_val v[] = { STORE_INT(prop), STORE_TEXT(st->party), STORE_TEXT(pos),
                             STORE_TEXT(ex ? json_string_value(ex) : ""),
                             STORE_INT(st->record_id) };
    if (rc == 0) {
        rc = store_exec(st->s, "DELETE FROM consult_positions WHERE proposal = ? AND party = ?", v,
                        2, err);
    }
    if (rc == 0) {
        rc = store_exec(st->s,
                        "INSERT INTO consult_positions (proposal, party, position, explanation,"
                        " record) VALUES (?, ?, ?, ?, ?)",
                        v, 5, err);
    }
    return rc == 0 ? proposal_decide(st, prop, deadline, false, err) : rc;
}

static int rule_decide(struct platform_proc_step *st, struct gsi_err *err)
{
    int64_t prop = platform__proc_json_int(st->payload, "proposal", 0), deadline = 0;
    int rc = proposal_open(st, prop, &deadline, err);
    return rc == 0 ? proposal_decide(st, prop, deadline, true, err) : rc;
}

static int rule_register(struct platform_proc_step *st, struct gsi_err *err)
{
    if (strcmp(st->party, CONSULT_PUBLIC_PARTY) != 0) {
        return gsi_err_set(err, GSI_EFORBIDDEN, "only members of the public register");
    }
    if (!json_is_true(json_object_get(st->data, "open"))) {
        return gsi_err_set(err, GSI_EFORBIDDEN, "consultation %lld does not admit the public",
                           (long long)st->case_id);
    }
    const char *name = json_string_value(json_object_get(st->payload, "name"));
    const char *th = json_string_value(json_object_get(st->payload, "token_sha256"));
    struct store_val v[] = { STORE_INT(st->record_id), STORE_INT(st->case_id), STORE_TEXT(th),
                             STORE_TEXT(name), STORE_INT(st->time_us) };
    return store_exec(st->s,
                      "INSERT INTO consult_public (id, consultation, token_hash, name, created_us)"
                      " VALUES (?, ?, ?, ?, ?)",
                      v, 5, err);
}

/* The import being made (platform_consult_import): one at a time, under import_mu. The rules run on
 * the write path's leader thread, so the data is handed over here rather than in the payload,
 * which holds the files' hashes. */
static pthread_mutex_t import_mu = PTHREAD_MUTEX_INITIALIZER;
static const struct consult_polis *import_data;
static char import_votes_sha[PLATFORM_HEX_MAX];

/* Replaying an import: its rows were kept (they are not in the record, which holds the
 * files' hashes); what the record does say, how many there were, is checked against them. */
static int import_replay(struct platform_proc_step *st, struct gsi_err *err)
{
    struct store_val v[] = { STORE_INT(st->record_id), STORE_INT(CONSULT_IMPORT_STMT),
                             STORE_INT(st->record_id) };
    struct store_rows *r;
    int rc = store_query(st->s, &r,
                         "SELECT (SELECT COUNT(*) FROM consult_statements WHERE consultation = ?"
                         " AND id >= ?), (SELECT COUNT(*) FROM consult_votes WHERE record = ?)",
                         v, 3, err);
    if (rc < 0) {
        return rc;
    }
    int64_t stmts = store_rows_int(r, 0, 0), votes_kept = store_rows_int(r, 0, 1);
    store_rows_free(r);
    int64_t want_s = platform__proc_json_int(st->payload, "statements", 0);
    int64_t want_v = platform__proc_json_int(st->payload, "votes", 0);
    if (stmts != want_s || votes_kept != want_v) {
        return gsi_err_set(err, GSI_EDATA,
                           "the import's rows are not what it recorded: %lld statements and %lld"
                           " votes kept, %lld and %lld imported",
                           (long long)stmts, (long long)votes_kept, (long long)want_s,
                           (long long)want_v);
    }
    return 0;
}

static int rule_import(struct platform_proc_step *st, struct gsi_err *err)
{
    if (st->replay) {
        return import_replay(st, err);
    }
    const char *vs = json_string_value(json_object_get(st->payload, "votes_sha256"));
    if (import_data == NULL || vs == NULL || strcmp(vs, import_votes_sha) != 0) {
        return gsi_err_set(err, GSI_EUSAGE,
                           "consultation.import is made by gsi consultation import only");
    }
    return platform_consult_polis_insert(st->s, st->record_id, st->record_id, import_data, err);
}

int platform_consult_import(struct platform *p, int64_t *id, const char *party,
                            const char *question, const char *domain, const char *means,
                            const struct consult_polis *x, const char *comments_sha256,
                            const char *votes_sha256, struct gsi_err *err)
{
    json_t *o =
        json_pack("{s:s,s:s,s:s,s:s,s:b,s:s,s:s,s:s,s:I,s:I}", "party", party, "question", question,
                  "domain", domain, "means", means, "open", 1, "rule", "consensus",
                  "comments_sha256", comments_sha256, "votes_sha256", votes_sha256, "statements",
                  (json_int_t)x->nstmt, "votes", (json_int_t)x->nvotes);
    char *body = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (body == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    pthread_mutex_lock(&import_mu);
    import_data = x;
    snprintf(import_votes_sha, sizeof import_votes_sha, "%s", votes_sha256);
    struct platform_proc_receipt r;
    int rc = platform_proc_act(p, &r, NULL, &platform_proc_consultation, "consultation.import", 0,
                               body, strlen(body), err);
    import_data = NULL;
    import_votes_sha[0] = '\0';
    pthread_mutex_unlock(&import_mu);
    free(body);
    *id = rc == 0 ? r.case_id : 0;
    return rc;
}

static int consult_rules(struct platform_proc_step *st, struct gsi_err *err)
{
    const char *verb = st->act->verb;
    if (strcmp(verb, "propose") == 0) {
        return rule_propose(st, err);
    }
    if (strcmp(verb, "import") == 0) {
        return rule_import(st, err);
    }
    if (strcmp(verb, "consent") == 0) {
        st->case_to = platform__proc_rows_all(st, P_CONSENTED) ? C_ACTIVE : st->case_to;
        return 0;
    }
    static const struct {
        const char *verb;
        int (*fn)(struct platform_proc_step *, struct gsi_err *);
    } table[] = { { "invite", rule_invite },     { "statement", rule_statement },
                  { "vote", rule_vote },         { "moderate", rule_moderate },
                  { "proposal", rule_proposal }, { "position", rule_position },
                  { "decide", rule_decide },     { "register", rule_register } };
    for (size_t i = 0; i < N(table); i++) {
        if (strcmp(verb, table[i].verb) == 0) {
            return table[i].fn(st, err);
        }
    }
    return 0;
}

/* The tables the rules write. An import's rows are kept: its statements (ids from
 * CONSULT_IMPORT_STMT) and its votes (cast by the opening record itself). */
static const struct platform_proc_table consult_tables[] = {
    { "consult_public", "id", NULL },
    { "consult_statements", "id", "id >= 3000000000" },
    { "consult_votes", "id", "record = consultation" },
    { "consult_invites", "consultation, mediator, party", NULL },
    { "consult_mediators", "consultation, party", NULL },
    { "consult_proposals", "id", NULL },
    { "consult_positions", "proposal, party", NULL },
};

/* A moderate record of a kept (imported) statement: the statement was not moderated out when
 * imported (moderating it again is refused), so it goes back to that before the replay. */
static int unmoderate_one(void *ctx, const struct store_rows *r, size_t i, struct gsi_err *err)
{
    struct store *s = ctx;
    json_t *o = json_loadb(store_rows_text(r, i, 1), store_rows_len(r, i, 1), 0, NULL);
    int64_t stmt = o != NULL ? platform__proc_json_int(o, "statement", 0) : 0;
    json_decref(o);
    if (o == NULL) {
        return gsi_err_set(err, GSI_EDATA, "record %lld: its payload is not JSON",
                           (long long)store_rows_int(r, i, 0));
    }
    struct store_val v[] = { STORE_INT(stmt) };
    return stmt < CONSULT_IMPORT_STMT
               ? 0
               : store_exec(s,
                            "UPDATE consult_statements SET moderated = 0, reason = '' WHERE id = ?",
                            v, 1, err);
}

static int consult_reset(struct store *s, struct gsi_err *err)
{
    return store_query_pages(s,
                             "SELECT id, payload FROM records WHERE type = 'consultation.moderate'"
                             " AND id > ? ORDER BY id LIMIT ?",
                             0, 1000, unmoderate_one, s, err);
}

const struct platform_proc platform_proc_consultation = {
    .name = "consultation",
    .path = "consultations",
    .doc = "consultations between the parties concerned, with their consent, on the UN "
           "Charter's means: statements, votes, the consensus view, proposals and decisions",
    .states = case_states,
    .nstates = N(case_states),
    .party_states = party_states,
    .nparty_states = N(party_states),
    .acts = consult_acts,
    .nacts = N(consult_acts),
    .rules = consult_rules,
    .tables = consult_tables,
    .ntables = N(consult_tables),
    .reset = consult_reset,
};
