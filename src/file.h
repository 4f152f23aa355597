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

/* Reads a secret: one non-empty line (a trailing line end dropped) of a
 * regular file of at most 64 KiB that neither its group nor others may
 * write (whoever may write it may replace the credentials). Returns a heap
 * string the caller wipes and frees, with *st the file's status; NULL with
 * why set else, a sentence naming the file ("secret file \"/x\" must hold
 * one non-empty line"). */
char *file_read_secret(const char *path, struct stat *st, char *why, size_t why_size);

#endif
