/* portal_internal: what the portal's store files (portal.c, portal_sessions.c,
 * portal_checkins.c, portal_second_factor.c) share and nothing outside store/ includes. */
#ifndef HAVEN_PORTAL_INTERNAL_H
#define HAVEN_PORTAL_INTERNAL_H

#include "store/admissions_internal.h"
#include "store/portal.h"

/* Reads one row of a look-up into out; today and days are what the access rule needs. */
typedef void portal_fill_fn(struct db_stmt *st, caldate today, long days, void *out);
/* Runs the cached one-row query sql keyed by text (?1) and has fill read its row. E_OK,
 * E_NOTFOUND (no row) or E_DB (logged with what). */
enum err portal_one_row(struct store *s, const char *sql, const char *key, caldate today,
                        portal_fill_fn *fill, void *out, const char *what);
/* Runs a cached write bound with id (?1), at (?2, when not NULL) and the user by (?3, when
 * by >= 0; 0 binds NULL). E_OK, E_INVALID (a constraint) or E_DB. */
enum err portal_write(struct store *s, const char *sql, long id, const char *at, long by,
                      const char *what);
/* Binds the columns a session and a sign-in waiting for its code share, in this order: ?1
 * token_hash, ?2 account, ?3 at (a stamp), ?4 csrf, ?5 shared, ?6 client ("-" when none). The
 * texts are not copied (db_bind_text): they must live until the statement has run. */
void portal_sessions_bind(struct db_stmt *st, const char *token_hash, long account,
                          const char *at, const char *csrf, bool shared, const char *client);

#endif
