/* add: an administrator adds a staff account (name, e-mail, roles). The account and its
 * "create" entry land together; the person then gets a one-time link to set their own
 * password (account/password_link.c), shown once on the screen that answers. */
#include "modules/users/users.h"

#include <string.h>
#include <time.h>

#include "core/log.h"
#include "modules/account/account.h"
#include "store/staff.h"
#include "web/audit.h"
#include "web/form.h"
#include "web/principal.h"
#include "web/view.h"

/* Checks the form into f; the roles ticked into *roles. */
static void check(struct form *f, const char **name, const char **email, unsigned *roles)
{
    bool bad_role;

    *name = form_name(f, "name", true, "Enter the person's name.");
    *email = form_email(f, "email", true, "Enter the person's e-mail address.");
    *roles = users_form_roles(f->r, &bad_role);
    if (!*roles || bad_role)
        form_problem(f, "role", "Choose at least one role.");
}

enum err users_add(struct req *r)
{
    json_t *m = req_model(r, view_staff_model(r, "Users"));
    const char *name, *email;
    char public_id[33], link[PASSWORD_LINK_MAX];
    struct form f;
    unsigned roles;
    long id = 0;
    enum err e;

    form_init(&f, r, m);
    check(&f, &name, &email, &roles);
    if (!f.problems) {
        /* The entry's record id is the new account's, set inside the transaction. */
        e = store_user_add_audited(r->store, email, name, roles, (long)time(NULL), public_id, &id,
                                   audit_entry(r, "create", "user", NULL));
        if (e == E_CONFLICT) {
            form_problem(&f, "email", "There is already an account with this e-mail.");
        } else if (e != E_OK) {
            audit_record(r, "create", "user", NULL, audit_outcome(E_DB));
            r->model = NULL;
            r->message = "We could not add the user. Please try again.";
            return E_DB;
        }
    }
    if (f.problems) {
        audit_record(r, "create", "user", NULL, audit_outcome(E_INVALID));
        e = users_screen(r, m, roles);
        return e == E_OK ? E_INVALID : e;
    }
    if (password_link_new(r->store, id, link, sizeof(link)) < 0) {
        r->model = NULL;
        r->message = "The user is added, but we could not make the link to set their password. "
                     "Use \"New password link\" on the Users page.";
        return E_DB;
    }
    log_info("user %ld added by user %ld", id, r->user->id);
    json_object_set_new(m, "link", json_string(link));
    json_object_set_new(m, "link_for", json_string(name));
    /* The add form starts empty again. */
    form_init(&f, r, m);
    r->status = 201; /* Created */
    return users_screen(r, m, 0);
}
