/*
 * The one error idiom of atea (style.md P2): every fallible function has one
 *     atea_err err = ATEA_OK;
 * and one `out:` label that releases what the function took, and uses only these macros.
 * The happy path reads top to bottom. Cleanup never overwrites the first error.
 */
#ifndef ATEA_CORE_CHECK_H
#define ATEA_CORE_CHECK_H

#include "atea/error.h"

/* Propagate a failure from a call: err = its code, goto out. */
#define ATEA_TRY(call)                                                                             \
    do {                                                                                           \
        err = (call);                                                                              \
        if (err != ATEA_OK) {                                                                      \
            goto out;                                                                              \
        }                                                                                          \
    } while (0)

/* Fail with code (and the site recorded) unless cond holds. */
#define ATEA_ENSURE(cond, code)                                                                    \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            err = atea__err_set((code), __FILE__, __LINE__, NULL);                                 \
            goto out;                                                                              \
        }                                                                                          \
    } while (0)

/* As ATEA_ENSURE, with a printf-style detail for the operator. */
#define ATEA_ENSURE_MSG(cond, code, ...)                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            err = atea__err_set((code), __FILE__, __LINE__, __VA_ARGS__);                          \
            goto out;                                                                              \
        }                                                                                          \
    } while (0)

/* Unconditional failure with a detail: ATEA_FAIL(ATEA_ERR_X, "pcr %u", idx). */
#define ATEA_FAIL(code, ...)                                                                       \
    do {                                                                                           \
        err = atea__err_set((code), __FILE__, __LINE__, __VA_ARGS__);                              \
        goto out;                                                                                  \
    } while (0)

/* Allocation that fails with ATEA_ERR_NO_MEMORY. */
#define ATEA_ENSURE_ALLOC(ptr) ATEA_ENSURE((ptr) != NULL, ATEA_ERR_NO_MEMORY)

#define ATEA_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
