/* search: finding a patient by name, phone or record id (GET /staff/patients?q=). Every patient
 * listed gets its own "list" entry in the audit trail before the page is shown. */
#include "modules/patients/patients.h"

#include <ctype.h>
#include <time.h>

#include "domain/patient_flow.h"
#include "core/utf8.h"
#include "modules/admissions/common.h"
#include "store/admissions.h"
#include "web/audit.h"

#define QUERY_MAX 100
#define DIGITS_MAX 32

static const char *sget(const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

/* The query trimmed and bounded into query (returns its length); its digits into digits, which
 * the phone search uses (*nd of them). */
static size_t search_query(const char *q, char query[QUERY_MAX + 1], char digits[DIGITS_MAX + 1],
                           size_t *nd)
{
    size_t n = 0;

    *nd = 0;
    while (q && (*q == ' ' || *q == '\t'))
        q++;
    for (; q && *q && n < QUERY_MAX; q++) {
        if ((unsigned char)*q < 0x20)
            continue;
        query[n++] = *q;
        if (isdigit((unsigned char)*q) && *nd < DIGITS_MAX)
            digits[(*nd)++] = *q;
    }
    /* Cut at the bound: drop a character cut in half (at most 3 bytes of one). */
    for (int k = 0; q && *q && k < 3 && n && !utf8_valid(query, n); k++)
        n--;
    while (n && query[n - 1] == ' ')
        n--;
    query[n] = '\0';
    digits[*nd] = '\0';
    return n;
}

/* The rows as the page lists them; NULL when one does not fit (a record not UTF-8). */
static json_t *search_items(const json_t *rows)
{
    json_t *items = json_array(), *p, *it;
    char today[11];
    size_t i;

    timefmt_today(time(NULL), today);
    json_array_foreach(rows, i, p) {
        int years = contact_age(sget(p, "date_of_birth"), today);
        it = json_pack("{s:O, s:O, s:O, s:O, s:i, s:O, s:s, s:s, s:O}", "public_id",
                       json_object_get(p, "public_id"), "first_name",
                       json_object_get(p, "first_name"), "last_name",
                       json_object_get(p, "last_name"), "date_of_birth",
                       json_object_get(p, "date_of_birth"), "age", years, "phone",
                       json_object_get(p, "phone"), "status",
                       patient_flow_status_label_of(sget(p, "status")), "level",
                       admissions_level_title(sget(p, "level")), "admission_date",
                       json_object_get(p, "admission_date"));
        if (!it || json_array_append_new(items, it) < 0) {
            json_decref(items);
            return NULL;
        }
    }
    return items;
}

enum err search_page(struct req *r)
{
    char digits[DIGITS_MAX + 1], query[QUERY_MAX + 1];
    size_t nd, n = search_query(req_query(r, "q"), query, digits, &nd);
    json_t *rows = NULL, *items = NULL, *m;
    enum err e;

    if (!utf8_valid(query, n)) {
        r->message = "Some characters in the search could not be read. Please type it again.";
        e = E_INVALID;
        goto refused;
    }
    if ((e = store_adm_patient_search(r->store, n ? query : NULL, nd >= 7 ? digits : NULL,
                                      &rows)) != E_OK)
        goto refused;
    if (!(items = search_items(rows))) {
        e = E_DB;
        goto refused;
    }
    /* One entry per patient listed, before anything is shown. */
    if (audit_list(r, "patient", items) < 0) {
        r->message = AUDIT_UNRECORDED;
        e = E_DB;
        goto out;
    }
    m = req_model(r, admissions_model(r, "Patients"));
    json_object_set_new(m, "q", json_string(query));
    json_object_set_new(m, "searched", json_boolean(n > 0));
    json_object_set_new(m, "empty", json_boolean(json_array_size(items) == 0));
    json_object_set(m, "patients", items);
    goto out;
refused:
    audit_record(r, "list", "patient", NULL, audit_outcome(e));
out:
    json_decref(items);
    json_decref(rows);
    return e;
}
