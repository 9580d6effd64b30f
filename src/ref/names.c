/* names.c — country lookup by English name or alias (see ref.h).
 *
 * The index is every country's name from countries.csv plus the aliases of
 * data/ref/country_aliases.csv (compiled in as ref_alias_rows), sorted once on first use;
 * lookups are binary searches, O(log n). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ref/ref.h"
#include "ref/ref_aliases.h"

struct name_entry {
    const char *name;
    const struct ref_country *country;
};

static struct name_entry *names;
static size_t nnames;
static pthread_once_t names_once = PTHREAD_ONCE_INIT;

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const struct name_entry *)a)->name, ((const struct name_entry *)b)->name);
}

static void names_build(void)
{
    size_t n = ref_country_count() + ref_alias_count;
    names = malloc(n * sizeof *names);
    if (names == NULL) {
        return;
    }
    for (size_t i = 0; i < ref_country_count(); i++) {
        names[nnames].name = ref_country_at(i)->name;
        names[nnames++].country = ref_country_at(i);
    }
    for (size_t i = 0; i < ref_alias_count; i++) {
        const struct ref_country *c =
            ref_country_by_iso3(ref_alias_rows[i].iso3, strlen(ref_alias_rows[i].iso3));
        if (c != NULL) {
            names[nnames].name = ref_alias_rows[i].alias;
            names[nnames++].country = c;
        }
    }
    qsort(names, nnames, sizeof *names, cmp_entry);
}

const struct ref_country *ref_country_by_name(const char *s, size_t n)
{
    pthread_once(&names_once, names_build);
    size_t lo = 0, hi = nnames;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *name = names[mid].name;
        int c = strncmp(name, s, n);
        if (c == 0 && name[n] != '\0') {
            c = 1; /* name is longer than s */
        }
        if (c == 0) {
            return names[mid].country;
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}
