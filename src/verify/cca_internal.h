/* Internal pieces of the Arm CCA verifier shared by src/verify/cca*.c. */
#ifndef ATEA_VERIFY_CCA_INTERNAL_H
#define ATEA_VERIFY_CCA_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "atea/cca.h"
#include "atea/types.h"
#include "verify/cose.h"

/* Platform token software component (claim 2399 entries; PSA token §4.4.1). */
typedef struct atea_cca_sw_component {
    atea_slice type;        /* 1, tstr, optional */
    atea_slice measurement; /* 2, bstr */
    atea_slice version;     /* 4, tstr, optional */
    atea_slice signer_id;   /* 5, bstr */
    atea_slice hash_alg;    /* 6, tstr, optional */
} atea_cca_sw_component;

typedef struct atea_cca_platform {
    atea_slice profile;              /* 265, tstr */
    atea_slice challenge;            /* 10, bstr 32/48/64: Hash(RAK) */
    atea_slice implementation_id;    /* 2396, bstr 32 */
    atea_slice instance_id;          /* 256, bstr 33 (UEID type 0x01 + 32 bytes) */
    atea_slice config;               /* 2401, bstr */
    uint64_t lifecycle;              /* 2395, uint 0..0xFFFF */
    atea_slice hash_alg;             /* 2402, tstr */
    atea_slice verification_service; /* 2400, tstr, optional */
    atea_cca_sw_component sw[ATEA_CCA_MAX_SW_COMPONENTS]; /* 2399 */
    size_t sw_count;
} atea_cca_platform;

#define ATEA_CCA_REM_COUNT 4

typedef struct atea_cca_realm {
    atea_slice profile;                 /* 265, tstr, optional (newer realm tokens) */
    atea_slice challenge;               /* 10, bstr 64 */
    atea_slice personalization;         /* 44235, bstr 64 */
    atea_slice hash_alg;                /* 44236, tstr: RIM/REM algorithm */
    atea_slice rak;                     /* 44237, bstr: raw EC point or COSE_Key */
    atea_slice rim;                     /* 44238, bstr */
    atea_slice rem[ATEA_CCA_REM_COUNT]; /* 44239, array of 4 bstr */
    atea_slice rak_hash_alg;            /* 44240, tstr */
    atea_slice instance_id;             /* 256, bstr, optional */
} atea_cca_realm;

/* The two tokens of a collection (tag 399 or 907), each a bstr holding a COSE_Sign1, and where
 * each starts in the input (for error offsets). */
typedef struct atea_cca_collection {
    atea_slice platform;
    atea_slice realm;
} atea_cca_collection;

atea_err atea__cca_collection_parse(const uint8_t *token, size_t len,
                                    atea_cca_collection *out) ATEA_MUST_USE;

/* Parse a token's COSE_Sign1 (exactly the bytes of `cose`, at absolute offset base). */
atea_err atea__cca_cose_parse(atea_slice cose, size_t base, atea_cose_sign1 *out) ATEA_MUST_USE;

/* Parse a claims map (the COSE payload). Checks presence, types and sizes, including that RIM,
 * REMs and the platform challenge have the length of their hash algorithm. */
atea_err atea__cca_realm_parse(atea_slice payload, size_t base, atea_cca_realm *out) ATEA_MUST_USE;
atea_err atea__cca_platform_parse(atea_slice payload, size_t base,
                                  atea_cca_platform *out) ATEA_MUST_USE;

/* Named hash algorithm ("sha-256", "sha-384", "sha-512"): digest and its length.
 * ATEA_ERR_CCA_HASH_ALG otherwise. */
atea_err atea__cca_hash_alg(atea_slice name, const char *claim, const EVP_MD **md,
                            size_t *len) ATEA_MUST_USE;

/* The RAK (raw uncompressed EC point or COSE_Key EC2) as a public key. ATEA_ERR_CCA_RAK. */
atea_err atea__cca_rak_key(atea_slice rak, EVP_PKEY **key) ATEA_MUST_USE;

/* The CPAK from a PEM file (SubjectPublicKeyInfo). ATEA_ERR_CCA_CPAK. */
atea_err atea__cca_cpak_load(const char *path, EVP_PKEY **key) ATEA_MUST_USE;

#endif
