/* sqlite_staff: SQLite implementation of store_staff.h. */
#include "store/sqlite_internal.h"
#include "store/store_staff.h"

const struct store_staff_ops sqlite_staff_ops = {
    .name = "sqlite",
};
