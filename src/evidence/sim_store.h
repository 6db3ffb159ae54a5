/* The simulated TEE's key store (docs/evidence/SIM.md "Key store"): a root and named identities
 * on disk, created on first use. Internal to src/evidence/sim*.c. */
#ifndef ATEA_EVIDENCE_SIM_STORE_H
#define ATEA_EVIDENCE_SIM_STORE_H

#include <stdint.h>

#include <openssl/evp.h>

#include "atea/types.h"

/* A loaded identity: its private key and the DER of its certificate and of the root's. */
typedef struct sim_identity {
    EVP_PKEY *key;
    atea_buf cert_der;
    atea_buf root_cert_der;
} sim_identity;

/* Load (or create) the root and the identity `name` in store `dir`. now: certificate time
 * (0 = current). Errors: ATEA_ERR_SIM_IDENTITY_NAME, ATEA_ERR_SIM_STORE,
 * ATEA_ERR_SIM_KEY_PERMISSIONS, ATEA_ERR_SIM_KEY_CORRUPT, ATEA_ERR_SIM_CRYPTO, ATEA_ERR_NO_MEMORY.
 */
atea_err atea__sim_identity_load(const char *dir, const char *name, int64_t now,
                                 sim_identity *out) ATEA_MUST_USE;

void atea__sim_identity_dispose(sim_identity *id);

/* SHA-256 of the DER SubjectPublicKeyInfo of a DER certificate. */
atea_err atea__sim_cert_spki_sha256(const atea_buf *cert_der, uint8_t digest[32]) ATEA_MUST_USE;

#endif
