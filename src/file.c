/* file.c: see file.h. */
#include "file.h"

#include <errno.h>
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
