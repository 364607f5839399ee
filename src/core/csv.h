/* csv: one CSV cell (RFC 4180) for exports that a spreadsheet opens, made safe to open there. */
#ifndef HAVEN_CSV_H
#define HAVEN_CSV_H

#include <stdbool.h>

#include "core/buf.h"

/* Adds v as a cell (a comma first unless it is the line's first): quoted when it holds a comma,
 * quote or line break; a leading = + - @ (or tab, CR) gets a ' so that a spreadsheet shows it
 * as text instead of running it as a formula. */
void csv_cell(struct buf *b, const char *v, bool first);

#endif
