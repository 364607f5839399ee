/* connect_fixture: what test_messages.c and test_journal.c share: a fresh database with two
 * clinicians and an administrator, patients admitted to a counsellor, and an audit entry. */
#ifndef HAVEN_CONNECT_FIXTURE_H
#define HAVEN_CONNECT_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/roles.h"
#include "store/admissions.h"
#include "store/staff.h"
#include "store/store.h"
#include "store_fixture.h"

static char cx_path[64];
static struct store *s;
static long counsellor, other, admin;

static int cx_setup(void **state)
{
    char pub[33];
    int applied, fd;
    (void)state;

    snprintf(cx_path, sizeof(cx_path), "/tmp/haven-connect-XXXXXX");
    assert_true((fd = mkstemp(cx_path)) >= 0);
    close(fd);
    assert_int_equal(store_open(cx_path, &s), E_OK);
    assert_int_equal(store_migrate(s, &applied), E_OK);
    assert_int_equal(store_user_add(s, "c@x.org", "Casey", ROLE_CLINICIAN, 1, pub, &counsellor),
                     E_OK);
    assert_int_equal(store_user_add(s, "o@x.org", "Olin", ROLE_CLINICIAN, 1, pub, &other), E_OK);
    assert_int_equal(store_user_add(s, "a@x.org", "Ada", ROLE_ADMIN, 1, pub, &admin), E_OK);
    return 0;
}

static int cx_teardown(void **state)
{
    (void)state;
    store_close(s);
    fx_unlink(cx_path);
    return 0;
}

static struct audit_entry cx_entry(const char *action, const char *type)
{
    return (struct audit_entry){ .user_email = "patient:test", .roles = "patient",
                                 .action = action, .record_type = type, .outcome = "ok",
                                 .client = "-" };
}

/* A patient counselled by users.id `by`; its row id. */
static long cx_patient(const char *first, long by)
{
    struct admissions_patient p = { .first_name = first, .last_name = "Test",
                                    .date_of_birth = "1990-01-01", .phone = "555-010-0100",
                                    .phone_digits = "5550100100", .emergency_name = "Kin",
                                    .emergency_phone = "555-010-0101",
                                    .emergency_relationship = "sister",
                                    .admission_date = "2026-03-02", .level = "iop",
                                    .status = "active" };
    char q[128];

    assert_int_equal(store_adm_admit_direct(s, &p, by, by, NULL), E_OK);
    snprintf(q, sizeof(q), "SELECT id FROM patients WHERE public_id = '%s'", p.public_id);
    return fx_scalar(s, q);
}

#endif
