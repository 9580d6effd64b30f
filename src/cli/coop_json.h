/*
 * coop_json.h — reads offers or requests of cooperation from a JSON file into a coop_book.
 *
 * The file holds a JSON array of objects (or an object with an "offers" or "requests" array):
 *
 *     [{"id": "CHN-DEMINING-1", "party": "CHN", "domain": "wmd-arms-control", "places": 20,
 *       "languages": ["en", "fr"], "regions": ["Africa"],
 *       "start": "2027-03-01", "end": "2027-03-14", "title": "Humanitarian demining"}]
 *
 * Fields are those of struct coop_entry (coop/book.h); a request may give "region" (one
 * name) instead of "regions", and "start"/"end" are its window (optional). "title" and
 * "note" are kept by nobody and allowed; any other field is refused, so a misspelt one is
 * not silently ignored. Errors name the file, the entry and the field as a JSON pointer:
 * "requests.json: /3/languages/0: expected an ISO 639 code …".
 */
#ifndef GSI_CLI_COOP_JSON_H
#define GSI_CLI_COOP_JSON_H

#include <stddef.h>

#include "coop/book.h"

#define COOP_JSON_FILE_MAX (256u << 20) /* bytes of one file */

enum coop_json_kind { COOP_JSON_OFFERS, COOP_JSON_REQUESTS };

/* Parses `n` bytes of JSON and adds every entry to the book. `file` names the input in
 * errors. GSI_EDATA (bad JSON or entry), GSI_ELIMIT, GSI_ENOMEM. */
int coop_json_parse(struct coop_book *b, enum coop_json_kind kind, const char *data, size_t n,
                    const char *file, struct gsi_err *err);

/* Reads the file (at most COOP_JSON_FILE_MAX bytes) and parses it. GSI_EIO when unreadable. */
int coop_json_read(struct coop_book *b, enum coop_json_kind kind, const char *path,
                   struct gsi_err *err);

#endif
