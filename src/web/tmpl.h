/* tmpl: a small logic-less template engine with mustache semantics over a jansson model.
 * Templates are parsed once at start-up (from the binary's embedded copies) into a set that is
 * immutable afterwards, so every worker thread renders from it without locks. */
#ifndef HAVEN_TMPL_H
#define HAVEN_TMPL_H

#include <jansson.h>

#include "core/buf.h"

struct tmpl_set;

struct tmpl_set *tmpl_set_new(void);
/* Parses src (len bytes) as template `name` (copied). Returns 0, or -1 with a message naming
 * the template and line appended to err (unclosed section, mismatched close, bad tag). */
int tmpl_set_add(struct tmpl_set *s, const char *name, const char *src, size_t len,
                 struct buf *err);
/* Renders template `name` with `model` appended to out. {{x}} is HTML-escaped, {{{x}}} and
 * {{& x}} are raw, {{#x}}..{{/x}} sections (false/null/empty array/empty string skip it; an
 * array repeats it per element; an object or other truthy value pushes it as context),
 * {{^x}}..{{/x}} inverted, {{> name}} partials, {{! comment}}, dotted names, {{.}}.
 * Returns 0, or -1 when there is no such template (or a partial is missing, or out's limit is hit).
 */
int tmpl_render(const struct tmpl_set *s, const char *name, const json_t *model, struct buf *out);
void tmpl_set_free(struct tmpl_set *s);

#endif
