/* cmd_warn_concerns.c — the early-warning brief's outside signal from the concerns register:
 * each country's overdue concerns (principle 4: an unanswered concern counts as a warning
 * signal), read through the platform and added to the hotspots' reasons. */
#include "cli/cmd_warn_concerns.h"

#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"
#include "platform/proc.h"

int cli_brief_concerns(struct warn_hotspot *hs, size_t n, const char *db, const char *now,
                       struct gsi_err *err)
{
    int64_t at = 0;
    if (now != NULL && platform_time_parse(&at, now, strlen(now)) < 0) {
        return gsi_err_set(err, GSI_EUSAGE,
                           "--now must be an RFC 3339 UTC time such as 2026-12-03T09:00:00Z, "
                           "not '%.40s'",
                           now);
    }
    struct platform_opts o;
    platform_opts_init(&o);
    o.db = db;
    struct platform *p = NULL;
    int rc = platform_open(&p, &o, err);
    struct platform_proc_count *counts = NULL;
    size_t nc = 0;
    if (rc == 0) {
        rc = platform_proc_overdue_counts(p, &counts, &nc, &platform_proc_concern, at, err);
    }
    for (size_t i = 0; rc == 0 && i < nc; i++) {
        /* Organisations have no row in the brief; only countries are counted there. */
        warn_brief_signal(hs, n, counts[i].party, counts[i].count, "overdue concern");
    }
    free(counts);
    platform_close(p);
    return rc;
}
