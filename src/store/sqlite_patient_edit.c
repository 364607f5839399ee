/* sqlite_patient_edit: the SQLite side of changing a patient after admission: a status change
 * (with the discharge in force) and the contact details and primary counsellor. Each write is
 * one BEGIN IMMEDIATE transaction holding the change, its timeline event(s) and its audit entry;
 * the status is re-read inside it, so two members changing the same patient cannot both win. */
#include "store/sqlite_adm_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"

static const char sql_state[] = "SELECT id, status FROM patients WHERE public_id = ?1";
static const char sql_set_status[] =
    "UPDATE patients SET status = ?2, discharge_date = ?3, discharge_reason = ?4,"
    " discharge_note = ?5, updated_at = ?6 WHERE id = ?1 AND status = ?7";
static const char sql_event[] =
    "INSERT INTO patient_events (patient_id, at, by_user, kind, detail, from_value, to_value,"
    " reason, on_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char sql_contact_now[] =
    "SELECT p.id, p.phone, coalesce(p.email, ''), coalesce(p.address, ''), p.emergency_name,"
    " p.emergency_phone, p.emergency_relationship, p.counsellor_id, coalesce(u.public_id, '')"
    " FROM patients p LEFT JOIN users u ON u.id = p.counsellor_id WHERE p.public_id = ?1";
static const char sql_clinician[] =
    "SELECT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id AND ur.role = 'clinician'"
    " WHERE u.public_id = ?1 AND u.disabled = 0";
static const char sql_contact_set[] =
    "UPDATE patients SET phone = ?2, phone_digits = ?3, email = ?4, address = ?5,"
    " emergency_name = ?6, emergency_phone = ?7, emergency_relationship = ?8,"
    " counsellor_id = ?9, updated_at = ?10 WHERE id = ?1";

/* One timeline event of the patient; NULL strings are stored as NULL. */
struct event {
    const char *kind, *detail, *from, *to, *reason, *on_date;
};

static enum err event_add(struct sqlite_store *s, long patient, long by, const char *now,
                          const struct event *ev)
{
    sqlite3_stmt *st = sqlite_stmt(s, sql_event);

    if (!st)
        return E_DB;
    sqlite3_bind_int64(st, 1, patient);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
    sqlite_adm_bind_user(st, 3, by);
    sqlite3_bind_text(st, 4, ev->kind, -1, SQLITE_STATIC);
    sqlite_bind_text_or_null(st, 5, ev->detail);
    sqlite_bind_text_or_null(st, 6, ev->from);
    sqlite_bind_text_or_null(st, 7, ev->to);
    sqlite_bind_text_or_null(st, 8, ev->reason);
    sqlite_bind_text_or_null(st, 9, ev->on_date);
    return sqlite_adm_step_done(s, st, "patient event");
}

/* The patient's row id when its status is `from`; E_CONFLICT when it is another, E_NOTFOUND. */
static enum err state_is(struct sqlite_store *s, const char *public_id, const char *from,
                         long *id)
{
    sqlite3_stmt *st = sqlite_stmt(s, sql_state);
    enum err ret;
    int rc;

    if (!st)
        return E_DB;
    sqlite3_bind_text(st, 1, public_id, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = (long)sqlite3_column_int64(st, 0);
        ret = from && strcmp(sqlite_col(st, 1), from) == 0 ? E_OK : E_CONFLICT;
    } else {
        ret = rc == SQLITE_DONE ? E_NOTFOUND : sqlite_fail(s, "patient status");
    }
    sqlite3_reset(st);
    return ret;
}

enum err sqlite_patients_set_status(struct store *base, const char *public_id,
                                    const struct admissions_status_change *c, long by_user,
                                    const struct audit_entry *audit)
{
    struct sqlite_store *s = sqlite_of(base);
    bool discharge = c->to && strcmp(c->to, "discharged") == 0;
    struct event ev = {.kind = "status-change", .from = c->from, .to = c->to,
                       .detail = discharge ? c->discharge_reason : NULL, .reason = c->note,
                       .on_date = discharge ? c->discharge_date : NULL};
    sqlite3_stmt *st;
    char now[32];
    long id = 0;
    enum err e;

    if (!c->from || !c->to)
        return E_INVALID;
    sqlite_now(now);
    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if ((e = state_is(s, public_id, c->from, &id)) != E_OK)
        goto out;
    if (!(st = sqlite_stmt(s, sql_set_status))) {
        e = E_DB;
        goto out;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, c->to, -1, SQLITE_STATIC);
    /* A re-activation (or a hold) clears the discharge in force; the timeline keeps it. */
    sqlite_bind_text_or_null(st, 3, discharge ? c->discharge_date : NULL);
    sqlite_bind_text_or_null(st, 4, discharge ? c->discharge_reason : NULL);
    sqlite_bind_text_or_null(st, 5, discharge ? c->note : NULL);
    sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, c->from, -1, SQLITE_STATIC);
    if ((e = sqlite_adm_step_done(s, st, "patient status")) != E_OK)
        goto out;
    if (sqlite3_changes(s->db) != 1) {
        e = E_CONFLICT;
        goto out;
    }
    if ((e = event_add(s, id, by_user, now, &ev)) != E_OK)
        goto out;
    e = sqlite_adm_audit(s, audit, NULL, "patient", public_id);
out:
    e = sqlite_adm_finish(s, e);
    if (e == E_OK)
        log_info("patient %s status %s to %s", public_id, c->from, c->to);
    return e;
}

/* The fields of the contact form as stored now (strings borrowed from the statement). */
struct contact_now {
    long id, counsellor_id;
    const char *v[6]; /* phone, email, address, emergency name, phone, relationship */
    const char *counsellor;
};

static const char *const field_codes[6] = {"phone",           "email",          "address",
                                           "emergency_name", "emergency_phone",
                                           "emergency_relationship"};

/* Compares c with the stored row: writes the codes of the fields that differ to changed (comma
 * separated, n bytes) and returns how many differ, the counsellor included (*counsellor_too). */
static int differences(sqlite3_stmt *st, const struct admissions_contact *c, char *changed,
                       size_t n, bool *counsellor_too)
{
    const char *want[6] = {c->phone, c->email, c->address, c->emergency_name, c->emergency_phone,
                           c->emergency_relationship};
    size_t k = 0;
    int count = 0;

    changed[0] = '\0';
    for (int i = 0; i < 6; i++) {
        size_t len = strlen(field_codes[i]);
        if (strcmp(sqlite_col(st, 1 + i), want[i] ? want[i] : "") == 0)
            continue;
        count++;
        if (k + len + 2 > n)
            continue;
        if (k)
            changed[k++] = ',';
        memcpy(changed + k, field_codes[i], len + 1);
        k += len;
    }
    *counsellor_too = strcmp(sqlite_col(st, 8), c->counsellor ? c->counsellor : "") != 0;
    return count + (*counsellor_too ? 1 : 0);
}

static enum err contact_write(struct sqlite_store *s, long id, const struct admissions_contact *c,
                              long counsellor, const char *now)
{
    sqlite3_stmt *st = sqlite_stmt(s, sql_contact_set);

    if (!st)
        return E_DB;
    sqlite3_bind_int64(st, 1, id);
    sqlite_bind_text_or_null(st, 2, c->phone);
    sqlite3_bind_text(st, 3, c->phone_digits ? c->phone_digits : "", -1, SQLITE_STATIC);
    sqlite_bind_text_or_null(st, 4, c->email);
    sqlite_bind_text_or_null(st, 5, c->address);
    sqlite_bind_text_or_null(st, 6, c->emergency_name);
    sqlite_bind_text_or_null(st, 7, c->emergency_phone);
    sqlite_bind_text_or_null(st, 8, c->emergency_relationship);
    sqlite3_bind_int64(st, 9, counsellor);
    sqlite3_bind_text(st, 10, now, -1, SQLITE_STATIC);
    return sqlite_adm_step_done(s, st, "patient contact");
}

enum err sqlite_patients_update_contact(struct store *base, const char *public_id,
                                        const struct admissions_contact *c, long by_user,
                                        const struct audit_entry *audit, int *changed)
{
    struct sqlite_store *s = sqlite_of(base);
    sqlite3_stmt *st;
    char now[32], fields[128], old_counsellor[65] = "";
    bool counsellor_too = false;
    long id = 0, counsellor = 0;
    int rc, n = 0;
    enum err e;

    *changed = 0;
    sqlite_now(now);
    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if (!(st = sqlite_stmt(s, sql_contact_now))) {
        e = E_DB;
        goto out;
    }
    sqlite3_bind_text(st, 1, public_id, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        id = (long)sqlite3_column_int64(st, 0);
        counsellor = (long)sqlite3_column_int64(st, 7);
        n = differences(st, c, fields, sizeof(fields), &counsellor_too);
        snprintf(old_counsellor, sizeof(old_counsellor), "%s", sqlite_col(st, 8));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) {
        e = rc == SQLITE_DONE ? E_NOTFOUND : sqlite_fail(s, "patient contact");
        goto out;
    }
    if (n == 0) { /* nothing to change: nothing written, not even an entry */
        e = E_OK;
        goto out;
    }
    if (counsellor_too &&
        (e = sqlite_adm_id_of(s, sql_clinician, c->counsellor, &counsellor)) != E_OK) {
        e = e == E_NOTFOUND ? E_INVALID : e;
        goto out;
    }
    if ((e = contact_write(s, id, c, counsellor, now)) != E_OK)
        goto out;
    if (fields[0] && (e = event_add(s, id, by_user, now,
                                    &(struct event){.kind = "contact-updated",
                                                    .detail = fields})) != E_OK)
        goto out;
    if (counsellor_too &&
        (e = event_add(s, id, by_user, now,
                       &(struct event){.kind = "counsellor-changed", .from = old_counsellor,
                                       .to = c->counsellor})) != E_OK)
        goto out;
    e = sqlite_adm_audit(s, audit, NULL, "patient", public_id);
out:
    if (n == 0 && e == E_OK) {
        sqlite_rollback(s);
        return E_OK;
    }
    e = sqlite_adm_finish(s, e);
    if (e == E_OK) {
        *changed = n;
        log_info("patient %s contact updated (%d fields)", public_id, n);
    }
    return e;
}
