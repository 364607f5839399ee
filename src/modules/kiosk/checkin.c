/* checkin: /kiosk, where a patient checks in with their personal code. No staff member is
 * signed in there: the device's cookie (a token an administrator's setup left, kept hashed) is
 * the credential, and a browser without a live one sees only "This device is not a kiosk".
 * A code takes the patient's sessions of today (the clinic's zone) that have begun or begin
 * within the hour, on their roster: each without an attendance record yet gets one through
 * store_attendance_put, `present` before the start and `late` after it with the minutes from
 * now to the end (domain/attendance); a record staff made stays as it is. The answer shows
 * the patient's first name and their sessions, nothing of anyone else, above the empty form
 * for the next person: no timed reload, which would take the confirmation away from a slow
 * reader (WCAG 2.2.1), and the next code typed replaces the greeting. A code that checks no
 * one in gets one sentence whatever the reason, and counts against the device, which pauses
 * after KIOSK_WRONG_LIMIT of them.
 * The kiosk has a frame of its own (kiosk/frame: no links off the page, the title "Haven"),
 * which the staff and public layouts of web/view.c are not, so its pages are rendered here. */
#include "modules/kiosk/kiosk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/timefmt.h"
#include "domain/attendance.h"
#include "domain/caldate.h"
#include "http/csrf.h"
#include "http/resp.h"
#include "http/status.h"
#include "store/audit.h"
#include "store/kiosk.h"
#include "store/program.h"
#include "web/app.h"
#include "web/audit.h"
#include "web/session.h"

/* A kiosk lives on: 400 days (the longest a browser keeps a cookie), renewed at every view. */
#define COOKIE_MAX_AGE (400L * 24 * 3600)

static const char no_match[] =
    "That code did not match a session today. Please ask at the front desk.";
static const char paused[] =
    "This kiosk is paused for a few minutes after several codes that did not match. Please ask "
    "at the front desk.";
static const char trouble[] =
    "Something went wrong and you are not checked in. Please ask at the front desk.";

/* The moment of a check-in, in the clinic's zone. */
struct moment {
    time_t at;
    caldate today;
    int minute; /* of the day */
};

const char *kiosk_cookie(struct req *r, const char *token)
{
    const char *secure = getenv("HAVEN_COOKIE_SECURE");
    size_t n = 192;
    char *c = arena_alloc(r->arena, n);

    snprintf(c, n, "%s=%s; Path=/kiosk; Max-Age=%ld; HttpOnly; SameSite=Strict%s", KIOSK_COOKIE,
             token, COOKIE_MAX_AGE, secure && strcmp(secure, "1") == 0 ? "; Secure" : "");
    return c;
}

/* Answers with page inside the kiosk's frame, at the status of e (m: the request's). E_OK:
 * answered. */
static enum err answer(struct req *r, enum err e, const char *page, json_t *m)
{
    const struct app *app = r->app;
    struct buf content = BUF_INIT;

    json_object_set_new(m, "asset_v", json_string(app->asset_version));
    buf_reset(&r->out);
    if (tmpl_render(app->tmpl, page, m, &content) == 0) {
        json_object_set_new(m, "content", json_stringn(buf_cstr(&content), content.len));
        if (tmpl_render(app->tmpl, "kiosk/frame", m, &r->out) == 0) {
            r->status = status_of(e);
            r->content_type = "text/html; charset=utf-8";
            goto out;
        }
    }
    log_error("kiosk page %s failed to render", page);
    buf_reset(&r->out);
    buf_adds(&r->out, "Something went wrong. Please ask at the front desk.\n");
    r->status = status_of(E_DB);
    r->content_type = "text/plain; charset=utf-8";
out:
    buf_free(&content);
    r->model = NULL;
    return E_OK;
}

/* The form, empty or with one sentence above it. */
static enum err form(struct req *r, enum err e, const char *message)
{
    json_t *m = req_model(r, json_pack("{s:s}", "csrf", csrf_token(r)));

    if (message)
        json_object_set_new(m, "message", json_string(message));
    return answer(r, e, "kiosk/form", m);
}

static enum err not_a_kiosk(struct req *r)
{
    /* Nothing but the one sentence: not even the kiosk's footer. */
    return answer(r, E_FORBIDDEN, "kiosk/not_kiosk", req_model(r, json_pack("{s:b}", "bare", 1)));
}

/* The live device whose token the request's cookie carries; false when there is none (no
 * cookie, an unknown or revoked token) or the store failed (logged). */
static bool device_of(struct req *r, struct kiosk_device *d)
{
    const char *token = req_cookie(r, KIOSK_COOKIE);
    char hash[65];

    if (!token || strlen(token) != 64 || strspn(token, "0123456789abcdef") != 64)
        return false;
    session_token_hash(token, hash);
    return store_kiosk_device(r->store, hash, d) == E_OK && !d->revoked;
}

/* An audit entry made by the kiosk device d (arena): the trail names the device where it
 * names a staff member ("kiosk:<device id>"). */
static struct audit_entry *entry(struct req *r, const struct kiosk_device *d, const char *action,
                                 const char *type, const char *id, const char *outcome)
{
    struct audit_entry *a = arena_alloc(r->arena, sizeof(*a));
    size_t n = sizeof("kiosk:") + sizeof(d->public_id);
    char *who = arena_alloc(r->arena, n);

    audit_entry_of(r, a, action, type, id, outcome);
    snprintf(who, n, "kiosk:%s", d->public_id);
    a->user_id = 0;
    a->user_email = who;
    a->roles = "";
    return a;
}

enum err kiosk_page(struct req *r)
{
    struct kiosk_device d;

    if (!device_of(r, &d))
        return not_a_kiosk(r);
    /* In use, the kiosk stays one: its cookie's 400 days start again. */
    resp_header(r, "Set-Cookie", kiosk_cookie(r, req_cookie(r, KIOSK_COOKIE)));
    return form(r, E_OK, NULL);
}

/* The code typed, digits only (arena), or NULL when it cannot be one: digits with spaces or
 * dashes between groups are taken as typed from a card. *empty says nothing was typed. */
static const char *code_of(struct req *r, bool *empty)
{
    const char *v = req_form(r, "code");
    char *out = arena_alloc(r->arena, KIOSK_CODE_TEXT);
    size_t k = 0;
    bool other = false;

    for (; v && *v; v++) {
        if (*v >= '0' && *v <= '9') {
            if (k < KIOSK_CODE_DIGITS)
                out[k] = *v;
            k++;
        } else if (*v != ' ' && *v != '-') {
            other = true;
        }
    }
    *empty = !k && !other;
    if (k != KIOSK_CODE_DIGITS || other)
        return NULL;
    out[k] = '\0';
    return out;
}

/* A code that checked no one in: counted against the device (which it may pause), audited
 * against the patient whose code it was (pid) or the device, then the form with the
 * sentence. */
static enum err wrong(struct req *r, const struct kiosk_device *d, const struct moment *t,
                      const char *pid)
{
    bool now_paused = false;
    enum err e;

    e = store_kiosk_wrong(
        r->store, d->id, (long)t->at, KIOSK_WRONG_LIMIT, KIOSK_WINDOW, KIOSK_PAUSE,
        entry(r, d, "check-in", pid ? "patient" : "kiosk", pid ? pid : d->public_id, "invalid"),
        entry(r, d, "pause", "kiosk", d->public_id, "ok"), &now_paused);
    if (e != E_OK)
        return form(r, E_DB, trouble);
    if (now_paused)
        log_info("kiosk %s paused after %d wrong codes", d->public_id, KIOSK_WRONG_LIMIT);
    return form(r, now_paused ? E_TOO_MANY : E_INVALID, now_paused ? paused : no_match);
}

/* Records one session's attendance for the patient unless a record exists; false when it
 * could not be recorded (logged; the caller says so). */
static bool record_one(struct req *r, const struct kiosk_device *d, const struct moment *t,
                       const char *sid, const char *pid, int start, int end, enum err *fatal)
{
    struct program_why why = { { 0 }, { 0 } };
    enum attendance_status st = t->minute > start ? ATTEND_LATE : ATTEND_PRESENT;
    bool recorded = false;
    json_t *out = NULL;
    enum err e;

    if ((e = store_checkin_recorded(r->store, sid, pid, &recorded)) == E_OK && !recorded)
        e = store_attendance_put(
            r->store, sid, pid, attendance_status_name(st),
            st == ATTEND_LATE ? attendance_minutes_from(start, end, t->minute) : -1, false,
            t->today, entry(r, d, "attendance", "patient", pid, "ok"), &out, &why);
    json_decref(out);
    if (e == E_DB)
        *fatal = E_DB;
    else if (e != E_OK)
        log_info("kiosk %s: session %s not recorded (%s)", d->public_id, sid, why.field);
    return e == E_OK;
}

/* Checks the patient in for today's sessions that have begun or begin within the hour;
 * *shown gets [{title, start}] of those they are checked in for. */
static enum err sessions_in(struct req *r, const struct kiosk_device *d, const struct moment *t,
                            const char *pid, json_t *shown)
{
    json_t *list = NULL, *s;
    enum err e, fatal = E_OK;
    size_t i;
    int start, end;

    if ((e = store_program_sessions_list(r->store, t->today, t->today, NULL, pid, &list)) != E_OK)
        return e;
    json_array_foreach(list, i, s)
    {
        const char *sid = json_string_value(json_object_get(s, "id"));
        const char *from = json_string_value(json_object_get(s, "start"));
        if (!sid || !from || !caldate_time_parse(from, &start) ||
            !caldate_time_parse(json_string_value(json_object_get(s, "end")), &end) ||
            strcmp(json_string_value(json_object_get(s, "status")), "scheduled") != 0 ||
            end <= t->minute || start > t->minute + KIOSK_EARLY_MINUTES)
            continue;
        if (record_one(r, d, t, sid, pid, start, end, &fatal))
            json_array_append_new(shown, json_pack("{s:O, s:s}", "title",
                                                   json_object_get(s, "title"), "start", from));
        if (fatal != E_OK)
            break;
    }
    json_decref(list);
    return fatal;
}

/* "Process group at 09:00 and Relapse prevention at 10:45" of shown's sessions (arena). */
static const char *sentence(struct req *r, const json_t *shown)
{
    struct buf b = BUF_INIT;
    const char *out;
    json_t *s;
    size_t i, n = json_array_size(shown);

    json_array_foreach(shown, i, s)
    {
        if (i)
            buf_adds(&b, i + 1 == n ? " and " : ", ");
        buf_addf(&b, "%s at %s", json_string_value(json_object_get(s, "title")),
                 json_string_value(json_object_get(s, "start")));
    }
    out = arena_strdup(r->arena, buf_cstr(&b));
    buf_free(&b);
    return out;
}

enum err kiosk_checkin(struct req *r)
{
    struct kiosk_device d;
    struct moment t = { .at = time(NULL) };
    char pid[33], first[KIOSK_TEXT_MAX], day[CALDATE_TEXT];
    const char *code;
    struct tm tm;
    json_t *m, *shown;
    bool empty;
    enum err e;

    if (!device_of(r, &d))
        return not_a_kiosk(r);
    /* A form from before the browser restarted (its token cookie gone): the form again. */
    if (!csrf_check(r))
        return form(r, E_FORBIDDEN, "Please type your code again.");
    if (d.paused_until > (long)t.at) {
        if (store_audit_append(r->store,
                               entry(r, &d, "check-in", "kiosk", d.public_id, "denied")) != E_OK)
            return form(r, E_DB, trouble);
        return form(r, E_TOO_MANY, paused);
    }
    if (!(code = code_of(r, &empty)))
        return form(r, E_INVALID, empty ? "Please type your check-in code." : no_match);
    if (!localtime_r(&t.at, &tm) || !caldate_parse(timefmt_today(t.at, day), &t.today))
        return form(r, E_DB, trouble);
    t.minute = tm.tm_hour * 60 + tm.tm_min;
    if ((e = store_checkin_find(r->store, code, pid, first)) == E_NOTFOUND)
        return wrong(r, &d, &t, NULL);
    shown = json_array();
    if (e != E_OK || (e = sessions_in(r, &d, &t, pid, shown)) != E_OK) {
        json_decref(shown);
        return form(r, E_DB, trouble);
    }
    if (!json_array_size(shown)) {
        json_decref(shown);
        return wrong(r, &d, &t, pid);
    }
    if (store_kiosk_used(r->store, d.id, (long)t.at, r->client,
                         entry(r, &d, "check-in", "patient", pid, "ok")) != E_OK) {
        json_decref(shown);
        return form(r, E_DB, trouble);
    }
    m = req_model(r, json_pack("{s:s, s:s, s:s}", "first_name", first, "checked_in",
                               sentence(r, shown), "csrf", csrf_token(r)));
    json_decref(shown);
    return answer(r, E_OK, "kiosk/welcome", m);
}
