/* file.c: see file.h. */
#include "file.h"

#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

FILE *file_open_regular(const char *path, struct stat *st, char *why, size_t why_size)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    FILE *f;

    memset(st, 0, sizeof(*st));
    if (fd < 0) {
        snprintf(why, why_size, "%s", strerror(errno));
        return NULL;
    }
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
        snprintf(why, why_size, "%s",
                 S_ISDIR(st->st_mode)    ? "it is a directory"
                 : S_ISFIFO(st->st_mode) ? "it is a FIFO, not a regular file"
                                         : "it is not a regular file");
        close(fd);
        return NULL;
    }
    /* Reads of a regular file do not block: the flag only kept open()
     * from waiting for a writer. */
    (void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    if (!(f = fdopen(fd, "r"))) {
        snprintf(why, why_size, "%s", strerror(errno));
        close(fd);
    }
    return f;
}

char *file_read_secret(const char *path, struct stat *st, char *why, size_t why_size)
{
    char how[128], q[300];
    FILE *f = file_open_regular(path, st, how, sizeof(how));
    char *buf;
    size_t len;

    text_quote(q, sizeof(q), path);
    if (!f) {
        snprintf(why, why_size, "cannot read secret file %s: %s", q, how);
        return NULL;
    }
    if (st->st_size > 65536) {
        snprintf(why, why_size, "secret file %s is larger than 64 KiB", q);
        fclose(f);
        return NULL;
    }
    if (st->st_mode & (S_IWGRP | S_IWOTH)) {
        snprintf(why, why_size,
                 "secret file %s is writable by %s (mode %03o): chmod go-w it, or better 0600", q,
                 st->st_mode & S_IWOTH ? "others" : "its group", (unsigned)(st->st_mode & 0777));
        fclose(f);
        return NULL;
    }
    if (!(buf = malloc(65537))) {
        snprintf(why, why_size, "cannot read secret file %s: out of memory", q);
        fclose(f);
        return NULL;
    }
    len = fread(buf, 1, 65536, f);
    fclose(f);
    buf[len] = '\0';
    while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
        buf[--len] = '\0';
    if (len == 0 || strlen(buf) != len || strpbrk(buf, "\r\n")) {
        snprintf(why, why_size, "secret file %s must hold one non-empty line", q);
        explicit_bzero(buf, 65537);
        free(buf);
        return NULL;
    }
    return buf;
}
