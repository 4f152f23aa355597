/* svg: text from the data escaped for HTML and SVG, and the shapes'
 * markup, so that nothing a SIMPEG record holds becomes markup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "svg.h"
#include "util.h"

static void test_escape(void **state)
{
    static const struct {
        const char *in, *want;
    } rows[] = {
        {"Dinas Kehutanan", "Dinas Kehutanan"},
        {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
        {"a & b", "a &amp; b"},
        {"\"quoted\" 'single'", "&quot;quoted&quot; &#39;single&#39;"},
        {"x\" onmouseover=\"alert(1)", "x&quot; onmouseover=&quot;alert(1)"},
        {"&amp;", "&amp;amp;"},
        {"line\nbreak\ttab", "line break tab"},
        {"bell\x07 esc\x1b[31m", "bell esc[31m"},
        /* U+202E RIGHT-TO-LEFT OVERRIDE and U+2066 LEFT-TO-RIGHT ISOLATE dropped */
        {"abc\xe2\x80\xae"
         "def\xe2\x81\xa6",
         "abcdef"},
        {"Sri Rahayu, S.Pd.", "Sri Rahayu, S.Pd."},
        {"Bu\xc3\xb1uel", "Bu\xc3\xb1uel"},
        {"", ""},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct strbuf b = {0};

        strbuf_addn(&b, "", 0);
        svg_escape(&b, rows[i].in);
        if (strcmp(b.s, rows[i].want) != 0) {
            print_error("escape(\"%s\") = \"%s\", want \"%s\"\n", rows[i].in, b.s, rows[i].want);
            fail();
        }
        strbuf_free(&b);
    }
}

static void test_escape_null(void **state)
{
    struct strbuf b = {0};

    (void)state;
    strbuf_addn(&b, "x", 1);
    svg_escape(&b, NULL);
    assert_string_equal(b.s, "x");
    strbuf_free(&b);
}

static void test_text_and_label(void **state)
{
    struct strbuf b = {0};

    (void)state;
    svg_begin(&b, "chart-x", 100, 50, "<b>label</b>");
    svg_text(&b, 1, 2, SVG_END, "val", "opd.0.total", "<i>81.00</i>");
    svg_end(&b);
    assert_string_equal(b.s, "<svg id=\"chart-x\" class=\"chart\" viewBox=\"0 0 100 50\""
                             " width=\"100%\" role=\"img\" aria-label=\"&lt;b&gt;label&lt;/b&gt;\">"
                             "<text x=\"1.0\" y=\"2.0\" text-anchor=\"end\" class=\"val\""
                             " data-k=\"opd.0.total\">&lt;i&gt;81.00&lt;/i&gt;</text></svg>\n");
    strbuf_free(&b);
}

static void test_shapes(void **state)
{
    struct strbuf b = {0};
    double xs[] = {0, 10.25, 20}, ys[] = {5, 6, 7.5};

    (void)state;
    svg_rect(&b, 1, 2, -3, 4, "#ffffff");
    svg_line(&b, 0, 0, 10, 10, "#000000", 2, true);
    svg_polyline(&b, xs, ys, 3, "#111111", 3);
    assert_string_equal(b.s, "<rect x=\"1.0\" y=\"2.0\" width=\"0.0\" height=\"4.0\""
                             " fill=\"#ffffff\"/>"
                             "<line x1=\"0.0\" y1=\"0.0\" x2=\"10.0\" y2=\"10.0\""
                             " stroke=\"#000000\" stroke-width=\"2.0\""
                             " stroke-dasharray=\"6 4\"/>"
                             "<polyline fill=\"none\" stroke=\"#111111\" stroke-width=\"3.0\""
                             " points=\"0.0,5.0 10.2,6.0 20.0,7.5\"/>");
    strbuf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_escape_null),
        cmocka_unit_test(test_text_and_label),
        cmocka_unit_test(test_shapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
