/* test_messages: the messages' store (store/messages.h). The reading rule: a patient reads only
 * their own threads, staff only their patients' (the counsellor of the moment) unless admin,
 * anybody else finds "no such thread" and writes nothing; unread counts on each side, marked
 * read when the patient or their counsellor opens a thread but not when an administrator
 * looks; overdue after the response-time target; bad text refused whole; the notification
 * choice off until set, and the address handed over only then. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store/messages.h"
#include "connect_fixture.h"

static long thread_count(void)
{
    return fx_scalar(s, "SELECT count(*) FROM messages");
}

static void test_rule(void **state)
{
    struct message_reader pa = { .patient = 1 }, pb = { .patient = 2 }, c = { .user = 7 },
                          o = { .user = 8 }, ad = { .user = 9, .admin = true }, none = { 0 };
    (void)state;

    assert_true(store_message_may_read(&pa, 1, 7));
    assert_false(store_message_may_read(&pb, 1, 7));
    assert_true(store_message_may_read(&c, 1, 7));
    assert_false(store_message_may_read(&o, 1, 7));
    assert_true(store_message_may_read(&ad, 1, 7));
    assert_false(store_message_may_read(&none, 1, 7));
}

static void test_access(void **state)
{
    long a = cx_patient("Ann", counsellor), b = cx_patient("Bo", other);
    struct message_reader pa = { .patient = a }, pb = { .patient = b }, c = { .user = counsellor },
                          o = { .user = other }, ad = { .user = admin, .admin = true };
    struct audit_entry e = cx_entry("create", "message-thread");
    json_t *t = NULL, *list = NULL;
    char id[33];
    long n, before;
    (void)state;

    assert_int_equal(store_message_thread_start(s, a, "Hi", "Hello there", &e, id), E_OK);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM audit_log WHERE record_type ="
                                  " 'message-thread' AND action = 'create'"),
                     1);
    /* The other patient and the other clinician: no such thread, nothing written. */
    before = thread_count();
    assert_int_equal(store_message_thread_open(s, id, &pb, NULL, &t), E_NOTFOUND);
    assert_null(t);
    assert_int_equal(store_message_thread_open(s, id, &o, NULL, &t), E_NOTFOUND);
    assert_int_equal(store_message_reply(s, id, &pb, "sneak", NULL, NULL, NULL, 0), E_NOTFOUND);
    assert_int_equal(store_message_reply(s, id, &o, "sneak", NULL, NULL, NULL, 0), E_NOTFOUND);
    assert_int_equal(thread_count(), before);
    assert_int_equal(store_message_threads(s, &pb, 24, 0, &list), E_OK);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
    assert_int_equal(store_message_threads(s, &o, 24, 0, &list), E_OK);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
    /* The counsellor: one unread; the admin's look leaves it unread. */
    assert_int_equal(store_message_unread(s, &c, &n), E_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_message_thread_open(s, id, &ad, NULL, &t), E_OK);
    json_decref(t);
    assert_int_equal(store_message_unread(s, &c, &n), E_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_message_threads(s, &ad, 24, 0, &list), E_OK);
    assert_int_equal(json_array_size(list), 1);
    json_decref(list);
    assert_int_equal(store_message_thread_open(s, id, &c, NULL, &t), E_OK);
    assert_int_equal(json_array_size(json_object_get(t, "messages")), 1);
    json_decref(t);
    assert_int_equal(store_message_unread(s, &c, &n), E_OK);
    assert_int_equal(n, 0);
    /* The answer: unread for the patient until they open it. */
    assert_int_equal(store_message_reply(s, id, &c, "Hello Ann", NULL, NULL, NULL, 0), E_OK);
    assert_int_equal(store_message_unread(s, &pa, &n), E_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_message_unread(s, &pb, &n), E_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_message_thread_open(s, id, &pa, NULL, &t), E_OK);
    assert_int_equal(json_array_size(json_object_get(t, "messages")), 2);
    json_decref(t);
    assert_int_equal(store_message_unread(s, &pa, &n), E_OK);
    assert_int_equal(n, 0);
    /* A new counsellor takes over: the old one loses the thread. */
    fx_exec(s, "UPDATE patients SET counsellor_id = (SELECT id FROM users WHERE email ="
               " 'o@x.org') WHERE first_name = 'Ann'");
    assert_int_equal(store_message_thread_open(s, id, &c, NULL, &t), E_NOTFOUND);
    assert_int_equal(store_message_thread_open(s, id, &o, NULL, &t), E_OK);
    json_decref(t);
}

static void test_bad_text_and_overdue(void **state)
{
    long a = cx_patient("Cy", counsellor), before = thread_count();
    struct message_reader c = { .user = counsellor };
    char id[33], big[MESSAGE_BODY_MAX + 2];
    json_t *list = NULL, *t;
    (void)state;

    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(store_message_thread_start(s, a, "", "x", NULL, id), E_INVALID);
    assert_int_equal(store_message_thread_start(s, a, "Hi", "", NULL, id), E_INVALID);
    assert_int_equal(store_message_thread_start(s, a, "Hi", big, NULL, id), E_INVALID);
    assert_int_equal(thread_count(), before);
    big[MESSAGE_BODY_MAX] = '\0';
    assert_int_equal(store_message_thread_start(s, a, "Hi", big, NULL, id), E_OK);
    assert_int_equal(store_message_reply(s, id, &c, "", NULL, NULL, NULL, 0), E_INVALID);
    fx_exec(s, "UPDATE messages SET at = '2026-01-01T00:00:00.000Z' WHERE body LIKE 'xxx%'");
    /* 2026-01-01 + 24 h is the limit: a second more is overdue. */
    assert_int_equal(store_message_threads(s, &c, 24, 1767225600L + 86400, &list), E_OK);
    t = json_array_get(list, 0);
    assert_false(json_is_true(json_object_get(t, "overdue")));
    json_decref(list);
    assert_int_equal(store_message_threads(s, &c, 24, 1767225600L + 86401, &list), E_OK);
    assert_true(json_is_true(json_object_get(json_array_get(list, 0), "overdue")));
    json_decref(list);
    /* Answered: nothing waits. */
    assert_int_equal(store_message_reply(s, id, &c, "Answer", NULL, NULL, NULL, 0), E_OK);
    assert_int_equal(store_message_threads(s, &c, 24, 1767225600L + 86401, &list), E_OK);
    assert_false(json_is_true(json_object_get(json_array_get(list, 0), "overdue")));
    assert_true(json_is_null(json_object_get(json_array_get(list, 0), "waiting_since")));
    json_decref(list);
}

static void test_notify(void **state)
{
    long a = cx_patient("Di", counsellor);
    struct message_reader c = { .user = counsellor };
    char id[33], email[64];
    bool on = true, notify = true;
    (void)state;

    fx_exec(s, "UPDATE patients SET email = 'di@x.org' WHERE first_name = 'Di'");
    assert_int_equal(store_message_notify_get(s, a, &on), E_OK);
    assert_false(on);
    assert_int_equal(store_message_thread_start(s, a, "Hi", "Hello", NULL, id), E_OK);
    assert_int_equal(store_message_reply(s, id, &c, "One", NULL, &notify, email, sizeof(email)),
                     E_OK);
    assert_false(notify);
    assert_int_equal(store_message_notify_set(s, a, true, NULL), E_OK);
    assert_int_equal(store_message_notify_get(s, a, &on), E_OK);
    assert_true(on);
    assert_int_equal(store_message_reply(s, id, &c, "Two", NULL, &notify, email, sizeof(email)),
                     E_OK);
    assert_true(notify);
    assert_string_equal(email, "di@x.org");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule),
        cmocka_unit_test(test_access),
        cmocka_unit_test(test_bad_text_and_overdue),
        cmocka_unit_test(test_notify),
    };
    return cmocka_run_group_tests(tests, cx_setup, cx_teardown);
}
