/*
 * What ipasnd keeps of a record's text: the members of the contract and,
 * for a quarantined record, a few bytes of the others, cut out of the text
 * as it was received.
 *
 * Cutting the text rather than writing the parsed record again keeps every
 * number exactly as SIMPEG wrote it (jansson writes 87.46 back as
 * 87.459999999999994) and costs one pass over bytes already in memory. The
 * text has been parsed by jansson before it gets here, so it is valid JSON:
 * the scanner only needs to find where strings and values end.
 */
#include "record_keep.h"

#include <string.h>

#include "model.h"

#define KEY_MAX 64 /* longer keys are no field of the contract */

struct cut {
    const char *p, *end;
    record_emit_fn *emit;
    void *data;
    int rc;
};

static void put(struct cut *c, const char *s, size_t n)
{
    if (c->rc == 0 && n && c->emit(s, n, c->data) != 0)
        c->rc = -1;
}

static void skip_ws(struct cut *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

/* Past the string c->p is at (its opening quote). */
static void skip_string(struct cut *c)
{
    for (c->p++; c->p < c->end && *c->p != '"'; c->p++)
        if (*c->p == '\\')
            c->p++;
    c->p++;
}

/* Past the value c->p is at. */
static void skip_value(struct cut *c)
{
    int depth = 0;

    do {
        if (c->p >= c->end)
            return;
        switch (*c->p) {
        case '"':
            skip_string(c);
            continue;
        case '{':
        case '[':
            depth++;
            break;
        case '}':
        case ']':
            depth--;
            break;
        case ',':
        case ' ':
        case '\t':
        case '\n':
        case '\r':
            if (depth == 0)
                return;
            break;
        }
        c->p++;
    } while (depth > 0 || (c->p < c->end && !strchr(",}] \t\n\r", *c->p)));
}

/* The value c->p is at, copied as it is. */
static void copy_value(struct cut *c)
{
    const char *v = c->p;

    skip_value(c);
    put(c, v, (size_t)(c->p - v));
}

static void cut_object(struct cut *c, const char *part, size_t rest);

/* A part's value: an object cut to the part's fields, or an array whose
 * objects are. */
static void cut_part(struct cut *c, const char *part)
{
    bool first = true;

    if (*c->p == '{') {
        cut_object(c, part, 0);
        return;
    }
    if (*c->p != '[') {
        copy_value(c);
        return;
    }
    put(c, "[", 1);
    for (c->p++;;) {
        skip_ws(c);
        if (c->p >= c->end || *c->p == ']')
            break;
        if (*c->p == ',') {
            c->p++;
            continue;
        }
        if (!first)
            put(c, ",", 1);
        first = false;
        if (*c->p == '{')
            cut_object(c, part, 0);
        else
            copy_value(c);
    }
    c->p++;
    put(c, "]", 1);
}

/* The object c->p is at, holding the fields of part (NULL: the record's
 * top) and rest bytes at most of the others, none of them personal. A key
 * written with an escape cannot be told from a field here: c->rc = 1. */
static void cut_object(struct cut *c, const char *part, size_t rest)
{
    bool first = true;
    size_t used = 0;

    put(c, "{", 1);
    for (c->p++; c->rc == 0;) {
        const char *k, *v;
        char key[KEY_MAX + 1];
        size_t klen;
        bool known;

        skip_ws(c);
        if (c->p >= c->end || *c->p == '}')
            break;
        if (*c->p == ',') {
            c->p++;
            continue;
        }
        k = c->p;
        skip_string(c);
        klen = (size_t)(c->p - k) - 2;
        if (memchr(k + 1, '\\', klen)) {
            c->rc = 1;
            return;
        }
        skip_ws(c);
        c->p++; /* the colon */
        skip_ws(c);
        v = c->p;
        known = klen <= KEY_MAX;
        if (known) {
            memcpy(key, k + 1, klen);
            key[klen] = '\0';
        }
        if (!part && known && contract_part(key)) {
            put(c, ",", first ? 0 : 1);
            put(c, k, klen + 2);
            put(c, ":", 1);
            cut_part(c, key);
            first = false;
            continue;
        }
        skip_value(c);
        if (known && contract_field(part, key)) {
            /* kept */
        } else if (rest && !(known && contract_personal(key)) &&
                   (size_t)(c->p - k) + 1 <= rest - used) {
            used += (size_t)(c->p - k) + 1;
        } else {
            continue;
        }
        put(c, ",", first ? 0 : 1);
        put(c, k, klen + 2);
        put(c, ":", 1);
        put(c, v, (size_t)(c->p - v));
        first = false;
    }
    c->p++;
    put(c, "}", 1);
}

int record_keep(const char *text, size_t len, size_t rest, record_emit_fn *emit, void *data)
{
    struct cut c = {text, text + len, emit, data, 0};

    skip_ws(&c);
    if (c.p >= c.end || *c.p != '{')
        return 1;
    cut_object(&c, NULL, rest);
    return c.rc;
}
