/* Internal state of an atea_ea and the pieces shared by request.c, authenticate.c and
 * validate.c. */
#ifndef ATEA_EA_INTERNAL_H
#define ATEA_EA_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "atea/ea.h"
#include "ea/crypto.h"
#include "ea/msg.h"

/* Where a certificate_request_context came from. Every context used on the connection, in
 * either direction, is remembered: "A certificate_request_context value used in a
 * ClientCertificateRequest cannot be used in an authenticator CertificateRequest on the same
 * connection, and vice versa" (RFC 9261 §4). */
typedef enum atea_ea_ctx_origin {
    ATEA_EA_CTX_SENT_REQUEST,         /* our request; done = validated or refused */
    ATEA_EA_CTX_RECEIVED_REQUEST,     /* the peer's request; done = answered */
    ATEA_EA_CTX_SENT_SPONTANEOUS,     /* our spontaneous authenticator (always done) */
    ATEA_EA_CTX_RECEIVED_SPONTANEOUS, /* the peer's, validated (always done) */
} atea_ea_ctx_origin;

typedef struct atea_ea_ctx_entry {
    atea_ea_ctx_origin origin;
    int done;
    size_t len;
    uint8_t ctx[ATEA_EA_MAX_CONTEXT_LEN];
    atea_buf request; /* the request message (requests only): transcript input */
} atea_ea_ctx_entry;

struct atea_ea {
    atea_tls tls;
    atea_ea_opts opts;
    atea_ea_ctx_entry *ctxs;
    size_t n_ctxs;
    size_t cap_ctxs;
};

/* The entry remembering ctx, or NULL. */
atea_ea_ctx_entry *atea_ea_ctx_find(atea_ea *ea, atea_slice ctx);

/* Remember a new context (the caller checked it is unused). request may be empty. */
atea_err atea_ea_ctx_add(atea_ea *ea, atea_ea_ctx_origin origin, atea_slice ctx, atea_slice request,
                         atea_ea_ctx_entry **pentry) ATEA_MUST_USE;

/* TLS 1.3, handshake complete (on a server, client Finished verified: RFC 9261 §9); our role. */
atea_err atea_ea_ready(const atea_ea *ea, atea_tls_role *role) ATEA_MUST_USE;

/* A fresh random context of ATEA_EA_CONTEXT_LEN bytes, unused on this connection. */
atea_err atea_ea_fresh_context(atea_ea *ea, uint8_t ctx[ATEA_EA_CONTEXT_LEN]) ATEA_MUST_USE;

/* The request type a side sends: CertificateRequest from a server, ClientCertificateRequest from
 * a client (RFC 9261 §4). */
uint8_t atea_ea_request_type(atea_tls_role sender);

/* Parse a request sent by `sender`: size cap, structure, and type (13 from a server, 17 from a
 * client; ATEA_ERR_EA_WRONG_DIRECTION otherwise). */
atea_err atea_ea_parse_request(const atea_ea *ea, atea_tls_role sender, const uint8_t *msg,
                               size_t len, atea_ea_req *req) ATEA_MUST_USE;

/* rc, except that ATEA_ERR_TOO_LARGE from a capped writer becomes
 * ATEA_ERR_EA_MESSAGE_TOO_LARGE naming max. */
atea_err atea_ea_sized(atea_err rc, size_t max) ATEA_MUST_USE;

int atea_ea_slice_eq(atea_slice a, const uint8_t *b, size_t b_len);

/* What the authenticator may carry: the request's (or ClientHello's) signature schemes and
 * extension types (RFC 9261 §5.2.1, §5.2.2). */
typedef struct atea_ea_offer {
    int any_scheme; /* no list to check against (client validating a spontaneous authenticator) */
    size_t n_sigalgs;
    uint16_t sigalgs[ATEA_TLS_MAX_SIGALGS];
    size_t n_ext_types;
    uint16_t ext_types[ATEA_TLS_MAX_EXTENSIONS];
    const char *source; /* "request" / "ClientHello", for messages */
} atea_ea_offer;

void atea_ea_offer_from_req(const atea_ea_req *req, atea_ea_offer *offer);

/* Check entry `index`'s extensions: each offered; cmw_attestation only offered, only in the first
 * entry and well-formed. On success *cmw is the CMW of entry 0 (or empty). */
atea_err atea_ea_offer_check_exts(const atea_ea_offer *offer, uint16_t cmw_type, size_t index,
                                  const atea_ea_ext *ext, size_t n, atea_slice *cmw) ATEA_MUST_USE;

/* The scheme is valid in TLS 1.3 and offered. */
atea_err atea_ea_offer_check_scheme(const atea_ea_offer *offer, uint16_t scheme) ATEA_MUST_USE;

/* The first offered TLS 1.3 scheme that fits key. */
atea_err atea_ea_offer_choose_scheme(const atea_ea_offer *offer, EVP_PKEY *key,
                                     uint16_t *scheme) ATEA_MUST_USE;

/* Everything to assemble an authenticator; no policy checks (authenticate.c makes them). Tests
 * use it to forge authenticators that break one rule. */
typedef struct atea_ea_build {
    const atea_ea_keys *keys;
    atea_slice request; /* the request message, empty for a spontaneous authenticator */
    atea_slice context;
    const atea_ea_cert_in *certs;
    size_t n_certs;
    EVP_PKEY *key;
    uint16_t scheme;
    size_t max_message;
} atea_ea_build;

/* Certificate || CertificateVerify || Finished (RFC 9261 §5.2). */
atea_err atea_ea_build_authenticator(const atea_ea_build *b, atea_buf *out) ATEA_MUST_USE;

/* The empty authenticator: Finished only (RFC 9261 §6). */
atea_err atea_ea_build_empty(const atea_ea_keys *keys, atea_slice request, atea_slice context,
                             atea_buf *out) ATEA_MUST_USE;

/* PKIX-validate certs (leaf first) against trust (chain.c). leaf is certs[0] already decoded
 * (borrowed): the caller decoded it for the signature, and a second d2i_X509 would cost as much
 * again; certs[1..n) are decoded here. */
atea_err atea_ea_chain_verify(X509 *leaf, const atea_ea_cert *certs, size_t n, X509_STORE *trust,
                              int use_time, int64_t time) ATEA_MUST_USE;

/* Decode one DER certificate exactly (no trailing bytes): ATEA_ERR_EA_BAD_CERT otherwise. */
atea_err atea_ea_cert_decode(atea_slice der, size_t index, X509 **px) ATEA_MUST_USE;

/* The DER SubjectPublicKeyInfo inside certificate `index` (a slice of der), found by walking the
 * Certificate and tbsCertificate structure with the bounded reader; no X509 decode (spki.c).
 * ATEA_ERR_EA_BAD_CERT (naming the field and offset) if the structure is not DER X.509. */
atea_err atea_ea_cert_spki(atea_slice der, size_t index, atea_slice *spki) ATEA_MUST_USE;

/* The public key of a DER SubjectPublicKeyInfo (from atea_ea_cert_spki of certificate `index`):
 * imported from its public bytes for EC P-256/P-384/P-521 and Ed25519/Ed448 (no decoder),
 * d2i_PUBKEY otherwise. ATEA_ERR_EA_BAD_CERT if it is no valid key (an EC point off the curve).
 * The caller frees *pkey. */
atea_err atea_ea_spki_key(atea_slice spki, size_t index, EVP_PKEY **pkey) ATEA_MUST_USE;

/* key is the public key of the leaf certificate leaf_der: ATEA_OK, ATEA_ERR_EA_KEY_MISMATCH, or
 * ATEA_ERR_EA_BAD_CERT for a leaf that is no certificate or whose key cannot be decoded. Same
 * answer as EVP_PKEY_eq against the decoded leaf's key, without decoding it in the common case. */
atea_err atea_ea_key_matches_cert(EVP_PKEY *key, atea_slice leaf_der) ATEA_MUST_USE;

#endif
