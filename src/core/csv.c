/* csv: RFC 4180 cells with spreadsheet formula injection neutralised (OWASP "CSV injection"). */
#include "core/csv.h"

#include <string.h>

void csv_cell(struct buf *b, const char *v, bool first)
{
    bool quote = strpbrk(v, ",\"\r\n") != NULL;

    if (!first)
        buf_addc(b, ',');
    if (quote)
        buf_addc(b, '"');
    if (*v && strchr("=+-@\t\r", *v))
        buf_addc(b, '\'');
    /* A run up to the next quote at a time (most cells have none: one copy each). */
    for (const char *q; (q = strchr(v, '"')); v = q + 1) {
        buf_add(b, v, (size_t)(q - v) + 1);
        buf_addc(b, '"');
    }
    buf_adds(b, v);
    if (quote)
        buf_addc(b, '"');
}
