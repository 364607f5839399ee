/* arena: per-request allocations, freed all at once when the request completes. */
#ifndef HAVEN_ARENA_H
#define HAVEN_ARENA_H

#include <stddef.h>

struct arena;

struct arena *arena_new(void);
/* Returns zeroed, max-aligned memory owned by the arena; aborts on out-of-memory. */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
/* Calls fn(p) when the arena is freed, newest first: how a request owns what it did not
 * allocate from the arena (a jansson model: arena_defer(r->arena, json_decref_void, m)). */
void arena_defer(struct arena *a, void (*fn)(void *), void *p);
/* Runs the deferred calls, then frees every block. Accepts NULL. */
void arena_free(struct arena *a);

#endif
