/*
 * book.h — offers and requests as people write them (ids, party codes, domain keys, language
 * codes, region names, ISO dates), checked and turned into the engine's indices (coop.h).
 *
 * The CLI's file reader and the platform's cooperation procedure both fill a book the same
 * way, so the rules for a valid offer or request live here once:
 *
 *     struct coop_book b;
 *     coop_book_init(&b);
 *     if (coop_book_offer_add(&b, &entry, &err) < 0) ...   // GSI_EDATA "field: expected …"
 *     if (coop_book_finish(&b, &err) < 0) ...
 *     coop_alloc_run(&a, b.offers, b.noffers, b.reqs, b.nreqs, b.nparties, &err);
 *     printf("%s gets %u\n", b.parties[p], a.party_places[p]);
 *     coop_book_release(&b);
 *
 * Parties are numbered in ascending id order by coop_book_finish, so the allocation's ties go
 * to the party whose id sorts first, whatever the order of the input.
 */
#ifndef GSI_COOP_BOOK_H
#define GSI_COOP_BOOK_H

#include <stddef.h>

#include "coop/coop.h"

#define COOP_ID_MAX        64u /* bytes of an offer's or request's id */
#define COOP_PARTY_ID_MAX  32u
#define COOP_ENTRY_LIST_MAX 16u /* languages or regions on one entry */

/* One offer or request as text. NULL or empty optional fields are absent. */
struct coop_entry {
    const char *id;                 /* [A-Za-z0-9._:-], 1..COOP_ID_MAX bytes */
    const char *party;              /* [A-Z0-9-], 1..COOP_PARTY_ID_MAX bytes */
    const char *domain;             /* a ref domain key, "wmd-arms-control" */
    long long places;               /* 1..COOP_PLACES_MAX (an offer may also have 0 left) */
    const char *const *languages;   /* ISO 639 codes: 2 or 3 lower-case letters */
    size_t nlanguages;              /* 1..COOP_ENTRY_LIST_MAX */
    const char *const *regions;     /* offer: regions it is open to (none: all); request: its
                                       region (none: the party's UN region from ref) */
    size_t nregions;
    const char *start;              /* offer: first day (required); request: window's first */
    const char *end;                /* offer: last day (required); request: window's last */
};

struct coop_book {
    struct coop_offer *offers;
    char **offer_ids, **offer_parties;
    size_t noffers, offers_cap;
    struct coop_request *reqs;
    char **req_ids, **req_parties;
    size_t nreqs, reqs_cap;
    char **parties; /* after coop_book_finish: the requesting parties, ascending */
    size_t nparties;
    char *languages[COOP_LANGUAGES_MAX];
    size_t nlanguages;
    char *regions[COOP_REGIONS_MAX];
    size_t nregions;
};

void coop_book_init(struct coop_book *b);
void coop_book_release(struct coop_book *b);

/* Checks and adds one entry. GSI_EDATA with "field: expected …" (the caller adds where the
 * entry is), GSI_ELIMIT past the caps, GSI_ENOMEM. A refused entry leaves the book as it was. */
int coop_book_offer_add(struct coop_book *b, const struct coop_entry *e, struct gsi_err *err);
int coop_book_request_add(struct coop_book *b, const struct coop_entry *e, struct gsi_err *err);

/* Numbers the requesting parties in id order and sets each request's party index. Call once,
 * after the last add. */
int coop_book_finish(struct coop_book *b, struct gsi_err *err);

/* Writes the names of the COOP_REASON_* bits in `why`, comma-separated, into buf. */
void coop_reasons_format(char *buf, size_t cap, unsigned why);

#endif
