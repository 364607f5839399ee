/* signin_shared: what the steps of a patient's way in share (access.c: the welcome and the
 * password; signin_code.c: the second factor's code; security.c: the password again before
 * turning the factor on or off): acting as the patient before there is a session, starting
 * one, counting a failure toward the pauses, and the sign-in page shown again. */
#include "modules/portal/portal.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/rand.h"
#include "domain/password.h"
#include "modules/account/account.h"
#include "store/portal.h"
#include "web/auth.h"
#include "web/session.h"

const char portal_signin_failed[] =
    "That username and password did not work. After several tries, signing in pauses for a "
    "few minutes. If you cannot sign in, ask your counsellor for a new link.";
const char portal_stale[] = "This page had been open for a while. Please try again.";

void portal_act_as(struct req *r, long patient, const char *public_id, const char *first_name)
{
    struct principal *p = arena_alloc(r->arena, sizeof(*p));
    size_t n = sizeof("patient:") + 32;
    char *who = arena_alloc(r->arena, n);

    snprintf(who, n, "patient:%s", public_id);
    p->kind = PRINCIPAL_PATIENT;
    p->public_id = arena_strdup(r->arena, public_id);
    p->email = who;
    p->name = arena_strdup(r->arena, first_name ? first_name : "");
    p->csrf = "";
    p->patient = patient;
    r->user = p;
}

int portal_session_start(struct req *r, long account, bool shared)
{
    char token[65], hash[65], csrf[65];
    long id;
    int ret = -1;

    session_token_new(token);
    session_token_hash(token, hash);
    rand_hex(csrf, 32);
    if (store_portal_session_add(r->store, account, hash, csrf, shared, r->client, (long)time(NULL),
                                 &id) == E_OK) {
        auth_patient_cookie(r, token, shared);
        log_info("portal session %ld started%s", id, shared ? " (shared device)" : "");
        ret = 0;
    }
    sodium_memzero(token, sizeof(token));
    return ret;
}

json_t *portal_signin_model(struct req *r, const char *username, const char *error)
{
    json_t *m = portal_model(r, "Sign in");
    const char *q = req_query(r, "expired"), *out = req_query(r, "signed_out");

    json_object_set_new(m, "form", json_pack("{s:s}", "username", username ? username : ""));
    if (error)
        json_object_set_new(m, "error", json_string(error));
    else if (q && !strcmp(q, "1"))
        json_object_set_new(m, "notice",
                            json_string("You were signed out to keep your page "
                                        "private. Please sign in again."));
    else if (out && !strcmp(out, "1"))
        json_object_set_new(m, "notice", json_string("You are signed out."));
    else if ((q = req_query(r, "code")) && !strcmp(q, "expired"))
        json_object_set_new(m, "notice",
                            json_string("Please sign in again: the code is asked for within "
                                        "5 minutes of the password."));
    return m;
}

bool portal_count_failure(struct req *r, long account, const char *patient_id, long now)
{
    bool locked = false;
    long wait;
    int n = 0;

    if (account > 0 && store_portal_fail(r->store, account, &n) == E_OK &&
        (wait = password_lockout_seconds(n)) > 0) {
        /* A failing trail must not open the door to guessing: the pause holds without it. */
        if (store_portal_lock(r->store, account, now + wait,
                              portal_entry(r, "lockout", "patient", patient_id, "ok")) != E_OK)
            store_portal_lock(r->store, account, now + wait, NULL);
        log_info("portal account %ld paused %lds after %d failures", account, wait, n);
        locked = true;
    }
    throttle_failure(r, 0, NULL, now);
    return locked;
}

enum err portal_signin_refused(struct req *r, const char *username, const char *why)
{
    req_model(r, portal_signin_model(
                     r, username && strlen(username) <= PORTAL_USERNAME_MAX ? username : "", why));
    return E_DENIED;
}

