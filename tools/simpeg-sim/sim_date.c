/* sim_date.c: civil dates as days since 1970-01-01, and the RFC 3339 times
 * of updated_since. Pure arithmetic. */
#include <stdio.h>
#include <string.h>

#include "sim.h"

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
int32_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + (int32_t)doe - 719468;
}

void civil_from_days(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;

    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)yoe + era * 400 + (*m <= 2);
}

int year_of(int32_t day)
{
    int y, m, d;

    civil_from_days(day, &y, &m, &d);
    return y;
}

bool valid_ymd(int y, int m, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1] + (m == 2 && leap);
}

/* RFC 3339 to Unix seconds: YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM). */
int rfc3339_parse(const char *s, int64_t *out)
{
    int y, mo, d, h, mi, sec, n = 0, oh = 0, om = 0;
    const char *p;
    int64_t t;

    if (sscanf(s, "%4d-%2d-%2d%*[Tt ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 ||
        n != 19 || !valid_ymd(y, mo, d) || h > 23 || mi > 59 || sec > 60)
        return -1;
    p = s + n;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return -1;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    t = (int64_t)days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
        *out = t;
        return 0;
    }
    if ((*p == '+' || *p == '-') && strlen(p) == 6 && sscanf(p + 1, "%2d:%2d", &oh, &om) == 2 &&
        p[3] == ':' && oh < 24 && om < 60) {
        int64_t off = oh * 3600 + om * 60;

        *out = *p == '+' ? t - off : t + off;
        return 0;
    }
    return -1;
}
