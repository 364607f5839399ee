/* store: dispatch through the backend's table; the backend is chosen by the path's form
 * (only SQLite today). */
#include "store/store.h"

#include "store/store_sqlite.h"

enum err store_open(const char *path, struct store **out)
{
    return store_sqlite_open(path, out);
}

void store_close(struct store *s)
{
    if (s)
        s->ops->close(s);
}

enum err store_migrate(struct store *s, int *applied)
{
    return s->ops->migrate(s, applied);
}

enum err store_referral_add(struct store *s, struct referral *r)
{
    return s->ops->referral_add(s, r);
}

enum err store_referral_count(struct store *s, long *n)
{
    return s->ops->referral_count(s, n);
}

enum err store_tracks_list(struct store *s, json_t **out)
{
    return s->ops->tracks_list(s, out);
}

enum err store_demo_seed(struct store *s)
{
    return s->ops->demo_seed(s);
}

enum err store_data_version(struct store *s, long long *out)
{
    return s->ops->data_version(s, out);
}
