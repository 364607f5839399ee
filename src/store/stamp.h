/* stamp: the store's UTC time text, the one form times are kept in (DESIGN.md §6): ISO-8601
 * "YYYY-MM-DDTHH:MM:SSZ", fixed width so that text order is time order. core/timefmt parses it
 * back (timefmt_parse_utc). */
#ifndef HAVEN_STAMP_H
#define HAVEN_STAMP_H

#include <time.h>

#define STAMP_LEN 32 /* room for every form below */

/* Unix seconds t as "YYYY-MM-DDTHH:MM:SSZ"; returns out. */
char *stamp_iso(time_t t, char out[STAMP_LEN]);
/* Now, in the same form. */
char *stamp_now(char out[STAMP_LEN]);
/* Now with milliseconds, "YYYY-MM-DDTHH:MM:SS.mmmZ" (24 characters: the audit trail's form). */
char *stamp_now_ms(char out[STAMP_LEN]);
/* Today's UTC date, "YYYY-MM-DD". */
char *stamp_today(char out[STAMP_LEN]);
/* The Unix seconds of a stored time (either form above), or 0 for NULL/empty text or text that
 * does not parse: what the columns read as numbers meant before (locked_until, expires_at). */
long stamp_parse(const char *iso);

#endif
