/* Unit tests for core/log: a JSON line stays one valid JSON object whatever the message holds
 * (quotes, backslashes, a line break a record id could never hold but a bug might). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"

/* Logs one message with stderr sent to a file; returns the line written (caller frees). */
static char *logged(const char *msg)
{
    char path[] = "/tmp/haven-log-XXXXXX", *line = calloc(1, 4096);
    int fd = mkstemp(path), saved = dup(STDERR_FILENO);
    FILE *f;

    assert_true(fd >= 0);
    dup2(fd, STDERR_FILENO);
    log_info("%s", msg);
    dup2(saved, STDERR_FILENO);
    close(saved);
    f = fdopen(fd, "r");
    rewind(f);
    assert_non_null(fgets(line, 4096, f));
    fclose(f);
    unlink(path);
    return line;
}

static void test_json_lines(void **state)
{
    const char *msg = "referral \"x\" \\ done\nnext\ttab";
    char *line;
    json_t *j;
    (void)state;

    assert_int_equal(log_set_format("json"), 0);
    line = logged(msg);
    /* one line: the only line break is the last byte */
    assert_int_equal(strchr(line, '\n') - line, (long)strlen(line) - 1);
    j = json_loads(line, 0, NULL);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "msg")), msg);
    assert_string_equal(json_string_value(json_object_get(j, "level")), "info");
    assert_int_equal(strlen(json_string_value(json_object_get(j, "at"))), 24);
    json_decref(j);
    free(line);
    assert_int_equal(log_set_format("text"), 0);
    line = logged("plain");
    assert_non_null(strstr(line, " info plain\n"));
    free(line);
    assert_int_equal(log_set_format("xml"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_lines),
    };
    return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
