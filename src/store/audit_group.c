/* audit_group: the way in for appends to the audit trail (store/audit.h), with group commit.
 * An entry a store write appends inside its own transaction goes into that transaction, as
 * ever. An entry on its own (a page view's) is queued instead: whichever caller finds no one
 * writing becomes the leader and appends every queued entry, in order, in one transaction on
 * its own connection, so concurrent requests share one commit (one fsync under
 * synchronous=FULL) and wait on a condition variable rather than sleep in SQLite's busy
 * handler. Each caller returns only once the transaction holding its entry has committed. The
 * chain is serial anyway (each link covers the one before), so one writer loses nothing. */
#include "store/audit_internal.h"

#include <pthread.h>

#include "store/store_internal.h"

/* One caller's entry, on the caller's stack until it is done. */
struct slot {
    const struct audit_entry *e;
    long id;
    enum err ret;
    bool done;
    struct slot *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t finished = PTHREAD_COND_INITIALIZER; /* a batch is done */
static struct slot *queue, **queue_end = &queue;           /* waiting, in arrival order */
static bool leading;                                       /* a leader is writing a batch */
static bool grouping; /* store_audit_group: set before threads start, only read afterwards */
static struct audit_group_stats stats; /* under lock */

void store_audit_group(bool on)
{
    grouping = on;
}

void store_audit_group_stats(struct audit_group_stats *out)
{
    pthread_mutex_lock(&lock);
    *out = stats;
    out->leading = leading;
    out->waiting = 0;
    for (const struct slot *x = queue; x; x = x->next)
        out->waiting++;
    pthread_mutex_unlock(&lock);
}

/* Appends the batch in one transaction on s. A lone entry is appended in its own (the common
 * case at low load). When a batch fails (an entry the table refuses, the lock not had in
 * time), it is rolled back and each entry appended alone, so that each gets its own verdict and
 * a bad one does not take the others down. */
static void batch_write(struct store *s, struct slot *batch)
{
    struct slot *x;
    enum err ret;

    if (batch->next) {
        ret = db_begin(s->db);
        for (x = batch; x && ret == E_OK; x = x->next)
            ret = audit_append_entry(s, x->e, &x->id);
        if (ret == E_OK) {
            ret = db_commit(s->db); /* rolls back when it fails */
        } else {
            db_rollback(s->db);
        }
        if (ret == E_OK) {
            for (x = batch; x; x = x->next)
                x->ret = E_OK;
            return;
        }
    }
    for (x = batch; x; x = x->next)
        x->ret = audit_append_entry(s, x->e, &x->id);
}

static enum err group_append(struct store *s, const struct audit_entry *e, long *id)
{
    struct slot me = {.e = e}, *batch;

    pthread_mutex_lock(&lock);
    *queue_end = &me;
    queue_end = &me.next;
    while (!me.done && leading)
        pthread_cond_wait(&finished, &lock);
    if (!me.done) {
        /* No one is writing and this entry waits: lead, taking every entry queued. */
        batch = queue;
        queue = NULL;
        queue_end = &queue;
        leading = true;
        stats.batches++;
        for (const struct slot *x = batch; x; x = x->next)
            stats.entries++;
        pthread_mutex_unlock(&lock);
        batch_write(s, batch);
        pthread_mutex_lock(&lock);
        /* The slots' owners read them only after taking the lock, once done is set. */
        for (struct slot *x = batch; x; x = x->next)
            x->done = true;
        leading = false;
        pthread_cond_broadcast(&finished);
    }
    pthread_mutex_unlock(&lock);
    if (id)
        *id = me.id;
    return me.ret;
}

enum err store_audit_append_id(struct store *s, const struct audit_entry *e, long *id)
{
    if (!grouping || db_in_transaction(s->db))
        return audit_append_entry(s, e, id);
    return group_append(s, e, id);
}

enum err store_audit_append(struct store *s, const struct audit_entry *e)
{
    return store_audit_append_id(s, e, NULL);
}
