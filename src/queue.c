#include "autoconfig.h"

#include "queue.h"

#include "util.h"

#include <stdlib.h>

void queue_init(struct queue *q, size_t cap)
{
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
    q->cap = cap ? cap : 1;
    q->item = xcalloc(q->cap, sizeof(*q->item));
    q->head = q->n = 0;
    q->closed = false;
}

void queue_destroy(struct queue *q)
{
    pthread_cond_destroy(&q->cv);
    pthread_mutex_destroy(&q->mu);
    free(q->item);
    q->item = NULL;
}

bool queue_push(struct queue *q, void *item)
{
    bool taken = false;

    pthread_mutex_lock(&q->mu);
    while (q->n == q->cap && !q->closed)
        pthread_cond_wait(&q->cv, &q->mu);
    if (!q->closed) {
        q->item[(q->head + q->n++) % q->cap] = item;
        taken = true;
        pthread_cond_broadcast(&q->cv);
    }
    pthread_mutex_unlock(&q->mu);
    return taken;
}

/* The oldest item, the lock held; NULL when empty. */
static void *take(struct queue *q)
{
    void *item;

    if (!q->n)
        return NULL;
    item = q->item[q->head];
    q->head = (q->head + 1) % q->cap;
    q->n--;
    pthread_cond_broadcast(&q->cv);
    return item;
}

void *queue_pop(struct queue *q)
{
    void *item;

    pthread_mutex_lock(&q->mu);
    while (!q->n && !q->closed)
        pthread_cond_wait(&q->cv, &q->mu);
    item = take(q);
    pthread_mutex_unlock(&q->mu);
    return item;
}

void *queue_try_pop(struct queue *q)
{
    void *item;

    pthread_mutex_lock(&q->mu);
    item = take(q);
    pthread_mutex_unlock(&q->mu);
    return item;
}

bool queue_wait_room(struct queue *q)
{
    bool open;

    pthread_mutex_lock(&q->mu);
    while (q->n == q->cap && !q->closed)
        pthread_cond_wait(&q->cv, &q->mu);
    open = !q->closed;
    pthread_mutex_unlock(&q->mu);
    return open;
}

void queue_close(struct queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->closed = true;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
}
