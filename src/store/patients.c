/* patients: admission, patient search (and the search keys it walks), the chart and consents. */
#include "store/admissions_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/rand.h"

static const char sql_has_intake[] =
    "SELECT (SELECT count(*) FROM intakes WHERE referral_id = ?1),"
    " (SELECT count(*) FROM patients WHERE referral_id = ?1)";
static const char sql_clinician[] =
    "SELECT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id AND ur.role = 'clinician'"
    " WHERE u.public_id = ?1 AND u.disabled = 0";
static const char sql_patient_add[] =
    "INSERT INTO patients (public_id, referral_id, first_name, last_name, date_of_birth, phone,"
    " phone_digits, email, address, emergency_name, emergency_phone, emergency_relationship,"
    " counsellor_id, admission_date, level, track, status, created_by, created_at, name_key,"
    " name_key_rl) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
    " ?16, ?17, ?18, ?19, ?20, ?21) RETURNING id";
#define SEARCH_COLS                                                                            \
    "SELECT p.public_id, p.first_name, p.last_name, p.date_of_birth, p.phone, p.status,"      \
    " p.level, p.admission_date FROM patients p"
/* Each way of finding a patient is one index range that stops after 50 rows (a name prefix as
 * "last first" or "first last", a public id prefix, a phone number's last 7 digits then its
 * suffix); the union is sorted by name. An unbound parameter is NULL: that range is empty. */
static const char sql_search[] =
    SEARCH_COLS " WHERE p.id IN ("
    "SELECT id FROM (SELECT id FROM patients WHERE name_key_rl >= ?1 AND name_key_rl < ?2"
    "  ORDER BY name_key_rl LIMIT 50) AS a"
    " UNION ALL SELECT id FROM (SELECT id FROM patients WHERE name_key >= ?1 AND name_key < ?2"
    "  ORDER BY name_key LIMIT 50) AS b"
    " UNION ALL SELECT id FROM (SELECT id FROM patients WHERE public_id >= ?3 AND public_id < ?4"
    "  ORDER BY public_id LIMIT 50) AS c"
    " UNION ALL SELECT id FROM (SELECT id FROM patients WHERE substr(phone_digits, -7) = ?5"
    "  AND substr(phone_digits, -length(?6)) = ?6 LIMIT 50) AS d)"
    " ORDER BY p.name_key_rl, p.id LIMIT 50";
static const char sql_recent[] = SEARCH_COLS " ORDER BY p.created_at DESC LIMIT 50";
static const char sql_patient[] =
    "SELECT p.id, p.public_id, p.first_name, p.last_name, p.date_of_birth, p.phone,"
    " coalesce(p.email, ''), coalesce(p.address, ''), p.emergency_name, p.emergency_phone,"
    " p.emergency_relationship, coalesce(u.name, ''), p.admission_date, p.level,"
    " coalesce(p.track, ''), p.status, p.created_at, coalesce(r.id, -1),"
    " coalesce(r.public_id, ''), r.answers, r.result, r.flags, coalesce(r.level, ''),"
    " coalesce(i.confirmed_level, ''), coalesce(i.change_reason, ''), coalesce(u.public_id, ''),"
    " coalesce(p.discharge_date, ''),"
    " coalesce(p.discharge_disposition, p.discharge_reason, ''), coalesce(p.discharge_note, ''),"
    " coalesce(i.notes, ''), coalesce(p.aftercare_note, '')"
    " FROM patients p LEFT JOIN users u ON u.id = p.counsellor_id"
    " LEFT JOIN referrals r ON r.id = p.referral_id"
    " LEFT JOIN intakes i ON i.referral_id = r.id WHERE p.public_id = ?1";
static const char sql_consents[] =
    "SELECT c.public_id, c.discloser, c.information, c.recipient, c.purpose,"
    " coalesce(c.expires_on, ''), c.end_of_treatment, c.signature_name, c.signed_at,"
    " coalesce(c.revoked_at, ''), coalesce(ru.name, ''), coalesce(u.name, ''),"
    " coalesce(c.revoked_how, ''),"
    " c.revoked_at IS NULL AND ((c.end_of_treatment = 1 AND p.status <> 'discharged'"
    "   AND NOT EXISTS (SELECT 1 FROM patient_events d WHERE d.patient_id = p.id"
    "     AND d.kind = 'status-change' AND d.to_value = 'discharged' AND d.at >= c.signed_at))"
    "   OR c.expires_on >= ?2)"
    " FROM consents c JOIN patients p ON p.id = c.patient_id"
    " LEFT JOIN users u ON u.id = c.recorded_by LEFT JOIN users ru ON ru.id = c.revoked_by"
    " WHERE c.patient_id = ?1 ORDER BY c.created_at DESC, c.id DESC";
static const char sql_patient_id[] = "SELECT id FROM patients WHERE public_id = ?1";
/* The patient's enrolments, newest first, as the timeline tells them. */
static const char sql_enrolments[] =
    "SELECT e.created_at, e.public_id, t.code, e.start_date, coalesce(u.name, ''),"
    " coalesce(e.override_reason, '') FROM enrolments e JOIN tracks t ON t.id = e.track_id"
    " LEFT JOIN users u ON u.id = e.created_by WHERE e.patient_id = ?1"
    " ORDER BY e.created_at DESC, e.id DESC LIMIT 300";
static const char sql_consent_add[] =
    "INSERT INTO consents (public_id, patient_id, discloser, information, recipient, purpose,"
    " expires_on, end_of_treatment, revoke_acknowledged, signature_name, signed, signed_at,"
    " recorded_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
    " ?12)";
static const char sql_consent_revoke[] =
    "UPDATE consents SET revoked_at = ?3, revoked_by = ?4, revoked_how = ?5"
    " WHERE public_id = ?1 AND patient_id = ?2 AND revoked_at IS NULL";
static const char sql_consent_exists[] =
    "SELECT 1 FROM consents WHERE public_id = ?1 AND patient_id = ?2";

static void bind_text(struct db_stmt *st, int i, const char *v)
{
    db_bind_text_or_null(st, i, v);
}

static enum err admit_checks(struct store *s, long ref)
{
    struct db_stmt *st = db_prepare(s->db, sql_has_intake);
    enum err ret = E_DB;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, ref);
    if (db_step(st) == DB_ROW)
        ret = db_col_int(st, 0) == 1 && db_col_int(st, 1) == 0 ? E_OK
                                                                                : E_CONFLICT;
    db_reset(st);
    return ret;
}

/* Inserts the patient p (ref: the referral it came from, 0: none) and its "admitted" event
 * inside the caller's transaction; *patient gets the row id. */
static enum err patient_insert(struct store *s, struct admissions_patient *p, long ref,
                               long counsellor, long by_user, const char *now, long *patient)
{
    struct db_stmt *st;
    char full[256], full_rl[256], key[512], key_rl[512];
    enum err e;

    snprintf(full, sizeof(full), "%s %s", p->first_name ? p->first_name : "",
             p->last_name ? p->last_name : "");
    snprintf(full_rl, sizeof(full_rl), "%s %s", p->last_name ? p->last_name : "",
             p->first_name ? p->first_name : "");
    if (!(st = db_prepare(s->db, sql_patient_add)))
        return E_DB;
    db_bind_text(st, 1, p->public_id);
    if (ref > 0)
        db_bind_int64(st, 2, ref);
    bind_text(st, 3, p->first_name);
    bind_text(st, 4, p->last_name);
    bind_text(st, 5, p->date_of_birth);
    bind_text(st, 6, p->phone);
    db_bind_text(st, 7, p->phone_digits ? p->phone_digits : "");
    bind_text(st, 8, p->email);
    bind_text(st, 9, p->address);
    bind_text(st, 10, p->emergency_name);
    bind_text(st, 11, p->emergency_phone);
    bind_text(st, 12, p->emergency_relationship);
    db_bind_int64(st, 13, counsellor);
    bind_text(st, 14, p->admission_date);
    bind_text(st, 15, p->level);
    bind_text(st, 16, p->track);
    bind_text(st, 17, p->status);
    admissions_bind_user(st, 18, by_user);
    db_bind_text(st, 19, now);
    patients_name_key(full, key, sizeof(key));
    db_bind_text(st, 20, key);
    patients_name_key(full_rl, key_rl, sizeof(key_rl));
    db_bind_text(st, 21, key_rl);
    if ((e = admissions_insert_id(s, st, "patient insert", patient)) != E_OK)
        return e;
    return admissions_patient_event(s, *patient, by_user, now, "admitted", p->level, NULL);
}

enum err store_adm_admit(struct store *s, const char *referral_id,
                                 struct admissions_patient *p, long by_user,
                                 const struct audit_entry *audit)
{
    char now[STAMP_LEN];
    long ref = 0, counsellor = 0, patient = 0;
    enum err e;

    stamp_now(now);
    rand_hex(p->public_id, 16);
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = admissions_lookup_in(s, referral_id, "intake-scheduled", &ref)) != E_OK ||
        (e = admit_checks(s, ref)) != E_OK)
        goto out;
    if ((e = admissions_id_of(s, sql_clinician, p->counsellor, &counsellor)) != E_OK) {
        e = e == E_NOTFOUND ? E_INVALID : e;
        goto out;
    }
    if ((e = patient_insert(s, p, ref, counsellor, by_user, now, &patient)) != E_OK)
        goto out;
    if ((e = admissions_set_status_row(s, ref, "admitted", NULL, now)) != E_OK ||
        (e = admissions_event_add(s, ref, by_user, now, "admit", "intake-scheduled", "admitted",
                                  NULL, p->public_id)) != E_OK)
        goto out;
    if ((e = admissions_audit(s, audit, "update", "referral", referral_id)) != E_OK)
        goto out;
    e = admissions_audit(s, audit, NULL, "patient", p->public_id);
out:
    e = admissions_finish(s, e);
    if (e == E_OK)
        log_info("referral %s admitted as patient %s", referral_id, p->public_id);
    return e;
}

enum err store_adm_admit_direct(struct store *s, struct admissions_patient *p, long counsellor,
                                long by_user, const struct audit_entry *audit)
{
    char now[STAMP_LEN];
    long patient = 0;
    enum err e;

    stamp_now(now);
    rand_hex(p->public_id, 16);
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = patient_insert(s, p, 0, counsellor, by_user, now, &patient)) == E_OK)
        e = admissions_audit(s, audit, NULL, "patient", p->public_id);
    e = admissions_finish(s, e);
    if (e == E_OK)
        log_info("patient %s admitted directly", p->public_id);
    return e;
}

/* Latin-1 letters U+00C0..U+00DF (and, but for the last, U+00E0..U+00FF) without accents. */
static const char *const latin1[32] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o",  " ", "o", "u", "u", "u", "u", "y", "th", "ss"};
/* Latin Extended-A, U+0100..U+017F, lower case without accents. */
static const char latin_a[] = "aaaaaaccccccccdd"
                              "ddeeeeeeeeeegggg"
                              "gggghhhhiiiiiiii"
                              "iiiijjkkklllllll"
                              "lllnnnnnnnnnoooo"
                              "oooorrrrrrssssss"
                              "ssttttttuuuuuuuu"
                              "uuuuwwyyyzzzzzzs";

size_t patients_name_key(const char *name, char *out, size_t n)
{
    const unsigned char *c = (const unsigned char *)(name ? name : "");
    size_t k = 0;
    bool gap = false;

#define PUT(ch)                                                                                \
    do {                                                                                       \
        if (gap && k && k + 1 < n)                                                             \
            out[k++] = ' ';                                                                    \
        gap = false;                                                                           \
        if (k + 1 < n)                                                                         \
            out[k++] = (char)(ch);                                                             \
    } while (0)
    if (!n)
        return 0;
    while (*c) {
        const char *fold = NULL;
        if (*c < 0x80) {
            if ((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9'))
                PUT(*c);
            else if (*c >= 'A' && *c <= 'Z')
                PUT(*c - 'A' + 'a');
            else if (*c != '\'' && *c != '.' && *c != ',')
                gap = true; /* spaces, hyphens, other punctuation and controls separate */
            c++;
            continue;
        }
        if (c[0] == 0xc3 && c[1] >= 0x80 && c[1] <= 0xbf)
            fold = c[1] == 0xbf ? "y" : latin1[(c[1] - 0x80) & 31];
        else if ((c[0] == 0xc4 || c[0] == 0xc5) && c[1] >= 0x80 && c[1] <= 0xbf) {
            PUT(latin_a[(c[0] - 0xc4) * 64 + (c[1] - 0x80)]);
            c += 2;
            continue;
        } else if (c[0] == 0xe2 && c[1] == 0x80 && (c[2] == 0x98 || c[2] == 0x99)) {
            c += 3; /* typographic apostrophes */
            continue;
        }
        if (fold) {
            if (*fold == ' ')
                gap = true;
            for (; *fold && *fold != ' '; fold++)
                PUT(*fold);
            c += 2;
            continue;
        }
        PUT(*c); /* any other byte of UTF-8 as it is */
        c++;
    }
#undef PUT
    out[k] = '\0';
    return k;
}

/* The exclusive upper end of the range of keys starting with key (hi: n bytes); -1 if none. */
static int prefix_end(const char *key, char *hi, size_t n)
{
    size_t k = strlen(key);

    if (k + 1 > n)
        return -1;
    memcpy(hi, key, k + 1);
    while (k && (unsigned char)hi[k - 1] == 0xff)
        hi[--k] = '\0';
    if (!k)
        return -1;
    hi[k - 1] = (char)((unsigned char)hi[k - 1] + 1);
    return 0;
}

static bool is_hex_id(const char *q, char *out, size_t n)
{
    size_t k = 0;

    for (; *q; q++) {
        char c = *q >= 'A' && *q <= 'F' ? (char)(*q - 'A' + 'a') : *q;
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) || k + 1 >= n)
            return false;
        out[k++] = c;
    }
    out[k] = '\0';
    return k >= 6 && k <= 32;
}

static json_t *search_row(struct db_stmt *st)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "public_id", db_col_text(st, 0),
                     "first_name", db_col_text(st, 1), "last_name", db_col_text(st, 2),
                     "date_of_birth", db_col_text(st, 3), "phone", db_col_text(st, 4), "status",
                     db_col_text(st, 5), "level", db_col_text(st, 6), "admission_date",
                     db_col_text(st, 7));
}

enum err store_adm_patient_search(struct store *s, const char *q, const char *digits,
                                json_t **out)
{
    bool all = !q || !*q;
    struct db_stmt *st = db_prepare(s->db, all ? sql_recent : sql_search);
    char key[512], key_hi[512], id[33], id_hi[33];
    size_t nd = digits ? strlen(digits) : 0;
    json_t *rows;
    int rc;

    if (!st)
        return E_DB;
    if (!all && strlen(q) > 200)
        return E_INVALID;
    if (!all && patients_name_key(q, key, sizeof(key)) > 0 &&
        prefix_end(key, key_hi, sizeof(key_hi)) == 0) {
        db_bind_text(st, 1, key);
        db_bind_text(st, 2, key_hi);
    }
    if (!all && is_hex_id(q, id, sizeof(id)) && prefix_end(id, id_hi, sizeof(id_hi)) == 0) {
        db_bind_text(st, 3, id);
        db_bind_text(st, 4, id_hi);
    }
    if (!all && nd >= 7) {
        db_bind_text(st, 5, digits + nd - 7);
        db_bind_text(st, 6, digits);
    }
    rows = json_array();
    while ((rc = db_step(st)) == DB_ROW)
        if (!admissions_push(rows, search_row(st), "patient"))
            break;
    db_reset(st);
    if (rc != DB_DONE) {
        json_decref(rows);
        return rc == DB_ROW ? E_DB : db_fail(s->db, "patient search");
    }
    *out = rows;
    return E_OK;
}

static enum err consents(struct store *s, long patient, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_consents);
    char today[STAMP_LEN];
    json_t *rows;
    int rc;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    /* A dated consent is in force through its last day (UTC, as date('now') was). */
    db_bind_text(st, 2, stamp_today(today));
    rows = json_array();
    while ((rc = db_step(st)) == DB_ROW)
        if (!admissions_push(
            rows, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:s,"
                            " s:b}",
                            "public_id", db_col_text(st, 0), "discloser", db_col_text(st, 1),
                            "information", db_col_text(st, 2), "recipient", db_col_text(st, 3),
                            "purpose", db_col_text(st, 4), "expires_on", db_col_text(st, 5),
                            "end_of_treatment", db_col_int(st, 6), "signature_name",
                            db_col_text(st, 7), "signed_at", db_col_text(st, 8), "revoked_at",
                            db_col_text(st, 9), "revoked_by", db_col_text(st, 10), "recorded_by",
                            db_col_text(st, 11), "revoked_how", db_col_text(st, 12), "active",
                            db_col_int(st, 13)),
            "consent"))
            break;
    db_reset(st);
    if (rc != DB_DONE) {
        json_decref(rows);
        return rc == DB_ROW ? E_DB : db_fail(s->db, "consents");
    }
    *out = rows;
    return E_OK;
}

/* The timeline rows of the patient's enrolments ("enrolled": when it was made, its track and
 * first day, an override of the capacity as its reason), newest first. */
static enum err enrolment_events(struct store *s, long patient, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_enrolments);
    json_t *rows;
    int rc;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    rows = json_array();
    while ((rc = db_step(st)) == DB_ROW)
        if (!admissions_push(
                rows,
                json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "at",
                          db_col_text(st, 0), "kind", "enrolled", "from", "", "to",
                          db_col_text(st, 2), "reason", db_col_text(st, 5), "detail",
                          db_col_text(st, 1), "by", db_col_text(st, 4), "party",
                          db_col_text(st, 2), "date", db_col_text(st, 3)),
                "enrolment event"))
            break;
    db_reset(st);
    if (rc != DB_DONE) {
        json_decref(rows);
        return rc == DB_ROW ? E_DB : db_fail(s->db, "enrolment events");
    }
    *out = rows;
    return E_OK;
}

static const char *text_of(const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

/* Puts the patient's enrolments into the timeline (newest first, at most 300): a move or a step
 * names the enrolment it made (its detail), which gives the event its track (party) and is told
 * by it; every other enrolment (joined from the chart or the API) is an "enrolled" row. */
static enum err timeline_with_enrolments(struct store *s, long patient, json_t **timeline)
{
    json_t *enrolled = NULL, *merged, *ev, *en;
    size_t i, j = 0, k = 0;
    enum err e;

    if ((e = enrolment_events(s, patient, &enrolled)) != E_OK)
        return e;
    json_array_foreach(*timeline, i, ev) {
        const char *kind = text_of(ev, "kind");
        if (strcmp(kind, "track-moved") && strcmp(kind, "level-changed"))
            continue;
        json_array_foreach(enrolled, k, en)
            if (!strcmp(text_of(en, "detail"), text_of(ev, "detail"))) {
                json_object_set(ev, "party", json_object_get(en, "to"));
                json_object_set_new(en, "told", json_true());
            }
    }
    merged = json_array();
    i = 0;
    while (json_array_size(merged) < 300 &&
           (i < json_array_size(*timeline) || j < json_array_size(enrolled))) {
        ev = json_array_get(*timeline, i);
        en = json_array_get(enrolled, j);
        if (en && json_is_true(json_object_get(en, "told"))) {
            j++;
        } else if (!en || (ev && strcmp(text_of(ev, "at"), text_of(en, "at")) > 0)) {
            /* the later first; in the same instant the enrolment, which follows its admission */
            json_array_append(merged, ev);
            i++;
        } else {
            json_array_append(merged, en);
            j++;
        }
    }
    json_decref(enrolled);
    json_decref(*timeline);
    *timeline = merged;
    return E_OK;
}

enum err store_adm_patient_get(struct store *s, const char *public_id, bool clinical,
                                       json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_patient);
    json_t *m = NULL, *list = NULL;
    long id = 0, ref = -1;
    int rc;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, public_id);
    rc = db_step(st);
    if (rc == DB_ROW) {
        id = (long)db_col_int64(st, 0);
        ref = (long)db_col_int64(st, 17);
        m = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
                      " s:s, s:s}",
                      "public_id", db_col_text(st, 1), "first_name", db_col_text(st, 2),
                      "last_name", db_col_text(st, 3), "date_of_birth", db_col_text(st, 4),
                      "phone", db_col_text(st, 5), "email", db_col_text(st, 6), "address",
                      db_col_text(st, 7), "emergency_name", db_col_text(st, 8), "emergency_phone",
                      db_col_text(st, 9), "emergency_relationship", db_col_text(st, 10),
                      "counsellor", db_col_text(st, 11), "admission_date", db_col_text(st, 12),
                      "level", db_col_text(st, 13), "track", db_col_text(st, 14), "status",
                      db_col_text(st, 15), "created_at", db_col_text(st, 16));
        if (m &&
            json_object_update_new(
                m, json_pack("{s:s, s:s, s:s, s:s, s:s}", "counsellor_id", db_col_text(st, 25),
                             "discharge_date", db_col_text(st, 26), "discharge_reason",
                             db_col_text(st, 27), "discharge_note", db_col_text(st, 28),
                             "aftercare_note", db_col_text(st, 30))) < 0) {
            json_decref(m);
            m = NULL;
        }
        if (m && clinical) {
            json_t *c = json_pack("{s:s, s:o, s:o, s:o, s:s, s:s, s:s}", "referral_id",
                                  db_col_text(st, 18), "answers", admissions_col_json(st, 19),
                                  "result", admissions_col_json(st, 20), "flags",
                                  admissions_col_json(st, 21), "recommended_level",
                                  db_col_text(st, 22), "confirmed_level", db_col_text(st, 23),
                                  "change_reason", db_col_text(st, 24));
            /* NULL (not UTF-8) is refused by the set: no half model */
            if (c && json_object_set_new(c, "intake_notes",
                                         json_string(db_col_text(st, 29))) < 0) {
                json_decref(c);
                c = NULL;
            }
            if (c) {
                json_object_update(m, c);
                json_decref(c);
            } else {
                json_decref(m);
                m = NULL;
            }
        }
    }
    db_reset(st);
    if (rc == DB_DONE)
        return E_NOTFOUND;
    if (rc != DB_ROW)
        return db_fail(s->db, "patient");
    if (!m) {
        log_error("store: patient %s does not fit its model (not UTF-8?)", public_id);
        return E_DB;
    }
    if (clinical) {
        if (consents(s, id, &list) != E_OK)
            goto fail;
        json_object_set_new(m, "consents", list);
        if (admissions_timeline(s, ref, id, &list) != E_OK)
            goto fail;
        if (timeline_with_enrolments(s, id, &list) != E_OK) {
            json_decref(list);
            goto fail;
        }
        json_object_set_new(m, "timeline", list);
    }
    *out = m;
    return E_OK;
fail:
    json_decref(m);
    return E_DB;
}

enum err store_adm_consent_add(struct store *s, const char *patient_id,
                                       struct admissions_consent *c, long by_user,
                                       const struct audit_entry *audit)
{
    struct db_stmt *st;
    char now[STAMP_LEN];
    long patient = 0;
    enum err e;

    stamp_now(now);
    rand_hex(c->public_id, 16);
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = admissions_id_of(s, sql_patient_id, patient_id, &patient)) != E_OK)
        goto out;
    if (!(st = db_prepare(s->db, sql_consent_add))) {
        e = E_DB;
        goto out;
    }
    db_bind_text(st, 1, c->public_id);
    db_bind_int64(st, 2, patient);
    bind_text(st, 3, c->discloser);
    bind_text(st, 4, c->information);
    bind_text(st, 5, c->recipient);
    bind_text(st, 6, c->purpose);
    bind_text(st, 7, c->expires_on);
    db_bind_int64(st, 8, c->end_of_treatment);
    db_bind_int64(st, 9, c->revoke_acknowledged);
    bind_text(st, 10, c->signature_name);
    db_bind_int64(st, 11, c->signed_);
    db_bind_text(st, 12, now);
    admissions_bind_user(st, 13, by_user);
    if ((e = admissions_step_done(s, st, "consent insert")) == E_OK)
        e = admissions_patient_event(s, patient, by_user, now, "consent-signed", c->public_id,
                                     NULL);
    if (e == E_OK)
        e = admissions_audit(s, audit, NULL, "consent", c->public_id);
out:
    return admissions_finish(s, e);
}

enum err store_adm_consent_revoke(struct store *s, const char *patient_id,
                                  const char *consent_id, const char *how, long by_user,
                                  const struct audit_entry *audit)
{
    struct db_stmt *st;
    char now[STAMP_LEN];
    long patient = 0;
    enum err e;

    stamp_now(now);
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = admissions_id_of(s, sql_patient_id, patient_id, &patient)) != E_OK)
        goto out;
    if (!(st = db_prepare(s->db, sql_consent_revoke))) {
        e = E_DB;
        goto out;
    }
    db_bind_text(st, 1, consent_id);
    db_bind_int64(st, 2, patient);
    db_bind_text(st, 3, now);
    admissions_bind_user(st, 4, by_user);
    bind_text(st, 5, how);
    if ((e = admissions_step_done(s, st, "consent revoke")) != E_OK)
        goto out;
    if (db_changes(s->db) == 0) {
        /* Revoked already, or not this patient's consent at all. */
        if (!(st = db_prepare(s->db, sql_consent_exists))) {
            e = E_DB;
            goto out;
        }
        db_bind_text(st, 1, consent_id);
        db_bind_int64(st, 2, patient);
        e = db_step(st) == DB_ROW ? E_CONFLICT : E_NOTFOUND;
        db_reset(st);
        goto out;
    }
    e = admissions_patient_event(s, patient, by_user, now, "consent-revoked", consent_id, how);
    if (e == E_OK)
        e = admissions_audit(s, audit, NULL, "consent", consent_id);
out:
    return admissions_finish(s, e);
}
