/*
 * The attestation binder: what evidence commits to so that it is bound to one TLS connection,
 * one request and one key (draft-fossati-seat-expat §"Cryptographic Binding of the Evidence to
 * the TLS Connection", profile.md §3, docs/PROTOCOL.md "Binder"):
 *
 *   exported    = TLS-Exporter(label, certificate_request_context, 32)
 *   binder      = Hash(SPKI_DER(leaf) || exported)
 *   aik_hash    = Hash(SPKI_DER(leaf))
 *   report_data = binder || aik_hash, truncated to 64 bytes     (layout CONCAT, the default)
 *              or SHA-512(binder || aik_hash)                   (layout HASHED)
 *
 * Hash is the negotiated suite's hash. SPKI_DER(leaf) is the SubjectPublicKeyInfo exactly as
 * its bytes appear in the leaf certificate, never a re-encoding of the key.
 */
#ifndef ATEA_BINDER_H
#define ATEA_BINDER_H

#include <stddef.h>
#include <stdint.h>

#include "atea/error.h"
#include "atea/evidence.h"
#include "atea/session_profile.h"
#include "atea/tls.h"
#include "atea/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum atea_binder_layout {
    /* binder || aik_hash truncated to 64: SHA-256 32 + 32, SHA-384 48 + 16, SHA-512 64 + 0. */
    ATEA_BINDER_LAYOUT_CONCAT = 1,
    /* SHA-512(binder || aik_hash): both in full, for platforms that need it; the relying party
     * can then only say that report_data differs, not which half. */
    ATEA_BINDER_LAYOUT_HASHED = 2,
} atea_binder_layout;

typedef struct atea_binder_profile {
    const char *label; /* exporter label, 1..ATEA_BINDER_LABEL_MAX bytes */
    atea_binder_layout layout;
} atea_binder_profile;

/* label "Attestation", layout CONCAT. */
void atea_binder_profile_default(atea_binder_profile *profile);

/* ATEA_ERR_BINDER_PROFILE if the label is missing, empty or longer than 64 bytes, or the
 * layout is unknown. */
atea_err atea_binder_profile_check(const atea_binder_profile *profile) ATEA_MUST_USE;

/*
 * Locate the SubjectPublicKeyInfo inside a DER certificate with a bounded walk
 * (Certificate -> tbsCertificate -> [version], serial, signature, issuer, validity, subject,
 * subjectPublicKeyInfo). *spki points into der. Errors: ATEA_ERR_SPKI_MALFORMED (with the
 * offset and what was expected), ATEA_ERR_INVALID_ARG.
 */
atea_err atea_cert_spki(const uint8_t *der, size_t len, atea_slice *spki) ATEA_MUST_USE;

/*
 * The binding from its parts: `exported` (the 32-byte exporter output) and the SPKI bytes.
 * Fills every field of *out. Errors: ATEA_ERR_INVALID_ARG, ATEA_ERR_BINDER_PROFILE,
 * ATEA_ERR_TLS_UNKNOWN_SUITE (hash), ATEA_ERR_BINDER_HASH.
 */
atea_err atea_binder_from_exported(atea_hash hash, const atea_binder_profile *profile,
                                   const uint8_t *exported, size_t exported_len,
                                   const uint8_t *spki, size_t spki_len,
                                   atea_binding *out) ATEA_MUST_USE;

/*
 * The binding for `context` on this connection and the leaf certificate `leaf_der`: what the
 * attester puts into its evidence, and what the relying party recomputes from ITS OWN view of
 * the connection. Errors: those of atea_binder_from_exported, atea_cert_spki and
 * atea_tls_exporter (ATEA_ERR_TLS_VERSION, ATEA_ERR_TLS_EXPORTER, ...).
 */
atea_err atea_binder_compute(const atea_tls *tls, const atea_binder_profile *profile,
                             const uint8_t *context, size_t context_len, const uint8_t *leaf_der,
                             size_t leaf_len, atea_binding *out) ATEA_MUST_USE;

/*
 * Relying-party checks, all in constant time over the full length.
 *
 * atea_binder_check_report_data: the 64 bytes the evidence carries against the expected
 * binding. CONCAT layout: ATEA_ERR_BINDER_MISMATCH if the binder part differs (replay, relay:
 * another connection or request), else ATEA_ERR_AIK_HASH_MISMATCH if the key part differs
 * (key substitution). HASHED layout: ATEA_ERR_REPORT_DATA_MISMATCH. ATEA_ERR_INVALID_ARG if
 * len != 64.
 */
atea_err atea_binder_check_report_data(const atea_binding *expected, atea_binder_layout layout,
                                       const uint8_t *report_data, size_t len) ATEA_MUST_USE;

/* For formats that carry binder (as the nonce) and aik_hash separately (profile.md §3).
 * ATEA_ERR_BINDER_MISMATCH / ATEA_ERR_AIK_HASH_MISMATCH; a length that differs from the
 * expected one is a mismatch of that part. Either pointer may be NULL to skip that part. */
atea_err atea_binder_check_parts(const atea_binding *expected, const uint8_t *binder,
                                 size_t binder_len, const uint8_t *aik_hash,
                                 size_t aik_hash_len) ATEA_MUST_USE;

/* ATEA_ERR_CONTEXT_MISMATCH unless the authenticator's certificate_request_context equals the
 * one the relying party sent. */
atea_err atea_binder_check_context(const uint8_t *sent, size_t sent_len, const uint8_t *presented,
                                   size_t presented_len) ATEA_MUST_USE;

#ifdef __cplusplus
}
#endif
#endif
