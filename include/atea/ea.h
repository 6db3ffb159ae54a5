/*
 * atea_ea: RFC 9261 Exported Authenticators over a TLS 1.3 connection (the shape of RFC 9261 §7).
 *
 * One atea_ea object per TLS connection. It makes authenticator requests, answers the peer's
 * requests with authenticators (or with an empty authenticator, a refusal), makes spontaneous
 * server authenticators, and validates the peer's authenticators. It remembers every
 * certificate_request_context used on the connection in either direction, so that a context is
 * never reused, an authenticator is never built twice for one request and a replayed
 * authenticator is refused (RFC 9261 §4, §5.2, §7.4).
 *
 * The object does no I/O: the caller moves the returned bytes to the peer (atea's framing,
 * profile.md §4). The TLS facts come from the caller's atea_tls (include/atea/tls.h), which must
 * outlive the object. Wire format and rules: docs/EA.md.
 *
 * An atea_ea is not thread-safe: use each from one thread at a time (distinct objects are
 * independent). The library keeps no global state.
 *
 * Every function fails with ATEA_ERR_INVALID_ARG on NULL or inconsistent arguments and
 * ATEA_ERR_NO_MEMORY when allocation fails; those two are not repeated below.
 */
#ifndef ATEA_EA_H
#define ATEA_EA_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include "atea/error.h"
#include "atea/profile.h"
#include "atea/tls.h"
#include "atea/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* TLS handshake message types used by RFC 9261 (RFC 8446 §4, RFC 9261 §8.3). */
#define ATEA_EA_HS_CERTIFICATE 11
#define ATEA_EA_HS_CERTIFICATE_REQUEST 13
#define ATEA_EA_HS_CERTIFICATE_VERIFY 15
#define ATEA_EA_HS_CLIENT_CERTIFICATE_REQUEST 17
#define ATEA_EA_HS_FINISHED 20

/* TLS extension types atea handles by name. */
#define ATEA_EA_EXT_SERVER_NAME 0
#define ATEA_EA_EXT_STATUS_REQUEST 5
#define ATEA_EA_EXT_SIGNATURE_ALGORITHMS 13
#define ATEA_EA_EXT_SCT 18
#define ATEA_EA_EXT_CERTIFICATE_AUTHORITIES 47
#define ATEA_EA_EXT_OID_FILTERS 48
#define ATEA_EA_EXT_SIGNATURE_ALGORITHMS_CERT 50

/* Caller-supplied randomness: fill out[0..len) or fail. */
typedef atea_err (*atea_rng_fn)(void *user, uint8_t *out, size_t len);

#define ATEA_EA_OPTS_V1 1u
#define ATEA_EA_OPTS_VERSION ATEA_EA_OPTS_V1

/* Options of an atea_ea, copied by atea_ea_new. Start from atea_ea_opts_default(). */
typedef struct atea_ea_opts {
    unsigned version;      /* ATEA_EA_OPTS_VERSION */
    uint16_t cmw_ext_type; /* cmw_attestation codepoint; default ATEA_DEFAULT_CMW_EXT */
    size_t max_message;    /* cap on a request or authenticator; ATEA_DEFAULT_EA_MAX_MESSAGE */
    size_t max_certs;      /* cap on CertificateEntries; ATEA_DEFAULT_EA_MAX_CERTS */
    size_t max_contexts;   /* cap on remembered contexts; ATEA_DEFAULT_EA_MAX_CONTEXTS */
    atea_rng_fn rng;       /* contexts; NULL = libcrypto RAND_bytes */
    void *rng_user;
    atea_log log;
} atea_ea_opts;

void atea_ea_opts_default_versioned(unsigned version, atea_ea_opts *opts);
#define atea_ea_opts_default(opts) atea_ea_opts_default_versioned(ATEA_EA_OPTS_VERSION, (opts))

typedef struct atea_ea atea_ea;

/* Create the EA state of one connection. tls is borrowed and must outlive *pea; opts may be NULL
 * (defaults). Fails with ATEA_ERR_INVALID_ARG if an option is 0 or out of range. */
atea_err atea_ea_new(const atea_tls *tls, const atea_ea_opts *opts, atea_ea **pea) ATEA_MUST_USE;
void atea_ea_free(atea_ea *ea);

/* One TLS extension: type and extension_data (without the length prefix). */
typedef struct atea_ea_ext {
    uint16_t type;
    atea_slice data;
} atea_ea_ext;

/* What to put in a request besides the random 32-byte context. */
typedef struct atea_ea_request_params {
    const uint16_t *sigalgs; /* signature_algorithms, in preference order; NULL = atea's list */
    size_t n_sigalgs;
    int want_cmw;                  /* 1: add the empty cmw_attestation extension (expat §3.3) */
    const atea_ea_ext *extensions; /* further extensions (not signature_algorithms or cmw) */
    size_t n_extensions;
} atea_ea_request_params;

/*
 * Build an authenticator request (RFC 9261 §4): a CertificateRequest (13) on a server, a
 * ClientCertificateRequest (17) on a client, with a fresh random context. params may be NULL.
 * Errors: ATEA_ERR_TLS_VERSION, ATEA_ERR_TLS_NOT_READY, ATEA_ERR_EA_SCHEME_INVALID (a sigalg
 * not valid in TLS 1.3), ATEA_ERR_EA_DUP_EXTENSION, ATEA_ERR_EA_TOO_MANY_EXTENSIONS,
 * ATEA_ERR_EA_EXT_NOT_ALLOWED (e.g. server_name in a CertificateRequest),
 * ATEA_ERR_EA_CONTEXT_REUSED (the rng repeated a context), ATEA_ERR_EA_TOO_MANY_CONTEXTS,
 * ATEA_ERR_EA_MESSAGE_TOO_LARGE, ATEA_ERR_EA_RNG, ATEA_ERR_EA_BAD_CMW (a caller extension of the
 * cmw_attestation type with data: in a request it is empty).
 */
atea_err atea_ea_request(atea_ea *ea, const atea_ea_request_params *params,
                         atea_buf *request) ATEA_MUST_USE;

/* A request as received (atea_ea_request_parse). Slices point into the caller's bytes. */
typedef struct atea_ea_request_info {
    uint8_t msg_type; /* 13 or 17 */
    atea_slice context;
    int wants_cmw; /* the request carries the (empty) cmw_attestation extension */
    size_t n_sigalgs;
    uint16_t sigalgs[ATEA_TLS_MAX_SIGALGS];
    size_t n_extensions;
    atea_ea_ext extensions[ATEA_EA_MAX_EXTENSIONS];
} atea_ea_request_info;

/* Decode a request received from the peer without changing any state. Errors: the core decode
 * codes, ATEA_ERR_EA_MSG_TYPE, ATEA_ERR_EA_WRONG_DIRECTION, ATEA_ERR_EA_NO_SIGALGS,
 * ATEA_ERR_EA_BAD_SIGALGS, ATEA_ERR_EA_DUP_EXTENSION, ATEA_ERR_EA_TOO_MANY_EXTENSIONS,
 * ATEA_ERR_EA_EXT_NOT_ALLOWED, ATEA_ERR_EA_MESSAGE_TOO_LARGE, ATEA_ERR_EA_BAD_CMW (a
 * cmw_attestation with data: expat §"Negotiation" sends it empty in a request). */
atea_err atea_ea_request_parse(const atea_ea *ea, const uint8_t *request, size_t len,
                               atea_ea_request_info *info) ATEA_MUST_USE;

/* The certificate_request_context of a request or authenticator (RFC 9261 §7.2), copied into
 * context[0..*context_len). Stateless. ATEA_ERR_EA_NO_CONTEXT for an empty authenticator (a bare
 * Finished carries none), ATEA_ERR_EA_MSG_TYPE for other types, core decode codes. */
atea_err atea_ea_get_context(const uint8_t *msg, size_t len,
                             uint8_t context[ATEA_EA_MAX_CONTEXT_LEN],
                             size_t *context_len) ATEA_MUST_USE;

/* One certificate of the chain to send, with its CertificateEntry extensions. */
typedef struct atea_ea_cert_in {
    atea_slice der;
    const atea_ea_ext *extensions;
    size_t n_extensions;
} atea_ea_cert_in;

/* An identity: the chain (leaf first), the leaf's private key and, optionally, the CMW that
 * atea puts as cmw_attestation (uint16 length || CMW) in the first entry (profile.md §2). */
typedef struct atea_ea_credential {
    const atea_ea_cert_in *chain;
    size_t n_chain;
    EVP_PKEY *key;
    atea_slice cmw; /* len 0: none */
} atea_ea_credential;

/*
 * Answer the peer's request with an authenticator: Certificate || CertificateVerify || Finished
 * (RFC 9261 §5), labels of this side as the sender. The signature scheme is the first in the
 * request's signature_algorithms that fits the key. Errors: ATEA_ERR_TLS_VERSION,
 * ATEA_ERR_TLS_NOT_READY, ATEA_ERR_TLS_EXPORTER, every atea_ea_request_parse code,
 * ATEA_ERR_EA_CONTEXT_ANSWERED (already answered), ATEA_ERR_EA_CONTEXT_REUSED (the context was
 * used otherwise on this connection), ATEA_ERR_EA_UNREQUESTED_EXTENSION,
 * ATEA_ERR_EA_UNREQUESTED_CMW, ATEA_ERR_EA_CMW_NOT_FIRST, ATEA_ERR_EA_BAD_CMW (CMW over
 * 65533 bytes), ATEA_ERR_EA_EMPTY_CERT_LIST, ATEA_ERR_EA_TOO_MANY_CERTS,
 * ATEA_ERR_EA_BAD_CERT, ATEA_ERR_EA_KEY_MISMATCH, ATEA_ERR_EA_NO_COMMON_SCHEME, ATEA_ERR_EA_SIGN,
 * ATEA_ERR_EA_MESSAGE_TOO_LARGE, ATEA_ERR_EA_TOO_MANY_CONTEXTS, ATEA_ERR_EA_CRYPTO.
 */
atea_err atea_ea_authenticate(atea_ea *ea, const uint8_t *request, size_t request_len,
                              const atea_ea_credential *cred,
                              atea_buf *authenticator) ATEA_MUST_USE;

/* Answer the peer's request with an empty authenticator, a refusal (RFC 9261 §6): a Finished
 * only. Errors as atea_ea_authenticate, less the certificate and signature ones. */
atea_err atea_ea_refuse(atea_ea *ea, const uint8_t *request, size_t request_len,
                        atea_buf *authenticator) ATEA_MUST_USE;

/* A spontaneous server authenticator (RFC 9261 §3, §5.2): no request, a fresh random context,
 * a scheme from the ClientHello's signature_algorithms, extensions only of types the ClientHello
 * carried. Errors: ATEA_ERR_EA_NOT_SERVER, ATEA_ERR_TLS_NO_OPS and the authenticate codes. */
atea_err atea_ea_authenticate_spontaneous(atea_ea *ea, const atea_ea_credential *cred,
                                          atea_buf *authenticator) ATEA_MUST_USE;

/* How to validate. All fields optional (zero = not used). */
typedef struct atea_ea_validate_params {
    const uint8_t *request; /* the request this side sent, if the caller knows which */
    size_t request_len;
    X509_STORE *trust; /* PKIX-validate the chain (RFC 5280) against it */
    int use_time;      /* 1: validate the chain at `time` instead of now */
    int64_t time;      /* seconds since the epoch */
    /* Client validating a spontaneous server authenticator: the extension types of its own
     * ClientHello; the Certificate may carry only these (RFC 9261 §5.2.1). */
    const uint16_t *hello_extensions;
    size_t n_hello_extensions;
} atea_ea_validate_params;

/* A validated certificate: DER and CertificateEntry extensions (slices into identity.raw). */
typedef struct atea_ea_cert {
    atea_slice der;
    size_t n_extensions;
    atea_ea_ext extensions[ATEA_EA_MAX_EXTENSIONS];
} atea_ea_cert;

/* What a validated authenticator proves. Release with atea_ea_identity_dispose. */
typedef struct atea_ea_identity {
    atea_buf raw;        /* owned copy of the authenticator; every slice points into it */
    atea_ea_cert *certs; /* certs[0] is the leaf; n_certs >= 1 on success */
    size_t n_certs;
    atea_slice cmw;  /* the CMW of the leaf's cmw_attestation (length prefix removed), or empty */
    uint16_t scheme; /* CertificateVerify.algorithm */
    int spontaneous; /* 1: a spontaneous server authenticator (no request) */
    int refused;     /* 1: an empty authenticator (the result was ATEA_ERR_EA_REFUSED) */
    size_t context_len;
    uint8_t context[ATEA_EA_MAX_CONTEXT_LEN];
} atea_ea_identity;

/*
 * Validate the peer's authenticator (RFC 9261 §5.2.4, §7.4; docs/EA.md lists the checks in
 * order). On ATEA_OK *id holds the chain, the per-entry extensions, the CMW and the context.
 * A well-formed empty authenticator with a correct MAC is a refusal: ATEA_ERR_EA_REFUSED, with
 * id->refused = 1 and id->context set (the request it answers). params may be NULL.
 * Errors: ATEA_ERR_TLS_VERSION, ATEA_ERR_TLS_NOT_READY, ATEA_ERR_TLS_EXPORTER, core decode codes
 * (truncated, trailing, vector length), ATEA_ERR_EA_MESSAGE_TOO_LARGE, ATEA_ERR_EA_MSG_TYPE,
 * ATEA_ERR_EA_WRONG_DIRECTION (params->request not of this side's type),
 * ATEA_ERR_EA_UNSOLICITED (no request of this side is open), ATEA_ERR_EA_UNKNOWN_CONTEXT,
 * ATEA_ERR_EA_CONTEXT_ANSWERED (replay),
 * ATEA_ERR_EA_CONTEXT_REUSED, ATEA_ERR_EA_CONTEXT_MISMATCH, ATEA_ERR_EA_EMPTY_CERT_LIST,
 * ATEA_ERR_EA_TOO_MANY_CERTS, ATEA_ERR_EA_DUP_EXTENSION, ATEA_ERR_EA_TOO_MANY_EXTENSIONS,
 * ATEA_ERR_EA_EXT_NOT_ALLOWED, ATEA_ERR_EA_UNREQUESTED_EXTENSION, ATEA_ERR_EA_UNREQUESTED_CMW,
 * ATEA_ERR_EA_CMW_NOT_FIRST, ATEA_ERR_EA_BAD_CMW, ATEA_ERR_EA_BAD_CERT,
 * ATEA_ERR_EA_SCHEME_INVALID, ATEA_ERR_EA_SCHEME_NOT_OFFERED, ATEA_ERR_EA_SCHEME_KEY_MISMATCH,
 * ATEA_ERR_EA_BAD_SIGNATURE, ATEA_ERR_EA_BAD_FINISHED, ATEA_ERR_EA_CHAIN, ATEA_ERR_EA_REFUSED.
 */
atea_err atea_ea_validate(atea_ea *ea, const atea_ea_validate_params *params,
                          const uint8_t *authenticator, size_t len,
                          atea_ea_identity *id) ATEA_MUST_USE;

void atea_ea_identity_dispose(atea_ea_identity *id);

/*
 * A readable, indented dump of any RFC 9261 message or authenticator (requests, authenticators,
 * empty authenticators; several concatenated handshake messages are dumped in turn), for
 * `atea inspect`. cmw_ext_type names the cmw_attestation codepoint. *text receives NUL-terminated
 * text even on failure: everything decoded up to the error, then a line naming what is wrong and
 * at which offset; the function then returns that error's code.
 */
atea_err atea_ea_dump(const uint8_t *msg, size_t len, uint16_t cmw_ext_type,
                      atea_buf *text) ATEA_MUST_USE;

/* "ecdsa_secp256r1_sha256" etc., or NULL for a scheme atea does not know. */
const char *atea_ea_scheme_name(uint16_t scheme);

/* The TLS alert (RFC 8446 §6.2 AlertDescription) a peer would send for an ea failure:
 * decode_error(50), illegal_parameter(47), unsupported_extension(110), bad_certificate(42),
 * decrypt_error(51), missing_extension(109), ...; 80 (internal_error) for codes of no peer's
 * making, 0 for ATEA_OK. */
uint8_t atea_ea_alert(atea_err err);

#ifdef __cplusplus
}
#endif
#endif
