/* Unit tests for core/csv: RFC 4180 cells (quoted when they hold a comma, a quote or a line
 * break, quotes doubled) and a cell a spreadsheet would run as a formula neutralised. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/buf.h"
#include "core/csv.h"

static const char *row(const char *const *cells)
{
    static struct buf b = BUF_INIT;

    buf_reset(&b);
    for (int i = 0; cells[i]; i++)
        csv_cell(&b, cells[i], i == 0);
    return buf_cstr(&b);
}

static void test_cells(void **state)
{
    (void)state;
    assert_string_equal(row((const char *[]){"2026-03-02", "abc", "H0015", NULL}),
                        "2026-03-02,abc,H0015");
    assert_string_equal(row((const char *[]){"Ana", "Smith, Jr.", NULL}), "Ana,\"Smith, Jr.\"");
    assert_string_equal(row((const char *[]){"say \"hi\" twice \"", NULL}),
                        "\"say \"\"hi\"\" twice \"\"\"");
    assert_string_equal(row((const char *[]){"two\nlines", "", NULL}), "\"two\nlines\",");
    /* A formula's first character is shown, not run. */
    assert_string_equal(row((const char *[]){"=1+1", "+A1", "-2", "@SUM(A1)", NULL}),
                        "'=1+1,'+A1,'-2,'@SUM(A1)");
    assert_string_equal(row((const char *[]){"=\"x\",y", NULL}), "\"'=\"\"x\"\",y\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
