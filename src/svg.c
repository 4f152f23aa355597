#include "autoconfig.h"

#include "svg.h"

#include <stdlib.h>
#include <string.h>

void svg_escape(struct strbuf *b, const char *s)
{
    char *flat;

    if (!s)
        return;
    flat = text_flat(s);
    for (const char *p = flat; *p; p++) {
        switch (*p) {
        case '&':
            strbuf_addn(b, "&amp;", 5);
            break;
        case '<':
            strbuf_addn(b, "&lt;", 4);
            break;
        case '>':
            strbuf_addn(b, "&gt;", 4);
            break;
        case '"':
            strbuf_addn(b, "&quot;", 6);
            break;
        case '\'':
            strbuf_addn(b, "&#39;", 5);
            break;
        default:
            strbuf_addn(b, p, 1);
            break;
        }
    }
    free(flat);
}

void svg_begin(struct strbuf *b, const char *id, int width, int height, const char *label)
{
    strbuf_append(b,
                  "<svg id=\"%s\" class=\"chart\""
                  " viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\" aria-label=\"",
                  id, width, height);
    svg_escape(b, label);
    strbuf_append(b, "\">");
}

void svg_end(struct strbuf *b)
{
    strbuf_append(b, "</svg>\n");
}

void svg_rect(struct strbuf *b, double x, double y, double w, double h, const char *fill)
{
    strbuf_append(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>", x,
                  y, w > 0 ? w : 0, h > 0 ? h : 0, fill);
}

void svg_line(struct strbuf *b, double x1, double y1, double x2, double y2, const char *stroke,
              double width, bool dashed)
{
    strbuf_append(b,
                  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
                  " stroke-width=\"%.1f\"%s/>",
                  x1, y1, x2, y2, stroke, width, dashed ? " stroke-dasharray=\"6 4\"" : "");
}

void svg_circle(struct strbuf *b, double cx, double cy, double r, const char *fill)
{
    strbuf_append(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>", cx, cy, r, fill);
}

void svg_polyline(struct strbuf *b, const double *xs, const double *ys, size_t n,
                  const char *stroke, double width)
{
    strbuf_append(b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\" points=\"",
                  stroke, width);
    for (size_t i = 0; i < n; i++)
        strbuf_append(b, "%s%.1f,%.1f", i ? " " : "", xs[i], ys[i]);
    strbuf_append(b, "\"/>");
}

void svg_text(struct strbuf *b, double x, double y, enum svg_anchor a, const char *cls,
              const char *key, const char *text)
{
    static const char *const anchors[] = {"start", "middle", "end"};

    strbuf_append(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"", x, y, anchors[a]);
    if (cls)
        strbuf_append(b, " class=\"%s\"", cls);
    if (key) {
        strbuf_append(b, " data-k=\"");
        svg_escape(b, key);
        strbuf_append(b, "\"");
    }
    strbuf_append(b, ">");
    svg_escape(b, text);
    strbuf_append(b, "</text>");
}
