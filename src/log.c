#include "autoconfig.h"

#include "log.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_SYSTEMD
#include <systemd/sd-journal.h>
#endif

#define JOURNAL_SOCKET "/run/systemd/journal/socket"
#define MAX_FIELDS     24

static struct {
    bool journal;       /* native journal protocol */
    bool stderr_stream; /* stderr is connected to the journal: <N> prefixes */
    int level;
} log_state = {false, false, LOG_INFO};

/* Fixed ids of the key events; systemd/ipasnd.catalog explains each. */
static const struct {
    const char *event, *id;
} message_ids[] = {
    {"daemon_started", "1d3fdc27b5244f70826badadbbee3652"},
    {"daemon_stopping", "30e7bf0bca344213ac278fb65d80d90e"},
    {"sync_started", "f27703f311924056b5671ba26365cf28"},
    {"page_written", "31dfe58cca2a4680b6a0adee1d4ea5c9"},
    {"sync_finished", "414652c0749c42dba983182417a5e296"},
    {"sync_failed", "71ef9779975e46d097544fc74373a7fb"},
    {"sync_skipped", "00a5bec76fea476e93221a30eb5e166a"},
    {"dq_issue", "89c65c3e558a4009ad0accc2dcbd982c"},
    {"dq_resolved", "c9955b6a661543eeae3f9ea7dc871a92"},
    {"dq_summary", "41386231923b4410aa2003124007a5c9"},
    {"record_quarantined", "07effb1c7a7f4a0486a731f5b63f86f3"},
    {"rate_limited", "c2f6a9413f1747f7918bfea7e1639bb3"},
    {"config_reloaded", "97ee9872e7414333a86952d52077e12c"},
    {"config_rejected", "428b143b5d534fe38a5d07a1877a0734"},
    {"http_retry", "ab54d06ad4c24225a347b389d7a4c3fd"},
    {"db_reconnect", "af243d44e37c403ea92e0d0d6ee4c855"},
    {"listing_restarted", "e6e873ce164c45c8b7de00fa6c24a86e"},
    {"token_refreshed", "330e76a16e114f5a844698be3ee92000"},
    {"listing_loop", "7e479b21149b49c68c37c67dcd01b67a"},
    {"clock_skew", "c1b7cd6c7e214196b982384473f33daa"},
    {"siasn_sso_refused", "21a715669c6b47e2ac9dd403c20963d3"},
    {"siasn_employee_failed", "10f7514ffca647539801220a9aa31c41"},
    {"siasn_roster", "631a70e9822d4d2c8f780089c01f8e38"},
    {"siasn_due", "c3c33ad887634976961c5dd8c92fc594"},
};

const char *log_message_id(const char *event)
{
    for (size_t i = 0; i < ARRAY_SIZE(message_ids); i++)
        if (strcmp(message_ids[i].event, event) == 0)
            return message_ids[i].id;
    return NULL;
}

/* JOURNAL_STREAM=dev:ino names the stream systemd connected stderr to. */
static bool stderr_is_journal_stream(void)
{
    const char *e = getenv("JOURNAL_STREAM");
    unsigned long long dev, ino;
    struct stat st;

    if (!e || sscanf(e, "%llu:%llu", &dev, &ino) != 2 || fstat(STDERR_FILENO, &st) < 0)
        return false;
    return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void log_open(enum log_target target, int level)
{
    bool under_systemd = getenv("JOURNAL_STREAM") || getenv("INVOCATION_ID");
    bool socket_there = access(JOURNAL_SOCKET, W_OK) == 0;

    log_state.level = level;
    log_state.stderr_stream = stderr_is_journal_stream();
    switch (target) {
    case LOG_TARGET_JOURNAL:
        log_state.journal = true;
        break;
    case LOG_TARGET_STDERR:
        log_state.journal = false;
        break;
    case LOG_TARGET_AUTO:
    default:
        log_state.journal = under_systemd && socket_there;
        break;
    }
#ifndef HAVE_SYSTEMD
    if (log_state.journal) {
        log_state.journal = false;
        if (target == LOG_TARGET_JOURNAL)
            log_warning("log.target is \"journal\" but ipasnd was built without systemd "
                        "support; logging to stderr");
    }
#endif
}

void log_set_level(int level)
{
    log_state.level = level;
}

int log_get_level(void)
{
    return log_state.level;
}

bool log_to_journal(void)
{
    return log_state.journal;
}

static const char *prio_name(int prio)
{
    static const char *const names[] = {"emerg",   "alert",  "crit", "err",
                                        "warning", "notice", "info", "debug"};

    return prio >= 0 && prio < 8 ? names[prio] : "info";
}

static bool field_key_ok(const char *k)
{
    if (!k || !*k || *k == '_')
        return false;
    for (; *k; k++)
        if (!((*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9') || *k == '_'))
            return false;
    return true;
}

#ifdef HAVE_SYSTEMD
static int send_journal(int prio, const char *event, const struct log_field *fields,
                        const char *msg)
{
    struct iovec iov[MAX_FIELDS + 6];
    char *bufs[MAX_FIELDS + 6];
    int n = 0, r;
    const char *id = log_message_id(event);

    bufs[n] = NULL;
    if (asprintf(&bufs[n], "MESSAGE=%s", msg) >= 0)
        n++;
    if (asprintf(&bufs[n], "PRIORITY=%d", prio) >= 0)
        n++;
    if (asprintf(&bufs[n], "SYSLOG_IDENTIFIER=ipasnd") >= 0)
        n++;
    if (asprintf(&bufs[n], "IPASN_EVENT=%s", event) >= 0)
        n++;
    if (id && asprintf(&bufs[n], "MESSAGE_ID=%s", id) >= 0)
        n++;
    for (size_t i = 0; fields && fields[i].key && n < MAX_FIELDS + 5; i++) {
        char clean[1024];

        if (!fields[i].value || !field_key_ok(fields[i].key))
            continue;
        text_strip(clean, sizeof(clean), fields[i].value);
        if (asprintf(&bufs[n], "%s=%s", fields[i].key, clean) >= 0)
            n++;
    }
    for (int i = 0; i < n; i++) {
        iov[i].iov_base = bufs[i];
        iov[i].iov_len = strlen(bufs[i]);
    }
    r = sd_journal_sendv(iov, n);
    for (int i = 0; i < n; i++)
        free(bufs[i]);
    return r;
}
#endif

static void send_stderr(int prio, const char *event, const struct log_field *fields,
                        const char *msg)
{
    struct strbuf line = {0};

    if (log_state.stderr_stream) {
        strbuf_append(&line, "<%d>", prio);
    } else {
        char ts[32];
        time_t t = time(NULL);
        struct tm tm;

        strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", localtime_r(&t, &tm));
        strbuf_append(&line, "%s ipasnd %s: ", ts, prio_name(prio));
    }
    strbuf_append(&line, "%s", msg);
    if (strcmp(event, "message") != 0)
        strbuf_append(&line, " IPASN_EVENT=%s", event);
    for (size_t i = 0; fields && fields[i].key; i++) {
        char clean[1024];

        if (!fields[i].value || !field_key_ok(fields[i].key))
            continue;
        if (strpbrk(fields[i].value, " \t\"\\=") || !*fields[i].value)
            text_quote(clean, sizeof(clean), fields[i].value);
        else
            text_strip(clean, sizeof(clean), fields[i].value);
        strbuf_append(&line, " %s=%s", fields[i].key, clean);
    }
    strbuf_append(&line, "\n");
    fputs(line.s, stderr);
    fflush(stderr);
    strbuf_free(&line);
}

void log_event(int prio, const char *event, const struct log_field *fields, const char *fmt, ...)
{
    char raw[2048], msg[2048];
    va_list ap;

    if (prio > log_state.level)
        return;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof(raw), fmt, ap);
    va_end(ap);
    text_strip(msg, sizeof(msg), raw);
#ifdef HAVE_SYSTEMD
    if (log_state.journal && send_journal(prio, event, fields, msg) >= 0)
        return;
#endif
    send_stderr(prio, event, fields, msg);
}
