/*
 * atea: error codes, failure context and logging.
 *
 * Every fallible atea function returns an atea_err: ATEA_OK (0) or a negative code.
 * Codes are grouped in ranges so that a caller can classify a failure without knowing
 * every code (atea_err_class):
 *
 *   -1xx  usage and state       (the caller did something the API forbids)
 *   -2xx  decode and protocol   (bytes from the peer or a file are malformed)
 *   -3xx  TLS and crypto        (handshake facts, signatures, MACs)
 *   -4xx  evidence, verification and policy
 *   -5xx  I/O and transport
 *   -9xx  internal, out of memory
 *
 * Each layer declares its codes once, in its own X-macro list below (id, value, message),
 * and this header assembles them. Sub-ranges per layer, so that layers never collide:
 *
 *   core     -100..-109, -200..-209, -900..-909
 *   tls      -110..-119, -300..-319
 *   ea       -210..-239, -320..-349
 *   cmw      -240..-259
 *   session  -120..-139, -260..-289, -350..-359, -500..-529
 *   evidence -140..-144, -400..-416          (attester interface, sim, tsm)
 *   ear      -417..-419 (in errors_verify.h, with -439)
 *   verify   -150..-159, -290..-294, -420..-439  (appraisal, policy, dispatch, sim verifier)
 *   tdx      -295..-299, -440..-459
 *   snp      -460..-474
 *   cca      -475..-489
 *   tpm      -145..-149, -490..-499
 *   cli      -160..-169, -530..-549
 *   transport -170..-179, -550..-569
 * Platform parsers report malformed input with the core decode codes (ATEA_ERR_TRUNCATED,
 * ATEA_ERR_TRAILING, ...) plus their own -4xx codes for everything else.
 *
 * The value of a code is stable: it may be logged, stored and compared by applications.
 */
#ifndef ATEA_ERROR_H
#define ATEA_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define ATEA_MUST_USE __attribute__((warn_unused_result))
#define ATEA_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define ATEA_MUST_USE
#define ATEA_PRINTF(f, a)
#endif

#include "atea/errors_core.h"
#include "atea/errors_tls.h"
#include "atea/errors_ea.h"
#include "atea/errors_cmw.h"
#include "atea/errors_evidence.h"
#include "atea/errors_verify.h"
#include "atea/errors_tdx.h"
#include "atea/errors_snp.h"
#include "atea/errors_cca.h"
#include "atea/errors_tpm.h"
#include "atea/errors_session.h"
#include "atea/errors_cli.h"
#include "atea/errors_transport.h"

/* X(id, value, message): the complete registry, in one place. */
#define ATEA_ERRORS(X)                                                                             \
    ATEA_ERRORS_CORE(X)                                                                            \
    ATEA_ERRORS_TLS(X)                                                                             \
    ATEA_ERRORS_EA(X)                                                                              \
    ATEA_ERRORS_CMW(X)                                                                             \
    ATEA_ERRORS_EVIDENCE(X)                                                                        \
    ATEA_ERRORS_VERIFY(X)                                                                          \
    ATEA_ERRORS_TDX(X)                                                                             \
    ATEA_ERRORS_SNP(X)                                                                             \
    ATEA_ERRORS_CCA(X)                                                                             \
    ATEA_ERRORS_TPM(X)                                                                             \
    ATEA_ERRORS_SESSION(X)                                                                         \
    ATEA_ERRORS_CLI(X)                                                                             \
    ATEA_ERRORS_TRANSPORT(X)

typedef enum atea_err_code {
    ATEA_OK = 0,
#define ATEA_X_ENUM(id, value, msg) id = (value),
    ATEA_ERRORS(ATEA_X_ENUM)
#undef ATEA_X_ENUM
} atea_err_code;

/* The return type of every fallible function. 0 = success, negative = an atea_err_code. */
typedef int atea_err;

typedef enum atea_err_class {
    ATEA_ERR_CLASS_OK = 0,
    ATEA_ERR_CLASS_USAGE,    /* -1xx */
    ATEA_ERR_CLASS_DECODE,   /* -2xx */
    ATEA_ERR_CLASS_CRYPTO,   /* -3xx */
    ATEA_ERR_CLASS_EVIDENCE, /* -4xx */
    ATEA_ERR_CLASS_IO,       /* -5xx */
    ATEA_ERR_CLASS_INTERNAL, /* -9xx and anything unknown */
} atea_err_class;

/* A person-readable sentence for the code ("the input ends before the structure does").
 * Never NULL; unknown codes give "unknown atea error". */
const char *atea_strerror(atea_err err);

/* The code's stable identifier as a string ("ATEA_ERR_TRUNCATED"). Never NULL. */
const char *atea_err_name(atea_err err);

atea_err_class atea_err_class_of(atea_err err);

/* False only for the codes that mean "call again" (ATEA_ERR_WANT_READ, ATEA_ERR_WANT_WRITE). */
int atea_err_is_fatal(atea_err err);

/*
 * Failure context. The check macros (src/core/check.h) record, for the calling thread, the
 * code of the most recent failure, where it was raised and a detail sentence
 * ("vector length 300 exceeds maximum 255 at offset 4"). Read it right after the failing call;
 * the next failure on the thread replaces it. This is the only mutable global in atea
 * (thread-local, as s2n_errno is).
 */
typedef struct atea_err_info {
    atea_err code;
    const char *file; /* source file that raised it, or NULL */
    int line;
    char detail[320]; /* NUL-terminated, may be empty */
} atea_err_info;

const atea_err_info *atea_err_last(void);

/* detail if one was recorded for err, else atea_strerror(err). Never NULL. */
const char *atea_err_detail(atea_err err);

/* Clear the thread's failure context. */
void atea_err_clear(void);

/* Record a failure and return code. Used by ATEA_FAIL/ATEA_ENSURE; fmt may be NULL. */
atea_err atea__err_set(atea_err code, const char *file, int line, const char *fmt, ...)
    ATEA_PRINTF(4, 5);

/*
 * Logging. The library never prints; it reports through this optional callback, which the
 * caller puts into the options of the object it creates. A NULL callback discards messages.
 */
typedef enum atea_log_level {
    ATEA_LOG_ERROR = 0,
    ATEA_LOG_WARN = 1,
    ATEA_LOG_INFO = 2,
    ATEA_LOG_DEBUG = 3,
} atea_log_level;

typedef void (*atea_log_fn)(void *user, atea_log_level level, const char *msg);

typedef struct atea_log {
    atea_log_fn fn;
    void *user;
} atea_log;

void atea_logf(const atea_log *log, atea_log_level level, const char *fmt, ...) ATEA_PRINTF(3, 4);

#ifdef __cplusplus
}
#endif
#endif
