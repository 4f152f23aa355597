/* Logging to the systemd journal (native protocol, with fields) or to
 * stderr (human lines, key=value fields). Every line carries IPASN_EVENT;
 * key events carry a fixed MESSAGE_ID documented in systemd/ipasnd.catalog.
 * Control characters never reach a line; secrets must never be passed in. */
#ifndef IPASND_LOG_H
#define IPASND_LOG_H

#include <stdbool.h>
#include <syslog.h>

#include "config.h"

struct log_field {
    const char *key;   /* journal field name: upper case, digits, '_' */
    const char *value; /* NULL fields are skipped */
};

/* A NULL-terminated field list for log_event: LOG_FIELDS({"NIP", nip}, ...) */
#define LOG_FIELDS(...) ((const struct log_field[]){__VA_ARGS__, {NULL, NULL}})

/* Chooses the target: auto = the journal when this process runs under
 * systemd (JOURNAL_STREAM or INVOCATION_ID set) and the journal socket
 * exists, else stderr. Safe to call again (on reload). */
void log_open(enum log_target target, int level);
void log_set_level(int level);
int log_get_level(void);
bool log_to_journal(void);

/* One event: priority, event name (IPASN_EVENT), fields (may be NULL), and
 * a printf-style message. */
void log_event(int prio, const char *event, const struct log_field *fields, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The MESSAGE_ID of an event, or NULL when it has none. */
const char *log_message_id(const char *event);

#define log_debug(...)   log_event(LOG_DEBUG, "message", NULL, __VA_ARGS__)
#define log_info(...)    log_event(LOG_INFO, "message", NULL, __VA_ARGS__)
#define log_notice(...)  log_event(LOG_NOTICE, "message", NULL, __VA_ARGS__)
#define log_warning(...) log_event(LOG_WARNING, "message", NULL, __VA_ARGS__)
#define log_err(...)     log_event(LOG_ERR, "message", NULL, __VA_ARGS__)

#endif
