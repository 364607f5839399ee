/* staff_home: the staff workspace's home screen: who is signed in, the screens their roles
 * open (the menu), and their own account: the second factor, how many recovery codes are left
 * (a warning when few), new recovery codes and signing out everywhere. */
#include "modules/account/account.h"

#include "http/resp.h"
#include "store/staff.h"
#include "web/principal.h"
#include "web/view.h"

/* Fewer recovery codes than this left: the home screen says so. */
#define RECOVERY_LOW 3

enum err staff_home_redirect(struct req *r)
{
    resp_redirect(r, 303, "/staff/");
    return E_OK;
}

enum err staff_home_page(struct req *r)
{
    json_t *m = req_model(r, view_staff_model(r, "Staff workspace"));
    struct staff_user u = {0};
    int left = -1;

    if (store_user_get(r->store, STAFF_BY_ID, r->user->id, NULL, &u) == E_OK && u.totp_enabled &&
        store_recovery_left(r->store, u.id, &left) == E_OK)
        json_object_set_new(m, "recovery_left", json_integer(left));
    json_object_set_new(m, "totp_enabled", json_boolean(u.totp_enabled));
    json_object_set_new(m, "recovery_low", json_boolean(left >= 0 && left < RECOVERY_LOW));
    return E_OK;
}
