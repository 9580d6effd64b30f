/* Fuzz target for the cooperation file reader (src/cli/coop_json.c) and the book's checks:
 * any bytes, read as offers and then as requests, then matched and allocated. A parse either
 * fails with a message or yields entries the allocation accepts, whose grants respect every
 * offer's and request's places. */
#include <stdint.h>
#include <stdlib.h>

#include "cli/coop_json.h"
#include "coop/coop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct coop_book *b)
{
    struct coop_alloc a;
    struct gsi_err err = GSI_ERR_INIT;
    if (coop_alloc_run(&a, b->offers, b->noffers, b->reqs, b->nreqs, b->nparties, &err) < 0) {
        if (err.code != GSI_ENOMEM) {
            __builtin_trap(); /* the book let through what the engine refuses */
        }
        return;
    }
    for (size_t g = 0; g < a.ngrants; g++) {
        const struct coop_grant *x = &a.grants[g];
        if (x->places == 0 || coop_reasons(&b->offers[x->offer], &b->reqs[x->request]) !=
                                  COOP_REASON_ALL) {
            __builtin_trap();
        }
    }
    for (size_t r = 0; r < b->nreqs; r++) {
        if (a.request_places[r] > b->reqs[r].places) {
            __builtin_trap();
        }
    }
    coop_alloc_release(&a);
    struct coop_match *m = NULL;
    size_t n = 0;
    if (coop_match_run(&m, &n, b->offers, b->noffers, b->reqs, b->nreqs, 3, 0, &err) == 0) {
        free(m);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct coop_book b;
    struct gsi_err err = GSI_ERR_INIT;
    coop_book_init(&b);
    int rc = coop_json_parse(&b, COOP_JSON_OFFERS, (const char *)data, size, "fuzz", &err);
    rc |= coop_json_parse(&b, COOP_JSON_REQUESTS, (const char *)data, size, "fuzz", &err);
    if (coop_book_finish(&b, &err) == 0 && rc == 0) {
        check(&b);
    }
    coop_book_release(&b);
    return 0;
}
