/* store_internal: what the store's modules share, and nothing outside store/ includes: the
 * struct behind struct store (one connection of the driver, store/db.h) and the helpers every
 * module's writes use. */
#ifndef HAVEN_STORE_INTERNAL_H
#define HAVEN_STORE_INTERNAL_H

#include <stddef.h>

#include "core/err.h"
#include "store/db.h"

struct store {
    struct db *db; /* owned: db_close in store_close */
};

static inline struct db *store_db(struct store *s)
{
    return s->db;
}

/* snprintf-copies src into dst (size bytes), truncating. */
void store_copy(char *dst, size_t size, const char *src);

#endif
