/* Recomputing every stored employee: the stored records are read a batch
 * at a time, decoded and assessed by two worker threads, and handed back
 * in order for the caller to write, while the workers decode the batches
 * after them. */
#ifndef IPASND_RECOMPUTE_H
#define IPASND_RECOMPUTE_H

#include <stdatomic.h>

#include "assess.h"
#include "store.h"

/* Writes one batch as a page, on the calling thread; 0 or a negative
 * store code with err. */
typedef int (*recompute_write_fn)(void *ud, const struct page *pg, const struct assessed *a,
                                  struct error *err);

struct recompute_options {
    struct store *store; /* read (and written by write) on the calling thread only */
    const char *instansi_id;
    const struct quality_ctx *assess;
    recompute_write_fn write;
    void *ud;
    const atomic_int *stop; /* raised by a signal: the recompute ends after the batch it writes */
};

/* Every active employee's stored record, assessed and written, batch after
 * batch in NIP order. A stored record that is not JSON stops it with err
 * naming the NIP; the batches before it are written, each whole. 0 or a
 * negative store code. */
int recompute_run(const struct recompute_options *o, struct error *err);

#endif
