/*
 * record_keep: the contract's members of a record's JSON text, cut out of
 * the text as received (see record_keep.c).
 */
#ifndef IPASND_RECORD_KEEP_H
#define IPASND_RECORD_KEEP_H

#include <stddef.h>

/* Takes the next bytes of the output; nonzero stops (jansson's
 * json_dump_callback_t has this shape). */
typedef int record_emit_fn(const char *buf, size_t n, void *data);

/* Writes through emit the record text (a JSON object jansson has parsed)
 * cut to the contract's fields, and rest bytes at most of its other
 * members, no personal ones. 0 done; 1 the text cannot be cut here (a key
 * written with an escape, not an object): write the parsed record instead;
 * -1 emit refused. */
int record_keep(const char *text, size_t len, size_t rest, record_emit_fn *emit, void *data);

#endif
