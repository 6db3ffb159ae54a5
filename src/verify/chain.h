/*
 * X.509 chain verification shared by the platform verifiers (TDX PCK and TCB-signing chains,
 * SNP VCEK/VLEK -> ASK -> ARK, ...). OpenSSL builds and checks the path at a caller-given time;
 * trust comes only from a pinned root: the root must be the last certificate of the chain (or
 * the explicit trust anchor) AND its DER must hash (SHA-256) to one of the pins. An embedded
 * self-signed root that is not pinned is refused, whatever else holds.
 *
 * RSA-PSS signatures (AMD ASK/ARK) verify; X509_V_FLAG_X509_STRICT is deliberately not set
 * because the AMD VCEK has no AKID (evidence-formats.md §0.4).
 */
#ifndef ATEA_VERIFY_CHAIN_H
#define ATEA_VERIFY_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "atea/error.h"

/* Caps: real vendor chains have 2..4 certificates; PEM bundles above this are refused. */
#define ATEA_CHAIN_MAX_CERTS 8
#define ATEA_CHAIN_MAX_CRLS 8
#define ATEA_CHAIN_MAX_PEM_BYTES (64 * 1024)

/* Flags for atea_chain_opts.flags. */
/* Accept a certificate outside its validity window, and report it in the result (collateral
 * signing certificates that the vendor renewed with the same key). */
#define ATEA_CHAIN_SOFT_CERT_TIME 0x1u
/* Accept a CRL past nextUpdate (or before thisUpdate), and report it in the result. */
#define ATEA_CHAIN_SOFT_CRL_TIME 0x2u
/* With CRLs: check revocation of every certificate, not just the leaf. Without this flag only the
 * leaf is checked. Every certificate checked must have a CRL in `crls`. */
#define ATEA_CHAIN_CRL_CHECK_ALL 0x4u

typedef struct atea_chain_opts {
    const uint8_t (*root_pins)[32]; /* SHA-256 of the DER of each acceptable root */
    size_t root_pin_count;
    X509 *anchor;          /* trust anchor if the chain does not carry its root, else NULL */
    int64_t now;           /* verification time, seconds since the epoch */
    X509_CRL *const *crls; /* optional; NULL / 0 = no revocation check */
    size_t crl_count;
    unsigned flags;   /* ATEA_CHAIN_* */
    const char *what; /* "TDX PCK chain": names the chain in failure details */
} atea_chain_opts;

/* What was tolerated under the SOFT flags; the caller turns it into WARNING reasons. */
typedef struct atea_chain_result {
    int cert_time_soft;    /* a certificate was outside its validity window */
    int crl_time_soft;     /* a CRL was outside its validity window */
    char soft_detail[200]; /* subject (or CRL issuer) and what was outside the window */
} atea_chain_result;

/*
 * Verify certs[0..n) (leaf first; intermediates; optionally the root last) at opts->now.
 * result may be NULL. Returns
 *   ATEA_ERR_CHAIN_UNTRUSTED_ROOT  the root is absent, not self-signed, or not pinned
 *   ATEA_ERR_CHAIN_BAD_SIGNATURE   a signature in the chain does not verify
 *   ATEA_ERR_CHAIN_VALIDITY        a certificate is expired / not yet valid (without
 * SOFT_CERT_TIME) ATEA_ERR_CHAIN_REVOKED         a certificate is listed in its issuer's CRL
 *   ATEA_ERR_CHAIN_CRL             a needed CRL is missing, badly signed, or stale (without
 * SOFT_CRL_TIME) ATEA_ERR_CHAIN_INVALID         anything else OpenSSL rejects (CA flags, path
 * length, ...) ATEA_ERR_INVALID_ARG, ATEA_ERR_TOO_LARGE (more than ATEA_CHAIN_MAX_CERTS),
 * ATEA_ERR_NO_MEMORY Details name the certificate subject and OpenSSL's reason.
 */
atea_err atea_chain_verify(X509 *const *certs, size_t n, const atea_chain_opts *opts,
                           atea_chain_result *result) ATEA_MUST_USE;

/* SHA-256 of the certificate's DER encoding (the pin format). */
atea_err atea_chain_cert_sha256(const X509 *cert, uint8_t out[32]) ATEA_MUST_USE;

/*
 * Parse one or more PEM CERTIFICATE blocks from pem[0..len) into certs (caller frees each with
 * X509_free). Only ASCII whitespace and trailing NUL bytes may surround the blocks (the TDX v5
 * sample's chain ends with a NUL, evidence-formats.md §2.4). Returns ATEA_ERR_CHAIN_MALFORMED_CERT,
 * ATEA_ERR_TRAILING (other text around the blocks), ATEA_ERR_TOO_LARGE (more than max certs).
 */
atea_err atea_chain_parse_pem(const uint8_t *pem, size_t len, X509 **certs, size_t max,
                              size_t *count) ATEA_MUST_USE;

/* One DER certificate, exactly len bytes (ATEA_ERR_CHAIN_MALFORMED_CERT otherwise). */
atea_err atea_chain_parse_der(const uint8_t *der, size_t len, X509 **cert) ATEA_MUST_USE;

/* A CRL in DER or PEM (detected by the first byte). ATEA_ERR_CHAIN_CRL if malformed. */
atea_err atea_chain_parse_crl(const uint8_t *data, size_t len, X509_CRL **crl) ATEA_MUST_USE;

/* Free certs[0..n) and zero the array. */
void atea_chain_free_certs(X509 **certs, size_t n);

/* "CN=Intel SGX PCK Certificate, O=..." style one-line subject into buf (never fails). */
void atea_chain_subject(const X509 *cert, char *buf, size_t size);

#endif
