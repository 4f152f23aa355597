/* Markup for the HTML report: text escaped for HTML and SVG, and the few
 * SVG shapes its charts are drawn with, appended to a strbuf. Pure: no
 * I/O; nothing from the data reaches the markup unescaped. */
#ifndef IPASND_SVG_H
#define IPASND_SVG_H

#include "util.h"

/* Appends s as HTML text or attribute value: control and bidirectional
 * characters dropped (as text_strip does), tabs and line breaks a space,
 * and & < > " ' written as character references. NULL appends nothing. */
void svg_escape(struct strbuf *b, const char *s);

/* <svg> of width x height user units, scaling to its box, with an id and
 * an accessible label (escaped); svg_end closes it. */
void svg_begin(struct strbuf *b, const char *id, int width, int height, const char *label);
void svg_end(struct strbuf *b);

/* Shapes; colours are the caller's constants ("#1a7f37"), never data. */
void svg_rect(struct strbuf *b, double x, double y, double w, double h, const char *fill);
void svg_line(struct strbuf *b, double x1, double y1, double x2, double y2, const char *stroke,
              double width, bool dashed);
void svg_circle(struct strbuf *b, double cx, double cy, double r, const char *fill);
/* A polyline through n points (xs[i], ys[i]). */
void svg_polyline(struct strbuf *b, const double *xs, const double *ys, size_t n,
                  const char *stroke, double width);

enum svg_anchor {
    SVG_START,
    SVG_MIDDLE,
    SVG_END
};

/* Text at (x, y), escaped; cls a CSS class of the page or NULL, key (when
 * not NULL) the data-k attribute that names the number it shows. */
void svg_text(struct strbuf *b, double x, double y, enum svg_anchor a, const char *cls,
              const char *key, const char *text);

#endif
