/*
 * TDX quote verifications per second, on the real v5 quote of ../shared/testdata/evidence/tdx
 * (quote_v5_sample.dat, TDX 1.5 body) at its pinned time 2026-02-10:
 *   full      atea_tdx_verify_with without collateral: parse the PEM chain, verify it to the
 *             pinned Intel root (ECDSA P-256 x2), the QE report and quote signatures, claims;
 *   cached    with an atea_tdx_collateral loaded once (TCB info, QE identity, CRLs, signing
 *             chain): the verified PCK chain, the verified QE report and the decoded attestation
 *             key come from its cache (exact-byte matches); the quote signature, QE binding,
 *             REPORTDATA, QE identity, TCB level evaluation and claims run every time;
 *   baseline  the two bare OpenSSL ECDSA P-256/SHA-256 verifications every verifier must do
 *             (QE report with the PCK key, quote with the attestation key).
 * Prints ops/s and µs/op of process CPU time (best of 3 rounds of 1 s each: the machines this runs
 * on are shared, and CPU time is what one core spends) and the ratio to the baseline measured in
 * the same run (bench/run.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "atea/appraisal.h"
#include "atea/tdx.h"
#include "atea/verify_env.h"
#include "atea_test.h"
#include "verify/tdx_internal.h"

#define RUN_SECONDS 1.0
#define ROUNDS 3
#define T_V5 1770681600LL /* 2026-02-10T00:00:00Z */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct bench_ctx {
    atea_verify_env env;
    atea_buf quote;
    atea_buf report_data;
    atea_tdx_collateral *coll;
    atea_tdx_quote q;
    EVP_PKEY *pck_key;
    EVP_PKEY *ak;
} bench_ctx;

static int op_full(bench_ctx *b)
{
    atea_appraisal *a = NULL;
    int ok = atea_appraisal_new(&a) == ATEA_OK &&
             atea_tdx_verify_with(&b->env, NULL, b->quote.data, b->quote.len, a) == ATEA_OK;
    atea_appraisal_free(a);
    return ok;
}

static int op_cached(bench_ctx *b)
{
    atea_appraisal *a = NULL;
    int ok = atea_appraisal_new(&a) == ATEA_OK &&
             atea_tdx_verify_with(&b->env, b->coll, b->quote.data, b->quote.len, a) == ATEA_OK;
    atea_appraisal_free(a);
    return ok;
}

static int op_baseline(bench_ctx *b)
{
    int qe_ok = 0;
    int quote_ok = 0;
    return atea__tdx_p256_verify(b->pck_key, b->q.qe_report_signature, b->q.qe_report_raw.data,
                                 b->q.qe_report_raw.len, &qe_ok) == ATEA_OK &&
           atea__tdx_p256_verify(b->ak, b->q.signature, b->q.signed_region.data,
                                 b->q.signed_region.len, &quote_ok) == ATEA_OK &&
           qe_ok && quote_ok;
}

/* ops/s of op over ROUNDS rounds of RUN_SECONDS; 0 if an operation fails. */
static double measure(bench_ctx *b, int (*op)(bench_ctx *))
{
    double best = 0;
    for (int r = 0; r < ROUNDS; r++) {
        long n = 0;
        double start = now_seconds();
        double elapsed = 0;
        do {
            for (int i = 0; i < 100; i++) {
                if (!op(b)) {
                    return 0;
                }
            }
            n += 100;
            elapsed = now_seconds() - start;
        } while (elapsed < RUN_SECONDS);
        best = (double)n / elapsed > best ? (double)n / elapsed : best;
    }
    return best;
}

static int setup(bench_ctx *b)
{
    char dir[1024]; /* atea_test_shared_path returns a static buffer */
    snprintf(dir, sizeof(dir), "%s", atea_test_shared_path("testdata/evidence/tdx"));
    atea_tdx_collateral_files files = {
        .tcb_info = "sample_tcbinfo_response_v5",
        .qe_identity = "sample_qeIdentity_response",
        .tcb_signing_chain = "tcb_signing_chain.pem",
        .pck_crl = "pckcrl",
        .root_crl = "rootcrl.der",
    };
    memset(b, 0, sizeof(*b));
    b->quote =
        atea_test_read_file(atea_test_shared_path("testdata/evidence/tdx/quote_v5_sample.dat"));
    b->report_data =
        atea_test_hex("945eaacf5abc1f719d8666a942fda03d1edcb4490277396093dc5a5289ab9f1e"
                      "094aed63060cd4a4933a4dd537ed1255c9c79ecb3ed82cd1b486233e31c25c3a");
    b->env.now = T_V5;
    b->env.expected_report_data = b->report_data.data;
    if (atea_tdx_collateral_new(&b->coll) != ATEA_OK ||
        atea_tdx_collateral_load_dir(b->coll, dir, &files) != ATEA_OK ||
        atea_tdx_quote_parse(b->quote.data, b->quote.len, &b->q) != ATEA_OK ||
        atea__tdx_p256_key(b->q.attestation_key, &b->ak) != ATEA_OK) {
        fprintf(stderr, "bench_tdx_verify: setup failed: %s\n", atea_err_last()->detail);
        return 0;
    }
    BIO *bio = BIO_new_mem_buf(b->q.pck_chain_pem.data, (int)b->q.pck_chain_pem.len);
    X509 *leaf = PEM_read_bio_X509(bio, NULL, NULL, NULL);
    b->pck_key = leaf != NULL ? X509_get_pubkey(leaf) : NULL;
    X509_free(leaf);
    BIO_free(bio);
    return b->pck_key != NULL;
}

int main(void)
{
    bench_ctx b;
    if (!setup(&b)) {
        return 1;
    }
    double base = measure(&b, op_baseline);
    double full = measure(&b, op_full);
    double cached = measure(&b, op_cached);
    if (base == 0 || full == 0 || cached == 0) {
        fprintf(stderr, "bench_tdx_verify: a verification failed: %s\n", atea_err_last()->detail);
        return 1;
    }
    printf("tdx_verify baseline (2x ECDSA P-256): %9.0f ops/s %8.1f us/op\n", base, 1e6 / base);
    printf("tdx_verify full (chain each time):    %9.0f ops/s %8.1f us/op  %.2fx baseline time\n",
           full, 1e6 / full, base / full);
    printf("tdx_verify cached (collateral held):  %9.0f ops/s %8.1f us/op  %.2fx baseline time\n",
           cached, 1e6 / cached, base / cached);
    atea_tdx_collateral_free(b.coll);
    EVP_PKEY_free(b.pck_key);
    EVP_PKEY_free(b.ak);
    atea_buf_free(&b.quote);
    atea_buf_free(&b.report_data);
    return 0;
}
