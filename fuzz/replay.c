/* Replays inputs through a libFuzzer target without libFuzzer, so that the
 * seed corpus runs under the normal build and its sanitizers: each FILE
 * named, or every regular file of each DIRECTORY (in name order), is read
 * whole into a buffer of its exact size and passed to
 * LLVMFuzzerTestOneInput once. A broken invariant or a sanitizer report
 * aborts the process, and a leak after an input fails it, naming the file
 * under way on stderr. Prints "replayed N inputs" and exits 0 when every
 * input returned and leaked nothing. */
#include "autoconfig.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Only some targets have one. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
/* The sanitizers' interface, there under -fsanitize only. LeakSanitizer's
 * check runs after each input, as libFuzzer does: a leak is that input's. */
int __lsan_do_recoverable_leak_check(void) __attribute__((weak));
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static const char *current;

/* Names the input under way, once: on a fatal signal, or when a sanitizer
 * ends the process after its report. write(2) only. */
static void name_current(void)
{
    static const char head[] = "replay: died on this input: ";
    const char *path = current;

    current = NULL;
    if (path) {
        (void)!write(STDERR_FILENO, head, sizeof(head) - 1);
        (void)!write(STDERR_FILENO, path, strlen(path));
        (void)!write(STDERR_FILENO, "\n", 1);
    }
}

static void on_fatal(int sig)
{
    name_current();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Reads PATH whole into a buffer of its size (the fuzzer's bounds: a read
 * past the input is a read past the buffer). Exits on an error. */
static uint8_t *read_input(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    uint8_t *buf;

    if (!f || fstat(fileno(f), &st) != 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    *size = (size_t)st.st_size;
    buf = malloc(*size ? *size : 1);
    if (!buf) {
        fprintf(stderr, "replay: %s: out of memory\n", path);
        exit(1);
    }
    if (fread(buf, 1, *size, f) != *size) {
        fprintf(stderr, "replay: %s: short read\n", path);
        exit(1);
    }
    fclose(f);
    return buf;
}

static void replay_file(const char *path)
{
    size_t size;
    uint8_t *data = read_input(path, &size);

    current = path;
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    /* _exit: the report at exit would only list the same leaks again. */
    if (__lsan_do_recoverable_leak_check && __lsan_do_recoverable_leak_check()) {
        fprintf(stderr, "replay: leaked memory on this input: %s\n", path);
        _exit(1);
    }
    current = NULL;
}

static int visible(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

/* Every regular file of DIR, in name order; returns how many. */
static size_t replay_dir(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, visible, alphasort);
    size_t done = 0;

    if (n < 0) {
        fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
        exit(1);
    }
    for (int i = 0; i < n; i++) {
        char path[PATH_MAX];
        struct stat st;

        if (snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name) >= (int)sizeof(path)) {
            fprintf(stderr, "replay: %s/%s: name too long\n", dir, names[i]->d_name);
            exit(1);
        }
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            replay_file(path);
            done++;
        }
        free(names[i]);
    }
    free(names);
    return done;
}

int main(int argc, char **argv)
{
    static const int fatal[] = {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL};
    size_t done = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIRECTORY...\n", argv[0]);
        return 64;
    }
    for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
        signal(fatal[i], on_fatal);
    if (__sanitizer_set_death_callback)
        __sanitizer_set_death_callback(name_current);
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        struct stat st;

        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
            return 1;
        }
        if (S_ISDIR(st.st_mode)) {
            done += replay_dir(argv[i]);
        } else {
            replay_file(argv[i]);
            done++;
        }
    }
    printf("replayed %zu inputs\n", done);
    return 0;
}
