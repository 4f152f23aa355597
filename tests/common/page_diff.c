#include "autoconfig.h"

#include "page_diff.h"

#include <jansson.h>
#include <stdbool.h>
#include <string.h>

static json_t *load_quiet(const char *text, size_t len)
{
    json_error_t je;

    return json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
}

static bool same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* The same JSON, however spaced and ordered: one decoder keeps a record's
 * text as received, the other writes it again. The same text, the same
 * hash. */
static bool same_json(const char *a, const char *b, uint64_t hash_a, uint64_t hash_b)
{
    json_t *x, *y;
    bool same;

    if (same_text(a, b))
        return hash_a == hash_b;
    if (!a || !b)
        return false;
    x = load_quiet(a, strlen(a));
    y = load_quiet(b, strlen(b));
    same = x && y && json_equal(x, y);
    json_decref(x);
    json_decref(y);
    return same;
}

static bool same_employee(const struct employee *a, const struct employee *b)
{
    if (!same_text(a->nip, b->nip) || !same_text(a->name, b->name) ||
        !same_json(a->raw, b->raw, a->content_hash, b->content_hash) ||
        a->updated_at != b->updated_at || a->deleted != b->deleted ||
        a->n_education != b->n_education || a->n_leadership != b->n_leadership ||
        a->n_courses != b->n_courses || a->n_skp != b->n_skp || a->n_skp22 != b->n_skp22 ||
        a->n_sanctions != b->n_sanctions || a->ipasn.present != b->ipasn.present ||
        a->n_notes != b->n_notes)
        return false;
    for (size_t i = 0; i < a->n_notes; i++)
        if (!same_text(a->notes[i].code, b->notes[i].code) ||
            !same_text(a->notes[i].field, b->notes[i].field) ||
            !same_text(a->notes[i].value, b->notes[i].value))
            return false;
    return true;
}

const char *page_diff(const struct page *a, const struct page *b)
{
    if (!same_text(a->next_cursor, b->next_cursor))
        return "next_cursor";
    if (!same_text(a->server_time_text, b->server_time_text) || a->server_time != b->server_time)
        return "server_time";
    if (a->count != b->count)
        return "count";
    if (a->n_employees != b->n_employees || a->n_rejected != b->n_rejected)
        return "the number of employees or rejects";
    for (size_t i = 0; i < a->n_employees; i++)
        if (!same_employee(&a->employees[i], &b->employees[i]))
            return "an employee";
    for (size_t i = 0; i < a->n_rejected; i++) {
        const struct rejected_record *x = &a->rejected[i], *y = &b->rejected[i];

        if (x->index != y->index || !same_text(x->nip, y->nip) || !same_text(x->code, y->code) ||
            !same_text(x->reason, y->reason) || !same_json(x->raw, y->raw, 0, 0))
            return "a reject";
    }
    return NULL;
}

bool page_has_unparsed(const struct page *p)
{
    for (size_t i = 0; i < p->n_rejected; i++)
        if (strncmp(p->rejected[i].reason, "the record is invalid JSON at ", 30) == 0)
            return true;
    return false;
}
