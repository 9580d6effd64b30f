/* decide.c — decision rules (decide.h). */
#include "platform/decide.h"

#include <string.h>

enum platform_decide_outcome platform_decide_outcome(const struct decide_rule *r,
                                                     const struct decide_tally *t,
                                                     bool deadline_passed)
{
    unsigned spoken = t->support + t->stand_aside + t->object;
    if (spoken > t->parties || t->support > t->parties || t->object > t->parties ||
        t->stand_aside > t->parties) {
        return DECIDE_REJECTED;
    }
    if (spoken < t->parties && !deadline_passed) {
        return DECIDE_PENDING;
    }
    unsigned stand_aside = t->stand_aside + (t->parties - spoken); /* the silent */
    if (t->support == 0) {
        return DECIDE_REJECTED;
    }
    switch (r->kind) {
    case DECIDE_RULE_CONSENSUS:
        return t->object == 0 ? DECIDE_ADOPTED : DECIDE_REJECTED;
    case DECIDE_RULE_STAND_ASIDE:
        return t->object == 0 && stand_aside <= r->max_stand_aside ? DECIDE_ADOPTED
                                                                   : DECIDE_REJECTED;
    case DECIDE_RULE_MINUS:
        return t->object <= r->minus ? DECIDE_ADOPTED : DECIDE_REJECTED;
    }
    return DECIDE_REJECTED;
}

static const char *const rule_names[] = { "consensus", "consensus-stand-aside", "consensus-minus" };
static const char *const position_names[] = { "support", "stand-aside", "object" };
static const char *const outcome_names[] = { "pending", "adopted", "rejected" };

const char *platform_decide_rule_name(enum decide_rule_kind k)
{
    return (unsigned)k < 3 ? rule_names[k] : "?";
}

const char *platform_decide_position_name(enum decide_position p)
{
    return (unsigned)p < 3 ? position_names[p] : "?";
}

const char *platform_decide_outcome_name(enum platform_decide_outcome o)
{
    return (unsigned)o < 3 ? outcome_names[o] : "?";
}

static int name_find(int *out, const char *const *names, const char *s)
{
    for (int i = 0; i < 3; i++) {
        if (s != NULL && strcmp(s, names[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    return GSI_EDATA;
}

int platform_decide_rule_parse(enum decide_rule_kind *out, const char *s, struct gsi_err *err)
{
    int v = 0;
    if (name_find(&v, rule_names, s) < 0) {
        return gsi_err_set(err, GSI_EDATA,
                           "expected \"consensus\", \"consensus-stand-aside\" or "
                           "\"consensus-minus\"");
    }
    *out = (enum decide_rule_kind)v;
    return 0;
}

int platform_decide_position_parse(enum decide_position *out, const char *s, struct gsi_err *err)
{
    int v = 0;
    if (name_find(&v, position_names, s) < 0) {
        return gsi_err_set(err, GSI_EDATA, "expected \"support\", \"stand-aside\" or \"object\"");
    }
    *out = (enum decide_position)v;
    return 0;
}
