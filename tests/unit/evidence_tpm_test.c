/*
 * TPM attester and verifier against real software TPMs (swtpm), started by this test: a quote
 * with a given report_data verifies with exact claims, and each tampering fails with its code.
 * swtpm missing is a failure, not a skip (scripts/setup.sh installs it).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>
#include <tss2/tss2_esys.h>
#include <tss2/tss2_mu.h>
#include <tss2/tss2_tctildr.h>

#include "atea/appraisal.h"
#include "atea/tpm.h"
#include "atea_test.h"
#include "atea/cmw.h"
#include "swtpm.h"

/* PCR 7 is extended with this digest before quoting, so its value is known and not zero. */
static const uint8_t EXTEND_DIGEST[32] = {
    0xa7, 0x07, 0x07, 0x07, 0x07, 0x07, 0x07, 0x07, 0x07, 0x07, 0x07, 0x07, 0x07, 0x07, 0x07, 0x07,
    0x07, 0x07, 0x07, 0x07, 0x07, 0x07, 0x07, 0x07, 0x07, 0x07, 0x07, 0x07, 0x07, 0x07, 0x07, 0x7a};

typedef struct fixture {
    atea_test_swtpm tpm_a;
    atea_test_swtpm tpm_b;
    atea_attester *att_a; /* ECC AK on tpm_a */
    atea_attester *att_b; /* ECC AK on tpm_b, during setup only */
    uint8_t report_data[ATEA_REPORT_DATA_LEN];
    atea_tpm_quote quote_a;    /* ECDSA quote by tpm_a over sha256:0-7 */
    atea_tpm_quote quote_b;    /* ECDSA quote by tpm_b */
    atea_tpm_quote quote_pss;  /* RSA-PSS quote by tpm_a */
    atea_tpm_quote quote_ssa;  /* RSASSA quote by tpm_a over sha256:7,16 */
    uint8_t trust_a[32];       /* SHA-256 of tpm_a's ECC AK SPKI */
    uint8_t trust_rsa[2 * 32]; /* tpm_a's RSA-PSS and RSASSA AKs */
} fixture;

static void pcr_extend(const char *tcti, unsigned pcr, const uint8_t digest[32])
{
    TSS2_TCTI_CONTEXT *t = NULL;
    ESYS_CONTEXT *esys = NULL;
    TPML_DIGEST_VALUES values = {.count = 1};
    ESYS_TR handle = ESYS_TR_PCR0 + pcr;

    values.digests[0].hashAlg = TPM2_ALG_SHA256;
    memcpy(values.digests[0].digest.sha256, digest, 32);
    assert_int_equal(Tss2_TctiLdr_Initialize(tcti, &t), TSS2_RC_SUCCESS);
    assert_int_equal(Esys_Initialize(&esys, t, NULL), TSS2_RC_SUCCESS);
    assert_int_equal(
        Esys_PCR_Extend(esys, handle, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &values),
        TSS2_RC_SUCCESS);
    Esys_Finalize(&esys);
    Tss2_TctiLdr_Finalize(&t);
}

static atea_attester *attester(const char *tcti, atea_tpm_ak_alg alg, const char *pcrs)
{
    atea_tpm_attester_opts o;
    atea_attester *a = NULL;
    atea_tpm_attester_opts_default(&o);
    o.tcti = tcti;
    o.ak_alg = alg;
    if (pcrs != NULL) {
        o.pcrs = pcrs;
    }
    EXPECT_OK(atea_tpm_attester_new(&o, &a));
    return a;
}

/* One quote with a throwaway attester (swtpm serves one connection at a time). */
static void quote_once(const char *tcti, atea_tpm_ak_alg alg, const char *pcrs,
                       const uint8_t *report_data, atea_tpm_quote *q, uint8_t ak_hash[32])
{
    atea_attester *a = attester(tcti, alg, pcrs);
    EXPECT_OK(atea_tpm_attester_quote(a, report_data, q));
    SHA256(q->ak_spki.data, q->ak_spki.len, ak_hash);
    atea_attester_free(a);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    atea_test_rng rng = {.state = 7};
    uint8_t other[32];

    assert_non_null(f);
    *state = f;
    atea_test_swtpm_start_or_fail(&f->tpm_a);
    atea_test_swtpm_start_or_fail(&f->tpm_b);
    atea_test_rng_fill(&rng, f->report_data, sizeof(f->report_data));
    pcr_extend(f->tpm_a.tcti, 7, EXTEND_DIGEST);
    quote_once(f->tpm_a.tcti, ATEA_TPM_AK_RSA_PSS, NULL, f->report_data, &f->quote_pss,
               f->trust_rsa);
    quote_once(f->tpm_a.tcti, ATEA_TPM_AK_RSA_SSA, "sha256:7,16", f->report_data, &f->quote_ssa,
               f->trust_rsa + 32);
    f->att_a = attester(f->tpm_a.tcti, ATEA_TPM_AK_ECC_P256, NULL);
    f->att_b = attester(f->tpm_b.tcti, ATEA_TPM_AK_ECC_P256, NULL);
    EXPECT_OK(atea_tpm_attester_quote(f->att_a, f->report_data, &f->quote_a));
    EXPECT_OK(atea_tpm_attester_quote(f->att_b, f->report_data, &f->quote_b));
    /* swtpm serves one connection at a time: free tpm_b for test_persistent_ak. */
    atea_attester_free(f->att_b);
    f->att_b = NULL;
    SHA256(f->quote_a.ak_spki.data, f->quote_a.ak_spki.len, f->trust_a);
    SHA256(f->quote_b.ak_spki.data, f->quote_b.ak_spki.len, other);
    /* Two independent TPMs: different endorsement seeds, different AKs. */
    assert_memory_not_equal(f->trust_a, other, 32);
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    atea_tpm_quote_free(&f->quote_a);
    atea_tpm_quote_free(&f->quote_b);
    atea_tpm_quote_free(&f->quote_pss);
    atea_tpm_quote_free(&f->quote_ssa);
    atea_attester_free(f->att_a);
    atea_attester_free(f->att_b);
    atea_test_swtpm_stop(&f->tpm_a);
    atea_test_swtpm_stop(&f->tpm_b);
    free(f);
    return 0;
}

static atea_tpm_evidence evidence_of(const atea_tpm_quote *q)
{
    atea_tpm_evidence ev = {
        .attest = {q->attest.data, q->attest.len},
        .signature = {q->signature.data, q->signature.len},
        .pcrs = {q->pcrs.data, q->pcrs.len},
        .ak_spki = {q->ak_spki.data, q->ak_spki.len},
    };
    return ev;
}

/* Verify ev against trust, expecting want; returns the appraisal (caller frees). */
static atea_appraisal *verify(const atea_tpm_evidence *ev, const uint8_t *trust, size_t n,
                              const uint8_t *report_data, atea_err want)
{
    atea_appraisal *a = NULL;
    atea_verify_env env = {.expected_report_data = report_data, .now = 1800000000};
    atea_tpm_trust t = {.ak_sha256 = trust, .count = n};
    EXPECT_OK(atea_appraisal_new(&a));
    EXPECT_ERR(atea_tpm_verify(&env, &t, ev, a), want);
    if (want != ATEA_OK) {
        /* Every hard failure is also a contraindicating reason in the result. */
        assert_true(atea_appraisal_has_reason(a, want));
        assert_int_equal(atea_appraisal_status(a), ATEA_EAR_CONTRAINDICATED);
    }
    return a;
}

static void expect_verify(const atea_tpm_evidence *ev, const uint8_t *trust, size_t n,
                          const uint8_t *report_data, atea_err want)
{
    atea_appraisal_free(verify(ev, trust, n, report_data, want));
}

static void assert_claim_bytes(const atea_appraisal *a, const char *name, const uint8_t *want,
                               size_t len)
{
    const atea_claim *c = atea_appraisal_find_claim(a, "tpm", name);
    if (c == NULL) {
        fail_msg("claim tpm.%s missing", name);
    }
    assert_int_equal(c->type, ATEA_CLAIM_BYTES);
    assert_int_equal(c->bytes.len, len);
    assert_memory_equal(c->bytes.data, want, len);
}

static void assert_claim_int(const atea_appraisal *a, const char *name, int64_t want)
{
    const atea_claim *c = atea_appraisal_find_claim(a, "tpm", name);
    if (c == NULL) {
        fail_msg("claim tpm.%s missing", name);
    }
    assert_int_equal(c->type, ATEA_CLAIM_INT);
    assert_int_equal(c->i, want);
}

static void test_quote_verifies_with_exact_claims(void **state)
{
    fixture *f = *state;
    atea_tpm_evidence ev = evidence_of(&f->quote_a);
    atea_appraisal *a = verify(&ev, f->trust_a, 1, f->report_data, ATEA_OK);
    TPMS_ATTEST tss = {0};
    uint8_t zero[32] = {0};
    uint8_t pcr7_input[64];
    uint8_t pcr7[32];
    char name[8];

    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_AFFIRMING);
    assert_string_equal(atea_appraisal_submod_platform(a, 0), "tpm2");
    assert_claim_bytes(a, "ak_hash", f->trust_a, 32);
    assert_claim_bytes(a, "report_data", f->report_data, 64);
    /* Clock fields, read independently with tpm2-tss's own unmarshaller. */
    assert_int_equal(
        Tss2_MU_TPMS_ATTEST_Unmarshal(f->quote_a.attest.data, f->quote_a.attest.len, NULL, &tss),
        TSS2_RC_SUCCESS);
    assert_claim_int(a, "clock", (int64_t)tss.clockInfo.clock);
    assert_claim_int(a, "reset_count", tss.clockInfo.resetCount);
    assert_claim_int(a, "restart_count", tss.clockInfo.restartCount);
    assert_claim_int(a, "firmware_version", (int64_t)tss.firmwareVersion);
    assert_string_equal(atea_appraisal_find_claim(a, "tpm", "pcr_bank")->str, "sha256");
    /* Fresh TPM: PCRs 0..6 are zero; PCR 7 = SHA-256(0^32 || EXTEND_DIGEST). */
    for (unsigned i = 0; i < 7; i++) {
        snprintf(name, sizeof(name), "pcr%u", i);
        assert_claim_bytes(a, name, zero, 32);
    }
    memset(pcr7_input, 0, 32);
    memcpy(pcr7_input + 32, EXTEND_DIGEST, 32);
    SHA256(pcr7_input, sizeof(pcr7_input), pcr7);
    assert_claim_bytes(a, "pcr7", pcr7, 32);
    assert_null(atea_appraisal_find_claim(a, "tpm", "pcr8"));
    atea_appraisal_free(a);
}

static void test_rsa_aks_verify(void **state)
{
    fixture *f = *state;
    atea_tpm_evidence pss = evidence_of(&f->quote_pss);
    atea_tpm_evidence ssa = evidence_of(&f->quote_ssa);
    atea_appraisal *a = verify(&ssa, f->trust_rsa, 2, f->report_data, ATEA_OK);

    expect_verify(&pss, f->trust_rsa, 2, f->report_data, ATEA_OK);
    /* The "sha256:7,16" selection gives exactly those two PCR claims. */
    assert_non_null(atea_appraisal_find_claim(a, "tpm", "pcr7"));
    assert_non_null(atea_appraisal_find_claim(a, "tpm", "pcr16"));
    assert_null(atea_appraisal_find_claim(a, "tpm", "pcr0"));
    atea_appraisal_free(a);
    /* Each RSA AK is trusted only through its own hash. */
    expect_verify(&pss, f->trust_rsa + 32, 1, f->report_data, ATEA_ERR_TPM_AK_UNTRUSTED);
}

static void test_report_data_mismatch(void **state)
{
    fixture *f = *state;
    atea_tpm_evidence ev = evidence_of(&f->quote_a);
    uint8_t other[ATEA_REPORT_DATA_LEN];
    atea_appraisal *a = NULL;

    memcpy(other, f->report_data, sizeof(other));
    other[63] ^= 0x01;
    expect_verify(&ev, f->trust_a, 1, other, ATEA_ERR_TPM_REPORT_DATA);
    /* No expected report_data: verifies, but the result says nothing bound it (WARNING). */
    a = verify(&ev, f->trust_a, 1, NULL, ATEA_OK);
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_WARNING);
    assert_true(atea_appraisal_has_reason(a, ATEA_ERR_TPM_REPORT_DATA));
    atea_appraisal_free(a);
}

static void test_altered_pcr_value(void **state)
{
    fixture *f = *state;
    atea_buf pcrs = {0};
    atea_tpm_evidence ev = evidence_of(&f->quote_a);

    EXPECT_OK(atea_buf_set(&pcrs, f->quote_a.pcrs.data, f->quote_a.pcrs.len));
    pcrs.data[pcrs.len - 1] ^= 0x80; /* last byte of PCR 7 */
    ev.pcrs = (atea_slice){pcrs.data, pcrs.len};
    expect_verify(&ev, f->trust_a, 1, f->report_data, ATEA_ERR_TPM_PCR_DIGEST);
    /* PCR values of another quote's selection (7,16): not what this quote signed. */
    ev.pcrs = (atea_slice){f->quote_ssa.pcrs.data, f->quote_ssa.pcrs.len};
    expect_verify(&ev, f->trust_a, 1, f->report_data, ATEA_ERR_TPM_PCR_SELECTION);
    atea_buf_free(&pcrs);
}

static void test_wrong_ak(void **state)
{
    fixture *f = *state;
    atea_tpm_evidence ev_b = evidence_of(&f->quote_b);
    atea_appraisal *a = NULL;

    /* tpm_b's AK is not trusted; its hash is still a claim for the policy layer. */
    a = verify(&ev_b, f->trust_a, 1, f->report_data, ATEA_ERR_TPM_AK_UNTRUSTED);
    assert_non_null(atea_appraisal_find_claim(a, "tpm", "ak_hash"));
    atea_appraisal_free(a);
    /* tpm_b's quote presented with tpm_a's (trusted) AK: the signature gives it away. */
    ev_b.ak_spki = (atea_slice){f->quote_a.ak_spki.data, f->quote_a.ak_spki.len};
    expect_verify(&ev_b, f->trust_a, 1, f->report_data, ATEA_ERR_TPM_SIGNATURE);
    /* No trusted AK at all. */
    ev_b = evidence_of(&f->quote_a);
    expect_verify(&ev_b, NULL, 0, f->report_data, ATEA_ERR_TPM_NO_TRUSTED_AK);
}

/* Flip one bit of one part at offset off and expect want. */
static void expect_flip(const fixture *f, int part, size_t off, uint8_t mask, atea_err want)
{
    atea_tpm_evidence ev = evidence_of(&f->quote_a);
    atea_slice *s = part == 0 ? &ev.attest : &ev.signature;
    atea_buf copy = {0};

    EXPECT_OK(atea_buf_set(&copy, s->data, s->len));
    assert_true(off < copy.len);
    copy.data[off] ^= mask;
    *s = (atea_slice){copy.data, copy.len};
    expect_verify(&ev, f->trust_a, 1, f->report_data, want);
    atea_buf_free(&copy);
}

static void test_bit_flips(void **state)
{
    fixture *f = *state;
    size_t sig_len = f->quote_a.signature.len;
    /* TPMS_ATTEST: magic(4) type(2) qualifiedSigner(2+34) extraData(2+64) clock(8)... */
    const size_t extra_off = 4 + 2 + 2 + 34 + 2;
    const size_t clock_off = extra_off + 64;

    expect_flip(f, 1, sig_len - 1, 0x01, ATEA_ERR_TPM_SIGNATURE);               /* s */
    expect_flip(f, 1, 8, 0x10, ATEA_ERR_TPM_SIGNATURE);                         /* r */
    expect_flip(f, 0, clock_off + 7, 0x01, ATEA_ERR_TPM_SIGNATURE);             /* clock */
    expect_flip(f, 0, extra_off, 0x01, ATEA_ERR_TPM_SIGNATURE);                 /* extraData */
    expect_flip(f, 0, f->quote_a.attest.len - 1, 0x01, ATEA_ERR_TPM_SIGNATURE); /* pcrDigest */
    expect_flip(f, 0, 0, 0x01, ATEA_ERR_TPM_BAD_MAGIC);
    expect_flip(f, 0, 5, 0x01,
                ATEA_ERR_TPM_NOT_QUOTE); /* 0x8018 -> 0x8019 (TPM_ST_ATTEST_COMMAND_AUDIT) */
}

/* Append one byte to one part. */
static void expect_trailing(const fixture *f, int part, atea_err want)
{
    atea_tpm_evidence ev = evidence_of(&f->quote_a);
    atea_slice *s = part == 0   ? &ev.attest
                    : part == 1 ? &ev.signature
                    : part == 2 ? &ev.pcrs
                                : &ev.ak_spki;
    uint8_t *copy = malloc(s->len + 1);

    assert_non_null(copy);
    memcpy(copy, s->data, s->len);
    copy[s->len] = 0;
    *s = (atea_slice){copy, s->len + 1};
    expect_verify(&ev, f->trust_a, 1, f->report_data, want);
    free(copy);
}

static void test_trailing_bytes(void **state)
{
    fixture *f = *state;
    expect_trailing(f, 0, ATEA_ERR_TRAILING);
    expect_trailing(f, 1, ATEA_ERR_TRAILING);
    expect_trailing(f, 2, ATEA_ERR_TRAILING);
    expect_trailing(f, 3, ATEA_ERR_TPM_BAD_AK);
}

static void test_truncation(void **state)
{
    fixture *f = *state;
    for (int part = 0; part < 3; part++) {
        atea_tpm_evidence ev = evidence_of(&f->quote_a);
        atea_slice *s = part == 0 ? &ev.attest : part == 1 ? &ev.signature : &ev.pcrs;
        size_t full = s->len;
        s->len = 0;
        expect_verify(&ev, f->trust_a, 1, f->report_data, ATEA_ERR_TPM_MISSING_PART);
        /* Every cut of a well-formed structure ends inside a field or a TPM2B body. */
        for (size_t len = 1; len < full; len++) {
            s->len = len;
            expect_verify(&ev, f->trust_a, 1, f->report_data, ATEA_ERR_TRUNCATED);
        }
    }
}

/* Verify a CMW with atea_tpm_verify_cmw, expecting want (recorded in the appraisal too). */
static void expect_verify_cmw(const fixture *f, const uint8_t *cmw, size_t len, atea_err want)
{
    atea_appraisal *a = NULL;
    atea_verify_env env = {.expected_report_data = f->report_data};
    atea_tpm_trust t = {.ak_sha256 = f->trust_a, .count = 1};
    EXPECT_OK(atea_appraisal_new(&a));
    EXPECT_ERR(atea_tpm_verify_cmw(&env, &t, cmw, len, a), want);
    if (want != ATEA_OK) {
        assert_true(atea_appraisal_has_reason(a, want));
        assert_int_equal(atea_appraisal_submod_status(a, "tpm"), ATEA_EAR_CONTRAINDICATED);
    } else {
        assert_int_equal(atea_appraisal_status(a), ATEA_EAR_AFFIRMING);
    }
    atea_appraisal_free(a);
}

static void test_cmw_collection_carries_the_parts(void **state)
{
    fixture *f = *state;
    atea_binding binding = {0};
    atea_buf cmw = {0};
    atea_cmw *tree = NULL;
    atea_tpm_evidence ev;

    memcpy(binding.report_data, f->report_data, sizeof(binding.report_data));
    EXPECT_OK(atea_attester_attest(f->att_a, &binding, &cmw));
    expect_verify_cmw(f, cmw.data, cmw.len, ATEA_OK);
    /* The parts are the records of an RFC 9999 collection; the quote is found by its type. */
    EXPECT_OK(atea_cmw_decode(cmw.data, cmw.len, NULL, &tree));
    assert_int_equal(tree->kind, ATEA_CMW_COLLECTION);
    assert_int_equal(tree->n_entries, 4);
    const atea_cmw *quote = atea_cmw_find_media_type(tree, ATEA_CMW_MT_TPM2_QUOTE);
    assert_non_null(quote);
    assert_int_equal(quote->ind, ATEA_CMW_IND_EVIDENCE);
    EXPECT_OK(atea_tpm_evidence_from_cmw(tree, &ev));
    assert_int_equal(ev.pcrs.len, f->quote_a.pcrs.len);
    assert_memory_equal(ev.ak_spki.data, f->quote_a.ak_spki.data, f->quote_a.ak_spki.len);
    atea_cmw_free(tree);
    atea_buf_free(&cmw);
}

static void test_cmw_json_and_malformed_collections(void **state)
{
    fixture *f = *state;
    atea_buf cmw = {0};
    atea_cmw *coll = NULL;
    atea_cmw *rec = NULL;
    const atea_buf *q[4] = {&f->quote_a.attest, &f->quote_a.signature, &f->quote_a.pcrs,
                            &f->quote_a.ak_spki};
    const char *labels[4] = {"quote", "sig", "pcrs", "ak"};
    const char *types[4] = {ATEA_TPM_CMW_TYPE, ATEA_TPM_MT_SIGNATURE, ATEA_TPM_MT_PCRS,
                            ATEA_TPM_MT_AK_SPKI};

    EXPECT_OK(atea_tpm_quote_to_cmw(&f->quote_a, 1, &cmw));
    assert_int_equal(cmw.data[0], '{');
    expect_verify_cmw(f, cmw.data, cmw.len, ATEA_OK);
    atea_buf_free(&cmw);
    /* Not a CMW at all. */
    expect_verify_cmw(f, (const uint8_t *)"x", 1, ATEA_ERR_CMW_FORMAT);
    /* A collection without "pcrs", then one whose "sig" has the wrong media type. */
    for (int variant = 0; variant < 2; variant++) {
        EXPECT_OK(atea_cmw_new_collection(NULL, &coll));
        for (int i = 0; i < 4; i++) {
            if (variant == 0 && i == 2) {
                continue;
            }
            const char *type = variant == 1 && i == 1 ? "application/octet-stream" : types[i];
            EXPECT_OK(atea_cmw_new_record(type, q[i]->data, q[i]->len, 0, &rec));
            EXPECT_OK(atea_cmw_add(coll, labels[i], rec));
        }
        EXPECT_OK(atea_cmw_encode_cbor(coll, &cmw));
        expect_verify_cmw(f, cmw.data, cmw.len, ATEA_ERR_TPM_MISSING_PART);
        atea_buf_free(&cmw);
        atea_cmw_free(coll);
    }
}

static void test_attester_config_errors(void **state)
{
    fixture *f = *state;
    atea_tpm_attester_opts o;
    atea_attester *a = NULL;
    const char *bad_pcrs[] = {"sha256",     "md5:0",     "sha256:24",
                              "sha256:3-1", "sha256:0,", "sha256:x"};

    (void)f;
    for (size_t i = 0; i < sizeof(bad_pcrs) / sizeof(bad_pcrs[0]); i++) {
        atea_tpm_attester_opts_default(&o);
        o.tcti = "swtpm:host=127.0.0.1,port=1";
        o.pcrs = bad_pcrs[i];
        EXPECT_ERR(atea_tpm_attester_new(&o, &a), ATEA_ERR_TPM_CONFIG);
        assert_null(a);
    }
    atea_tpm_attester_opts_default(&o);
    o.tcti = "swtpm:host=127.0.0.1,port=1";
    EXPECT_ERR(atea_tpm_attester_new(&o, &a), ATEA_ERR_TPM_UNAVAILABLE);
    /* The quote entry point only accepts a TPM attester. */
    atea_tpm_quote q;
    atea_attester not_tpm = {.platform = "sim"};
    EXPECT_ERR(atea_tpm_attester_quote(&not_tpm, f->report_data, &q), ATEA_ERR_INVALID_ARG);
}

/* Persist a primary key made from tmpl (endorsement hierarchy) at handle. */
static void persist_primary(ESYS_CONTEXT *esys, const TPM2B_PUBLIC *tmpl, TPM2_HANDLE handle)
{
    TPM2B_SENSITIVE_CREATE sensitive = {0};
    TPM2B_DATA outside = {0};
    TPML_PCR_SELECTION creation_pcrs = {0};
    ESYS_TR key = ESYS_TR_NONE;
    ESYS_TR persistent = ESYS_TR_NONE;

    assert_int_equal(Esys_CreatePrimary(esys, ESYS_TR_RH_ENDORSEMENT, ESYS_TR_PASSWORD,
                                        ESYS_TR_NONE, ESYS_TR_NONE, &sensitive, tmpl, &outside,
                                        &creation_pcrs, &key, NULL, NULL, NULL, NULL),
                     TSS2_RC_SUCCESS);
    assert_int_equal(Esys_EvictControl(esys, ESYS_TR_RH_OWNER, key, ESYS_TR_PASSWORD, ESYS_TR_NONE,
                                       ESYS_TR_NONE, handle, &persistent),
                     TSS2_RC_SUCCESS);
    assert_int_equal(Esys_FlushContext(esys, key), TSS2_RC_SUCCESS);
    assert_int_equal(Esys_TR_Close(esys, &persistent), TSS2_RC_SUCCESS);
}

static atea_err persistent_attester(const char *tcti, uint32_t handle, atea_attester **a)
{
    atea_tpm_attester_opts o;
    atea_tpm_attester_opts_default(&o);
    o.tcti = tcti;
    o.ak_handle = handle;
    return atea_tpm_attester_new(&o, a);
}

static void test_persistent_ak(void **state)
{
    fixture *f = *state;
    TSS2_TCTI_CONTEXT *t = NULL;
    ESYS_CONTEXT *esys = NULL;
    TPM2B_PUBLIC tmpl = {0};
    TPMT_PUBLIC *p = &tmpl.publicArea;
    atea_attester *a = NULL;
    atea_tpm_quote q;
    uint8_t trust_b[32];

    /* The attester's ECC AK template (src/evidence/tpm.c), and a sign-only key that is not
     * restricted (a TPM would sign anything with it, so it cannot be an AK). */
    p->type = TPM2_ALG_ECC;
    p->nameAlg = TPM2_ALG_SHA256;
    p->objectAttributes = TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT |
                          TPMA_OBJECT_SENSITIVEDATAORIGIN | TPMA_OBJECT_USERWITHAUTH |
                          TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_SIGN_ENCRYPT;
    p->parameters.eccDetail.symmetric.algorithm = TPM2_ALG_NULL;
    p->parameters.eccDetail.scheme.scheme = TPM2_ALG_ECDSA;
    p->parameters.eccDetail.scheme.details.ecdsa.hashAlg = TPM2_ALG_SHA256;
    p->parameters.eccDetail.curveID = TPM2_ECC_NIST_P256;
    p->parameters.eccDetail.kdf.scheme = TPM2_ALG_NULL;
    assert_int_equal(Tss2_TctiLdr_Initialize(f->tpm_b.tcti, &t), TSS2_RC_SUCCESS);
    assert_int_equal(Esys_Initialize(&esys, t, NULL), TSS2_RC_SUCCESS);
    persist_primary(esys, &tmpl, 0x81010100);
    p->objectAttributes &= ~TPMA_OBJECT_RESTRICTED;
    persist_primary(esys, &tmpl, 0x81010101);
    Esys_Finalize(&esys);
    Tss2_TctiLdr_Finalize(&t);

    /* Same TPM, same template: the persistent AK is the primary AK that signed quote_b. */
    EXPECT_OK(persistent_attester(f->tpm_b.tcti, 0x81010100, &a));
    EXPECT_OK(atea_tpm_attester_quote(a, f->report_data, &q));
    assert_int_equal(q.ak_spki.len, f->quote_b.ak_spki.len);
    assert_memory_equal(q.ak_spki.data, f->quote_b.ak_spki.data, q.ak_spki.len);
    SHA256(q.ak_spki.data, q.ak_spki.len, trust_b);
    atea_tpm_evidence ev = evidence_of(&q);
    expect_verify(&ev, trust_b, 1, f->report_data, ATEA_OK);
    atea_tpm_quote_free(&q);
    atea_attester_free(a);
    a = NULL;
    EXPECT_ERR(persistent_attester(f->tpm_b.tcti, 0x81010101, &a), ATEA_ERR_TPM_CONFIG);
    EXPECT_ERR(persistent_attester(f->tpm_b.tcti, 0x80000001, &a), ATEA_ERR_TPM_CONFIG);
    EXPECT_ERR(persistent_attester(f->tpm_b.tcti, 0x81010199, &a), ATEA_ERR_TPM_COMMAND);
    assert_null(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quote_verifies_with_exact_claims),
        cmocka_unit_test(test_rsa_aks_verify),
        cmocka_unit_test(test_report_data_mismatch),
        cmocka_unit_test(test_altered_pcr_value),
        cmocka_unit_test(test_wrong_ak),
        cmocka_unit_test(test_bit_flips),
        cmocka_unit_test(test_trailing_bytes),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_cmw_collection_carries_the_parts),
        cmocka_unit_test(test_cmw_json_and_malformed_collections),
        cmocka_unit_test(test_attester_config_errors),
        cmocka_unit_test(test_persistent_ak),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
