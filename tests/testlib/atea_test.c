#include "atea_test.h"

#include <stdlib.h>
#include <string.h>

atea_buf atea_test_hex(const char *hex)
{
    atea_buf b = {0};
    atea_err err = atea_hex_decode(hex, strlen(hex), &b);
    if (err != ATEA_OK) {
        fail_msg("bad hex literal in test: %s", atea_err_detail(err));
    }
    return b;
}

void atea_test_assert_hex(const uint8_t *data, size_t len, const char *hex)
{
    atea_buf want = atea_test_hex(hex);
    if (want.len != len || memcmp(want.data, data, len) != 0) {
        char *got = malloc(2 * len + 1);
        assert_non_null(got);
        assert_int_equal(atea_hex_encode(data, len, got, 2 * len + 1), ATEA_OK);
        print_error("expected %s\n     got %s\n", hex, got);
        free(got);
        atea_buf_free(&want);
        fail();
    }
    atea_buf_free(&want);
}

const char *atea_test_shared_path(const char *rel)
{
    static char path[4096];
    const char *dir = getenv("ATEA_SHARED_DIR");
    if (dir == NULL) {
        dir = "../shared";
    }
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    return path;
}

atea_slice atea_test_slice(const atea_buf *b)
{
    return (atea_slice){b->data, b->len};
}

atea_buf atea_test_read_file(const char *path)
{
    atea_buf b = {0};
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fail_msg("cannot open %s", path);
    }
    size_t cap = 4096;
    b.data = malloc(cap);
    assert_non_null(b.data);
    size_t n;
    while ((n = fread(b.data + b.len, 1, cap - b.len, f)) > 0) {
        b.len += n;
        if (b.len == cap) {
            cap *= 2;
            uint8_t *p = realloc(b.data, cap);
            assert_non_null(p);
            b.data = p;
        }
    }
    fclose(f);
    return b;
}

void atea_test_rng_fill(atea_test_rng *rng, uint8_t *out, size_t len)
{
    /* splitmix64: deterministic, good enough to make contexts differ in tests. */
    for (size_t i = 0; i < len; i++) {
        if (i % 8 == 0) {
            rng->state += 0x9e3779b97f4a7c15ull;
        }
        uint64_t z = rng->state + i / 8;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        z ^= z >> 31;
        out[i] = (uint8_t)(z >> (8 * (i % 8)));
    }
}

char *atea_test_shared_file(const char *dir, const char *name)
{
    char rel[1024];
    int n = snprintf(rel, sizeof(rel), "%s/%s", dir, name);
    assert_true(n > 0 && (size_t)n < sizeof(rel));
    char *path = strdup(atea_test_shared_path(rel));
    assert_non_null(path);
    return path;
}

atea_buf atea_test_read_shared(const char *dir, const char *name)
{
    char *path = atea_test_shared_file(dir, name);
    atea_buf b = atea_test_read_file(path);
    free(path);
    return b;
}
