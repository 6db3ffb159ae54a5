/*
 * libFuzzer target for EAT Attestation Results (include/atea/ear.h): the compact-JWS splitter,
 * base64url, the JSON caps, the protected header (alg, jwk), the signature check and the EAR
 * claims-set. So that mutated inputs get past the trust check, the trust set is whatever key
 * the input's own header carries (when it parses). A fuzzer cannot forge ECDSA, so the claims
 * reader also runs directly on the decoded payload. Fixed verification time and binder (the
 * seeds were made with iat 1800000000 and binder 32 x 0x11). Deterministic: no clock, no
 * randomness.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "atea/appraisal.h"
#include "atea/ear.h"
#include "verify/ear_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_NOW 1800000000

/* The SHA-256 of the key in the input's header, if it has one. */
static int header_key(const ear_jws *jws, uint8_t digest[32])
{
    atea_buf text = {0};
    json_t *header = NULL;
    ear_jws_header h;
    int ok =
        atea__ear_b64_decode(jws->header_b64, ATEA_EAR_MAX_HEADER, "header", &text) == ATEA_OK &&
        atea__ear_json_object(&text, "header", &header) == ATEA_OK &&
        atea__ear_jws_header_read(header, &h) == ATEA_OK;
    if (ok) {
        memcpy(digest, h.key_sha256, 32);
        atea__ear_jws_header_dispose(&h);
    }
    json_decref(header);
    atea_buf_free(&text);
    return ok;
}

/* The claims reader on the (unauthenticated) payload. */
static void claims_only(const ear_jws *jws, const atea_verify_env *env, const atea_binding *binding)
{
    atea_buf text = {0};
    json_t *claims = NULL;
    atea_appraisal *a = NULL;
    if (atea__ear_b64_decode(jws->payload_b64, ATEA_EAR_MAX_PAYLOAD, "payload", &text) == ATEA_OK &&
        atea__ear_json_object(&text, "payload", &claims) == ATEA_OK &&
        atea_appraisal_new(&a) == ATEA_OK &&
        atea_appraisal_add_submod(a, ATEA_EAR_SUBMOD, ATEA_EAR_PLATFORM) == ATEA_OK) {
        (void)atea__ear_claims_read(claims, env, binding, a);
        (void)atea_appraisal_status(a);
    }
    atea_appraisal_free(a);
    json_decref(claims);
    atea_buf_free(&text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    atea_verify_env env = {.now = FUZZ_NOW};
    atea_binding binding;
    ear_jws jws;
    uint8_t digest[32];
    atea_ear_trust trust = {0};
    atea_appraisal *a = NULL;
    memset(&binding, 0, sizeof(binding));
    memset(binding.binder, 0x11, 32);
    binding.binder_len = 32;
    if (atea__ear_jws_split(data, size, &jws) == ATEA_OK) {
        if (header_key(&jws, digest)) {
            trust.key_sha256 = digest;
            trust.count = 1;
        }
        claims_only(&jws, &env, &binding);
    }
    if (atea_appraisal_new(&a) != ATEA_OK) {
        return 0;
    }
    (void)atea_ear_verify(&env, &trust, &binding, data, size, a);
    (void)atea_appraisal_status(a);
    atea_appraisal_free(a);
    return 0;
}
