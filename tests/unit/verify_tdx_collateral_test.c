/* TDX collateral: signed JSON spans, signing chain, windows, CRLs, TCB status, directory loading.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "atea/appraisal.h"
#include "atea/tdx.h"
#include "atea_test.h"
#include "tdx_samples.h"
#include "verify/tdx_internal.h"

#define V4_TCB_LEVELS 2     /* UpToDate, OutOfDate */
#define T_2034 2019686400LL /* after the v5 PCK leaf's notAfter (2033-01-27) */

/* The collateral of the samples directory; only the TCB info differs between the sets. */
#define COLLATERAL_WITH_TCB_INFO(file)                                                             \
    {                                                                                              \
        .tcb_info = (file), .qe_identity = "sample_qeIdentity_response",                           \
        .tcb_signing_chain = "tcb_signing_chain.pem", .pck_crl = "pckcrl",                         \
        .root_crl = "rootcrl.der",                                                                 \
    }

static const atea_tdx_collateral_files V4_FILES =
    COLLATERAL_WITH_TCB_INFO("sample_tcbInfo_response");
static const atea_tdx_collateral_files V5_FILES =
    COLLATERAL_WITH_TCB_INFO("sample_tcbinfo_response_v5");
/* v4 set without its TCB info (which matches no level for this platform, README). */
static const atea_tdx_collateral_files V4_NO_TCB = COLLATERAL_WITH_TCB_INFO("absent-tcb-info.json");

static const char *shared_dir(void)
{
    static char dir[1024];
    snprintf(dir, sizeof(dir), "%s", atea_test_shared_path(TDX_SAMPLES_DIR));
    return dir;
}

typedef struct run {
    atea_buf quote;
    atea_verify_env env;
    atea_appraisal *a;
    atea_tdx_collateral *coll;
} run;

static void run_init(run *r, const char *quote_file, int64_t now,
                     const atea_tdx_collateral_files *files)
{
    memset(r, 0, sizeof(*r));
    r->quote = atea_test_read_file(atea_test_shared_path(quote_file));
    r->env.now = now;
    EXPECT_OK(atea_appraisal_new(&r->a));
    EXPECT_OK(atea_tdx_collateral_new(&r->coll));
    if (files != NULL) {
        EXPECT_OK(atea_tdx_collateral_load_dir(r->coll, shared_dir(), files));
    }
}

static atea_err run_verify(run *r)
{
    atea_appraisal_free(r->a);
    EXPECT_OK(atea_appraisal_new(&r->a));
    return atea_tdx_verify_with(&r->env, r->coll, r->quote.data, r->quote.len, r->a);
}

static void run_free(run *r)
{
    atea_tdx_collateral_free(r->coll);
    atea_appraisal_free(r->a);
    atea_buf_free(&r->quote);
}

static const char *claim_str(const atea_appraisal *a, const char *name)
{
    const atea_claim *c = atea_appraisal_find_claim(a, "tdx", name);
    return c != NULL && c->type == ATEA_CLAIM_STR ? c->str : NULL;
}

static void assert_claim_hex(const atea_appraisal *a, const char *name, const char *hex)
{
    const atea_claim *c = atea_appraisal_find_claim(a, "tdx", name);
    assert_non_null(c);
    atea_test_assert_hex(c->bytes.data, c->bytes.len, hex);
}

static void test_v5_up_to_date(void **state)
{
    (void)state;
    run r;
    run_init(&r, TDX_V5_QUOTE, TDX_T_V5, &V5_FILES);
    atea_buf rd = atea_test_hex(TDX_V5_REPORTDATA);
    r.env.expected_report_data = rd.data;
    EXPECT_OK(run_verify(&r));
    assert_claim_hex(r.a, "report_data", TDX_V5_REPORTDATA);
    assert_claim_hex(r.a, "fmspc", "90c06f000000");
    assert_false(atea_appraisal_has_reason(r.a, ATEA_ERR_BINDING_MISSING));
    assert_string_equal(claim_str(r.a, "tcb_status"), "UpToDate");
    assert_string_equal(claim_str(r.a, "advisory_ids"), "");
    assert_string_equal(claim_str(r.a, "qe_tcb_status"), "UpToDate");
    /* at 2026-02-10 the TCB info is fresh, but the TCB signing certificate (2025-05-21), the QE
     * identity and the CRLs (2023) are not: warnings, not failures */
    assert_true(atea_appraisal_has_reason(r.a, ATEA_ERR_TDX_COLLATERAL_STALE));
    assert_false(atea_appraisal_has_reason(r.a, ATEA_ERR_TDX_TCB_STATUS));
    assert_false(atea_appraisal_has_reason(r.a, ATEA_ERR_TDX_COLLATERAL_MISSING));
    assert_int_equal(atea_appraisal_status(r.a), ATEA_EAR_WARNING);
    /* the chain went into the cache; the second run uses it (no new slot) with the same result;
     * past the PCK leaf's life it fails anyway */
    assert_int_equal(r.coll->cache[0].used, 1);
    assert_int_equal(r.coll->cache_next, 1);
    assert_int_equal(r.coll->cache[0].qe_verified, 1);
    EXPECT_OK(run_verify(&r));
    assert_int_equal(r.coll->cache_next, 1);
    assert_string_equal(claim_str(r.a, "tcb_status"), "UpToDate");
    r.env.now = T_2034;
    EXPECT_ERR(run_verify(&r), ATEA_ERR_CHAIN_VALIDITY);
    atea_buf_free(&rd);
    run_free(&r);
}

/* The cache holds verified bytes; any other bytes are verified afresh. */
static void test_cache_does_not_mask_tampering(void **state)
{
    (void)state;
    run r;
    run_init(&r, TDX_V5_QUOTE, TDX_T_V5, &V5_FILES);
    EXPECT_OK(run_verify(&r)); /* fills the cache: chain, QE report, attestation key */
    const size_t sig = 0x2be + 4;
    const size_t qe = sig + 134;
    const struct {
        size_t off;
        atea_err want;
    } flips[] = {
        {qe + 384 + 3, ATEA_ERR_TDX_QE_REPORT_SIGNATURE}, /* QE report signature */
        {qe + 258, ATEA_ERR_TDX_QE_REPORT_SIGNATURE},     /* QE ISVSVN */
        {sig + 64 + 1, ATEA_ERR_TDX_QE_BINDING},          /* attestation key */
        {sig + 1, ATEA_ERR_TDX_QUOTE_SIGNATURE},          /* quote signature */
        {0x100, ATEA_ERR_TDX_QUOTE_SIGNATURE},            /* body */
    };
    for (size_t i = 0; i < sizeof(flips) / sizeof(flips[0]); i++) {
        r.quote.data[flips[i].off] ^= 0x01;
        EXPECT_ERR(run_verify(&r), flips[i].want);
        r.quote.data[flips[i].off] ^= 0x01;
        EXPECT_OK(run_verify(&r));
    }
    run_free(&r);
}

static void test_v4_matches_no_tcb_level(void **state)
{
    (void)state;
    run r;
    run_init(&r, TDX_V4_QUOTE, TDX_T_V4, &V4_FILES);
    EXPECT_ERR(run_verify(&r), ATEA_ERR_TDX_TCB_NO_MATCH);
    assert_non_null(strstr(atea_err_last()->detail, "50806f000000"));
    assert_int_equal(atea_appraisal_status(r.a), ATEA_EAR_CONTRAINDICATED);
    assert_null(claim_str(r.a, "tcb_status"));
    /* everything else was checked and recorded before */
    assert_string_equal(claim_str(r.a, "qe_tcb_status"), "UpToDate");
    assert_false(atea_appraisal_has_reason(r.a, ATEA_ERR_TDX_COLLATERAL_STALE));
    run_free(&r);
}

static void test_v4_fresh_collateral_without_tcb_info(void **state)
{
    (void)state;
    run r;
    run_init(&r, TDX_V4_QUOTE, TDX_T_V4, &V4_NO_TCB);
    atea_buf rd = atea_test_hex(TDX_V4_REPORTDATA);
    r.env.expected_report_data = rd.data;
    EXPECT_OK(run_verify(&r));
    assert_claim_hex(r.a, "report_data", TDX_V4_REPORTDATA);
    assert_claim_hex(r.a, "mrtd", TDX_V4_MRTD);
    assert_claim_hex(r.a, "fmspc", "50806f000000");
    assert_string_equal(claim_str(r.a, "qe_tcb_status"), "UpToDate");
    assert_false(atea_appraisal_has_reason(r.a, ATEA_ERR_TDX_COLLATERAL_STALE));
    assert_true(atea_appraisal_has_reason(r.a, ATEA_ERR_TDX_COLLATERAL_MISSING));
    assert_int_equal(atea_appraisal_status(r.a), ATEA_EAR_WARNING);
    /* today (no --at) the same collateral is stale: a warning, the quote still verifies */
    r.env.now = (int64_t)time(NULL);
    EXPECT_OK(run_verify(&r));
    assert_true(atea_appraisal_has_reason(r.a, ATEA_ERR_TDX_COLLATERAL_STALE));
    assert_int_equal(atea_appraisal_status(r.a), ATEA_EAR_WARNING);
    atea_buf_free(&rd);
    run_free(&r);
}

static void test_status_from_levels_and_module(void **state)
{
    (void)state;
    run r;
    run_init(&r, TDX_V5_QUOTE, TDX_T_V5, &V5_FILES);
    /* TDX_01 module identity: pretend its first level needs SVN 12 (the quote has 11) */
    tdx_module_identity *m = NULL;
    for (size_t i = 0; i < r.coll->tcb_info.module_identity_count; i++) {
        if (strcmp(r.coll->tcb_info.module_identities[i].id, "TDX_01") == 0) {
            m = &r.coll->tcb_info.module_identities[i];
        }
    }
    assert_non_null(m);
    assert_int_equal(m->levels[0].isvsvn, 6);
    m->levels[0].isvsvn = 12;
    EXPECT_OK(run_verify(&r));
    assert_string_equal(claim_str(r.a, "tcb_status"), "OutOfDate");
    assert_string_equal(claim_str(r.a, "advisory_ids"), "INTEL-SA-01036,INTEL-SA-01099");
    assert_true(atea_appraisal_has_reason(r.a, ATEA_ERR_TDX_TCB_STATUS));
    assert_int_equal(atea_appraisal_status(r.a), ATEA_EAR_WARNING);
    /* a ConfigurationNeeded platform with an OutOfDate module */
    r.coll->tcb_info.levels[0].status = TDX_TCB_CONFIGURATION_NEEDED;
    EXPECT_OK(run_verify(&r));
    assert_string_equal(claim_str(r.a, "tcb_status"), "OutOfDateConfigurationNeeded");
    r.coll->tcb_info.levels[0].status = TDX_TCB_UP_TO_DATE;
    m->levels[0].isvsvn = 6;
    /* a Revoked module revokes the platform, as a Revoked QE does */
    tdx_tcb_status module_status = m->levels[0].status;
    m->levels[0].status = TDX_TCB_REVOKED;
    EXPECT_ERR(run_verify(&r), ATEA_ERR_TDX_TCB_STATUS);
    assert_string_equal(claim_str(r.a, "tcb_status"), "Revoked");
    assert_int_equal(atea_appraisal_status(r.a), ATEA_EAR_CONTRAINDICATED);
    m->levels[0].status = module_status;
    /* an OutOfDate QE makes the platform OutOfDate, its advisories join; a Revoked QE revokes */
    tdx_tcb_level *qe_level = &r.coll->qe_identity.levels[0];
    qe_level->status = TDX_TCB_OUT_OF_DATE;
    qe_level->advisories.count = 1;
    strcpy(qe_level->advisories.ids[0], "INTEL-SA-00999");
    EXPECT_OK(run_verify(&r));
    assert_string_equal(claim_str(r.a, "qe_tcb_status"), "OutOfDate");
    assert_string_equal(claim_str(r.a, "tcb_status"), "OutOfDate");
    assert_string_equal(claim_str(r.a, "advisory_ids"), "INTEL-SA-00999");
    qe_level->status = TDX_TCB_REVOKED;
    EXPECT_ERR(run_verify(&r), ATEA_ERR_TDX_TCB_STATUS);
    qe_level->status = TDX_TCB_UP_TO_DATE;
    qe_level->advisories.count = 0;
    /* a Revoked platform level is a hard failure */
    r.coll->tcb_info.levels[0].status = TDX_TCB_REVOKED;
    EXPECT_ERR(run_verify(&r), ATEA_ERR_TDX_TCB_STATUS);
    assert_int_equal(atea_appraisal_status(r.a), ATEA_EAR_CONTRAINDICATED);
    r.coll->tcb_info.levels[0].status = TDX_TCB_UP_TO_DATE;
    /* the module's signer differs from the TCB info's */
    m->mrsigner[0] = 1;
    EXPECT_ERR(run_verify(&r), ATEA_ERR_TDX_COLLATERAL_MISMATCH);
    m->mrsigner[0] = 0;
    /* no identity for this module version */
    strcpy(m->id, "TDX_02");
    EXPECT_ERR(run_verify(&r), ATEA_ERR_TDX_COLLATERAL_MISMATCH);
    strcpy(m->id, "TDX_01");
    /* the QE identity requires a newer QE */
    uint16_t qe_svn = r.coll->qe_identity.levels[0].isvsvn;
    r.coll->qe_identity.levels[0].isvsvn = 60000;
    EXPECT_ERR(run_verify(&r), ATEA_ERR_TDX_TCB_NO_MATCH);
    assert_non_null(strstr(atea_err_last()->detail, "QE ISVSVN"));
    r.coll->qe_identity.levels[0].isvsvn = qe_svn;
    r.coll->qe_identity.isvprodid = 1;
    EXPECT_ERR(run_verify(&r), ATEA_ERR_TDX_QE_IDENTITY);
    r.coll->qe_identity.isvprodid = 2;
    r.coll->qe_identity.attributes_mask[0] = 0xff;
    r.coll->qe_identity.attributes[0] = 0x10;
    EXPECT_ERR(run_verify(&r), ATEA_ERR_TDX_QE_IDENTITY);
    run_free(&r);
}

static void test_other_platforms_tcb_info(void **state)
{
    (void)state;
    run r;
    run_init(&r, TDX_V5_QUOTE, TDX_T_V5, &V4_FILES); /* FMSPC 50806f000000 vs 90c06f000000 */
    EXPECT_OK(run_verify(&r));
    assert_true(atea_appraisal_has_reason(r.a, ATEA_ERR_TDX_COLLATERAL_MISMATCH));
    assert_null(claim_str(r.a, "tcb_status"));
    assert_int_equal(atea_appraisal_status(r.a), ATEA_EAR_WARNING);
    run_free(&r);
}

/* Load from memory with one document replaced. */
static atea_err load_with(atea_tdx_collateral *coll, const char *which, const uint8_t *doc,
                          size_t len)
{
    atea_buf tcb =
        atea_test_read_file(atea_test_shared_path(TDX_SAMPLES_DIR "/sample_tcbInfo_response"));
    atea_buf qe =
        atea_test_read_file(atea_test_shared_path(TDX_SAMPLES_DIR "/sample_qeIdentity_response"));
    atea_buf chain =
        atea_test_read_file(atea_test_shared_path(TDX_SAMPLES_DIR "/tcb_signing_chain.pem"));
    atea_tdx_collateral_bytes b;
    memset(&b, 0, sizeof(b));
    b.tcb_info = (atea_slice){tcb.data, tcb.len};
    b.qe_identity = (atea_slice){qe.data, qe.len};
    b.tcb_signing_chain = (atea_slice){chain.data, chain.len};
    if (strcmp(which, "tcb") == 0) {
        b.tcb_info = (atea_slice){doc, len};
    } else if (strcmp(which, "qe") == 0) {
        b.qe_identity = (atea_slice){doc, len};
    } else {
        b.tcb_signing_chain = (atea_slice){doc, len};
    }
    atea_err err = atea_tdx_collateral_load(coll, &b);
    atea_buf_free(&tcb);
    atea_buf_free(&qe);
    atea_buf_free(&chain);
    return err;
}

static size_t find(const atea_buf *b, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= b->len; i++) {
        if (memcmp(b->data + i, needle, k) == 0) {
            return i;
        }
    }
    fail_msg("'%s' not found", needle);
    return 0;
}

static void test_collateral_signatures(void **state)
{
    (void)state;
    atea_tdx_collateral *coll = NULL;
    EXPECT_OK(atea_tdx_collateral_new(&coll));
    atea_buf tcb =
        atea_test_read_file(atea_test_shared_path(TDX_SAMPLES_DIR "/sample_tcbInfo_response"));
    atea_buf qe =
        atea_test_read_file(atea_test_shared_path(TDX_SAMPLES_DIR "/sample_qeIdentity_response"));
    EXPECT_OK(load_with(coll, "tcb", tcb.data, tcb.len));
    assert_int_equal(coll->tcb_info.level_count, V4_TCB_LEVELS);
    /* one digit inside the signed object */
    size_t at = find(&tcb, "\"tcbEvaluationDataNumber\":15") + 26;
    tcb.data[at] = '6';
    EXPECT_ERR(load_with(coll, "tcb", tcb.data, tcb.len), ATEA_ERR_TDX_COLLATERAL_SIGNATURE);
    tcb.data[at] = '5';
    /* one digit of the signature */
    at = find(&tcb, "\"signature\":\"") + 13;
    tcb.data[at] = tcb.data[at] == '0' ? '1' : '0';
    EXPECT_ERR(load_with(coll, "tcb", tcb.data, tcb.len), ATEA_ERR_TDX_COLLATERAL_SIGNATURE);
    /* whitespace outside the signed object does not matter; inside it does */
    at = find(&qe, "{\"enclaveIdentity\":");
    uint8_t *spaced = malloc(qe.len + 2);
    assert_non_null(spaced);
    spaced[0] = ' ';
    memcpy(spaced + 1, qe.data, qe.len);
    spaced[qe.len + 1] = '\n';
    EXPECT_OK(load_with(coll, "qe", spaced, qe.len + 2));
    size_t inner = find(&qe, "\"id\":\"TD_QE\"");
    memcpy(spaced, qe.data, inner);
    spaced[inner] = ' ';
    memcpy(spaced + inner + 1, qe.data + inner, qe.len - inner);
    EXPECT_ERR(load_with(coll, "qe", spaced, qe.len + 1), ATEA_ERR_TDX_COLLATERAL_SIGNATURE);
    free(spaced);
    /* JSON that is not a signed document */
    EXPECT_ERR(load_with(coll, "tcb", (const uint8_t *)"{\"tcbInfo\":{}}", 14),
               ATEA_ERR_TDX_BAD_COLLATERAL);
    EXPECT_ERR(load_with(coll, "tcb", tcb.data, tcb.len - 5), ATEA_ERR_TRUNCATED);
    EXPECT_ERR(load_with(coll, "qe", tcb.data, tcb.len), ATEA_ERR_TDX_BAD_COLLATERAL);
    /* a TCB info without its signing chain */
    atea_tdx_collateral_bytes only_tcb;
    memset(&only_tcb, 0, sizeof(only_tcb));
    only_tcb.tcb_info = (atea_slice){tcb.data, tcb.len};
    EXPECT_ERR(atea_tdx_collateral_load(coll, &only_tcb), ATEA_ERR_TDX_COLLATERAL_MISSING);
    /* a CRL that is not a CRL */
    atea_tdx_collateral_bytes bad_crl;
    memset(&bad_crl, 0, sizeof(bad_crl));
    bad_crl.pck_crl = (atea_slice){(const uint8_t *)"\x30\x03\x02\x01\x00", 5};
    EXPECT_ERR(atea_tdx_collateral_load(coll, &bad_crl), ATEA_ERR_CHAIN_CRL);
    bad_crl.pck_crl = (atea_slice){NULL, 0};
    bad_crl.root_crl = (atea_slice){(const uint8_t *)"not a CRL", 9};
    EXPECT_ERR(atea_tdx_collateral_load(coll, &bad_crl), ATEA_ERR_CHAIN_CRL);
    /* a signing chain that ends at another root: the PCK CRL issuer chain's CA is not a root */
    atea_buf pck_chain =
        atea_test_read_file(atea_test_shared_path(TDX_SAMPLES_DIR "/pck_crl_issuer_chain.pem"));
    size_t second = find(&pck_chain, "-----END CERTIFICATE-----") + 26;
    EXPECT_ERR(load_with(coll, "chain", pck_chain.data, second), ATEA_ERR_CHAIN_UNTRUSTED_ROOT);
    atea_buf_free(&pck_chain);
    atea_buf_free(&tcb);
    atea_buf_free(&qe);
    atea_tdx_collateral_free(coll);
}

/* Content checks on (unsigned) documents. */
static atea_err parse_doc(const char *json)
{
    tdx_tcb_info *info = malloc(sizeof(*info));
    tdx_signed_json sj;
    assert_non_null(info);
    atea_err err = atea__tdx_tcb_info_from_json((const uint8_t *)json, strlen(json), info, &sj);
    free(info);
    return err;
}

static char *doc_with(const atea_buf *tcb, const char *from, const char *to)
{
    size_t at = find(tcb, from);
    size_t n = tcb->len - strlen(from) + strlen(to);
    char *out = malloc(n + 1);
    assert_non_null(out);
    memcpy(out, tcb->data, at);
    memcpy(out + at, to, strlen(to));
    memcpy(out + at + strlen(to), tcb->data + at + strlen(from), tcb->len - at - strlen(from));
    out[n] = '\0';
    return out;
}

static void test_tcb_info_content(void **state)
{
    (void)state;
    atea_buf tcb =
        atea_test_read_file(atea_test_shared_path(TDX_SAMPLES_DIR "/sample_tcbInfo_response"));
    char *d = doc_with(&tcb, "\"id\":\"TDX\"", "\"id\":\"TDX\"");
    EXPECT_OK(parse_doc(d));
    free(d);
    const char *cases[][3] = {
        {"\"id\":\"TDX\"", "\"id\":\"SGX\"", "id"},
        {"\"version\":3", "\"version\":2", "version"},
        {"\"fmspc\":\"50806f000000\"", "\"fmspc\":\"50806f0000\"", "fmspc"},
        {"\"issueDate\":\"2023-06-18T08:42:58Z\"", "\"issueDate\":\"2023-13-18T08:42:58Z\"",
         "date"},
        {"\"tcbStatus\":\"UpToDate\"", "\"tcbStatus\":\"Fine\"", "status"},
        {"\"pcesvn\":11", "\"pcesvn\":-1", "pcesvn"},
        {"\"svn\":5", "\"svn\":256", "svn"},
        {"\"tcbLevels\":[", "\"tcbLevelz\":[", "levels"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        d = doc_with(&tcb, cases[i][0], cases[i][1]);
        atea_err err = parse_doc(d);
        if (err != ATEA_ERR_TDX_BAD_COLLATERAL) {
            fail_msg("case %s: %s", cases[i][2], atea_err_name(err));
        }
        free(d);
    }
    /* duplicate keys, a second document, nesting */
    EXPECT_ERR(parse_doc("{\"tcbInfo\":{},\"tcbInfo\":{},\"signature\":\"00\"}"),
               ATEA_ERR_TDX_BAD_COLLATERAL);
    EXPECT_ERR(parse_doc("{\"tcbInfo\":{}} {}"), ATEA_ERR_TRAILING);
    char deep[64] = "{\"tcbInfo\":";
    memset(deep + strlen(deep), '[', 40); /* deeper than the scanner's cap of 32 */
    deep[sizeof(deep) - 1] = '\0';
    EXPECT_ERR(parse_doc(deep), ATEA_ERR_TOO_LARGE);
    atea_buf_free(&tcb);
}

/* The sample TCB info with its level list grown to n copies of its first level. */
static char *tcb_info_with_levels(size_t n)
{
    atea_buf tcb =
        atea_test_read_file(atea_test_shared_path(TDX_SAMPLES_DIR "/sample_tcbInfo_response"));
    json_t *root = json_loadb((const char *)tcb.data, tcb.len, 0, NULL);
    assert_non_null(root);
    json_t *info = json_object_get(root, "tcbInfo");
    json_t *levels = json_object_get(info, "tcbLevels");
    json_t *first = json_incref(json_array_get(levels, 0));
    json_array_clear(levels);
    for (size_t i = 0; i < n; i++) {
        json_array_append(levels, first);
    }
    json_decref(first);
    char *out = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    atea_buf_free(&tcb);
    return out;
}

static void test_collateral_caps(void **state)
{
    (void)state;
    char *d = tcb_info_with_levels(TDX_MAX_TCB_LEVELS);
    EXPECT_OK(parse_doc(d));
    free(d);
    d = tcb_info_with_levels(TDX_MAX_TCB_LEVELS + 1);
    EXPECT_ERR(parse_doc(d), ATEA_ERR_TOO_LARGE);
    free(d);
    /* JSON nesting: 32 levels scan (then the content is wrong), 33 do not */
    char deep[320];
    for (int depth = 32; depth <= 33; depth++) {
        int n = snprintf(deep, sizeof(deep), "{\"tcbInfo\":");
        for (int i = 0; i < depth; i++) {
            deep[n++] = '[';
        }
        for (int i = 0; i < depth; i++) {
            deep[n++] = ']';
        }
        snprintf(deep + n, sizeof(deep) - (size_t)n, ",\"signature\":\"%0128d\"}", 0);
        EXPECT_ERR(parse_doc(deep), depth == 32 ? ATEA_ERR_TDX_BAD_COLLATERAL : ATEA_ERR_TOO_LARGE);
    }
}

/* A directory with default names (symlinks to the shared files), and one with an index. */
static void make_dir(char *tmpl, const char *const names[5][2], int with_index)
{
    assert_non_null(mkdtemp(tmpl));
    char path[2048];
    char target[2048];
    for (size_t i = 0; i < 5; i++) {
        if (names[i][0] == NULL) {
            continue;
        }
        snprintf(path, sizeof(path), "%s/%s", tmpl, with_index ? names[i][1] : names[i][0]);
        snprintf(target, sizeof(target), "%s/%s", shared_dir(), names[i][1]);
        assert_int_equal(symlink(target, path), 0);
    }
    if (with_index) {
        snprintf(path, sizeof(path), "%s/%s", tmpl, ATEA_TDX_COLLATERAL_INDEX);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fprintf(f, "# the shared sample names\n");
        for (size_t i = 0; i < 5; i++) {
            if (names[i][0] != NULL) {
                fprintf(f, "%.*s = %s\n", (int)(strchr(names[i][0], '.') - names[i][0]),
                        names[i][0], names[i][1]);
            }
        }
        fclose(f);
    }
}

static void remove_dir(const char *dir, const char *const names[5][2], int with_index)
{
    char path[2048];
    for (size_t i = 0; i < 5; i++) {
        if (names[i][0] != NULL) {
            snprintf(path, sizeof(path), "%s/%s", dir, with_index ? names[i][1] : names[i][0]);
            unlink(path);
        }
    }
    snprintf(path, sizeof(path), "%s/%s", dir, ATEA_TDX_COLLATERAL_INDEX);
    unlink(path);
    rmdir(dir);
}

/* The v5 quote verified at its README time with the collateral directory dir, into a fresh *a. */
static atea_err verify_v5_with_dir(const atea_buf *quote, const char *dir, atea_appraisal **a)
{
    atea_verify_env env = {.now = TDX_T_V5, .collateral_dir = dir};
    EXPECT_OK(atea_appraisal_new(a));
    return atea_tdx_verify(&env, quote->data, quote->len, *a);
}

static void test_collateral_dir_through_env(void **state)
{
    (void)state;
    const char *const names[5][2] = {
        {"tcb_info.json", "sample_tcbinfo_response_v5"},
        {"qe_identity.json", "sample_qeIdentity_response"},
        {"tcb_signing_chain.pem", "tcb_signing_chain.pem"},
        {"pck_crl.der", "pckcrl"},
        {"root_crl.der", "rootcrl.der"},
    };
    atea_buf quote = atea_test_read_file(atea_test_shared_path(TDX_V5_QUOTE));
    for (int with_index = 0; with_index < 2; with_index++) {
        char dir[] = "/tmp/atea-tdx-coll-XXXXXX";
        make_dir(dir, names, with_index);
        atea_appraisal *a = NULL;
        EXPECT_OK(verify_v5_with_dir(&quote, dir, &a));
        assert_string_equal(claim_str(a, "tcb_status"), "UpToDate");
        atea_appraisal_free(a);
        remove_dir(dir, names, with_index);
    }
    /* TCB info without its signing chain: verified without collateral, with a warning */
    const char *const no_chain[5][2] = {{"tcb_info.json", "sample_tcbinfo_response_v5"},
                                        {NULL, NULL},
                                        {NULL, NULL},
                                        {NULL, NULL},
                                        {NULL, NULL}};
    char dir[] = "/tmp/atea-tdx-coll-XXXXXX";
    make_dir(dir, no_chain, 0);
    atea_appraisal *a = NULL;
    EXPECT_OK(verify_v5_with_dir(&quote, dir, &a));
    assert_true(atea_appraisal_has_reason(a, ATEA_ERR_TDX_COLLATERAL_MISSING));
    assert_null(claim_str(a, "tcb_status"));
    atea_appraisal_free(a);
    /* a corrupt file is a hard failure */
    char bad[2048];
    snprintf(bad, sizeof(bad), "%s/qe_identity.json", dir);
    FILE *f = fopen(bad, "w");
    assert_non_null(f);
    fputs("{\"enclaveIdentity\":", f);
    fclose(f);
    EXPECT_ERR(verify_v5_with_dir(&quote, dir, &a), ATEA_ERR_TRUNCATED);
    assert_non_null(strstr(atea_err_last()->detail, "collateral in /tmp/atea-tdx-coll-"));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_CONTRAINDICATED);
    atea_appraisal_free(a);
    unlink(bad);
    /* an index with an unknown key */
    snprintf(bad, sizeof(bad), "%s/%s", dir, ATEA_TDX_COLLATERAL_INDEX);
    f = fopen(bad, "w");
    assert_non_null(f);
    fputs("tcb_infos = x.json\n", f);
    fclose(f);
    atea_tdx_collateral *coll = NULL;
    EXPECT_OK(atea_tdx_collateral_new(&coll));
    EXPECT_ERR(atea_tdx_collateral_load_dir(coll, dir, NULL), ATEA_ERR_TDX_BAD_COLLATERAL);
    atea_tdx_collateral_free(coll);
    remove_dir(dir, no_chain, 0);
    atea_buf_free(&quote);
}

/* A collateral directory that does not exist (a typo in --collateral) is not "no collateral":
 * revocation and TCB status would silently go unchecked, so it is a hard failure. */
static void test_collateral_dir_missing(void **state)
{
    (void)state;
    atea_buf quote = atea_test_read_file(atea_test_shared_path(TDX_V5_QUOTE));
    atea_appraisal *a = NULL;
    EXPECT_ERR(verify_v5_with_dir(&quote, "/nonexistent/atea-collateral", &a),
               ATEA_ERR_TDX_BAD_COLLATERAL);
    assert_non_null(strstr(atea_err_last()->detail, "/nonexistent/atea-collateral"));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_CONTRAINDICATED);
    atea_appraisal_free(a);
    /* a file where the directory should be */
    atea_tdx_collateral *coll = NULL;
    EXPECT_OK(atea_tdx_collateral_new(&coll));
    EXPECT_ERR(atea_tdx_collateral_load_dir(coll, atea_test_shared_path(TDX_V5_QUOTE), NULL),
               ATEA_ERR_TDX_BAD_COLLATERAL);
    assert_non_null(strstr(atea_err_last()->detail, "not a directory"));
    atea_tdx_collateral_free(coll);
    atea_buf_free(&quote);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v5_up_to_date),
        cmocka_unit_test(test_cache_does_not_mask_tampering),
        cmocka_unit_test(test_v4_matches_no_tcb_level),
        cmocka_unit_test(test_v4_fresh_collateral_without_tcb_info),
        cmocka_unit_test(test_status_from_levels_and_module),
        cmocka_unit_test(test_other_platforms_tcb_info),
        cmocka_unit_test(test_collateral_signatures),
        cmocka_unit_test(test_tcb_info_content),
        cmocka_unit_test(test_collateral_caps),
        cmocka_unit_test(test_collateral_dir_through_env),
        cmocka_unit_test(test_collateral_dir_missing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
