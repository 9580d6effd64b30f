/* coop.c — assistance and training (priorities III.4, III.19; mechanism IV.5): offers and
 * requests as two procedures, and the fair allocation of places among the requests
 * (docs/internals/cooperation.md).
 *
 * An offer or a request is a case: `cooperation.offer` / `cooperation.request` open it, its
 * owner may `amend` it (the whole payload again, checked against the opening act's schema) or
 * `withdraw` it. States: open → withdrawn. Neither addresses anyone: an offer is open to every
 * party that fits it. Beyond the table's checks, `prepare` applies the engine's own rules (ISO
 * 639 language codes, UN regions, dates in order) through a scratch coop_book, so the API and
 * `gsi cooperation` refuse the same things with the same words. */
#include <stdio.h>
#include <string.h>

#include "coop/book.h"
#include "platform/internal.h"
#include "platform/platform_coop.h"

enum { C_OPEN, C_WITHDRAWN };
static const char *const case_states[] = { "open", "withdrawn" };

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct platform_proc_field offer_fields[] = {
    { "domain", PLATFORM_PROC_DOMAIN, PLATFORM_PROC_REQUIRED | PLATFORM_PROC_DOMAINKEY, 0, 0, NULL,
      "one of the 20 priority domains" },
    { "title", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED | PLATFORM_PROC_TITLE, 0, 200, NULL,
      "one line: the course or the assistance" },
    { "places", PLATFORM_PROC_INT, PLATFORM_PROC_REQUIRED, 1, COOP_PLACES_MAX, NULL,
      "places offered" },
    { "languages", PLATFORM_PROC_STRINGS, PLATFORM_PROC_REQUIRED, 0, COOP_ENTRY_LIST_MAX, NULL,
      "languages it is given in: ISO 639 codes such as en, fr, zh" },
    { "regions", PLATFORM_PROC_STRINGS, 0, 0, COOP_ENTRY_LIST_MAX, NULL,
      "UN regions it is open to (Africa, Americas, Asia, Europe, Oceania); absent: all" },
    { "start", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, 10, NULL, "first day, YYYY-MM-DD" },
    { "end", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED, 0, 10, NULL, "last day, YYYY-MM-DD" },
    { "text", PLATFORM_PROC_STRING, 0, 0, 20000, NULL, "a description, up to 20,000 bytes" },
};

static const struct platform_proc_field request_fields[] = {
    { "domain", PLATFORM_PROC_DOMAIN, PLATFORM_PROC_REQUIRED | PLATFORM_PROC_DOMAINKEY, 0, 0, NULL,
      "one of the 20 priority domains" },
    { "title", PLATFORM_PROC_STRING, PLATFORM_PROC_REQUIRED | PLATFORM_PROC_TITLE, 0, 200, NULL,
      "one line: what is needed" },
    { "places", PLATFORM_PROC_INT, PLATFORM_PROC_REQUIRED, 1, COOP_PLACES_MAX, NULL,
      "places wanted" },
    { "languages", PLATFORM_PROC_STRINGS, PLATFORM_PROC_REQUIRED, 0, COOP_ENTRY_LIST_MAX, NULL,
      "languages the participants follow: ISO 639 codes" },
    { "region", PLATFORM_PROC_STRING, 0, 0, 16, NULL,
      "the UN region the places are for; absent: the requesting party's" },
    { "start", PLATFORM_PROC_STRING, 0, 0, 10, NULL,
      "first day participants can attend, YYYY-MM-DD; absent: any" },
    { "end", PLATFORM_PROC_STRING, 0, 0, 10, NULL, "last day, YYYY-MM-DD; absent: any" },
    { "text", PLATFORM_PROC_STRING, 0, 0, 20000, NULL, "a description, up to 20,000 bytes" },
};

static const struct platform_proc_field withdraw_fields[] = {
    { "reason", PLATFORM_PROC_STRING, 0, 0, 2000, NULL, "why, optionally" },
};

static const struct platform_proc_act offer_acts[] = {
    { "cooperation.offer", "offer", "offer places of training or assistance", offer_fields,
      N(offer_fields), PLATFORM_PROC_OPENS, PLATFORM_PROC_ANY, PLATFORM_PROC_ROLES_ACTING, 0, 0,
      C_OPEN, -1, NULL },
    { "cooperation.offer.amend", "amend", "the offering party replaces its offer's terms",
      offer_fields, N(offer_fields), PLATFORM_PROC_AMENDS, PLATFORM_PROC_OWNER,
      PLATFORM_PROC_ROLES_ACTING, PLATFORM_PROC_S(C_OPEN), 0, -1, -1, NULL },
    { "cooperation.offer.withdraw", "withdraw", "the offering party withdraws its offer",
      withdraw_fields, N(withdraw_fields), 0, PLATFORM_PROC_OWNER, PLATFORM_PROC_ROLES_ACTING,
      PLATFORM_PROC_S(C_OPEN), 0, C_WITHDRAWN, -1, NULL },
};

static const struct platform_proc_act request_acts[] = {
    { "cooperation.request", "request", "request places of training or assistance", request_fields,
      N(request_fields), PLATFORM_PROC_OPENS, PLATFORM_PROC_ANY, PLATFORM_PROC_ROLES_ACTING, 0, 0,
      C_OPEN, -1, NULL },
    { "cooperation.request.amend", "amend", "the requesting party replaces its request's terms",
      request_fields, N(request_fields), PLATFORM_PROC_AMENDS, PLATFORM_PROC_OWNER,
      PLATFORM_PROC_ROLES_ACTING, PLATFORM_PROC_S(C_OPEN), 0, -1, -1, NULL },
    { "cooperation.request.withdraw", "withdraw", "the requesting party withdraws its request",
      withdraw_fields, N(withdraw_fields), 0, PLATFORM_PROC_OWNER, PLATFORM_PROC_ROLES_ACTING,
      PLATFORM_PROC_S(C_OPEN), 0, C_WITHDRAWN, -1, NULL },
};

/* Reads an array of strings of `obj` into v[] (at most cap); returns how many. */
static size_t json_strings(const char **v, size_t cap, const json_t *obj, const char *key)
{
    const json_t *a = json_object_get(obj, key);
    size_t n = 0;
    if (json_is_string(a)) {
        v[n++] = json_string_value(a);
    }
    for (size_t i = 0; json_is_array(a) && i < json_array_size(a) && n < cap; i++) {
        v[n++] = json_string_value(json_array_get(a, i));
    }
    return n;
}

int platform_coop_entry(struct coop_entry *e, const char **langs, const char **regions,
                        const void *data_json, const char *id, const char *party, bool offer)
{
    const json_t *data = data_json;
    memset(e, 0, sizeof *e);
    e->id = id;
    e->party = party;
    e->domain = json_string_value(json_object_get(data, "domain"));
    e->places = platform__proc_json_int(data, "places", 0);
    e->languages = langs;
    e->nlanguages = json_strings(langs, COOP_ENTRY_LIST_MAX, data, "languages");
    e->regions = regions;
    e->nregions = json_strings(regions, COOP_ENTRY_LIST_MAX, data, offer ? "regions" : "region");
    e->start = json_string_value(json_object_get(data, "start"));
    e->end = json_string_value(json_object_get(data, "end"));
    return 0;
}

/* The engine's rules for an offer's or a request's terms, on the payload the schema passed:
 * a refusal names the field as a JSON pointer ("/languages/0: expected an ISO 639 code …"). */
static int coop_prepare(struct platform_proc_step *st, struct gsi_err *err)
{
    if (strstr(st->act->type, ".withdraw") != NULL) {
        return 0;
    }
    bool offer = strncmp(st->act->type, "cooperation.offer", 17) == 0;
    const char *langs[COOP_ENTRY_LIST_MAX];
    const char *regions[COOP_ENTRY_LIST_MAX];
    struct coop_entry e;
    platform_coop_entry(&e, langs, regions, st->payload, "check", st->party, offer);
    struct coop_book b;
    struct gsi_err why = GSI_ERR_INIT;
    coop_book_init(&b);
    int rc = offer ? coop_book_offer_add(&b, &e, &why) : coop_book_request_add(&b, &e, &why);
    coop_book_release(&b);
    if (rc < 0) {
        return gsi_err_set(err, GSI_EDATA, "/%s", why.msg);
    }
    return 0;
}

const struct platform_proc platform_proc_coop_offer = {
    .name = "cooperation.offer",
    .path = "cooperation/offers",
    .doc = "offers of training and assistance, with places, languages, regions and dates",
    .states = case_states,
    .nstates = N(case_states),
    .party_states = NULL,
    .nparty_states = 0,
    .acts = offer_acts,
    .nacts = N(offer_acts),
    .rules = NULL,
    .prepare = coop_prepare,
};

const struct platform_proc platform_proc_coop_request = {
    .name = "cooperation.request",
    .path = "cooperation/requests",
    .doc = "requests for training and assistance, with places, languages, region and dates",
    .states = case_states,
    .nstates = N(case_states),
    .party_states = NULL,
    .nparty_states = 0,
    .acts = request_acts,
    .nacts = N(request_acts),
    .rules = NULL,
    .prepare = coop_prepare,
};
