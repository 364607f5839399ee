/* store_audit: the store's interface for the append-only, hash-chained audit trail. */
#ifndef HAVEN_STORE_AUDIT_H
#define HAVEN_STORE_AUDIT_H

#include "store/store.h"

struct store_audit_ops {
    const char *name;
};

#endif
