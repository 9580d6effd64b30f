/* ref_aliases.h — the alias rows of data/ref/country_aliases.csv (internal to src/ref). */
#ifndef GSI_REF_ALIASES_H
#define GSI_REF_ALIASES_H

#include <stddef.h>

struct ref_alias_row {
    const char *alias;
    const char *iso3;
};

extern const struct ref_alias_row ref_alias_rows[];
extern const size_t ref_alias_count;

#endif
