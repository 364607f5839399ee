/* common: what the admissions screens share (and the patients screens, for now): the staff
 * model with the 42 CFR part 2 notice, loading the referral :id names, labels, times in the
 * clinic's zone, the admissions settings, the assessment's result and answers for staff. */
#include "modules/admissions/common.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/patient_flow.h"
#include "core/buf.h"
#include "core/timefmt.h"
#include "domain/contact.h"
#include "domain/instruments.h"
#include "domain/messages.h"
#include "domain/referral_flow.h"
#include "http/resp.h"
#include "modules/admissions/admissions.h"
#include "modules/public/assessment_view.h"
#include "store/admissions.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/view.h"

json_t *admissions_model(struct req *r, const char *title)
{
    json_t *m = r->user ? view_staff_model(r, title)
                        : json_pack("{s:b, s:s, s:s}", "staff", 1, "csrf", "", "title", title);

    json_object_set_new(m, "part2_notice", json_string(ADM_PART2_NOTICE));
    return m;
}

enum err admissions_failed(struct req *r, enum err e, const char *action,
                           const char *record_type, const char *id)
{
    /* The store answers these three with the record's own story; anything else is ours. */
    if (e != E_NOTFOUND && e != E_CONFLICT && e != E_INVALID)
        e = E_DB;
    audit_record(r, action, record_type, id, audit_outcome(e));
    r->model = NULL;
    return e;
}

static void json_decref_void(void *p)
{
    json_decref(p);
}

enum err admissions_referral(struct req *r, const char *id, const char *action, json_t **ref)
{
    enum err e;

    *ref = NULL;
    if ((e = store_adm_referral_get(r->store, id, ref)) != E_OK) {
        json_decref(*ref);
        *ref = NULL;
        return admissions_failed(r, e, action, "referral", id);
    }
    arena_defer(r->arena, json_decref_void, *ref);
    return E_OK;
}

enum err admissions_referral_shown(struct req *r, const char *id, json_t **ref)
{
    enum err e = admissions_referral(r, id, "view", ref);

    if (e == E_OK && audit_record(r, "view", "referral", id, "ok") < 0) {
        r->message = AUDIT_UNRECORDED; /* no audit entry, no reading */
        return E_DB;
    }
    return e;
}

enum err admissions_redirect(struct req *r, const char *before, const char *id, const char *after)
{
    struct buf b = BUF_INIT;

    buf_addf(&b, "%s%s%s", before, id, after);
    r->model = NULL; /* the redirect is the whole answer */
    resp_redirect(r, 303, arena_strdup(r->arena, buf_cstr(&b)));
    buf_free(&b);
    return E_OK;
}

const char *admissions_string(const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));

    return v ? v : "";
}

json_t *admissions_summary(struct req *r, const char *id, const json_t *ref)
{
    bool crisis;
    json_t *flags = admissions_flags(json_object_get(ref, "flags"), &crisis);

    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:b}", "public_id", id, "name",
                     admissions_string(ref, "name"), "phone", admissions_string(ref, "phone"),
                     "level_title", admissions_level_title(admissions_string(ref, "level")),
                     "created", view_time(r, admissions_string(ref, "created_at")), "flags", flags,
                     "crisis", crisis);
}

json_t *admissions_options(const char *const *values, const char *selected, bool level_titles,
                           const char *const *labels)
{
    json_t *out = json_array();

    for (size_t i = 0; values[i]; i++)
        json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", values[i], "label",
                                             level_titles ? admissions_level_title(values[i])
                                             : labels     ? labels[i]
                                                          : values[i],
                                             "selected", selected && !strcmp(selected, values[i])));
    return out;
}

json_t *admissions_status_options(const char *selected)
{
    json_t *out = json_array();

    for (int i = 0; i < PATIENT_N_STATUS; i++) {
        const char *name = patient_flow_status_name(i);
        json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", name, "label",
                                             patient_flow_status_label(i), "selected",
                                             selected && !strcmp(selected, name)));
    }
    return out;
}

const char *admissions_level_title(const char *code)
{
    const char *t = code && *code ? msg_join("level.", code, ".title") : NULL;
    return t ? t : (code && *code ? code : "Not recorded");
}

json_t *admissions_flags(const json_t *codes, bool *crisis)
{
    json_t *out = json_array(), *f;
    size_t i;

    *crisis = false;
    for (int pass = 0; pass < 2; pass++) {
        json_array_foreach(codes, i, f) {
            const char *code = json_string_value(f);
            bool c = referral_flow_flag_is_crisis(code);
            if (!code || c != (pass == 0))
                continue;
            *crisis |= c;
            json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "code", code, "label",
                                                 referral_flow_flag_label(code), "crisis", c));
        }
    }
    return out;
}

const char *admissions_age(struct req *r, const char *iso, time_t now)
{
    char out[32];

    return arena_strdup(r->arena, timefmt_ago(referral_flow_parse_utc(iso), now, out, sizeof(out)));
}

static int setting_int(struct req *r, const char *key, int def, int lo, int hi)
{
    char v[32];
    char *end;
    long n;

    if (store_setting_get(r->store, key, v, sizeof(v)) != E_OK)
        return def;
    n = strtol(v, &end, 10);
    return end != v && !*end && n >= lo && n <= hi ? (int)n : def;
}

int admissions_overdue_hours(struct req *r)
{
    return setting_int(r, "overdue_hours", REFERRAL_DEFAULT_OVERDUE_HOURS, 0, 400);
}

/* localtime_r and mktime follow TZ, which cmd_serve sets to the clinic's zone at start-up. */
static const struct referral_flow_clock clinic_clock = {localtime_r, mktime};

const struct referral_flow_clock *admissions_clock(void)
{
    return &clinic_clock;
}

json_t *admissions_result_view(const json_t *result)
{
    if (!json_is_object(result))
        return json_object();
    return assessment_view_result(result, json_null());
}

/* The label of one answer value (a code, number or boolean) of item it. */
static const char *answer_label(struct req *r, const struct item *it, const json_t *v)
{
    const struct item_option *o;
    char num[24];

    if (json_is_string(v))
        o = instruments_option(it, json_string_value(v));
    else if (json_is_boolean(v))
        o = instruments_option(it, json_is_true(v) ? "true" : "false");
    else if (json_is_integer(v)) {
        snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
        o = instruments_option(it, num);
        if (!o)
            return arena_strdup(r->arena, num);
    } else
        return "";
    return o ? o->label : (json_is_string(v) ? json_string_value(v) : "");
}

/* An answer as the answers object holds it, as text ("true", "severe", "3"), for the domain's
 * table of urgent answers. */
static const char *answer_text(struct req *r, const json_t *v)
{
    char num[24];

    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_boolean(v))
        return json_is_true(v) ? "true" : "false";
    if (json_is_integer(v)) {
        snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
        return arena_strdup(r->arena, num);
    }
    return "";
}

static bool section_wanted(const char *id, const char *const *only)
{
    for (size_t i = 0; only && only[i]; i++)
        if (strcmp(only[i], id) == 0)
            return true;
    return !only;
}

json_t *admissions_answers_of(struct req *r, const json_t *answers, const char *const *only)
{
    size_t n, i, j, k;
    const struct section *secs = instruments_sections(&n);
    json_t *out = json_array(), *v, *e;

    for (i = 0; i < n && json_is_object(answers); i++) {
        json_t *items;
        if (!section_wanted(secs[i].id, only))
            continue;
        items = json_array();
        for (j = 0; j < secs[i].n_items; j++) {
            const struct item *it = secs[i].items[j];
            struct buf b = BUF_INIT;
            if (!(v = json_object_get(answers, it->id)))
                continue;
            if (json_is_array(v)) {
                json_array_foreach(v, k, e)
                    buf_addf(&b, "%s%s", k ? "; " : "", answer_label(r, it, e));
                if (!json_array_size(v))
                    buf_adds(&b, "None");
            } else {
                buf_adds(&b, answer_label(r, it, v));
            }
            json_array_append_new(
                items, json_pack("{s:s, s:s, s:s, s:b}", "id", it->id, "text", it->text,
                                 "answer", buf_cstr(&b), "urgent",
                                 !json_is_array(v) &&
                                     referral_flow_answer_urgent(it->id, answer_text(r, v))));
            buf_free(&b);
        }
        if (json_array_size(items))
            json_array_append_new(out, json_pack("{s:s, s:o}", "title", secs[i].title, "items",
                                                 items));
        else
            json_decref(items);
    }
    return out;
}

json_t *admissions_answers_view(struct req *r, const json_t *answers)
{
    return admissions_answers_of(r, answers, NULL);
}

const char *const *admissions_codes(struct req *r, const char *(*at)(size_t))
{
    size_t n = 0;
    const char **out;

    while (at(n))
        n++;
    out = arena_alloc(r->arena, (n + 1) * sizeof(*out));
    for (size_t i = 0; i < n; i++)
        out[i] = at(i);
    out[n] = NULL;
    return out;
}

const char *admissions_intake_at(struct form *f, bool required)
{
    const char *date = form_text(f, "intake_date", 10, false, false, NULL);
    const char *hhmm = form_text(f, "intake_time", 8, false, false, NULL);
    const char *problem;
    char today[11], stamp[32];
    time_t at;

    if (!required && !date && !hhmm)
        return NULL;
    timefmt_today(time(NULL), today);
    if ((problem = referral_flow_intake_date_problem(date, today)))
        form_problem(f, "intake_date", problem);
    if ((problem = referral_flow_intake_time_problem(hhmm)))
        form_problem(f, "intake_time", problem);
    if (json_object_get(json_object_get(f->m, "err"), "intake_date") ||
        json_object_get(json_object_get(f->m, "err"), "intake_time"))
        return NULL;
    if ((at = referral_flow_local_instant(date, hhmm, admissions_clock())) == (time_t)-1) {
        form_problem(f, "intake_date", "Please give a real date and time.");
        return NULL;
    }
    return arena_strdup(f->r->arena, timefmt_utc(at, stamp, sizeof(stamp)));
}

void admissions_local_fields(json_t *form, const char *iso)
{
    char date[16] = "", hhmm[8] = "";
    time_t t = referral_flow_parse_utc(iso);
    struct tm tm;

    if (t >= 0 && localtime_r(&t, &tm)) {
        strftime(date, sizeof(date), "%Y-%m-%d", &tm);
        strftime(hhmm, sizeof(hhmm), "%H:%M", &tm);
    }
    json_object_set_new(form, "intake_date", json_string(date));
    json_object_set_new(form, "intake_time", json_string(hhmm));
}
