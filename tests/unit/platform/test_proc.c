/* test_proc.c — the procedure framework and the concerns register on SQLite in a temp folder,
 * with an injected clock: validation with JSON pointers, who may act, states, deadlines judged
 * at read time, confidentiality, refusals that write nothing, the rebuild of the projection,
 * and the OpenAPI schemas in docs/api.yaml. Expected deadlines are hand-computed from the
 * injected times (written beside each check). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_platform.h"
#include "harness.h"
#include "platform/platform.h"
#include "platform/proc.h"
#include "ref/ref.h"
#include "store/store.h"

static struct fixture_platform fx;
static struct platform *p;
/* The injected clock: 2026-12-01T00:00:00Z = 1796083200 s (date -u -d 2026-12-01 +%s). */
#define T0  ((int64_t)1796083200 * 1000000)
#define DAY ((int64_t)86400 * 1000000)
static int64_t now_us = T0;

static int64_t test_clock(void *ctx)
{
    (void)ctx;
    return now_us;
}

static struct platform_delegate usa, chn, ind, bra, obs;

static void setup(void)
{
    struct platform_opts o;
    platform_opts_init(&o);
    o.clock = test_clock;
    now_us = T0;
    p = fixture_platform_open(&fx, "proc-unit", &o);
    fixture_platform_delegate_add(p, &usa, NULL, "USA", PLATFORM_ROLE_DELEGATE);
    fixture_platform_delegate_add(p, &chn, NULL, "CHN", PLATFORM_ROLE_DELEGATE);
    fixture_platform_delegate_add(p, &ind, NULL, "IND", PLATFORM_ROLE_DELEGATE);
    fixture_platform_delegate_add(p, &bra, NULL, "BRA", PLATFORM_ROLE_DELEGATE);
    fixture_platform_delegate_add(p, &obs, NULL, "CHN", PLATFORM_ROLE_OBSERVER);
}

static void teardown(void)
{
    fixture_platform_remove(&fx, p);
    p = NULL;
}

/* Performs an act of procedure `proc` and returns its status; `case_id` (may be NULL) gets
 * the case it acted on, `msg` (may be NULL) the error message. */
static int proc_act(const struct platform_proc *proc, const struct platform_delegate *who,
                    const char *type, int64_t id, const char *payload, int64_t *case_id, char *msg)
{
    struct platform_proc_receipt r;
    struct gsi_err err = GSI_ERR_INIT;
    int rc = platform_proc_act(p, &r, who, proc, type, id, payload, strlen(payload), &err);
    if (case_id != NULL && rc == 0) {
        *case_id = r.case_id;
    }
    if (msg != NULL) {
        snprintf(msg, GSI_ERR_MSG_MAX, "%s", err.msg);
    }
    return rc;
}

/* An act of the concerns register. */
static int act(const struct platform_delegate *who, const char *type, int64_t id,
               const char *payload, int64_t *case_id, char *msg)
{
    return proc_act(&platform_proc_concern, who, type, id, payload, case_id, msg);
}

/* An act of notifications. */
static int nact(const struct platform_delegate *who, const char *type, int64_t id,
                const char *payload, int64_t *case_id, char *msg)
{
    return proc_act(&platform_proc_notification, who, type, id, payload, case_id, msg);
}

/* A launch notification whose window opens `hours` after T0 and lasts 6 hours. */
static void launch(char *out, size_t cap, int hours, const char *extra)
{
    char a[PLATFORM_TIME_MAX], b[PLATFORM_TIME_MAX];
    platform_proc_time_format(a, T0 + hours * (DAY / 24));
    platform_proc_time_format(b, T0 + (hours + 6) * (DAY / 24));
    snprintf(out, cap,
             "{\"to\":[\"CHN\",\"IND\"],\"window_start\":\"%s\",\"window_end\":\"%s\","
             "\"launch_area\":{\"type\":\"Point\",\"coordinates\":[63.3,45.9]},"
             "\"impact_area\":{\"type\":\"Polygon\",\"coordinates\":[[[170,10],[171,10],"
             "[171,11],[170,11],[170,10]]]}%s}",
             a, b, extra);
}

static const char *lodge =
    "{\"to\":[\"CHN\",\"IND\",\"BRA\"],\"domain\":\"maritime\",\"title\":\"Fishing fleet near "
    "the reef\",\"text\":\"We are concerned.\"}";

static const struct platform_proc_party *row(const struct platform_proc_case *c, const char *id)
{
    for (size_t i = 0; i < c->nparties; i++) {
        if (strcmp(c->parties[i].party, id) == 0) {
            return &c->parties[i];
        }
    }
    ck_abort_msg("no row for %s", id);
    return NULL;
}

START_TEST(concern_sequence)
{
    int64_t id = 0;
    char msg[GSI_ERR_MSG_MAX];
    ck_assert_msg(act(&usa, "concern.lodge", 0, lodge, &id, msg) == 0, "%s", msg);
    now_us = T0 + 1 * DAY;
    ck_assert_int_eq(act(&chn, "concern.acknowledge", id, "{}", NULL, NULL), 0);
    ck_assert_int_eq(act(&ind, "concern.acknowledge", id, "{\"note\":\"seen\"}", NULL, NULL), 0);
    now_us = T0 + 5 * DAY;
    ck_assert_int_eq(
        act(&chn, "concern.answer", id, "{\"text\":\"Our boats fish legally.\"}", NULL, NULL), 0);
    struct platform_proc_case c;
    struct gsi_err err = GSI_ERR_INIT;
    /* At T0 + 5 days nobody is overdue: maritime gives 2 days to acknowledge (concern.c), BRA
     * was due at T0 + 2 days... so BRA is overdue already. */
    ck_assert_int_eq(platform_proc_get(p, &c, NULL, &platform_proc_concern, id, 0, &err), 0);
    ck_assert_str_eq(c.state, "open");
    ck_assert_str_eq(c.owner, "USA");
    ck_assert_uint_eq(c.nparties, 3);
    ck_assert_str_eq(row(&c, "CHN")->state, "answered");
    ck_assert(!row(&c, "CHN")->overdue);
    ck_assert_str_eq(row(&c, "IND")->state, "acknowledged");
    /* IND's answer is due 14 days after lodging: T0 + 14 days */
    ck_assert_int_eq(row(&c, "IND")->due_us, T0 + 14 * DAY);
    ck_assert_str_eq(row(&c, "IND")->due_what, "answer");
    ck_assert(!row(&c, "IND")->overdue);
    ck_assert_str_eq(row(&c, "BRA")->state, "lodged");
    ck_assert_int_eq(row(&c, "BRA")->due_us, T0 + 2 * DAY);
    ck_assert(row(&c, "BRA")->overdue);
    ck_assert_uint_eq(c.nacts, 4);
    platform_proc_case_release(&c);
    /* Judged at T0 + 1 day, BRA was not yet overdue. */
    ck_assert_int_eq(platform_proc_get(p, &c, NULL, &platform_proc_concern, id, T0 + DAY, &err), 0);
    ck_assert(!row(&c, "BRA")->overdue);
    platform_proc_case_release(&c);

    /* Overdue list for BRA, and the counts the brief uses. */
    struct platform_proc_query q = { .party = "BRA", .overdue = true };
    struct platform_proc_case *list;
    size_t n;
    ck_assert_int_eq(platform_proc_list(p, &list, &n, NULL, &platform_proc_concern, &q, &err), 0);
    ck_assert_uint_eq(n, 1);
    platform_proc_case_list_free(list, n);
    q.party = "IND";
    ck_assert_int_eq(platform_proc_list(p, &list, &n, NULL, &platform_proc_concern, &q, &err), 0);
    ck_assert_uint_eq(n, 0);
    platform_proc_case_list_free(list, n);
    struct platform_proc_count *counts;
    ck_assert_int_eq(platform_proc_overdue_counts(p, &counts, &n, &platform_proc_concern, 0, &err),
                     0);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(counts[0].party, "BRA");
    ck_assert_int_eq(counts[0].count, 1);
    free(counts);
    /* At T0 + 15 days IND is overdue too (answer due T0 + 14). */
    ck_assert_int_eq(
        platform_proc_overdue_counts(p, &counts, &n, &platform_proc_concern, T0 + 15 * DAY, &err),
        0);
    ck_assert_uint_eq(n, 2);
    free(counts);

    /* The last two answers close it. */
    ck_assert_int_eq(act(&ind, "concern.answer", id, "{\"text\":\"Talks.\"}", NULL, NULL), 0);
    ck_assert_int_eq(act(&bra, "concern.answer", id, "{\"text\":\"Late, sorry.\"}", NULL, NULL), 0);
    ck_assert_int_eq(platform_proc_get(p, &c, NULL, &platform_proc_concern, id, 0, &err), 0);
    ck_assert_str_eq(c.state, "closed");
    platform_proc_case_release(&c);
    ck_assert_int_eq(act(&usa, "concern.withdraw", id, "{}", NULL, msg), GSI_ECONFLICT);
}
END_TEST

START_TEST(refusals_write_nothing)
{
    int64_t id = 0;
    char msg[GSI_ERR_MSG_MAX];
    ck_assert_int_eq(act(&usa, "concern.lodge", 0, lodge, &id, msg), 0);
    ck_assert_int_eq(act(&chn, "concern.acknowledge", id, "{}", NULL, NULL), 0);
    uint64_t before = fixture_platform_journal_size(p);
    /* acting for another party */
    ck_assert_int_eq(act(&chn, "concern.acknowledge", id, "{\"party\":\"IND\"}", NULL, msg),
                     GSI_EFORBIDDEN);
    /* an observer */
    ck_assert_int_eq(act(&obs, "concern.acknowledge", id, "{}", NULL, msg), GSI_EFORBIDDEN);
    /* answering a concern not addressed to you */
    ck_assert_int_eq(act(&usa, "concern.answer", id, "{\"text\":\"x\"}", NULL, msg),
                     GSI_EFORBIDDEN);
    ck_assert_ptr_nonnull(strstr(msg, "not addressed to USA"));
    /* acknowledging twice */
    ck_assert_int_eq(act(&chn, "concern.acknowledge", id, "{}", NULL, msg), GSI_ECONFLICT);
    ck_assert_ptr_nonnull(strstr(msg, "already acknowledged"));
    /* withdrawing someone else's */
    ck_assert_int_eq(act(&chn, "concern.withdraw", id, "{}", NULL, msg), GSI_EFORBIDDEN);
    /* no such case */
    ck_assert_int_eq(act(&chn, "concern.acknowledge", id + 1000, "{}", NULL, msg), GSI_ENOTFOUND);
    /* invalid payloads, each refused as bad data by a message that starts with what it names
     * (its field's JSON pointer) */
    static const struct {
        const char *payload, *names;
    } invalid[] = {
        { "{\"to\":[\"CHN\"],\"domain\":\"x\"}", "/domain:" },
        { "{\"to\":[\"ZZZ\"],\"domain\":\"nuclear\",\"title\":\"t\",\"text\":\"x\"}", "/to/0:" },
        { "{\"to\":[\"CHN\"],\"domain\":\"nuclear\",\"title\":\"t\"}", "/text: required" },
        { "{\"to\":[\"CHN\"],\"domain\":\"nuclear\",\"title\":\"t\",\"text\":\"x\",\"ack_days\":1}",
          "/ack_days:" },
        { "{\"to\":[\"CHN\"],\"domain\":\"nuclear\",\"title\":\"t\",\"text\":\"x\",\"colour\":1}",
          "/colour: unknown field" },
        /* addressed only to itself */
        { "{\"to\":[\"USA\"],\"domain\":\"nuclear\",\"title\":\"t\",\"text\":\"x\"}", "" },
    };
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        ck_assert_msg(act(&usa, "concern.lodge", 0, invalid[i].payload, NULL, msg) == GSI_EDATA,
                      "invalid payload %zu accepted", i);
        ck_assert_msg(strncmp(msg, invalid[i].names, strlen(invalid[i].names)) == 0,
                      "invalid payload %zu: %s", i, msg);
    }
    /* a text over its cap (20,000 bytes) */
    size_t big = 30000;
    char *payload = malloc(big + 200);
    ck_assert_ptr_nonnull(payload);
    int len = snprintf(payload, 200,
                       "{\"to\":[\"CHN\"],\"domain\":\"nuclear\",\"title\":\"t\","
                       "\"text\":\"");
    memset(payload + len, 'a', big);
    snprintf(payload + (size_t)len + big, 8, "\"}");
    ck_assert_int_eq(act(&usa, "concern.lodge", 0, payload, NULL, msg), GSI_EDATA);
    ck_assert_msg(strstr(msg, "/text: expected a string of 1 to 20000 bytes") == msg, "%s", msg);
    free(payload);
    ck_assert_uint_eq(fixture_platform_journal_size(p), before);
}
END_TEST

START_TEST(confidential_concern)
{
    int64_t id = 0;
    char msg[GSI_ERR_MSG_MAX];
    ck_assert_int_eq(act(&usa, "concern.lodge", 0,
                         "{\"to\":[\"CHN\"],\"domain\":\"nuclear\",\"title\":\"Secret\","
                         "\"text\":\"x\",\"confidential\":true}",
                         &id, msg),
                     0);
    struct platform_proc_case c;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(platform_proc_get(p, &c, &chn, &platform_proc_concern, id, 0, &err), 0);
    platform_proc_case_release(&c);
    ck_assert_int_eq(platform_proc_get(p, &c, &ind, &platform_proc_concern, id, 0, &err),
                     GSI_ENOTFOUND);
    uint64_t before = fixture_platform_journal_size(p);
    ck_assert_int_eq(act(&ind, "concern.acknowledge", id, "{}", NULL, msg), GSI_ENOTFOUND);
    ck_assert_int_eq(act(&ind, "concern.withdraw", id, "{}", NULL, msg), GSI_ENOTFOUND);
    ck_assert_uint_eq(fixture_platform_journal_size(p), before);
    struct platform_proc_query q = { 0 };
    struct platform_proc_case *list;
    size_t n;
    ck_assert_int_eq(platform_proc_list(p, &list, &n, &ind, &platform_proc_concern, &q, &err), 0);
    ck_assert_uint_eq(n, 0);
    platform_proc_case_list_free(list, n);
    ck_assert_int_eq(platform_proc_list(p, &list, &n, &chn, &platform_proc_concern, &q, &err), 0);
    ck_assert_uint_eq(n, 1);
    platform_proc_case_list_free(list, n);
    /* Its record carries the same audience: IND does not see it there either. */
    struct platform_record r;
    ck_assert_int_eq(platform_record_get(p, &r, &ind, id, &err), GSI_ENOTFOUND);
    ck_assert_int_eq(platform_record_get(p, &r, &chn, id, &err), 0);
    ck_assert_str_eq(r.audience, "USA,CHN");
    platform_record_release(&r);
}
END_TEST

START_TEST(groupings_expand)
{
    int64_t id = 0;
    char msg[GSI_ERR_MSG_MAX];
    /* ASEAN has 11 members (data/parties/members.csv); lodged by IDN, which is one of them. */
    struct platform_delegate idn;
    fixture_platform_delegate_add(p, &idn, NULL, "IDN", PLATFORM_ROLE_DELEGATE);
    ck_assert_msg(act(&idn, "concern.lodge", 0,
                      "{\"to\":[\"ASEAN\",\"CHN\"],\"domain\":\"asean-way\",\"title\":\"t\","
                      "\"text\":\"x\",\"ack_days\":10}",
                      &id, msg) == 0,
                  "%s", msg);
    struct platform_proc_case c;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(platform_proc_get(p, &c, NULL, &platform_proc_concern, id, 0, &err), 0);
    ck_assert_uint_eq(c.nparties, 11); /* 10 other ASEAN members + CHN */
    /* ack_days 10 (longer than asean-way's 7): due T0 + 10 days */
    ck_assert_int_eq(row(&c, "CHN")->due_us, T0 + 10 * DAY);
    platform_proc_case_release(&c);
    ck_assert_msg(
        act(&usa, "concern.lodge", 0,
            "{\"to\":[\"ALL\"],\"domain\":\"climate-sdgs\",\"title\":\"t\",\"text\":\"x\"}", &id,
            msg) == 0,
        "%s", msg);
    ck_assert_int_eq(platform_proc_get(p, &c, NULL, &platform_proc_concern, id, 0, &err), 0);
    ck_assert_uint_eq(c.nparties, 192); /* the 193 UN member states but USA */
    platform_proc_case_release(&c);
}
END_TEST

/* The projection rebuilt from the records equals the one the acts built. */
static void snapshot_of(const struct platform_proc *proc, char *out, size_t cap, size_t *lenp);
static void snapshot(char *out, size_t cap)
{
    size_t len = 0;
    for (size_t k = 0; platform_procs[k] != NULL; k++) {
        snapshot_of(platform_procs[k], out, cap, &len);
    }
}

static void snapshot_of(const struct platform_proc *proc, char *out, size_t cap, size_t *lenp)
{
    struct platform_proc_query q = { .limit = 1000 };
    struct platform_proc_case *list;
    size_t n;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(platform_proc_list(p, &list, &n, NULL, proc, &q, &err), 0);
    size_t len = *lenp;
    for (size_t i = 0; i < n; i++) {
        len += (size_t)snprintf(out + len, cap - len, "%lld %s %s v%d %lld|", (long long)list[i].id,
                                list[i].state, list[i].data, list[i].version,
                                (long long)list[i].last_record);
        for (size_t k = 0; k < list[i].nparties; k++) {
            len +=
                (size_t)snprintf(out + len, cap - len, "%s %s %lld %s;", list[i].parties[k].party,
                                 list[i].parties[k].state, (long long)list[i].parties[k].due_us,
                                 list[i].parties[k].due_what);
        }
    }
    platform_proc_case_list_free(list, n);
    *lenp = len;
}

START_TEST(rebuild_matches)
{
    int64_t id = 0;
    ck_assert_int_eq(act(&usa, "concern.lodge", 0, lodge, &id, NULL), 0);
    now_us += DAY;
    ck_assert_int_eq(act(&chn, "concern.acknowledge", id, "{}", NULL, NULL), 0);
    ck_assert_int_eq(act(&ind, "concern.answer", id, "{\"text\":\"x\"}", NULL, NULL), 0);
    ck_assert_int_eq(act(&usa, "concern.lodge", 0, lodge, &id, NULL), 0);
    ck_assert_int_eq(act(&usa, "concern.withdraw", id, "{\"reason\":\"settled\"}", NULL, NULL), 0);
    char body[1024];
    launch(body, sizeof body, 60, ""); /* the clock is at T0 + 1 day: 36 hours ahead */
    ck_assert_int_eq(nact(&usa, "notification.missile_launch", 0, body, &id, NULL), 0);
    ck_assert_int_eq(nact(&ind, "notification.acknowledge", id, "{}", NULL, NULL), 0);
    now_us += DAY / 24;
    launch(body, sizeof body, 70, "");
    ck_assert_int_eq(nact(&usa, "notification.amend", id, body, NULL, NULL), 0);
    static char a[16384], b[16384];
    snapshot(a, sizeof a);
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_msg(platform_proc_rebuild(p, &err) == 0, "%s", err.msg);
    snapshot(b, sizeof b);
    ck_assert_str_eq(a, b);
    ck_assert_ptr_nonnull(strstr(a, "withdrawn"));
    ck_assert_ptr_nonnull(strstr(a, "v2")); /* the amended notification */
}
END_TEST

static void count_problem(void *ctx, const char *msg)
{
    (void)msg;
    ++*(int *)ctx;
}

START_TEST(verify_checks_projection)
{
    int64_t id = 0;
    ck_assert_int_eq(act(&usa, "concern.lodge", 0, lodge, &id, NULL), 0);
    ck_assert_int_eq(act(&chn, "concern.acknowledge", id, "{}", NULL, NULL), 0);
    struct platform_verify_report rep;
    struct gsi_err err = GSI_ERR_INIT;
    int problems = 0;
    ck_assert_msg(platform_journal_verify(p, &rep, count_problem, &problems, &err) == 0, "%s",
                  err.msg);
    ck_assert_int_eq(problems, 0);
    /* The check rolled itself back: the acts go on. */
    ck_assert_int_eq(act(&ind, "concern.acknowledge", id, "{}", NULL, NULL), 0);
    /* A state changed behind the journal's back is found. */
    struct store *s;
    ck_assert_int_eq(store_open(&s, fx.db, &err), 0);
    struct store_val v[] = { STORE_INT(id) };
    ck_assert_int_eq(store_exec(s,
                                "UPDATE proc_parties SET state = 'answered' WHERE case_id = ?"
                                " AND party = 'BRA'",
                                v, 1, &err),
                     0);
    store_close(s);
    ck_assert_int_eq(platform_journal_verify(p, &rep, count_problem, &problems, &err), GSI_EVERIFY);
    ck_assert_int_eq(problems, 1);
}
END_TEST

START_TEST(periods_cover_every_domain)
{
    for (size_t i = 0; i < ref_domain_count(); i++) {
        int ack = 0, answer = 0;
        ck_assert_msg(platform_concern_periods(ref_domain_at(i)->key, &ack, &answer) == 0,
                      "no default deadlines for %s", ref_domain_at(i)->key);
        ck_assert_int_gt(ack, 0);
        ck_assert_int_ge(answer, ack);
    }
}
END_TEST

START_TEST(times)
{
    int64_t us = 0;
    /* date -u -d 2026-12-01T00:00:00Z +%s → 1796083200 */
    ck_assert_int_eq(platform_time_parse(&us, "2026-12-01T00:00:00Z", 20), 0);
    ck_assert_int_eq(us, T0);
    ck_assert_int_eq(platform_time_parse(&us, "2026-12-01T00:00:01.5Z", 22), 0);
    ck_assert_int_eq(us, T0 + 1500000);
    ck_assert_int_eq(platform_time_parse(&us, "2026-12-01T00:00:00+00:00", 25), 0);
    ck_assert_int_eq(platform_time_parse(&us, "2026-12-01T00:00:00+01:00", 25), GSI_EDATA);
    ck_assert_int_eq(platform_time_parse(&us, "2026-02-30T00:00:00Z", 20), GSI_EDATA);
    ck_assert_int_eq(platform_time_parse(&us, "2026-12-01 00:00:00", 19), GSI_EDATA);
    char t[PLATFORM_TIME_MAX];
    platform_proc_time_format(t, T0 + 3661 * (int64_t)1000000);
    ck_assert_str_eq(t, "2026-12-01T01:01:01Z");
}
END_TEST

/* docs/api.yaml holds, between its "generated: <proc>" markers, exactly what
 * platform_proc_openapi writes for each procedure. */
START_TEST(openapi_schemas_in_document)
{
    FILE *f = fopen(source_path("docs/api.yaml"), "rb");
    ck_assert_ptr_nonnull(f);
    static char doc[1 << 20];
    size_t len = fread(doc, 1, sizeof doc - 1, f);
    doc[len] = '\0';
    fclose(f);
    for (size_t i = 0; platform_procs[i] != NULL; i++) {
        const struct platform_proc *proc = platform_procs[i];
        char begin[128], end[128];
        snprintf(begin, sizeof begin, "    # generated: %s (", proc->name);
        snprintf(end, sizeof end, "    # end generated: %s\n", proc->name);
        const char *b = strstr(doc, begin);
        ck_assert_msg(b != NULL, "docs/api.yaml has no '%s' block", begin);
        b = strchr(b, '\n') + 1;
        const char *e = strstr(b, end);
        ck_assert_ptr_nonnull(e);
        struct gsi_buf want;
        gsi_buf_init(&want, 1 << 20);
        struct gsi_err err = GSI_ERR_INIT;
        ck_assert_int_eq(platform_proc_openapi(&want, proc, &err), 0);
        bool same = want.len == (size_t)(e - b) && memcmp(want.data, b, want.len) == 0;
        if (!same) {
            fprintf(stderr, "docs/api.yaml's schemas of %s should be:\n%s", proc->name, want.data);
        }
        gsi_buf_release(&want);
        ck_assert_msg(same, "docs/api.yaml's generated schemas of %s are out of date", proc->name);
    }
}
END_TEST

START_TEST(launch_rule)
{
    char body[1024], msg[GSI_ERR_MSG_MAX];
    int64_t id = 0;
    uint64_t before = fixture_platform_journal_size(p);
    launch(body, sizeof body, 23, "");
    ck_assert_int_eq(nact(&usa, "notification.missile_launch", 0, body, NULL, msg), GSI_EDATA);
    ck_assert_msg(strstr(msg, "23.0 hours ahead") != NULL && strstr(msg, "1988 Agreement"), "%s",
                  msg);
    ck_assert_uint_eq(fixture_platform_journal_size(p), before);
    launch(body, sizeof body, 25, "");
    ck_assert_msg(nact(&usa, "notification.missile_launch", 0, body, &id, msg) == 0, "%s", msg);
    struct platform_proc_case c;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(platform_proc_get(p, &c, NULL, &platform_proc_notification, id, 0, &err), 0);
    ck_assert_str_eq(c.subtype, "missile_launch");
    ck_assert_str_eq(c.state, "active");
    /* missile_launch: 12 hours to acknowledge (notify.c) → due T0 + 12 h */
    ck_assert_int_eq(row(&c, "CHN")->due_us, T0 + DAY / 2);
    platform_proc_case_release(&c);
    ck_assert_int_eq(nact(&chn, "notification.acknowledge", id, "{}", NULL, msg), 0);
    ck_assert_int_eq(nact(&chn, "notification.acknowledge", id, "{}", NULL, msg), GSI_ECONFLICT);
    /* 13 hours later IND has not acknowledged: flagged. */
    ck_assert_int_eq(
        platform_proc_get(p, &c, NULL, &platform_proc_notification, id, T0 + 13 * (DAY / 24), &err),
        0);
    ck_assert(row(&c, "IND")->overdue);
    ck_assert(!row(&c, "CHN")->overdue);
    platform_proc_case_release(&c);
    /* Amend: the window moves a day later; every recipient acknowledges again. */
    now_us = T0 + DAY / 24;
    launch(body, sizeof body, 49, "");
    ck_assert_msg(nact(&usa, "notification.amend", id, body, NULL, msg) == 0, "%s", msg);
    ck_assert_int_eq(platform_proc_get(p, &c, NULL, &platform_proc_notification, id, 0, &err), 0);
    ck_assert_int_eq(c.version, 2);
    ck_assert_str_eq(row(&c, "CHN")->state, "sent");
    ck_assert_int_eq(row(&c, "CHN")->due_us, T0 + 13 * (DAY / 24)); /* amended at T0 + 1 h */
    ck_assert_uint_eq(c.nacts, 3);
    platform_proc_case_release(&c);
    /* An amendment may not change the recipients, nor be made by a recipient. */
    char other[1024];
    launch(other, sizeof other, 49, "");
    char *to = strstr(other, "\"IND\"");
    memcpy(to, "\"BRA\"", 5);
    ck_assert_int_eq(nact(&usa, "notification.amend", id, other, NULL, msg), GSI_EDATA);
    ck_assert_msg(strncmp(msg, "/to:", 4) == 0, "%s", msg);
    ck_assert_int_eq(nact(&chn, "notification.amend", id, body, NULL, msg), GSI_EFORBIDDEN);
    ck_assert_int_eq(nact(&usa, "notification.cancel", id, "{\"reason\":\"postponed\"}", NULL, msg),
                     0);
    ck_assert_int_eq(nact(&chn, "notification.acknowledge", id, "{}", NULL, msg), GSI_ECONFLICT);
}
END_TEST

START_TEST(geojson_refusals)
{
    char msg[GSI_ERR_MSG_MAX];
    char body[1024];
    uint64_t before = fixture_platform_journal_size(p);
    launch(body, sizeof body, 30, "");
    char *open_ring = strstr(body, "[170,10]]]");
    memcpy(open_ring, "[170,12]]]", 10); /* last position differs from the first */
    ck_assert_int_eq(nact(&usa, "notification.missile_launch", 0, body, NULL, msg), GSI_EDATA);
    ck_assert_str_eq(msg, "/impact_area/coordinates/0: the ring does not close: its last "
                          "position must equal its first");
    launch(body, sizeof body, 30, "");
    char *lat = strstr(body, "[171,11]");
    memcpy(lat, "[171,99]", 8);
    ck_assert_int_eq(nact(&usa, "notification.missile_launch", 0, body, NULL, msg), GSI_EDATA);
    ck_assert_str_eq(msg, "/impact_area/coordinates/0/2/1: expected a latitude in [-90, 90]");
    ck_assert_int_eq(nact(&usa, "notification.disaster", 0,
                          "{\"to\":[\"CHN\"],\"hazard\":\"meteor\",\"time\":"
                          "\"2026-11-30T00:00:00Z\",\"area\":{\"type\":\"Point\","
                          "\"coordinates\":[0,0]},\"description\":\"x\"}",
                          NULL, msg),
                     GSI_EDATA);
    ck_assert_msg(strncmp(msg, "/hazard: expected one of earthquake,", 36) == 0, "%s", msg);
    ck_assert_int_eq(nact(&usa, "notification.disaster", 0,
                          "{\"to\":[\"CHN\"],\"hazard\":\"flood\",\"time\":"
                          "\"2026-11-30T00:00:00Z\",\"area\":{\"type\":\"LineString\","
                          "\"coordinates\":[[0,0],[1,1]]},\"description\":\"x\"}",
                          NULL, msg),
                     GSI_EDATA);
    ck_assert_str_eq(msg, "/area/type: expected \"Point\" or \"Polygon\"");
    ck_assert_uint_eq(fixture_platform_journal_size(p), before);
}
END_TEST

/* 9,000 troops is the Vienna Document's threshold; 42 days its notice. */
static int exercise(int troops, int days_ahead, char *msg)
{
    char body[1024], a[PLATFORM_TIME_MAX], b[PLATFORM_TIME_MAX];
    platform_proc_time_format(a, T0 + days_ahead * DAY);
    platform_proc_time_format(b, T0 + (days_ahead + 5) * DAY);
    snprintf(body, sizeof body,
             "{\"to\":[\"OSCE\"],\"name\":\"Autumn Shield\",\"start\":\"%s\",\"end\":\"%s\","
             "\"area\":{\"type\":\"Polygon\",\"coordinates\":[[[20,50],[22,50],[22,52],[20,50]]]},"
             "\"troops\":%d}",
             a, b, troops);
    return nact(&usa, "notification.exercise", 0, body, NULL, msg);
}

START_TEST(exercise_and_outbreak_rules)
{
    char msg[GSI_ERR_MSG_MAX];
    ck_assert_int_eq(exercise(9000, 41, msg), GSI_EDATA);
    ck_assert_msg(strstr(msg, "Vienna Document 2011") != NULL, "%s", msg);
    ck_assert_int_eq(exercise(9000, 43, msg), 0);
    ck_assert_int_eq(exercise(8999, 1, msg), 0); /* below every threshold: no advance period */
    char body[512], t[PLATFORM_TIME_MAX];
    platform_proc_time_format(t, T0 - 25 * (DAY / 24));
    snprintf(body, sizeof body,
             "{\"to\":[\"ALL\"],\"disease\":\"cholera\",\"assessed\":\"%s\",\"location\":"
             "{\"type\":\"Point\",\"coordinates\":[32.5,15.6]},\"cases\":120}",
             t);
    ck_assert_int_eq(nact(&usa, "notification.outbreak", 0, body, NULL, msg), GSI_EDATA);
    ck_assert_msg(strstr(msg, "International Health Regulations (2005), Art. 6.1") != NULL, "%s",
                  msg);
    platform_proc_time_format(t, T0 - 2 * (DAY / 24));
    snprintf(body, sizeof body,
             "{\"to\":[\"ALL\"],\"disease\":\"cholera\",\"assessed\":\"%s\",\"location\":"
             "{\"type\":\"Point\",\"coordinates\":[32.5,15.6]},\"cases\":120}",
             t);
    ck_assert_msg(nact(&usa, "notification.outbreak", 0, body, NULL, msg) == 0, "%s", msg);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("proc");
    TCase *tc = tcase_create("concerns");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, concern_sequence);
    tcase_add_test(tc, refusals_write_nothing);
    tcase_add_test(tc, confidential_concern);
    tcase_add_test(tc, groupings_expand);
    tcase_add_test(tc, rebuild_matches);
    tcase_add_test(tc, verify_checks_projection);
    tcase_add_test(tc, launch_rule);
    tcase_add_test(tc, geojson_refusals);
    tcase_add_test(tc, exercise_and_outbreak_rules);
    suite_add_tcase(s, tc);
    TCase *pure = tcase_create("tables");
    tcase_add_test(pure, periods_cover_every_domain);
    tcase_add_test(pure, times);
    tcase_add_test(pure, openapi_schemas_in_document);
    suite_add_tcase(s, pure);
    return s;
}
