/*
 * Arm CCA token appraisal (draft-ffm-rats-cca-token §4, evidence-formats.md §4): both tokens
 * are parsed in full first, then the realm signature (RAK), the realm-platform binding
 * (platform challenge == Hash(RAK)), the platform signature (CPAK from the policy) and the
 * realm challenge (the connection binder) are checked, in that order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "atea/cca.h"
#include "core/check.h"
#include "verify/cca_internal.h"

#define SUBMOD "cca"
#define PLATFORM "arm-cca"
#define CCA_CHALLENGE_LEN 64

/* PSA security lifecycle (PSA Certified Attestation API, "Security lifecycle"): the upper byte
 * names the state, the lower byte is implementation defined. */
static const struct {
    uint64_t state;
    const char *name;
    int debug;
} LIFECYCLES[] = {
    {0x0000, "unknown", 0},
    {0x1000, "assembly-and-test", 0},
    {0x2000, "psa-rot-provisioning", 0},
    {0x3000, "secured", 0},
    {0x4000, "non-psa-rot-debug", 1},
    {0x5000, "recoverable-psa-rot-debug", 1},
    {0x6000, "decommissioned", 0},
};
#define LIFECYCLE_SECURED 0x3000

typedef struct cca_parsed {
    atea_cca_collection coll;
    atea_cose_sign1 realm_cose;
    atea_cose_sign1 platform_cose;
    atea_cca_realm realm;
    atea_cca_platform platform;
} cca_parsed;

static size_t offset_in(const uint8_t *base, atea_slice s)
{
    return (size_t)(s.data - base);
}

static atea_err parse_all(const uint8_t *token, size_t len, cca_parsed *p)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE_MSG(len <= ATEA_CCA_TOKEN_MAX_SIZE, ATEA_ERR_TOO_LARGE,
                    "CCA token of %zu bytes exceeds %d", len, ATEA_CCA_TOKEN_MAX_SIZE);
    ATEA_TRY(atea__cca_collection_parse(token, len, &p->coll));
    ATEA_TRY(atea__cca_cose_parse(p->coll.realm, offset_in(token, p->coll.realm), &p->realm_cose));
    ATEA_TRY(atea__cca_realm_parse(p->realm_cose.payload, offset_in(token, p->realm_cose.payload),
                                   &p->realm));
    ATEA_TRY(atea__cca_cose_parse(p->coll.platform, offset_in(token, p->coll.platform),
                                  &p->platform_cose));
    ATEA_TRY(atea__cca_platform_parse(p->platform_cose.payload,
                                      offset_in(token, p->platform_cose.payload), &p->platform));
out:
    return err;
}

/* The realm token is signed by the RAK it carries; the binding below ties that key to the
 * platform, whose signature ties it to the hardware. */
static atea_err check_realm(const cca_parsed *p, atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    EVP_PKEY *rak = NULL;
    int valid = 0;
    ATEA_TRY(atea__cca_rak_key(p->realm.rak, &rak));
    ATEA_TRY(atea__cose_sign1_verify(&p->realm_cose, rak, &valid));
    ATEA_ENSURE_MSG(valid, ATEA_ERR_CCA_REALM_SIGNATURE,
                    "realm token COSE_Sign1 (alg %lld) does not verify with the RAK of claim 44237",
                    (long long)p->realm_cose.alg);
    ATEA_TRY(atea_appraisal_add_reason(out, SUBMOD, ATEA_EAR_AFFIRMING, ATEA_OK,
                                       "realm token signature verifies with its RAK"));
out:
    EVP_PKEY_free(rak);
    return err;
}

/* platform.challenge == Hash_{realm 44240}(realm 44237 bytes) (draft-ffm-rats-cca-token §4.1). */
static atea_err check_binding(const cca_parsed *p, atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    const EVP_MD *md = NULL;
    size_t hash_len = 0;
    uint8_t digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    ATEA_TRY(atea__cca_hash_alg(p->realm.rak_hash_alg, "realm public key hash algorithm (44240)",
                                &md, &hash_len));
    ATEA_ENSURE(EVP_Digest(p->realm.rak.data, p->realm.rak.len, digest, &digest_len, md, NULL) == 1,
                ATEA_ERR_INTERNAL);
    ATEA_ENSURE_MSG(p->platform.challenge.len == digest_len &&
                        atea_ct_equal(p->platform.challenge.data, digest, digest_len),
                    ATEA_ERR_CCA_PLATFORM_CHALLENGE,
                    "platform challenge (%zu bytes, %02x%02x%02x%02x...) is not the hash of the "
                    "RAK (%02x%02x%02x%02x...)",
                    p->platform.challenge.len, p->platform.challenge.data[0],
                    p->platform.challenge.data[1], p->platform.challenge.data[2],
                    p->platform.challenge.data[3], digest[0], digest[1], digest[2], digest[3]);
    ATEA_TRY(atea_appraisal_add_reason(out, SUBMOD, ATEA_EAR_AFFIRMING, ATEA_OK,
                                       "platform challenge is the hash of the realm's RAK"));
out:
    return err;
}

static atea_err check_platform(const atea_verify_env *env, const cca_parsed *p, atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    EVP_PKEY *cpak = NULL;
    int valid = 0;
    ATEA_ENSURE_MSG(env->cca_cpak_pem_file != NULL, ATEA_ERR_CCA_NO_CPAK,
                    "the platform token cannot be verified: no CPAK is configured (policy "
                    "cca_cpak_pem_file)");
    ATEA_TRY(atea__cca_cpak_load(env->cca_cpak_pem_file, &cpak));
    ATEA_TRY(atea__cose_sign1_verify(&p->platform_cose, cpak, &valid));
    ATEA_ENSURE_MSG(valid, ATEA_ERR_CCA_PLATFORM_SIGNATURE,
                    "platform token COSE_Sign1 (alg %lld) does not verify with the CPAK in %s",
                    (long long)p->platform_cose.alg, env->cca_cpak_pem_file);
    ATEA_TRY(atea_appraisal_add_reason(out, SUBMOD, ATEA_EAR_AFFIRMING, ATEA_OK,
                                       "platform token signature verifies with the trusted CPAK"));
out:
    EVP_PKEY_free(cpak);
    return err;
}

/* A slice of text as a claim (copied through a bounded buffer: claim strings are NUL-ended). */
static atea_err claim_text(atea_appraisal *out, const char *name, atea_slice text)
{
    atea_err err = ATEA_OK;
    char buf[256];
    if (text.data == NULL) {
        goto out; /* optional claim absent */
    }
    ATEA_ENSURE(text.len < sizeof(buf), ATEA_ERR_INTERNAL); /* bounded by the claim tables */
    memcpy(buf, text.data, text.len);
    buf[text.len] = '\0';
    ATEA_ENSURE_MSG(strlen(buf) == text.len, ATEA_ERR_CCA_CLAIM,
                    "claim %s contains a NUL character", name);
    ATEA_TRY(atea_appraisal_claim_str(out, SUBMOD, name, buf));
out:
    return err;
}

static atea_err claim_data(atea_appraisal *out, const char *name, atea_slice data)
{
    if (data.data == NULL) {
        return ATEA_OK; /* optional claim absent */
    }
    return atea_appraisal_claim_bytes(out, SUBMOD, name, data.data, data.len);
}

static atea_err claim_realm(atea_appraisal *out, const atea_cca_realm *r)
{
    atea_err err = ATEA_OK;
    char name[32];
    ATEA_TRY(claim_data(out, "realm_challenge", r->challenge));
    ATEA_TRY(claim_data(out, "realm_personalization_value", r->personalization));
    ATEA_TRY(claim_data(out, "rim", r->rim));
    for (size_t i = 0; i < ATEA_CCA_REM_COUNT; i++) {
        snprintf(name, sizeof(name), "rem%zu", i);
        ATEA_TRY(claim_data(out, name, r->rem[i]));
    }
    ATEA_TRY(claim_data(out, "realm_public_key", r->rak));
    ATEA_TRY(claim_data(out, "realm_instance_id", r->instance_id));
    ATEA_TRY(claim_text(out, "realm_hash_algo", r->hash_alg));
    ATEA_TRY(claim_text(out, "realm_public_key_hash_algo", r->rak_hash_alg));
    ATEA_TRY(claim_text(out, "realm_profile", r->profile));
out:
    return err;
}

static atea_err claim_sw_components(atea_appraisal *out, const atea_cca_platform *p)
{
    atea_err err = ATEA_OK;
    char name[48]; /* "sw" + up to 20 digits + "_measurement" */
    ATEA_TRY(atea_appraisal_claim_int(out, SUBMOD, "sw_component_count", (int64_t)p->sw_count));
    for (size_t i = 0; i < p->sw_count; i++) {
        const atea_cca_sw_component *sw = &p->sw[i];
        snprintf(name, sizeof(name), "sw%zu_type", i);
        ATEA_TRY(claim_text(out, name, sw->type));
        snprintf(name, sizeof(name), "sw%zu_version", i);
        ATEA_TRY(claim_text(out, name, sw->version));
        snprintf(name, sizeof(name), "sw%zu_hash_algo", i);
        ATEA_TRY(claim_text(out, name, sw->hash_alg));
        snprintf(name, sizeof(name), "sw%zu_measurement", i);
        ATEA_TRY(claim_data(out, name, sw->measurement));
        snprintf(name, sizeof(name), "sw%zu_signer_id", i);
        ATEA_TRY(claim_data(out, name, sw->signer_id));
    }
out:
    return err;
}

static atea_err claim_platform(atea_appraisal *out, const atea_cca_platform *p)
{
    atea_err err = ATEA_OK;
    const char *state = "unknown";
    int debug = 0;
    for (size_t i = 0; i < ATEA_ARRAY_LEN(LIFECYCLES); i++) {
        if ((p->lifecycle & 0xFF00) == LIFECYCLES[i].state) {
            state = LIFECYCLES[i].name;
            debug = LIFECYCLES[i].debug;
        }
    }
    ATEA_TRY(claim_data(out, "platform_challenge", p->challenge));
    ATEA_TRY(claim_data(out, "platform_implementation_id", p->implementation_id));
    ATEA_TRY(claim_data(out, "platform_instance_id", p->instance_id));
    ATEA_TRY(claim_data(out, "platform_config", p->config));
    ATEA_TRY(claim_text(out, "platform_profile", p->profile));
    ATEA_TRY(claim_text(out, "platform_hash_algo", p->hash_alg));
    ATEA_TRY(claim_text(out, "platform_verification_service", p->verification_service));
    ATEA_TRY(atea_appraisal_claim_int(out, SUBMOD, "platform_lifecycle", (int64_t)p->lifecycle));
    ATEA_TRY(atea_appraisal_claim_str(out, SUBMOD, "platform_lifecycle_state", state));
    ATEA_TRY(atea_appraisal_claim_bool(out, SUBMOD, "debug", debug));
    ATEA_TRY(claim_sw_components(out, p));
    if ((p->lifecycle & 0xFF00) != LIFECYCLE_SECURED) {
        ATEA_TRY(atea_appraisal_add_reason(out, SUBMOD, ATEA_EAR_WARNING, ATEA_ERR_CCA_LIFECYCLE,
                                           "platform lifecycle 0x%04llx is '%s', not 'secured'",
                                           (unsigned long long)p->lifecycle, state));
    }
out:
    return err;
}

/* The realm challenge is the freshness and channel binder (profile.md §3). */
static atea_err check_realm_challenge(const atea_verify_env *env, const atea_cca_realm *r,
                                      atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    if (env->expected_report_data == NULL) {
        ATEA_TRY(atea_appraisal_add_reason(out, SUBMOD, ATEA_EAR_WARNING, ATEA_ERR_BINDING_MISSING,
                                           "the realm challenge was not compared with a binder: "
                                           "the token may be replayed from another connection"));
        goto out;
    }
    ATEA_ENSURE_MSG(
        r->challenge.len == CCA_CHALLENGE_LEN &&
            atea_ct_equal(r->challenge.data, env->expected_report_data, CCA_CHALLENGE_LEN),
        ATEA_ERR_CCA_REALM_CHALLENGE,
        "realm challenge %02x%02x%02x%02x... does not match the binder for this "
        "connection %02x%02x%02x%02x...",
        r->challenge.data[0], r->challenge.data[1], r->challenge.data[2], r->challenge.data[3],
        env->expected_report_data[0], env->expected_report_data[1], env->expected_report_data[2],
        env->expected_report_data[3]);
    ATEA_TRY(atea_appraisal_add_reason(out, SUBMOD, ATEA_EAR_AFFIRMING, ATEA_OK,
                                       "realm challenge matches the binder for this connection"));
out:
    return err;
}

atea_err atea_cca_verify(const atea_verify_env *env, const uint8_t *token, size_t len,
                         atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    cca_parsed *p = NULL;
    int declared = 0;
    ATEA_ENSURE(env != NULL && token != NULL && out != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea_appraisal_add_submod(out, SUBMOD, PLATFORM));
    declared = 1;
    /* EAR "hardware" stays contraindicated until the CPAK signature verifies. */
    ATEA_TRY(atea_appraisal_tvector(out, SUBMOD, "hardware", ATEA_EAR_CONTRAINDICATED));
    p = calloc(1, sizeof(*p)); /* about 3 KiB of slices: keep it off small stacks */
    ATEA_ENSURE_ALLOC(p);
    ATEA_TRY(parse_all(token, len, p));
    ATEA_TRY(check_realm(p, out));
    ATEA_TRY(check_binding(p, out));
    ATEA_TRY(check_platform(env, p, out));
    ATEA_TRY(atea_appraisal_tvector(out, SUBMOD, "hardware", ATEA_EAR_AFFIRMING));
    ATEA_TRY(claim_realm(out, &p->realm));
    ATEA_TRY(claim_platform(out, &p->platform));
    ATEA_TRY(check_realm_challenge(env, &p->realm, out));
out:
    if (err != ATEA_OK && declared &&
        atea_appraisal_add_reason(out, SUBMOD, ATEA_EAR_CONTRAINDICATED, err, "%s",
                                  atea_err_detail(err)) != ATEA_OK) {
        /* The appraisal is full or out of memory: the returned code still says what failed. */
    }
    free(p);
    return err;
}
