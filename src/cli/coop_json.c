/* coop_json.c — offers and requests from JSON files (coop_json.h). */
#include "cli/coop_json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/file.h"

/* A string field, or NULL when absent; *bad when present and not a string. */
static const char *str_field(json_t *obj, const char *name, int *bad)
{
    json_t *v = json_object_get(obj, name);
    if (v == NULL || json_is_null(v)) {
        return NULL;
    }
    if (!json_is_string(v)) {
        *bad = 1;
        return NULL;
    }
    return json_string_value(v);
}

/* A list of strings (or one string, for "region") into out[]; -1 with the field named. */
static int list_field(const char **out, size_t *n, json_t *obj, const char *name,
                      const char **field)
{
    json_t *v = json_object_get(obj, name);
    *n = 0;
    if (v == NULL || json_is_null(v)) {
        return 0;
    }
    if (json_is_string(v)) {
        out[(*n)++] = json_string_value(v);
        return 0;
    }
    if (!json_is_array(v) || json_array_size(v) > COOP_ENTRY_LIST_MAX) {
        *field = name;
        return -1;
    }
    for (size_t i = 0; i < json_array_size(v); i++) {
        json_t *s = json_array_get(v, i);
        if (!json_is_string(s)) {
            *field = name;
            return -1;
        }
        out[(*n)++] = json_string_value(s);
    }
    return 0;
}

static const char *const allowed[] = { "id",        "party",   "domain", "places",
                                       "languages", "regions", "region", "start",
                                       "end",       "title",   "note" };

static const char *unknown_field(json_t *obj)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        size_t i = 0;
        while (i < sizeof allowed / sizeof allowed[0] && strcmp(allowed[i], key) != 0) {
            i++;
        }
        if (i == sizeof allowed / sizeof allowed[0]) {
            return key;
        }
    }
    return NULL;
}

/* Turns one JSON object into an entry; "field: expected …" in err when it cannot. */
static int entry_from_json(struct coop_entry *e, const char **langs, const char **regions,
                           json_t *obj, struct gsi_err *err)
{
    int bad = 0;
    const char *field = NULL;
    if (!json_is_object(obj)) {
        return gsi_err_set(err, GSI_EDATA, "expected an object");
    }
    const char *extra = unknown_field(obj);
    if (extra != NULL) {
        return gsi_err_set(err, GSI_EDATA,
                           "%.64s: unknown field (expected id, party, domain, "
                           "places, languages, regions, start, end, title)",
                           extra);
    }
    memset(e, 0, sizeof *e);
    e->languages = langs;
    e->regions = regions;
    e->id = str_field(obj, "id", &bad);
    e->party = bad ? NULL : str_field(obj, "party", &bad);
    e->domain = bad ? NULL : str_field(obj, "domain", &bad);
    e->start = bad ? NULL : str_field(obj, "start", &bad);
    e->end = bad ? NULL : str_field(obj, "end", &bad);
    if (bad) {
        return gsi_err_set(err, GSI_EDATA, "id, party, domain, start, end: expected strings");
    }
    json_t *p = json_object_get(obj, "places");
    if (!json_is_integer(p)) {
        return gsi_err_set(err, GSI_EDATA, "places: expected a whole number");
    }
    e->places = json_integer_value(p);
    if (list_field(langs, &e->nlanguages, obj, "languages", &field) < 0 ||
        list_field(regions, &e->nregions, obj,
                   json_object_get(obj, "region") != NULL ? "region" : "regions", &field) < 0) {
        return gsi_err_set(err, GSI_EDATA, "%s: expected a list of at most %u strings", field,
                           COOP_ENTRY_LIST_MAX);
    }
    return 0;
}

static json_t *entries_of(json_t *root, enum coop_json_kind kind)
{
    if (json_is_object(root)) {
        return json_object_get(root, kind == COOP_JSON_OFFERS ? "offers" : "requests");
    }
    return root;
}

int coop_json_parse(struct coop_book *b, enum coop_json_kind kind, const char *data, size_t n,
                    const char *file, struct gsi_err *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(data, n, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        return gsi_err_at(err, GSI_EDATA, file, jerr.line, jerr.column, "not valid JSON: %s",
                          jerr.text);
    }
    json_t *list = entries_of(root, kind);
    const char *what = kind == COOP_JSON_OFFERS ? "offers" : "requests";
    if (!json_is_array(list)) {
        json_decref(root);
        return gsi_err_at(err, GSI_EDATA, file, 0, 0,
                          "expected a JSON array of %s (or an object with \"%s\")", what, what);
    }
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < json_array_size(list); i++) {
        const char *langs[COOP_ENTRY_LIST_MAX];
        const char *regions[COOP_ENTRY_LIST_MAX];
        struct coop_entry e;
        struct gsi_err why = GSI_ERR_INIT;
        rc = entry_from_json(&e, langs, regions, json_array_get(list, i), &why);
        if (rc == 0) {
            rc = kind == COOP_JSON_OFFERS ? coop_book_offer_add(b, &e, &why)
                                          : coop_book_request_add(b, &e, &why);
        }
        if (rc < 0) {
            rc = gsi_err_at(err, rc, file, 0, 0, "%s /%zu/%s", what, i, why.msg);
        }
    }
    json_decref(root);
    return rc;
}

int coop_json_read(struct coop_book *b, enum coop_json_kind kind, const char *path,
                   struct gsi_err *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc = gsi_file_read(path, &text, &len, COOP_JSON_FILE_MAX, err);
    if (rc == 0) {
        rc = coop_json_parse(b, kind, text, len, path, err);
    }
    free(text);
    return rc;
}
