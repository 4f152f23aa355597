/* http-driver: runs the SIMPEG HTTP client (src/http.c) from the command
 * line, for the integration tests. It reads source.* from an ipasnd config,
 * makes one call or walks a whole listing, and prints what happened as
 * key=value lines: the result on stdout, events and errors on stderr. A page
 * is accepted only when its body is a JSON object with a "data" array
 * (checked with jansson); nothing of a rejected body is written.
 *
 * Usage: http-driver -c CONFIG [--out FILE] [--events] COMMAND
 *   page [--since T] [--cursor C] [--limit N]   one listing page
 *   employee NIP                                 one record
 *   list [--since T] [--limit N]                 every page until next_cursor is null
 *
 * Exit status: 0 on success or abort (SIGTERM), 65 when a body is not a page,
 * else the result's sysexits code (69, 75); 78 for a bad config.
 */
#include "autoconfig.h"

#include <getopt.h>
#include <jansson.h>
#include <curl/curl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "config.h"
#include "http.h"
#include "util.h"

static atomic_int stop;
static long progress_calls;

static void on_signal(int sig)
{
    atomic_store(&stop, 1);
}

static void on_progress(void *ud)
{
    progress_calls++;
}

static void on_event(void *ud, const struct http_event *ev)
{
    const bool *verbose = ud;

    switch (ev->kind) {
    case HTTP_EVENT_REQUEST:
        if (*verbose)
            fprintf(stderr, "event=request attempt=%d status=%ld bytes=%zu ms=%lld url=%s\n",
                    ev->attempt, ev->status, ev->bytes, (long long)ev->elapsed_ms, ev->url);
        break;
    case HTTP_EVENT_RETRY:
        fprintf(stderr, "event=retry attempt=%d status=%ld wait_ms=%lld url=%s reason=%s\n",
                ev->attempt, ev->status, (long long)ev->wait_ms, ev->url, ev->reason);
        break;
    case HTTP_EVENT_TOKEN:
        fprintf(stderr, "event=token expires_in=%lld url=%s\n", (long long)ev->expires_in, ev->url);
        break;
    case HTTP_EVENT_REFRESH:
        fprintf(stderr, "event=refresh attempt=%d url=%s reason=%s\n", ev->attempt, ev->url,
                ev->reason);
        break;
    }
}

/* Checks a listing page; returns its record count and, through next, a copy
 * of next_cursor (NULL at the end), or -1 with why. */
static long page_check(const struct http_response *r, char **next, char *why, size_t size)
{
    json_error_t je;
    json_t *root = json_loadb(r->body ? r->body : "", r->len, JSON_REJECT_DUPLICATES, &je);
    json_t *data, *cur;
    long n = -1;

    *next = NULL;
    if (!root) {
        snprintf(why, size, "not JSON: %s at line %d column %d", je.text, je.line, je.column);
        return -1;
    }
    data = json_object_get(root, "data");
    cur = json_object_get(root, "next_cursor");
    if (!json_is_array(data) || !(json_is_string(cur) || json_is_null(cur))) {
        snprintf(why, size, "not a listing page: data or next_cursor missing");
    } else {
        n = (long)json_array_size(data);
        if (json_is_string(cur))
            *next = xstrdup(json_string_value(cur));
    }
    json_decref(root);
    return n;
}

static int employee_check(const struct http_response *r, char *why, size_t size)
{
    json_error_t je;
    json_t *root = json_loadb(r->body ? r->body : "", r->len, JSON_REJECT_DUPLICATES, &je);
    int rc = 0;

    if (!root) {
        snprintf(why, size, "not JSON: %s at line %d column %d", je.text, je.line, je.column);
        return -1;
    }
    if (!json_is_object(json_object_get(root, "data"))) {
        snprintf(why, size, "not a record: no data object");
        rc = -1;
    }
    json_decref(root);
    return rc;
}

static long peak_rss_kb(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static int write_out(const char *path, const struct http_response *r)
{
    FILE *f;

    if (!path)
        return 0;
    f = fopen(path, "w");
    if (!f || fwrite(r->body, 1, r->len, f) != r->len || fclose(f) != 0) {
        fprintf(stderr, "error: cannot write %s\n", path);
        return -1;
    }
    return 0;
}

/* Prints the outcome of a failed call; returns the exit status. */
static int report_failure(enum http_result res, const struct http_response *r,
                          const struct error *err)
{
    printf("result=%s status=%ld attempts=%d retry_after=%lld progress=%ld\n",
           http_result_name(res), r->status, r->attempts, (long long)r->retry_after,
           progress_calls);
    fprintf(stderr, "error: %s\n", err->msg);
    return http_result_exit_code(res);
}

static void usage(FILE *f)
{
    fputs("usage: http-driver -c CONFIG [--out FILE] [--events] COMMAND\n"
          "  page [--since T] [--cursor C] [--limit N]\n"
          "  employee NIP\n"
          "  list [--since T] [--limit N]\n",
          f);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'}, {"out", required_argument, NULL, 'o'},
        {"events", no_argument, NULL, 'e'},       {"since", required_argument, NULL, 's'},
        {"cursor", required_argument, NULL, 'k'}, {"limit", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    const char *config_path = NULL, *out_path = NULL, *since = NULL, *cursor = NULL, *cmd;
    int64_t limit = 0;
    bool verbose = false;
    struct strlist errors = {0};
    struct config *cfg;
    struct http_client *c;
    struct http_hooks hooks = {
        .abort_flag = &stop, .progress = on_progress, .event = on_event, .ud = &verbose};
    struct http_response r = {0};
    struct error err = {{0}};
    struct sigaction sa;
    enum http_result res;
    char why[256];
    int opt, status = 0;

    while ((opt = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
        switch (opt) {
        case 'c':
            config_path = optarg;
            break;
        case 'o':
            out_path = optarg;
            break;
        case 'e':
            verbose = true;
            break;
        case 's':
            since = optarg;
            break;
        case 'k':
            cursor = optarg;
            break;
        case 'l':
            if (parse_int64(optarg, 1, 100000, &limit) < 0) {
                fprintf(stderr, "error: --limit expects a number\n");
                return 64;
            }
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 64;
        }
    }
    if (!config_path || optind >= argc) {
        usage(stderr);
        return 64;
    }
    cmd = argv[optind];

    cfg = config_load(config_path, &errors);
    if (!cfg) {
        for (size_t i = 0; i < errors.n; i++)
            fprintf(stderr, "%s\n", errors.v[i]);
        strlist_free(&errors);
        return 78;
    }
    if (!limit)
        limit = cfg->source.page_size;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal; /* no SA_RESTART: waits wake up */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "error: cannot initialise libcurl\n");
        config_free(cfg);
        return 70;
    }
    c = http_client_new(&cfg->source, &hooks, &err);
    if (!c) {
        fprintf(stderr, "error: %s\n", err.msg);
        config_free(cfg);
        return 78;
    }

    if (!strcmp(cmd, "page")) {
        char *next = NULL;
        long n;

        res = http_get_page(c, since, cursor, (int)limit, &r, &err);
        if (res != HTTP_OK) {
            status = report_failure(res, &r, &err);
        } else if ((n = page_check(&r, &next, why, sizeof(why))) < 0) {
            printf("result=malformed status=%ld attempts=%d bytes=%zu\n", r.status, r.attempts,
                   r.len);
            fprintf(stderr, "error: the page from %s is malformed: %s\n", r.url, why);
            status = 65;
        } else {
            printf("result=ok status=%ld attempts=%d bytes=%zu records=%ld next_cursor=%s "
                   "progress=%ld url=%s\n",
                   r.status, r.attempts, r.len, n, next ? next : "null", progress_calls, r.url);
            if (write_out(out_path, &r) < 0)
                status = 1;
        }
        free(next);
    } else if (!strcmp(cmd, "employee") && optind + 1 < argc) {
        res = http_get_employee(c, argv[optind + 1], &r, &err);
        if (res != HTTP_OK) {
            status = report_failure(res, &r, &err);
        } else if (employee_check(&r, why, sizeof(why)) < 0) {
            printf("result=malformed status=%ld attempts=%d bytes=%zu\n", r.status, r.attempts,
                   r.len);
            fprintf(stderr, "error: the record from %s is malformed: %s\n", r.url, why);
            status = 65;
        } else {
            printf("result=ok status=%ld attempts=%d bytes=%zu url=%s\n", r.status, r.attempts,
                   r.len, r.url);
            if (write_out(out_path, &r) < 0)
                status = 1;
        }
    } else if (!strcmp(cmd, "list")) {
        char *cur = NULL, *next = NULL;
        long pages = 0, records = 0, attempts = 0;
        size_t bytes = 0;
        int64_t t0 = now_monotonic_ms();

        for (;;) {
            long n;

            res = http_get_page(c, since, cur, (int)limit, &r, &err);
            if (res != HTTP_OK) {
                fprintf(stderr, "pages=%ld records=%ld\n", pages, records);
                status = report_failure(res, &r, &err);
                break;
            }
            n = page_check(&r, &next, why, sizeof(why));
            if (n < 0) {
                printf("result=malformed page=%ld\n", pages + 1);
                fprintf(stderr, "error: the page from %s is malformed: %s\n", r.url, why);
                status = 65;
                break;
            }
            pages++;
            records += n;
            bytes += r.len;
            attempts += r.attempts;
            http_response_free(&r);
            free(cur);
            cur = next;
            next = NULL;
            if (!cur) {
                printf("result=ok pages=%ld records=%ld bytes=%zu attempts=%ld ms=%lld "
                       "peak_rss_kb=%ld\n",
                       pages, records, bytes, attempts, (long long)(now_monotonic_ms() - t0),
                       peak_rss_kb());
                break;
            }
        }
        free(cur);
    } else {
        usage(stderr);
        status = 64;
    }
    http_response_free(&r);
    http_client_free(c);
    config_free(cfg);
    return status;
}
