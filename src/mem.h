/* How ipasnd uses memory, in one place: the malloc tuning, the arenas that
 * own a decoded page, the pool of their chunks, the blocks a page hands on
 * to the next, the scratch allocator jansson uses while a record decodes,
 * and the trim after a cycle. See mem.c for why each exists. No I/O, never
 * logs; every allocation that fails aborts. */
#ifndef IPASND_MEM_H
#define IPASND_MEM_H

#include <stddef.h>

/* Sets the allocator's policy; call once, first thing in main. */
void mem_tune(void);

/* Gives back what the pools keep for the next cycle; call between cycles. */
void mem_trim(void);

/* ---- arenas: one per decoded page, freed whole ------------------------- */

struct arena;

struct arena *arena_new(void);
void *arena_alloc(struct arena *a, size_t n);     /* zeroed, 16-byte aligned */
void *arena_alloc_raw(struct arena *a, size_t n); /* not zeroed, 16-byte aligned */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
size_t arena_used(const struct arena *a);
void arena_free(struct arena *a); /* NULL is a no-op */

/* ---- blocks: buffers of a few MiB that every page needs again ----------- */

/* block_take gives one of at least size bytes, not zeroed, and its size in
 * *cap; block_give keeps it for the next taker (a few at most, the largest)
 * or frees it, NULL being a no-op. */
void *block_take(size_t size, size_t *cap);
void block_give(void *p, size_t cap);

/* ---- jansson's allocations while a record decodes ----------------------- */

/* Between begin and end, every allocation jansson makes on this thread
 * comes from a scratch arena freed whole at end: no jansson value may
 * outlive the end that follows the begin it was made after. Other threads,
 * and this one outside the pair, allocate as usual. */
void mem_json_scratch_begin(void);
void mem_json_scratch_end(void);

#endif
