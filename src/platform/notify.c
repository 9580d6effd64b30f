/* notify.c — confidence-building notifications, modelled on the instruments that define them
 * (docs/internals/procedures.md, "Notifications", gives each rule's source).
 *
 * A party sends a notification of one of eight kinds to the parties it addresses; each
 * recipient acknowledges it by a deadline (act time + ack_hours, by default the kind's); the
 * sender may amend it (the new text replaces the case's data, the original stays in its record
 * and in the journal, and every recipient must acknowledge again) or cancel it. A notification
 * that breaks its kind's rule — sent later than the instrument allows, or malformed — is refused
 * with the rule it breaks. States: active → cancelled; each recipient sent → acknowledged. */
#include <stdio.h>
#include <string.h>

#include "platform/internal.h"

enum { N_ACTIVE, N_CANCELLED };
enum { R_SENT, R_ACKNOWLEDGED };
static const char *const case_states[] = { "active", "cancelled" };
static const char *const party_states[] = { "sent", "acknowledged" };

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Fields every kind has. */
#define COMMON_FIELDS                                                                           \
    { "to",                                                                                     \
      PLATFORM_PROC_PARTIES,                                                                    \
      PLATFORM_PROC_REQUIRED | PLATFORM_PROC_ADDRESSES,                                         \
      0,                                                                                        \
      0,                                                                                        \
      NULL,                                                                                     \
      "the recipients: party ids, groupings such as OSCE (expanded), or ALL" },                 \
        { "title", PLATFORM_PROC_STRING, PLATFORM_PROC_TITLE, 0, 200, NULL, "one line" },       \
        { "confidential",                                                                       \
          PLATFORM_PROC_BOOL,                                                                   \
          0,                                                                                    \
          0,                                                                                    \
          0,                                                                                    \
          NULL,                                                                                 \
          "visible only to the sender and the recipients (default false)" },                    \
        { "ack_hours",                                                                          \
          PLATFORM_PROC_INT,                                                                    \
          0,                                                                                    \
          1,                                                                                    \
          720,                                                                                  \
          NULL,                                                                                 \
          "hours the recipients have to acknowledge (default: the kind's)" },                   \
    {                                                                                           \
        "remarks", PLATFORM_PROC_STRING, 0, 0, 20000, NULL, "anything else, up to 20,000 bytes" \
    }

#define WINDOW_FIELDS                                                         \
    { "window_start",                                                         \
      PLATFORM_PROC_TIME,                                                     \
      PLATFORM_PROC_REQUIRED,                                                 \
      0,                                                                      \
      0,                                                                      \
      NULL,                                                                   \
      "the planned launch window opens (UTC)" },                              \
        { "window_end",                                                       \
          PLATFORM_PROC_TIME,                                                 \
          PLATFORM_PROC_REQUIRED,                                             \
          0,                                                                  \
          0,                                                                  \
          NULL,                                                               \
          "the planned launch window closes (UTC)" },                         \
    {                                                                         \
        "launch_area", PLATFORM_PROC_GEO, PLATFORM_PROC_REQUIRED, 0, 0, NULL, \
            "where the launch takes place (GeoJSON Point or Polygon)"         \
    }

static const struct platform_proc_field missile_fields[] = {
    COMMON_FIELDS,
    WINDOW_FIELDS,
    { "impact_area", PLATFORM_PROC_GEO, PLATFORM_PROC_REQUIRED, 0, 0, NULL,
      "the planned area of impact (GeoJSON Polygon or Point)" },
    { "missile", PLATFORM_PROC_STRING, 0, 0, 200, NULL, "the type of missile" },
};

static const struct platform_proc_field space_fields[] = {
    COMMON_FIELDS,
    WINDOW_FIELDS,
    { "impact_area", PLATFORM_PROC_GEO, 0, 0, 0, NULL, "where spent stages are expected to fall" },
    { "vehicle", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, 200, NULL,
      "the space launch vehicle" },
    { "mission", PLATFORM_PROC_STRING, 0, 0, 2000, NULL, "the general purpose of the launch" },
};

static const struct platform_proc_field exercise_fields[] = {
    COMMON_FIELDS,
    { "name", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, 200, NULL,
      "the designation of the activity" },
    { "start", PLATFORM_PROC_TIME, PLATFORM_PROC_REQUIRED, 0, 0, NULL, "when it starts (UTC)" },
    { "end", PLATFORM_PROC_TIME, PLATFORM_PROC_REQUIRED, 0, 0, NULL, "when it ends (UTC)" },
    { "area", PLATFORM_PROC_GEO, PLATFORM_PROC_REQUIRED, 0, 0, NULL,
      "where (GeoJSON Polygon or Point)" },
    { "troops", PLATFORM_PROC_INT, PLATFORM_PROC_REQUIRED, 0, 10000000, NULL,
      "the number of troops taking part" },
    { "tanks", PLATFORM_PROC_INT, 0, 0, 100000, NULL, "battle tanks" },
    { "acv", PLATFORM_PROC_INT, 0, 0, 100000, NULL, "armoured combat vehicles" },
    { "artillery", PLATFORM_PROC_INT, 0, 0, 100000, NULL, "artillery pieces of 100 mm and above" },
};

static const struct platform_proc_field maritime_fields[] = {
    COMMON_FIELDS,
    { "time", PLATFORM_PROC_TIME, PLATFORM_PROC_REQUIRED, 0, 0, NULL, "when it happened (UTC)" },
    { "position", PLATFORM_PROC_GEO, PLATFORM_PROC_REQUIRED, 0, 0, NULL, "where (GeoJSON Point)" },
    { "vessels", PLATFORM_PROC_STRINGS, PLATFORM_PROC_REQUIRED, 0, 64, NULL,
      "the vessels or aircraft involved" },
    { "description", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, 20000, NULL,
      "what happened" },
};

static const struct platform_proc_field nuclear_fields[] = {
    COMMON_FIELDS,
    { "facility", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, 200, NULL,
      "the facility or activity" },
    { "time", PLATFORM_PROC_TIME, PLATFORM_PROC_REQUIRED, 0, 0, NULL,
      "when the accident happened (UTC)" },
    { "location", PLATFORM_PROC_GEO, PLATFORM_PROC_REQUIRED, 0, 0, NULL, "where (GeoJSON)" },
    { "nature", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, 20000, NULL,
      "the nature of the accident" },
    { "release", PLATFORM_PROC_BOOL, PLATFORM_PROC_REQUIRED, 0, 0, NULL,
      "whether radioactive material was released beyond the site" },
    { "release_details", PLATFORM_PROC_STRING, 0, 0, 20000, NULL,
      "what was released, how much, and where it is going" },
};

static const struct platform_proc_field bio_fields[] = {
    COMMON_FIELDS,
    { "facility", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, 200, NULL, "the facility" },
    { "time", PLATFORM_PROC_TIME, PLATFORM_PROC_REQUIRED, 0, 0, NULL, "when it happened (UTC)" },
    { "location", PLATFORM_PROC_GEO, 0, 0, 0, NULL, "where (GeoJSON)" },
    { "agent", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, 200, NULL,
      "the biological agent or toxin" },
    { "nature", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, 20000, NULL,
      "what happened and what was done" },
};

static const struct platform_proc_field outbreak_fields[] = {
    COMMON_FIELDS,
    { "disease", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, 200, NULL,
      "the disease or event" },
    { "assessed", PLATFORM_PROC_TIME, PLATFORM_PROC_REQUIRED, 0, 0, NULL,
      "when the event was assessed as notifiable (UTC)" },
    { "location", PLATFORM_PROC_GEO, PLATFORM_PROC_REQUIRED, 0, 0, NULL, "where (GeoJSON)" },
    { "cases", PLATFORM_PROC_INT, PLATFORM_PROC_REQUIRED, 0, 1000000000, NULL, "cases so far" },
    { "deaths", PLATFORM_PROC_INT, 0, 0, 1000000000, NULL, "deaths so far" },
};

static const char *const hazards[] = { "earthquake", "tsunami", "flood",     "cyclone", "drought",
                                       "wildfire",   "volcano", "landslide", "other",   NULL };

static const struct platform_proc_field disaster_fields[] = {
    COMMON_FIELDS,
    { "hazard", PLATFORM_PROC_ENUM, PLATFORM_PROC_REQUIRED, 0, 0, hazards, "the kind of hazard" },
    { "time", PLATFORM_PROC_TIME, PLATFORM_PROC_REQUIRED, 0, 0, NULL, "when it struck (UTC)" },
    { "area", PLATFORM_PROC_GEO, PLATFORM_PROC_REQUIRED, 0, 0, NULL, "where (GeoJSON)" },
    { "description", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, 20000, NULL,
      "what happened" },
    { "assistance_needed", PLATFORM_PROC_BOOL, 0, 0, 0, NULL, "whether assistance is requested" },
};

static const struct platform_proc_field ack_fields[] = {
    { "note", PLATFORM_PROC_STRING, 0, 0, 2000, NULL, "an optional note" },
};
static const struct platform_proc_field cancel_fields[] = {
    { "reason", PLATFORM_PROC_STRING, 0, 0, 2000, NULL, "why, optionally" },
};

#define OPENING(verb, fields, summary)                                               \
    {                                                                                \
        "notification." verb, verb, summary, fields, N(fields), PLATFORM_PROC_OPENS, \
            PLATFORM_PROC_ANY, PLATFORM_PROC_ROLES_ACTING, 0, 0, N_ACTIVE, -1, NULL  \
    }

static const struct platform_proc_act notify_acts[] = {
    OPENING("missile_launch", missile_fields,
            "ballistic-missile launch pre-notification, at least 24 hours before the window"),
    OPENING("space_launch", space_fields,
            "space launch pre-notification, at least 24 hours before the window"),
    OPENING("exercise", exercise_fields,
            "major military exercise; 42 days ahead at or above the notification thresholds"),
    OPENING("maritime_incident", maritime_fields, "incident at sea: time, position, vessels"),
    OPENING("nuclear_accident", nuclear_fields,
            "nuclear or radiological accident, without delay: facility, time, nature, release"),
    OPENING("biosafety_incident", bio_fields, "biosafety or biosecurity incident at a facility"),
    OPENING("outbreak", outbreak_fields, "disease outbreak, within 24 hours of its assessment"),
    OPENING("disaster", disaster_fields, "natural disaster"),
    { "notification.acknowledge", "acknowledge", "a recipient acknowledges the notification",
      ack_fields, N(ack_fields), 0, PLATFORM_PROC_ADDRESSED, PLATFORM_PROC_ROLES_ACTING,
      PLATFORM_PROC_S(N_ACTIVE), PLATFORM_PROC_S(R_SENT), -1, R_ACKNOWLEDGED,
      "already acknowledged" },
    { "notification.amend", "amend",
      "the sender replaces the notification's content (every recipient acknowledges again)", NULL,
      0, PLATFORM_PROC_AMENDS | PLATFORM_PROC_RESETS, PLATFORM_PROC_OWNER,
      PLATFORM_PROC_ROLES_ACTING, PLATFORM_PROC_S(N_ACTIVE), 0, N_ACTIVE, -1, NULL },
    { "notification.cancel", "cancel", "the sender cancels the notification", cancel_fields,
      N(cancel_fields), 0, PLATFORM_PROC_OWNER, PLATFORM_PROC_ROLES_ACTING,
      PLATFORM_PROC_S(N_ACTIVE), 0, N_CANCELLED, -1, NULL },
};

/* Default hours to acknowledge, per kind: GSI's own choice (the instruments ask for prompt
 * acknowledgement without a figure); urgent kinds get less time. */
static const struct {
    const char *kind;
    int hours;
} ack_hours[] = {
    { "missile_launch", 12 },    { "space_launch", 24 },    { "exercise", 168 },
    { "maritime_incident", 24 }, { "nuclear_accident", 6 }, { "biosafety_incident", 24 },
    { "outbreak", 24 },          { "disaster", 24 },
};

/* The rules of the instruments (docs/internals/procedures.md has the sources). */
#define LAUNCH_NOTICE_US   (24 * PROC_HOUR_US)         /* 1988 Agreement, Art. I; HCoC 4(a)(iii) */
#define LAUNCH_WINDOW_MAX  (30 * PROC_DAY_US)          /* GSI's cap on one window */
#define EXERCISE_NOTICE_US (42 * PROC_DAY_US)          /* Vienna Document 2011, Chapter V */
#define OUTBREAK_NOTICE_US (24 * PROC_HOUR_US)         /* IHR (2005), Art. 6.1 */
#define CLOCK_SKEW_US      ((int64_t)5 * 60 * 1000000) /* a sender's clock may run ahead */

static int late(struct gsi_err *err, const char *what, int64_t lead_us, const char *rule)
{
    return gsi_err_set(err, GSI_EDATA, "%s %.1f hours ahead: %s", what,
                       (double)lead_us / (double)PROC_HOUR_US, rule);
}

static int rule_window(const struct platform_proc_step *st, struct gsi_err *err)
{
    int64_t start = platform__proc_json_time(st->payload, "window_start");
    int64_t end = platform__proc_json_time(st->payload, "window_end");
    if (end <= start) {
        return gsi_err_set(err, GSI_EDATA, "/window_end: must be after window_start");
    }
    if (end - start > LAUNCH_WINDOW_MAX) {
        return gsi_err_set(err, GSI_EDATA, "/window_end: a launch window may span at most 30 days");
    }
    if (start - st->time_us < LAUNCH_NOTICE_US) {
        return late(err, "the launch window opens", start - st->time_us,
                    "a launch must be notified no later than 24 hours before its planned launch "
                    "window (1988 Agreement on Notifications of Launches of Intercontinental "
                    "Ballistic Missiles and Submarine-Launched Ballistic Missiles, Art. I; Hague "
                    "Code of Conduct, para. 4(a)(iii))");
    }
    return 0;
}

static int rule_exercise(const struct platform_proc_step *st, struct gsi_err *err)
{
    int64_t start = platform__proc_json_time(st->payload, "start");
    int64_t end = platform__proc_json_time(st->payload, "end");
    if (end < start) {
        return gsi_err_set(err, GSI_EDATA, "/end: must not be before start");
    }
    /* Vienna Document 2011, Chapter V: notifiable at 9,000 troops, or 250 battle tanks, or
     * 500 armoured combat vehicles, or 250 artillery pieces. */
    bool notifiable = platform__proc_json_int(st->payload, "troops", 0) >= 9000 ||
                      platform__proc_json_int(st->payload, "tanks", 0) >= 250 ||
                      platform__proc_json_int(st->payload, "acv", 0) >= 500 ||
                      platform__proc_json_int(st->payload, "artillery", 0) >= 250;
    if (notifiable && start - st->time_us < EXERCISE_NOTICE_US) {
        return late(
            err, "the exercise starts", start - st->time_us,
            "an activity at or above 9,000 troops, 250 battle tanks, 500 armoured combat "
            "vehicles or 250 artillery pieces must be notified 42 days or more in "
            "advance (Vienna Document 2011, Chapter V, Prior Notification of Certain Military "
            "Activities)");
    }
    if (end < st->time_us) {
        return gsi_err_set(err, GSI_EDATA, "/end: the exercise is already over");
    }
    return 0;
}

/* An event being reported: it cannot be in the future. */
static int rule_past(const struct platform_proc_step *st, const char *key, struct gsi_err *err)
{
    if (platform__proc_json_time(st->payload, key) > st->time_us + CLOCK_SKEW_US) {
        return gsi_err_set(err, GSI_EDATA,
                           "/%s: is in the future: a notification reports what "
                           "has happened",
                           key);
    }
    return 0;
}

static int rule_outbreak(const struct platform_proc_step *st, struct gsi_err *err)
{
    int rc = rule_past(st, "assessed", err);
    int64_t since = st->time_us - platform__proc_json_time(st->payload, "assessed");
    if (rc == 0 && since > OUTBREAK_NOTICE_US) {
        rc = gsi_err_set(err, GSI_EDATA,
                         "the event was assessed %.1f hours ago: an event that may constitute a "
                         "public health emergency of international concern must be notified "
                         "within 24 hours of its assessment (International Health Regulations "
                         "(2005), Art. 6.1)",
                         (double)since / (double)PROC_HOUR_US);
    }
    return rc;
}

/* The content rules of the kind `kind` for a payload sent (or amended) at st->time_us. */
static int kind_rules(const struct platform_proc_step *st, const char *kind, struct gsi_err *err)
{
    if (strcmp(kind, "missile_launch") == 0 || strcmp(kind, "space_launch") == 0) {
        return rule_window(st, err);
    }
    if (strcmp(kind, "exercise") == 0) {
        return rule_exercise(st, err);
    }
    if (strcmp(kind, "outbreak") == 0) {
        return rule_outbreak(st, err);
    }
    return rule_past(st, "time", err);
}

static int notify_prepare(struct platform_proc_step *st, struct gsi_err *err)
{
    (void)err;
    const struct platform_proc_act *schema = st->opening != NULL ? st->opening : st->act;
    if (!(schema->flags & PLATFORM_PROC_OPENS) || json_object_get(st->payload, "ack_hours")) {
        return 0;
    }
    for (size_t i = 0; i < N(ack_hours); i++) {
        if (strcmp(ack_hours[i].kind, schema->verb) == 0) {
            json_object_set_new(st->payload, "ack_hours", json_integer(ack_hours[i].hours));
        }
    }
    return 0;
}

static int notify_rules(struct platform_proc_step *st, struct gsi_err *err)
{
    const char *verb = st->act->verb;
    bool sends = (st->act->flags & (PLATFORM_PROC_OPENS | PLATFORM_PROC_AMENDS)) != 0;
    if (sends) {
        int rc = kind_rules(st, st->opening->verb, err);
        if (rc < 0) {
            return rc;
        }
        int64_t due =
            st->time_us + platform__proc_json_int(st->payload, "ack_hours", 24) * PROC_HOUR_US;
        platform__proc_rows_due(st, due, "acknowledge");
    } else if (strcmp(verb, "acknowledge") == 0) {
        platform__proc_row_due(st->self, 0, NULL);
    } else if (strcmp(verb, "cancel") == 0) {
        platform__proc_rows_due(st, 0, NULL);
    }
    return 0;
}

const struct platform_proc platform_proc_notification = {
    .name = "notification",
    .path = "notifications",
    .doc = "confidence-building notifications with acknowledgement by deadlines",
    .states = case_states,
    .nstates = N(case_states),
    .party_states = party_states,
    .nparty_states = N(party_states),
    .acts = notify_acts,
    .nacts = N(notify_acts),
    .rules = notify_rules,
    .prepare = notify_prepare,
};
