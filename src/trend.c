#include "autoconfig.h"

#include "trend.h"

#include <math.h>
#include <string.h>

void trend_fit(const struct trend_point *pts, size_t n, int cutoff, long long target,
               struct trend_fit *out)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0, den, proj;
    int m = 0;

    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < n; i++) {
        double x = pts[i].day, y = (double)pts[i].value;

        if (pts[i].day > 0 || pts[i].day <= -TREND_WINDOW)
            continue;
        m++;
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
    }
    out->days = m;
    den = m * sxx - sx * sx;
    if (m < TREND_MIN_DAYS || den <= 0)
        return;
    out->enough = true;
    out->slope = (m * sxy - sx * sy) / den;
    out->intercept = (sy - out->slope * sx) / m;
    proj = out->intercept + out->slope * cutoff;
    out->projected = (long long)floor(proj + 0.5);
    out->reaches = out->projected >= target;
}
