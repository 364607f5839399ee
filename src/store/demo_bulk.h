/* demo_bulk: how the demo seed (src/cli/demo_record.c) writes its hundreds of small
 * transactions without waiting for the disk after each one. Only for the demo. */
#ifndef HAVEN_STORE_DEMO_BULK_H
#define HAVEN_STORE_DEMO_BULK_H

#include <stdbool.h>

#include "store/store.h"

/* on: commits stop waiting for the disk (PRAGMA synchronous=NORMAL: in WAL mode each commit is
 * still atomic and the database consistent; a power cut may lose the last commits, which for a
 * fictional demo only means it is seeded short). off: back to synchronous=FULL, what db_open
 * sets for every real write. */
enum err store_demo_bulk(struct store *s, bool on);

#endif
