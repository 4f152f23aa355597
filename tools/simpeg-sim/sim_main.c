/* simpeg-sim: a SIMPEG endpoint for the tests and the demo of ipasnd.
 * sim_main.c: the options and the start; README.md says which file of
 * tools/simpeg-sim does what.
 *
 * It serves the contract of simpeg-api.md over a synthetic workforce of a
 * provincial government (Pemerintah Provinsi Kalimantan Selatan): 45
 * perangkat daerah, struktural, fungsional and pelaksana positions, PNS, CPNS
 * and PPPK, education, leadership training, courses, SKP, sanctions and some
 * official IP ASN values. Every record is generated when it is served, from
 * (seed, index, version), so a million employees take about 30 bytes each
 * and start in about a second; the same flags always give the same data.
 *
 * Usage: simpeg-sim [OPTION]...
 *   --port N             TCP port (default 8080; 0 picks a free one)
 *   --bind ADDR          IPv4 address to listen on (default 127.0.0.1)
 *   --seed N             the workforce's seed (default 1)
 *   --employees N        how many employees (default 5000, at most 10000000)
 *   --today YYYY-MM-DD   the day the data is current at (default: today, UTC);
 *                        histories end there, updatedAt spreads back from it
 *   --defect-rate R      share of records carrying each data-quality defect
 *                        of quality.md (default: each its own share, as a
 *                        provincial SIMPEG shows them, 0.1% to 3%; 0 gives
 *                        clean data)
 *   --mutate-rate R      share of records changed at the start of every
 *                        listing, i.e. every GET /v1/asn without a cursor
 *                        (default 0)
 *   --auth MODE          none | bearer | oauth2 (default none)
 *   --token T            bearer: the token data calls must carry
 *   --client-id ID       oauth2: the client POST /oauth2/token accepts
 *   --client-secret S    oauth2: its secret (HTTP Basic authentication)
 *   --token-ttl S        oauth2: lifetime of an issued token (default 3600)
 *   --require-header H:V data calls must carry header H with value V, else 403
 *   --official-rules F   every ipAsn is BKN's value for the year of --today,
 *                        scored by ipasnd's own code under the index.rules
 *                        settings of file F (README.md beside this file)
 *   --write-official F   writes those values as BKN's IP ASN export at start
 *   --api API            listing | siasn (default listing): siasn also serves
 *                        the WS SIASN calls of siasn-api.md under
 *                        /apisiasn/1.0 (README.md beside this file)
 *   --sso-token T        siasn: the SSO token data calls must carry in Auth
 *   --latency MS         siasn: milliseconds added to every SIASN call
 *   --write-roster FILE  siasn: writes the "Export Data ASN" CSV at start
 *   --roster-separator C siasn: ',' (default) or ';'
 *   --roster-encoding E  siasn: utf-8 (default, with a BOM) | windows-1252
 *   --fault SPEC         arms a fault at start; SPEC holds the parameters of
 *                        POST /admin/fault, comma-separated:
 *                        --fault kind=status,status=503,count=2
 *   --header-room N      the largest header big_header may send (at least
 *                        1 MiB, the default); a connection may take twice that
 *   --verbose            one line per request on stderr
 *   --help               this text
 *
 * The contract:
 *   GET  /v1/asn?updated_since=&cursor=&limit=   a listing page
 *   GET  /v1/asn/{nipBaru}                       {"data": EMPLOYEE} or 404
 *   POST /oauth2/token                           client credentials
 *   GET  /healthz
 *
 * Administration, for tests (no authentication: keep it on loopback): the
 * /admin routes and the faults POST /admin/fault arms are described in
 * README.md.
 *
 * Sizes stay bounded: a listing page holds at most 1000 records, request
 * bodies at most 8 KiB, query values at most 1 KiB.
 */
#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "sim.h"
#include "sim_official.h"

volatile sig_atomic_t stopping;

static void usage(FILE *f)
{
    fputs("Usage: simpeg-sim [OPTION]...\n"
          "A SIMPEG endpoint (simpeg-api.md) over a synthetic provincial workforce.\n\n"
          "  --port N             TCP port (default 8080; 0 picks a free one)\n"
          "  --bind ADDR          IPv4 address to listen on (default 127.0.0.1)\n"
          "  --seed N             the workforce's seed (default 1)\n"
          "  --employees N        how many employees (default 5000, at most 10000000)\n"
          "  --today YYYY-MM-DD   the day the data is current at (default: today, UTC)\n"
          "  --defect-rate R      share of records carrying each defect (default:\n"
          "                       each its own, 0.1% to 3%; 0 gives clean data)\n"
          "  --mutate-rate R      share of records changed at each listing's start (0)\n"
          "  --auth MODE          none | bearer | oauth2 (default none)\n"
          "  --token T            bearer: the token data calls must carry\n"
          "  --client-id ID       oauth2: the accepted client id\n"
          "  --client-secret S    oauth2: its secret\n"
          "  --token-ttl S        oauth2: token lifetime in seconds (default 3600)\n"
          "  --require-header H:V data calls must carry header H: V, else 403\n"
          "  --official-rules F   ipAsn is BKN's value under the index.rules of F\n"
          "  --write-official F   write those values as BKN's IP ASN export at start\n"
          "  --api API            listing | siasn (default listing)\n"
          "  --sso-token T        siasn: the SSO token the Auth header must carry\n"
          "  --latency MS         siasn: milliseconds added to every SIASN call\n"
          "  --write-roster FILE  siasn: write the Export Data ASN CSV at start\n"
          "  --roster-separator C siasn: , (default) or ;\n"
          "  --roster-encoding E  siasn: utf-8 (default) | windows-1252\n"
          "  --fault SPEC         arm a fault at start: kind=status,status=503,count=2\n"
          "  --header-room N      the largest header big_header may send (1048576)\n"
          "  --verbose            one line per request on stderr\n"
          "  --help               this text\n\n"
          "Contract: GET /v1/asn, GET /v1/asn/{nip}, POST /oauth2/token, GET /healthz.\n"
          "Admin: POST /admin/fault?kind=K&..., /admin/clear, /admin/fix?nip=,\n"
          "/admin/delete?nip=, /admin/set?nip=&field=&value=, /admin/mutate?count=,\n"
          "/admin/reset-stats; GET /admin/stats, /admin/record?nip=, /admin/defects.\n"
          "tools/simpeg-sim/README.md describes them and every fault.\n",
          f);
}

static int parse_num(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (!*s || *end || errno || !(v >= lo && v <= hi))
        return -1;
    *out = v;
    return 0;
}

static const struct option longopts[] = {
    {"port", required_argument, NULL, 'p'},
    {"bind", required_argument, NULL, 'b'},
    {"seed", required_argument, NULL, 's'},
    {"employees", required_argument, NULL, 'n'},
    {"today", required_argument, NULL, 'd'},
    {"defect-rate", required_argument, NULL, 'D'},
    {"mutate-rate", required_argument, NULL, 'M'},
    {"auth", required_argument, NULL, 'a'},
    {"token", required_argument, NULL, 't'},
    {"client-id", required_argument, NULL, 'i'},
    {"client-secret", required_argument, NULL, 'S'},
    {"token-ttl", required_argument, NULL, 'T'},
    {"require-header", required_argument, NULL, 'H'},
    {"official-rules", required_argument, NULL, 'r'},
    {"write-official", required_argument, NULL, 'w'},
    {"api", required_argument, NULL, 'A'},
    {"sso-token", required_argument, NULL, 'O'},
    {"latency", required_argument, NULL, 'L'},
    {"write-roster", required_argument, NULL, 'W'},
    {"roster-separator", required_argument, NULL, 'P'},
    {"roster-encoding", required_argument, NULL, 'E'},
    {"fault", required_argument, NULL, 'f'},
    {"header-room", required_argument, NULL, 'R'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* What the options set beside struct sim. */
struct options {
    int port;
    const char *bind_addr;
    char *hdr; /* --require-header's copy, cut at the colon */
    const char *official_rules, *official_file;
    const char *roster;
    struct roster_options ro;
};

static int option_today(struct sim *s, const char *arg)
{
    int y, m, dd, n = 0;

    if (sscanf(arg, "%4d-%2d-%2d%n", &y, &m, &dd, &n) != 3 || n != 10 || arg[n] ||
        !valid_ymd(y, m, dd) || y < 2000 || y > 2100)
        return -1;
    s->today = days_from_civil(y, m, dd);
    return 0;
}

static int option_auth(struct sim *s, const char *arg)
{
    if (!strcmp(arg, "none"))
        s->auth = AUTH_NONE;
    else if (!strcmp(arg, "bearer"))
        s->auth = AUTH_BEARER;
    else if (!strcmp(arg, "oauth2"))
        s->auth = AUTH_OAUTH2;
    else
        return -1;
    return 0;
}

/* --require-header H:V, the blank after the colon optional. */
static int option_header(struct sim *s, struct options *op, const char *arg)
{
    char *colon;

    free(op->hdr);
    op->hdr = strdup(arg);
    colon = op->hdr ? strchr(op->hdr, ':') : NULL;
    if (!colon || colon == op->hdr)
        return -1;
    *colon = '\0';
    s->req_header = op->hdr;
    s->req_value = colon + 1 + (colon[1] == ' ');
    return 0;
}

/* A whole number in [lo, hi]. */
static int option_whole(const char *arg, double lo, double hi, double *v)
{
    return parse_num(arg, lo, hi, v) < 0 || *v != floor(*v) ? -1 : 0;
}

/* One option that takes a value; -1 when the value is bad. */
static int option_set(struct sim *s, struct options *op, int opt, const char *arg)
{
    struct fault f;
    double v;

    switch (opt) {
    case 'p':
        if (parse_num(arg, 0, 65535, &v) < 0 || v != (int)v)
            return -1;
        op->port = (int)v;
        return 0;
    case 'b':
        op->bind_addr = arg;
        return 0;
    case 's':
        if (option_whole(arg, 0, 1e18, &v) < 0)
            return -1;
        s->seed = (uint64_t)v;
        return 0;
    case 'n':
        if (option_whole(arg, 1, MAX_EMPLOYEES, &v) < 0)
            return -1;
        s->n = (uint32_t)v;
        return 0;
    case 'd':
        return option_today(s, arg);
    case 'D':
        return parse_num(arg, 0, 1, &s->defect_rate);
    case 'M':
        return parse_num(arg, 0, 1, &s->mutate_rate);
    case 'a':
        return option_auth(s, arg);
    case 't':
        s->bearer = arg;
        return 0;
    case 'i':
        s->client_id = arg;
        return 0;
    case 'S':
        s->client_secret = arg;
        return 0;
    case 'T':
        if (option_whole(arg, 1, 86400 * 365, &v) < 0)
            return -1;
        s->token_ttl = (int64_t)v;
        return 0;
    case 'H':
        return option_header(s, op, arg);
    case 'r':
        op->official_rules = arg;
        return 0;
    case 'w':
        op->official_file = arg;
        return 0;
    case 'A':
        if (strcmp(arg, "listing") != 0 && strcmp(arg, "siasn") != 0)
            return -1;
        s->siasn = !strcmp(arg, "siasn");
        fault_default_path = s->siasn ? SIASN_BASE : "/v1/asn";
        return 0;
    case 'O':
        s->sso_token = arg;
        return 0;
    case 'L':
        if (option_whole(arg, 0, 600000, &v) < 0)
            return -1;
        s->latency_ms = (int)v;
        return 0;
    case 'W':
        op->roster = arg;
        return 0;
    case 'P':
        if ((strcmp(arg, ",") != 0 && strcmp(arg, ";") != 0))
            return -1;
        op->ro.separator = arg[0];
        return 0;
    case 'E':
        if (strcmp(arg, "utf-8") != 0 && strcmp(arg, "windows-1252") != 0)
            return -1;
        op->ro.windows_1252 = !strcmp(arg, "windows-1252");
        return 0;
    case 'f':
        if (fault_parse_spec(arg, &f) < 0 || fault_arm(s, &f) < 0)
            return -1;
        if (f.kind == F_BIG_HEADER && (size_t)f.bytes > s->header_room)
            s->header_room = (size_t)f.bytes;
        return 0;
    case 'R':
        if (option_whole(arg, 0, 1 << 30, &v) < 0)
            return -1;
        if ((size_t)v > s->header_room)
            s->header_room = (size_t)v;
        return 0;
    default:
        assert(!"an option of longopts without a case");
        return -1;
    }
}

/* The command line into s and op; the exit status when the program is to
 * end here (--help, a bad option), else -1. */
static int options_parse(int argc, char **argv, struct sim *s, struct options *op)
{
    int opt, li = 0;

    while ((opt = getopt_long(argc, argv, "", longopts, &li)) != -1) {
        if (opt == 'v') {
            s->verbose = true;
        } else if (opt == 'h') {
            usage(stdout);
            return 0;
        } else if (opt == '?' || opt == ':') {
            usage(stderr);
            return 64;
        } else if (option_set(s, op, opt, optarg) < 0) {
            fprintf(stderr, "simpeg-sim: bad value for --%s: '%s'\n", longopts[li].name, optarg);
            usage(stderr);
            return 64;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "simpeg-sim: unexpected argument '%s'\n", argv[optind]);
        return 64;
    }
    if ((s->auth == AUTH_BEARER && !s->bearer) ||
        (s->auth == AUTH_OAUTH2 && (!s->client_id || !s->client_secret))) {
        fprintf(stderr, "simpeg-sim: --auth bearer needs --token; oauth2 needs --client-id and "
                        "--client-secret\n");
        return 64;
    }
    if (op->official_file && !op->official_rules) {
        fprintf(stderr, "simpeg-sim: --write-official needs --official-rules\n");
        return 64;
    }
    if (s->siasn && (s->auth != AUTH_OAUTH2 || !s->sso_token)) {
        fprintf(stderr, "simpeg-sim: --api siasn needs --auth oauth2 (the APIM token) and "
                        "--sso-token\n");
        return 64;
    }
    if (op->roster && !s->siasn) {
        fprintf(stderr, "simpeg-sim: --write-roster needs --api siasn\n");
        return 64;
    }
    return -1;
}

/* --official-rules and --write-official; 0 or the exit status. */
static int official_start(struct sim *s, const struct options *op)
{
    char why[512];

    if (!op->official_rules)
        return 0;
    if (!(s->official =
              sim_official_load(op->official_rules, year_of(s->today), why, sizeof(why)))) {
        fprintf(stderr, "simpeg-sim: --official-rules: %s\n", why);
        return 64;
    }
    if (op->official_file && official_write(s, op->official_file) < 0) {
        fprintf(stderr, "simpeg-sim: cannot write the official values '%s'\n", op->official_file);
        return 73;
    }
    return 0;
}

/* Serves until SIGINT or SIGTERM; the exit status. */
static int serve(struct sim *s, const struct options *op, const struct sockaddr_in *sa)
{
    /* A connection's memory holds its answer's headers: big_header's too. */
    size_t room = 2 * s->header_room + 65536;
    struct MHD_Daemon *d;
    sigset_t set;
    int sig;

    /* Signals go to this thread only, through sigwait. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                             MHD_USE_ERROR_LOG,
                         (uint16_t)op->port, NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR,
                         (const struct sockaddr *)sa, MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
                         MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)120,
                         MHD_OPTION_CONNECTION_MEMORY_LIMIT, room, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "simpeg-sim: cannot listen on %s:%d\n", op->bind_addr, op->port);
        return 69;
    }
    {
        const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
        int y, m, dd;

        civil_from_days(s->today, &y, &m, &dd);
        fprintf(stderr,
                "simpeg-sim: listening on http://%s:%u (%u employees, seed %" PRIu64
                ", today %04d-%02d-%02d, auth %s)\n",
                op->bind_addr, di ? di->port : (unsigned)op->port, s->n, s->seed, y, m, dd,
                s->auth == AUTH_NONE     ? "none"
                : s->auth == AUTH_BEARER ? "bearer"
                                         : "oauth2");
    }
    sigwait(&set, &sig);
    stopping = 1;
    MHD_stop_daemon(d);
    return 0;
}

int main(int argc, char **argv)
{
    static struct sim sim;
    struct sim *s = &sim;
    struct options op = {.port = 8080, .bind_addr = "127.0.0.1", .ro = {.separator = ','}};
    struct sockaddr_in sa;
    int rc;

    s->seed = 1;
    s->n = 5000;
    s->today = (int32_t)(time(NULL) / 86400);
    s->defect_rate = -1;
    s->token_ttl = 3600;
    s->header_room = HEADER_ROOM_DEFAULT;
    pthread_rwlock_init(&s->lock, NULL);
    pthread_mutex_init(&s->mu, NULL);

    rc = options_parse(argc, argv, s, &op);
    if (rc >= 0) {
        free(op.hdr);
        return rc;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)op.port);
    if (inet_pton(AF_INET, op.bind_addr, &sa.sin_addr) != 1) {
        fprintf(stderr, "simpeg-sim: --bind expects an IPv4 address, got '%s'\n", op.bind_addr);
        return 64;
    }
    if (sim_build(s) < 0) {
        fprintf(stderr, "simpeg-sim: out of memory for %u employees\n", s->n);
        return 70;
    }
    if ((rc = official_start(s, &op)) != 0)
        return rc;
    if (op.roster && roster_write(s, op.roster, &op.ro) < 0) {
        fprintf(stderr, "simpeg-sim: cannot write the roster '%s'\n", op.roster);
        return 73;
    }
    rc = serve(s, &op, &sa);
    sim_official_free(s->official);
    if (rc)
        return rc;
    free(s->nip);
    free(s->updated);
    free(s->version);
    free(s->flags);
    free(s->order);
    free(s->slots);
    record_sets_free(s);
    free(op.hdr);
    return 0;
}
