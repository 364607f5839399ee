/* status: HTTP status codes, their reason phrases, and the one mapping from enum err. */
#ifndef HAVEN_STATUS_H
#define HAVEN_STATUS_H

#include "core/err.h"

int status_of(enum err e);
/* "Not Found" etc.; "Error" for codes it does not know. */
const char *status_reason(int status);

#endif
