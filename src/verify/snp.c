/*
 * SEV-SNP report appraisal (evidence-formats 3.3): bind the report to its endorsement key
 * (SIGNING_KEY, product, REPORTED_TCB, CHIP_ID), check the signature, publish the claims and
 * compare REPORT_DATA with the connection's binder. Every check leaves a reason in the
 * appraisal; a failed one also returns its code (verify_env.h).
 */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "atea/snp.h"
#include "core/check.h"
#include "verify/cose.h"
#include "verify/snp_internal.h"

#define SUBMOD "snp"
#define PLATFORM "amd-sev-snp"
#define P384_SCALAR 48

/* POLICY bits (SEV-SNP Firmware ABI spec 56860, "Guest Policy"). */
static const struct {
    const char *claim;
    unsigned bit;
} POLICY_FLAGS[] = {
    {"smt", 16},           {"migrate_ma", 18},        {"debug", 19},
    {"single_socket", 20}, {"cxl_allow", 21},         {"mem_aes_256_xts", 22},
    {"rapl_dis", 23},      {"ciphertext_hiding", 24}, {"page_swap_disable", 25},
};
#define POLICY_DEBUG_BIT 19

/* Declare the submodule; its hardware trust is contraindicated until the signature verifies. */
static atea_err declare(atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(atea_appraisal_add_submod(out, SUBMOD, PLATFORM));
    ATEA_TRY(atea_appraisal_tvector(out, SUBMOD, "hardware", ATEA_EAR_CONTRAINDICATED));
out:
    return err;
}

/* Record a failed check as CONTRAINDICATED, keeping the first error whatever happens. */
static void record_failure(atea_appraisal *out, atea_err code)
{
    if (atea_appraisal_add_reason(out, SUBMOD, ATEA_EAR_CONTRAINDICATED, code, "%s",
                                  atea_err_detail(code)) != ATEA_OK) {
        /* The appraisal is full or out of memory: the returned code still says what failed. */
    }
}

/* The endorsement must be the key the report names, for the report's product, TCB and chip. */
static atea_err bind_endorsement(const atea_snp_report *r, const atea_snp_endorsement *e,
                                 atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    const atea_snp_kds *kds = atea__snp_endorsement_kds(e);
    atea_snp_key kind = atea__snp_endorsement_kind(e);
    ATEA_ENSURE_MSG(r->signing_key == kind, ATEA_ERR_SNP_KEY_MISMATCH,
                    "the report's SIGNING_KEY is %s but the certificate is a %s",
                    r->signing_key == ATEA_SNP_KEY_VLEK ? "VLEK" : "VCEK",
                    kind == ATEA_SNP_KEY_VLEK ? "VLEK" : "VCEK");
    ATEA_ENSURE_MSG(!r->mask_chip_key, ATEA_ERR_SNP_SIGNING_KEY,
                    "MASK_CHIP_KEY is set: the firmware did not sign this report");
    atea_snp_product cpu = atea_snp_report_product(r);
    ATEA_ENSURE_MSG(cpu == ATEA_SNP_PRODUCT_UNKNOWN || cpu == kds->product, ATEA_ERR_SNP_PRODUCT,
                    "the report's CPUID (family 0x%02x model 0x%02x) is %s but the certificate is "
                    "for %s",
                    r->cpuid_fam_id, r->cpuid_mod_id, atea_snp_product_name(cpu),
                    kds->product_name);
    atea_snp_tcb t = atea_snp_tcb_decode(r->reported_tcb, kds->product);
    ATEA_ENSURE_MSG(t.bootloader == kds->tcb.bootloader && t.tee == kds->tcb.tee &&
                        t.snp == kds->tcb.snp && t.microcode == kds->tcb.microcode &&
                        t.fmc == kds->tcb.fmc,
                    ATEA_ERR_SNP_TCB_MISMATCH,
                    "REPORTED_TCB fmc/bl/tee/snp/ucode %u/%u/%u/%u/%u, certificate SPLs "
                    "%u/%u/%u/%u/%u",
                    t.fmc, t.bootloader, t.tee, t.snp, t.microcode, kds->tcb.fmc,
                    kds->tcb.bootloader, kds->tcb.tee, kds->tcb.snp, kds->tcb.microcode);
    if (kind == ATEA_SNP_KEY_VCEK) {
        /* Turin VCEKs carry the first 8 bytes of CHIP_ID; earlier products all 64. */
        ATEA_ENSURE_MSG(atea_ct_equal(kds->hwid, r->chip_id, kds->hwid_len),
                        ATEA_ERR_SNP_CHIP_ID_MISMATCH,
                        "VCEK hwID %02x%02x%02x%02x... is not CHIP_ID %02x%02x%02x%02x...",
                        kds->hwid[0], kds->hwid[1], kds->hwid[2], kds->hwid[3], r->chip_id[0],
                        r->chip_id[1], r->chip_id[2], r->chip_id[3]);
    }
    ATEA_TRY(atea_appraisal_add_reason(
        out, SUBMOD, ATEA_EAR_AFFIRMING, ATEA_OK, "%s for %s matches SIGNING_KEY, REPORTED_TCB%s",
        kind == ATEA_SNP_KEY_VLEK ? "VLEK" : "VCEK", kds->product_name,
        kind == ATEA_SNP_KEY_VCEK ? " and CHIP_ID" : ""));
out:
    return err;
}

/* ECDSA P-384/SHA-384 over report[0..0x29F]; r and s are little-endian (evidence-formats 3.6). */
static atea_err check_signature(const atea_snp_report *r, const atea_snp_endorsement *e,
                                const uint8_t *report, atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    uint8_t rb[P384_SCALAR];
    uint8_t sb[P384_SCALAR];
    int valid = 0;
    for (size_t i = 0; i < P384_SCALAR; i++) {
        rb[i] = r->sig_r[P384_SCALAR - 1 - i];
        sb[i] = r->sig_s[P384_SCALAR - 1 - i];
    }
    ATEA_TRY(atea__ecdsa_verify_raw(atea__snp_endorsement_key(e), EVP_sha384(), report,
                                    ATEA_SNP_SIGNED_SIZE, rb, sb, P384_SCALAR, &valid));
    ATEA_ENSURE_MSG(valid, ATEA_ERR_SNP_SIGNATURE,
                    "ECDSA P-384 signature over bytes 0x000..0x29F does not verify with the %s",
                    atea__snp_endorsement_kind(e) == ATEA_SNP_KEY_VLEK ? "VLEK" : "VCEK");
    ATEA_TRY(atea_appraisal_add_reason(out, SUBMOD, ATEA_EAR_AFFIRMING, ATEA_OK,
                                       "report signature verifies; the chain reaches the pinned "
                                       "AMD ARK"));
out:
    return err;
}

static atea_err claim_tcb(atea_appraisal *out, const char *name, const uint8_t raw[8],
                          atea_snp_product product)
{
    atea_err err = ATEA_OK;
    char part[48];
    atea_snp_tcb t = atea_snp_tcb_decode(raw, product);
    const struct {
        const char *suffix;
        uint8_t value;
    } parts[] = {{"bootloader", t.bootloader},
                 {"tee", t.tee},
                 {"snp", t.snp},
                 {"microcode", t.microcode},
                 {"fmc", t.fmc}};
    ATEA_TRY(atea_appraisal_claim_bytes(out, SUBMOD, name, raw, 8));
    size_t n = product == ATEA_SNP_PRODUCT_TURIN ? 5 : 4;
    for (size_t i = 0; i < n; i++) {
        snprintf(part, sizeof(part), "%s_%s", name, parts[i].suffix);
        ATEA_TRY(atea_appraisal_claim_int(out, SUBMOD, part, parts[i].value));
    }
out:
    return err;
}

static atea_err claim_policy(atea_appraisal *out, uint64_t policy)
{
    atea_err err = ATEA_OK;
    /* Bits 63:26 are zero (checked by the parser), so the value fits an int64. */
    ATEA_TRY(atea_appraisal_claim_int(out, SUBMOD, "policy", (int64_t)policy));
    ATEA_TRY(atea_appraisal_claim_int(out, SUBMOD, "abi_minor", (int64_t)(policy & 0xFF)));
    ATEA_TRY(atea_appraisal_claim_int(out, SUBMOD, "abi_major", (int64_t)((policy >> 8) & 0xFF)));
    for (size_t i = 0; i < ATEA_ARRAY_LEN(POLICY_FLAGS); i++) {
        ATEA_TRY(atea_appraisal_claim_bool(out, SUBMOD, POLICY_FLAGS[i].claim,
                                           (int)((policy >> POLICY_FLAGS[i].bit) & 1u)));
    }
out:
    return err;
}

static atea_err claim_report(atea_appraisal *out, const atea_snp_report *r,
                             const atea_snp_endorsement *e)
{
    atea_err err = ATEA_OK;
    atea_snp_product product = atea__snp_endorsement_kds(e)->product;
    const struct {
        const char *name;
        const uint8_t *data;
        size_t len;
    } bytes[] = {
        {"measurement", r->measurement, sizeof(r->measurement)},
        {"host_data", r->host_data, sizeof(r->host_data)},
        {"report_data", r->report_data, sizeof(r->report_data)},
        {"family_id", r->family_id, sizeof(r->family_id)},
        {"image_id", r->image_id, sizeof(r->image_id)},
        {"id_key_digest", r->id_key_digest, sizeof(r->id_key_digest)},
        {"author_key_digest", r->author_key_digest, sizeof(r->author_key_digest)},
        {"report_id", r->report_id, sizeof(r->report_id)},
        {"report_id_ma", r->report_id_ma, sizeof(r->report_id_ma)},
        {"chip_id", r->chip_id, sizeof(r->chip_id)},
        {"committed_tcb", r->committed_tcb, sizeof(r->committed_tcb)},
        {"launch_tcb", r->launch_tcb, sizeof(r->launch_tcb)},
    };
    for (size_t i = 0; i < ATEA_ARRAY_LEN(bytes); i++) {
        ATEA_TRY(
            atea_appraisal_claim_bytes(out, SUBMOD, bytes[i].name, bytes[i].data, bytes[i].len));
    }
    ATEA_TRY(atea_appraisal_claim_int(out, SUBMOD, "version", r->version));
    ATEA_TRY(atea_appraisal_claim_int(out, SUBMOD, "guest_svn", r->guest_svn));
    ATEA_TRY(atea_appraisal_claim_int(out, SUBMOD, "vmpl", r->vmpl));
    ATEA_TRY(atea_appraisal_claim_int(out, SUBMOD, "platform_info",
                                      (int64_t)(r->platform_info & INT64_MAX)));
    ATEA_TRY(claim_policy(out, r->policy));
    ATEA_TRY(claim_tcb(out, "reported_tcb", r->reported_tcb, product));
    ATEA_TRY(claim_tcb(out, "current_tcb", r->current_tcb, product));
    ATEA_TRY(atea_appraisal_claim_str(out, SUBMOD, "signing_key",
                                      r->signing_key == ATEA_SNP_KEY_VLEK ? "vlek" : "vcek"));
    ATEA_TRY(atea_appraisal_claim_str(out, SUBMOD, "product", atea_snp_product_name(product)));
out:
    return err;
}

/* REPORT_DATA must be the binder of this connection (profile.md 3), compared in constant time. */
static atea_err check_report_data(const atea_verify_env *env, const atea_snp_report *r,
                                  atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    if (env->expected_report_data == NULL) {
        ATEA_TRY(atea_appraisal_add_reason(out, SUBMOD, ATEA_EAR_WARNING, ATEA_ERR_BINDING_MISSING,
                                           "REPORT_DATA was not compared with a binder: the report "
                                           "may be replayed from another connection"));
        goto out;
    }
    ATEA_ENSURE_MSG(
        atea_ct_equal(r->report_data, env->expected_report_data, sizeof(r->report_data)),
        ATEA_ERR_SNP_REPORT_DATA,
        "REPORT_DATA %02x%02x%02x%02x... does not match the binder for this connection "
        "%02x%02x%02x%02x...",
        r->report_data[0], r->report_data[1], r->report_data[2], r->report_data[3],
        env->expected_report_data[0], env->expected_report_data[1], env->expected_report_data[2],
        env->expected_report_data[3]);
    ATEA_TRY(atea_appraisal_add_reason(out, SUBMOD, ATEA_EAR_AFFIRMING, ATEA_OK,
                                       "REPORT_DATA matches the binder for this connection"));
out:
    return err;
}

/* Everything after the submodule is declared and the endorsement exists. */
static atea_err appraise(const atea_verify_env *env, const atea_snp_endorsement *e,
                         const uint8_t *report, size_t len, atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    atea_snp_report r;
    ATEA_TRY(atea_snp_report_parse(report, len, &r));
    ATEA_TRY(bind_endorsement(&r, e, out));
    ATEA_TRY(check_signature(&r, e, report, out));
    /* EAR "hardware": genuine AMD hardware signed this (set to contraindicated on entry). */
    ATEA_TRY(atea_appraisal_tvector(out, SUBMOD, "hardware", ATEA_EAR_AFFIRMING));
    ATEA_TRY(claim_report(out, &r, e));
    if ((r.policy >> POLICY_DEBUG_BIT) & 1u) {
        /* A soft finding here: the claim says debug=true and the policy layer rejects it. */
        ATEA_TRY(atea_appraisal_add_reason(out, SUBMOD, ATEA_EAR_WARNING, ATEA_ERR_SNP_DEBUG,
                                           "guest POLICY 0x%llx allows debugging (bit 19): the "
                                           "hypervisor can read and change guest memory",
                                           (unsigned long long)r.policy));
    }
    ATEA_TRY(check_report_data(env, &r, out));
out:
    return err;
}

atea_err atea_snp_verify_endorsed(const atea_verify_env *env,
                                  const atea_snp_endorsement *endorsement, const uint8_t *report,
                                  size_t len, atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    int declared = 0;
    ATEA_ENSURE(env != NULL && endorsement != NULL && report != NULL && out != NULL,
                ATEA_ERR_INVALID_ARG);
    ATEA_TRY(declare(out));
    declared = 1;
    ATEA_TRY(appraise(env, endorsement, report, len, out));
out:
    if (err != ATEA_OK && declared) {
        record_failure(out, err);
    }
    return err;
}

atea_err atea_snp_verify(const atea_verify_env *env, const uint8_t *report, size_t len,
                         const atea_snp_certs *certs, atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    atea_snp_endorsement *e = NULL;
    atea_snp_report r;
    int declared = 0;
    ATEA_ENSURE(env != NULL && report != NULL && out != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(declare(out));
    declared = 1;
    /* The report says which key signed it; that decides which chain to build. */
    ATEA_TRY(atea_snp_report_parse(report, len, &r));
    ATEA_TRY(atea_snp_endorsement_new(env, certs, r.signing_key, &e));
    ATEA_TRY(appraise(env, e, report, len, out));
out:
    if (err != ATEA_OK && declared) {
        record_failure(out, err);
    }
    atea_snp_endorsement_free(e);
    return err;
}
