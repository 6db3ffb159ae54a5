/*
 * The little DER atea reads itself: walking an X.509 certificate (RFC 5280 §4.1) to its
 * SubjectPublicKeyInfo, whose exact bytes are the attestation key's identity (profile.md §3:
 * aik_hash hashes them as they appear in the certificate, never a re-encoding). Through the
 * bounded reader, definite lengths in their shortest form only (X.690 §10.1). Everything else
 * about certificates is left to libcrypto.
 */
#ifndef ATEA_CORE_DER_H
#define ATEA_CORE_DER_H

#include <stddef.h>
#include <stdint.h>

#include "atea/types.h"

/* A certificate is at most 2^24 - 1 bytes (TLS cert_data<1..2^24-1>): lengths of at most 3 bytes.
 */
#define ATEA_DER_MAX_LEN_BYTES 3

/* The exact SubjectPublicKeyInfo TLV of a DER certificate. The certificate's outer structure
 * (tbsCertificate, signatureAlgorithm, signatureValue; serial, signature, issuer, validity,
 * subject, SPKI { algorithm, subjectPublicKey }) is checked so that a shifted walk cannot pass
 * another field off as the key; nothing may follow the certificate.
 * Errors: ATEA_ERR_INVALID_ARG, ATEA_ERR_DER_MALFORMED (the detail names the field and offset). */
atea_err atea_der_cert_spki(const uint8_t *der, size_t len, atea_slice *spki) ATEA_MUST_USE;

#endif
