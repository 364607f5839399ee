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
    for (; *v; v++) {
        if (*v == '"')
            buf_addc(b, '"');
        buf_addc(b, *v);
    }
    if (quote)
        buf_addc(b, '"');
}
