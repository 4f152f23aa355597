/* The memory policy of ipasnd.
 *
 * A sync decodes a page, writes it and drops it, hundreds of times a cycle,
 * with three or four threads handing pages to each other. glibc would give
 * each thread an arena of its own with its own high-water mark, and map and
 * fault in again every large buffer: so the process uses one malloc arena,
 * and buffers of 256 KiB or more are mapped on their own and unmapped when
 * freed, which keeps the peak at the size of the pages in flight whatever
 * the size of the workforce. A decoded page lives in an arena of its own,
 * freed whole; the arenas' chunks go to a pool for the next page rather than
 * back to malloc, whose free lists would fragment. The two large buffers
 * every page needs again, its response body and its scores, are handed on
 * to the next page as blocks instead of being mapped anew. jansson, which
 * allocates and frees every node of a tree one by one, allocates from a
 * scratch arena while a record decodes. After a cycle the pools give
 * everything back. */
#include "autoconfig.h"

#include "mem.h"

#include "util.h"

#include <jansson.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void mem_tune(void)
{
#if defined(M_ARENA_MAX) && defined(M_MMAP_THRESHOLD)
    mallopt(M_ARENA_MAX, 1);
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
}

/* ---- arenas ----------------------------------------------------------- */

#define ARENA_CHUNK (64 * 1024)

struct chunk {
    struct chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

struct arena {
    struct chunk *head;
    size_t total;
};

/* Chunks of the standard size go back to a pool rather than to malloc:
 * a sync makes and drops hundreds of page-sized arenas, and reusing their
 * chunks keeps the process's size flat (malloc's free lists fragment and
 * grow with the number of pages) and spares the allocator. At most
 * POOL_MAX chunks wait there; mem_trim frees them. */
#define POOL_MAX 512

static struct {
    pthread_mutex_t mu;
    struct chunk *free;
    size_t n;
} pool = {PTHREAD_MUTEX_INITIALIZER, NULL, 0};

static struct chunk *chunk_new(size_t size)
{
    struct chunk *c = NULL;

    if (size == ARENA_CHUNK) {
        pthread_mutex_lock(&pool.mu);
        if ((c = pool.free)) {
            pool.free = c->next;
            pool.n--;
        }
        pthread_mutex_unlock(&pool.mu);
    }
    if (!c)
        c = xmalloc(sizeof(*c) + size);
    c->size = size;
    c->used = 0;
    return c;
}

static void chunk_free(struct chunk *c)
{
    if (c->size == ARENA_CHUNK) {
        pthread_mutex_lock(&pool.mu);
        if (pool.n < POOL_MAX) {
            c->next = pool.free;
            pool.free = c;
            pool.n++;
            c = NULL;
        }
        pthread_mutex_unlock(&pool.mu);
    }
    free(c);
}

static void arena_pool_trim(void)
{
    struct chunk *c;

    pthread_mutex_lock(&pool.mu);
    c = pool.free;
    pool.free = NULL;
    pool.n = 0;
    pthread_mutex_unlock(&pool.mu);
    while (c) {
        struct chunk *next = c->next;

        free(c);
        c = next;
    }
}

struct arena *arena_new(void)
{
    return xcalloc(1, sizeof(struct arena));
}

void *arena_alloc(struct arena *a, size_t n)
{
    void *p = arena_alloc_raw(a, n);

    memset(p, 0, n);
    return p;
}

void *arena_alloc_raw(struct arena *a, size_t n)
{
    struct chunk *c = a->head;
    void *p;

    n = (n + 15) & ~(size_t)15;
    if (!c || c->size - c->used < n) {
        size_t size = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK;

        c = chunk_new(size);
        if (size == n && a->head) {
            /* A large block gets its own chunk behind the current one, so
             * the current chunk's free space is not wasted. */
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
        a->total += size;
    }
    p = c->data + c->used;
    c->used += n;
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

size_t arena_used(const struct arena *a)
{
    return a ? a->total : 0;
}

void arena_free(struct arena *a)
{
    struct chunk *c, *next;

    if (!a)
        return;
    for (c = a->head; c; c = next) {
        next = c->next;
        chunk_free(c);
    }
    free(a);
}

/* ---- blocks ------------------------------------------------------------ */

/* At most BLOCKS_MAX blocks wait for block_take: enough for the pages and
 * bodies in flight to hand theirs on. */
#define BLOCKS_MAX 4

static struct {
    pthread_mutex_t mu;
    void *p[BLOCKS_MAX];
    size_t cap[BLOCKS_MAX];
    size_t n;
} blocks = {PTHREAD_MUTEX_INITIALIZER, {0}, {0}, 0};

void *block_take(size_t size, size_t *cap)
{
    size_t best = SIZE_MAX;
    void *p = NULL;

    pthread_mutex_lock(&blocks.mu);
    for (size_t i = 0; i < blocks.n; i++) /* the smallest that fits */
        if (blocks.cap[i] >= size && (best == SIZE_MAX || blocks.cap[i] < blocks.cap[best]))
            best = i;
    if (best != SIZE_MAX) {
        p = blocks.p[best];
        *cap = blocks.cap[best];
        blocks.n--;
        blocks.p[best] = blocks.p[blocks.n];
        blocks.cap[best] = blocks.cap[blocks.n];
    }
    pthread_mutex_unlock(&blocks.mu);
    if (!p) {
        p = xmalloc(size ? size : 1);
        *cap = size;
    }
    return p;
}

void block_give(void *p, size_t cap)
{
    if (!p)
        return;
    pthread_mutex_lock(&blocks.mu);
    if (blocks.n < BLOCKS_MAX) {
        blocks.p[blocks.n] = p;
        blocks.cap[blocks.n++] = cap;
        p = NULL;
    } else {
        size_t small = 0;

        for (size_t i = 1; i < blocks.n; i++)
            if (blocks.cap[i] < blocks.cap[small])
                small = i;
        if (blocks.cap[small] < cap) { /* keep the larger */
            void *q = blocks.p[small];

            blocks.p[small] = p;
            blocks.cap[small] = cap;
            p = q;
        }
    }
    pthread_mutex_unlock(&blocks.mu);
    free(p);
}

static void block_trim(void)
{
    void *b[BLOCKS_MAX];
    size_t n;

    pthread_mutex_lock(&blocks.mu);
    n = blocks.n;
    memcpy(b, blocks.p, n * sizeof(*b));
    blocks.n = 0;
    pthread_mutex_unlock(&blocks.mu);
    for (size_t i = 0; i < n; i++)
        free(b[i]);
}

/* ---- jansson's scratch -------------------------------------------------- */

static _Thread_local struct arena *scratch;

static void *scratch_malloc(size_t n)
{
    return scratch ? arena_alloc_raw(scratch, n) : malloc(n);
}

static void scratch_free(void *p)
{
    if (!scratch)
        free(p);
}

static void scratch_init(void)
{
    json_set_alloc_funcs(scratch_malloc, scratch_free);
}

void mem_json_scratch_begin(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;

    pthread_once(&once, scratch_init);
    scratch = arena_new();
}

void mem_json_scratch_end(void)
{
    struct arena *a = scratch;

    scratch = NULL;
    arena_free(a);
}

/* ---- after a cycle ------------------------------------------------------- */

void mem_trim(void)
{
    arena_pool_trim();
    block_trim();
}
