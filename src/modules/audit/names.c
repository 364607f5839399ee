/* names: an audit entry as the trail's screen, CSV and API show it: its fields, the name of the
 * person its record belongs to, and a list entry's records (its listing) with theirs. A name is
 * shown only to a reader whose roles may open that kind of record anyway (the table below), so
 * the trail shows no one a name their own screens would not. */
#include "modules/audit/audit.h"

#include <stdio.h>
#include <string.h>

#include "domain/roles.h"
#include "modules/admissions/common.h"
#include "store/audit.h"
#include "web/auth.h"

/* Who may read which kind of name beside the ids: the roles that open such a record elsewhere
 * (modules/admissions/common.h). The trail's readers are auditors and admins: an admin opens
 * every record, so sees every name. An auditor opens no referral or patient, so sees their ids
 * only (least privilege: who read a record is the auditor's question, not who the patient is),
 * unless they also hold a role that opens them (billing: patients). Staff names are shown to
 * every reader: the trail names each staff member already, by e-mail, in every entry they
 * wrote, and whose account was changed or signed in is what an audit of accounts asks. */
static const struct name_reader {
    enum audit_name_kind kind;
    unsigned roles;
} name_readers[] = {
    {AUDIT_NAME_REFERRAL, ADM_QUEUE_ROLES},
    {AUDIT_NAME_PATIENT, ADM_PATIENT_ROLES},
    {AUDIT_NAME_USER, ROLE_ADMIN | ROLE_AUDITOR},
};

void names_init(struct names *n, struct req *r, const char *match)
{
    *n = (struct names){.r = r, .cache = json_object(), .match = match};
    for (size_t i = 0; i < sizeof(name_readers) / sizeof(name_readers[0]); i++)
        if (auth_can(r, name_readers[i].roles))
            n->kinds |= 1u << name_readers[i].kind;
}

void names_free(struct names *n)
{
    json_decref(n->cache);
    n->cache = NULL;
}

/* Whether the reader may see names of that kind. */
static bool names_shown(const struct names *n, enum audit_name_kind kind)
{
    return kind != AUDIT_NAME_NONE && (n->kinds & (1u << kind));
}

/* A JSON string of v; U+FFFD when v is not UTF-8 (rows are ours, but never trust a file). */
static json_t *jstr(const char *v)
{
    json_t *s = json_string(v ? v : "");
    return s ? s : json_string("\xEF\xBF\xBD");
}

const char *names_of(struct names *n, const char *record_type, const char *id)
{
    char key[AUDIT_NAME_MAX], name[AUDIT_NAME_MAX];
    enum audit_name_kind kind;
    json_t *v;

    if (!n->kinds || !record_type || !id || !*id)
        return NULL;
    /* Ids and types hold no newline (the filters' and the store's rules). */
    snprintf(key, sizeof(key), "%s\n%s", record_type, id);
    if (!(v = json_object_get(n->cache, key))) {
        /* A failed look-up (logged by the store) shows the id without a name. */
        if (store_audit_name(n->r->store, record_type, id, &kind, name, sizeof(name)) != E_OK)
            kind = AUDIT_NAME_NONE;
        v = names_shown(n, kind) && *name ? jstr(name) : json_null();
        json_object_set_new(n->cache, key, v);
    }
    return json_string_value(v);
}

/* A list entry's records as [{id, name (when shown), match (the filter's record)}]. */
static json_t *listing_json(struct names *n, const struct audit_entry *e, bool *matched)
{
    json_t *items = json_array();

    *matched = false;
    for (size_t i = 0; i < e->n_listed; i++) {
        const char *name = names_of(n, e->record_type, e->listed[i]);
        json_t *it = json_pack("{s:o}", "id", jstr(e->listed[i]));
        if (name)
            json_object_set_new(it, "name", jstr(name));
        if (n->match && strcmp(n->match, e->listed[i]) == 0) {
            json_object_set_new(it, "match", json_true());
            *matched = true;
        }
        json_array_append_new(items, it);
    }
    return items;
}

json_t *names_entry(struct names *n, const struct audit_entry *e)
{
    const char *name = names_of(n, e->record_type, e->record_id);
    json_t *o = json_object();
    char text[48];
    bool matched;

    json_object_set_new(o, "id", json_integer(e->id));
    json_object_set_new(o, "at", jstr(e->at));
    json_object_set_new(o, "user_id", e->user_id ? json_integer(e->user_id) : json_null());
    json_object_set_new(o, "user_email", jstr(e->user_email));
    json_object_set_new(o, "roles", jstr(e->roles));
    json_object_set_new(o, "action", jstr(e->action));
    json_object_set_new(o, "record_type", jstr(e->record_type));
    json_object_set_new(o, "record_id", e->record_id ? jstr(e->record_id) : json_null());
    json_object_set_new(o, "record_name", name ? jstr(name) : json_null());
    json_object_set_new(o, "outcome", jstr(e->outcome));
    json_object_set_new(o, "client", jstr(e->client));
    json_object_set_new(o, "prev_hash", jstr(e->prev_hash));
    json_object_set_new(o, "hash", jstr(e->hash));
    json_object_set_new(o, "listed", listing_json(n, e, &matched));
    json_object_set_new(o, "n_listed", json_integer((json_int_t)e->n_listed));
    /* For the screen: the listing's summary line, open when it holds the record asked about,
     * and a list that showed nothing said as much. */
    if (e->n_listed) {
        snprintf(text, sizeof(text), "%zu %s shown", e->n_listed,
                 e->n_listed == 1 ? "record" : "records");
        json_object_set_new(o, "listed_text", json_string(text));
        json_object_set_new(o, "listed_open", json_boolean(matched));
    } else if (strcmp(e->action, "list") == 0 && !e->record_id) {
        json_object_set_new(o, "listed_none", json_true());
    }
    return o;
}
