/* The scan that splits a listing page into its records: it follows
 * strings and nesting only, and finds the byte spans of the elements of the
 * top-level "data" array, so that simpeg.c parses the envelope and each
 * record alone. */
#include "autoconfig.h"

#include "simpeg_int.h"

#include "util.h"

#include <string.h>

bool split_json_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void split_space(struct split *s)
{
    while (s->i < s->n && split_json_space(s->b[s->i]))
        s->i++;
}

static bool split_at(const struct split *s, char c)
{
    return s->i < s->n && s->b[s->i] == c;
}

/* Past the string that opens at s->i; false when it never closes. */
static bool split_string(struct split *s)
{
    for (s->i++; s->i < s->n; s->i++) {
        if (s->b[s->i] == '\\')
            s->i++;
        else if (s->b[s->i] == '"') {
            s->i++;
            return true;
        }
    }
    return false;
}

/* Past the value at s->i: a string, a container followed to its closing
 * bracket, or a bare word (number, true, false, null) up to a delimiter. */
static bool split_value(struct split *s)
{
    size_t start = s->i;
    int depth = 0;

    do {
        char c;

        if (s->i >= s->n)
            return false;
        c = s->b[s->i];
        if (c == '"') {
            if (!split_string(s))
                return false;
            continue;
        }
        if (c == '[' || c == '{') {
            if (++depth > SPLIT_MAX_DEPTH)
                return false;
        } else if (c == ']' || c == '}') {
            if (--depth < 0)
                return false;
        } else if (depth == 0) {
            while (s->i < s->n && !split_json_space(s->b[s->i]) && !strchr(",]}", s->b[s->i]))
                s->i++;
            return s->i > start;
        }
        s->i++;
    } while (depth > 0);
    return true;
}

static bool split_element(struct split *s)
{
    size_t start = s->i;

    if (s->count == s->max || !split_value(s))
        return false;
    if (s->count == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->off = xrealloc(s->off, s->cap * sizeof(*s->off));
        s->len = xrealloc(s->len, s->cap * sizeof(*s->len));
    }
    s->off[s->count] = start;
    s->len[s->count++] = s->i - start;
    return true;
}

/* The "data" array, its '[' at s->i. */
static bool split_data(struct split *s)
{
    s->data_start = s->i++;
    split_space(s);
    if (split_at(s, ']')) {
        s->data_end = ++s->i;
        return true;
    }
    for (;;) {
        if (!split_element(s))
            return false;
        split_space(s);
        if (split_at(s, ']')) {
            s->data_end = ++s->i;
            return true;
        }
        if (!split_at(s, ','))
            return false;
        s->i++;
        split_space(s);
    }
}

/* The envelope's members, one of them "data". */
bool split_listing(struct split *s)
{
    bool seen = false;

    split_space(s);
    if (!split_at(s, '{'))
        return false;
    s->i++;
    for (;;) {
        size_t key;
        bool data;

        split_space(s);
        key = s->i;
        if (!split_at(s, '"') || !split_string(s))
            return false;
        data = s->i - key == 6 && memcmp(s->b + key, "\"data\"", 6) == 0;
        split_space(s);
        if (!split_at(s, ':'))
            return false;
        s->i++;
        split_space(s);
        if (data) {
            if (seen || !split_at(s, '[') || !split_data(s))
                return false;
            seen = true;
        } else if (!split_value(s)) {
            return false;
        }
        split_space(s);
        if (split_at(s, '}'))
            break;
        if (!split_at(s, ','))
            return false;
        s->i++;
    }
    s->i++;
    split_space(s);
    return seen && s->i == s->n;
}
