/*
 * lines.h — the chunked, multi-threaded reader for GDELT exports (internal to src/events).
 * `fd` is a regular file of `size` bytes read with pread; see scan.h for the contract.
 */
#ifndef GSI_EVENTS_LINES_H
#define GSI_EVENTS_LINES_H

#include <stdint.h>

#include "events/scan.h"

int events_lines_scan(int fd, uint64_t size, const char *path,
                      const struct events_scan_options *opt, struct events_sink *sink,
                      struct events_stats *stats, struct gsi_err *err);

#endif
