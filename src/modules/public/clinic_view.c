/* clinic_view: see clinic_view.h. The details are the admin's settings; a page shows only the
 * fields that hold something, so an unfilled address never reads as a blank line. */
#include "modules/public/clinic_view.h"

#include <stdbool.h>

#include "core/log.h"
#include "store/clinic.h"
#include "store/store.h"

/* Every result page shows the details, and reading them was a tenth of its time; they change
 * when an administrator saves them. So each worker keeps what it last read with the database's
 * data version then (store_data_version), which any commit moves: an administrator's save in
 * any thread, and an edit from outside the process too. Per thread, so no locks; keyed by the
 * connection as well, for a thread that opens another. */
static _Thread_local struct {
    const struct store *store;
    long long version;
    struct clinic c;
} kept;

static enum err clinic_read(struct store *s, struct clinic *c)
{
    long long version;

    if (store_data_version(s, &version) != E_OK)
        return store_clinic_get(s, c);
    if (kept.store != s || kept.version != version) {
        if (store_clinic_get(s, c) != E_OK)
            return E_DB;
        kept.c = *c;
        kept.store = s;
        kept.version = version;
        return E_OK;
    }
    *c = kept.c;
    return E_OK;
}

static void set_filled(json_t *m, const char *key, const char *value)
{
    if (value && *value)
        json_object_set_new(m, key, json_string(value));
}

json_t *clinic_view_model(struct req *r, struct clinic *out)
{
    struct clinic own, *c = out ? out : &own;
    json_t *m = json_object();

    if (clinic_read(r->store, c) != E_OK) {
        log_warn("clinic details unavailable; showing the defaults");
        clinic_defaults(c);
    }
    set_filled(m, "name", c->name);
    set_filled(m, "phone", c->phone);
    set_filled(m, "phone_digits", c->phone_digits);
    set_filled(m, "hours", c->hours);
    set_filled(m, "address", c->address);
    set_filled(m, "after_hours", c->after_hours);
    /* The name alone reaches nobody: "reachable" is a way to call, find or wait for us. */
    if (*c->phone || *c->hours || *c->address || *c->after_hours)
        json_object_set_new(m, "reachable", json_true());
    return m;
}
