/* forum.c — forums and conferences (mechanisms IV.1, IV.3, IV.4): a convenor, an agenda,
 * participants (states, organisations' members, non-state participants such as think tanks),
 * sessions, and outcome documents, each optionally linked by id to a consultation or an
 * agreement.
 *
 * `forum.convene` opens the case with its agenda and invites the participants (the parties it
 * addresses); each participant accepts or declines; the convenor holds sessions, adopts outcome
 * documents and closes the forum, or cancels it. States: the case is open → closed or
 * cancelled; each participant is invited → accepted or declined (a participant who declined
 * may still accept while the forum is open). Sessions and outcomes are acts on the case: their
 * records hold their text, and the case lists them among its acts. */
#include <string.h>

#include "platform/internal.h"

enum { F_OPEN, F_CLOSED, F_CANCELLED };
enum { P_INVITED, P_ACCEPTED, P_DECLINED };
static const char *const case_states[] = { "open", "closed", "cancelled" };
static const char *const party_states[] = { "invited", "accepted", "declined" };
static const char *const forum_kinds[] = { "forum", "conference", NULL };

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct platform_proc_field convene_fields[] = {
    { "kind", PLATFORM_PROC_ENUM, PLATFORM_PROC_REQUIRED, 0, 0, forum_kinds,
      "a forum (dialogue, exchange) or a conference (a high-level meeting)" },
    { "title", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED | PLATFORM_PROC_TITLE, 0, 200, NULL,
      "its name" },
    { "participants", PLATFORM_PROC_PARTIES, PLATFORM_PROC_REQUIRED | PLATFORM_PROC_ADDRESSES, 0, 0,
      NULL,
      "the parties invited: states, non-state participants (X-...), and groupings, which "
      "invite their members" },
    { "agenda", PLATFORM_PROC_STRINGS, PLATFORM_PROC_REQUIRED, 0, 64, NULL,
      "the agenda items, in order (1 to 64, each up to 256 bytes)" },
    { "domain", PLATFORM_PROC_DOMAIN, PLATFORM_PROC_DOMAINKEY, 0, 0, NULL,
      "the priority domain it serves, if one" },
    { "start", PLATFORM_PROC_TIME, PLATFORM_PROC_REQUIRED, 0, 0, NULL, "when it opens (UTC)" },
    { "end", PLATFORM_PROC_TIME, PLATFORM_PROC_REQUIRED, 0, 0, NULL, "when it ends (UTC)" },
    { "venue", PLATFORM_PROC_STRING, 0, 0, 200, NULL, "where, or online" },
    { "text", PLATFORM_PROC_STRING, 0, 0, 20000, NULL, "the invitation, up to 20,000 bytes" },
    { "hotspot", PLATFORM_PROC_STRING, 0, 0, 11, NULL,
      "the early-warning hotspot it is convened on, ISO3-YYYY-MM (GET /v1/hotspots)" },
};

static const struct platform_proc_field reply_fields[] = {
    { "note", PLATFORM_PROC_STRING, 0, 0, 2000, NULL, "an optional note" },
};

static const struct platform_proc_field session_fields[] = {
    { "title", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, 200, NULL, "the session's name" },
    { "start", PLATFORM_PROC_TIME, PLATFORM_PROC_REQUIRED, 0, 0, NULL, "when it starts (UTC)" },
    { "end", PLATFORM_PROC_TIME, PLATFORM_PROC_REQUIRED, 0, 0, NULL, "when it ends (UTC)" },
    { "items", PLATFORM_PROC_STRINGS, 0, 0, 64, NULL, "the agenda items it takes up" },
    { "chair", PLATFORM_PROC_PARTY, 0, 0, 0, NULL, "the party that chairs it" },
    { "summary", PLATFORM_PROC_STRING, 0, 0, 20000, NULL, "the chair's summary" },
};

static const struct platform_proc_field outcome_fields[] = {
    { "title", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, 200, NULL,
      "the document's title: a joint statement, a chair's summary, a declaration" },
    { "text", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, 200000, NULL,
      "the document, up to 200,000 bytes" },
    { "consultation", PLATFORM_PROC_INT, 0, 1, 9007199254740991.0, NULL,
      "the id of the consultation it comes from or leads to, if one" },
    { "agreement", PLATFORM_PROC_INT, 0, 1, 9007199254740991.0, NULL,
      "the id of the agreement it records, if one" },
};

static const struct platform_proc_field end_fields[] = {
    { "reason", PLATFORM_PROC_STRING, 0, 0, 2000, NULL, "why, optionally" },
};

static const struct platform_proc_act forum_acts[] = {
    { "forum.convene", "convene", "convene a forum or conference and invite its participants",
      convene_fields, N(convene_fields), PLATFORM_PROC_OPENS, PLATFORM_PROC_ANY,
      PLATFORM_PROC_ROLES_ACTING, 0, 0, F_OPEN, -1, NULL },
    { "forum.amend", "amend", "the convenor restates the forum (agenda, dates, participants)",
      convene_fields, N(convene_fields), PLATFORM_PROC_AMENDS, PLATFORM_PROC_OWNER,
      PLATFORM_PROC_ROLES_ACTING, PLATFORM_PROC_S(F_OPEN), 0, -1, -1, NULL },
    { "forum.accept", "accept", "an invited participant accepts", reply_fields, N(reply_fields), 0,
      PLATFORM_PROC_ADDRESSED, PLATFORM_PROC_ROLES_ACTING, PLATFORM_PROC_S(F_OPEN),
      PLATFORM_PROC_S(P_INVITED) | PLATFORM_PROC_S(P_DECLINED), -1, P_ACCEPTED,
      "already accepted" },
    { "forum.decline", "decline", "an invited participant declines", reply_fields, N(reply_fields),
      0, PLATFORM_PROC_ADDRESSED, PLATFORM_PROC_ROLES_ACTING, PLATFORM_PROC_S(F_OPEN),
      PLATFORM_PROC_S(P_INVITED), -1, P_DECLINED, "already answered the invitation" },
    { "forum.session", "session", "the convenor records a session", session_fields,
      N(session_fields), 0, PLATFORM_PROC_OWNER, PLATFORM_PROC_ROLES_ACTING,
      PLATFORM_PROC_S(F_OPEN), 0, -1, -1, NULL },
    { "forum.outcome", "outcome", "the convenor adopts an outcome document", outcome_fields,
      N(outcome_fields), 0, PLATFORM_PROC_OWNER, PLATFORM_PROC_ROLES_ACTING,
      PLATFORM_PROC_S(F_OPEN), 0, -1, -1, NULL },
    { "forum.close", "close", "the convenor closes the forum", end_fields, N(end_fields), 0,
      PLATFORM_PROC_OWNER, PLATFORM_PROC_ROLES_ACTING, PLATFORM_PROC_S(F_OPEN), 0, F_CLOSED, -1,
      NULL },
    { "forum.cancel", "cancel", "the convenor cancels the forum", end_fields, N(end_fields), 0,
      PLATFORM_PROC_OWNER, PLATFORM_PROC_ROLES_ACTING, PLATFORM_PROC_S(F_OPEN), 0, F_CANCELLED, -1,
      NULL },
};

/* 1 when `item` is one of the forum's agenda items. */
static bool on_agenda(const json_t *data, const char *item)
{
    const json_t *agenda = json_object_get(data, "agenda");
    for (size_t i = 0; item != NULL && i < json_array_size(agenda); i++) {
        const char *a = json_string_value(json_array_get(agenda, i));
        if (a != NULL && strcmp(a, item) == 0) {
            return true;
        }
    }
    return false;
}

/* A session takes up items of the agenda only. */
static int session_items(const struct platform_proc_step *st, struct gsi_err *err)
{
    const json_t *items = json_object_get(st->payload, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        if (!on_agenda(st->data, json_string_value(json_array_get(items, i)))) {
            return gsi_err_set(err, GSI_EDATA, "/items/%zu: not an item of the forum's agenda", i);
        }
    }
    return 0;
}

/* A forum's and a session's end comes after its start; a session lies within its forum and
 * takes up items of its agenda. */
static int forum_rules(struct platform_proc_step *st, struct gsi_err *err)
{
    const char *verb = st->act->verb;
    if (strcmp(verb, "convene") == 0 || strcmp(verb, "amend") == 0) {
        if (platform__proc_json_time(st->payload, "end") <
            platform__proc_json_time(st->payload, "start")) {
            return gsi_err_set(err, GSI_EDATA, "/end: expected a time after start");
        }
    } else if (strcmp(verb, "session") == 0) {
        int64_t start = platform__proc_json_time(st->payload, "start");
        int64_t end = platform__proc_json_time(st->payload, "end");
        if (end < start) {
            return gsi_err_set(err, GSI_EDATA, "/end: expected a time after start");
        }
        if (start < platform__proc_json_time(st->data, "start") ||
            end > platform__proc_json_time(st->data, "end")) {
            return gsi_err_set(err, GSI_EDATA,
                               "/start: a session lies within its forum's start and end");
        }
        return session_items(st, err);
    }
    return 0;
}

const struct platform_proc platform_proc_forum = {
    .name = "forum",
    .path = "forums",
    .doc = "forums and conferences: convenor, agenda, participants, sessions and outcome "
           "documents",
    .states = case_states,
    .nstates = N(case_states),
    .party_states = party_states,
    .nparty_states = N(party_states),
    .acts = forum_acts,
    .nacts = N(forum_acts),
    .rules = forum_rules,
    .prepare = NULL,
};
