/* The listing pipeline.
 *
 * Three threads and three queues of one slot each:
 *
 *   request thread             decode thread                  caller
 *   (the HTTP client's owner)                                 (the database's owner)
 *
 *   pops a cursor <-----+
 *   GETs its page       |
 *   pushes the body --------> pops a body
 *                       |     waits for room in `pages`
 *                       +---- decodes the envelope: pushes
 *                             the next cursor
 *                             decodes the records, assesses
 *                             pushes the page -------------> pipeline_next
 *                                                             writes the page
 *
 * The request thread is the only one that touches the HTTP client between
 * pipeline_start and pipeline_stop, one request at a time; the caller
 * touches it again only after pipeline_stop has joined the threads. The
 * next page is asked as soon as the envelope of this one is decoded, so it
 * travels while this one's records decode. The decode thread takes on a
 * body only once the page slot is free, so pages wait as bodies, not as
 * decoded pages of twice their size: the caller's page, the page in the
 * slot, the body being decoded and the body arriving are all there is. */
#include "autoconfig.h"

#include "pipeline.h"

#include "queue.h"
#include "simpeg.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct request {
    char *cursor; /* NULL: the listing's first page */
};

struct body {
    enum http_result r;
    struct http_response resp;
    struct error err;
};

/* The 64-bit hashes of the cursors the listing asked for: a cursor handed
 * out twice means the listing goes round in circles. */
struct cursor_set {
    uint64_t *v; /* open addressing, 0 = empty */
    size_t cap, n;
};

/* A record's place in the listing's order. */
struct listing_key {
    int64_t updated_at;
    char nip[24];
};

struct pipeline {
    struct pipeline_options o;
    char since[32];
    struct simpeg_limits lim;
    struct queue requests, bodies, pages;
    pthread_t request_thread, decode_thread;
    bool request_started, decode_started;
    /* the decode thread's */
    struct cursor_set cursors;
    bool asked;              /* the page being decoded asked for its next one */
    const char *looped;      /* the cursor it would have asked for again */
    struct listing_key last; /* the latest record of the listing so far */
    int stuck;               /* pages in a row that held nothing after it */
};

/* ---- cursors ----------------------------------------------------------- */

/* Pages in a row that hold no record after the listing's latest, after
 * which the listing is taken for one that goes nowhere: records come in
 * (updatedAt, nipBaru) order and each page continues after the one before,
 * so a listing that hands out fresh cursors to the same records, or to
 * empty pages, never ends though no cursor repeats. */
#define STUCK_PAGES_MAX 3

static int key_cmp(const struct listing_key *a, int64_t updated_at, const char *nip)
{
    if (a->updated_at != updated_at)
        return a->updated_at < updated_at ? -1 : 1;
    return strcmp(a->nip, nip);
}

/* Whether the page holds a record after the listing's latest; moves it. */
static bool advances(struct listing_key *last, const struct page *pg)
{
    bool moved = false;

    for (size_t i = 0; i < pg->n_employees; i++) {
        const struct employee *e = &pg->employees[i];

        if (key_cmp(last, e->updated_at, e->nip) < 0) {
            last->updated_at = e->updated_at;
            snprintf(last->nip, sizeof(last->nip), "%s", e->nip);
            moved = true;
        }
    }
    return moved;
}

static uint64_t cursor_hash(const char *cursor)
{
    uint64_t h = hash64(cursor, strlen(cursor), HASH64_INIT);

    return h ? h : 1;
}

/* Adds the cursor; false when it was there already. */
static bool cursor_add(struct cursor_set *s, const char *cursor)
{
    uint64_t h = cursor_hash(cursor);
    size_t i;

    if (2 * (s->n + 1) > s->cap) {
        struct cursor_set bigger = {xcalloc(s->cap ? 2 * s->cap : 64, sizeof(uint64_t)),
                                    s->cap ? 2 * s->cap : 64, 0};

        for (size_t k = 0; k < s->cap; k++)
            if (s->v[k]) {
                for (i = s->v[k] % bigger.cap; bigger.v[i]; i = (i + 1) % bigger.cap)
                    ;
                bigger.v[i] = s->v[k];
                bigger.n++;
            }
        free(s->v);
        *s = bigger;
    }
    for (i = h % s->cap; s->v[i]; i = (i + 1) % s->cap)
        if (s->v[i] == h)
            return false;
    s->v[i] = h;
    s->n++;
    return true;
}

/* ---- the request thread ------------------------------------------------ */

static void *request_main(void *arg)
{
    struct pipeline *p = arg;
    struct request *rq;

    while ((rq = queue_pop(&p->requests))) {
        struct body *b = xcalloc(1, sizeof(*b));

        b->r = http_get_page(p->o.http, *p->since ? p->since : NULL, rq->cursor, p->o.page_size,
                             &b->resp, &b->err);
        free(rq->cursor);
        free(rq);
        if (!queue_push(&p->bodies, b)) {
            http_response_free(&b->resp);
            free(b);
        }
    }
    return NULL;
}

static void ask(struct pipeline *p, const char *cursor)
{
    struct request *rq = xcalloc(1, sizeof(*rq));

    rq->cursor = cursor ? xstrdup(cursor) : NULL;
    if (!queue_push(&p->requests, rq)) {
        free(rq->cursor);
        free(rq);
    }
}

/* ---- the decode thread ------------------------------------------------- */

/* The envelope of the page being decoded: its next page is asked now,
 * unless the listing has been there before. */
static void on_envelope(void *ud, const struct page *pg)
{
    struct pipeline *p = ud;

    if (p->asked || !pg->next_cursor)
        return;
    p->asked = true;
    if (!cursor_add(&p->cursors, pg->next_cursor)) {
        p->looped = pg->next_cursor;
        return;
    }
    ask(p, pg->next_cursor);
}

static void where(struct fetched *f, const struct body *b)
{
    f->status = b->resp.status;
    snprintf(f->url, sizeof(f->url), "%s", b->resp.url ? b->resp.url : "");
}

/* A body into the step the caller gets. */
static void decode(struct pipeline *p, struct body *b, struct fetched *f)
{
    struct simpeg_hooks hooks = {on_envelope, p};

    where(f, b);
    if (b->r != HTTP_OK) {
        f->result = FETCH_HTTP;
        f->http = b->r;
        f->err = b->err;
        return;
    }
    p->asked = false;
    p->looped = NULL;
    f->page = simpeg_decode_page(b->resp.body, b->resp.len, &p->lim, &hooks, &f->err);
    if (!f->page) {
        f->result = FETCH_MALFORMED;
        return;
    }
    if (p->looped) {
        char q[80];

        text_quote(q, sizeof(q), p->looped);
        error_set(&f->err, "the page's next_cursor %s was handed out before in this listing", q);
        f->result = FETCH_LOOP;
        page_free(f->page);
        f->page = NULL;
        return;
    }
    f->last = !f->page->next_cursor;
    if (advances(&p->last, f->page) || f->last) {
        p->stuck = 0;
    } else if (++p->stuck >= STUCK_PAGES_MAX) {
        error_set(&f->err,
                  "%d pages in a row held no record after the listing's latest (updatedAt, "
                  "nipBaru): the listing does not advance",
                  p->stuck);
        f->result = FETCH_LOOP;
        page_free(f->page);
        f->page = NULL;
        return;
    }
    if (p->o.assess)
        assess_page(f->page, p->o.assess, &f->assessed);
}

static void *decode_main(void *arg)
{
    struct pipeline *p = arg;
    struct body *b;

    while ((b = queue_pop(&p->bodies))) {
        struct fetched *f = xcalloc(1, sizeof(*f));
        bool end;

        if (queue_wait_room(&p->pages))
            decode(p, b, f);
        http_response_free(&b->resp);
        free(b);
        end = f->result != FETCH_PAGE || f->last;
        if (!queue_push(&p->pages, f)) {
            fetched_free(f);
            free(f);
            break;
        }
        if (end)
            break;
    }
    return NULL;
}

/* ---- the caller's side ------------------------------------------------- */

void fetched_free(struct fetched *f)
{
    assessed_free(&f->assessed);
    page_free(f->page);
    f->page = NULL;
}

struct pipeline *pipeline_start(const struct pipeline_options *o)
{
    struct pipeline *p = xcalloc(1, sizeof(*p));

    p->o = *o;
    p->lim = simpeg_limits_for(o->page_size);
    if (o->since)
        timestamp_format(o->since, p->since, sizeof(p->since));
    queue_init(&p->requests, 1);
    queue_init(&p->bodies, 1);
    queue_init(&p->pages, 1);
    atomic_store(o->cancel, 0);
    if (o->cursor)
        (void)cursor_add(&p->cursors, o->cursor); /* the set is empty: it goes in */
    ask(p, o->cursor);
    p->request_started = thread_start(&p->request_thread, request_main, p) == 0;
    p->decode_started = p->request_started && thread_start(&p->decode_thread, decode_main, p) == 0;
    if (!p->decode_started) {
        pipeline_stop(p);
        return NULL;
    }
    return p;
}

void pipeline_next(struct pipeline *p, struct fetched *out)
{
    struct fetched *f = queue_pop(&p->pages);

    if (!f)
        assert_not_reached(); /* asked again after the listing ended */
    *out = *f;
    free(f);
}

/* Frees what a closed queue still holds. */
static void drain(struct queue *q, void (*release)(void *))
{
    void *item;

    while ((item = queue_try_pop(q)))
        release(item);
    queue_destroy(q);
}

static void release_request(void *item)
{
    struct request *rq = item;

    free(rq->cursor);
    free(rq);
}

static void release_body(void *item)
{
    struct body *b = item;

    http_response_free(&b->resp);
    free(b);
}

static void release_page(void *item)
{
    fetched_free(item);
    free(item);
}

void pipeline_stop(struct pipeline *p)
{
    if (!p)
        return;
    atomic_store(p->o.cancel, 1); /* a transfer under way ends now */
    queue_close(&p->requests);
    queue_close(&p->bodies);
    queue_close(&p->pages);
    if (p->request_started)
        pthread_join(p->request_thread, NULL);
    if (p->decode_started)
        pthread_join(p->decode_thread, NULL);
    drain(&p->requests, release_request);
    drain(&p->bodies, release_body);
    drain(&p->pages, release_page);
    atomic_store(p->o.cancel, 0);
    free(p->cursors.v);
    free(p);
}
