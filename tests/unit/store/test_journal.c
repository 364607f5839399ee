/* test_journal: the journal's store (store/journal.h). Entries are private unless shared;
 * staff's list (shared only) never holds a private entry; only the patient who wrote an entry
 * can change its sharing (another patient's id is "no such entry" and changes nothing); bad
 * text and dates are refused whole; the date counted from is set, changed and cleared. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store/journal.h"
#include "connect_fixture.h"

static void test_sharing(void **state)
{
    long a = cx_patient("Ann", counsellor), b = cx_patient("Bo", counsellor);
    struct audit_entry e = cx_entry("create", "journal-entry");
    char priv[33], shared[33], big[JOURNAL_BODY_MAX + 2];
    json_t *list = NULL;
    (void)state;

    assert_int_equal(store_journal_add(s, a, "2026-05-01", "mine alone", false, &e, priv), E_OK);
    assert_int_equal(store_journal_add(s, a, "2026-05-02", "for Casey", true, NULL, shared), E_OK);
    assert_int_equal(store_journal_list(s, a, true, &list), E_OK);
    assert_int_equal(json_array_size(list), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "body")),
                        "for Casey");
    json_decref(list);
    assert_int_equal(store_journal_list(s, a, false, &list), E_OK);
    assert_int_equal(json_array_size(list), 2);
    json_decref(list);
    assert_int_equal(store_journal_list(s, b, false, &list), E_OK);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
    /* Another patient cannot share it; the writer can, and take it back. */
    assert_int_equal(store_journal_share(s, b, priv, true, NULL), E_NOTFOUND);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM journal_entries WHERE shared = 1"), 1);
    assert_int_equal(store_journal_share(s, a, priv, true, NULL), E_OK);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM journal_entries WHERE shared = 1"), 2);
    assert_int_equal(store_journal_share(s, a, priv, false, NULL), E_OK);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM journal_entries WHERE shared = 1"), 1);
    /* Bad input: nothing lands. */
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(store_journal_add(s, a, "2026-05-03", big, false, NULL, priv), E_INVALID);
    assert_int_equal(store_journal_add(s, a, "2026-05-03", "", false, NULL, priv), E_INVALID);
    assert_int_equal(store_journal_add(s, a, "May 3", "x", false, NULL, priv), E_INVALID);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM journal_entries"), 2);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM audit_log WHERE record_type ="
                                  " 'journal-entry'"),
                     1);
}

static void test_tracked(void **state)
{
    long a = cx_patient("Cy", counsellor);
    char label[JOURNAL_LABEL_MAX + 1], since[11];
    (void)state;

    assert_int_equal(store_journal_tracked_get(s, a, label, since), E_OK);
    assert_string_equal(since, "");
    assert_int_equal(store_journal_tracked_set(s, a, "my last drink", "2026-04-01", NULL), E_OK);
    assert_int_equal(store_journal_tracked_get(s, a, label, since), E_OK);
    assert_string_equal(label, "my last drink");
    assert_string_equal(since, "2026-04-01");
    assert_int_equal(store_journal_tracked_set(s, a, "x", "April", NULL), E_INVALID);
    assert_int_equal(store_journal_tracked_get(s, a, label, since), E_OK);
    assert_string_equal(since, "2026-04-01");
    assert_int_equal(store_journal_tracked_set(s, a, NULL, NULL, NULL), E_OK);
    assert_int_equal(store_journal_tracked_get(s, a, label, since), E_OK);
    assert_string_equal(since, "");
    assert_string_equal(label, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sharing),
        cmocka_unit_test(test_tracked),
    };
    return cmocka_run_group_tests(tests, cx_setup, cx_teardown);
}
