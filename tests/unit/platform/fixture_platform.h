/*
 * fixture_platform.h — a platform on a fresh SQLite database in a folder of its own, for the
 * platform's unit tests. Header only, like harness.h.
 *
 *     static struct fixture_platform fx;
 *     static struct platform *p;
 *
 *     setup:     p = fixture_platform_open(&fx, "proc-unit", &o);    (o: NULL for defaults)
 *     teardown:  fixture_platform_remove(&fx, p); p = NULL;
 *
 * fx.dir is the folder (/tmp/gsi-NAME.XXXXXX, made by mkdtemp), fx.db the database in it
 * (t.db); the log's key and checkpoint files lie beside the database, so removing the folder
 * removes everything the platform wrote. Every step asserts (ck_assert), so a failure fails the
 * test that asked, with the error's message; nothing is returned on failure.
 */
#ifndef GSI_TESTS_FIXTURE_PLATFORM_H
#define GSI_TESTS_FIXTURE_PLATFORM_H

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "platform/platform.h"
#include "store/store.h"

struct fixture_platform {
    char dir[64];
    char db[128];
};

/* Makes the folder /tmp/gsi-NAME.XXXXXX and names fx->db inside it (no database yet). */
static inline void fixture_platform_mkdir(struct fixture_platform *fx, const char *name)
{
    int n = snprintf(fx->dir, sizeof fx->dir, "/tmp/gsi-%s.XXXXXX", name);
    ck_assert_msg(n > 0 && (size_t)n < sizeof fx->dir, "folder name too long: %s", name);
    ck_assert_ptr_nonnull(mkdtemp(fx->dir));
    snprintf(fx->db, sizeof fx->db, "%s/t.db", fx->dir);
}

/* Makes the folder, creates the database with platform_init (asserting that it was created
 * there) and opens it. `o` (NULL: platform_opts_init's defaults) gives the other options, the
 * injected clock for one; its db field is set to fx->db. */
static inline struct platform *fixture_platform_open(struct fixture_platform *fx, const char *name,
                                                     struct platform_opts *o)
{
    struct platform_opts defaults;
    if (o == NULL) {
        platform_opts_init(&defaults);
        o = &defaults;
    }
    fixture_platform_mkdir(fx, name);
    o->db = fx->db;
    struct gsi_err err = GSI_ERR_INIT;
    bool created = false;
    ck_assert_msg(platform_init(o, &created, &err) == 0, "%s", err.msg);
    ck_assert(created);
    struct platform *p = NULL;
    ck_assert_msg(platform_open(&p, o, &err) == 0, "%s", err.msg);
    return p;
}

/* Closes `p` (NULL: nothing open) and removes the folder with all it holds. */
static inline void fixture_platform_remove(struct fixture_platform *fx, struct platform *p)
{
    if (p != NULL) {
        platform_close(p);
    }
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* The journal's size (entries). */
static inline uint64_t fixture_platform_journal_size(struct platform *p)
{
    uint64_t n = 0;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(platform_journal_size(p, &n, &err), 0);
    return n;
}

/* Adds a delegate named "Test Person" of `party` with `role` and no key into `d`; its token
 * goes to `token` (NULL: dropped). */
static inline void fixture_platform_delegate_add(struct platform *p, struct platform_delegate *d,
                                                 char *token, const char *party,
                                                 enum platform_role role)
{
    char dropped[PLATFORM_TOKEN_MAX];
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_msg(platform_delegate_add(p, d, token != NULL ? token : dropped, party, role,
                                        "Test Person", NULL, &err) == 0,
                  "%s", err.msg);
}

/* The first column of the first row of query `q` on fx's database, through a connection of
 * its own (-1 when it has no row). */
static inline int64_t fixture_platform_sql_int(const struct fixture_platform *fx, const char *q)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct store *s;
    int64_t v = -1;
    ck_assert_msg(store_open(&s, fx->db, &err) == 0, "%s", err.msg);
    ck_assert_msg(store_query_int(s, &v, -1, q, NULL, 0, &err) == 0, "%s: %s", q, err.msg);
    store_close(s);
    return v;
}

#endif
