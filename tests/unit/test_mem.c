/* mem: arenas and their pool, blocks handed on from page to page. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "mem.h"

static void test_arena(void **state)
{
    struct arena *a = arena_new();
    char *big;

    for (int i = 0; i < 10000; i++) {
        char *s = arena_strdup(a, "Dinas Kesehatan");

        assert_string_equal(s, "Dinas Kesehatan");
        assert_int_equal((uintptr_t)s % 16, 0);
    }
    big = arena_alloc(a, 1 << 20);
    memset(big, 1, 1 << 20);
    assert_null(arena_strdup(a, NULL));
    assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
    assert_true(arena_used(a) >= (1 << 20));
    arena_free(a);
    arena_free(NULL);
}

/* Blocks come back to the next taker that fits, the smallest that does;
 * four at most wait, the largest; mem_trim frees them. */
static void test_blocks(void **state)
{
    size_t cap, c[6];
    void *b[6], *p;

    mem_trim();
    p = block_take(1000, &cap);
    assert_non_null(p);
    assert_int_equal(cap, 1000);
    memset(p, 1, cap);
    block_give(p, cap);
    assert_ptr_equal(block_take(10, &cap), p);
    assert_int_equal(cap, 1000);
    block_give(p, cap);
    b[0] = block_take(2000, &c[0]); /* none fits: a new one */
    assert_ptr_not_equal(b[0], p);
    assert_int_equal(c[0], 2000);
    block_give(b[0], c[0]);
    assert_ptr_equal(block_take(1500, &cap), b[0]); /* the one that fits */
    block_give(b[0], cap);
    assert_ptr_equal(block_take(500, &cap), p); /* the smallest that fits */
    block_give(p, cap);

    for (size_t i = 0; i < 6; i++)
        b[i] = block_take(10000 + i, &c[i]);
    for (size_t i = 0; i < 6; i++)
        block_give(b[i], c[i]);
    /* kept: the four largest of the two kept and six given, smallest first */
    for (size_t i = 2; i < 6; i++) {
        assert_ptr_equal(block_take(10000, &cap), b[i]);
        assert_int_equal(cap, c[i]);
    }
    for (size_t i = 2; i < 6; i++)
        block_give(b[i], c[i]);
    block_give(NULL, 0);
    mem_trim();
    p = block_take(10, &cap); /* nothing kept after a trim */
    assert_int_equal(cap, 10);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena),
        cmocka_unit_test(test_blocks),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
