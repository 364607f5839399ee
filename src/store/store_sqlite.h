/* store_sqlite: the SQLite backend of struct store_ops. */
#ifndef HAVEN_STORE_SQLITE_H
#define HAVEN_STORE_SQLITE_H

#include "store/store.h"

enum err store_sqlite_open(const char *path, struct store **out);

#endif
