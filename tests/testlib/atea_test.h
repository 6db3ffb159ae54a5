/* Shared test helpers on top of cmocka (style.md P8). A negative test asserts the exact code. */
#ifndef ATEA_TEST_H
#define ATEA_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "atea/error.h"
#include "atea/types.h"

#define EXPECT_OK(call)                                                                            \
    do {                                                                                           \
        atea_err expect_err_ = (call);                                                             \
        if (expect_err_ != ATEA_OK) {                                                              \
            fail_msg("%s failed: %s (%s): %s", #call, atea_err_name(expect_err_),                  \
                     atea_strerror(expect_err_), atea_err_detail(expect_err_));                    \
        }                                                                                          \
    } while (0)

#define EXPECT_ERR(call, code)                                                                     \
    do {                                                                                           \
        atea_err expect_err_ = (call);                                                             \
        if (expect_err_ != (code)) {                                                               \
            fail_msg("%s: expected %s, got %s: %s", #call, atea_err_name(code),                    \
                     atea_err_name(expect_err_), atea_err_detail(expect_err_));                    \
        }                                                                                          \
    } while (0)

/* Decode a hex literal into a fresh buffer; aborts the test on bad hex. */
atea_buf atea_test_hex(const char *hex);

/* Assert that buf equals the bytes of a hex literal, printing both on mismatch. */
void atea_test_assert_hex(const uint8_t *data, size_t len, const char *hex);

/* Path of a file under ../shared (ATEA_SHARED_DIR), e.g. "testdata/evidence/tdx/quote.dat".
 * Returns a static buffer. */
const char *atea_test_shared_path(const char *rel);

/* Read a whole file into buf; aborts the test if it cannot. */
atea_buf atea_test_read_file(const char *path);

/* A fresh copy (free it) of the path of file `name` in the shared directory's subdirectory dir
 * (e.g. "testdata/evidence/cca"), and that file's bytes; both abort the test on failure. */
char *atea_test_shared_file(const char *dir, const char *name);
atea_buf atea_test_read_shared(const char *dir, const char *name);

/* The bytes of b, as a slice (not a copy). */
atea_slice atea_test_slice(const atea_buf *b);

/* Deterministic RNG for tests and fuzz targets: a counter-mode stream from a seed. */
typedef struct atea_test_rng {
    uint64_t state;
} atea_test_rng;

void atea_test_rng_fill(atea_test_rng *rng, uint8_t *out, size_t len);

#endif
