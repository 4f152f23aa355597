#include "autoconfig.h"

#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void error_vset(struct error *err, const char *fmt, va_list ap)
{
    if (err)
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

void error_set(struct error *err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_vset(err, fmt, ap);
    va_end(ap);
}

void util_not_reached(const char *file, int line, const char *func)
{
    fprintf(stderr, "ipasnd: %s:%d: %s: a branch that cannot be reached was reached\n", file, line,
            func);
    abort();
}

long long div_floor(long long a, long long b)
{
    long long q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int parse_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
    char *end;
    long long v;

    if (!s || !*s || isspace((unsigned char)*s))
        return -1;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int parse_double(const char *s, double *out)
{
    char *end;
    double v;

    if (!s || !*s || isspace((unsigned char)*s))
        return -1;
    errno = 0;
    v = strtod(s, &end);
    if (errno || *end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int parse_duration(const char *s, int64_t *seconds)
{
    int64_t total = 0;

    if (!s || !*s)
        return -1;
    while (*s) {
        int64_t v = 0, unit;

        if (!isdigit((unsigned char)*s))
            return -1;
        while (isdigit((unsigned char)*s)) {
            if (v > (INT64_MAX - 9) / 10)
                return -1;
            v = v * 10 + (*s++ - '0');
        }
        switch (*s) {
        case '\0':
            /* A bare number is seconds, but only on its own: "1h30" is ambiguous. */
            if (total)
                return -1;
            unit = 1;
            break;
        case 's':
            unit = 1;
            s++;
            break;
        case 'm':
            unit = 60;
            s++;
            break;
        case 'h':
            unit = 3600;
            s++;
            break;
        case 'd':
            unit = 86400;
            s++;
            break;
        default:
            return -1;
        }
        if (v > (INT64_MAX - total) / unit)
            return -1;
        total += v * unit;
    }
    *seconds = total;
    return 0;
}

/* The bytes of a character at s that no reader should get: C0 controls,
 * DEL, C1 controls (U+0080..U+009F) and the bidirectional controls that
 * reorder what a terminal, a spreadsheet or a browser shows (U+061C,
 * U+200E, U+200F, U+202A..U+202E, U+2066..U+2069); 0 for any other. */
static size_t unsafe_len(const unsigned char *s)
{
    if (s[0] < 0x20 || s[0] == 0x7f)
        return 1;
    if (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f)
        return 2;
    if (s[0] == 0xd8 && s[1] == 0x9c)
        return 2;
    if (s[0] == 0xe2 && s[1] == 0x80 &&
        (s[2] == 0x8e || s[2] == 0x8f || (s[2] >= 0xaa && s[2] <= 0xae)))
        return 3;
    if (s[0] == 0xe2 && s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9)
        return 3;
    return 0;
}

size_t utf8_seq_len(const unsigned char *s)
{
    size_t n = *s < 0x80             ? 1
               : (*s & 0xe0) == 0xc0 ? 2
               : (*s & 0xf0) == 0xe0 ? 3
               : (*s & 0xf8) == 0xf0 ? 4
                                     : 1;

    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 1;
    return n;
}

bool utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        size_t n = utf8_seq_len(p);
        uint32_t c;

        if (n == 1) {
            if (*p >= 0x80)
                return false;
            p++;
            continue;
        }
        c = p[0] & (0x7f >> n);
        for (size_t i = 1; i < n; i++)
            c = c << 6 | (p[i] & 0x3f);
        /* overlong forms, surrogates and what lies beyond Unicode */
        if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
            (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
            return false;
        p += n;
    }
    return true;
}

size_t utf8_width(const char *s)
{
    size_t n = 0;

    for (size_t i = 0; s[i]; i += utf8_seq_len((const unsigned char *)s + i))
        n++;
    return n;
}

/* Copies the character at *p to dst + *n if it fits before limit, never
 * splitting a UTF-8 sequence; false when it does not fit. */
static bool copy_char(char *dst, size_t *n, size_t limit, const unsigned char **p)
{
    size_t len = utf8_seq_len(*p);

    if (*n + len > limit)
        return false;
    memcpy(dst + *n, *p, len);
    *n += len;
    *p += len;
    return true;
}

/* Copies src into dst[0..limit), the unsafe characters left out; quote
 * escapes '"' and '\\' with a backslash. Returns the bytes written. */
static size_t copy_safe(char *dst, size_t limit, const char *src, bool quote)
{
    const unsigned char *p = (const unsigned char *)(src ? src : "");
    size_t n = 0, skip;

    while (*p) {
        if ((skip = unsafe_len(p))) {
            p += skip;
            continue;
        }
        if (quote && (*p == '"' || *p == '\\')) {
            if (n + 2 > limit)
                break;
            dst[n++] = '\\';
            dst[n++] = (char)*p++;
            continue;
        }
        if (!copy_char(dst, &n, limit, &p))
            break;
    }
    return n;
}

void text_strip(char *dst, size_t size, const char *src)
{
    if (size == 0)
        return;
    dst[copy_safe(dst, size - 1, src, false)] = '\0';
}

char *text_flat(const char *src)
{
    size_t n = strlen(src ? src : "") + 1;
    char *spaced = xmalloc(n), *out = xmalloc(n);

    for (size_t i = 0; i + 1 < n; i++)
        spaced[i] = src[i] == '\t' || src[i] == '\r' || src[i] == '\n' ? ' ' : src[i];
    spaced[n - 1] = '\0';
    text_strip(out, n, spaced);
    free(spaced);
    return out;
}

void text_quote(char *dst, size_t size, const char *src)
{
    size_t n;

    if (size < 3) {
        if (size)
            dst[0] = '\0';
        return;
    }
    dst[0] = '"';
    /* Room is kept for the closing quote and the terminator. */
    n = 1 + copy_safe(dst + 1, size - 3, src, true);
    dst[n++] = '"';
    dst[n] = '\0';
}

void text_redact(char *s, const char *secret)
{
    size_t n = secret ? strlen(secret) : 0;
    char *p = s;

    if (n < 4)
        return;
    while ((p = strstr(p, secret))) {
        memmove(p + 3, p + n, strlen(p + n) + 1);
        memcpy(p, "***", 3);
        p += 3;
    }
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (!p)
        abort();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);

    if (!p)
        abort();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        abort();
    return p;
}

char *xstrdup(const char *s)
{
    char *p = strdup(s ? s : "");

    if (!p)
        abort();
    return p;
}

static void strbuf_reserve(struct strbuf *b, size_t n)
{
    size_t cap = b->cap ? b->cap : 64;

    if (b->len + n + 1 <= b->cap)
        return;
    while (cap < b->len + n + 1)
        cap *= 2;
    b->s = xrealloc(b->s, cap);
    b->cap = cap;
}

void strbuf_addn(struct strbuf *b, const char *s, size_t n)
{
    strbuf_reserve(b, n);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void strbuf_append(struct strbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    strbuf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void strbuf_free(struct strbuf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

const char *fmt_tenths(char *buf, size_t size, int t)
{
    unsigned a = t < 0 ? 0U - (unsigned)t : (unsigned)t;

    if (a % 10 == 0)
        snprintf(buf, size, "%s%u", t < 0 ? "-" : "", a / 10);
    else
        snprintf(buf, size, "%s%u.%u", t < 0 ? "-" : "", a / 10, a % 10);
    return buf;
}

const char *fmt_hundredths(char *buf, size_t size, long long h, bool plus)
{
    unsigned long long a = h < 0 ? 0ULL - (unsigned long long)h : (unsigned long long)h;

    snprintf(buf, size, "%s%llu.%02llu", h < 0 ? "-" : plus && h > 0 ? "+" : "", a / 100, a % 100);
    return buf;
}

/* "45s", "12 min", "3 h 05 min", "2 d 4 h". */
const char *fmt_span(char *buf, size_t size, long long s)
{
    if (s < 0)
        s = 0;
    if (s < 60)
        snprintf(buf, size, "%llds", s);
    else if (s < 3600)
        snprintf(buf, size, "%lld min", s / 60);
    else if (s < 86400)
        snprintf(buf, size, "%lld h %02lld min", s / 3600, s % 3600 / 60);
    else
        snprintf(buf, size, "%lld d %lld h", s / 86400, s % 86400 / 3600);
    return buf;
}

const char *fmt_thousands(char *buf, size_t size, long long v)
{
    char raw[32];
    size_t len, out = 0, start;

    snprintf(raw, sizeof(raw), "%lld", v);
    len = strlen(raw);
    start = raw[0] == '-';
    for (size_t i = 0; i < len && out + 2 < size; i++) {
        if (i > start && (len - i) % 3 == 0)
            buf[out++] = ',';
        buf[out++] = raw[i];
    }
    buf[out] = '\0';
    return buf;
}

int64_t backoff_ms(int retry, int64_t cap_ms, double u)
{
    int64_t window = 1000;

    if (cap_ms <= 0)
        return 0;
    for (int i = 0; i < retry && window < cap_ms; i++)
        window *= 2;
    if (window > cap_ms)
        window = cap_ms;
    if (!(u > 0.0)) /* also NaN */
        u = 0.0;
    if (u > 1.0)
        u = 1.0;
    return (int64_t)(u * (double)window);
}

#define SLEEP_STEP_MS 100

int sleep_abortable(int64_t ms, const struct sleep_hooks *h)
{
    int64_t end = now_monotonic_ms() + ms;

    for (;;) {
        int64_t now = now_monotonic_ms(), step;
        struct timespec ts;

        if (h && h->stop && h->stop(h->ud))
            return -1;
        if (now >= end)
            return 0;
        step = end - now < SLEEP_STEP_MS ? end - now : SLEEP_STEP_MS;
        ts.tv_sec = 0;
        ts.tv_nsec = (long)step * 1000000L;
        (void)nanosleep(&ts, NULL); /* EINTR: the loop checks again */
        if (h && h->tick)
            h->tick(h->ud);
    }
}

static int64_t clock_ms(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t now_monotonic_ms(void)
{
    return clock_ms(CLOCK_MONOTONIC);
}

int64_t now_realtime_ms(void)
{
    return clock_ms(CLOCK_REALTIME);
}

int thread_start(pthread_t *t, void *(*fn)(void *), void *arg)
{
    static const int handled[] = {SIGTERM, SIGINT, SIGHUP, SIGUSR1};
    sigset_t block, old;
    int rc;

    sigemptyset(&block);
    for (size_t i = 0; i < ARRAY_SIZE(handled); i++)
        sigaddset(&block, handled[i]);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    rc = pthread_create(t, NULL, fn, arg);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

uint64_t hash64(const void *data, size_t n, uint64_t seed)
{
    const unsigned char *p = data;
    uint64_t h = seed;

    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}
