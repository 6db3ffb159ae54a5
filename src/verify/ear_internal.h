/* Internals of the EAR (passport model) verifier and issuer: compact JWS (ear_jws.c), the EAR
 * claims-set (ear_claims.c), the front door (ear.c). include/atea/ear.h is the public view. */
#ifndef ATEA_VERIFY_EAR_INTERNAL_H
#define ATEA_VERIFY_EAR_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "atea/ear.h"
#include "atea/evidence.h"
#include "atea/types.h"
#include "atea/verify_env.h"

#define ATEA_EAR_SUBMOD "ear"
#define ATEA_EAR_PLATFORM "ear"

/* EAT nonce: 8..64 bytes (RFC 9711 §4.1, specs.md §5.1). */
#define ATEA_EAR_NONCE_MIN 8u
#define ATEA_EAR_NONCE_MAX 64u

/* One JWS algorithm atea knows (RFC 7518 §3.4): its name, digest, curve and scalar size. */
typedef struct ear_alg_info {
    atea_ear_alg alg;
    const char *name;  /* "ES256" */
    const char *crv;   /* JWK "crv" (RFC 7518 §6.2.1.1): "P-256" */
    int curve_nid;     /* NID_X9_62_prime256v1 */
    size_t scalar_len; /* 32 */
    const EVP_MD *(*md)(void);
} ear_alg_info;

/* The entry for alg, or NULL. */
const ear_alg_info *atea__ear_alg_info(atea_ear_alg alg);

/* A compact JWS split at its two dots, the parts borrowed from the input (RFC 7515 §7.1). */
typedef struct ear_jws {
    atea_slice header_b64;
    atea_slice payload_b64;
    atea_slice signature_b64;
    atea_slice signing_input; /* header_b64 "." payload_b64 */
} ear_jws;

/* The JWS header facts atea uses, from a decoded, parsed header. */
typedef struct ear_jws_header {
    const ear_alg_info *alg;
    EVP_PKEY *key;          /* from "jwk"; owned: EVP_PKEY_free */
    uint8_t key_sha256[32]; /* SHA-256 of the key's DER SubjectPublicKeyInfo */
} ear_jws_header;

/* Split a compact JWS: exactly three non-empty base64url parts. ATEA_ERR_TOO_LARGE over
 * ATEA_EAR_MAX_JWT, ATEA_ERR_EAR_MALFORMED otherwise. */
atea_err atea__ear_jws_split(const uint8_t *jwt, size_t len, ear_jws *out) ATEA_MUST_USE;

/* Decode a base64url part (strict, unpadded) of at most max decoded bytes: what names it in
 * messages. ATEA_ERR_TOO_LARGE, ATEA_ERR_EAR_MALFORMED. */
atea_err atea__ear_b64_decode(atea_slice text, size_t max, const char *what,
                              atea_buf *out) ATEA_MUST_USE;

/* Parse JSON text that must be one object, no duplicate keys, nesting at most
 * ATEA_EAR_MAX_DEPTH. ATEA_ERR_EAR_MALFORMED, ATEA_ERR_TOO_LARGE. */
atea_err atea__ear_json_object(const atea_buf *text, const char *what, json_t **out) ATEA_MUST_USE;

/* Read the protected header: alg ES256/ES384, jwk of that curve, no crit. */
atea_err atea__ear_jws_header_read(const json_t *header, ear_jws_header *out) ATEA_MUST_USE;
void atea__ear_jws_header_dispose(ear_jws_header *h);

/* Verify the JWS signature (raw r || s, RFC 7518 §3.4) over the signing input with h->key:
 * ATEA_ERR_EAR_MALFORMED (length), ATEA_ERR_EAR_SIGNATURE (does not verify). */
atea_err atea__ear_jws_check_signature(const ear_jws *jws, const ear_jws_header *h) ATEA_MUST_USE;

/* Sign payload (JSON text) into a compact JWS with the "jwk" header. */
atea_err atea__ear_jws_sign(const atea_buf *payload, EVP_PKEY *key, const ear_alg_info *alg,
                            atea_buf *jwt) ATEA_MUST_USE;

/* The algorithm a key signs with (EC P-256 -> ES256, P-384 -> ES384); NULL for other keys. */
const ear_alg_info *atea__ear_alg_of_key(EVP_PKEY *key);

/* The nonce an EAR for this binding carries (profile.md §3): the binder; without one (`atea
 * evidence --report-data`), the 64-byte report_data, as the sim does. ATEA_ERR_BINDING_MISSING
 * if binding is NULL. */
atea_err atea__ear_binding_nonce(const atea_binding *binding, const uint8_t **nonce,
                                 size_t *len) ATEA_MUST_USE;

/* Read the EAR claims-set into submodule ATEA_EAR_SUBMOD of out (declared by the caller):
 * profile, iat/exp against env->now, verifier id, nonce against expected->binder, submods. */
atea_err atea__ear_claims_read(const json_t *claims, const atea_verify_env *env,
                               const atea_binding *expected, atea_appraisal *out) ATEA_MUST_USE;

/* The EAR claims-set (JSON text, compact) for appraisal a. */
atea_err atea__ear_claims_write(const atea_appraisal *a, const uint8_t *nonce, size_t nonce_len,
                                int64_t now, atea_buf *json) ATEA_MUST_USE;

#endif
