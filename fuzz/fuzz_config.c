/* libFuzzer target for the configuration loader. The input is written to a
 * memfd and loaded by config_load through /proc/self/fd/N, as a file would
 * be. Secret files resolve against a private $CREDENTIALS_DIRECTORY holding
 * "token", "secret" and "header" (one line each), "lines" (two lines) and
 * "empty". Every config and error list is freed; a loaded config is checked
 * against the schema's ranges, and every message is one
 * printable line that holds no secret. */
#include "autoconfig.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "model.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);
const char *__asan_default_options(void);

/* libconfig before 1.7.3 (Debian 12 has 1.5) loses the buffer of a string
 * token that a syntax error discards, as in `a "b";` (its issue 142): a
 * leak of memory the library allocated, never of ipasnd's. */
const char *__lsan_default_suppressions(void)
{
    return "leak:libconfig.so\n";
}

/* Each of those leaks makes libFuzzer look for leaks over the whole heap, at
 * a cost that grows with ASan's quarantine of freed blocks. 4 MB still holds
 * every block of dozens of loads (the sample allocates about 110 KB). */
const char *__asan_default_options(void)
{
    return "quarantine_size_mb=4";
}

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            invariant_failed(#cond, __LINE__);                                                     \
    } while (0)

static void invariant_failed(const char *what, int line)
{
    fprintf(stderr, "fuzz_config.c:%d: invariant broken: %s\n", line, what);
    abort();
}

static const struct {
    const char *name, *text;
} secrets[] = {
    {"token", "fuzz-token-0d9f4c\n"},
    {"secret", "fuzz-secret-7be21a\n"},
    {"header", "fuzz-header-55c0e3\n"},
    {"lines", "fuzz-line-one-a1\nfuzz-line-two-b2\n"},
    {"empty", ""},
};

static char creds[64];
static int fd = -1;
static char path[64];

static void remove_creds(void)
{
    char file[128];

    for (size_t i = 0; i < ARRAY_SIZE(secrets); i++) {
        snprintf(file, sizeof(file), "%s/%s", creds, secrets[i].name);
        unlink(file);
    }
    rmdir(creds);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *tmp = getenv("TMPDIR");
    char file[128];

    snprintf(creds, sizeof(creds), "%s/ipasnd-fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(creds)) {
        perror("mkdtemp");
        exit(1);
    }
    atexit(remove_creds);
    for (size_t i = 0; i < ARRAY_SIZE(secrets); i++) {
        FILE *f;

        snprintf(file, sizeof(file), "%s/%s", creds, secrets[i].name);
        f = fopen(file, "w");
        if (!f || fputs(secrets[i].text, f) == EOF || fclose(f) != 0) {
            perror(file);
            exit(1);
        }
        chmod(file, 0600);
    }
    setenv("CREDENTIALS_DIRECTORY", creds, 1);

    fd = memfd_create("ipasnd.conf", MFD_CLOEXEC);
    if (fd < 0) {
        perror("memfd_create");
        exit(1);
    }
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    return 0;
}

/* One line of printable text: no byte below 0x20, no DEL. */
static bool one_line(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return false;
    return true;
}

/* Whether a secret's first line appears in s. */
static bool holds_secret(const char *s)
{
    for (size_t i = 0; i < ARRAY_SIZE(secrets); i++) {
        char line[64];

        snprintf(line, sizeof(line), "%.*s", (int)strcspn(secrets[i].text, "\n"), secrets[i].text);
        if (*line && strstr(s, line))
            return true;
    }
    return false;
}

static bool input_names_secret(const uint8_t *data, size_t size)
{
    for (size_t i = 0; i < ARRAY_SIZE(secrets); i++) {
        const char *t = secrets[i].text;
        size_t n = strcspn(t, "\n");

        /* Any 8 bytes of a secret written into the file may come back in
         * an error quoting the value; only a secret the input never
         * spells out must stay out of the messages. */
        for (size_t j = 0; n >= 8 && j + 8 <= n; j++)
            if (memmem(data, size, t + j, 8))
                return true;
    }
    return false;
}

static void check_config(const struct config *cfg)
{
    const struct config_source *src = &cfg->source;
    const struct rules *r = &cfg->index.rules;

    CHECK(src->url &&
          (strncmp(src->url, "https://", 8) == 0 || strncmp(src->url, "http://", 7) == 0));
    CHECK(src->page_size >= 1 && src->page_size <= 1000);
    CHECK(src->timeout >= 1 && src->timeout <= 3600);
    CHECK(src->retries >= 0 && src->retries <= 100);
    CHECK(src->rate_limit > 0);
    CHECK(src->max_page_bytes >= 1024);
    CHECK(cfg->sync.interval >= 10 && cfg->sync.jitter >= 0 && cfg->sync.jitter <= 0.5);
    CHECK(cfg->index.period == 0 || (cfg->index.period >= 2000 && cfg->index.period <= 2100));
    CHECK(r->skp_above_sangat_baik > r->skp_above_baik);
    CHECK(r->cat_above_sangat_tinggi > r->cat_above_tinggi);
    CHECK(r->qual_s3 >= 0 && r->qual_s3 <= 1000);
    CHECK(src->auth != AUTH_BEARER || (src->token && *src->token && !strchr(src->token, '\n')));
    CHECK(src->auth != AUTH_OAUTH2 || (src->client_secret && *src->client_secret));
    for (size_t i = 0; i < src->n_headers; i++)
        CHECK(src->headers[i].name && *src->headers[i].name && src->headers[i].value);
    for (size_t i = 0; i < cfg->index.include_status.n; i++)
        CHECK(cfg->index.include_status.v[i]);
    (void)config_rules_hash(&cfg->index);
    (void)config_period(&cfg->index);
    (void)config_as_of(&cfg->index);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct strlist errors = {0};
    struct config *cfg;
    bool check_secrets = !input_names_secret(data, size);

    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    cfg = config_load(path, &errors);
    if (cfg) {
        CHECK(errors.n == 0);
        check_config(cfg);
        for (size_t i = 0; i < cfg->warnings.n; i++) {
            CHECK(one_line(cfg->warnings.v[i]));
            CHECK(!check_secrets || !holds_secret(cfg->warnings.v[i]));
        }
    } else {
        CHECK(errors.n > 0);
    }
    for (size_t i = 0; i < errors.n; i++) {
        CHECK(errors.v[i] && *errors.v[i] && one_line(errors.v[i]));
        CHECK(!check_secrets || !holds_secret(errors.v[i]));
    }
    config_free(cfg);
    strlist_free(&errors);
    return 0;
}
