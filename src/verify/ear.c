/*
 * The passport model's front door (include/atea/ear.h): verify an EAR JWT into an appraisal, and
 * issue one from an appraisal. Checks run in an order where nothing unauthenticated is believed:
 * the JWS structure and header first, then the key against the policy and the signature, and
 * only then the claims (profile, validity, nonce = binder, submods).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "atea/verify.h"
#include "core/check.h"
#include "verify/ear_internal.h"

atea_err atea_ear_key_sha256(EVP_PKEY *key, uint8_t digest[32])
{
    atea_err err = ATEA_OK;
    unsigned char *der = NULL;
    unsigned int md_len = 0;
    ATEA_ENSURE(key != NULL && digest != NULL, ATEA_ERR_INVALID_ARG);
    int der_len = i2d_PUBKEY(key, &der);
    ATEA_ENSURE_MSG(der_len > 0, ATEA_ERR_INVALID_ARG, "the key has no SubjectPublicKeyInfo");
    ATEA_ENSURE(EVP_Digest(der, (size_t)der_len, digest, &md_len, EVP_sha256(), NULL) == 1 &&
                    md_len == 32,
                ATEA_ERR_INTERNAL);
out:
    ERR_clear_error();
    OPENSSL_free(der);
    return err;
}

/* The policy's side of the signature check: algorithm accepted, key pinned. */
static atea_err check_trust(const atea_ear_trust *trust, const ear_jws_header *h)
{
    atea_err err = ATEA_OK;
    char hex[65];
    unsigned algs = trust->algs != 0 ? trust->algs
                                     : ATEA_EAR_ALG_BIT(ATEA_EAR_ALG_ES256) |
                                           ATEA_EAR_ALG_BIT(ATEA_EAR_ALG_ES384);
    ATEA_ENSURE_MSG((algs & ATEA_EAR_ALG_BIT(h->alg->alg)) != 0, ATEA_ERR_EAR_SIGNATURE,
                    "the EAR is signed with %s, which the policy does not accept "
                    "(platforms.ear.algorithms)",
                    h->alg->name);
    for (size_t i = 0; i < trust->count; i++) {
        /* Digests of public keys: no secret, memcmp is fine. */
        if (memcmp(trust->key_sha256 + 32 * i, h->key_sha256, 32) == 0) {
            goto out;
        }
    }
    ATEA_TRY(atea_hex_encode(h->key_sha256, 32, hex, sizeof(hex)));
    ATEA_FAIL(ATEA_ERR_EAR_SIGNATURE,
              "the EAR is signed by verifier key %s (SPKI SHA-256), which is not among the %zu "
              "the policy trusts (platforms.ear.verifier_key_pem / verifier_key_sha256)",
              hex, trust->count);
out:
    return err;
}

/* Structure, header, trust and signature; the key facts become claims. */
static atea_err check_jws(const atea_ear_trust *trust, const ear_jws *jws, ear_jws_header *h,
                          atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    atea_buf text = {0};
    json_t *header = NULL;
    ATEA_TRY(atea__ear_b64_decode(jws->header_b64, ATEA_EAR_MAX_HEADER, "header", &text));
    ATEA_TRY(atea__ear_json_object(&text, "header", &header));
    ATEA_TRY(atea__ear_jws_header_read(header, h));
    ATEA_TRY(atea_appraisal_claim_str(out, ATEA_EAR_SUBMOD, "alg", h->alg->name));
    ATEA_TRY(
        atea_appraisal_claim_bytes(out, ATEA_EAR_SUBMOD, "verifier_key_sha256", h->key_sha256, 32));
    ATEA_TRY(check_trust(trust, h));
    ATEA_TRY(atea__ear_jws_check_signature(jws, h));
    ATEA_TRY(atea_appraisal_add_reason(out, ATEA_EAR_SUBMOD, ATEA_EAR_AFFIRMING, ATEA_OK,
                                       "the EAR is signed with %s by a verifier key the policy "
                                       "trusts",
                                       h->alg->name));
out:
    json_decref(header);
    atea_buf_free(&text);
    return err;
}

static atea_err verify_steps(const atea_verify_env *env, const atea_ear_trust *trust,
                             const atea_binding *expected, const uint8_t *jwt, size_t len,
                             atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    ear_jws jws;
    ear_jws_header h = {0};
    atea_buf text = {0};
    json_t *claims = NULL;
    ATEA_TRY(atea__ear_jws_split(jwt, len, &jws));
    ATEA_TRY(check_jws(trust, &jws, &h, out));
    ATEA_TRY(atea__ear_b64_decode(jws.payload_b64, ATEA_EAR_MAX_PAYLOAD, "payload", &text));
    ATEA_TRY(atea__ear_json_object(&text, "payload", &claims));
    ATEA_TRY(atea__ear_claims_read(claims, env, expected, out));
out:
    json_decref(claims);
    atea_buf_free(&text);
    atea__ear_jws_header_dispose(&h);
    return err;
}

atea_err atea_ear_verify(const atea_verify_env *env, const atea_ear_trust *trust,
                         const atea_binding *expected, const uint8_t *jwt, size_t len,
                         atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    char detail[sizeof(atea_err_last()->detail)];
    ATEA_ENSURE(env != NULL && trust != NULL && out != NULL && (jwt != NULL || len == 0) &&
                    (trust->key_sha256 != NULL || trust->count == 0),
                ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea_appraisal_add_submod(out, ATEA_EAR_SUBMOD, ATEA_EAR_PLATFORM));
    atea_err failure = verify_steps(env, trust, expected, jwt, len, out);
    if (failure != ATEA_OK) {
        /* verify_env.h: a hard failure is returned AND recorded, with its detail. */
        (void)snprintf(detail, sizeof(detail), "%s", atea_err_detail(failure));
        ATEA_TRY(atea_appraisal_add_reason(out, ATEA_EAR_SUBMOD, ATEA_EAR_CONTRAINDICATED, failure,
                                           "%s", detail));
        ATEA_FAIL(failure, "%s", detail);
    }
out:
    return err;
}

atea_err atea_ear_sign(const atea_appraisal *a, const uint8_t *nonce, size_t nonce_len,
                       EVP_PKEY *key, atea_ear_alg alg, int64_t now, atea_buf *jwt)
{
    atea_err err = ATEA_OK;
    atea_buf claims = {0};
    ATEA_ENSURE(a != NULL && nonce != NULL && key != NULL && jwt != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(nonce_len >= ATEA_EAR_NONCE_MIN && nonce_len <= ATEA_EAR_NONCE_MAX,
                    ATEA_ERR_INVALID_ARG, "an EAT nonce has 8..64 bytes, not %zu", nonce_len);
    ATEA_ENSURE_MSG(atea_appraisal_submod_count(a) > 0, ATEA_ERR_INVALID_ARG,
                    "an EAR needs at least one appraised submodule");
    const ear_alg_info *info = atea__ear_alg_of_key(key);
    ATEA_ENSURE_MSG(info != NULL, ATEA_ERR_INVALID_ARG,
                    "an EAR signing key must be an EC P-256 (ES256) or P-384 (ES384) key");
    ATEA_ENSURE_MSG(alg == ATEA_EAR_ALG_AUTO || alg == info->alg, ATEA_ERR_INVALID_ARG,
                    "the signing key is a %s key, which signs %s, not the algorithm asked for",
                    info->crv, info->name);
    ATEA_TRY(atea__ear_claims_write(a, nonce, nonce_len, now, &claims));
    ATEA_TRY(atea__ear_jws_sign(&claims, key, info, jwt));
out:
    atea_buf_free(&claims);
    return err;
}

atea_err atea_ear_issue_local(void *local_issuer, const uint8_t *cmw, size_t len,
                              const atea_binding *binding, atea_buf *jwt)
{
    atea_err err = ATEA_OK;
    atea_ear_local_issuer *l = local_issuer;
    atea_appraisal *a = NULL;
    const uint8_t *nonce = NULL;
    size_t nonce_len = 0;
    ATEA_ENSURE(l != NULL && l->verifier != NULL && l->key != NULL && jwt != NULL,
                ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea__ear_binding_nonce(binding, &nonce, &nonce_len));
    ATEA_TRY(atea_appraisal_new(&a));
    atea_err verdict = atea_verify_cmw(l->verifier, cmw, len, binding, a);
    /* A refusal with reasons is still a result worth signing (the relying party learns why);
     * evidence that produced no submodule at all is not. */
    ATEA_ENSURE_MSG(verdict == ATEA_OK || atea_appraisal_submod_count(a) > 0, verdict, "%s",
                    atea_err_detail(verdict));
    int64_t now = l->now != 0 ? l->now : (int64_t)time(NULL);
    ATEA_TRY(atea_ear_sign(a, nonce, nonce_len, l->key, l->alg, now, jwt));
out:
    atea_appraisal_free(a);
    return err;
}
