/* demo_bulk: the demo seed's relaxed durability (store/demo_bulk.h). `haven serve --demo`
 * writes some six hundred clinical records, each its own transaction with its audit entry as
 * the store's real writes require; with synchronous=FULL each waits for an fsync, which on a
 * disk costs seconds of start-up. The seed is fictional and runs once, so it need not outlive
 * a power cut; real writes never run this way (the setting is put back before serving). */
#include "store/demo_bulk.h"

#include "store/store_internal.h"

enum err store_demo_bulk(struct store *s, bool on)
{
    return db_exec(s->db, on ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL");
}
