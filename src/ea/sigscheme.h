/* TLS 1.3 SignatureSchemes for CertificateVerify (RFC 8446 §4.2.3, RFC 9261 §5.2.2): one const
 * table, key compatibility, signing and verification over libcrypto. */
#ifndef ATEA_EA_SIGSCHEME_H
#define ATEA_EA_SIGSCHEME_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include "atea/error.h"
#include "atea/types.h"

typedef enum atea_ea_key_type {
    ATEA_EA_KEY_EC,
    ATEA_EA_KEY_ED25519,
    ATEA_EA_KEY_ED448,
    ATEA_EA_KEY_RSA,     /* rsaEncryption SPKI */
    ATEA_EA_KEY_RSA_PSS, /* id-RSASSA-PSS SPKI */
} atea_ea_key_type;

typedef struct atea_ea_scheme {
    uint16_t code;
    const char *name;
    atea_ea_key_type key;
    const char *digest; /* NULL: EdDSA signs the content itself */
    const char *group;  /* ECDSA: the curve TLS 1.3 binds to the scheme */
    int tls13;          /* 0: known, but never valid in a TLS 1.3 CertificateVerify */
} atea_ea_scheme;

/* The entry for code, or NULL. */
const atea_ea_scheme *atea_ea_scheme_find(uint16_t code);

/* atea's default signature_algorithms, in preference order: every TLS 1.3 scheme it supports. */
extern const uint16_t atea_ea_default_sigalgs[];
extern const size_t atea_ea_n_default_sigalgs;

/* ATEA_ERR_EA_SCHEME_INVALID unless code is a TLS 1.3 scheme atea supports. */
atea_err atea_ea_scheme_require_tls13(uint16_t code, const atea_ea_scheme **scheme) ATEA_MUST_USE;

/* ATEA_ERR_EA_SCHEME_KEY_MISMATCH unless key has the scheme's type (and ECDSA curve). */
atea_err atea_ea_scheme_fits_key(const atea_ea_scheme *scheme, EVP_PKEY *key) ATEA_MUST_USE;

/* Sign content with key under scheme (RSA-PSS: salt length = digest length, RFC 8446 §4.2.3). */
atea_err atea_ea_scheme_sign(const atea_ea_scheme *scheme, EVP_PKEY *key, const uint8_t *content,
                             size_t len, atea_buf *sig) ATEA_MUST_USE;

/* ATEA_ERR_EA_BAD_SIGNATURE unless sig is scheme's signature of content under key. */
atea_err atea_ea_scheme_verify(const atea_ea_scheme *scheme, EVP_PKEY *key, const uint8_t *content,
                               size_t len, const uint8_t *sig, size_t sig_len) ATEA_MUST_USE;

#endif
