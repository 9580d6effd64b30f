/*
 * cmd_warn_concerns.h — the brief's signal from the concerns register.
 */
#ifndef GSI_CLI_CMD_WARN_CONCERNS_H
#define GSI_CLI_CMD_WARN_CONCERNS_H

#include <stddef.h>

#include "core/err.h"
#include "warn/brief.h"

/* Adds each country's overdue concerns in database `db` (judged at `now`, RFC 3339 UTC, or
 * the clock when NULL) to the hotspots' signals and reasons (cmd_warn_concerns.c). */
int cli_brief_concerns(struct warn_hotspot *hs, size_t n, const char *db, const char *now,
                       struct gsi_err *err);

#endif
