/* clinic_view: see clinic_view.h. The details are the admin's settings; a page shows only the
 * fields that hold something, so an unfilled address never reads as a blank line. */
#include "modules/public/clinic_view.h"

#include "core/log.h"
#include "store/clinic.h"

static void set_filled(json_t *m, const char *key, const char *value)
{
    if (value && *value)
        json_object_set_new(m, key, json_string(value));
}

json_t *clinic_view_model(struct req *r, struct clinic *out)
{
    struct clinic own, *c = out ? out : &own;
    json_t *m = json_object();

    if (store_clinic_get(r->store, c) != E_OK) {
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
