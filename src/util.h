/* Small helpers every module shares: the error buffer, strict number and
 * duration parsing, and text sanitizing for log lines. No I/O, no globals;
 * nothing here logs. */
#ifndef IPASND_UTIL_H
#define IPASND_UTIL_H

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A one-line reason a call failed, filled by the callee (as libcurl's error
 * buffer is). Callers decide whether and how to log it. */
struct error {
    char msg[256];
};

void error_set(struct error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void error_vset(struct error *err, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Exit codes (sysexits). */
enum {
    EXIT_USAGE = 64,
    EXIT_DATAERR = 65,
    EXIT_UNAVAILABLE = 69,
    EXIT_SOFTWARE = 70,
    EXIT_TEMPFAIL = 75,
    EXIT_CONFIG = 78,
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A branch only a bug can reach: says where, and aborts. */
#define assert_not_reached() util_not_reached(__FILE__, __LINE__, __func__)
_Noreturn void util_not_reached(const char *file, int line, const char *func);

/* a / b rounded toward minus infinity (b > 0). */
long long div_floor(long long a, long long b);

/* Whole-string integer parse with range check; 0 on success, -1 otherwise. */
int parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);

/* Whole-string finite double parse; 0 on success, -1 otherwise. */
int parse_double(const char *s, double *out);

/* A duration: "90", "90s", "15m", "1h", "7d", or a sum like "1h30m".
 * Stores seconds; 0 on success, -1 on syntax error or overflow. */
int parse_duration(const char *s, int64_t *seconds);

/* Copies src into dst (size bytes), dropping control characters (C0, DEL,
 * and the C1 range when encoded as UTF-8) and the bidirectional controls
 * that reorder text on screen; always NUL-terminates. */
void text_strip(char *dst, size_t size, const char *src);

/* text_strip of the whole of src into a heap string (caller frees), with
 * each tab and line break a space: one line, safe for a terminal or a
 * spreadsheet cell. */
char *text_flat(const char *src);

/* Like text_strip, but wraps the result in double quotes and escapes
 * embedded quotes and backslashes, for user-supplied values in messages. */
void text_quote(char *dst, size_t size, const char *src);

/* The bytes of the UTF-8 sequence s starts: 1 for ASCII and for any byte
 * that does not start a whole, well-formed sequence. */
size_t utf8_seq_len(const unsigned char *s);
/* Whether s is well-formed UTF-8 (no overlong form, no surrogate). */
bool utf8_valid(const char *s);
/* The code points of s, a stray byte counting as one. */
size_t utf8_width(const char *s);

/* Points as the regulation writes them, from tenths: "22.5", "30", "-0.5". */
const char *fmt_tenths(char *buf, size_t size, int tenths);
/* Hundredths with two decimals: "74.10", "-0.85"; with plus, "+7.25". */
const char *fmt_hundredths(char *buf, size_t size, long long h, bool plus);

/* Replaces every occurrence of secret (4 bytes or more) in s by "***";
 * the text only shrinks. */
void text_redact(char *s, const char *secret);

/* Appends to a growable heap string; aborts on out-of-memory. */
struct strbuf {
    char *s;
    size_t len, cap;
};
void strbuf_append(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_addn(struct strbuf *b, const char *s, size_t n);
void strbuf_free(struct strbuf *b);

/* malloc/calloc/realloc/strdup that abort on out-of-memory. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* v with thousands separators, "10,234", into buf; returns buf. */
const char *fmt_thousands(char *buf, size_t size, long long v);
/* A span of seconds: "45s", "12 min", "3 h 05 min", "2 d 4 h". */
const char *fmt_span(char *buf, size_t size, long long s);

/* The wait before retry number `retry` (0 = the first retry): u (in
 * [0, 1]) times min(cap_ms, 1000 ms * 2^retry). u uniform gives full
 * jitter; 1 the plain exponential backoff. */
int64_t backoff_ms(int retry, int64_t cap_ms, double u);

/* What a wait checks while it sleeps: it ends early, returning -1, once
 * stop(ud) says so; tick(ud) runs at every wake-up (about every 100 ms),
 * for a caller's own proof of progress. Either may be NULL. */
struct sleep_hooks {
    bool (*stop)(void *ud);
    void (*tick)(void *ud);
    void *ud;
};
/* Sleeps ms; 0 when the time passed, -1 when stopped first. */
int sleep_abortable(int64_t ms, const struct sleep_hooks *h);

/* Monotonic and wall clocks in milliseconds. */
int64_t now_monotonic_ms(void);
int64_t now_realtime_ms(void);

/* Starts a helper thread with the signals ipasnd handles (SIGTERM, SIGINT,
 * SIGHUP, SIGUSR1) blocked in it: their handlers run on the main thread,
 * which owns the loop and the database connection. pthread_create's
 * result. */
int thread_start(pthread_t *t, void *(*fn)(void *), void *arg);

/* 64-bit FNV-1a, for change detection (not for security). Chain calls by
 * passing the previous result as seed; start with HASH64_INIT. */
#define HASH64_INIT 0xcbf29ce484222325ULL
uint64_t hash64(const void *data, size_t n, uint64_t seed);

#endif
