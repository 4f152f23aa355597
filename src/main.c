/* The command line: global options, the configuration file, and one
 * subcommand. Each subcommand parses its own options and hands the work to
 * its module; this file decides exit codes and says what went wrong. */
#include "autoconfig.h"

#include "config.h"
#include "report.h"
#include "log.h"
#include "notify.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static const struct command commands[] = {
    {"run", cmd_run, "", "the daemon: sync every sync.interval (what the service runs)"},
    {"sync", cmd_sync, "[--full] [--nip NIP] [--dry-run]", "one sync cycle in the foreground"},
    {"recompute", cmd_recompute, "[--period YEAR]", "recompute every score from the database"},
    {"report", cmd_report, "[--period YEAR] [--opd ID] [--format table|json|csv]",
     "where the instansi stands and what would raise it"},
    {"check-config", cmd_check_config, "[FILE]", "validate the configuration"},
    {"migrate", cmd_migrate, "", "apply database schema migrations"},
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

static int not_built(const char *what)
{
    log_err("'ipasnd %s' is not built yet in this version; nothing was done", what);
    return EXIT_SOFTWARE;
}

static int cmd_run(struct cli *cli, int argc, char **argv)
{
    struct config *cfg = NULL;
    int rc = load_config(cli, &cfg);

    if (rc == 0)
        rc = not_built("run");
    config_free(cfg);
    return rc;
}

static int cmd_sync(struct cli *cli, int argc, char **argv)
{
    struct config *cfg = NULL;
    int rc = load_config(cli, &cfg);

    if (rc == 0)
        rc = not_built("sync");
    config_free(cfg);
    return rc;
}

static int cmd_recompute(struct cli *cli, int argc, char **argv)
{
    struct config *cfg = NULL;
    int rc = load_config(cli, &cfg);

    if (rc == 0)
        rc = not_built("recompute");
    config_free(cfg);
    return rc;
}

static int cmd_report(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"period", required_argument, NULL, 'p'},
        {"opd", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static const char use[] = "usage: ipasnd report [--period YEAR] [--opd ID] "
                              "[--format table|json|csv]\n";
    struct report_options o = {.format = REPORT_TABLE};
    struct config *cfg = NULL;
    struct store *st = NULL;
    struct error err = {{0}};
    int64_t v;
    int c, rc;

    while ((c = getopt_long(argc, argv, "p:o:f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            if (parse_int64(optarg, 1900, 9999, &v) < 0) {
                fprintf(stderr, "ipasnd report: --period must be a year, not '%.40s'\n%s", optarg,
                        use);
                return EXIT_USAGE;
            }
            o.period = (int)v;
            break;
        case 'o':
            if (!*optarg || strlen(optarg) > 200) {
                fprintf(stderr, "ipasnd report: --opd needs an OPD id (up to 200 bytes)\n%s", use);
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
    if ((rc = load_config(cli, &cfg)) != 0)
        return rc;
    if (!(st = store_open(cfg->database.conninfo, &err))) {
        log_err("%s", err.msg);
        rc = EXIT_TEMPFAIL;
    } else if (report_run(st, cfg, &o, stdout, &err) < 0) {
        log_err("report: %s", err.msg);
        rc = EXIT_TEMPFAIL;
    }
    store_close(st);
    config_free(cfg);
    return rc;
}

static int cmd_migrate(struct cli *cli, int argc, char **argv)
{
    struct config *cfg = NULL;
    int rc = load_config(cli, &cfg);

    if (rc == 0)
        rc = not_built("migrate");
    config_free(cfg);
    return rc;
}

static int cmd_score(struct cli *cli, int argc, char **argv)
{
    return not_built("score");
}

static int cmd_status(struct cli *cli, int argc, char **argv)
{
    struct config *cfg = NULL;
    struct store *st = NULL;
    struct error err = {{0}};
    bool healthy = false;
    int rc;

    if (argc > 1) {
        fprintf(stderr, "usage: ipasnd status\n");
        return EXIT_USAGE;
    }
    if ((rc = load_config(cli, &cfg)) != 0)
        return rc;
    if (!(st = store_open(cfg->database.conninfo, &err))) {
        log_err("%s", err.msg);
        rc = EXIT_TEMPFAIL;
    } else if (report_status(st, cfg, stdout, &healthy, &err) < 0) {
        log_err("status: %s", err.msg);
        rc = EXIT_TEMPFAIL;
    } else {
        rc = healthy ? 0 : 1;
    }
    store_close(st);
    config_free(cfg);
    return rc;
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

    log_open(LOG_TARGET_AUTO, LOG_INFO);
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
