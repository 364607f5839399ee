/* modules: the list of Haven's modules, each a folder under modules/ with its own route table.
 * cli/ hands this list to the server and to `haven routes`; web/ never names a module. */
#ifndef HAVEN_MODULES_H
#define HAVEN_MODULES_H

#include "http/router.h"

/* Every module's table, searched in order (the first match wins); NULL-terminated. */
extern const struct route_table *const modules_routes[];

struct app;

/* Builds what modules prepare once before threads start (the public module's blank form, its
 * FHIR Questionnaire, the call-request limit); 0, or -1 (logged). */
int modules_init(const struct app *app);
/* Frees it at exit. */
void modules_free(void);

#endif
