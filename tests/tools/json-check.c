/* json-check: whether jansson takes a JSON text as ipasnd's decoder does
 * (duplicate keys refused, any value at the top). Prints "ok", or the
 * error and where; for the tests of the simulator's poisoned records.
 * Usage: json-check FILE
 * Exit status: 0 taken, 65 refused, 66 FILE unreadable. */
#include <jansson.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    json_error_t je;
    json_t *root;

    if (argc != 2) {
        fprintf(stderr, "usage: json-check FILE\n");
        return 64;
    }
    root = json_load_file(argv[1], JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    if (!root) {
        printf("error: %s at column %d\n", je.text, je.column);
        return je.line < 0 ? 66 : 65;
    }
    json_decref(root);
    printf("ok\n");
    return 0;
}
