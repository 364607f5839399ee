/* screen: the Users screen for administrators: every staff account with its roles, second
 * factor and status, and the forms that change it; the form that adds an account; the
 * workspace setting; a warning when the set-password links this server makes start with an
 * address that does not look like the one the administrator reached it at. Showing the
 * accounts is a read of each: audited, or not shown at all. */
#include "modules/users/users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain/roles.h"
#include "modules/account/account.h"
#include "store/notes.h"
#include "store/staff.h"
#include "web/audit.h"
#include "web/principal.h"
#include "web/view.h"

/* What the screen says after a change that redirected here (?done=...). */
static const struct {
    const char *done;
    const char *notice;
} notices[] = {
    {"disabled", "The account is disabled and its sessions have ended."},
    {"enabled", "The account is enabled again."},
    {"roles", "The roles are changed; the user signs in again to use them."},
    {"settings", "The setting is saved."},
    {"cosign", "The co-signature setting is saved."},
    {"totp", "Two-step sign-in is off for the account and its sessions have ended. The person "
             "signs in with their password and can set it up again."},
};

unsigned users_form_roles(const struct req *r, bool *bad)
{
    unsigned roles = 0;

    *bad = false;
    for (size_t i = 0; i < r->n_fields; i++)
        if (strcmp(r->fields[i].name, "role") == 0 && roles_parse_list(r->fields[i].value, &roles))
            *bad = true;
    return roles;
}

/* Every role as {name, checked} for the boxes of a form. */
static json_t *role_boxes(unsigned checked)
{
    json_t *a = json_array();

    for (size_t k = 0; k < roles_count(); k++)
        json_array_append_new(a, json_pack("{s:s, s:b}", "name", roles_name(roles_at(k)),
                                           "checked", (checked & roles_at(k)) != 0));
    return a;
}

/* What a row of the table shows beyond the store's fields. */
static void decorate(struct req *r, json_t *users)
{
    json_t *u;
    size_t i;

    json_array_foreach(users, i, u) {
        unsigned bits = (unsigned)json_integer_value(json_object_get(u, "roles"));
        const char *id = json_string_value(json_object_get(u, "public_id"));
        char text[128];
        roles_text(bits, text, sizeof(text));
        json_object_set_new(u, "roles_text", json_string(text));
        json_object_set_new(u, "role_checks", role_boxes(bits));
        json_object_set_new(u, "self", json_boolean(id && strcmp(id, r->user->public_id) == 0));
    }
}

/* Each account's co-signature setting and its supervisor choices (the other active clinicians
 * and medical users), for the form beside it. */
static void cosign_decorate(struct req *r, json_t *users)
{
    json_t *settings = NULL, *u, *cands = json_array(), *c;
    size_t i, k;

    if (store_notes_cosign_settings(r->store, &settings) != E_OK) {
        json_decref(cands);
        json_decref(settings);
        return;
    }
    json_array_foreach(users, i, u)
    {
        unsigned bits = (unsigned)json_integer_value(json_object_get(u, "roles"));
        if ((bits & (ROLE_CLINICIAN | ROLE_MEDICAL)) &&
            !json_is_true(json_object_get(u, "disabled")))
            json_array_append_new(cands,
                                  json_pack("{s:O, s:O}", "id", json_object_get(u, "public_id"),
                                            "name", json_object_get(u, "name")));
    }
    json_array_foreach(users, i, u)
    {
        const char *id = json_string_value(json_object_get(u, "public_id"));
        const json_t *set = json_object_get(settings, id ? id : "");
        const char *sup = json_string_value(json_object_get(set, "supervisor_id"));
        json_t *opts = json_array();
        json_array_foreach(cands, k, c)
        {
            const char *cid = json_string_value(json_object_get(c, "id"));
            if (id && strcmp(cid, id))
                json_array_append_new(opts, json_pack("{s:s, s:O, s:b}", "id", cid, "name",
                                                      json_object_get(c, "name"), "selected",
                                                      sup && !strcmp(sup, cid)));
        }
        json_object_set_new(u, "needs_cosign",
                            json_boolean(json_is_true(json_object_get(set, "needs_cosign"))));
        json_object_set_new(u, "supervisor_options", opts);
    }
    json_decref(cands);
    json_decref(settings);
}

/* The host[:port] of a URL ("https://a.example:8443/x" -> "a.example:8443"), into out. */
static void url_authority(const char *url, char *out, size_t n)
{
    const char *p = strstr(url, "://");
    size_t len;

    p = p ? p + 3 : url;
    len = strcspn(p, "/?#");
    snprintf(out, n, "%.*s", (int)len, p);
}

/* Is host[:port] this machine (127.0.0.0/8, localhost, ::1)? */
static bool loopback(const char *authority)
{
    return !strncmp(authority, "127.", 4) || !strncasecmp(authority, "localhost", 9) ||
           !strncmp(authority, "[::1]", 5);
}

/* Warns (m.link_base) when the links' address and the one in the request (its Host header)
 * differ: a link naming 127.0.0.1 opened on another computer reaches nothing. Not when an
 * address was set on purpose and the page came through this machine (a reverse proxy that
 * passes its own Host, or an administrator on the server): the set one is then the better
 * judge. */
static void link_base_check(struct req *r, json_t *m)
{
    const char *env = getenv("HAVEN_PUBLIC_URL"), *host = req_header(r, "Host");
    const char *base = password_link_base();
    char authority[256], suggest[300];

    if (!host || !*host)
        return;
    url_authority(base, authority, sizeof(authority));
    if (!strcasecmp(authority, host) || (env && *env && !loopback(authority) && loopback(host)))
        return;
    snprintf(suggest, sizeof(suggest), "%s://%s", loopback(host) ? "http" : "https", host);
    json_object_set_new(m, "link_base", json_pack("{s:s, s:s, s:b, s:s}", "base", base, "host",
                                                  host, "unset", !(env && *env), "suggest",
                                                  suggest));
}

enum err users_screen(struct req *r, json_t *m, unsigned ticked)
{
    json_t *users = NULL;
    char v[8] = "0";

    /* One "list" entry per account shown, with the read: no entries, no list. */
    if (store_user_list_audited(r->store, &users, audit_entry(r, "list", "user", NULL)) != E_OK) {
        r->model = NULL;
        r->message = "We could not show the users, because the audit trail could not record "
                     "the viewing. Please try again.";
        return E_DB;
    }
    decorate(r, users);
    cosign_decorate(r, users);
    json_object_set_new(m, "users", users);
    json_object_set_new(m, "role_options", role_boxes(ticked));
    store_setting_get(r->store, "require_totp", v, sizeof(v));
    json_object_set_new(m, "require_totp", json_boolean(strcmp(v, "1") == 0));
    link_base_check(r, m);
    return E_OK;
}

enum err users_page(struct req *r, const char *notice, enum err e)
{
    json_t *m = req_model(r, view_staff_model(r, "Users"));
    enum err shown;

    if (notice)
        json_object_set_new(m, "notice", json_string(notice));
    if ((shown = users_screen(r, m, 0)) != E_OK)
        return shown;
    return e;
}

enum err users_list(struct req *r)
{
    const char *done = req_query(r, "done"), *notice = NULL;

    for (size_t i = 0; done && i < sizeof(notices) / sizeof(notices[0]); i++)
        if (strcmp(done, notices[i].done) == 0)
            notice = notices[i].notice;
    return users_page(r, notice, E_OK);
}
