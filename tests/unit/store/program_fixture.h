/* program_fixture: what the program's store tests (test_program.c, test_program_reports.c,
 * test_transitions.c) seed alike: a temporary database, migrated, with the clinician c@x.org;
 * a date of its text; a patient admitted directly on 2026-03-02. Data goes in through the
 * store. Included after cmocka.h, the store headers and store_fixture.h. */
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

#endif
