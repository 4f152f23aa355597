/* scratch.h: a temporary folder for the files of one unit test program,
 * made by the group setup and removed whole by its teardown. Included by
 * the test programs that write files; nothing else. */
#ifndef IPASND_TEST_SCRATCH_H
#define IPASND_TEST_SCRATCH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char scratch_dir[] = "/tmp/ipasnd-unit.XXXXXX";

static int scratch_setup(void **state)
{
    (void)state;
    return mkdtemp(scratch_dir) ? 0 : -1;
}

static int scratch_teardown(void **state)
{
    char cmd[300];

    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Writes len bytes to scratch_dir/name; its path, valid until the next
 * call. NULL when the file cannot be written. */
static const char *scratch_write(const char *name, const char *bytes, size_t len)
{
    static char path[256];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", scratch_dir, name);
    if (!(f = fopen(path, "wb")))
        return NULL;
    if (fwrite(bytes, 1, len, f) != len) {
        fclose(f);
        return NULL;
    }
    return fclose(f) == 0 ? path : NULL;
}

#endif
