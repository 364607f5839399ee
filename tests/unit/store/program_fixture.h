/* program_fixture: what the program's store tests (test_program.c, test_program_reports.c,
 * test_transitions.c) seed alike: a temporary database, migrated, with the clinician c@x.org;
 * a date of its text; a patient admitted directly on 2026-03-02; a day documented (a plan,
 * signed notes: raw SQL until their stores exist). Data goes in through the store. Included
 * after cmocka.h, the store headers and store_fixture.h. */
#ifndef HAVEN_PROGRAM_FIXTURE_H
#define HAVEN_PROGRAM_FIXTURE_H

static char path[64];
static struct store *s;

static caldate d(const char *text)
{
    caldate v = 0;
    assert_true(caldate_parse(text, &v));
    return v;
}

/* Opens a new database made from template (a mkstemp pattern) into s. */
static void pf_open(const char *template)
{
    char pub[33];
    long id;
    int applied, fd;

    snprintf(path, sizeof(path), "%s", template);
    assert_true((fd = mkstemp(path)) >= 0);
    close(fd);
    assert_int_equal(store_open(path, &s), E_OK);
    assert_int_equal(store_migrate(s, &applied), E_OK);
    assert_int_equal(store_user_add(s, "c@x.org", "C", ROLE_CLINICIAN, 1704067200L, pub, &id),
                     E_OK);
}

static int teardown(void **state)
{
    (void)state;
    store_close(s);
    fx_unlink(path);
    return 0;
}

/* An IOP patient admitted directly on 2026-03-02; out gets the public id. */
static void pf_patient(const char *first, const char *last, char out[33])
{
    struct admissions_patient p = {
        .first_name = first, .last_name = last, .date_of_birth = "1990-01-01",
        .phone = "555-010-0100", .phone_digits = "5550100100", .emergency_name = "Kin",
        .emergency_phone = "555-010-0101", .emergency_relationship = "sister",
        .admission_date = "2026-03-02", .level = "iop", .status = "active"};
    assert_int_equal(store_adm_admit_direct(s, &p, 1, 1, NULL), E_OK);
    memcpy(out, p.public_id, 33);
}

/* Documents patient pid's day (R6's fourth condition, issue 10) the way signed records would,
 * in raw SQL until the plan and note stores exist: a plan current since 2000-01-01 unless the
 * patient has one, a signed group note (shared part) for each group or workshop session they
 * attended that day with their signed section, a signed individual note for each other
 * session. The author is users.id 1 (c@x.org). */
static inline void pf_document(const char *pid, const char *date)
{
    char q[1400];

    snprintf(q, sizeof(q),
             "INSERT INTO plans (public_id, patient_id, version, status, created_at, updated_at,"
             " signed_by, signed_at, ack_how, effective_date) SELECT 'plan-' || p.id, p.id, 1,"
             " 'current', 'T', 'T', 1, 'T', 'in-person', '2000-01-01' FROM patients p"
             " WHERE p.public_id = '%s' AND NOT EXISTS (SELECT 1 FROM plans x"
             " WHERE x.patient_id = p.id)", pid);
    fx_exec(s, q);
    snprintf(q, sizeof(q),
             "INSERT INTO notes (public_id, kind, form, session_id, service_date, author_id,"
             " due_at, created_at, updated_at, signed_by, signed_at) SELECT 'g-' || ps.id,"
             " 'group', 'group', ps.id, ps.date, 1, 'T', 'T', 'T', 1, 'T'"
             " FROM attendance a JOIN patients p ON p.id = a.patient_id"
             " JOIN program_sessions ps ON ps.id = a.session_id WHERE p.public_id = '%s'"
             " AND a.date = '%s' AND a.minutes > 0 AND ps.kind IN ('group', 'workshop')"
             " AND NOT EXISTS (SELECT 1 FROM notes n WHERE n.session_id = ps.id"
             " AND n.kind = 'group')", pid, date);
    fx_exec(s, q);
    snprintf(q, sizeof(q),
             "INSERT INTO note_sections (note_id, patient_id, participation, response,"
             " updated_at, signed_by, signed_at) SELECT n.id, p.id, 'engaged', 'Took part.',"
             " 'T', 1, 'T' FROM attendance a JOIN patients p ON p.id = a.patient_id"
             " JOIN notes n ON n.session_id = a.session_id AND n.kind = 'group'"
             " WHERE p.public_id = '%s' AND a.date = '%s' AND a.minutes > 0"
             " AND NOT EXISTS (SELECT 1 FROM note_sections x WHERE x.note_id = n.id"
             " AND x.patient_id = p.id)", pid, date);
    fx_exec(s, q);
    snprintf(q, sizeof(q),
             "INSERT INTO notes (public_id, kind, form, session_id, patient_id, service_date,"
             " author_id, due_at, created_at, updated_at, signed_by, signed_at)"
             " SELECT 'i-' || ps.id || '-' || p.id, 'individual', 'dap', ps.id, p.id, ps.date,"
             " 1, 'T', 'T', 'T', 1, 'T' FROM attendance a JOIN patients p"
             " ON p.id = a.patient_id JOIN program_sessions ps ON ps.id = a.session_id"
             " WHERE p.public_id = '%s' AND a.date = '%s' AND a.minutes > 0"
             " AND ps.kind NOT IN ('group', 'workshop') AND NOT EXISTS (SELECT 1 FROM notes n"
             " WHERE n.session_id = ps.id AND n.patient_id = p.id)", pid, date);
    fx_exec(s, q);
}

#endif
