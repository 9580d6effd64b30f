/* test_decide.c — decision rules against outcomes worked out by hand from the rules in
 * docs/internals/agreements.md (each row's reasoning is in its comment). */
#include "harness.h"
#include "platform/decide.h"

struct row {
    enum decide_rule_kind kind;
    unsigned max_sa, minus;
    unsigned parties, support, stand_aside, object;
    bool deadline;
    enum platform_decide_outcome want;
    const char *why;
};

static const struct row rows[] = {
    { DECIDE_RULE_CONSENSUS, 0, 0, 2, 2, 0, 0, false, DECIDE_ADOPTED, "2 of 2 support" },
    { DECIDE_RULE_CONSENSUS, 0, 0, 3, 2, 1, 0, false, DECIDE_ADOPTED,
      "2 support, 1 stands aside: nobody objects" },
    { DECIDE_RULE_CONSENSUS, 0, 0, 3, 2, 0, 1, false, DECIDE_REJECTED, "1 objection blocks" },
    { DECIDE_RULE_CONSENSUS, 0, 0, 3, 2, 0, 0, false, DECIDE_PENDING,
      "1 of 3 silent, deadline not passed" },
    { DECIDE_RULE_CONSENSUS, 0, 0, 3, 0, 0, 1, false, DECIDE_PENDING,
      "an objection, but 2 silent before the deadline: still pending" },
    { DECIDE_RULE_CONSENSUS, 0, 0, 3, 2, 0, 0, true, DECIDE_ADOPTED,
      "deadline: the silent one counts as standing aside" },
    { DECIDE_RULE_CONSENSUS, 0, 0, 3, 0, 3, 0, false, DECIDE_REJECTED,
      "all stand aside: no support" },
    { DECIDE_RULE_CONSENSUS, 0, 0, 3, 0, 0, 0, true, DECIDE_REJECTED,
      "deadline with nobody speaking: no support" },
    { DECIDE_RULE_STAND_ASIDE, 1, 0, 3, 2, 1, 0, false, DECIDE_ADOPTED, "1 stand-aside <= 1" },
    { DECIDE_RULE_STAND_ASIDE, 1, 0, 4, 2, 2, 0, false, DECIDE_REJECTED, "2 stand-asides > 1" },
    { DECIDE_RULE_STAND_ASIDE, 1, 0, 4, 2, 1, 0, true, DECIDE_REJECTED,
      "deadline: 1 stand-aside + 1 silent = 2 > 1" },
    { DECIDE_RULE_STAND_ASIDE, 2, 0, 4, 2, 1, 0, true, DECIDE_ADOPTED,
      "deadline: 1 stand-aside + 1 silent = 2 <= 2" },
    { DECIDE_RULE_STAND_ASIDE, 5, 0, 3, 2, 0, 1, false, DECIDE_REJECTED,
      "objections block whatever the stand-aside allowance" },
    { DECIDE_RULE_STAND_ASIDE, 0, 0, 2, 2, 0, 0, false, DECIDE_ADOPTED, "0 allowed, 0 used" },
    { DECIDE_RULE_MINUS, 0, 1, 5, 4, 0, 1, false, DECIDE_ADOPTED, "consensus minus 1: 1 object" },
    { DECIDE_RULE_MINUS, 0, 1, 5, 3, 0, 2, false, DECIDE_REJECTED, "consensus minus 1: 2 object" },
    { DECIDE_RULE_MINUS, 0, 2, 5, 1, 2, 2, false, DECIDE_ADOPTED,
      "minus 2: 2 object, 2 aside, 1 support" },
    { DECIDE_RULE_MINUS, 0, 0, 3, 3, 0, 0, false, DECIDE_ADOPTED, "minus 0 is consensus" },
    { DECIDE_RULE_MINUS, 0, 0, 3, 2, 0, 1, false, DECIDE_REJECTED, "minus 0: 1 objection" },
    { DECIDE_RULE_MINUS, 0, 3, 3, 0, 0, 3, false, DECIDE_REJECTED,
      "3 object within minus 3, but no support" },
    { DECIDE_RULE_CONSENSUS, 0, 0, 2, 2, 1, 0, false, DECIDE_REJECTED,
      "3 positions from 2 parties is not a tally of one position each" },
};

START_TEST(rules_match_hand_outcomes)
{
    const struct row *r = &rows[_i];
    struct decide_rule rule = { .kind = r->kind, .max_stand_aside = r->max_sa, .minus = r->minus };
    struct decide_tally t = { .parties = r->parties,
                              .support = r->support,
                              .stand_aside = r->stand_aside,
                              .object = r->object };
    enum platform_decide_outcome got = platform_decide_outcome(&rule, &t, r->deadline);
    ck_assert_msg(got == r->want, "row %d (%s): got %s, want %s", _i, r->why,
                  platform_decide_outcome_name(got), platform_decide_outcome_name(r->want));
}
END_TEST

START_TEST(names_round_trip)
{
    struct gsi_err err = GSI_ERR_INIT;
    enum decide_rule_kind k;
    enum decide_position p;
    ck_assert_int_eq(platform_decide_rule_parse(&k, "consensus-stand-aside", &err), 0);
    ck_assert_int_eq(k, DECIDE_RULE_STAND_ASIDE);
    ck_assert_int_eq(platform_decide_rule_parse(&k, "majority", &err), GSI_EDATA);
    ck_assert_int_eq(platform_decide_position_parse(&p, "stand-aside", &err), 0);
    ck_assert_int_eq(p, DECIDE_STAND_ASIDE);
    ck_assert_int_eq(platform_decide_position_parse(&p, "abstain", &err), GSI_EDATA);
    ck_assert_int_eq(platform_decide_position_parse(&p, NULL, &err), GSI_EDATA);
    ck_assert_str_eq(platform_decide_outcome_name(DECIDE_ADOPTED), "adopted");
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("decide");
    TCase *tc = tcase_create("decide");
    tcase_add_loop_test(tc, rules_match_hand_outcomes, 0, (int)(sizeof rows / sizeof rows[0]));
    tcase_add_test(tc, names_round_trip);
    suite_add_tcase(s, tc);
    return s;
}
