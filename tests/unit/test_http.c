/* http: backoff arithmetic with its cap and full-jitter bounds, Retry-After
 * (seconds, the three HTTP-date forms, garbage), URL building and escaping,
 * the token's replacement time, error reasons, and the client's own failures
 * that need no server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <stdatomic.h>

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "http.h"
#include "util.h"

/* ---- backoff ---------------------------------------------------------------- */

static void test_backoff_table(void **state)
{
    static const struct {
        int retry;
        int64_t cap_ms;
        double u;
        int64_t want_ms;
    } rows[] = {
        {0, 60000, 0.0, 0},                              /* full jitter reaches zero */
        {0, 60000, 0.5, 500},                            /* first retry: window 1 s */
        {0, 60000, 0.999, 999},                          /* ... and stays below it */
        {0, 60000, 1.0, 1000},                           /* the window's end itself */
        {1, 60000, 0.5, 1000},                           /* second retry: window 2 s */
        {2, 60000, 1.0, 4000},                           /* 4 s */
        {5, 60000, 1.0, 32000},                          /* 32 s */
        {6, 60000, 1.0, 60000},                          /* 64 s capped at backoff_max 60 s */
        {6, 60000, 0.5, 30000},                          /* jitter applies to the capped window */
        {62, 60000, 1.0, 60000},                         /* no overflow for large retry numbers */
        {1000, 60000, 0.25, 15000}, {3, 1000, 0.5, 500}, /* a cap below the doubling */
        {0, 500, 1.0, 500},                              /* a cap below the first second */
        {4, 86400000, 1.0, 16000},  {0, 60000, -0.5, 0}, /* out-of-range u is clamped */
        {0, 60000, 2.0, 1000},      {0, 60000, NAN, 0},  {0, 0, 0.5, 0}, /* no cap, no wait */
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        int64_t got = backoff_ms(rows[i].retry, rows[i].cap_ms, rows[i].u);

        if (got != rows[i].want_ms)
            print_error("row %zu: retry %d cap %lld u %g: got %lld, want %lld\n", i, rows[i].retry,
                        (long long)rows[i].cap_ms, rows[i].u, (long long)got,
                        (long long)rows[i].want_ms);
        assert_int_equal(got, rows[i].want_ms);
    }
}

/* Over the whole range of u every delay lies in [0, min(cap, 2^retry s)],
 * the bounds are reached, and the mean sits at half the window. */
static void test_backoff_full_jitter_bounds(void **state)
{
    const int64_t cap = 60000;

    for (int retry = 0; retry <= 10; retry++) {
        int64_t window = (int64_t)1000 << retry, lo = INT64_MAX, hi = -1;
        double sum = 0;
        const int n = 10000;

        if (window > cap)
            window = cap;
        for (int k = 0; k < n; k++) {
            double u = (double)k / n;
            int64_t d = backoff_ms(retry, cap, u);

            assert_true(d >= 0 && d <= window);
            lo = d < lo ? d : lo;
            hi = d > hi ? d : hi;
            sum += (double)d;
        }
        assert_int_equal(lo, 0);
        assert_true(hi >= window - window / n - 1);
        assert_true(fabs(sum / n - window / 2.0) <= window * 0.01);
    }
}

/* ---- Retry-After -------------------------------------------------------------- */

static void test_retry_after(void **state)
{
    const time_t now = 1765768200; /* Mon, 15 Dec 2025 03:10:00 GMT */
    static const struct {
        const char *value;
        int rc;
        int64_t seconds;
    } rows[] = {
        {"0", 0, 0},
        {"120", 0, 120},
        {" 7 ", 0, 7},
        {"7\r\n", 0, 7}, /* as a header line ends */
        {"2147483647", 0, 2147483647},
        {"Mon, 15 Dec 2025 03:12:00 GMT", 0, 120},   /* IMF-fixdate */
        {"Monday, 15-Dec-25 03:11:00 GMT", 0, 60},   /* RFC 850 */
        {"Mon Dec 15 03:10:30 2025", 0, 30},         /* asctime */
        {"Tue, 16 Dec 2025 03:10:00 GMT", 0, 86400}, /* a day: the caller decides */
        {"Sun, 14 Dec 2025 03:10:00 GMT", 0, 0},     /* in the past: no wait */
        {"Mon, 15 Dec 2025 03:10:00 GMT", 0, 0},
        {"", -1, 0},
        {"   ", -1, 0},
        {"soon", -1, 0},
        {"-5", -1, 0},
        {"+5", -1, 0},
        {"1.5", -1, 0},
        {"12 s", -1, 0},
        {"0x10", -1, 0},
        {"99999999999", 0, INT64_MAX},          /* beyond any cap, not ignored */
        {"99999999999999999999", 0, INT64_MAX}, /* beyond 64 bits too */
        {"Mon, 15 Dec 2025 03:12:00 GMT and then some more text that makes it too long", -1, 0},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        int64_t got = -42;
        int rc = http_retry_after_parse(rows[i].value, now, &got);

        if (rc != rows[i].rc || (rc == 0 && got != rows[i].seconds))
            print_error("row %zu \"%s\": rc %d seconds %lld\n", i, rows[i].value, rc,
                        (long long)got);
        assert_int_equal(rc, rows[i].rc);
        if (rc == 0)
            assert_int_equal(got, rows[i].seconds);
        else
            assert_int_equal(got, -42); /* untouched on failure */
    }
    assert_int_equal(http_retry_after_parse(NULL, now, &(int64_t){0}), -1);
}

/* ---- URLs ------------------------------------------------------------------------- */

static void test_url_list(void **state)
{
    static const struct {
        const char *base, *since, *cursor;
        int limit;
        const char *want; /* NULL: an error; percent-escapes compare case-insensitively */
    } rows[] = {
        {"https://simpeg.example.go.id/api", NULL, NULL, 500,
         "https://simpeg.example.go.id/api/v1/asn?limit=500"},
        {"https://simpeg.example.go.id/api/", NULL, NULL, 1,
         "https://simpeg.example.go.id/api/v1/asn?limit=1"},
        {"http://127.0.0.1:8080", NULL, NULL, 1000, "http://127.0.0.1:8080/v1/asn?limit=1000"},
        {"http://127.0.0.1:8080/", NULL, NULL, 1000, "http://127.0.0.1:8080/v1/asn?limit=1000"},
        {"https://h.example/api", "2025-12-15T03:05:00Z", NULL, 500,
         "https://h.example/api/v1/asn?updated_since=2025-12-15T03%3a05%3a00Z&limit=500"},
        {"https://h.example/api", "2025-12-15T03:05:00+07:00", NULL, 500,
         "https://h.example/api/v1/asn?updated_since=2025-12-15T03%3a05%3a00%2b07%3a00&limit=500"},
        {"https://h.example/api", NULL, "ab+c/d==", 500,
         "https://h.example/api/v1/asn?cursor=ab%2bc%2fd%3d%3d&limit=500"},
        {"https://h.example/api", "2025-01-01T00:00:00Z", "x y&z=1#f", 10,
         "https://h.example/api/v1/asn?updated_since=2025-01-01T00%3a00%3a00Z"
         "&cursor=x+y%26z%3d1%23f&limit=10"},
        {"https://h.example/api", NULL, "", 10, "https://h.example/api/v1/asn?cursor=&limit=10"},
        {"https://h.example/api", NULL, NULL, 0, NULL},
        {"https://h.example/api", NULL, NULL, 1001, NULL},
        {"not a url", NULL, NULL, 10, NULL},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct error err = {{0}};
        char *got = http_url_list(rows[i].base, rows[i].since, rows[i].cursor, rows[i].limit, &err);

        if (!rows[i].want) {
            assert_null(got);
            assert_true(err.msg[0] != '\0');
            continue;
        }
        if (!got || strcasecmp(got, rows[i].want) != 0)
            print_error("row %zu: got %s\n          want %s (%s)\n", i, got ? got : "NULL",
                        rows[i].want, err.msg);
        assert_non_null(got);
        assert_true(strcasecmp(got, rows[i].want) == 0);
        free(got);
    }
}

static void test_url_employee(void **state)
{
    static const struct {
        const char *base, *nip, *want;
    } rows[] = {
        {"https://h.example/api", "198503122010011002",
         "https://h.example/api/v1/asn/198503122010011002"},
        {"https://h.example/api/", "198503122010011002",
         "https://h.example/api/v1/asn/198503122010011002"},
        {"https://h.example/api", "a/b", "https://h.example/api/v1/asn/a%2fb"},
        {"https://h.example/api", "../x", "https://h.example/api/v1/asn/..%2fx"},
        {"https://h.example/api", "1 2?3", "https://h.example/api/v1/asn/1%202%3f3"},
        {"https://h.example/api", "", NULL},
        {"https://h.example/api", ".", NULL},
        {"https://h.example/api", "..", NULL},
        {"https://h.example/api",
         "12345678901234567890123456789012345678901234567890123456789012345", NULL},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct error err = {{0}};
        char *got = http_url_employee(rows[i].base, rows[i].nip, &err);

        if (!rows[i].want) {
            assert_null(got);
            assert_true(err.msg[0] != '\0');
            continue;
        }
        if (!got || strcasecmp(got, rows[i].want) != 0)
            print_error("row %zu: got %s, want %s\n", i, got ? got : "NULL", rows[i].want);
        assert_non_null(got);
        assert_true(strcasecmp(got, rows[i].want) == 0);
        free(got);
    }
}

/* ---- the token's lifetime --------------------------------------------------------- */

static void test_token_usable(void **state)
{
    static const struct {
        int64_t now_ms, obtained_ms, expires_in;
        bool usable;
    } rows[] = {
        {0, 0, 3600, true},
        {3539999, 0, 3600, true},  /* 60 s before expiry: still sent ... */
        {3540000, 0, 3600, false}, /* ... from then on replaced */
        {3600000, 0, 3600, false},
        {1003539999, 1000000000, 3600, true}, /* relative to when it was obtained */
        {1003540000, 1000000000, 3600, false},
        {59999, 0, 120, true}, /* 120 s: the 60 s margin still applies */
        {60000, 0, 120, false},
        {59499, 0, 119, true}, /* shorter lifetimes: replaced halfway */
        {59500, 0, 119, false},
        {29999, 0, 60, true},
        {30000, 0, 60, false},
        {499, 0, 1, true},
        {500, 0, 1, false},
        {INT64_MAX / 2, 0, -1, true}, /* no expires_in: kept until refused */
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        bool got = http_token_usable(rows[i].now_ms, rows[i].obtained_ms, rows[i].expires_in);

        if (got != rows[i].usable)
            print_error("row %zu: got %d\n", i, got);
        assert_int_equal(got, rows[i].usable);
    }
}

/* ---- error reasons ------------------------------------------------------------------ */

static void test_error_reason(void **state)
{
    static const struct {
        const char *body;
        const char *want;
    } rows[] = {
        {"{\"error\":{\"code\":\"bad_limit\",\"message\":\"limit must be 1..1000\"}}",
         "bad_limit: limit must be 1..1000"},
        {"{\"error\":{\"message\":\"no such employee\"}}", "no such employee"},
        {"{\"error\":{\"code\":\"forbidden\"}}", "forbidden"},
        {"{\"code\":0,\"data\":\"NIP tidak ditemukan\"}", "NIP tidak ditemukan"},
        {"{\"error\":\"invalid_client\",\"error_description\":\"unknown client\"}",
         "invalid_client: unknown client"},
        {"{\"error\":\"invalid_scope\"}", "invalid_scope"},
        {"{\"error\":{\"code\":\"x\",\"message\":\"a\\u0007b\\nc\\u001bd\"}}", "x: abcd"},
        {"{\"error\":{\"code\":\"x\"},\"error\":{\"code\":\"y\"}}", ""}, /* duplicate keys */
        {"<html><body>Bad Gateway</body></html>", ""},
        {"", ""},
        {"[1,2]", ""},
        {"{\"error\":{\"code\":5,\"message\":[]}}", ""},
    };
    char out[121];

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        http_error_reason(rows[i].body, strlen(rows[i].body), out, sizeof(out));
        if (strcmp(out, rows[i].want) != 0)
            print_error("row %zu: got \"%s\", want \"%s\"\n", i, out, rows[i].want);
        assert_string_equal(out, rows[i].want);
    }
}

/* A long reason is cut to the buffer. */
static void test_error_reason_bounded(void **state)
{
    struct strbuf b = {0};
    char out[64];

    strbuf_append(&b, "{\"error\":{\"message\":\"");
    for (int i = 0; i < 1000; i++)
        strbuf_append(&b, "x");
    strbuf_append(&b, "\"}}");
    http_error_reason(b.s, b.len, out, sizeof(out));
    assert_int_equal(strlen(out), sizeof(out) - 1);
    http_error_reason(NULL, 0, out, sizeof(out));
    assert_string_equal(out, "");
    strbuf_free(&b);
}

/* ---- results -------------------------------------------------------------------------- */

static void test_results(void **state)
{
    static const struct {
        enum http_result r;
        const char *name;
        int exit_code;
    } rows[] = {
        {HTTP_OK, "ok", 0},
        {HTTP_UNAVAILABLE, "unavailable", 75},
        {HTTP_REFUSED, "refused", 69},
        {HTTP_NOT_FOUND, "not_found", 69},
        {HTTP_AUTH, "auth", 69},
        {HTTP_GONE, "gone", 75},
        {HTTP_TOO_BIG, "too_big", 69},
        {HTTP_ABORTED, "aborted", 75}, /* a stop: the work is left for later */
        {HTTP_FAILED, "failed", 69},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        assert_string_equal(http_result_name(rows[i].r), rows[i].name);
        assert_int_equal(http_result_exit_code(rows[i].r), rows[i].exit_code);
    }
}

/* ---- the client without a server ------------------------------------------------------- */

static struct config *test_config(const char *url)
{
    struct config *cfg = config_defaults();

    free(cfg->source.url);
    cfg->source.url = xstrdup(url);
    cfg->source.retries = 1;
    cfg->source.backoff_max = 1;
    cfg->source.rate_limit = 1000;
    cfg->source.connect_timeout = 1;
    cfg->source.timeout = 2;
    return cfg;
}

struct seen {
    int requests, retries;
    int64_t waited_ms;
};

static void count_event(void *ud, const struct http_event *ev)
{
    struct seen *s = ud;

    if (ev->kind == HTTP_EVENT_REQUEST)
        s->requests++;
    if (ev->kind == HTTP_EVENT_RETRY) {
        s->retries++;
        s->waited_ms += ev->wait_ms;
        assert_true(ev->wait_ms >= 0 && ev->wait_ms <= 1000);
    }
}

/* Nothing listens on port 1: two attempts, one bounded wait, then unavailable. */
static void test_connection_refused(void **state)
{
    struct config *cfg = test_config("http://127.0.0.1:1/api");
    struct seen seen = {0};
    struct http_hooks hooks = {.event = count_event, .ud = &seen};
    struct error err = {{0}};
    struct http_response resp;
    struct http_client *c = http_client_new(&cfg->source, &hooks, &err);
    enum http_result r;

    assert_non_null(c);
    r = http_get_page(c, NULL, NULL, 10, &resp, &err);
    assert_int_equal(r, HTTP_UNAVAILABLE);
    assert_int_equal(resp.attempts, 2);
    assert_int_equal(resp.status, 0);
    assert_int_equal(seen.requests, 2);
    assert_int_equal(seen.retries, 1);
    assert_non_null(
        strstr(err.msg, "http://127.0.0.1:1/api/v1/asn still failing after 2 attempts"));
    assert_non_null(strstr(resp.url, "/v1/asn?limit=10"));
    http_response_free(&resp);
    http_client_free(c);
    config_free(cfg);
}

/* A raised abort flag stops the call before any request. */
static void test_abort_before_start(void **state)
{
    struct config *cfg = test_config("http://127.0.0.1:1/api");
    atomic_int flag = 1;
    struct http_hooks hooks = {.abort_flag = &flag};
    struct error err = {{0}};
    struct http_response resp;
    struct http_client *c = http_client_new(&cfg->source, &hooks, &err);

    assert_non_null(c);
    assert_int_equal(http_get_employee(c, "198503122010011002", &resp, &err), HTTP_ABORTED);
    assert_int_equal(resp.attempts, 0);
    assert_non_null(strstr(err.msg, "aborted"));
    http_response_free(&resp);
    http_client_free(c);
    config_free(cfg);
}

/* Only http and https: another scheme fails once, without retries. */
static void test_other_protocols(void **state)
{
    static const char *const urls[] = {"ftp://127.0.0.1:1/api", "file:///etc",
                                       "gopher://127.0.0.1:1/api"};

    for (size_t i = 0; i < ARRAY_SIZE(urls); i++) {
        struct config *cfg = test_config(urls[i]);
        struct error err = {{0}};
        struct http_response resp;
        struct http_client *c = http_client_new(&cfg->source, NULL, &err);

        assert_non_null(c);
        assert_int_equal(http_get_page(c, NULL, NULL, 10, &resp, &err), HTTP_FAILED);
        assert_int_equal(resp.attempts, 1);
        if (!strstr(err.msg, "request to ") || !strstr(err.msg, " failed: "))
            print_error("%s: %s\n", urls[i], err.msg);
        assert_non_null(strstr(err.msg, " failed: "));
        http_response_free(&resp);
        http_client_free(c);
        config_free(cfg);
    }
}

/* A bad argument fails before any request, with a reason. */
static void test_bad_arguments(void **state)
{
    struct config *cfg = test_config("http://127.0.0.1:1/api");
    struct error err = {{0}};
    struct http_response resp;
    struct http_client *c = http_client_new(&cfg->source, NULL, &err);

    assert_non_null(c);
    assert_int_equal(http_get_page(c, NULL, NULL, 5000, &resp, &err), HTTP_FAILED);
    assert_string_equal(err.msg, "limit 5000 is outside 1..1000");
    assert_int_equal(resp.attempts, 0);
    http_response_free(&resp);
    assert_int_equal(http_get_employee(c, "..", &resp, &err), HTTP_FAILED);
    http_response_free(&resp);
    http_response_free(NULL);
    http_client_free(c);
    http_client_free(NULL);
    config_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backoff_table),
        cmocka_unit_test(test_backoff_full_jitter_bounds),
        cmocka_unit_test(test_retry_after),
        cmocka_unit_test(test_url_list),
        cmocka_unit_test(test_url_employee),
        cmocka_unit_test(test_token_usable),
        cmocka_unit_test(test_error_reason),
        cmocka_unit_test(test_error_reason_bounded),
        cmocka_unit_test(test_results),
        cmocka_unit_test(test_connection_refused),
        cmocka_unit_test(test_abort_before_start),
        cmocka_unit_test(test_other_protocols),
        cmocka_unit_test(test_bad_arguments),
    };

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
