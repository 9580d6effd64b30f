/* agreement.c — agreements: the text of an adopted proposal, signed by each signatory party's
 * delegate with the Ed25519 key it registered, adopted when all have signed.
 *
 * agreement.draft opens one (by a party concerned in the consultation, or its mediator) from a
 * proposal the consultation adopted; its signatories are the drafter and the parties it names
 * (the case's addressed parties), each a party concerned or the mediator. Its canonical bytes
 * (agree.h) are fixed then and kept in agreement_docs. agreement.sign carries a delegate's
 * signature over those bytes: the rules check it against the key the acting delegate
 * registered (a revoked delegate cannot act at all), refuse a second signature by the same
 * party, and mark the agreement adopted when every signatory has signed. States: open →
 * adopted; each named signatory: pending → signed (the drafter's own signature is tracked in
 * agreement_sigs like the others'). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal/journal.h"
#include "platform/agree.h"
#include "platform/consult.h"
#include "platform/internal.h"
#include "store/store.h"

enum { A_OPEN, A_ADOPTED };
enum { S_PENDING, S_SIGNED };
static const char *const case_states[] = { "open", "adopted" };
static const char *const party_states[] = { "pending", "signed" };

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct platform_proc_field draft_fields[] = {
    { "consultation", PLATFORM_PROC_INT, PLATFORM_PROC_REQUIRED, 1, 9e18, NULL,
      "the consultation" },
    { "proposal", PLATFORM_PROC_INT, PLATFORM_PROC_REQUIRED, 1, 9e18, NULL,
      "the adopted proposal (the decision)" },
    { "title", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED | PLATFORM_PROC_TITLE, 0, 200, NULL,
      "one line" },
    { "text", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, 60000, NULL,
      "the agreed text: ends in a newline, no blank line at its end" },
    { "signatories", PLATFORM_PROC_PARTIES,
      PLATFORM_PROC_REQUIRED | PLATFORM_PROC_ADDRESSES | PLATFORM_PROC_AS_GIVEN, 0,
      AGREE_SIGNATORIES_MAX, NULL, "the other signatory parties (the drafter signs too)" },
};
static const struct platform_proc_field sign_fields[] = {
    { "signature", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, AGREE_SIG_B64_LEN, NULL,
      "base64 Ed25519 signature of the canonical bytes (gsi sign)" },
    { "body_sha256", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, 64, NULL,
      "SHA-256 of the canonical bytes, lower-case hex" },
};

static const struct platform_proc_act agreement_acts[] = {
    { "agreement.draft", "draft", "draft an agreement from an adopted proposal", draft_fields,
      N(draft_fields), PLATFORM_PROC_OPENS, PLATFORM_PROC_ANY, PLATFORM_PROC_ROLES_ACTING, 0, 0,
      A_OPEN, -1, NULL },
    { "agreement.sign", "sign", "a signatory's delegate signs the canonical bytes", sign_fields,
      N(sign_fields), 0, PLATFORM_PROC_ANY, PLATFORM_PROC_ROLES_ACTING, PLATFORM_PROC_S(A_OPEN), 0,
      -1, -1, NULL },
};

/* 1 when `party` is concerned in (or mediates) consultation `cid`. */
static int in_consultation(struct store *s, int64_t cid, const char *party, bool *out,
                           struct gsi_err *err)
{
    int64_t n = 0;
    struct store_val v[] = { STORE_INT(cid),    STORE_TEXT(party), STORE_INT(cid),
                             STORE_TEXT(party), STORE_INT(cid),    STORE_TEXT(party) };
    int rc = store_query_int(s, &n, 0,
                             "SELECT (SELECT COUNT(*) FROM proc_cases WHERE id = ? AND owner = ?"
                             " AND kind = 'consultation') + (SELECT COUNT(*) FROM proc_parties"
                             " WHERE case_id = ? AND party = ?) + (SELECT COUNT(*) FROM"
                             " consult_mediators WHERE consultation = ? AND party = ?)",
                             v, 6, err);
    *out = n > 0;
    return rc;
}

static int rule_draft(struct platform_proc_step *st, struct gsi_err *err)
{
    int64_t cid = platform__proc_json_int(st->payload, "consultation", 0);
    int64_t prop = platform__proc_json_int(st->payload, "proposal", 0);
    struct store_val v[] = { STORE_INT(prop), STORE_INT(cid) };
    struct store_rows *r;
    int rc = store_query(st->s, &r,
                         "SELECT outcome FROM consult_proposals WHERE id = ? AND consultation = ?",
                         v, 2, err);
    if (rc < 0) {
        return rc;
    }
    if (store_rows_count(r) == 0 || strcmp(store_rows_text(r, 0, 0), "adopted") != 0) {
        rc = gsi_err_set(err, GSI_ECONFLICT,
                         "/proposal: proposal %lld of consultation %lld was not adopted",
                         (long long)prop, (long long)cid);
    }
    store_rows_free(r);
    struct agree_doc d;
    memset(&d, 0, sizeof d);
    bool ok = false;
    for (size_t i = 0; rc == 0 && i <= st->nrows; i++) {
        const char *party = i < st->nrows ? st->rows[i].party : st->owner;
        rc = in_consultation(st->s, cid, party, &ok, err);
        if (rc == 0 && !ok) {
            rc = gsi_err_set(err, GSI_EFORBIDDEN,
                             "%s is neither a party concerned in consultation %lld nor its "
                             "mediator",
                             party, (long long)cid);
        }
        if (rc == 0 && i < AGREE_SIGNATORIES_MAX) {
            snprintf(d.signatories[d.nsignatories++], PLATFORM_ID_MAX, "%s", party);
        }
    }
    if (rc == 0) {
        rc = store_query(st->s, &r, "SELECT value FROM meta WHERE key = 'origin'", NULL, 0, err);
        if (rc == 0) {
            snprintf(d.origin, sizeof d.origin, "%s",
                     store_rows_count(r) ? store_rows_text(r, 0, 0) : "gsi.local/log");
            store_rows_free(r);
        }
    }
    const char *text = json_string_value(json_object_get(st->payload, "text"));
    d.text = text, d.text_len = text ? strlen(text) : 0;
    d.agreement = st->record_id, d.consultation = cid, d.decision = prop;
    struct gsi_buf body;
    gsi_buf_init(&body, AGREE_BODY_MAX);
    if (rc == 0) {
        rc = platform_agree_signatories_normalise(&d, err);
    }
    if (rc == 0) {
        rc = platform_agree_body_format(&body, &d, err);
        if (rc < 0) {
            rc = platform_agree_err_wrap(err, GSI_EDATA, "/text");
        }
    }
    if (rc == 0) {
        uint8_t h[JOURNAL_HASH_SIZE];
        char hex[PLATFORM_HEX_MAX];
        journal_sha256(h, body.data, body.len);
        platform_hex(hex, h);
        struct store_val w[] = { STORE_INT(st->record_id), STORE_INT(cid),
                                 STORE_INT(prop),          STORE_TEXTN(body.data, body.len),
                                 STORE_TEXT(hex),          STORE_INT((int64_t)d.nsignatories) };
        rc = store_exec(st->s,
                        "INSERT INTO agreement_docs (id, consultation, proposal, body,"
                        " body_sha256, signatories) VALUES (?, ?, ?, ?, ?, ?)",
                        w, 6, err);
    }
    gsi_buf_release(&body);
    return rc;
}

static int rule_sign(struct platform_proc_step *st, struct gsi_err *err)
{
    bool signatory =
        strcmp(st->owner, st->party) == 0 || platform__proc_step_row(st, st->party) != NULL;
    if (!signatory) {
        return gsi_err_set(err, GSI_EFORBIDDEN, "%s is not a signatory of agreement %lld",
                           st->party, (long long)st->case_id);
    }
    struct store_val v[] = { STORE_INT(st->case_id), STORE_TEXT(st->party) };
    int64_t have = 0;
    int rc = store_query_int(
        st->s, &have, 0, "SELECT COUNT(*) FROM agreement_sigs WHERE agreement = ? AND party = ?", v,
        2, err);
    if (rc == 0 && have > 0) {
        return gsi_err_set(err, GSI_ECONFLICT, "%s has already signed agreement %lld", st->party,
                           (long long)st->case_id);
    }
    struct store_rows *r = NULL;
    struct store_val w[] = { STORE_INT(st->case_id), STORE_INT(st->record_id) };
    if (rc == 0) {
        rc = store_query(st->s, &r,
                         "SELECT a.body, a.body_sha256, d.pubkey, d.id, a.signatories FROM"
                         " agreement_docs a, records r LEFT JOIN delegates d ON d.id ="
                         " r.delegate WHERE a.id = ? AND r.id = ?",
                         w, 2, err);
    }
    if (rc < 0) {
        return rc;
    }
    const char *sig = json_string_value(json_object_get(st->payload, "signature"));
    const char *hash = json_string_value(json_object_get(st->payload, "body_sha256"));
    if (store_rows_count(r) == 0) {
        rc = gsi_err_set(err, GSI_ENOTFOUND, "no agreement %lld", (long long)st->case_id);
    } else if (strcmp(hash, store_rows_text(r, 0, 1)) != 0) {
        rc = gsi_err_set(err, GSI_EDATA,
                         "/body_sha256: not the hash of agreement %lld's canonical bytes (%s)",
                         (long long)st->case_id, store_rows_text(r, 0, 1));
    } else {
        rc = platform_agree_sig_verify(store_rows_text(r, 0, 2), store_rows_text(r, 0, 0),
                                       store_rows_len(r, 0, 0), sig, err);
        if (rc == GSI_EDATA) {
            rc = platform_agree_err_wrap(err, GSI_EDATA, "/signature");
        }
    }
    int64_t delegate = rc == 0 ? store_rows_int(r, 0, 3) : 0;
    int64_t need = rc == 0 ? store_rows_int(r, 0, 4) : 0;
    store_rows_free(r);
    if (rc == 0) {
        struct store_val x[] = { STORE_INT(st->case_id), STORE_TEXT(st->party), STORE_INT(delegate),
                                 STORE_INT(st->record_id), STORE_TEXT(sig) };
        rc = store_exec(st->s,
                        "INSERT INTO agreement_sigs (agreement, party, delegate, record, signature)"
                        " VALUES (?, ?, ?, ?, ?)",
                        x, 5, err);
    }
    int64_t n = 0;
    if (rc == 0) {
        rc = store_query_int(st->s, &n, 0,
                             "SELECT COUNT(*) FROM agreement_sigs WHERE agreement = ?", v, 1, err);
    }
    struct proc_prow *row = rc == 0 ? platform__proc_step_row(st, st->party) : NULL;
    if (row != NULL) {
        row->state = S_SIGNED;
        row->changed = true;
    }
    if (rc == 0 && n == need) {
        st->case_to = A_ADOPTED;
    }
    return rc;
}

static int agreement_rules(struct platform_proc_step *st, struct gsi_err *err)
{
    if (strcmp(st->act->verb, "draft") == 0) {
        return rule_draft(st, err);
    }
    if (strcmp(st->act->verb, "sign") == 0) {
        return rule_sign(st, err);
    }
    return 0;
}

/* The tables the rules write: an agreement's bytes (its id is its draft's record id) and its
 * signatures. */
static const struct platform_proc_table agreement_tables[] = {
    { "agreement_docs", "id", NULL },
    { "agreement_sigs", "agreement, party", NULL },
};

const struct platform_proc platform_proc_agreement = {
    .name = "agreement",
    .path = "agreements",
    .doc = "agreements drafted from adopted proposals, signed with each signatory's registered "
           "Ed25519 key, adopted when all have signed",
    .states = case_states,
    .nstates = N(case_states),
    .party_states = party_states,
    .nparty_states = N(party_states),
    .acts = agreement_acts,
    .nacts = N(agreement_acts),
    .rules = agreement_rules,
    .tables = agreement_tables,
    .ntables = N(agreement_tables),
};

/* --- reading ----------------------------------------------------------------------------- */

int platform_consult_agreement_bytes(struct platform *p, struct gsi_buf *out, int64_t id,
                                     struct gsi_err *err)
{
    struct store_val v[] = { STORE_INT(id) };
    struct store_rows *r;
    int rc = platform_query(p, &r, "SELECT body FROM agreement_docs WHERE id = ?", v, 1, err);
    if (rc < 0) {
        return rc;
    }
    if (store_rows_count(r) == 0) {
        rc = gsi_err_set(err, GSI_ENOTFOUND, "no agreement %lld", (long long)id);
    } else {
        rc = gsi_buf_append(out, store_rows_text(r, 0, 0), store_rows_len(r, 0, 0));
    }
    store_rows_free(r);
    return rc;
}

int platform_consult_agreement_export(struct platform *p, struct gsi_buf *out, int64_t id,
                                      struct gsi_err *err)
{
    struct gsi_buf body;
    gsi_buf_init(&body, AGREE_BODY_MAX);
    int rc = platform_consult_agreement_bytes(p, &body, id, err);
    struct store_rows *r = NULL;
    struct store_val v[] = { STORE_INT(id) };
    if (rc == 0) {
        rc = platform_query(p, &r,
                            "SELECT record FROM agreement_sigs WHERE agreement = ? ORDER BY party",
                            v, 1, err);
    }
    int64_t recs[AGREE_SIGNATORIES_MAX];
    size_t n = 0;
    for (size_t i = 0; rc == 0 && i < store_rows_count(r) && n < AGREE_SIGNATORIES_MAX; i++) {
        recs[n++] = store_rows_int(r, i, 0);
    }
    store_rows_free(r);
    if (rc == 0) {
        rc = platform_agree_bundle_export(p, out, body.data, body.len, recs, n, err);
    }
    gsi_buf_release(&body);
    return rc;
}
