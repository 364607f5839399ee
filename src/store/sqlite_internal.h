/* sqlite_internal: a stop-gap, not part of the store's interface. tests/unit/web/
 * test_staff_secrets.c still reaches the SQLite handle of a store to tamper with rows; once it
 * goes through db.h (or the store's functions) this header and sqlite/sqlite_internal.c go.
 * Valid only for a store opened on the SQLite driver. */
#ifndef HAVEN_SQLITE_INTERNAL_H
#define HAVEN_SQLITE_INTERNAL_H

struct sqlite3; /* <sqlite3.h>'s connection type, for the one caller that includes it */
struct store;

struct sqlite_handle {
    struct sqlite3 *db;
};

/* The connection of s; owned by s. */
struct sqlite_handle *sqlite_of(struct store *s);

#endif
