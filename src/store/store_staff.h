/* store_staff: the store's interface for users, roles, sessions, sign-in throttling, set-password tokens, recovery codes. */
#ifndef HAVEN_STORE_STAFF_H
#define HAVEN_STORE_STAFF_H

#include "store/store.h"

struct store_staff_ops {
    const char *name;
};

#endif
