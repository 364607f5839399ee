/* test_tmpl: mustache semantics of web/tmpl.c, each case checked against its exact output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "web/tmpl.h"

/* Renders template "t" (plus NULL-terminated name/source pairs of partials) against json;
 * returns the output (caller frees) or NULL when parsing or rendering failed. */
static char *render_with(const char *src, const char *json, ...)
{
    struct tmpl_set *s = tmpl_set_new();
    struct buf out = BUF_INIT, err = BUF_INIT;
    json_t *model = json_loads(json, JSON_DECODE_ANY, NULL);
    const char *pname, *psrc;
    char *ret = NULL;
    va_list ap;

    assert_non_null(model);
    va_start(ap, json);
    while ((pname = va_arg(ap, const char *))) {
        psrc = va_arg(ap, const char *);
        assert_int_equal(tmpl_set_add(s, pname, psrc, strlen(psrc), &err), 0);
    }
    va_end(ap);
    if (tmpl_set_add(s, "t", src, strlen(src), &err) == 0 && tmpl_render(s, "t", model, &out) == 0)
        ret = buf_detach(&out, NULL);
    buf_free(&out);
    buf_free(&err);
    json_decref(model);
    tmpl_set_free(s);
    return ret;
}

static void check(const char *src, const char *json, const char *want)
{
    char *got = render_with(src, json, NULL);

    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

/* Expects tmpl_set_add to fail with exactly this message. */
static void check_error(const char *src, const char *want)
{
    struct tmpl_set *s = tmpl_set_new();
    struct buf err = BUF_INIT, out = BUF_INIT;

    assert_int_equal(tmpl_set_add(s, "page", src, strlen(src), &err), -1);
    assert_string_equal(buf_cstr(&err), want);
    /* a template that failed to parse is not in the set */
    assert_int_equal(tmpl_render(s, "page", NULL, &out), -1);
    buf_free(&err);
    buf_free(&out);
    tmpl_set_free(s);
}

static void test_escape(void **state)
{
    (void)state;
    check("<p>{{x}}</p>", "{\"x\": \"a & b < c > d \\\" e ' f ` g\"}",
          "<p>a &amp; b &lt; c &gt; d &quot; e &#39; f &#96; g</p>");
    check("{{ x }}|{{x}}", "{\"x\": \"&&\"}", "&amp;&amp;|&amp;&amp;");
}

static void test_raw(void **state)
{
    (void)state;
    check("{{{x}}}|{{& x}}|{{{ x }}}|{{&x}}", "{\"x\": \"<b>&'\"}", "<b>&'|<b>&'|<b>&'|<b>&'");
}

static void test_scalars(void **state)
{
    (void)state;
    check("[{{i}}][{{n}}][{{r}}][{{e}}][{{t}}][{{f}}][{{z}}][{{m}}][{{o}}][{{a}}]",
          "{\"i\": 42, \"n\": -9007199254740993, \"r\": 1.5, \"e\": 1e20, \"t\": true,"
          " \"f\": false, \"z\": null, \"o\": {\"k\": 1}, \"a\": [1]}",
          "[42][-9007199254740993][1.5][1e+20][true][][][][][]");
    check("{{a}} {{b}} {{c}}", "{\"a\": -9223372036854775808, \"b\": 9223372036854775807, "
          "\"c\": 0}", "-9223372036854775808 9223372036854775807 0");
    check("a{{x}}b", "{}", "ab");
    check("no tags at all\n", "{}", "no tags at all\n");
    check("", "{}", "");
    check("a { b } {c} }} {", "{}", "a { b } {c} }} {");
}

static void test_section_array(void **state)
{
    (void)state;
    check("<ul>{{#items}}<li>{{name}}</li>{{/items}}</ul>",
          "{\"items\": [{\"name\": \"a\"}, {\"name\": \"<b>\"}, {}]}",
          "<ul><li>a</li><li>&lt;b&gt;</li><li></li></ul>");
    check("{{#xs}}({{.}}){{/xs}}", "{\"xs\": [1, \"two\", 3.25, true, null]}",
          "(1)(two)(3.25)(true)()");
    check("{{#xs}}[{{#.}}{{.}},{{/.}}]{{/xs}}", "{\"xs\": [[1, 2], [], [3]]}", "[1,2,][][3,]");
    check("a{{#xs}}x{{/xs}}b", "{\"xs\": []}", "ab");
    /* A template whose only tag is {{.}} has no names at all: no pointer arithmetic on NULL
     * (UBSan, which the sanitizer run makes fatal, caught it). */
    check("{{.}}", "\"<only>\"", "&lt;only&gt;");
}

static void test_section_values(void **state)
{
    (void)state;
    check("{{#o}}{{k}}{{/o}}", "{\"o\": {\"k\": \"v\"}}", "v");
    check("{{#o}}yes{{/o}}", "{\"o\": {}}", "yes");
    check("{{#b}}yes{{/b}}", "{\"b\": true}", "yes");
    check("{{#b}}yes{{/b}}", "{\"b\": false}", "");
    check("{{#b}}yes{{/b}}", "{\"b\": null}", "");
    check("{{#b}}yes{{/b}}", "{}", "");
    check("{{#s}}yes{{/s}}", "{\"s\": \"\"}", "");
    check("{{#s}}<{{.}}>{{/s}}", "{\"s\": \"str\"}", "<str>");
    check("{{#n}}<{{.}}>{{/n}}", "{\"n\": 0}", "<0>");
    check("{{#n}}<{{.}}>{{/n}}", "{\"n\": 0.0}", "<0>");
}

static void test_inverted(void **state)
{
    (void)state;
    check("{{^x}}none{{/x}}", "{}", "none");
    check("{{^x}}none{{/x}}", "{\"x\": null}", "none");
    check("{{^x}}none{{/x}}", "{\"x\": false}", "none");
    check("{{^x}}none{{/x}}", "{\"x\": []}", "none");
    check("{{^x}}none{{/x}}", "{\"x\": \"\"}", "none");
    check("{{^x}}none{{/x}}", "{\"x\": [1]}", "");
    check("{{^x}}none{{/x}}", "{\"x\": 0}", "");
    check("{{^x}}none{{/x}}", "{\"x\": {}}", "");
    check("{{#xs}}{{.}}{{/xs}}{{^xs}}empty{{/xs}}", "{\"xs\": []}", "empty");
    check("{{^a}}{{^b}}{{c}}{{/b}}{{/a}}", "{\"c\": \"deep\"}", "deep");
}

static void test_context_stack(void **state)
{
    (void)state;
    check("{{#a}}{{#b}}{{x}}-{{y}}-{{z}}{{/b}}{{/a}}",
          "{\"x\": \"root\", \"a\": {\"y\": \"mid\", \"b\": {\"z\": \"in\"}}}", "root-mid-in");
    /* the innermost binding wins */
    check("{{x}}{{#a}}{{x}}{{#b}}{{x}}{{/b}}{{x}}{{/a}}{{x}}",
          "{\"x\": 1, \"a\": {\"x\": 2, \"b\": {\"x\": 3}}}", "12321");
    /* array elements see their parents */
    check("{{#rows}}{{id}}:{{label}};{{/rows}}", "{\"label\": \"L\", \"rows\": [{\"id\": 1}, "
          "{\"id\": 2, \"label\": \"own\"}]}", "1:L;2:own;");
}

static void test_dotted(void **state)
{
    (void)state;
    check("{{a.b.c}}", "{\"a\": {\"b\": {\"c\": \"<deep>\"}}}", "&lt;deep&gt;");
    check("{{{a.b.c}}}", "{\"a\": {\"b\": {\"c\": \"<deep>\"}}}", "<deep>");
    check("{{#a.b}}{{c}}{{/a.b}}", "{\"a\": {\"b\": {\"c\": 7}}}", "7");
    check("{{^a.x}}missing{{/a.x}}", "{\"a\": {\"b\": 1}}", "missing");
    /* the first part goes up the stack, the rest only inside what it found */
    check("{{#o}}{{a.b}}{{/o}}", "{\"a\": {\"b\": \"outer\"}, \"o\": {\"x\": 1}}", "outer");
    check("{{#o}}[{{a.b}}]{{/o}}", "{\"a\": {\"b\": \"outer\"}, \"o\": {\"a\": {\"c\": 1}}}",
          "[]");
    check("[{{a.b}}][{{s.len}}]", "{\"a\": [1], \"s\": \"text\"}", "[][]");
}

static void test_dot(void **state)
{
    (void)state;
    check("{{.}}", "\"<top>\"", "&lt;top&gt;");
    check("{{{.}}}", "\"<top>\"", "<top>");
    check("[{{.}}]", "{\"a\": 1}", "[]");
    check("{{#a}}{{.}}{{/a}}", "{\"a\": 12}", "12");
}

static void test_partials(void **state)
{
    char *got;

    (void)state;
    got = render_with("<p>{{> item}}</p>", "{\"x\": \"&\"}", "item", "[{{x}}]", NULL);
    assert_non_null(got);
    assert_string_equal(got, "<p>[&amp;]</p>");
    free(got);
    /* a partial renders in the caller's context */
    got = render_with("{{#xs}}{{>li}}{{/xs}}", "{\"xs\": [{\"n\": 1}, {\"n\": 2}]}", "li",
                      "<li>{{n}}</li>", NULL);
    assert_non_null(got);
    assert_string_equal(got, "<li>1</li><li>2</li>");
    free(got);
    /* recursion driven by the data terminates */
    /* (leaves say kids: [] or the lookup would find their parent's kids up the stack) */
    got = render_with("{{>node}}", "{\"n\": \"a\", \"kids\": [{\"n\": \"b\", \"kids\": "
                      "[{\"n\": \"c\", \"kids\": []}]}, {\"n\": \"d\", \"kids\": []}]}",
                      "node", "{{n}}({{#kids}}{{>node}}{{/kids}})", NULL);
    assert_non_null(got);
    assert_string_equal(got, "a(b(c())d())");
    free(got);
}

static void test_partial_failures(void **state)
{
    struct tmpl_set *s = tmpl_set_new();
    struct buf out = BUF_INIT;
    const char *loop = "x{{>loop}}";

    (void)state;
    assert_null(render_with("a{{>nope}}b", "{}", NULL));
    assert_null(render_with("{{#a}}{{>nope}}{{/a}}", "{\"a\": true}", NULL));
    /* a missing partial in a skipped section does no harm */
    check("a{{#a}}{{>nope}}{{/a}}b", "{}", "ab");
    /* endless recursion stops at the nesting limit */
    assert_int_equal(tmpl_set_add(s, "loop", loop, strlen(loop), NULL), 0);
    assert_int_equal(tmpl_render(s, "loop", NULL, &out), -1);
    assert_int_equal(tmpl_render(s, "missing", NULL, &out), -1);
    buf_free(&out);
    tmpl_set_free(s);
}

static void test_partial_indent(void **state)
{
    char *got;

    (void)state;
    got = render_with("<ul>\n  {{>li}}\n</ul>\n", "{\"x\": \"a\\nb\"}", "li",
                      "<li>\n  {{x}}\n</li>\n", NULL);
    assert_non_null(got);
    assert_string_equal(got, "<ul>\n  <li>\n    a\nb\n  </li>\n</ul>\n");
    free(got);
    /* inline partials are not indented */
    got = render_with("  x {{>p}}\n", "{}", "p", "1\n2\n", NULL);
    assert_non_null(got);
    assert_string_equal(got, "  x 1\n2\n\n");
    free(got);
}

static void test_comments(void **state)
{
    (void)state;
    check("a{{! a comment }}b", "{}", "ab");
    check("a{{!}}b", "{}", "ab");
    check("a\n{{! multi\nline }}\nb\n", "{}", "a\nb\n");
    check("a {{! inline }}\nb", "{}", "a \nb");
}

static void test_standalone(void **state)
{
    (void)state;
    check("<ul>\n  {{#xs}}\n  <li>{{.}}</li>\n  {{/xs}}\n</ul>\n", "{\"xs\": [1, 2]}",
          "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>\n");
    check("a\n\t{{^xs}}  \nnone\n{{/xs}}\nb", "{}", "a\nnone\nb");
    check("a\r\n{{#b}}\r\nyes\r\n{{/b}}\r\nz", "{\"b\": true}", "a\r\nyes\r\nz");
    check("{{#b}}\nyes\n{{/b}}", "{\"b\": true}", "yes\n");
    check("  {{#b}}\nx\n  {{/b}}  ", "{\"b\": true}", "x\n");
    /* not alone on the line: kept as written */
    check(" {{#b}}x{{/b}} \n", "{\"b\": true}", " x \n");
    check("a {{#b}}\nx\n{{/b}}", "{\"b\": true}", "a \nx\n");
    /* variables are never standalone */
    check("  {{x}}\n", "{\"x\": \"v\"}", "  v\n");
    check("  {{x}}\n", "{}", "  \n");
}

static void test_parse_errors(void **state)
{
    (void)state;
    check_error("<p>\n{{#a}}\nx\n", "template page line 2: unclosed section 'a'");
    check_error("{{#a}}\n{{#b}}\n{{/a}}\n{{/b}}",
                "template page line 3: close tag 'a' does not match section 'b' (line 2)");
    check_error("x\n\n{{/a}}", "template page line 3: unexpected close tag 'a'");
    check_error("a\nb {{x\n", "template page line 2: unterminated tag");
    check_error("a\nb {{{x}}\n", "template page line 2: unterminated tag");
    check_error("a\n{{!never closed", "template page line 2: unterminated tag");
    check_error("{{", "template page line 1: unterminated tag");
    check_error("\n\n\n{{}}", "template page line 4: empty name");
    check_error("{{  }}", "template page line 1: empty name");
    check_error("{{# }}{{/ }}", "template page line 1: empty name");
    check_error("{{{}}}", "template page line 1: empty name");
    check_error("{{>}}", "template page line 1: empty name");
    check_error("{{a..b}}", "template page line 1: bad name 'a..b'");
    check_error("{{.a}}", "template page line 1: bad name '.a'");
    check_error("{{a b}}", "template page line 1: bad name 'a b'");
    check_error("{{=<% %>=}}", "template page line 1: delimiter changes are not supported");
}

static void test_error_accumulates(void **state)
{
    struct tmpl_set *s = tmpl_set_new();
    struct buf err = BUF_INIT;

    (void)state;
    assert_int_equal(tmpl_set_add(s, "a", "{{#x}}", 6, &err), -1);
    assert_int_equal(tmpl_set_add(s, "b", "ok", 2, &err), 0);
    assert_int_equal(tmpl_set_add(s, "b", "again", 5, &err), -1);
    assert_string_equal(buf_cstr(&err), "template a line 1: unclosed section 'x'\n"
                                         "template b line 1: a template of that name already "
                                         "exists");
    buf_free(&err);
    tmpl_set_free(s);
}

static void test_limit(void **state)
{
    struct tmpl_set *s = tmpl_set_new();
    struct buf out = BUF_INIT;
    const char *src = "{{#xs}}<{{.}}>{{/xs}}";
    json_t *model = json_pack("{s:[i,i,i]}", "xs", 1, 2, 3);

    (void)state;
    assert_int_equal(tmpl_set_add(s, "t", src, strlen(src), NULL), 0);
    out.limit = 9; /* exactly "<1><2><3>" */
    assert_int_equal(tmpl_render(s, "t", model, &out), 0);
    assert_string_equal(buf_cstr(&out), "<1><2><3>");
    buf_free(&out);
    out.limit = 8;
    assert_int_equal(tmpl_render(s, "t", model, &out), -1);
    assert_true(out.over);
    assert_string_equal(buf_cstr(&out), "<1><2><3");
    buf_free(&out);
    json_decref(model);
    tmpl_set_free(s);
}

/* Builds n nested sections {{#o}}..{{/o}} around {{v}} and a model nested to match. */
static char *nest(int n, json_t **model)
{
    struct buf b = BUF_INIT;
    json_t *m = json_pack("{s:s}", "v", "in");
    int i;

    for (i = 0; i < n; i++)
        buf_adds(&b, "{{#o}}");
    buf_adds(&b, "{{v}}");
    for (i = 0; i < n; i++) {
        buf_adds(&b, "{{/o}}");
        m = json_pack("{s:o}", "o", m);
    }
    *model = m;
    return buf_detach(&b, NULL);
}

static void test_depth_limit(void **state)
{
    struct tmpl_set *s = tmpl_set_new();
    struct buf out = BUF_INIT;
    json_t *model;
    char *src;

    (void)state;
    src = nest(31, &model); /* the model plus 31 sections: the full stack of 32 */
    assert_int_equal(tmpl_set_add(s, "ok", src, strlen(src), NULL), 0);
    assert_int_equal(tmpl_render(s, "ok", model, &out), 0);
    assert_string_equal(buf_cstr(&out), "in");
    free(src);
    json_decref(model);
    buf_free(&out);
    src = nest(32, &model);
    assert_int_equal(tmpl_set_add(s, "deep", src, strlen(src), NULL), 0);
    assert_int_equal(tmpl_render(s, "deep", model, &out), -1);
    free(src);
    json_decref(model);
    buf_free(&out);
    tmpl_set_free(s);
}

static void test_reuse(void **state)
{
    struct tmpl_set *s = tmpl_set_new();
    struct buf out = BUF_INIT;
    const char *src = "{{#xs}}{{.}},{{/xs}}";
    json_t *a = json_pack("{s:[i,i]}", "xs", 1, 2), *b = json_pack("{s:[s]}", "xs", "z");

    (void)state;
    assert_int_equal(tmpl_set_add(s, "t", src, strlen(src), NULL), 0);
    assert_int_equal(tmpl_render(s, "t", a, &out), 0);
    assert_int_equal(tmpl_render(s, "t", b, &out), 0);
    assert_int_equal(tmpl_render(s, "t", a, &out), 0);
    assert_string_equal(buf_cstr(&out), "1,2,z,1,2,");
    buf_free(&out);
    json_decref(a);
    json_decref(b);
    tmpl_set_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),          cmocka_unit_test(test_raw),
        cmocka_unit_test(test_scalars),         cmocka_unit_test(test_section_array),
        cmocka_unit_test(test_section_values),  cmocka_unit_test(test_inverted),
        cmocka_unit_test(test_context_stack),   cmocka_unit_test(test_dotted),
        cmocka_unit_test(test_dot),             cmocka_unit_test(test_partials),
        cmocka_unit_test(test_partial_failures), cmocka_unit_test(test_partial_indent),
        cmocka_unit_test(test_comments),        cmocka_unit_test(test_standalone),
        cmocka_unit_test(test_parse_errors),    cmocka_unit_test(test_error_accumulates),
        cmocka_unit_test(test_limit),           cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_reuse),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
