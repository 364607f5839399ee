/* arena: a chain of blocks; handlers never free piecemeal, the request's end frees it all. */
#include "core/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define ARENA_BLOCK 8192

struct block {
    struct block *next;
    size_t used, cap;
    alignas(max_align_t) unsigned char data[];
};

struct deferred {
    struct deferred *next;
    void (*fn)(void *);
    void *p;
};

struct arena {
    struct block *head;
    struct deferred *deferred;
};

struct arena *arena_new(void)
{
    return xcalloc(1, sizeof(struct arena));
}

void *arena_alloc(struct arena *a, size_t n)
{
    const size_t align = alignof(max_align_t);
    struct block *b = a->head;
    size_t off;
    void *p;

    if (n > SIZE_MAX / 2)
        abort();
    off = b ? (b->used + align - 1) & ~(align - 1) : 0;
    if (!b || off + n > b->cap) {
        size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        b = xmalloc(sizeof(*b) + cap);
        b->cap = cap;
        b->used = 0;
        b->next = a->head;
        a->head = b;
        off = 0;
    }
    p = b->data + off;
    b->used = off + n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

void arena_defer(struct arena *a, void (*fn)(void *), void *p)
{
    struct deferred *d = arena_alloc(a, sizeof(*d));

    d->fn = fn;
    d->p = p;
    d->next = a->deferred;
    a->deferred = d;
}

void arena_free(struct arena *a)
{
    struct block *b, *next;

    if (!a)
        return;
    /* The records live in the blocks: run them all before the first block goes. */
    for (struct deferred *d = a->deferred; d; d = d->next)
        d->fn(d->p);
    for (b = a->head; b; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}
