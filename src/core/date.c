/* date.c — civil-date arithmetic (see date.h). Algorithms from H. Hinnant, "chrono-Compatible
 * Low-Level Date Algorithms". */
#include "core/date.h"

#include <assert.h>
#include <stdio.h>
#include <time.h>

#include "core/err.h"

int32_t gsi_date_from_civil(int y, int m, int d)
{
    assert(m >= 1 && m <= 12 && d >= 1 && d <= 31 && "gsi_date_from_civil: unchecked date");
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

void gsi_date_to_civil(int32_t day, int *y, int *m, int *d)
{
    const int32_t z = day + 719468;
    const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int32_t doe = z - era * 146097;
    const int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int32_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int gsi_date_valid(int y, int m, int d)
{
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (y < GSI_DATE_MIN_YEAR || y > GSI_DATE_MAX_YEAR || m < 1 || m > 12 || d < 1) {
        return 0;
    }
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        unsigned c = (unsigned)(unsigned char)s[i] - '0';
        if (c > 9) {
            return -1;
        }
        v = v * 10 + (int)c;
    }
    return v;
}

int gsi_date_parse(int32_t *day, const char *s, size_t n)
{
    int y, m, d;
    if (n == 8) {
        y = digits(s, 4);
        m = digits(s + 4, 2);
        d = digits(s + 6, 2);
    } else if (n >= 10 && s[4] == '-' && s[7] == '-') {
        if (n > 10 && s[10] != ' ' && s[10] != 'T') {
            return GSI_EDATA;
        }
        y = digits(s, 4);
        m = digits(s + 5, 2);
        d = digits(s + 8, 2);
    } else {
        return GSI_EDATA;
    }
    if (y < 0 || m < 0 || d < 0 || !gsi_date_valid(y, m, d)) {
        return GSI_EDATA;
    }
    *day = gsi_date_from_civil(y, m, d);
    return 0;
}

void gsi_date_format(char out[11], int32_t day)
{
    int y, m, d;
    gsi_date_to_civil(day, &y, &m, &d);
    /* Years are kept within GSI_DATE_MIN_YEAR..GSI_DATE_MAX_YEAR by every parser. */
    unsigned uy = (unsigned)y % 10000u, um = (unsigned)m % 100u, ud = (unsigned)d % 100u;
    snprintf(out, 11, "%04u-%02u-%02u", uy, um, ud);
}

int gsi_month_id(int y, int m)
{
    return (y - 1980) * 12 + m;
}

void gsi_month_from_id(int month_id, int *y, int *m)
{
    int z = month_id - 1;
    int q = z >= 0 ? z / 12 : -((-z + 11) / 12);
    *y = 1980 + q;
    *m = z - q * 12 + 1;
}

int gsi_month_parse(int *month_id, const char *s, size_t n)
{
    if (n != 7 || s[4] != '-') {
        return GSI_EDATA;
    }
    int y = digits(s, 4);
    int m = digits(s + 5, 2);
    if (y < GSI_DATE_MIN_YEAR || y > GSI_DATE_MAX_YEAR || m < 1 || m > 12) {
        return GSI_EDATA;
    }
    *month_id = gsi_month_id(y, m);
    return 0;
}

int64_t gsi_time_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void gsi_time_format_us(char out[GSI_TIME_MAX], int64_t us)
{
    time_t secs = (time_t)(us / 1000000);
    long frac = (long)(us % 1000000);
    if (frac < 0) {
        frac += 1000000;
        secs -= 1;
    }
    struct tm tm;
    gmtime_r(&secs, &tm);
    char tmp[96];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
    snprintf(out, GSI_TIME_MAX, "%.31s", tmp);
}
