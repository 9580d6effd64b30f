/* scan.c — events_scan(): open, detect the format, and drive the right reader (see scan.h). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/csv.h"
#include "core/progress.h"
#include "events/internal.h"

#define HEAD_BYTES 65536 /* bytes read to recognise a format */

static bool in_range(const struct events_scan_options *o, int32_t day)
{
    return (o->from_day == EVENTS_DAY_NONE || day >= o->from_day) &&
           (o->to_day == EVENTS_DAY_NONE || day <= o->to_day);
}

/* Reads a delimited file record by record (every format but large GDELT files). */
static int scan_records(const char *path, enum events_format fmt,
                        const struct events_scan_options *opt, struct events_sink *sink,
                        struct events_stats *st, struct gsi_err *err)
{
    bool tsv = fmt == EVENTS_FORMAT_GDELT || fmt == EVENTS_FORMAT_ICEWS;
    struct gsi_csv c;
    if (gsi_csv_open(&c, path, tsv ? '\t' : ',', !tsv, err) < 0) {
        return err->code;
    }
    struct gsi_progress progress;
    gsi_progress_init(&progress, "reading", c.bytes_total);
    struct events_colmap map;
    bool need_header = fmt != EVENTS_FORMAT_GDELT;
    int rc;
    struct gsi_err rowerr = GSI_ERR_INIT;
    uint64_t reported_bytes = 0;
    while ((rc = gsi_csv_next(&c, &rowerr)) != 0) {
        gsi_progress_add(&progress, c.bytes_done - reported_bytes);
        reported_bytes = c.bytes_done;
        if (rc == GSI_EIO) {
            *err = rowerr;
            break;
        }
        if (rc < 0 || (rc > 0 && c.nfields == 1 && c.flen[0] == 0)) {
            if (rc < 0) {
                if (need_header || opt->strict) {
                    *err = rowerr;
                    break;
                }
                st->rows++;
                events_stats_bad_row(st, &rowerr);
            }
            continue;
        }
        struct events_row row = { path, c.record_line, c.nfields, c.field, c.flen };
        if (need_header) {
            rc = fmt == EVENTS_FORMAT_UCDP    ? events__ucdp_header(&map, &row, err)
                 : fmt == EVENTS_FORMAT_ICEWS ? events__icews_header(&map, &row, err)
                                              : events__views_header(&map, &row, err);
            if (rc < 0) {
                break;
            }
            need_header = false;
            continue;
        }
        struct events_event ev;
        st->rows++;
        switch (fmt) {
        case EVENTS_FORMAT_GDELT:
            rc = events__gdelt_parse(&ev, &row, opt->skip, st, &rowerr);
            break;
        case EVENTS_FORMAT_UCDP:
            rc = events__ucdp_parse(&ev, &map, &row, st, &rowerr);
            break;
        case EVENTS_FORMAT_ICEWS:
            rc = events__icews_parse(&ev, &map, &row, st, &rowerr);
            break;
        default:
            rc = events__views_parse(&ev, &map, &row, st, &rowerr);
            break;
        }
        if (rc < 0) {
            if (opt->strict) {
                *err = rowerr;
                break;
            }
            events_stats_bad_row(st, &rowerr);
            continue;
        }
        if (!in_range(opt, ev.day)) {
            st->filtered++;
            continue;
        }
        rc = sink->event(sink->ctx[0], &ev, err);
        if (rc < 0) {
            break;
        }
    }
    if (rc == 0 && need_header) {
        rc = gsi_err_at(err, GSI_EDATA, path, 1, 0, "empty file: expected a %s header row",
                        events_format_name(fmt));
    }
    gsi_progress_finish(&progress);
    gsi_csv_close(&c);
    return rc < 0 ? rc : 0;
}

int events_scan(const char *path, const struct events_scan_options *opt, struct events_sink *sink,
                struct events_stats *stats, struct gsi_err *err)
{
    enum events_format fmt = opt->format;
    if (strcmp(path, "-") == 0) {
        if (fmt == EVENTS_FORMAT_AUTO) {
            return gsi_err_set(err, GSI_EUSAGE,
                               "reading standard input needs --input-format "
                               "gdelt|ucdp|icews|views");
        }
        return scan_records(path, fmt, opt, sink, stats, err);
    }
    /* O_NONBLOCK: a FIFO with no writer must be refused below, not waited on at open. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        return gsi_err_at(err, GSI_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return gsi_err_at(err, GSI_EIO, path, 0, 0,
                          "not a regular file (to read a pipe, give - and --input-format)");
    }
    int rc = 0;
    if (fmt == EVENTS_FORMAT_AUTO) {
        char head[HEAD_BYTES];
        ssize_t n = pread(fd, head, sizeof head, 0);
        if (n < 0) {
            rc = gsi_err_at(err, GSI_EIO, path, 0, 0, "read failed: %s", strerror(errno));
        } else if (n == 0) {
            rc = gsi_err_at(err, GSI_EDATA, path, 0, 0, "empty file: expected event data");
        } else {
            rc = events_format_detect(&fmt, head, (size_t)n, path, err);
        }
    }
    if (rc == 0 && fmt == EVENTS_FORMAT_GDELT) {
        rc = events__lines_scan(fd, (uint64_t)st.st_size, path, opt, sink, stats, err);
        close(fd);
        return rc;
    }
    close(fd);
    if (rc < 0) {
        return rc;
    }
    return scan_records(path, fmt, opt, sink, stats, err);
}
