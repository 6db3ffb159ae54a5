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

#endif
