/* Batch n goes to the workers through `todo`, comes back through `done`
 * in whatever order they finish, and is written once every batch before it
 * has been: at most JOBS batches are in flight. The database stays on the
 * calling thread; the workers touch only their batch. */
#include "autoconfig.h"

#include "recompute.h"

#include "queue.h"
#include "simpeg.h"
#include "util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define WORKERS 2
#define JOBS    (WORKERS + 1)
#define BATCH   1000

struct job {
    char *buf;                /* the batch's NIPs and records, one after the other */
    const char **nip, **text; /* each in buf */
    size_t *len, count;
    struct page *page; /* NULL when it did not decode: err says why */
    struct assessed assessed;
    struct error err;
    bool done; /* back from a worker (the calling thread's flag) */
};

struct recompute {
    const struct recompute_options *o;
    struct error *err;
    pthread_t thread[WORKERS];
    size_t threads;
    struct queue todo, done;
    struct job *flight[JOBS]; /* in batch order, oldest first */
    size_t n_flight;
};

static void *worker_main(void *arg)
{
    struct recompute *rc = arg;
    struct job *j;

    while ((j = queue_pop(&rc->todo))) {
        struct simpeg_limits lim = simpeg_limits_for(BATCH);

        lim.max_records = j->count;
        lim.keep_raw = false; /* stored records are not written back */
        j->page = simpeg_decode_records(j->text, j->len, j->nip, j->count, &lim, &j->err);
        if (j->page)
            assess_page(j->page, rc->o->assess, &j->assessed);
        if (!queue_push(&rc->done, j))
            assert_not_reached(); /* done is closed only after the workers ended */
    }
    return NULL;
}

static void job_free(struct job *j)
{
    if (!j)
        return;
    assessed_free(&j->assessed);
    page_free(j->page);
    free(j->buf);
    free(j->nip);
    free(j->text);
    free(j->len);
    free(j);
}

/* A copy of the batch the store hands out, which lasts only the call. */
static struct job *job_new(const char *const *nip, const char *const *text, const size_t *len,
                           size_t count)
{
    struct job *j = xcalloc(1, sizeof(*j));
    size_t size = 0;
    char *at;

    j->nip = xmalloc(count * sizeof(*j->nip));
    j->text = xmalloc(count * sizeof(*j->text));
    j->len = xmalloc(count * sizeof(*j->len));
    j->count = count;
    for (size_t i = 0; i < count; i++)
        size += strlen(nip[i]) + 1 + len[i] + 1;
    at = j->buf = xmalloc(size);
    for (size_t i = 0; i < count; i++) {
        size_t n = strlen(nip[i]) + 1;

        j->nip[i] = memcpy(at, nip[i], n);
        at += n;
        j->text[i] = memcpy(at, text[i], len[i]);
        at[len[i]] = '\0';
        at += len[i] + 1;
        j->len[i] = len[i];
    }
    return j;
}

/* Waits for the oldest batch in flight to come back, and writes it. */
static int write_oldest(struct recompute *rc)
{
    struct job *j = rc->flight[0];
    int r;

    while (!j->done)
        ((struct job *)queue_pop(&rc->done))->done = true;
    memmove(rc->flight, rc->flight + 1, --rc->n_flight * sizeof(*rc->flight));
    if (!j->page) {
        *rc->err = j->err;
        r = STORE_ERR;
    } else {
        r = rc->o->write(rc->o->ud, j->page, &j->assessed, rc->err);
    }
    job_free(j);
    return r;
}

/* A batch from the store: queued for the workers; when every slot is in
 * flight, the oldest is written while the others decode. */
static int on_batch(void *ud, const char *const *nip, const char *const *text, const size_t *len,
                    size_t count)
{
    struct recompute *rc = ud;
    struct job *j = job_new(nip, text, len, count);
    int r;

    rc->flight[rc->n_flight++] = j;
    if (!queue_push(&rc->todo, j))
        assert_not_reached(); /* todo is closed only after the scan */
    if (rc->n_flight == JOBS && (r = write_oldest(rc)) < 0)
        return r;
    if (rc->o->stop && atomic_load(rc->o->stop)) {
        error_set(rc->err, "stopped by a signal");
        return STORE_ERR;
    }
    return 0;
}

int recompute_run(const struct recompute_options *o, struct error *err)
{
    struct recompute rc = {.o = o, .err = err};
    int r = 0;

    queue_init(&rc.todo, JOBS);
    queue_init(&rc.done, JOBS);
    while (rc.threads < WORKERS && r == 0) {
        if (thread_start(&rc.thread[rc.threads], worker_main, &rc) == 0) {
            rc.threads++;
        } else {
            error_set(err, "cannot start the recompute threads");
            r = STORE_ERR;
        }
    }
    if (r == 0)
        r = store_scan_raw(o->store, o->instansi_id, BATCH, on_batch, &rc, err);
    while (r == 0 && rc.n_flight)
        r = write_oldest(&rc);
    /* The workers end once the batches queued are decoded. */
    queue_close(&rc.todo);
    for (size_t i = 0; i < rc.threads; i++)
        pthread_join(rc.thread[i], NULL);
    for (size_t i = 0; i < rc.n_flight; i++)
        job_free(rc.flight[i]); /* each is in done, or was never taken */
    queue_close(&rc.done);
    queue_destroy(&rc.todo);
    queue_destroy(&rc.done);
    return r < 0 ? r : 0;
}
