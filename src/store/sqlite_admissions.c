/* sqlite_admissions: SQLite implementation of store_admissions.h. */
#include "store/sqlite_internal.h"
#include "store/store_admissions.h"

const struct store_admissions_ops sqlite_admissions_ops = {
    .name = "sqlite",
};
