/* file.h: opening the files ipasnd reads (the config, secrets, BKN's
 * exports) without ever blocking on one that is not a regular file. No
 * logging; a reason goes to the caller. */
#ifndef IPASND_FILE_H
#define IPASND_FILE_H

#include <stdio.h>
#include <sys/stat.h>

/* Opens path for reading if it is a regular file: a FIFO would block the
 * load (and a reload) forever, a device or a directory is no file to read.
 * NULL with why set ("No such file or directory", "it is a directory")
 * otherwise; *st is the file's status. */
FILE *file_open_regular(const char *path, struct stat *st, char *why, size_t why_size);

#endif
