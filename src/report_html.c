/* The report as one self-contained HTML page for a meeting's screen or
 * paper: inline CSS, inline SVG charts drawn here, no script and nothing
 * fetched, so it opens offline, travels by mail and prints to A4
 * landscape. Every text from the data is escaped (svg.c); every number
 * carries a data-k attribute naming its place in the JSON report, so the
 * page can be checked against it. A section is one function in the list
 * at the end. */
#include "autoconfig.h"

#include "report_int.h"
#include "report_official.h"
#include "svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct html {
    const struct report *rep;
    struct strbuf b;
};

/* ---- pieces ------------------------------------------------------------------ */

static void raw(struct html *h, const char *s)
{
    strbuf_addn(&h->b, s, strlen(s));
}

static void text(struct html *h, const char *s)
{
    svg_escape(&h->b, s);
}

/* A number of hundredths with its JSON key. */
static void num(struct html *h, const char *key, long long v, bool plus)
{
    char buf[32];

    strbuf_append(&h->b, "<span class=\"n\" data-k=\"%s\">%s</span>", key,
                  fmt_hundredths(buf, sizeof(buf), v, plus));
}

static void count(struct html *h, const char *key, long long v)
{
    strbuf_append(&h->b, "<span class=\"n\" data-k=\"%s\">%lld</span>", key, v);
}

static void section_begin(struct html *h, const char *id, const char *title)
{
    strbuf_append(&h->b, "<section id=\"%s\"><h2>", id);
    text(h, title);
    raw(h, "</h2>\n");
}

static void section_end(struct html *h)
{
    raw(h, "</section>\n");
}

/* The colour of a category, by its official name. */
static const char *category_colour(const char *category)
{
    static const struct {
        const char *name, *colour;
    } colours[] = {
        {"Sangat Tinggi", "#1b7f3b"}, {"Tinggi", "#5aa83a"},        {"Sedang", "#e0a800"},
        {"Rendah", "#e06c1a"},        {"Sangat Rendah", "#c62828"},
    };

    for (size_t i = 0; i < ARRAY_SIZE(colours); i++)
        if (category && strcmp(category, colours[i].name) == 0)
            return colours[i].colour;
    return "#777777";
}

static void badge(struct html *h, const char *category)
{
    strbuf_append(&h->b, "<span class=\"badge\" style=\"background:%s\">",
                  category_colour(category));
    text(h, category);
    raw(h, "</span>");
}

/* An OPD's name for a chart label: whole when short, else abbreviated as
 * the table does. */
static void opd_label(char *dst, size_t size, const struct opd_row *o, int width)
{
    size_t n;

    report_abbrev(dst, size, o->name ? o->name : o->id, width);
    n = strlen(dst);
    while (n && dst[n - 1] == ' ')
        dst[--n] = '\0';
}

static const char *h2(char *buf, size_t size, long long v)
{
    return fmt_hundredths(buf, size, v, false);
}

/* ---- what a section in another file writes with ----------------------------- */

const struct report *report_html_report(const struct html *h)
{
    return h->rep;
}

void report_html_section_begin(struct html *h, const char *id, const char *title)
{
    section_begin(h, id, title);
}

void report_html_section_end(struct html *h)
{
    section_end(h);
}

void report_html_text(struct html *h, const char *s)
{
    text(h, s);
}

void report_html_markup(struct html *h, const char *markup)
{
    raw(h, markup);
}

void report_html_number(struct html *h, const char *key, long long hundredths, bool plus)
{
    num(h, key, hundredths, plus);
}

void report_html_count(struct html *h, const char *key, long long v)
{
    count(h, key, v);
}

struct strbuf *report_html_buf(struct html *h)
{
    return &h->b;
}

/* ---- the headline and its trend ---------------------------------------------- */

/* The chart's frame: days on x from x0 to x1, hundredths on y from y0 to
 * y1, into the plot box. */
struct frame {
    double left, top, width, height;
    int x0, x1;
    long long y0, y1;
};

static double fx(const struct frame *f, double day)
{
    return f->left + (day - f->x0) * f->width / (f->x1 - f->x0);
}

static double fy(const struct frame *f, double v)
{
    return f->top + f->height - (v - (double)f->y0) * f->height / (double)(f->y1 - f->y0);
}

/* The value range the trend chart shows: the series, the target and the
 * projection, with a point of air, on whole points. */
static void trend_range(const struct report *rep, struct frame *f)
{
    long long lo = rep->target, hi = rep->target;
    const struct trend_fit *fit = &rep->inst.trend.fit;

    if (rep->inst.present) {
        lo = lo < rep->inst.total ? lo : rep->inst.total;
        hi = hi > rep->inst.total ? hi : rep->inst.total;
    }
    for (size_t i = 0; i < rep->n_series; i++) {
        lo = lo < rep->series[i].value ? lo : rep->series[i].value;
        hi = hi > rep->series[i].value ? hi : rep->series[i].value;
    }
    if (fit->enough) {
        lo = lo < fit->projected ? lo : fit->projected;
        hi = hi > fit->projected ? hi : fit->projected;
    }
    f->y0 = div_floor(lo - 100, 100) * 100;
    f->y1 = (hi + 100 + 99) / 100 * 100;
    if (f->y0 < 0)
        f->y0 = 0;
    if (f->y1 > 10000)
        f->y1 = 10000;
    if (f->y1 <= f->y0)
        f->y1 = f->y0 + 100;
}

static void trend_axes(struct html *h, const struct frame *f)
{
    const struct report *rep = h->rep;
    long long step = (f->y1 - f->y0) / 500 * 100;
    char buf[64], d[16];

    if (step < 100)
        step = 100;
    for (long long v = f->y0; v <= f->y1; v += step) {
        svg_line(&h->b, f->left, fy(f, (double)v), f->left + f->width, fy(f, (double)v), "#e3e3e3",
                 1, false);
        snprintf(buf, sizeof(buf), "%lld", v / 100);
        svg_text(&h->b, f->left - 6, fy(f, (double)v) + 4, SVG_END, "axis", NULL, buf);
    }
    for (int day = f->x0; day <= f->x1; day++) {
        int y, m, dd;

        date_to_ymd(rep->today + day, &y, &m, &dd);
        if (day != 0 && dd != 1 && dd % 7 != 0)
            continue;
        snprintf(d, sizeof(d), "%d/%d", dd, m);
        svg_text(&h->b, fx(f, day), f->top + f->height + 16, SVG_MIDDLE, "axis", NULL, d);
    }
}

/* The target as a line across, the cut-off as a line down. */
static void trend_marks(struct html *h, const struct frame *f)
{
    const struct report *rep = h->rep;
    char buf[96], v[32], d[16];
    int cut = rep->as_of - rep->today;

    svg_line(&h->b, f->left, fy(f, (double)rep->target), f->left + f->width,
             fy(f, (double)rep->target), "#c62828", 2, true);
    snprintf(buf, sizeof(buf), "%s %s", report_word(rep, W_TARGET), h2(v, sizeof(v), rep->target));
    svg_text(&h->b, f->left + 4, fy(f, (double)rep->target) - 6, SVG_START, "mark", NULL, buf);
    if (cut >= f->x0 && cut <= f->x1) {
        svg_line(&h->b, fx(f, cut), f->top, fx(f, cut), f->top + f->height, "#444444", 2, false);
        snprintf(buf, sizeof(buf), "%s %s", report_word(rep, W_CUTOFF),
                 date_format(rep->as_of, d, sizeof(d)));
        svg_text(&h->b, fx(f, cut) - 4, f->top + f->height - 6, SVG_END, "mark", NULL, buf);
    }
}

static void trend_chart(struct html *h)
{
    const struct report *rep = h->rep;
    const struct trend_fit *fit = &rep->inst.trend.fit;
    struct frame f = {.left = 48, .top = 10, .width = 820, .height = 230};
    int cut = rep->as_of - rep->today;
    double *xs = xcalloc(rep->n_series + 1, sizeof(double));
    double *ys = xcalloc(rep->n_series + 1, sizeof(double));

    f.x0 = rep->n_series && rep->series[0].day < -(TREND_WINDOW - 1) ? rep->series[0].day
                                                                     : -(TREND_WINDOW - 1);
    f.x1 = cut > 0 ? cut + 1 : 1;
    trend_range(rep, &f);
    svg_begin(&h->b, "chart-trend", 900, 270, report_word(rep, W_TREND));
    trend_axes(h, &f);
    trend_marks(h, &f);
    if (fit->enough) {
        int from = 0;

        /* from the first day the line was fitted over */
        for (size_t i = rep->n_series; i-- > 0 && rep->series[i].day > -TREND_WINDOW;)
            from = rep->series[i].day;

        svg_line(&h->b, fx(&f, from), fy(&f, fit->intercept + fit->slope * from), fx(&f, cut),
                 fy(&f, fit->intercept + fit->slope * cut), "#6b8fd6", 2, true);
        svg_circle(&h->b, fx(&f, cut), fy(&f, (double)fit->projected), 5, "#6b8fd6");
    }
    for (size_t i = 0; i < rep->n_series; i++) {
        xs[i] = fx(&f, rep->series[i].day);
        ys[i] = fy(&f, (double)rep->series[i].value);
    }
    if (rep->n_series > 1)
        svg_polyline(&h->b, xs, ys, rep->n_series, "#1f4e9c", 3);
    for (size_t i = 0; i < rep->n_series; i++)
        svg_circle(&h->b, xs[i], ys[i], 4, "#1f4e9c");
    if (!fit->enough)
        svg_text(&h->b, f.left + f.width / 2, f.top + f.height / 2, SVG_MIDDLE, "note", NULL,
                 report_word(rep, W_NOT_ENOUGH));
    svg_end(&h->b);
    free(xs);
    free(ys);
}

/* "+0.40" with its key, or the words for no history. */
static void change(struct html *h, const char *key, bool has, long long v)
{
    if (has)
        num(h, key, v, true);
    else
        text(h, report_word(h->rep, W_NO_HISTORY));
}

static void headline_pace(struct html *h)
{
    const struct report *rep = h->rep;
    const struct trend_fit *f = &rep->inst.trend.fit;
    char buf[32];

    raw(h, "<p class=\"pace\">");
    text(h, report_word(rep, W_CHANGE));
    raw(h, " ");
    text(h, report_word(rep, W_CHANGE_7D));
    raw(h, ": ");
    change(h, "instansi.change_7d", rep->inst.trend.has_7d, rep->inst.trend.change_7d);
    raw(h, " &middot; ");
    text(h, report_word(rep, W_CHANGE_30D));
    raw(h, ": ");
    change(h, "instansi.change_30d", rep->inst.trend.has_30d, rep->inst.trend.change_30d);
    raw(h, " &middot; ");
    text(h, report_word(rep, W_PACE));
    raw(h, ": ");
    if (f->enough) {
        strbuf_append(&h->b, "%s ", fmt_hundredths(buf, sizeof(buf), llround(f->slope), true));
        text(h, report_word(rep, W_PACE_PER_DAY));
        raw(h, ", ");
        num(h, "instansi.pace.projected", f->projected, false);
        raw(h, " ");
        text(h, report_word(rep, W_PROJECTED));
        strbuf_append(&h->b, " &mdash; <strong class=\"%s\">", f->reaches ? "ok" : "bad");
        text(h, report_word(rep, f->reaches ? W_ON_PACE : W_OFF_PACE));
        raw(h, "</strong>");
    } else {
        text(h, report_word(rep, W_NOT_ENOUGH));
        strbuf_append(&h->b, " (%d/%d %s)", f->days, TREND_MIN_DAYS, report_word(rep, W_DAYS));
    }
    raw(h, "</p>\n");
}

static void section_headline(struct html *h)
{
    const struct report *rep = h->rep;
    const struct instansi_row *in = &rep->inst;
    long long gap = rep->target - in->total;
    char buf[64];

    section_begin(h, "headline", report_word(rep, W_INSTANSI));
    raw(h, "<div class=\"kpis\"><div class=\"kpi main\"><div class=\"big\">");
    num(h, "instansi.total", in->total, false);
    raw(h, "</div>");
    badge(h, in->category);
    raw(h, "</div><div class=\"kpi\"><div class=\"label\">");
    text(h, report_word(rep, W_TARGET));
    raw(h, "</div><div class=\"mid\">");
    num(h, "instansi.target", rep->target, false);
    strbuf_append(&h->b, "</div><div class=\"%s\">", gap > 0 ? "bad" : "ok");
    text(h, report_word(rep, gap > 0 ? W_NOT_REACHED : W_REACHED));
    strbuf_append(&h->b, " %s", h2(buf, sizeof(buf), gap > 0 ? gap : -gap));
    raw(h, "</div></div><div class=\"kpi\"><div class=\"label\">");
    snprintf(buf, sizeof(buf), "%s (%d)", report_word(rep, W_PREVIOUS), rep->period - 1);
    text(h, buf);
    raw(h, "</div><div class=\"mid\">");
    if (in->has_previous) {
        num(h, "instansi.previous", in->previous, false);
        raw(h, "</div><div>");
        text(h, report_word(rep, W_CHANGE));
        raw(h, " ");
        num(h, "instansi.change", in->total - in->previous, true);
    } else {
        raw(h, "&ndash;");
    }
    raw(h, "</div></div><div class=\"kpi\"><div class=\"label\">");
    text(h, report_word(rep, W_CUTOFF));
    raw(h, "</div><div class=\"mid\">");
    count(h, "instansi.days_to_cutoff", rep->days_to_cutoff);
    strbuf_append(&h->b, " %s</div><div>", report_word(rep, W_DAYS));
    text(h, date_format(rep->as_of, buf, sizeof(buf)));
    raw(h, "</div></div><div class=\"kpi\"><div class=\"label\">");
    text(h, report_word(rep, W_EMPLOYEES));
    raw(h, "</div><div class=\"mid\">");
    count(h, "instansi.employees", in->employees);
    raw(h, "</div></div></div>\n");
    headline_pace(h);
    trend_chart(h);
    section_end(h);
}

/* ---- the ranking ----------------------------------------------------------------- */

#define ROW      22
#define LABEL_W  300
#define BAR_W    520
#define BAR_LEFT (LABEL_W + 40)
#define CHANGE_X 955 /* the right edge of the 7-day change column */

static void ranking_row(struct html *h, size_t i, double y)
{
    static const char *const medals[] = {"#d4a017", "#9e9e9e", "#b06a2c"};
    const struct opd_row *o = &h->rep->opd[i];
    char name[4 * 44 + 8], key[64], v[32], rank[16];

    if (o->rank <= 3) {
        svg_circle(&h->b, 12, y + ROW / 2.0, 9, medals[o->rank - 1]);
        snprintf(rank, sizeof(rank), "%d", o->rank);
        svg_text(&h->b, 12, y + ROW / 2.0 + 4, SVG_MIDDLE, "medal", NULL, rank);
    } else {
        snprintf(rank, sizeof(rank), "%d", o->rank);
        svg_text(&h->b, 12, y + ROW / 2.0 + 4, SVG_MIDDLE, "axis", NULL, rank);
    }
    opd_label(name, sizeof(name), o, 44);
    svg_text(&h->b, 28, y + ROW / 2.0 + 4, SVG_START, o->rank <= 3 ? "lead" : NULL, NULL, name);
    svg_rect(&h->b, BAR_LEFT, y + 3, BAR_W * (double)o->total / 10000.0, ROW - 6,
             category_colour(o->category));
    snprintf(key, sizeof(key), "opd.%zu.total", i);
    svg_text(&h->b, BAR_LEFT + BAR_W * (double)o->total / 10000.0 + 4, y + ROW / 2.0 + 4, SVG_START,
             "val", key,
             h2(v, sizeof(v),
                o->total)); /* the change over 7 days beside the value, when the history has it */
    if (o->trend.has_7d) {
        snprintf(key, sizeof(key), "opd.%zu.change_7d", i);
        svg_text(&h->b, CHANGE_X, y + ROW / 2.0 + 4, SVG_END, "axis", key,
                 fmt_hundredths(v, sizeof(v), o->trend.change_7d, true));
    }
}

static void ranking_chart(struct html *h)
{
    const struct report *rep = h->rep;
    double height = 30 + ROW * (double)rep->n_opd, tx = BAR_LEFT + BAR_W * rep->target / 10000.0;
    char buf[64], v[32];

    svg_begin(&h->b, "chart-ranking", 960, (int)height + 10, report_word(rep, W_RANKING));
    svg_text(&h->b, CHANGE_X, 14, SVG_END, "axis", NULL, report_word(rep, W_CHANGE_7D));
    for (int p = 0; p <= 100; p += 20) {
        snprintf(buf, sizeof(buf), "%d", p);
        svg_line(&h->b, BAR_LEFT + BAR_W * p / 100.0, 20, BAR_LEFT + BAR_W * p / 100.0, height,
                 "#eeeeee", 1, false);
        svg_text(&h->b, BAR_LEFT + BAR_W * p / 100.0, 14, SVG_MIDDLE, "axis", NULL, buf);
    }
    for (size_t i = 0; i < rep->n_opd; i++)
        ranking_row(h, i, 24 + ROW * (double)i);
    svg_line(&h->b, tx, 18, tx, height, "#c62828", 2, true);
    snprintf(buf, sizeof(buf), "%s %s", report_word(rep, W_TARGET), h2(v, sizeof(v), rep->target));
    svg_text(&h->b, tx + 4, height + 8, SVG_START, "mark", NULL, buf);
    svg_end(&h->b);
}

static void legend(struct html *h)
{
    static const char *const cats[] = {"Sangat Tinggi", "Tinggi", "Sedang", "Rendah",
                                       "Sangat Rendah"};

    raw(h, "<p class=\"legend\">");
    for (size_t i = 0; i < ARRAY_SIZE(cats); i++) {
        badge(h, cats[i]);
        raw(h, " ");
    }
    raw(h, "&#9679; ");
    text(h, report_word(h->rep, W_LEADERS));
    raw(h, "</p>\n");
}

static void section_ranking(struct html *h)
{
    section_begin(h, "ranking", report_word(h->rep, W_RANKING));
    if (!h->rep->n_opd) {
        raw(h, "<p>");
        text(h, report_word(h->rep, W_NO_OPD));
        raw(h, "</p>");
    } else {
        legend(h);
        ranking_chart(h);
    }
    section_end(h);
}

/* ---- the OPDs below target ----------------------------------------------------------- */

static void dims_chart(struct html *h, size_t i)
{
    const struct report *rep = h->rep;
    const struct opd_row *o = &rep->opd[i];
    char id[48], key[64], v[32], m[16], label[96];

    snprintf(id, sizeof(id), "chart-dims-%zu", i);
    svg_begin(&h->b, id, 420, 4 * 30 + 8, report_word(rep, W_BELOW));
    for (int d = 0; d < DIM_COUNT; d++) {
        int max = score_dimension_max((enum dimension)d, &rep->cfg->index.rules);
        double y = 4 + 30.0 * d, full = 200.0;

        svg_text(&h->b, 0, y + 16, SVG_START, NULL, NULL, report_dimension_label(rep, d));
        svg_rect(&h->b, 110, y + 4, full, 16, "#e6e6e6");
        svg_rect(&h->b, 110, y + 4, max > 0 ? full * (double)o->dim[d] / (max * 10.0) : 0, 16,
                 d == o->weakest ? "#e06c1a" : "#1f4e9c");
        snprintf(key, sizeof(key), "opd.%zu.%s", i, report_dimension_name(d));
        svg_text(&h->b, 316, y + 16, SVG_START, "val", key, h2(v, sizeof(v), o->dim[d]));
        snprintf(label, sizeof(label), "/ %s", fmt_tenths(m, sizeof(m), max));
        svg_text(&h->b, 362, y + 16, SVG_START, "axis", NULL, label);
    }
    svg_end(&h->b);
}

static void gains_table(struct html *h, size_t i)
{
    const struct opd_row *o = &h->rep->opd[i];
    int order[GAP_COUNT], n = GAP_COUNT;
    char key[64];

    report_gain_order(o->gain, order);
    raw(h, "<table class=\"gains\">");
    for (int k = 0; k < n && o->has_gains && o->gain[order[k]] > 0; k++) {
        raw(h, "<tr><td>");
        text(h, report_gap_label(h->rep, order[k]));
        raw(h, "</td><td class=\"r\">");
        snprintf(key, sizeof(key), "opd.%zu.gains.%s.gain", i, gap_name((enum gap_kind)order[k]));
        num(h, key, o->gain[order[k]], true);
        raw(h, "</td><td class=\"r\">&rarr; ");
        snprintf(key, sizeof(key), "opd.%zu.gains.%s.total", i, gap_name((enum gap_kind)order[k]));
        num(h, key, o->reach[order[k]], false);
        strbuf_append(&h->b, "</td></tr>");
    }
    raw(h, "</table>\n");
}

static void section_below(struct html *h)
{
    const struct report *rep = h->rep;
    size_t below = 0;
    char key[64];

    for (size_t i = 0; i < rep->n_opd; i++)
        below += rep->opd[i].below;
    section_begin(h, "below", report_word(rep, W_BELOW));
    if (!below) {
        raw(h, "<p>");
        text(h, report_word(rep, W_BELOW_NONE));
        raw(h, "</p>");
    } else {
        raw(h, "<p class=\"note\">");
        text(h, report_word(rep, W_GAINS_IF));
        raw(h, "</p><div class=\"cards\">");
    }
    for (size_t i = 0; i < rep->n_opd; i++) {
        const struct opd_row *o = &rep->opd[i];

        if (!o->below)
            continue;
        raw(h, "<div class=\"card\"><h3>");
        text(h, o->name ? o->name : o->id);
        raw(h, "</h3><p>");
        snprintf(key, sizeof(key), "opd.%zu.total", i);
        num(h, key, o->total, false);
        raw(h, " ");
        badge(h, o->category);
        raw(h, "</p>");
        dims_chart(h, i);
        gains_table(h, i);
        raw(h, "</div>\n");
    }
    if (below)
        raw(h, "</div>");
    section_end(h);
}

/* ---- what lifts the instansi most ----------------------------------------------------- */

static void section_lift(struct html *h)
{
    const struct report *rep = h->rep;
    int order[GAP_COUNT], n = GAP_COUNT;
    long long top = 1, gain[GAP_COUNT];
    char key[64], v[32], label[128];

    for (int k = 0; k < GAP_COUNT; k++) {
        gain[k] = rep->gaps[k].gain;
        top = gain[k] > top ? gain[k] : top;
    }
    report_gain_order(gain, order);
    section_begin(h, "lift", report_word(rep, W_LIFT));
    svg_begin(&h->b, "chart-lift", 900, 8 + 28 * GAP_COUNT, report_word(rep, W_LIFT));
    for (int i = 0; i < n; i++) {
        const struct gap_row *g = &rep->gaps[order[i]];
        double y = 4 + 28.0 * i;

        snprintf(label, sizeof(label), "%s (%lld %s)", report_gap_label(rep, order[i]),
                 g->employees, report_word(rep, W_EMPLOYEES));
        svg_text(&h->b, 0, y + 17, SVG_START, NULL, NULL, label);
        svg_rect(&h->b, BAR_LEFT, y + 4, 460.0 * (double)g->gain / (double)top, 18, "#1f4e9c");
        snprintf(key, sizeof(key), "gaps.%d.gain", order[i]);
        fmt_hundredths(v, sizeof(v), g->gain, true);
        svg_text(&h->b, BAR_LEFT + 460.0 * (double)g->gain / (double)top + 6, y + 17, SVG_START,
                 "val", key, v);
    }
    svg_end(&h->b);
    section_end(h);
}

/* ---- data quality ---------------------------------------------------------------------- */

static bool same_opd(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void quality_row(struct html *h, const struct issue_count *ic)
{
    const struct report *rep = h->rep;
    char key[64];

    raw(h, "<tr><th>");
    text(h, ic->opd_name ? ic->opd_name
            : ic->opd_id ? ic->opd_id
                         : report_word(rep, W_NO_OPD_NAME));
    strbuf_append(&h->b, "</th><td class=\"r\"><strong>%lld</strong></td>", ic->open);
    for (size_t c = 0; c < rep->n_codes; c++) {
        const struct issue_code *code = &rep->codes[c];
        size_t k = 0;

        while (k < code->n_by_opd && !same_opd(code->by_opd[k].opd_id, ic->opd_id))
            k++;
        raw(h, "<td class=\"r\">");
        if (k < code->n_by_opd) {
            snprintf(key, sizeof(key), "issues.%zu.by_opd.%zu.open", c, k);
            count(h, key, code->by_opd[k].open);
        }
        raw(h, "</td>");
    }
    raw(h, "</tr>\n");
}

static void section_quality(struct html *h)
{
    const struct report *rep = h->rep;
    char key[64];

    section_begin(h, "quality", report_word(rep, W_QUALITY));
    raw(h, "<p>");
    text(h, report_word(rep, W_OPEN_ISSUES));
    strbuf_append(&h->b, ": <strong>%lld</strong></p>\n", rep->issues_open);
    if (!rep->issues_open) {
        raw(h, "<p>");
        text(h, report_word(rep, W_NO_ISSUES));
        raw(h, "</p>");
        section_end(h);
        return;
    }
    raw(h, "<table class=\"issues\"><thead><tr><th>");
    text(h, report_word(rep, W_OPD));
    raw(h, "</th><th class=\"r\">&Sigma;</th>");
    for (size_t c = 0; c < rep->n_codes; c++) {
        raw(h, "<th class=\"r code\">");
        text(h, rep->codes[c].code);
        raw(h, "<br>");
        snprintf(key, sizeof(key), "issues.%zu.open", c);
        count(h, key, rep->codes[c].open);
        raw(h, "</th>");
    }
    raw(h, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < rep->n_issue_opds; i++)
        quality_row(h, &rep->issue_opds[i]);
    raw(h, "</tbody></table>\n");
    section_end(h);
}

/* ---- one OPD's employees (--opd) -------------------------------------------------------- */

static void employee_row(struct html *h, size_t i)
{
    const struct employee_row *e = &h->rep->emp[i];
    const char *s = e->gaps ? e->gaps : "";
    char key[64];

    raw(h, "<tr><td class=\"nip\">");
    text(h, e->nip);
    raw(h, "</td><td>");
    text(h, e->name);
    raw(h, "</td><td class=\"r\">");
    snprintf(key, sizeof(key), "employees.%zu.total", i);
    num(h, key, e->total, false);
    raw(h, "</td><td>");
    badge(h, e->category);
    raw(h, "</td><td><ul>");
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        char *line = xmalloc(n + 1);

        memcpy(line, s, n);
        line[n] = '\0';
        if (*line) {
            raw(h, "<li>");
            text(h, line);
            raw(h, "</li>");
        }
        free(line);
        s += n + (nl ? 1 : 0);
    }
    raw(h, "</ul></td></tr>\n");
}

static void section_employees(struct html *h)
{
    const struct report *rep = h->rep;

    if (!rep->o->opd_id)
        return;
    section_begin(h, "employees", report_word(rep, W_WORST_FIRST));
    raw(h, "<p>OPD ");
    text(h, rep->o->opd_id);
    if (rep->n_emp) {
        raw(h, ": ");
        text(h, rep->emp[0].opd_name);
    }
    raw(h, "</p><table class=\"emp\"><thead><tr><th>NIP</th><th>");
    text(h, report_word(rep, W_NAME));
    raw(h, "</th><th class=\"r\">");
    text(h, report_word(rep, W_TOTAL));
    raw(h, "</th><th>");
    text(h, report_word(rep, W_CATEGORY));
    raw(h, "</th><th>");
    text(h, report_word(rep, W_NEEDS));
    raw(h, "</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < rep->n_emp; i++)
        employee_row(h, i);
    raw(h, "</tbody></table>\n");
    section_end(h);
}

/* ---- the page ------------------------------------------------------------------------------ */

static const char style[] =
    "<style>\n"
    "body{font-family:\"DejaVu Sans\",\"Liberation Sans\",Arial,sans-serif;margin:24px;"
    "color:#1d1d1d;background:#fff;font-size:14px}\n"
    "header h1{margin:0 0 4px;font-size:26px}header p{margin:0;color:#555}\n"
    "section{margin:22px 0;padding-top:8px;border-top:2px solid #1f4e9c}\n"
    "h2{font-size:19px;margin:4px 0 10px;color:#1f4e9c}h3{font-size:15px;margin:0 0 4px}\n"
    ".kpis{display:flex;flex-wrap:wrap;gap:14px}.kpi{border:1px solid #ddd;border-radius:8px;"
    "padding:10px 16px;min-width:130px}.kpi .label{color:#555;font-size:12px;"
    "text-transform:uppercase}.big{font-size:48px;font-weight:bold}.mid{font-size:24px;"
    "font-weight:bold}\n"
    ".badge{display:inline-block;color:#fff;border-radius:4px;padding:2px 8px;font-size:13px;"
    "font-weight:bold}\n"
    ".ok{color:#1b7f3b}.bad{color:#c62828}.note{color:#555}\n"
    "svg.chart{display:block;max-width:960px;height:auto;margin:8px 0}\n"
    "svg text{font-size:12px;fill:#1d1d1d}svg text.axis{fill:#777;font-size:11px}"
    "svg text.mark{fill:#c62828;font-weight:bold}svg text.val{font-weight:bold}"
    "svg text.lead{font-weight:bold}svg text.medal{fill:#fff;font-weight:bold;font-size:11px}"
    "svg text.note{fill:#777;font-size:16px}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:14px}.card{border:1px solid #ddd;border-radius:8px;"
    "padding:10px;width:440px}\n"
    "table{border-collapse:collapse}td,th{padding:3px 8px;border-bottom:1px solid #eee;"
    "text-align:left;vertical-align:top}.r{text-align:right}th.code{font-size:11px;"
    "font-weight:normal}td.nip{font-family:\"DejaVu Sans Mono\",monospace}ul{margin:0;"
    "padding-left:16px}\n"
    "footer{color:#777;font-size:12px;margin-top:24px}\n"
    "@media print{@page{size:A4 landscape;margin:10mm}body{margin:0;font-size:11px}"
    "section{break-inside:avoid-page}section#quality,section#employees,section#below"
    "{break-inside:auto}.card{break-inside:avoid}.big{font-size:36px}"
    "svg.chart{max-width:100%}}\n"
    "</style>\n";

/* The sections, in the order the page shows them. A new one is a function
 * here, written with the report_html_* calls of report_int.h. */
static const report_html_section sections[] = {
    section_headline, section_ranking,      section_below,     section_lift,
    section_quality,  report_official_html, section_employees,
};

static void page_header(struct html *h)
{
    const struct report *rep = h->rep;
    char buf[64];

    raw(h, "<!DOCTYPE html>\n<html lang=\"");
    raw(h, rep->cfg->report.language == REPORT_LANG_ID ? "id" : "en");
    raw(h, "\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           "<title>");
    text(h, report_word(rep, W_TITLE));
    strbuf_append(&h->b, " %d</title>\n", rep->period);
    raw(h, style);
    raw(h, "</head><body>\n<header><h1>Indeks Profesionalitas ASN ");
    strbuf_append(&h->b, "%d</h1><p>", rep->period);
    if (*rep->cfg->source.instansi_id) {
        text(h, rep->cfg->source.instansi_id);
        raw(h, " &middot; ");
    }
    text(h, report_word(rep, W_AS_OF));
    raw(h, " ");
    text(h, date_format(rep->today, buf, sizeof(buf)));
    raw(h, " &middot; ");
    text(h, report_word(rep, W_CUTOFF));
    raw(h, " ");
    text(h, date_format(rep->as_of, buf, sizeof(buf)));
    raw(h, "</p></header>\n");
}

int report_render_html(const struct report *rep, FILE *out, struct error *err)
{
    struct html h = {.rep = rep};
    int rc = 0;

    page_header(&h);
    if (!rep->inst.present) {
        raw(&h, "<p>");
        text(&h, report_word(rep, W_NO_SCORES));
        raw(&h, "</p>");
    } else {
        for (size_t i = 0; i < ARRAY_SIZE(sections); i++)
            sections[i](&h);
    }
    raw(&h, "<footer>ipasnd &middot; PermenPANRB 38/2018, Peraturan BKN 8/2019</footer>\n"
            "</body></html>\n");
    if (fwrite(h.b.s, 1, h.b.len, out) != h.b.len || fflush(out) != 0) {
        error_set(err, "cannot write the report");
        rc = STORE_ERR;
    }
    strbuf_free(&h.b);
    return rc;
}
