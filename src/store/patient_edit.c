/* patient_edit: changing a patient after admission: a status change
 * (with the discharge in force) and the contact details and primary counsellor. Each write is
 * one BEGIN IMMEDIATE transaction holding the change, its timeline event(s) and its audit entry;
 * the status is re-read inside it, so two members changing the same patient cannot both win. */
#include "store/admissions_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"

static const char sql_state[] = "SELECT id, status FROM patients WHERE public_id = ?1";
static const char sql_set_status[] =
    "UPDATE patients SET status = ?2, discharge_date = ?3, discharge_reason = ?4,"
    " discharge_note = ?5, discharge_disposition = NULL, aftercare_note = NULL, updated_at = ?6"
    " WHERE id = ?1 AND status = ?7";
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

static enum err event_add(struct store *s, long patient, long by, const char *now,
                          const struct event *ev)
{
    struct db_stmt *st = db_prepare(s->db, sql_event);

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    db_bind_text(st, 2, now);
    admissions_bind_user(st, 3, by);
    db_bind_text(st, 4, ev->kind);
    db_bind_text_or_null(st, 5, ev->detail);
    db_bind_text_or_null(st, 6, ev->from);
    db_bind_text_or_null(st, 7, ev->to);
    db_bind_text_or_null(st, 8, ev->reason);
    db_bind_text_or_null(st, 9, ev->on_date);
    return admissions_step_done(s, st, "patient event");
}

/* The patient's row id when its status is `from`; E_CONFLICT when it is another, E_NOTFOUND. */
static enum err state_is(struct store *s, const char *public_id, const char *from,
                         long *id)
{
    struct db_stmt *st = db_prepare(s->db, sql_state);
    enum err ret;
    int rc;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, public_id);
    rc = db_step(st);
    if (rc == DB_ROW) {
        *id = (long)db_col_int64(st, 0);
        ret = from && strcmp(db_col_text(st, 1), from) == 0 ? E_OK : E_CONFLICT;
    } else {
        ret = rc == DB_DONE ? E_NOTFOUND : db_fail(s->db, "patient status");
    }
    db_reset(st);
    return ret;
}

enum err store_adm_patient_set_status(struct store *s, const char *public_id,
                                    const struct admissions_status_change *c, long by_user,
                                    const struct audit_entry *audit)
{
    bool discharge = c->to && strcmp(c->to, "discharged") == 0;
    struct event ev = {.kind = "status-change", .from = c->from, .to = c->to,
                       .detail = discharge ? c->discharge_reason : NULL, .reason = c->note,
                       .on_date = discharge ? c->discharge_date : NULL};
    struct db_stmt *st;
    char now[STAMP_LEN];
    long id = 0;
    enum err e;

    if (!c->from || !c->to)
        return E_INVALID;
    stamp_now(now);
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = state_is(s, public_id, c->from, &id)) != E_OK)
        goto out;
    if (!(st = db_prepare(s->db, sql_set_status))) {
        e = E_DB;
        goto out;
    }
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, c->to);
    /* A re-activation (or a hold) clears the discharge in force; the timeline keeps it. */
    db_bind_text_or_null(st, 3, discharge ? c->discharge_date : NULL);
    db_bind_text_or_null(st, 4, discharge ? c->discharge_reason : NULL);
    db_bind_text_or_null(st, 5, discharge ? c->note : NULL);
    db_bind_text(st, 6, now);
    db_bind_text(st, 7, c->from);
    if ((e = admissions_step_done(s, st, "patient status")) != E_OK)
        goto out;
    if (db_changes(s->db) != 1) {
        e = E_CONFLICT;
        goto out;
    }
    if ((e = event_add(s, id, by_user, now, &ev)) != E_OK)
        goto out;
    e = admissions_audit(s, audit, NULL, "patient", public_id);
out:
    e = admissions_finish(s, e);
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
static int differences(struct db_stmt *st, const struct admissions_contact *c, char *changed,
                       size_t n, bool *counsellor_too)
{
    const char *want[6] = {c->phone, c->email, c->address, c->emergency_name, c->emergency_phone,
                           c->emergency_relationship};
    size_t k = 0;
    int count = 0;

    changed[0] = '\0';
    for (int i = 0; i < 6; i++) {
        size_t len = strlen(field_codes[i]);
        if (strcmp(db_col_text(st, 1 + i), want[i] ? want[i] : "") == 0)
            continue;
        count++;
        if (k + len + 2 > n)
            continue;
        if (k)
            changed[k++] = ',';
        memcpy(changed + k, field_codes[i], len + 1);
        k += len;
    }
    *counsellor_too = strcmp(db_col_text(st, 8), c->counsellor ? c->counsellor : "") != 0;
    return count + (*counsellor_too ? 1 : 0);
}

static enum err contact_write(struct store *s, long id, const struct admissions_contact *c,
                              long counsellor, const char *now)
{
    struct db_stmt *st = db_prepare(s->db, sql_contact_set);

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, id);
    db_bind_text_or_null(st, 2, c->phone);
    db_bind_text(st, 3, c->phone_digits ? c->phone_digits : "");
    db_bind_text_or_null(st, 4, c->email);
    db_bind_text_or_null(st, 5, c->address);
    db_bind_text_or_null(st, 6, c->emergency_name);
    db_bind_text_or_null(st, 7, c->emergency_phone);
    db_bind_text_or_null(st, 8, c->emergency_relationship);
    db_bind_int64(st, 9, counsellor);
    db_bind_text(st, 10, now);
    return admissions_step_done(s, st, "patient contact");
}

enum err store_adm_patient_update_contact(struct store *s, const char *public_id,
                                        const struct admissions_contact *c, long by_user,
                                        const struct audit_entry *audit, int *changed)
{
    struct db_stmt *st;
    char now[STAMP_LEN], fields[128], old_counsellor[65] = "";
    bool counsellor_too = false;
    long id = 0, counsellor = 0;
    int rc, n = 0;
    enum err e;

    *changed = 0;
    stamp_now(now);
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if (!(st = db_prepare(s->db, sql_contact_now))) {
        e = E_DB;
        goto out;
    }
    db_bind_text(st, 1, public_id);
    rc = db_step(st);
    if (rc == DB_ROW) {
        id = (long)db_col_int64(st, 0);
        counsellor = (long)db_col_int64(st, 7);
        n = differences(st, c, fields, sizeof(fields), &counsellor_too);
        snprintf(old_counsellor, sizeof(old_counsellor), "%s", db_col_text(st, 8));
    }
    db_reset(st);
    if (rc != DB_ROW) {
        e = rc == DB_DONE ? E_NOTFOUND : db_fail(s->db, "patient contact");
        goto out;
    }
    if (n == 0) { /* nothing to change: nothing written, not even an entry */
        e = E_OK;
        goto out;
    }
    if (counsellor_too &&
        (e = admissions_id_of(s, sql_clinician, c->counsellor, &counsellor)) != E_OK) {
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
    e = admissions_audit(s, audit, NULL, "patient", public_id);
out:
    if (n == 0 && e == E_OK) {
        db_rollback(s->db);
        return E_OK;
    }
    e = admissions_finish(s, e);
    if (e == E_OK) {
        *changed = n;
        log_info("patient %s contact updated (%d fields)", public_id, n);
    }
    return e;
}
