/* log: the stderr target's line format, field sanitizing, levels, and the
 * MESSAGE_ID table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

/* Runs fn with stderr captured; returns what it wrote (caller frees). */
static char *capture(void (*fn)(void))
{
    FILE *tmp = tmpfile();
    int saved = dup(STDERR_FILENO);
    char *out = calloc(1, 8192);

    assert_non_null(tmp);
    fflush(stderr);
    dup2(fileno(tmp), STDERR_FILENO);
    fn();
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    rewind(tmp);
    assert_true(fread(out, 1, 8191, tmp) < 8191);
    fclose(tmp);
    return out;
}

static void emit_dq(void)
{
    char q[128];

    text_quote(q, sizeof(q), "Dinas\nKes\x1b[2Jehatan");
    log_event(LOG_WARNING, "dq_issue",
              LOG_FIELDS({"NIP", "198501012010011001"}, {"DQ_CODE", "skp_missing"},
                         {"DQ_FIELD", "rwSkp22"}, {"OPD_NAME", "Dinas\tKes \"x\""},
                         {"bad key", "dropped"}, {"EMPTY", NULL}),
              "no SKP for 2024 in %s\r\nforged line", q);
}

static void emit_levels(void)
{
    log_debug("hidden debug");
    log_info("shown info");
    log_err("shown err");
}

static void test_stderr_line(void **state)
{
    char *out;

    unsetenv("JOURNAL_STREAM");
    log_open(LOG_TARGET_STDERR, LOG_INFO);
    out = capture(emit_dq);
    /* One line, control characters gone, fields as key=value. */
    assert_int_equal(strchr(out, '\n') - out + 1, (long)strlen(out));
    assert_non_null(strstr(out, " ipasnd warning: no SKP for 2024 in \"DinasKes[2Jehatan\""
                                "forged line IPASN_EVENT=dq_issue NIP=198501012010011001 "
                                "DQ_CODE=skp_missing DQ_FIELD=rwSkp22 "
                                "OPD_NAME=\"DinasKes \\\"x\\\"\"\n"));
    assert_null(strstr(out, "bad key"));
    assert_null(strstr(out, "EMPTY"));
    free(out);
}

static void test_levels(void **state)
{
    char *out;

    log_open(LOG_TARGET_STDERR, LOG_INFO);
    out = capture(emit_levels);
    assert_null(strstr(out, "hidden debug"));
    assert_non_null(strstr(out, "info: shown info\n"));
    assert_non_null(strstr(out, "err: shown err\n"));
    free(out);
    log_set_level(LOG_ERR);
    out = capture(emit_levels);
    assert_null(strstr(out, "shown info"));
    assert_non_null(strstr(out, "shown err"));
    free(out);
}

static void test_journal_stream_prefix(void **state)
{
    char *out;
    FILE *tmp = tmpfile();
    int saved = dup(STDERR_FILENO);
    struct stat st;
    char env[64];

    /* Pretend stderr is a journal stream: JOURNAL_STREAM names its dev:ino. */
    fflush(stderr);
    dup2(fileno(tmp), STDERR_FILENO);
    fstat(STDERR_FILENO, &st);
    snprintf(env, sizeof(env), "%llu:%llu", (unsigned long long)st.st_dev,
             (unsigned long long)st.st_ino);
    setenv("JOURNAL_STREAM", env, 1);
    log_open(LOG_TARGET_STDERR, LOG_INFO);
    log_err("with prefix");
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    unsetenv("JOURNAL_STREAM");
    rewind(tmp);
    out = calloc(1, 256);
    assert_true(fread(out, 1, 255, tmp) > 0);
    fclose(tmp);
    assert_string_equal(out, "<3>with prefix\n");
    free(out);
    log_open(LOG_TARGET_STDERR, LOG_INFO);
}

static void test_message_ids(void **state)
{
    static const char *const events[] = {"sync_started", "sync_finished",   "sync_failed",
                                         "dq_issue",     "dq_resolved",     "record_quarantined",
                                         "rate_limited", "config_reloaded", "page_written"};

    for (size_t i = 0; i < ARRAY_SIZE(events); i++) {
        const char *id = log_message_id(events[i]);

        assert_non_null(id);
        assert_int_equal(strlen(id), 32);
        assert_int_equal(strspn(id, "0123456789abcdef"), 32);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(id, log_message_id(events[j]));
    }
    assert_null(log_message_id("message"));
}

/* Every event with a MESSAGE_ID is explained in the journal catalog, and
 * the catalog explains no id the code does not use. */
static void test_catalog_matches(void **state)
{
    static const char *const events[] = {"daemon_started",     "daemon_stopping",
                                         "sync_started",       "page_written",
                                         "sync_finished",      "sync_failed",
                                         "sync_skipped",       "dq_issue",
                                         "dq_resolved",        "dq_summary",
                                         "record_quarantined", "rate_limited",
                                         "config_reloaded",    "config_rejected",
                                         "http_retry",         "db_reconnect",
                                         "listing_restarted",  "token_refreshed",
                                         "listing_loop",       "clock_skew",
                                         "siasn_sso_refused",  "siasn_employee_failed",
                                         "siasn_roster",       "siasn_due"};
    FILE *f = fopen(TOP_SRCDIR "/systemd/ipasnd.catalog", "r");
    char line[512];
    size_t found = 0;

    assert_non_null(f);
    while (fgets(line, sizeof(line), f)) {
        bool known = false;

        if (strncmp(line, "-- ", 3) != 0)
            continue;
        line[strcspn(line, "\n")] = '\0';
        for (size_t i = 0; i < ARRAY_SIZE(events); i++)
            if (strcmp(line + 3, log_message_id(events[i])) == 0)
                known = true;
        if (!known)
            fail_msg("the catalog explains %s, which no event uses", line + 3);
        found++;
    }
    fclose(f);
    assert_int_equal(found, ARRAY_SIZE(events));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stderr_line),           cmocka_unit_test(test_levels),
        cmocka_unit_test(test_journal_stream_prefix), cmocka_unit_test(test_message_ids),
        cmocka_unit_test(test_catalog_matches),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
