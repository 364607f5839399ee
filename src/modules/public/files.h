/* files: the embedded static files (and the health check), and the gzip copies of the text
 * ones, made once before threads start and only read afterwards. */
#ifndef HAVEN_FILES_H
#define HAVEN_FILES_H

#include <stdbool.h>

#include "core/err.h"
#include "http/req.h"

/* Compresses the text files under static/ once (public_init); files_free frees the copies. */
void files_init(void);
void files_free(void);
/* True when the request's Accept-Encoding lists gzip without refusing it (q=0, q=0.0 ...). */
bool files_takes_gzip(struct req *r);

enum err files_static(struct req *r);  /* GET /static/...: the gzip copy when the client takes it */
enum err files_healthz(struct req *r); /* GET /healthz */

#endif
