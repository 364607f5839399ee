/* sqlite_audit: SQLite implementation of store_audit.h. */
#include "store/sqlite_internal.h"
#include "store/store_audit.h"

const struct store_audit_ops sqlite_audit_ops = {
    .name = "sqlite",
};
