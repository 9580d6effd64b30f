/*
 * decide.h — a consultation's decision rules, as pure functions of the parties' positions.
 *
 * The rule is fixed when a consultation starts. Every party concerned takes one position on a
 * proposal: support, stand aside (does not support, does not block) or object. The outcome
 * is computed when every party concerned has spoken, or when the deadline has passed:
 *
 *   consensus              adopted when no party objects (stand-asides allowed)
 *   consensus-stand-aside  objections block; stand-asides do not, up to `max_stand_aside`;
 *                          one more stand-aside than that and the proposal fails (a consensus
 *                          that thin is not one)
 *   consensus-minus        adopted when at most `minus` parties object (consensus minus X)
 *
 * Under every rule a proposal needs at least one support. A party still silent when the
 * deadline passes counts as standing aside: it did not block, and it did not support (so it
 * counts against `max_stand_aside`). Before the deadline, while a party is silent, the
 * outcome is pending, whatever the others said: a party may still speak.
 *
 *     struct decide_rule r = {.kind = DECIDE_RULE_STAND_ASIDE, .max_stand_aside = 1};
 *     struct decide_tally t = {.parties = 3, .support = 2, .stand_aside = 1};
 *     enum platform_decide_outcome o = platform_decide_outcome(&r, &t, false);   // DECIDE_ADOPTED
 */
#ifndef GSI_PLATFORM_DECIDE_H
#define GSI_PLATFORM_DECIDE_H

#include <stdbool.h>

#include "core/err.h"

enum decide_rule_kind { DECIDE_RULE_CONSENSUS, DECIDE_RULE_STAND_ASIDE, DECIDE_RULE_MINUS };

struct decide_rule {
    enum decide_rule_kind kind;
    unsigned max_stand_aside; /* consensus-stand-aside only */
    unsigned minus;           /* consensus-minus only: objections tolerated */
};

enum decide_position { DECIDE_SUPPORT, DECIDE_STAND_ASIDE, DECIDE_OBJECT };

enum platform_decide_outcome { DECIDE_PENDING, DECIDE_ADOPTED, DECIDE_REJECTED };

/* Positions counted over the parties concerned (each party's latest position). */
struct decide_tally {
    unsigned parties; /* parties concerned; support + stand_aside + object <= parties */
    unsigned support, stand_aside, object;
};

/* The outcome under rule `r` (see above); `deadline_passed` counts the silent as standing
 * aside. A tally with more positions than parties is DECIDE_REJECTED (it cannot happen when
 * the caller counts one position per party). */
enum platform_decide_outcome platform_decide_outcome(const struct decide_rule *r,
                                                     const struct decide_tally *t,
                                                     bool deadline_passed);

/* Names as in the API: "consensus", "consensus-stand-aside", "consensus-minus"; "support",
 * "stand-aside", "object"; "pending", "adopted", "rejected". */
const char *platform_decide_rule_name(enum decide_rule_kind k);
const char *platform_decide_position_name(enum decide_position p);
const char *platform_decide_outcome_name(enum platform_decide_outcome o);
/* Parse the names above; GSI_EDATA listing the allowed names otherwise. */
int platform_decide_rule_parse(enum decide_rule_kind *out, const char *s, struct gsi_err *err);
int platform_decide_position_parse(enum decide_position *out, const char *s, struct gsi_err *err);

#endif
