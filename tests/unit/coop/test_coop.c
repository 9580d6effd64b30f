/* test_coop.c — the cooperation engine on cases worked out by hand (the reasoning beside
 * each); tests/unit/coop/alloc_lp.py checks random cases against an LP solver. */
#include <string.h>

#include "coop/book.h"
#include "coop/coop.h"
#include "harness.h"

#define EN 1u
#define FR 2u

/* An offer of `places` in domain 4, English, open to all, 2027-03-01..10 (days 20878..). */
static struct coop_offer offer(uint32_t places, uint64_t langs)
{
    return (struct coop_offer){.languages = langs, .regions = 0, .domain = 4, .places = places,
                               .start = 20878, .end = 20887};
}

static struct coop_request request(uint32_t party, uint32_t places, uint64_t langs)
{
    return (struct coop_request){.languages = langs, .party = party, .domain = 4,
                                 .places = places, .region = 0, .from = COOP_DAY_MIN,
                                 .to = COOP_DAY_MAX};
}

static void run(struct coop_alloc *a, const struct coop_offer *o, size_t no,
                const struct coop_request *r, size_t nr, size_t np)
{
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(coop_alloc_run(a, o, no, r, nr, np, &err), 0);
}

START_TEST(reasons_each)
{
    struct coop_offer o = offer(5, EN | FR);
    o.regions = 1u << 2;
    struct coop_request r = request(0, 1, FR);
    r.region = 2;
    r.from = 20870;
    r.to = 20890;
    ck_assert_uint_eq(coop_reasons(&o, &r), COOP_REASON_ALL);
    r.region = 1; /* the offer is open to region 2 only */
    ck_assert_uint_eq(coop_reasons(&o, &r), COOP_REASON_ALL & ~COOP_REASON_REGION);
    r.region = 2;
    r.to = 20886; /* the course ends on 20887, after the window */
    ck_assert_uint_eq(coop_reasons(&o, &r), COOP_REASON_ALL & ~COOP_REASON_DATES);
    r.to = 20890;
    r.languages = 4; /* a third language */
    ck_assert_uint_eq(coop_reasons(&o, &r), COOP_REASON_ALL & ~COOP_REASON_LANGUAGE);
    r.domain = 19;
    ck_assert_uint_eq(coop_reasons(&o, &r) & COOP_REASON_DOMAIN, 0);
}
END_TEST

/* One offer of 5, two parties wanting 5 each: shares 3 and 2 (no integral split is fairer);
 * the tie for the odd place goes to party 0, the lower index. */
START_TEST(split_odd_place)
{
    struct coop_offer o[] = {offer(5, EN)};
    struct coop_request r[] = {request(1, 5, EN), request(0, 5, EN)};
    struct coop_alloc a;
    run(&a, o, 1, r, 2, 2);
    ck_assert_uint_eq(a.party_places[0], 3);
    ck_assert_uint_eq(a.party_places[1], 2);
    ck_assert_uint_eq(a.total, 5);
    coop_alloc_release(&a);
}
END_TEST

/* Offer 10; A wants 2, B wants 10: A is capped at 2, B takes the other 8. */
START_TEST(demand_caps)
{
    struct coop_offer o[] = {offer(10, EN)};
    struct coop_request r[] = {request(0, 2, EN), request(1, 10, EN)};
    struct coop_alloc a;
    run(&a, o, 1, r, 2, 2);
    ck_assert_uint_eq(a.party_places[0], 2);
    ck_assert_uint_eq(a.party_places[1], 8);
    coop_alloc_release(&a);
}
END_TEST

/* X (4 places) serves A and B, Y (2) serves B only. A <= 4 and A + B <= 6, so max-min is
 * 3 and 3: B takes Y's 2 and one of X's. */
START_TEST(uses_exclusive_offer)
{
    struct coop_offer o[] = {offer(4, EN), offer(2, FR)};
    struct coop_request r[] = {request(0, 10, EN), request(1, 10, EN | FR)};
    struct coop_alloc a;
    run(&a, o, 2, r, 2, 2);
    ck_assert_uint_eq(a.party_places[0], 3);
    ck_assert_uint_eq(a.party_places[1], 3);
    coop_alloc_release(&a);
}
END_TEST

/* A fits X and Y, B fits X only, one place each. A first takes X (lower index); B's path
 * goes X → A's request → Y, so A ends on Y and B on X: both get a place. */
START_TEST(reroutes)
{
    struct coop_offer o[] = {offer(1, EN | FR), offer(1, FR)};
    struct coop_request r[] = {request(0, 1, EN | FR), request(1, 1, EN)};
    struct coop_alloc a;
    run(&a, o, 2, r, 2, 2);
    ck_assert_uint_eq(a.ngrants, 2);
    ck_assert_uint_eq(a.grants[0].request, 0);
    ck_assert_uint_eq(a.grants[0].offer, 1);
    ck_assert_uint_eq(a.grants[1].request, 1);
    ck_assert_uint_eq(a.grants[1].offer, 0);
    coop_alloc_release(&a);
}
END_TEST

/* X (1) serves A and B, Y (1) serves B and C: two places for three parties, so the sorted
 * vector is (0, 1, 1). A takes X, B takes Y, C finds no path: (1, 1, 0). */
START_TEST(integral_not_fractional)
{
    struct coop_offer o[] = {offer(1, EN), offer(1, FR)};
    struct coop_request r[] = {request(0, 3, EN), request(1, 3, EN | FR), request(2, 3, FR)};
    struct coop_alloc a;
    run(&a, o, 2, r, 3, 3);
    ck_assert_uint_eq(a.party_places[0], 1);
    ck_assert_uint_eq(a.party_places[1], 1);
    ck_assert_uint_eq(a.party_places[2], 0);
    coop_alloc_release(&a);
}
END_TEST

/* A party's places go to its requests in index order: 4 places, requests of 3 and 3. */
START_TEST(requests_in_order)
{
    struct coop_offer o[] = {offer(4, EN)};
    struct coop_request r[] = {request(0, 3, EN), request(0, 3, EN)};
    struct coop_alloc a;
    run(&a, o, 1, r, 2, 1);
    ck_assert_uint_eq(a.request_places[0], 3);
    ck_assert_uint_eq(a.request_places[1], 1);
    ck_assert_uint_eq(a.classes, 1);
    coop_alloc_release(&a);
}
END_TEST

START_TEST(refuses_bad_input)
{
    struct coop_offer o[] = {offer(4, EN)};
    struct coop_request r[] = {request(3, 3, EN)};
    struct coop_alloc a;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(coop_alloc_run(&a, o, 1, r, 1, 2, &err), GSI_EDATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "request 0: party"));
    o[0].end = o[0].start - 1;
    r[0].party = 0;
    ck_assert_int_eq(coop_alloc_run(&a, o, 1, r, 1, 2, &err), GSI_EDATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "offer 0: end"));
    o[0] = offer(COOP_PLACES_MAX + 1, EN);
    ck_assert_int_eq(coop_alloc_run(&a, o, 1, r, 1, 2, &err), GSI_EDATA);
    ck_assert_int_eq(coop_alloc_run(&a, o, 1, r, 1, COOP_PARTIES_MAX + 1, &err), GSI_ELIMIT);
    coop_alloc_release(&a);
}
END_TEST

/* Matches: more reasons first, then more places. */
START_TEST(match_ranks)
{
    struct coop_offer o[] = {offer(2, FR), offer(9, EN), offer(5, EN), offer(7, EN)};
    o[3].domain = 12;
    struct coop_request r[] = {request(0, 1, EN)};
    struct coop_match *m = NULL;
    size_t n = 0;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(coop_match_run(&m, &n, o, 4, r, 1, 0, 0, &err), 0);
    ck_assert_uint_eq(n, 3); /* offer 3 is another domain */
    ck_assert_uint_eq(m[0].offer, 1);
    ck_assert_uint_eq(m[1].offer, 2);
    ck_assert_uint_eq(m[2].offer, 0);
    ck_assert_uint_eq(m[2].reasons, COOP_REASON_ALL & ~COOP_REASON_LANGUAGE);
    free(m);
    ck_assert_int_eq(coop_match_run(&m, &n, o, 4, r, 1, 1, 1, &err), 0);
    ck_assert_uint_eq(n, 1);
    free(m);
}
END_TEST

/* The book: parties numbered in id order; a request's region defaults to its party's. */
START_TEST(book_rules)
{
    struct coop_book b;
    struct gsi_err err = GSI_ERR_INIT;
    const char *en[] = {"en"};
    const char *africa[] = {"Africa"};
    coop_book_init(&b);
    struct coop_entry e = {.id = "o1", .party = "CHN", .domain = "wmd-arms-control",
                           .places = 5, .languages = en, .nlanguages = 1, .regions = africa,
                           .nregions = 1, .start = "2027-03-01", .end = "2027-03-10"};
    ck_assert_int_eq(coop_book_offer_add(&b, &e, &err), 0);
    ck_assert_int_eq(b.offers[0].start, 20878); /* date -d 2027-03-01 +%s / 86400 */
    struct coop_entry q = {.id = "r1", .party = "KEN", .domain = "wmd-arms-control",
                           .places = 2, .languages = en, .nlanguages = 1};
    ck_assert_int_eq(coop_book_request_add(&b, &q, &err), 0);
    q.id = "r2";
    q.party = "BRA";
    ck_assert_int_eq(coop_book_request_add(&b, &q, &err), 0);
    q.party = "X-THINK";
    ck_assert_int_eq(coop_book_request_add(&b, &q, &err), GSI_EDATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "region:"));
    q.party = "KEN";
    q.domain = "demining";
    ck_assert_int_eq(coop_book_request_add(&b, &q, &err), GSI_EDATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "domain:"));
    ck_assert_int_eq(coop_book_finish(&b, &err), 0);
    ck_assert_uint_eq(b.nparties, 2);
    ck_assert_str_eq(b.parties[0], "BRA");
    ck_assert_uint_eq(b.reqs[0].party, 1);
    ck_assert_uint_eq(coop_reasons(&b.offers[0], &b.reqs[0]), COOP_REASON_ALL); /* Kenya */
    ck_assert_uint_eq(coop_reasons(&b.offers[0], &b.reqs[1]),                    /* Brazil */
                      COOP_REASON_ALL & ~COOP_REASON_REGION);
    coop_book_release(&b);
}
END_TEST

Suite *make_suite(void)
{
    const TTest *tests[] = { reasons_each,      split_odd_place,
                             demand_caps,       uses_exclusive_offer,
                             reroutes,          integral_not_fractional,
                             requests_in_order, refuses_bad_input,
                             match_ranks,       book_rules };
    return test_suite("coop", 0, tests, sizeof tests / sizeof tests[0]);
}
