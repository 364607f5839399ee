/* cosign: an administrator marks an account as needing a co-signature on its notes and names
 * the supervisor who co-signs them (issue 10; the notes module enforces it: only that
 * supervisor completes the notes). screen.c shows the setting beside each account. */
#include "modules/users/users.h"

#include <string.h>

#include "http/resp.h"
#include "store/notes.h"
#include "web/audit.h"

enum err users_cosign(struct req *r)
{
    const char *id = req_param(r, "id"), *sup = req_form(r, "supervisor");
    const char *needs = req_form(r, "needs_cosign");
    struct program_why why = { { 0 }, { 0 } };
    enum err e;

    e = store_notes_cosign_set(r->store, id, needs && !strcmp(needs, "yes"),
                               sup && *sup ? sup : NULL, audit_entry(r, "update", "user", id),
                               &why);
    if (e == E_INVALID) {
        audit_record(r, "update", "user", id, "invalid");
        return users_page(r, why.message, E_INVALID);
    }
    if (e != E_OK) {
        audit_record(r, "update", "user", id, audit_outcome(e));
        r->message = e == E_NOTFOUND ? "There is no such user." : NULL;
        return e == E_NOTFOUND ? e : E_DB;
    }
    resp_redirect(r, 303, "/staff/users?done=cosign");
    return E_OK;
}
