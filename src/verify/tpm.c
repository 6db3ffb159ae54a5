/*
 * TPM 2.0 quote verifier (include/atea/tpm.h, docs/evidence/TPM.md). Trust comes from the AK
 * alone: the relying party pins the SHA-256 of the AK's SubjectPublicKeyInfo, and a restricted
 * signing key only signs structures the TPM generated (TPM 2.0 Part 1 §25.2.2), which the
 * magic TPM_GENERATED_VALUE marks.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "atea/tpm.h"
#include "core/check.h"
#include "verify/tpm_attest.h"
#include "verify/tpm_internal.h"

#define TPM_SUBMOD "tpm"
#define TPM_PLATFORM "tpm2"
#define TPM_AK_HASH_LEN 32
/* EAR trustworthiness value "affirming" (draft-ietf-rats-ear §3.2). */
#define TPM_TV_AFFIRMING 2

/* Everything parsed from the four parts. */
typedef struct tpm_parsed {
    atea_tpm_attest attest;
    atea_tpm_signature sig;
    atea_tpm_pcr_values pcrs;
    EVP_PKEY *ak;
    uint8_t ak_hash[TPM_AK_HASH_LEN];
} tpm_parsed;

static atea_err tpm_pass(atea_appraisal *out, const char *fmt, const char *arg)
{
    return atea_appraisal_add_reason(out, TPM_SUBMOD, ATEA_EAR_AFFIRMING, ATEA_OK, fmt, arg);
}

static atea_err tpm_parse_ak(atea_slice spki, tpm_parsed *p)
{
    atea_err err = ATEA_OK;
    const uint8_t *cursor = spki.data;
    unsigned int hash_len = 0;

    ATEA_ENSURE_MSG(spki.len <= ATEA_TPM_MAX_AK_SPKI, ATEA_ERR_TOO_LARGE,
                    "AK SPKI of %zu bytes exceeds the cap of %d", spki.len, ATEA_TPM_MAX_AK_SPKI);
    ATEA_ENSURE(EVP_Digest(spki.data, spki.len, p->ak_hash, &hash_len, EVP_sha256(), NULL) == 1,
                ATEA_ERR_INTERNAL);
    p->ak = d2i_PUBKEY(NULL, &cursor, (long)spki.len);
    ATEA_ENSURE_MSG(p->ak != NULL, ATEA_ERR_TPM_BAD_AK,
                    "the %zu-byte AK public key is not DER SubjectPublicKeyInfo", spki.len);
    ATEA_ENSURE_MSG(cursor == spki.data + spki.len, ATEA_ERR_TPM_BAD_AK,
                    "%zu bytes follow the AK SubjectPublicKeyInfo",
                    (size_t)(spki.data + spki.len - cursor));
    ATEA_ENSURE_MSG(EVP_PKEY_is_a(p->ak, "EC") || EVP_PKEY_is_a(p->ak, "RSA"), ATEA_ERR_TPM_BAD_AK,
                    "the AK is a %s key, not EC or RSA", EVP_PKEY_get0_type_name(p->ak));
out:
    return err;
}

static atea_err tpm_parse(const atea_tpm_evidence *ev, tpm_parsed *p)
{
    atea_err err = ATEA_OK;
    const char *missing = ev->attest.len == 0      ? ATEA_TPM_LABEL_ATTEST
                          : ev->signature.len == 0 ? ATEA_TPM_LABEL_SIGNATURE
                          : ev->pcrs.len == 0      ? ATEA_TPM_LABEL_PCRS
                          : ev->ak_spki.len == 0   ? ATEA_TPM_LABEL_AK
                                                   : NULL;

    ATEA_ENSURE_MSG(missing == NULL, ATEA_ERR_TPM_MISSING_PART,
                    "the TPM evidence has no \"%s\" part", missing);
    ATEA_TRY(atea__tpm_attest_parse(ev->attest.data, ev->attest.len, &p->attest));
    ATEA_TRY(atea__tpm_signature_parse(ev->signature.data, ev->signature.len, &p->sig));
    ATEA_TRY(atea__tpm_pcr_values_parse(ev->pcrs.data, ev->pcrs.len, &p->pcrs));
    ATEA_TRY(tpm_parse_ak(ev->ak_spki, p));
out:
    return err;
}

static atea_err tpm_check_trust(const atea_tpm_trust *trust, const tpm_parsed *p)
{
    atea_err err = ATEA_OK;
    char hex[2 * TPM_AK_HASH_LEN + 1];
    int found = 0;

    ATEA_ENSURE(trust != NULL && trust->count > 0 && trust->ak_sha256 != NULL,
                ATEA_ERR_TPM_NO_TRUSTED_AK);
    for (size_t i = 0; i < trust->count; i++) {
        found |= atea_ct_equal(trust->ak_sha256 + i * TPM_AK_HASH_LEN, p->ak_hash, TPM_AK_HASH_LEN);
    }
    if (!found) {
        ATEA_TRY(atea_hex_encode(p->ak_hash, TPM_AK_HASH_LEN, hex, sizeof(hex)));
        ATEA_FAIL(ATEA_ERR_TPM_AK_UNTRUSTED,
                  "AK SPKI SHA-256 %s is not among the %zu trusted AKs of the policy", hex,
                  trust->count);
    }
out:
    return err;
}

/* TPMS_SIGNATURE_ECC r, s (unsigned big-endian) as a DER ECDSA-Sig-Value for OpenSSL. */
static atea_err tpm_ecdsa_der(const atea_tpm_signature *sig, uint8_t **der, int *der_len)
{
    atea_err err = ATEA_OK;
    ECDSA_SIG *es = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(sig->ecc_r.data, (int)sig->ecc_r.len, NULL);
    BIGNUM *s = BN_bin2bn(sig->ecc_s.data, (int)sig->ecc_s.len, NULL);

    ATEA_ENSURE(es != NULL && r != NULL && s != NULL, ATEA_ERR_NO_MEMORY);
    ATEA_ENSURE(ECDSA_SIG_set0(es, r, s) == 1, ATEA_ERR_NO_MEMORY);
    r = NULL;
    s = NULL;
    *der_len = i2d_ECDSA_SIG(es, der);
    ATEA_ENSURE(*der_len > 0, ATEA_ERR_NO_MEMORY);
out:
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(es);
    return err;
}

/* The AK's signature over the TPMS_ATTEST bytes (TPM 2.0 Part 3 §18.4: the quote is signed
 * with the AK's scheme, digest = H(attest)). */
static atea_err tpm_check_signature(const atea_tpm_evidence *ev, const tpm_parsed *p)
{
    atea_err err = ATEA_OK;
    const char *hash = atea__tpm_alg_name(p->sig.hash_alg);
    const int is_ecdsa = p->sig.sig_alg == ATEA_TPM_ALG_ECDSA;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    uint8_t *der = NULL;
    int der_len = 0;

    ATEA_ENSURE_ALLOC(ctx);
    /* SHA-1 collisions are practical; a quote signed over SHA-1 proves little. */
    ATEA_ENSURE_MSG(p->sig.hash_alg != ATEA_TPM_ALG_SHA1, ATEA_ERR_TPM_UNSUPPORTED_ALG,
                    "the quote is signed over SHA-1; atea accepts SHA-256/384/512 only");
    ATEA_ENSURE_MSG(is_ecdsa == EVP_PKEY_is_a(p->ak, "EC"), ATEA_ERR_TPM_SIGNATURE,
                    "signature algorithm 0x%04x does not fit the AK's %s key", p->sig.sig_alg,
                    EVP_PKEY_get0_type_name(p->ak));
    ATEA_ENSURE(EVP_DigestVerifyInit_ex(ctx, &pctx, hash, NULL, NULL, p->ak, NULL) == 1,
                ATEA_ERR_INTERNAL);
    if (p->sig.sig_alg == ATEA_TPM_ALG_RSAPSS) {
        /* Part 1 §B.7 lets the TPM pick the salt length (libtpms: the digest size, older
         * TPMs: the largest that fits), so accept any, as tpm2-tools does. */
        ATEA_ENSURE(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
                        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_AUTO) == 1,
                    ATEA_ERR_INTERNAL);
    }
    if (is_ecdsa) {
        ATEA_TRY(tpm_ecdsa_der(&p->sig, &der, &der_len));
    }
    ATEA_ENSURE_MSG(EVP_DigestVerify(ctx, is_ecdsa ? der : p->sig.rsa_sig.data,
                                     is_ecdsa ? (size_t)der_len : p->sig.rsa_sig.len,
                                     ev->attest.data, ev->attest.len) == 1,
                    ATEA_ERR_TPM_SIGNATURE,
                    "the %s/%s signature over the %zu-byte TPMS_ATTEST does not verify with the "
                    "AK",
                    is_ecdsa ? "ECDSA" : "RSA", hash, ev->attest.len);
out:
    OPENSSL_free(der);
    EVP_MD_CTX_free(ctx);
    return err;
}

static atea_err tpm_check_report_data(const atea_verify_env *env, const tpm_parsed *p,
                                      atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    const atea_slice extra = p->attest.extra_data;

    if (env->expected_report_data == NULL) {
        ATEA_TRY(atea_appraisal_add_reason(out, TPM_SUBMOD, ATEA_EAR_WARNING,
                                           ATEA_ERR_TPM_REPORT_DATA,
                                           "report_data was not checked: the caller gave none, "
                                           "so nothing binds this quote to a connection"));
        goto out;
    }
    /* profile.md §3: qualifyingData is report_data, all 64 bytes. */
    ATEA_ENSURE_MSG(
        extra.len == ATEA_TPM_QUALIFYING_DATA_LEN &&
            atea_ct_equal(extra.data, env->expected_report_data, ATEA_TPM_QUALIFYING_DATA_LEN),
        ATEA_ERR_TPM_REPORT_DATA,
        "the quote's %zu-byte extraData differs from the %d-byte report_data of this "
        "connection",
        extra.len, ATEA_TPM_QUALIFYING_DATA_LEN);
    ATEA_TRY(tpm_pass(out, "%s", "qualifyingData equals report_data (binder || aik_hash)"));
out:
    return err;
}

/* The PCR values must be exactly what the quote selected, and hash (with the signing scheme's
 * hash, Part 3 §18.4) to the signed pcrDigest. */
static atea_err tpm_check_pcrs(const tpm_parsed *p)
{
    atea_err err = ATEA_OK;
    const atea_tpm_pcr_selection *quoted = &p->attest.pcr_select;
    const atea_tpm_pcr_selection *given = &p->pcrs.selection;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    uint8_t digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;

    ATEA_ENSURE_ALLOC(ctx);
    ATEA_ENSURE_MSG(quoted->raw.len == given->raw.len &&
                        memcmp(quoted->raw.data, given->raw.data, given->raw.len) == 0,
                    ATEA_ERR_TPM_PCR_SELECTION,
                    "the PCR values are for a different selection than the quote's");
    ATEA_ENSURE_MSG(quoted->count <= 1, ATEA_ERR_TPM_PCR_SELECTION,
                    "the quote selects %u PCR banks; atea appraises one", quoted->count);
    ATEA_ENSURE(EVP_DigestInit_ex2(ctx, EVP_get_digestbyname(atea__tpm_alg_name(p->sig.hash_alg)),
                                   NULL) == 1,
                ATEA_ERR_INTERNAL);
    for (size_t i = 0; i < p->pcrs.count; i++) {
        ATEA_ENSURE(EVP_DigestUpdate(ctx, p->pcrs.digests[i].data, p->pcrs.digests[i].len) == 1,
                    ATEA_ERR_INTERNAL);
    }
    ATEA_ENSURE(EVP_DigestFinal_ex(ctx, digest, &digest_len) == 1, ATEA_ERR_INTERNAL);
    ATEA_ENSURE_MSG(digest_len == p->attest.pcr_digest.len &&
                        atea_ct_equal(digest, p->attest.pcr_digest.data, digest_len),
                    ATEA_ERR_TPM_PCR_DIGEST,
                    "the %zu PCR values hash to a different pcrDigest than the quote's",
                    p->pcrs.count);
out:
    EVP_MD_CTX_free(ctx);
    return err;
}

static atea_err tpm_claim_pcrs(const tpm_parsed *p, atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    size_t k = 0;

    if (p->pcrs.selection.count == 0) {
        goto out;
    }
    const atea_tpm_pcr_bank *bank = &p->pcrs.selection.banks[0];
    ATEA_TRY(atea_appraisal_claim_str(out, TPM_SUBMOD, "pcr_bank", atea__tpm_alg_name(bank->hash)));
    for (unsigned i = 0; i <= ATEA_TPM_MAX_PCR_INDEX; i++) {
        if (atea__tpm_pcr_selected(bank, i)) {
            char name[16];
            snprintf(name, sizeof(name), "pcr%u", i);
            ATEA_TRY(atea_appraisal_claim_bytes(out, TPM_SUBMOD, name, p->pcrs.digests[k].data,
                                                p->pcrs.digests[k].len));
            k++;
        }
    }
out:
    return err;
}

static atea_err tpm_claims(const tpm_parsed *p, atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    const atea_tpm_attest *a = &p->attest;

    ATEA_TRY(atea_appraisal_claim_bytes(out, TPM_SUBMOD, "report_data", a->extra_data.data,
                                        a->extra_data.len));
    ATEA_TRY(atea_appraisal_claim_int(out, TPM_SUBMOD, "clock", (int64_t)(a->clock & INT64_MAX)));
    ATEA_TRY(atea_appraisal_claim_int(out, TPM_SUBMOD, "reset_count", a->reset_count));
    ATEA_TRY(atea_appraisal_claim_int(out, TPM_SUBMOD, "restart_count", a->restart_count));
    ATEA_TRY(atea_appraisal_claim_bool(out, TPM_SUBMOD, "safe", a->safe));
    if (a->firmware_version <= INT64_MAX) {
        ATEA_TRY(atea_appraisal_claim_int(out, TPM_SUBMOD, "firmware_version",
                                          (int64_t)a->firmware_version));
    } else {
        uint8_t be[8];
        for (int i = 0; i < 8; i++) {
            be[i] = (uint8_t)(a->firmware_version >> (56 - 8 * i));
        }
        ATEA_TRY(atea_appraisal_claim_bytes(out, TPM_SUBMOD, "firmware_version", be, sizeof(be)));
    }
    ATEA_TRY(tpm_claim_pcrs(p, out));
out:
    return err;
}

static atea_err tpm_checks(const atea_verify_env *env, const atea_tpm_trust *trust,
                           const atea_tpm_evidence *ev, tpm_parsed *p, atea_appraisal *out)
{
    atea_err err = ATEA_OK;

    ATEA_TRY(tpm_parse(ev, p));
    /* The policy layer compares ak_hash too, so it is a claim even if the AK is not trusted. */
    ATEA_TRY(atea_appraisal_claim_bytes(out, TPM_SUBMOD, "ak_hash", p->ak_hash, TPM_AK_HASH_LEN));
    ATEA_TRY(tpm_check_trust(trust, p));
    ATEA_TRY(tpm_pass(out, "%s", "the AK is one the policy trusts"));
    ATEA_TRY(atea_appraisal_tvector(out, TPM_SUBMOD, "instance-identity", TPM_TV_AFFIRMING));
    ATEA_TRY(tpm_check_signature(ev, p));
    ATEA_TRY(tpm_pass(out, "the quote is signed by the trusted AK (%s)",
                      atea__tpm_alg_name(p->sig.hash_alg)));
    ATEA_TRY(tpm_check_report_data(env, p, out));
    ATEA_TRY(tpm_check_pcrs(p));
    ATEA_TRY(tpm_pass(out, "%s", "the PCR values match the signed pcrDigest"));
    ATEA_TRY(tpm_claims(p, out));
out:
    return err;
}

atea_err atea__tpm_recorded(atea_appraisal *out, atea_err failure)
{
    atea_err_info first;
    int declared = 0;

    if (failure == ATEA_OK) {
        return ATEA_OK;
    }
    first = *atea_err_last();
    for (size_t i = 0; i < atea_appraisal_submod_count(out); i++) {
        declared |= strcmp(atea_appraisal_submod_name(out, i), TPM_SUBMOD) == 0;
    }
    if ((!declared && atea_appraisal_add_submod(out, TPM_SUBMOD, TPM_PLATFORM) != ATEA_OK) ||
        atea_appraisal_add_reason(out, TPM_SUBMOD, ATEA_EAR_CONTRAINDICATED, failure, "%s",
                                  first.code == failure ? first.detail : atea_strerror(failure)) !=
            ATEA_OK) {
        /* Keep the first failure's context for the caller, not the appraisal's. */
        (void)atea__err_set(first.code, first.file, first.line, "%s", first.detail);
    }
    return failure;
}

atea_err atea_tpm_verify(const atea_verify_env *env, const atea_tpm_trust *trust,
                         const atea_tpm_evidence *evidence, atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    tpm_parsed parsed;

    memset(&parsed, 0, sizeof(parsed));
    ATEA_ENSURE(env != NULL && evidence != NULL && out != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea_appraisal_add_submod(out, TPM_SUBMOD, TPM_PLATFORM));
    ATEA_TRY(atea__tpm_recorded(out, tpm_checks(env, trust, evidence, &parsed, out)));
out:
    EVP_PKEY_free(parsed.ak);
    return err;
}
