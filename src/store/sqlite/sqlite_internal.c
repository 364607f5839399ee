/* sqlite_internal: the stop-gap of store/sqlite_internal.h (the raw SQLite handle of a store,
 * for a test outside store/ that has not moved to db.h yet). */
#include "store/sqlite_internal.h"

#include "store/store_internal.h"

struct sqlite_handle *sqlite_of(struct store *s)
{
    /* struct db (db_sqlite.c) begins with its struct sqlite_handle. */
    return (struct sqlite_handle *)(void *)store_db(s);
}
