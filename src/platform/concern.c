/* concern.c — the concerns register (principle 4: no legitimate security concern is ignored).
 *
 * A party lodges a concern with the parties it addresses (ids, groupings expanded to their
 * members, or "ALL"); each addressed party acknowledges, then answers, by deadlines: act time
 * plus a period in days, by default the concern's domain's (concern_periods below), which the
 * lodger may lengthen but not shorten. States: the case is open → closed (every addressed party
 * answered) or withdrawn (by the lodger); each addressed party is lodged → acknowledged →
 * answered. An answer is also an acknowledgement. */
#include <stdio.h>
#include <string.h>

#include "platform/internal.h"

/* Default periods in days per domain: GSI's own choice (no instrument sets them). Domains
 * where delay costs lives or escalates fast get 2 days to acknowledge and 14 to answer; the
 * others 7 and 30. tests/unit/platform checks that every one of the 20 domains is here. */
static const struct concern_period {
    const char *domain;
    int ack_days, answer_days;
} concern_periods[] = {
    { "conflict-prevention", 2, 14 },
    { "major-country-relations", 7, 30 },
    { "nuclear", 2, 14 },
    { "wmd-arms-control", 7, 30 },
    { "hotspots", 2, 14 },
    { "asean-way", 7, 30 },
    { "middle-east", 7, 30 },
    { "africa", 7, 30 },
    { "latin-america-caribbean", 7, 30 },
    { "pacific-islands", 7, 30 },
    { "maritime", 2, 14 },
    { "counter-terrorism", 7, 30 },
    { "information-security", 7, 30 },
    { "biosecurity", 2, 14 },
    { "ai-emerging-tech", 7, 30 },
    { "outer-space", 2, 14 },
    { "public-health", 2, 14 },
    { "food-energy", 7, 30 },
    { "transnational-crime", 7, 30 },
    { "climate-sdgs", 7, 30 },
};

int platform_concern_periods(const char *domain, int *ack_days, int *answer_days)
{
    for (size_t i = 0; i < sizeof concern_periods / sizeof concern_periods[0]; i++) {
        if (strcmp(concern_periods[i].domain, domain) == 0) {
            *ack_days = concern_periods[i].ack_days;
            *answer_days = concern_periods[i].answer_days;
            return 0;
        }
    }
    return GSI_ENOTFOUND;
}

enum { C_OPEN, C_CLOSED, C_WITHDRAWN };
enum { P_LODGED, P_ACKNOWLEDGED, P_ANSWERED };
static const char *const case_states[] = { "open", "closed", "withdrawn" };
static const char *const party_states[] = { "lodged", "acknowledged", "answered" };

static const struct platform_proc_field lodge_fields[] = {
    { "to", PLATFORM_PROC_PARTIES, PLATFORM_PROC_REQUIRED | PLATFORM_PROC_ADDRESSES, 0, 0, NULL,
      "the parties addressed: ids, groupings such as ASEAN (expanded to their members), or ALL" },
    { "domain", PLATFORM_PROC_DOMAIN, PLATFORM_PROC_REQUIRED | PLATFORM_PROC_DOMAINKEY, 0, 0, NULL,
      "one of the 20 priority domains" },
    { "title", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED | PLATFORM_PROC_TITLE, 0, 200, NULL,
      "one line" },
    { "text", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, 20000, NULL,
      "the concern, up to 20,000 bytes" },
    { "confidential", PLATFORM_PROC_BOOL, 0, 0, 0, NULL,
      "visible only to the lodger and the parties addressed (default false)" },
    { "means", PLATFORM_PROC_MEANS, 0, 0, 0, NULL,
      "the peaceful means (UN Charter Art. 33) the lodger proposes" },
    { "ack_days", PLATFORM_PROC_INT, 0, 1, 365, NULL,
      "days to acknowledge; at least the domain's default, which is used when absent" },
    { "answer_days", PLATFORM_PROC_INT, 0, 1, 730, NULL,
      "days from lodging to answer; at least the domain's default" },
    { "hotspot", PLATFORM_PROC_STRING, 0, 0, 11, NULL,
      "the early-warning hotspot the concern responds to, ISO3-YYYY-MM (GET /v1/hotspots)" },
};

static const struct platform_proc_field ack_fields[] = {
    { "note", PLATFORM_PROC_STRING, 0, 0, 2000, NULL, "an optional note" },
};
static const struct platform_proc_field answer_fields[] = {
    { "text", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, 20000, NULL,
      "the answer, up to 20,000 bytes" },
};
static const struct platform_proc_field withdraw_fields[] = {
    { "reason", PLATFORM_PROC_STRING, 0, 0, 2000, NULL, "why, optionally" },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct platform_proc_act concern_acts[] = {
    { "concern.lodge", "lodge", "lodge a concern with the parties addressed", lodge_fields,
      N(lodge_fields), PLATFORM_PROC_OPENS, PLATFORM_PROC_ANY, PLATFORM_PROC_ROLES_ACTING, 0, 0,
      C_OPEN, -1, NULL },
    { "concern.acknowledge", "acknowledge", "an addressed party acknowledges the concern",
      ack_fields, N(ack_fields), 0, PLATFORM_PROC_ADDRESSED, PLATFORM_PROC_ROLES_ACTING,
      PLATFORM_PROC_S(C_OPEN), PLATFORM_PROC_S(P_LODGED), -1, P_ACKNOWLEDGED,
      "already acknowledged" },
    { "concern.answer", "answer", "an addressed party answers the concern", answer_fields,
      N(answer_fields), 0, PLATFORM_PROC_ADDRESSED, PLATFORM_PROC_ROLES_ACTING,
      PLATFORM_PROC_S(C_OPEN), PLATFORM_PROC_S(P_LODGED) | PLATFORM_PROC_S(P_ACKNOWLEDGED), -1,
      P_ANSWERED, "already answered" },
    { "concern.withdraw", "withdraw", "the lodger withdraws the concern", withdraw_fields,
      N(withdraw_fields), 0, PLATFORM_PROC_OWNER, PLATFORM_PROC_ROLES_ACTING,
      PLATFORM_PROC_S(C_OPEN), 0, C_WITHDRAWN, -1, NULL },
};

/* Fills the periods the lodger left out with the domain's, and refuses shorter ones. */
static int concern_prepare(struct platform_proc_step *st, struct gsi_err *err)
{
    if (strcmp(st->act->type, "concern.lodge") != 0) {
        return 0;
    }
    const char *domain = json_string_value(json_object_get(st->payload, "domain"));
    int ack = 0, answer = 0;
    if (domain == NULL || platform_concern_periods(domain, &ack, &answer) < 0) {
        return gsi_err_set(err, GSI_EDATA, "/domain: no default deadlines for this domain");
    }
    const char *keys[] = { "ack_days", "answer_days" };
    int dflt[] = { ack, answer };
    for (size_t i = 0; i < 2; i++) {
        int64_t v = platform__proc_json_int(st->payload, keys[i], 0);
        if (v == 0) {
            json_object_set_new(st->payload, keys[i], json_integer(dflt[i]));
        } else if (v < dflt[i]) {
            return gsi_err_set(err, GSI_EDATA,
                               "/%s: the lodger may set a longer period than the %s domain's %d "
                               "days, not a shorter one",
                               keys[i], domain, dflt[i]);
        }
    }
    if (platform__proc_json_int(st->payload, "answer_days", 0) <
        platform__proc_json_int(st->payload, "ack_days", 0)) {
        return gsi_err_set(err, GSI_EDATA, "/answer_days: must not be shorter than ack_days");
    }
    return 0;
}

static int concern_rules(struct platform_proc_step *st, struct gsi_err *err)
{
    (void)err;
    const char *verb = st->act->verb;
    int64_t ack = platform__proc_json_int(st->data, "ack_days", 7) * PROC_DAY_US;
    int64_t answer = platform__proc_json_int(st->data, "answer_days", 30) * PROC_DAY_US;
    if (strcmp(verb, "lodge") == 0) {
        platform__proc_rows_due(st, st->time_us + ack, "acknowledge");
    } else if (strcmp(verb, "acknowledge") == 0) {
        platform__proc_row_due(st->self, st->opened_us + answer, "answer");
    } else if (strcmp(verb, "answer") == 0) {
        platform__proc_row_due(st->self, 0, NULL);
        if (platform__proc_rows_all(st, P_ANSWERED)) {
            st->case_to = C_CLOSED;
        }
    } else if (strcmp(verb, "withdraw") == 0) {
        platform__proc_rows_due(st, 0, NULL);
    }
    return 0;
}

const struct platform_proc platform_proc_concern = {
    .name = "concern",
    .path = "concerns",
    .doc = "security concerns lodged with the parties addressed, acknowledged and answered by "
           "deadlines",
    .states = case_states,
    .nstates = N(case_states),
    .party_states = party_states,
    .nparty_states = N(party_states),
    .acts = concern_acts,
    .nacts = N(concern_acts),
    .rules = concern_rules,
    .prepare = concern_prepare,
};
