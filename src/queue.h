/* A bounded queue of pointers between threads: producers wait while it is
 * full, consumers while it is empty, and closing it wakes everyone. The
 * listing pipeline and the recompute pass their work through it. */
#ifndef IPASND_QUEUE_H
#define IPASND_QUEUE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct queue {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    void **item;
    size_t cap, head, n;
    bool closed;
};

void queue_init(struct queue *q, size_t cap);
/* Frees the queue, not its items: the caller takes them out first. */
void queue_destroy(struct queue *q);

/* Appends item, waiting for room; false (item not taken) once closed. */
bool queue_push(struct queue *q, void *item);
/* The oldest item, waiting for one; NULL once closed and empty. */
void *queue_pop(struct queue *q);
/* The oldest item without waiting; NULL when there is none. */
void *queue_try_pop(struct queue *q);
/* Waits until the queue has room; false once closed. A single producer
 * that waits here before making its next item holds at most one item
 * more than the queue. */
bool queue_wait_room(struct queue *q);
/* Wakes every waiter; pushes fail from now on, pops drain what is left. */
void queue_close(struct queue *q);

#endif
