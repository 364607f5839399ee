/* routes: Haven's route table. */
#ifndef HAVEN_ROUTES_H
#define HAVEN_ROUTES_H

#include "http/router.h"

extern const struct route routes[];
extern const size_t routes_count;

#endif
