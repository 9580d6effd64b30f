/*
 * date.h — civil dates (proleptic Gregorian, UTC) as day numbers, and ViEWS month ids.
 *
 * A day number counts days since 1970-01-01 (day 0), negative before it. Month ids follow
 * ViEWS: month_id 1 = 1980-01, 457 = 2018-01, 516 = 2022-12.
 */
#ifndef GSI_CORE_DATE_H
#define GSI_CORE_DATE_H

#include <stddef.h>
#include <stdint.h>

#define GSI_DATE_MIN_YEAR 1800
#define GSI_DATE_MAX_YEAR 2200

/* Day number of y-m-d (Hinnant's days_from_civil). The caller has checked the ranges. */
int32_t gsi_date_from_civil(int y, int m, int d);
/* Inverse of gsi_date_from_civil. */
void gsi_date_to_civil(int32_t day, int *y, int *m, int *d);
/* 1 when y-m-d is a real calendar date between GSI_DATE_MIN_YEAR and GSI_DATE_MAX_YEAR. */
int gsi_date_valid(int y, int m, int d);

/* Parses "YYYY-MM-DD" (optionally followed by a time "[ T]HH:MM:SS[.fff]" that is ignored)
 * or "YYYYMMDD". GSI_EDATA when the slice is neither or the date does not exist. */
int gsi_date_parse(int32_t *day, const char *s, size_t n);
/* Writes "YYYY-MM-DD" (11 bytes with the NUL). */
void gsi_date_format(char out[11], int32_t day);

int gsi_month_id(int y, int m); /* (y-1980)*12 + m */
void gsi_month_from_id(int month_id, int *y, int *m);
/* Parses "YYYY-MM" into a month id; GSI_EDATA otherwise. */
int gsi_month_parse(int *month_id, const char *s, size_t n);

/* Instants: microseconds since 1970-01-01T00:00:00Z (POSIX time, no leap seconds). */
#define GSI_TIME_MAX 32 /* "2026-11-28T01:45:59.123456Z" and its NUL, with room to spare */

/* The wall clock now. Code under test takes the instant as an argument instead. */
int64_t gsi_time_now_us(void);
/* Writes `us` as ISO 8601 UTC with six decimals, "2026-11-28T01:45:59.123456Z"; an instant
 * before 1970 is floored to the second below it, so the fraction is never negative. */
void gsi_time_format_us(char out[GSI_TIME_MAX], int64_t us);

#endif
