/*
 * COSE_Sign1 (RFC 9052 §4.2, §4.4) verification for Arm CCA tokens, and the raw-ECDSA check that
 * SEV-SNP reports share with it. Internal to the verify layer.
 */
#ifndef ATEA_VERIFY_COSE_H
#define ATEA_VERIFY_COSE_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "atea/error.h"
#include "atea/types.h"
#include "core/cbor.h"

/* The largest ECDSA scalar atea handles (P-521: 66 bytes). */
#define ATEA_ECDSA_MAX_SCALAR 66

/*
 * Verify an ECDSA signature given as raw big-endian r and s of n bytes each (TDX, COSE) over
 * msg with digest md. *valid = 1 if it verifies, 0 if not (a wrong key, a flipped bit). The
 * return value reports only failures to run the check: ATEA_ERR_INVALID_ARG, ATEA_ERR_NO_MEMORY.
 */
atea_err atea__ecdsa_verify_raw(EVP_PKEY *key, const EVP_MD *md, const uint8_t *msg, size_t len,
                                const uint8_t *r, const uint8_t *s, size_t n,
                                int *valid) ATEA_MUST_USE;

/* COSE algorithms atea verifies (RFC 9053 2.1): ECDSA with the curve the hash goes with. */
#define ATEA_COSE_ALG_ES256 (-7)
#define ATEA_COSE_ALG_ES384 (-35)
#define ATEA_COSE_ALG_ES512 (-36)

/* Caps on a COSE_Sign1 (the CCA tokens are 0.5..2 KiB). */
#define ATEA_COSE_MAX_PROTECTED 256
#define ATEA_COSE_MAX_HEADER_ENTRIES 16
#define ATEA_COSE_MAX_PAYLOAD (32 * 1024)

/* A parsed COSE_Sign1, borrowing from the input. */
typedef struct atea_cose_sign1 {
    atea_slice protected_bstr; /* the protected header's bstr content, as on the wire */
    atea_slice payload;        /* the payload's bstr content */
    atea_slice signature;      /* r || s, big-endian */
    int64_t alg;               /* from the protected header */
} atea_cose_sign1;

/*
 * Parse one COSE_Sign1 (optionally tag 18) from c: [protected: bstr .cbor header_map,
 * unprotected: header_map, payload: bstr, signature: bstr]. The protected header must carry
 * alg (label 1); alg may not be repeated unprotected; crit (label 2) is refused because atea
 * understands no critical header. Errors: ATEA_ERR_CCA_COSE, ATEA_ERR_CCA_COSE_ALG (alg not
 * ES256/384/512), ATEA_ERR_TOO_LARGE, the CBOR decoder's codes.
 */
atea_err atea__cose_sign1_parse(atea_cbor_rd *c, atea_cose_sign1 *out) ATEA_MUST_USE;

/*
 * Verify the signature with key over Sig_structure = ["Signature1", protected, h'', payload]
 * (RFC 9052 4.4). The key's curve must be the one alg names (ATEA_ERR_CCA_COSE_ALG), and the
 * signature must be 2 * the curve's scalar size (ATEA_ERR_CCA_COSE). *valid as for
 * atea__ecdsa_verify_raw.
 */
atea_err atea__cose_sign1_verify(const atea_cose_sign1 *s, EVP_PKEY *key, int *valid) ATEA_MUST_USE;

/* The curve name ("P-256", "P-384", "P-521") and scalar size of an ES* alg, or NULL / 0. */
const char *atea__cose_alg_curve(int64_t alg, size_t *scalar_len);

#endif
