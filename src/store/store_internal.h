/* store_internal: what the store's modules share, and nothing outside store/ includes: the
 * struct behind struct store (one connection of the driver, store/db.h) and the helpers every
 * module's writes use. */
#ifndef HAVEN_STORE_INTERNAL_H
#define HAVEN_STORE_INTERNAL_H

#include <jansson.h>
#include <stddef.h>

#include "core/err.h"
#include "store/db.h"

/* A setting as this connection last read it (staff.c): settings are read on most signed-in
 * pages and change a few times a year. */
struct store_setting {
    char key[40];
    char value[72];
    unsigned long gen; /* store_settings_gen when read */
    long at;           /* monotonic seconds when read */
};
#define STORE_SETTINGS_KEPT 16

/* The alerts (R7) as this connection last computed them (hours.c): for a date, at a count of
 * the program's changes (migration 0032's program_version). */
struct store_alerts_kept {
    json_t *alerts; /* owned; NULL: none kept */
    long as_of;     /* caldate */
    long long version;
};

struct store {
    struct db *db; /* owned: db_close in store_close */
    struct store_setting settings[STORE_SETTINGS_KEPT];
    struct store_alerts_kept alerts;
};

/* Moves on every settings write of this process (staff.c, clinic.c), so that every
 * connection reads a changed setting again at once. */
void store_settings_changed(void);

static inline struct db *store_db(struct store *s)
{
    return s->db;
}

/* snprintf-copies src into dst (size bytes), truncating. */
void store_copy(char *dst, size_t size, const char *src);

/* The rows a statement (bound by the caller) selects, each made by row(s, st, ctx) (NULL: a
 * database failure, logged), as an array; the statement is reset. E_OK or E_DB. */
enum err store_rows(struct store *s, struct db_stmt *st,
                    json_t *(*row)(struct store *s, struct db_stmt *st, void *ctx), void *ctx,
                    const char *what, json_t **out);

#endif
