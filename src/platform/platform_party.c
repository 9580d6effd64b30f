/* platform_party.c — the parties: seeding them at init (states and observers from the
 * reference tables, the UN organs and organisations from data/parties/), listing, members,
 * and adding non-state participants. Each party is journalled ("party.add") with the SHA-256
 * of its canonical bytes, which include its member list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/text.h"
#include "platform/internal.h"
#include "ref/ref.h"

#define MEMBERS_TEXT_MAX 8192

void platform_party_from_row(struct platform_party *out, const struct store_rows *r, size_t row)
{
    memset(out, 0, sizeof *out);
    snprintf(out->id, sizeof out->id, "%s", store_rows_text(r, row, 0));
    snprintf(out->kind, sizeof out->kind, "%s", store_rows_text(r, row, 1));
    snprintf(out->name, sizeof out->name, "%s", store_rows_text(r, row, 2));
    snprintf(out->region, sizeof out->region, "%s", store_rows_text(r, row, 3));
}

/* Inserts one party with its members and journals it. `members` is the comma-joined, sorted
 * member list (already validated). */
static int insert_party(struct pw_batch *b, const char *id, const char *kind, const char *name,
                        const char *region, const char *members, const char *actor_party,
                        int64_t actor, struct gsi_err *err)
{
    char created[PLATFORM_TIME_MAX];
    platform_time_format(created, b->now_us);
    uint64_t index = b->range->size;
    struct store_val v[] = { STORE_TEXT(id),     STORE_TEXT(kind),    STORE_TEXT(name),
                             STORE_TEXT(region), STORE_TEXT(created), STORE_INT(index) };
    int rc = store_exec(b->s,
                        "INSERT INTO parties (id, kind, name, region, created, journal_index)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        v, 6, err);
    for (const char *m = members; rc == 0 && *m;) {
        const char *comma = strchr(m, ',');
        size_t n = comma ? (size_t)(comma - m) : strlen(m);
        struct store_val mv[] = { STORE_TEXT(id), STORE_TEXTN(m, n) };
        rc = store_exec(b->s, "INSERT INTO party_members (org, member) VALUES (?, ?)", mv, 2, err);
        m += n + (comma ? 1 : 0);
    }
    if (rc < 0) {
        return rc;
    }
    struct gsi_buf canon;
    gsi_buf_init(&canon, (size_t)MEMBERS_TEXT_MAX * 2);
    rc = platform_canon_party(&canon, id, kind, name, region, created, members, err);
    if (rc == 0) {
        struct platform_entry e;
        memset(&e, 0, sizeof e);
        snprintf(e.subject, sizeof e.subject, "party/%s", id);
        rc = platform_journal_append_act(b, &e, &canon, "party.add", actor_party, actor, err);
    }
    gsi_buf_release(&canon);
    return rc;
}

static int party_exists(struct store *s, const char *id, bool *yes, struct gsi_err *err)
{
    struct store_val v[] = { STORE_TEXT(id) };
    int64_t n = 0;
    int rc = store_query_int(s, &n, 0, "SELECT COUNT(*) FROM parties WHERE id = ?", v, 1, err);
    *yes = n > 0;
    return rc;
}

/* The UN's member and observer states (data/ref/countries.csv) not yet parties. */
static int seed_states(struct pw_batch *b, struct gsi_err *err)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < ref_country_count(); i++) {
        const struct ref_country *c = ref_country_at(i);
        if (!c->un_member && !c->un_observer) {
            continue;
        }
        bool have = false;
        rc = party_exists(b->s, c->iso3, &have, err);
        if (rc == 0 && !have) {
            rc = insert_party(b, c->iso3, c->un_member ? "state" : "observer", c->name, c->region,
                              "", "", 0, err);
        }
    }
    return rc;
}

/* The members of organisation `id` by its `rule`, ','-joined into `members` (emptied first):
 * every UN member state for "un_members", its rows of members.csv for "listed", none
 * otherwise. */
static int org_members(struct gsi_buf *members, const char *id, const char *rule,
                       struct gsi_err *err)
{
    int rc = 0;
    gsi_buf_reset(members);
    if (strcmp(rule, "un_members") == 0) {
        for (size_t i = 0; rc == 0 && i < ref_country_count(); i++) {
            const struct ref_country *c = ref_country_at(i);
            if (c->un_member) {
                rc = gsi_buf_appendf(members, "%s%s", members->len ? "," : "", c->iso3);
            }
        }
    } else if (strcmp(rule, "listed") == 0) {
        struct gsi_csv mc;
        rc = gsi_csv_open_mem(&mc, platform_members_csv, platform_members_csv_len, ',', true, err);
        /* members.csv is sorted by org then member (gen_parties.py checks the columns,
         * the list is kept sorted in the file), so the joined list is in id order. */
        int m;
        while (rc == 0 && (m = gsi_csv_next(&mc, err)) != 0) {
            if (m < 0) {
                rc = m;
                break;
            }
            if (mc.nfields == 2 && gsi_slice_eq(mc.field[0], mc.flen[0], id)) {
                rc = gsi_buf_appendf(members, "%s%.*s", members->len ? "," : "", (int)mc.flen[1],
                                     mc.field[1]);
            }
        }
        gsi_csv_close(&mc);
    }
    return rc;
}

/* The organisations of data/parties/organisations.csv not yet parties, with their members. */
static int seed_organisations(struct pw_batch *b, struct gsi_err *err)
{
    struct gsi_csv orgs;
    int rc = gsi_csv_open_mem(&orgs, platform_organisations_csv, platform_organisations_csv_len,
                              ',', true, err);
    if (rc < 0) {
        return rc;
    }
    struct gsi_buf members;
    gsi_buf_init(&members, MEMBERS_TEXT_MAX);
    bool header = true;
    int next;
    while (rc == 0 && (next = gsi_csv_next(&orgs, err)) != 0) {
        if (next < 0) {
            rc = next;
            break;
        }
        if (header) {
            header = false;
            continue;
        }
        if (orgs.nfields != 4) {
            rc = gsi_err_at(err, GSI_EDATA, "data/parties/organisations.csv", orgs.record_line, 0,
                            "expected 4 fields");
            break;
        }
        char id[PLATFORM_ID_MAX], kind[16], name[PLATFORM_NAME_MAX], rule[16];
        gsi_slice_copy(id, sizeof id, orgs.field[0], orgs.flen[0]);
        gsi_slice_copy(kind, sizeof kind, orgs.field[1], orgs.flen[1]);
        gsi_slice_copy(name, sizeof name, orgs.field[2], orgs.flen[2]);
        gsi_slice_copy(rule, sizeof rule, orgs.field[3], orgs.flen[3]);
        bool have = false;
        rc = party_exists(b->s, id, &have, err);
        if (rc < 0 || have) {
            continue;
        }
        rc = org_members(&members, id, rule, err);
        if (rc == 0) {
            rc = insert_party(b, id, kind, name, "", members.data ? members.data : "", "", 0, err);
        }
    }
    gsi_buf_release(&members);
    gsi_csv_close(&orgs);
    return rc;
}

static int seed_apply(struct platform *p, struct pw_batch *b, void *ctx, struct gsi_err *err)
{
    (void)p;
    (void)ctx;
    /* States first: the organisations' member rows refer to them. */
    int rc = seed_states(b, err);
    return rc < 0 ? rc : seed_organisations(b, err);
}

int platform_parties_seed(struct platform *p, struct gsi_err *err)
{
    return platform_write(p, seed_apply, NULL, NULL, err);
}

int platform_party_get(struct platform *p, struct platform_party *out, const char *id,
                       struct gsi_err *err)
{
    memset(out, 0, sizeof *out);
    if (id == NULL || strlen(id) >= PLATFORM_ID_MAX) {
        return gsi_err_set(err, GSI_ENOTFOUND, "no party '%.20s'", id ? id : "");
    }
    struct store_val v[] = { STORE_TEXT(id) };
    struct store_rows *r;
    int rc =
        platform_query(p, &r, "SELECT id, kind, name, region FROM parties WHERE id = ?", v, 1, err);
    if (rc < 0) {
        return rc;
    }
    if (store_rows_count(r) == 0) {
        rc = gsi_err_set(err, GSI_ENOTFOUND, "no party '%s'", id);
    } else {
        platform_party_from_row(out, r, 0);
    }
    store_rows_free(r);
    return rc;
}

static int party_fill(void *elem, const struct store_rows *r, size_t row, struct gsi_err *err)
{
    (void)err;
    platform_party_from_row(elem, r, row);
    return 0;
}

int platform_party_list(struct platform *p, struct platform_party **out, size_t *n,
                        const char *kind, struct gsi_err *err)
{
    *out = NULL;
    *n = 0;
    struct store_rows *r;
    int rc;
    /* An unknown kind is the caller's mistake, not an empty answer. */
    static const char *const kinds[] = { "state", "observer", "un", "organisation", "nonstate" };
    bool known = kind == NULL;
    for (size_t i = 0; !known && i < sizeof kinds / sizeof kinds[0]; i++) {
        known = strcmp(kind, kinds[i]) == 0;
    }
    if (!known) {
        return gsi_err_set(err, GSI_EUSAGE,
                           "kind must be one of state, observer, un, organisation, nonstate; "
                           "not '%.32s'",
                           kind);
    }
    if (kind != NULL) {
        struct store_val v[] = { STORE_TEXT(kind) };
        rc = platform_query(p, &r,
                            "SELECT id, kind, name, region FROM parties WHERE kind = ? ORDER BY id",
                            v, 1, err);
    } else {
        rc = platform_query(p, &r, "SELECT id, kind, name, region FROM parties ORDER BY id", NULL,
                            0, err);
    }
    if (rc < 0) {
        return rc;
    }
    void *list;
    rc = platform_rows_collect(r, sizeof **out, party_fill, NULL, &list, n, err);
    *out = list;
    return rc;
}

int platform_party_members(struct platform *p, char (**out)[PLATFORM_ID_MAX], size_t *n,
                           const char *org, struct gsi_err *err)
{
    *out = NULL;
    *n = 0;
    struct platform_party party;
    int rc = platform_party_get(p, &party, org, err);
    if (rc < 0) {
        return rc;
    }
    struct store_val v[] = { STORE_TEXT(org) };
    struct store_rows *r;
    rc = platform_query(p, &r, "SELECT member FROM party_members WHERE org = ? ORDER BY member", v,
                        1, err);
    if (rc < 0) {
        return rc;
    }
    void *list;
    rc = platform_rows_collect(r, sizeof **out, platform_row_fill_id, NULL, &list, n, err);
    *out = list;
    return rc;
}

struct add_ctx {
    const char *id;
    const char *name;
    const struct platform_delegate *actor;
};

static int add_apply(struct platform *p, struct pw_batch *b, void *ctx, struct gsi_err *err)
{
    (void)p;
    struct add_ctx *c = ctx;
    bool have = false;
    int rc = party_exists(b->s, c->id, &have, err);
    if (rc == 0 && have) {
        rc = gsi_err_set(err, GSI_ECONFLICT, "party '%s' already exists", c->id);
    }
    if (rc == 0) {
        rc = insert_party(b, c->id, "nonstate", c->name, "", "", c->actor ? c->actor->party : "",
                          c->actor ? c->actor->id : 0, err);
    }
    return rc;
}

int platform_party_add(struct platform *p, struct platform_party *out,
                       const struct platform_delegate *actor, const char *id, const char *name,
                       struct gsi_err *err)
{
    if (actor != NULL && (actor->role != PLATFORM_ROLE_SECRETARIAT || actor->revoked)) {
        return gsi_err_set(err, GSI_EFORBIDDEN,
                           "only a secretariat delegate may add a non-state participant");
    }
    size_t n = id ? strlen(id) : 0;
    if (n < 3 || n > 14 || strncmp(id, "X-", 2) != 0 || platform_check_party_id(id, err) < 0) {
        return gsi_err_set(err, GSI_EUSAGE,
                           "a non-state participant's id is 'X-' and 1 to 12 of A-Z, 0-9, '-'");
    }
    int rc = platform_check_name("party name", name, err);
    if (rc < 0) {
        return rc;
    }
    struct add_ctx c = { .id = id, .name = name, .actor = actor };
    rc = platform_write(p, add_apply, &c, NULL, err);
    if (rc == 0 && out != NULL) {
        rc = platform_party_get(p, out, id, err);
    }
    return rc;
}
