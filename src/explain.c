#include "autoconfig.h"

#include "explain.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Tenths as a JSON number with at most two decimals: 225 -> 22.5. */
static json_t *points(int tenths)
{
    return json_real((double)tenths / 10.0);
}

static const char *const dimension_names[] = {"Kualifikasi", "Kompetensi", "Kinerja", "Disiplin"};

void explain_json(FILE *out, const struct employee *e, const struct score *s,
                  const struct issue_list *issues)
{
    json_t *o = json_object(), *ind = json_array(), *gaps = json_array(), *iss = json_array();
    char date[16];
    char *text;

    json_object_set_new(o, "nip", json_string(e->nip));
    json_object_set_new(o, "name", json_string(e->name ? e->name : ""));
    json_object_set_new(o, "opd_id", e->opd_id ? json_string(e->opd_id) : json_null());
    json_object_set_new(o, "period", json_integer(s->period));
    json_object_set_new(o, "as_of", json_string(date_format(s->as_of, date, sizeof(date))));
    json_object_set_new(o, "ruleset", json_string(ruleset_name(s->ruleset)));
    json_object_set_new(o, "in_scope", json_boolean(s->in_scope));
    json_object_set_new(o, "position", json_string(position_type_name(s->position)));
    json_object_set_new(o, "qualification", points(s->qualification));
    json_object_set_new(o, "competency", points(s->competency));
    json_object_set_new(o, "performance", points(s->performance));
    json_object_set_new(o, "discipline", points(s->discipline));
    json_object_set_new(o, "total", points(s->total));
    json_object_set_new(o, "category", json_string(category_name(s->category)));
    for (int i = 0; i < IND_COUNT; i++) {
        const struct indicator_score *x = &s->ind[i];

        if (!x->applies)
            continue;
        json_array_append_new(ind, json_pack("{s:s, s:o, s:o, s:s}", "name",
                                             indicator_name((enum indicator)i), "points",
                                             points(x->points), "max", points(x->max), "detail",
                                             x->detail));
    }
    json_object_set_new(o, "indicators", ind);
    for (size_t i = 0; i < s->n_gaps; i++)
        json_array_append_new(
            gaps, json_pack("{s:s, s:o, s:s}", "indicator", gap_name(s->gaps[i].kind), "gain",
                            points(s->gaps[i].gain), "detail", s->gaps[i].detail));
    json_object_set_new(o, "gaps", gaps);
    for (size_t i = 0; issues && i < issues->n; i++)
        json_array_append_new(iss,
                              json_pack("{s:s, s:s, s:s, s:s}", "code", issues->v[i].code,
                                        "severity", severity_name(issues->v[i].severity), "field",
                                        issues->v[i].field, "detail", issues->v[i].detail));
    json_object_set_new(o, "issues", iss);
    text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    if (text)
        fprintf(out, "%s\n", text);
    free(text);
    json_decref(o);
}

/* Points with two decimals, from tenths: "22.50". */
static const char *points_text(char *buf, size_t size, int tenths)
{
    return fmt_hundredths(buf, size, (long long)tenths * 10, false);
}

static void text_block(FILE *out, const struct employee *e, const struct score *s,
                       const struct issue_list *issues, const struct rules *r)
{
    const int dims[DIM_COUNT] = {s->qualification, s->competency, s->performance, s->discipline};
    char a[16], b[16], date[16];

    fprintf(out, "NIP %s  %s%s%s\n", e->nip, e->name ? e->name : "", e->opd_name ? "  -  " : "",
            e->opd_name ? e->opd_name : "");
    fprintf(out, "IP ASN %d (as of %s, %s), %s%s\n", s->period,
            date_format(s->as_of, date, sizeof(date)), ruleset_name(s->ruleset),
            position_type_name(s->position), s->in_scope ? "" : ", OUT OF SCOPE");
    for (int d = 0; d < DIM_COUNT; d++) {
        int n = 0, only = -1;

        for (int i = 0; i < IND_COUNT; i++)
            if (s->ind[i].applies && (int)score_indicator_dimension((enum indicator)i) == d) {
                n++;
                only = i;
            }
        points_text(a, sizeof(a), dims[d]);
        points_text(b, sizeof(b), score_dimension_max((enum dimension)d, r));
        /* A dimension of one indicator says why on its own line. */
        if (n == 1) {
            fprintf(out, "  %-12s %6s of %-6s  %s\n", dimension_names[d], a, b,
                    s->ind[only].detail);
            continue;
        }
        fprintf(out, "  %-12s %6s of %s\n", dimension_names[d], a, b);
        for (int i = 0; i < IND_COUNT; i++) {
            const struct indicator_score *x = &s->ind[i];

            if (!x->applies || (int)score_indicator_dimension((enum indicator)i) != d)
                continue;
            points_text(a, sizeof(a), x->points);
            points_text(b, sizeof(b), x->max);
            fprintf(out, "    %-10s %6s of %-6s  %s\n", indicator_name((enum indicator)i), a, b,
                    x->detail);
        }
    }
    points_text(a, sizeof(a), s->total);
    fprintf(out, "  %-12s %6s    %s\n", "Total", a, category_name(s->category));
    if (s->n_gaps) {
        fprintf(out, "  What would raise it:\n");
        for (size_t i = 0; i < s->n_gaps; i++)
            fprintf(out, "    - %s\n", s->gaps[i].detail);
    }
    if (issues && issues->n) {
        fprintf(out, "  Data-quality issues:\n");
        for (size_t i = 0; i < issues->n; i++)
            fprintf(out, "    - %s (%s)%s%s: %s\n", issues->v[i].code,
                    severity_name(issues->v[i].severity), *issues->v[i].field ? " in " : "",
                    issues->v[i].field, issues->v[i].detail);
    }
    fputc('\n', out);
}

/* The block is made in memory, then written line by line with what a
 * record brought stripped of control and bidirectional characters: a name
 * from SIMPEG cannot move the cursor or recolour the terminal. */
void explain_text(FILE *out, const struct employee *e, const struct score *s,
                  const struct issue_list *issues, const struct rules *r)
{
    char *text = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&text, &size);

    if (!mem)
        return;
    text_block(mem, e, s, issues, r);
    if (fclose(mem) != 0) {
        free(text);
        return;
    }
    for (char *p = text; p < text + size;) {
        size_t n = strcspn(p, "\n");
        char *clean;

        p[n] = '\0';
        clean = text_flat(p);
        fprintf(out, "%s\n", clean);
        free(clean);
        p += n + 1;
    }
    free(text);
}

void explain_aggregate_text(FILE *out, const struct aggregate *a, size_t employees)
{
    char q[16], c[16], p[16], d[16], t[16];

    fmt_hundredths(q, sizeof(q), a->qualification, false);
    fmt_hundredths(c, sizeof(c), a->competency, false);
    fmt_hundredths(p, sizeof(p), a->performance, false);
    fmt_hundredths(d, sizeof(d), a->discipline, false);
    fmt_hundredths(t, sizeof(t), a->total, false);
    fprintf(out,
            "All %zu employees in scope (of %zu): kualifikasi %s, kompetensi %s, kinerja %s, "
            "disiplin %s, total %s %s\n",
            a->employees, employees, q, c, p, d, t, category_name(a->category));
}
