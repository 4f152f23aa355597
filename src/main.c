/* The command line: global options, the configuration file, and one
 * subcommand. Each subcommand parses its own options and hands the work to
 * its module; this file decides exit codes and says what went wrong. */
#include "autoconfig.h"

#include "assess.h"
#include "calibrate.h"
#include "config.h"
#include "daemon.h"
#include "explain.h"
#include "log.h"
#include "mem.h"
#include "notify.h"
#include "official.h"
#include "quality.h"
#include "report.h"
#include "score.h"
#include "simpeg.h"
#include "store.h"
#include "sync.h"
#include "util.h"

#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct cli {
    const char *config_path; /* -c, IPASND_CONFIG, or the default */
    bool config_explicit;    /* given by -c or IPASND_CONFIG */
};

struct command {
    const char *name;
    int (*run)(struct cli *cli, int argc, char **argv);
    const char *args;
    const char *help;
};

static int cmd_run(struct cli *cli, int argc, char **argv);
static int cmd_sync(struct cli *cli, int argc, char **argv);
static int cmd_recompute(struct cli *cli, int argc, char **argv);
static int cmd_report(struct cli *cli, int argc, char **argv);
static int cmd_check_config(struct cli *cli, int argc, char **argv);
static int cmd_migrate(struct cli *cli, int argc, char **argv);
static int cmd_score(struct cli *cli, int argc, char **argv);
static int cmd_status(struct cli *cli, int argc, char **argv);
static int cmd_import_official(struct cli *cli, int argc, char **argv);
static int cmd_calibrate(struct cli *cli, int argc, char **argv);

static const struct command commands[] = {
    {"run", cmd_run, "", "the daemon: sync every sync.interval (what the service runs)"},
    {"sync", cmd_sync, "[--full] [--nip NIP] [--dry-run]", "one sync cycle in the foreground"},
    {"recompute", cmd_recompute, "[--period YEAR]", "recompute every score from the database"},
    {"report", cmd_report,
     "[--period YEAR] [--opd ID] [--format table|json|csv|html] [--output FILE]",
     "where the instansi stands and what would raise it"},
    {"import-official", cmd_import_official, "FILE [--period YEAR]",
     "load BKN's IP ASN export (the official values)"},
    {"calibrate", cmd_calibrate, "[--period YEAR] [--format text|json]",
     "which index.rules settings reproduce BKN's values"},
    {"check-config", cmd_check_config, "[FILE]", "validate the configuration"},
    {"migrate", cmd_migrate, "[--check]",
     "apply the schema migrations; --check: verify the schema, change nothing"},
    {"score", cmd_score, "[--period YEAR] [--as-of DATE] [--format text|json] [FILE|-]",
     "score SIMPEG records from a file, without a database"},
    {"status", cmd_status, "",
     "the last runs and open issues; exit 1 when the last good sync "
     "is too old"},
};

static void usage(FILE *out)
{
    fprintf(out, "Usage: ipasnd [-c FILE] COMMAND [OPTIONS]\n\n"
                 "Keeps the Indeks Profesionalitas ASN of an instansi current from its SIMPEG.\n\n"
                 "Commands:\n");
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
        fprintf(out, "  %-13s %s\n  %-13s   %s\n", commands[i].name, commands[i].args, "",
                commands[i].help);
    fprintf(out,
            "\nOptions:\n"
            "  -c, --config FILE  configuration file (default: $IPASND_CONFIG, else %s)\n"
            "  -h, --help         this help\n"
            "  -V, --version      the version\n\n"
            "Exit status: 0 ok, 64 usage, 65 bad data, 69 endpoint unavailable,\n"
            "70 internal error, 75 temporary failure, 78 configuration error.\n"
            "See ipasnd(8) and ipasnd.conf(5).\n",
            CONFIG_DEFAULT_PATH);
}

/* Loads the configuration for a command. Errors are logged one per line
 * and give EXIT_CONFIG; warnings are logged once. */
static int load_config(const struct cli *cli, struct config **out)
{
    struct strlist errors = {0};
    struct config *cfg = config_load(cli->config_path, &errors);

    if (!cfg) {
        for (size_t i = 0; i < errors.n; i++)
            log_err("%s", errors.v[i]);
        strlist_free(&errors);
        return EXIT_CONFIG;
    }
    log_open(cfg->log.target, cfg->log.level);
    for (size_t i = 0; i < cfg->warnings.n; i++)
        log_warning("%s", cfg->warnings.v[i]);
    *out = cfg;
    return 0;
}

/* SIGTERM and SIGINT stop a foreground sync cleanly: the transfer is
 * aborted and the open page rolled back. */
static atomic_int stop_requested;

/* The sync a stop interrupts: its statement under way is cancelled. */
static struct sync_ctx *volatile running;

static void on_stop(int sig)
{
    (void)sig;
    atomic_store(&stop_requested, 1);
    sync_interrupt(running);
}

static void install_stop_handlers(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* One sync cycle (so) or a recompute of period (so NULL) in the
 * foreground, stopped cleanly by SIGTERM or SIGINT; frees cfg. */
static int run_sync(struct config *cfg, const struct sync_options *so, int period)
{
    struct sync_summary sum;
    struct sync_ctx *ctx;
    int rc;

    install_stop_handlers();
    ctx = sync_new(cfg, &stop_requested, NULL);
    running = ctx;
    rc = so ? sync_cycle(ctx, so, &sum) : sync_recompute(ctx, period, &sum);
    running = NULL;
    sync_free(ctx);
    config_free(cfg);
    return rc;
}

/* A command's work on the database: 0 or an exit code; it says why. */
typedef int (*db_work)(struct store *st, const struct config *cfg, void *arg);

/* Loads the configuration, connects, does the work and closes. */
static int with_database(const struct cli *cli, db_work work, void *arg)
{
    struct config *cfg = NULL;
    struct error err = {{0}};
    struct store *st;
    int rc;

    if ((rc = load_config(cli, &cfg)) != 0)
        return rc;
    if (!(st = store_open(cfg->database.conninfo, &err))) {
        log_err("%s", err.msg);
        rc = EXIT_TEMPFAIL;
    } else {
        rc = work(st, cfg, arg);
    }
    store_close(st);
    config_free(cfg);
    return rc;
}

/* With --output, the report goes to FILE.tmp and is renamed to FILE once
 * whole: a failed report leaves no half-written page behind. */
static int report_work(struct store *st, const struct config *cfg, void *arg)
{
    const struct report_options *o = arg;
    struct error err = {{0}};
    struct strbuf tmp = {0};
    FILE *out = stdout;
    int rc;

    if (o->output) {
        strbuf_append(&tmp, "%s.tmp", o->output);
        if (!(out = fopen(tmp.s, "w"))) {
            log_err("report: cannot write %s: %s", tmp.s, strerror(errno));
            strbuf_free(&tmp);
            return EXIT_CANTCREAT;
        }
    }
    rc = report_run(st, cfg, o, out, &err);
    if (o->output) {
        if (fclose(out) != 0 && rc == 0) {
            error_set(&err, "cannot write %s: %s", tmp.s, strerror(errno));
            rc = STORE_ERR;
        }
        if (rc == 0 && rename(tmp.s, o->output) != 0) {
            error_set(&err, "cannot rename %s to %s: %s", tmp.s, o->output, strerror(errno));
            rc = STORE_ERR;
        }
        if (rc < 0)
            (void)unlink(tmp.s);
        strbuf_free(&tmp);
    }
    if (rc < 0) {
        log_err("report: %s", err.msg);
        return store_exit_code(rc);
    }
    return 0;
}

static int cmd_run(struct cli *cli, int argc, char **argv)
{
    struct config *cfg = NULL;
    int rc;

    if (argc > 1) {
        fprintf(stderr, "usage: ipasnd run\n");
        return EXIT_USAGE;
    }
    if ((rc = load_config(cli, &cfg)) != 0)
        return rc;
    return daemon_run(cli->config_path, cfg);
}

static int cmd_sync(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"full", no_argument, NULL, 'f'},
        {"nip", required_argument, NULL, 'n'},
        {"dry-run", no_argument, NULL, 'd'},
        {"no-migrate", no_argument, NULL, 'M'},
        {NULL, 0, NULL, 0},
    };
    struct sync_options so = {0};
    struct config *cfg = NULL;
    int c, rc;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            so.full = true;
            break;
        case 'n':
            so.nip = optarg;
            break;
        case 'd':
            so.dry_run = true;
            break;
        case 'M':
            so.no_migrate = true;
            break;
        default:
            fprintf(stderr, "usage: ipasnd sync [--full] [--nip NIP] [--dry-run] [--no-migrate]\n");
            return EXIT_USAGE;
        }
    }
    if (optind < argc || (so.nip && so.full)) {
        fprintf(stderr, "usage: ipasnd sync [--full] [--nip NIP] [--dry-run] [--no-migrate]\n");
        return EXIT_USAGE;
    }
    if (so.nip && !nip_well_formed(so.nip)) {
        char q[64];

        text_quote(q, sizeof(q), so.nip);
        fprintf(stderr, "ipasnd sync: --nip takes an 18-digit NIP (nipBaru), got %s (%s)\n", q,
                nip_shape_text(nip_check(so.nip)));
        return EXIT_USAGE;
    }
    if ((rc = load_config(cli, &cfg)) != 0)
        return rc;
    return run_sync(cfg, &so, -1);
}

static int cmd_recompute(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"period", required_argument, NULL, 'p'},
        {NULL, 0, NULL, 0},
    };
    struct config *cfg = NULL;
    int64_t period = 0;
    int c, rc;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'p' || parse_int64(optarg, PERIOD_MIN, PERIOD_MAX, &period) < 0) {
            fprintf(stderr, "usage: ipasnd recompute [--period YEAR]\n");
            return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "usage: ipasnd recompute [--period YEAR]\n");
        return EXIT_USAGE;
    }
    if ((rc = load_config(cli, &cfg)) != 0)
        return rc;
    return run_sync(cfg, NULL, (int)period);
}

#define OPD_ID_MAX SIMPEG_STRING_MAX /* the longest text a record stores */

static int cmd_report(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"period", required_argument, NULL, 'p'}, {"opd", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'O'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    static const char use[] = "usage: ipasnd report [--period YEAR] [--opd ID] "
                              "[--format table|json|csv|html] [--output FILE]\n";
    struct report_options o = {.format = REPORT_TABLE};
    int64_t v;
    int c;

    while ((c = getopt_long(argc, argv, "p:o:f:O:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            if (parse_int64(optarg, PERIOD_MIN, PERIOD_MAX, &v) < 0) {
                fprintf(stderr, "ipasnd report: --period must be a year, not '%.40s'\n%s", optarg,
                        use);
                return EXIT_USAGE;
            }
            o.period = (int)v;
            break;
        case 'o':
            /* An OPD id is stored as SIMPEG sent it: UTF-8, a string of
             * the contract's size at most. */
            if (!*optarg || strlen(optarg) > OPD_ID_MAX || !utf8_valid(optarg)) {
                fprintf(stderr,
                        "ipasnd report: --opd needs an OPD id: UTF-8 text of 1 to %d bytes\n%s",
                        OPD_ID_MAX, use);
                return EXIT_USAGE;
            }
            o.opd_id = optarg;
            break;
        case 'f':
            if (report_parse_format(optarg, &o.format) < 0) {
                fprintf(stderr, "ipasnd report: unknown format '%.40s'\n%s", optarg, use);
                return EXIT_USAGE;
            }
            break;
        case 'O':
            if (!*optarg) {
                fprintf(stderr, "ipasnd report: --output needs a file name\n%s", use);
                return EXIT_USAGE;
            }
            o.output = optarg;
            break;
        case 'h':
            fputs(use, stdout);
            return 0;
        default:
            fputs(use, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "ipasnd report: unexpected argument '%.40s'\n%s", argv[optind], use);
        return EXIT_USAGE;
    }
    return with_database(cli, report_work, &o);
}

static int migrate_work(struct store *st, const struct config *cfg, void *arg)
{
    const bool *check_only = arg;
    struct error err = {{0}};
    int applied = 0, version = 0, rc;

    rc = *check_only ? store_check_schema(st, &err)
                     : store_prepare(st, cfg->database.reader_role, &applied, &err);
    if (rc < 0) {
        log_err("%s%s", *check_only || applied ? "" : "schema migration failed: ", err.msg);
        return store_exit_code(rc);
    }
    if (store_schema_version(st, &version, &err) < 0) {
        log_err("%s", err.msg);
        return EXIT_TEMPFAIL;
    }
    if (*check_only)
        printf("schema at version %d: every table, column and view ipasnd needs is there\n",
               version);
    else
        printf("schema at version %d (%d migration%s applied)\n", version, applied,
               applied == 1 ? "" : "s");
    return 0;
}

static int cmd_migrate(struct cli *cli, int argc, char **argv)
{
    bool check_only = argc == 2 && strcmp(argv[1], "--check") == 0;

    if (argc > 2 || (argc == 2 && !check_only)) {
        fprintf(stderr, "usage: ipasnd migrate [--check]\n");
        return EXIT_USAGE;
    }
    return with_database(cli, migrate_work, &check_only);
}

/* --period YEAR and, with formats, --format NAME (index into formats):
 * what is left in argv from optind on. 0, or -1 after the usage. */
static int period_options(int argc, char **argv, const char *use, int *period,
                          const char *const *formats, int *format)
{
    static const struct option opts[] = {
        {"period", required_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    int64_t v;
    int c;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'p' && parse_int64(optarg, PERIOD_MIN, PERIOD_MAX, &v) == 0) {
            *period = (int)v;
            continue;
        }
        for (int i = 0; c == 'f' && formats && formats[i]; i++)
            if (strcmp(optarg, formats[i]) == 0) {
                *format = i;
                c = 0;
            }
        if (c != 0) {
            fputs(use, stderr);
            return -1;
        }
    }
    return 0;
}

struct import_args {
    const char *path;
    int period;
};

static int import_work(struct store *st, const struct config *cfg, void *arg)
{
    const struct import_args *a = arg;
    struct official_file f;
    struct official_import res;
    struct error err = {{0}};
    int rc;

    if (official_read(a->path, a->period, &f, &err) < 0) {
        log_err("import-official: %s", err.msg);
        return EXIT_DATAERR;
    }
    for (size_t i = 0; i < f.n_bad; i++)
        log_warning("import-official: %s: row skipped", f.bad[i]);
    rc = store_import_official(st, cfg->source.instansi_id, &f, &res, &err);
    if (rc < 0) {
        log_err("import-official: %s", err.msg);
        official_file_free(&f);
        return store_exit_code(rc);
    }
    printf("loaded %zu, skipped %zu, matched %zu employees ipasnd knows"
           " (%zu new, %zu changed, %zu unchanged)\n",
           f.n_rows, f.n_bad, res.matched, res.inserted, res.updated,
           f.n_rows - res.inserted - res.updated);
    official_file_free(&f);
    return 0;
}

static int cmd_import_official(struct cli *cli, int argc, char **argv)
{
    static const char use[] = "usage: ipasnd import-official FILE [--period YEAR]\n";
    struct import_args a = {0};

    if (period_options(argc, argv, use, &a.period, NULL, NULL) < 0)
        return EXIT_USAGE;
    if (optind != argc - 1) {
        fputs(use, stderr);
        return EXIT_USAGE;
    }
    a.path = argv[optind];
    return with_database(cli, import_work, &a);
}

struct calibrate_args {
    int period;
    int format; /* 0 text, 1 json */
};

static int calibrate_work(struct store *st, const struct config *cfg, void *arg)
{
    const struct calibrate_args *a = arg;
    struct error err = {{0}};
    int rc = calibrate_run(st, cfg, a->period, a->format == 1, stdout, &err);

    if (rc < 0) {
        log_err("calibrate: %s", err.msg);
        return store_exit_code(rc);
    }
    return 0;
}

static int cmd_calibrate(struct cli *cli, int argc, char **argv)
{
    static const char use[] = "usage: ipasnd calibrate [--period YEAR] [--format text|json]\n";
    static const char *const formats[] = {"text", "json", NULL};
    struct calibrate_args a = {0};

    if (period_options(argc, argv, use, &a.period, formats, &a.format) < 0)
        return EXIT_USAGE;
    if (optind != argc) {
        fputs(use, stderr);
        return EXIT_USAGE;
    }
    return with_database(cli, calibrate_work, &a);
}

/* Reads a whole file, or stdin for "-", up to max bytes. */
static char *read_input(const char *path, size_t max, size_t *len, struct error *err)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    struct strbuf b = {0};
    char buf[65536];
    size_t n;

    if (!f) {
        error_set(err, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
        if (b.len + n > max) {
            error_set(err, "%s is larger than %zu bytes (source.max_page_bytes)", path, max);
            strbuf_free(&b);
            break;
        }
        strbuf_addn(&b, buf, n);
    }
    if (ferror(f) && b.s) {
        error_set(err, "cannot read %s: %s", path, strerror(errno));
        strbuf_free(&b);
    }
    if (f != stdin)
        fclose(f);
    if (b.s)
        *len = b.len;
    else if (!err->msg[0])
        return xstrdup("");
    return b.s;
}

static int cmd_score(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"period", required_argument, NULL, 'p'},
        {"as-of", required_argument, NULL, 'a'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    static const char usage_text[] =
        "usage: ipasnd score [--period YEAR] [--as-of YYYY-MM-DD] [--format text|json] [FILE|-]\n";
    struct config *cfg = NULL;
    struct error err = {{0}};
    struct simpeg_limits lim = simpeg_limits_for(1000);
    struct quality_ctx q;
    struct config_index idx;
    struct assessed a = {0};
    struct aggregate agg = {0};
    struct page *pg = NULL;
    const char *path = "-";
    int64_t period = 0;
    date_t as_of = DATE_NONE;
    bool json = false;
    char *body = NULL;
    size_t len = 0;
    int c, rc = 0;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            if (parse_int64(optarg, PERIOD_MIN, PERIOD_MAX, &period) < 0) {
                fprintf(stderr, "ipasnd score: --period expects a year, got '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'a':
            if (strlen(optarg) != 10 || date_parse(optarg, &as_of) != DATE_PARSED) {
                fprintf(stderr, "ipasnd score: --as-of expects YYYY-MM-DD, got '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'f':
            if (strcmp(optarg, "json") && strcmp(optarg, "text")) {
                fputs(usage_text, stderr);
                return EXIT_USAGE;
            }
            json = strcmp(optarg, "json") == 0;
            break;
        default:
            fputs(usage_text, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind + 1 < argc) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    if (optind < argc)
        path = argv[optind];
    if (period && as_of != DATE_NONE && date_year(as_of) != period) {
        fprintf(stderr, "ipasnd score: --as-of must fall in --period %d\n", (int)period);
        return EXIT_USAGE;
    }
    /* The rules of the configuration when there is one; else the defaults. */
    if (cli->config_explicit || access(cli->config_path, F_OK) == 0) {
        if ((rc = load_config(cli, &cfg)) != 0)
            return rc;
    } else {
        cfg = config_defaults();
    }
    if (period) {
        cfg->index.period = (int)period;
        cfg->index.as_of = DATE_NONE;
    }
    if (as_of != DATE_NONE)
        cfg->index.as_of = as_of;
    if (period == 0 && as_of != DATE_NONE)
        cfg->index.period = date_year(as_of);

    lim.max_records = 1000000;
    if (!(body = read_input(path, (size_t)cfg->source.max_page_bytes, &len, &err)) ||
        !(pg = simpeg_decode_any(body, len, &lim, &err))) {
        fprintf(stderr, "ipasnd score: %s\n", err.msg);
        rc = body ? EXIT_DATAERR : EXIT_USAGE;
        goto out;
    }
    config_resolve_index(&cfg->index, date_today_utc(), &idx);
    q = (struct quality_ctx){
        .index = &idx, .quality = &cfg->quality, .today = date_today_utc(), .now = time(NULL)};
    assess_page(pg, &q, &a);
    for (size_t i = 0; i < pg->n_employees; i++) {
        if (json)
            explain_json(stdout, &pg->employees[i], &a.scores[i], &a.issues[i]);
        else
            explain_text(stdout, &pg->employees[i], &a.scores[i], &a.issues[i], &idx.rules);
        aggregate_add(&agg, &a.scores[i]);
    }
    if (!json && pg->n_employees > 1) {
        aggregate_finish(&agg, &idx.rules);
        explain_aggregate_text(stdout, &agg, pg->n_employees);
    }
    for (size_t i = 0; i < pg->n_rejected; i++) {
        const struct rejected_record *r = &pg->rejected[i];
        char nip[64];

        text_quote(nip, sizeof(nip), r->nip ? r->nip : "");
        fprintf(stderr, "ipasnd score: record %zu%s%s rejected (%s): %s\n", r->index,
                r->nip ? " with NIP " : "", r->nip ? nip : "", r->code, r->reason);
        rc = EXIT_DATAERR;
    }
out:
    assessed_free(&a);
    page_free(pg);
    free(body);
    config_free(cfg);
    return rc;
}

static int status_work(struct store *st, const struct config *cfg, void *arg)
{
    struct error err = {{0}};
    bool healthy = false;

    int rc = report_status(st, cfg, stdout, &healthy, &err);

    if (rc < 0) {
        log_err("status: %s", err.msg);
        return store_exit_code(rc);
    }
    return healthy ? 0 : 1;
}

static int cmd_status(struct cli *cli, int argc, char **argv)
{
    if (argc > 1) {
        fprintf(stderr, "usage: ipasnd status\n");
        return EXIT_USAGE;
    }
    return with_database(cli, status_work, NULL);
}

static int cmd_check_config(struct cli *cli, int argc, char **argv)
{
    struct strlist errors = {0};
    struct config *cfg;
    const char *path = cli->config_path;

    if (argc > 2) {
        fprintf(stderr, "usage: ipasnd check-config [FILE]\n");
        return EXIT_USAGE;
    }
    if (argc == 2)
        path = argv[1];
    cfg = config_load(path, &errors);
    if (!cfg) {
        for (size_t i = 0; i < errors.n; i++)
            fprintf(stderr, "%s\n", errors.v[i]);
        fprintf(stderr, "%zu error%s in %s\n", errors.n, errors.n == 1 ? "" : "s", path);
        strlist_free(&errors);
        return EXIT_CONFIG;
    }
    for (size_t i = 0; i < cfg->warnings.n; i++)
        fprintf(stderr, "warning: %s\n", cfg->warnings.v[i]);
    printf("configuration OK\n");
    config_free(cfg);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct cli cli = {.config_path = CONFIG_DEFAULT_PATH};
    const char *env = getenv("IPASND_CONFIG");
    int c;

    mem_tune();
    log_open(LOG_TARGET_AUTO, LOG_INFO);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        log_err("cannot initialise libcurl");
        return EXIT_SOFTWARE;
    }
    if (env && *env) {
        cli.config_path = env;
        cli.config_explicit = true;
    }
    /* "+": stop at the command; its options are its own. */
    while ((c = getopt_long(argc, argv, "+c:hV", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            cli.config_path = optarg;
            cli.config_explicit = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf("ipasnd %s\n", PACKAGE_VERSION);
            return 0;
        default:
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    notify_check_support();
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        if (strcmp(argv[optind], commands[i].name) == 0) {
            char **sub = argv + optind;
            int subc = argc - optind;

            optind = 1; /* the command parses its own options with getopt */
            return commands[i].run(&cli, subc, sub);
        }
    }
    fprintf(stderr, "ipasnd: unknown command '%s'\n\n", argv[optind]);
    usage(stderr);
    return EXIT_USAGE;
}
