/*
 * SEV-SNP report verifications per second, on the real Milan report of
 * ../shared/testdata/evidence/sev-snp (trustee_test-report.bin + its VCEK + the Milan chain):
 *   full      atea_snp_verify: read the certificate files, check the chain (RSA-PSS x2) to the
 *             pinned ARK, bind, check the report signature, publish the claims;
 *   cached    atea_snp_verify_endorsed with an endorsement made once (the chain is checked at
 *             creation), as a verifier that sees many reports from the same chip would run;
 *   baseline  one bare OpenSSL ECDSA P-384/SHA-384 verification of the same 0x2A0 bytes, the
 *             cost floor of any SNP verifier.
 * Prints ops/s (best of 3 round-robin rounds of 1 s each) and the ratio to the baseline measured in
 * the same run (bench/run.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "atea/appraisal.h"
#include "atea/snp.h"
#include "atea/verify_env.h"
#include "atea_test.h"

#define RUN_SECONDS 1.0
#define ROUNDS 3
#define T_2025_06_01 1748736000

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double max_of(double a, double b)
{
    return a > b ? a : b;
}

typedef struct bench_ctx {
    atea_verify_env env;
    atea_buf report;
    atea_snp_endorsement *endorsement;
    EVP_PKEY *vcek_key;
    unsigned char *der_sig;
    int der_len;
} bench_ctx;

static int op_full(bench_ctx *b)
{
    atea_appraisal *a = NULL;
    int ok = atea_appraisal_new(&a) == ATEA_OK &&
             atea_snp_verify(&b->env, b->report.data, b->report.len, NULL, a) == ATEA_OK;
    atea_appraisal_free(a);
    return ok;
}

static int op_cached(bench_ctx *b)
{
    atea_appraisal *a = NULL;
    int ok = atea_appraisal_new(&a) == ATEA_OK &&
             atea_snp_verify_endorsed(&b->env, b->endorsement, b->report.data, b->report.len, a) ==
                 ATEA_OK;
    atea_appraisal_free(a);
    return ok;
}

static int op_baseline(bench_ctx *b)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx != NULL && EVP_DigestVerifyInit(ctx, NULL, EVP_sha384(), NULL, b->vcek_key) == 1 &&
             EVP_DigestVerify(ctx, b->der_sig, (size_t)b->der_len, b->report.data,
                              ATEA_SNP_SIGNED_SIZE) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

static double measure(const char *name, int (*op)(bench_ctx *), bench_ctx *b)
{
    long n = 0;
    double start = now_seconds();
    double elapsed = 0;
    do {
        if (!op(b)) {
            fprintf(stderr, "%s: verification failed: %s\n", name, atea_err_last()->detail);
            exit(1);
        }
        n++;
        elapsed = now_seconds() - start;
    } while (elapsed < RUN_SECONDS);
    return (double)n / elapsed;
}

/* The report's little-endian r, s as a DER ECDSA-Sig-Value, for the baseline. */
static void prepare_baseline(bench_ctx *b, const char *vcek_path)
{
    atea_buf der = atea_test_read_file(vcek_path);
    const unsigned char *p = der.data;
    X509 *cert = d2i_X509(NULL, &p, (long)der.len);
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *r = BN_lebin2bn(b->report.data + 0x2A0, 72, NULL);
    BIGNUM *s = BN_lebin2bn(b->report.data + 0x2E8, 72, NULL);
    if (cert == NULL || sig == NULL || r == NULL || s == NULL || ECDSA_SIG_set0(sig, r, s) != 1) {
        fprintf(stderr, "cannot prepare the baseline\n");
        exit(1);
    }
    b->vcek_key = X509_get_pubkey(cert);
    b->der_len = i2d_ECDSA_SIG(sig, &b->der_sig);
    ECDSA_SIG_free(sig);
    X509_free(cert);
    atea_buf_free(&der);
}

int main(void)
{
    bench_ctx b;
    memset(&b, 0, sizeof(b));
    char *files[2] = {
        strdup(atea_test_shared_path("testdata/evidence/sev-snp/trustee_test-vcek.der")),
        strdup(atea_test_shared_path("testdata/evidence/sev-snp/ask_ark_milan.pem")),
    };
    b.report = atea_test_read_file(
        atea_test_shared_path("testdata/evidence/sev-snp/trustee_test-report.bin"));
    static const uint8_t rd_prefix[32] = {0xec, 0x6c, 0x52, 0xd7, 0x53, 0x3c, 0xc2, 0xc4,
                                          0xf4, 0x5b, 0xe7, 0x84, 0x9c, 0xf1, 0x12, 0xab,
                                          0x82, 0xb2, 0x00, 0x9f, 0xe7, 0xbd, 0x43, 0xe7,
                                          0x1e, 0xd0, 0x8c, 0x14, 0x40, 0x0a, 0xd7, 0xe2};
    uint8_t report_data[64] = {0};
    memcpy(report_data, rd_prefix, sizeof(rd_prefix));
    b.env.expected_report_data = report_data;
    b.env.now = T_2025_06_01;
    b.env.cert_files = (const char *const *)files;
    b.env.cert_file_count = 2;
    if (atea_snp_endorsement_new(&b.env, NULL, ATEA_SNP_KEY_VCEK, &b.endorsement) != ATEA_OK) {
        fprintf(stderr, "endorsement: %s\n", atea_err_last()->detail);
        return 1;
    }
    prepare_baseline(&b, files[0]);

    /* Round-robin, best of ROUNDS: the machine is shared and its speed drifts. */
    double base = 0, cached = 0, full = 0;
    for (int round = 0; round < ROUNDS; round++) {
        base = max_of(base, measure("baseline", op_baseline, &b));
        cached = max_of(cached, measure("cached", op_cached, &b));
        full = max_of(full, measure("full", op_full, &b));
    }
    printf("snp baseline (OpenSSL ECDSA P-384 verify): %10.0f ops/s\n", base);
    printf("snp verify, cached endorsement:            %10.0f ops/s  (%.2fx baseline)\n", cached,
           cached / base);
    printf("snp verify, full (files + chain):          %10.0f ops/s  (%.2fx baseline)\n", full,
           full / base);

    atea_snp_endorsement_free(b.endorsement);
    EVP_PKEY_free(b.vcek_key);
    OPENSSL_free(b.der_sig);
    atea_buf_free(&b.report);
    free(files[0]);
    free(files[1]);
    return 0;
}
