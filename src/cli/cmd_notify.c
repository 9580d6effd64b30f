/* cmd_notify.c — `gsi notify FILE`: send a confidence-building notification from a JSON file,
 * as the local administrator acting for --party (the platform's notifications, notify.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/json.h"
#include "platform/platform.h"
#include "platform/proc.h"

#define NOTIFY_FILE_MAX PLATFORM_PAYLOAD_MAX

static const char notify_usage[] =
    "Usage: gsi notify FILE --party ID [--db URL] [--format table|csv|json]\n"
    "\n"
    "Sends the notification in FILE (a JSON object; - reads standard input) for party ID,\n"
    "journalled like any act over the API. FILE holds \"type\" and that kind's fields:\n"
    "\n"
    "  missile_launch      to, window_start, window_end, launch_area, impact_area\n"
    "                      (no later than 24 hours before the window)\n"
    "  space_launch        to, window_start, window_end, launch_area, vehicle (24 hours)\n"
    "  exercise            to, name, start, end, area, troops (42 days ahead at or above\n"
    "                      9,000 troops, 250 tanks, 500 ACV or 250 artillery pieces)\n"
    "  maritime_incident   to, time, position, vessels, description\n"
    "  nuclear_accident    to, facility, time, location, nature, release\n"
    "  biosafety_incident  to, facility, time, agent, nature\n"
    "  outbreak            to, disease, assessed, location, cases (within 24 hours of the\n"
    "                      assessment)\n"
    "  disaster            to, hazard, time, area, description\n"
    "\n"
    "\"to\" lists party ids, groupings (\"OSCE\", expanded to their members) or \"ALL\". Times\n"
    "are RFC 3339 UTC (\"2026-12-03T09:00:00Z\"); areas are GeoJSON Points or Polygons\n"
    "([longitude, latitude]). docs/internals/procedures.md gives every field and rule.\n"
    "\n"
    "Example:\n"
    "  {\"type\": \"missile_launch\", \"to\": [\"USA\"],\n"
    "   \"window_start\": \"2026-12-05T06:00:00Z\", \"window_end\": \"2026-12-05T12:00:00Z\",\n"
    "   \"launch_area\": {\"type\": \"Point\", \"coordinates\": [63.3, 45.9]},\n"
    "   \"impact_area\": {\"type\": \"Polygon\", \"coordinates\": [[[170, 10], [171, 10],\n"
    "                   [171, 11], [170, 10]]]}}\n"
    "";

static const char notify_epilog[] =
    "Exit status: 0 sent, 65 refused (the message names the field or the rule it breaks),\n"
    "1 runtime failure, 2 usage error.\n";

/* Reads FILE ("-": standard input) into *out, at most NOTIFY_FILE_MAX bytes. */
static int read_input(char **out, size_t *len, const char *path, struct gsi_err *err)
{
    return cli_read_all(out, len, path, NOTIFY_FILE_MAX, err);
}

/* Adds "party": ID to the object's text when --party was given (the local administrator must
 * say whom it acts for); a file that already names one keeps it. */
static int with_party(char **text, size_t *len, const char *party, struct gsi_err *err)
{
    if (party == NULL || *text == NULL) {
        return 0;
    }
    if (strlen(party) >= PLATFORM_ID_MAX) {
        return gsi_err_set(err, GSI_EUSAGE, "--party: '%.20s' is not a party id", party);
    }
    size_t at = strspn(*text, " \n\r\t");
    if ((*text)[at] != '{') {
        return gsi_err_set(err, GSI_EDATA, "the file must hold one JSON object");
    }
    at++;
    bool empty = (*text)[at + strspn(*text + at, " \n\r\t")] == '}';
    /* The id quoted as JSON quotes it (each byte at most 6 once escaped). */
    struct gsi_buf b;
    gsi_buf_init(&b, *len + 6 * (size_t)PLATFORM_ID_MAX + 16);
    int rc = gsi_buf_append(&b, *text, at);
    rc = rc ? rc : gsi_buf_puts(&b, "\"party\":");
    rc = rc ? rc : gsi_json_quote(&b, party, strlen(party));
    rc = rc ? rc : gsi_buf_puts(&b, empty ? "" : ",");
    rc = rc ? rc : gsi_buf_puts(&b, *text + at);
    if (rc < 0) {
        gsi_buf_release(&b);
        return gsi_err_set(err, rc, "out of memory");
    }
    free(*text);
    *text = b.data;
    *len = b.len;
    return 0;
}

int cmd_notify(int argc, char **argv)
{
    struct platform_opts o;
    platform_opts_init(&o);
    const char *party = NULL;
    enum gsi_format fmt = GSI_FORMAT_TABLE;
    struct cli_words files = { 0 };
    const struct cli_option opts[] = {
        CLI_OPT_STRING("--party", "ID", &party,
                       "the sending party (required unless FILE has \"party\")"),
        CLI_OPT_DB(&o.db),
        CLI_OPT_FORMAT(&fmt, "table (default), csv or json: the receipt"),
        CLI_OPT_WORDS(&files),
        CLI_OPT_END(),
    };
    const struct cli_command cmd = { "notify", notify_usage, notify_epilog, opts };
    int st = cli_parse(&cmd, argc, argv, 1);
    if (st < 0 && files.n > 1) {
        st =
            cli_usage_error("notify", "one FILE at a time ('%s' and '%s')", files.v[0], files.v[1]);
    }
    const char *path = files.n > 0 ? files.v[0] : NULL;
    free(files.v);
    if (st >= 0) {
        return st;
    }
    if (path == NULL) {
        return cli_usage_error("notify", "FILE is required (a JSON notification; - for stdin)");
    }
    struct gsi_err err = GSI_ERR_INIT;
    char *text = NULL;
    size_t len = 0;
    struct platform *p = NULL;
    struct platform_proc_receipt r;
    memset(&r, 0, sizeof r);
    int rc = read_input(&text, &len, path, &err);
    rc = rc ? rc : with_party(&text, &len, party, &err);
    rc = rc ? rc : platform_open(&p, &o, &err);
    rc = rc ? rc : platform_proc_open(p, &r, NULL, &platform_proc_notification, text, len, &err);
    free(text);
    platform_close(p);
    if (rc < 0) {
        if (err.file[0] == '\0' && (rc == GSI_EDATA || rc == GSI_ELIMIT)) {
            snprintf(err.file, sizeof err.file, "%s", path);
        }
        return cli_fail(&err);
    }
    static const struct gsi_table_col cols[] = { { "notification", 0 }, { "act", -1 },
                                                 { "record", 0 },       { "journal_index", 0 },
                                                 { "time", -1 },        { "tree_size", 0 } };
    struct gsi_table *t = gsi_table_new(cols, sizeof cols / sizeof cols[0]);
    int bad = t == NULL || gsi_table_num(t, (double)r.case_id) | gsi_table_text(t, r.act_type) |
                               gsi_table_num(t, (double)r.act.record_id) |
                               gsi_table_num(t, (double)r.act.index) |
                               gsi_table_text(t, r.act.time) |
                               gsi_table_num(t, (double)r.act.tree_size);
    bad = bad || gsi_table_write(t, stdout, fmt) != 0;
    gsi_table_free(t);
    if (bad) {
        gsi_err_set(&err, GSI_EIO, "cannot write the receipt");
        return cli_fail(&err);
    }
    return GSI_EXIT_OK;
}
