/*
 * RFC 9261 wire messages (internal): one .c per message, parse and write together (style P7).
 *
 *   handshake.c     Handshake header: msg_type(1) || uint24 length || body   (RFC 8446 §4)
 *   extensions.c    Extension extensions<..>, duplicate/count checks         (RFC 8446 §4.2)
 *   cert_request.c  CertificateRequest (13) / ClientCertificateRequest (17)  (RFC 9261 §4)
 *   certificate.c   Certificate (11) with per-entry extensions               (RFC 8446 §4.4.2)
 *   cert_verify.c   CertificateVerify (15)                                   (RFC 8446 §4.4.3)
 *   finished.c      Finished (20)                                            (RFC 8446 §4.4.4)
 *
 * Parsers take an atea_rd and borrow from its input; writers append to an atea_wr.
 */
#ifndef ATEA_EA_MSG_H
#define ATEA_EA_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "atea/ea.h"
#include "core/rd.h"
#include "core/wr.h"

/* ---- handshake.c ---- */

/* Handshake header length: type (1) + uint24 length (3). */
#define ATEA_EA_HS_HEADER_LEN 4u

typedef struct atea_ea_hs {
    uint8_t type;
    atea_slice body; /* the body alone */
    atea_slice raw;  /* header and body: what the transcript hashes */
    size_t offset;   /* of the header in the outermost input */
} atea_ea_hs;

/* Read one handshake message (header and a body of the announced length). */
atea_err atea_ea_hs_read(atea_rd *rd, atea_ea_hs *hs) ATEA_MUST_USE;

/* A reader over hs's body whose offsets count from the start of the outermost input. */
void atea_ea_hs_body(const atea_ea_hs *hs, atea_rd *rd);

/* Open a handshake message of `type`; the body follows; close with atea_ea_hs_close. */
atea_err atea_ea_hs_open(atea_wr *wr, uint8_t type) ATEA_MUST_USE;
atea_err atea_ea_hs_close(atea_wr *wr) ATEA_MUST_USE;

/* "Certificate", "CertificateRequest", ... or "unknown". */
const char *atea_ea_hs_name(uint8_t type);

/* ---- extensions.c ---- */

typedef struct atea_ea_exts {
    size_t n;
    atea_ea_ext ext[ATEA_EA_MAX_EXTENSIONS];
} atea_ea_exts;

/* Which message an extension list belongs to: decides which known types are allowed
 * (RFC 8446 §4.2 table, RFC 9261 §4 for server_name in ClientCertificateRequest). */
typedef enum atea_ea_ext_where {
    ATEA_EA_IN_CERTIFICATE_REQUEST,
    ATEA_EA_IN_CLIENT_CERTIFICATE_REQUEST,
    ATEA_EA_IN_CERTIFICATE,
} atea_ea_ext_where;

/* Parse `Extension extensions<min..2^16-1>` from rd (prefix included): rejects duplicates, more
 * than ATEA_EA_MAX_EXTENSIONS entries and known types not allowed in `where`. */
atea_err atea_ea_exts_parse(atea_rd *rd, size_t min, atea_ea_ext_where where,
                            atea_ea_exts *out) ATEA_MUST_USE;

/* Write the list with its uint16 length prefix, with the same checks as the parser. */
atea_err atea_ea_exts_write(atea_wr *wr, const atea_ea_ext *ext, size_t n,
                            atea_ea_ext_where where) ATEA_MUST_USE;

/* The checks of atea_ea_exts_parse on an in-memory list. */
atea_err atea_ea_exts_check(const atea_ea_ext *ext, size_t n,
                            atea_ea_ext_where where) ATEA_MUST_USE;

/* The entry of `type`, or NULL. */
const atea_ea_ext *atea_ea_exts_find(const atea_ea_ext *ext, size_t n, uint16_t type);

/* A known extension's name ("signature_algorithms"), or NULL. */
const char *atea_ea_ext_name(uint16_t type);

/* ---- cert_request.c ---- */

typedef struct atea_ea_req {
    atea_ea_hs hs; /* type 13 or 17; hs.raw is the transcript input */
    atea_slice context;
    atea_ea_exts exts;
    size_t n_sigalgs;
    uint16_t sigalgs[ATEA_TLS_MAX_SIGALGS];
} atea_ea_req;

/* Parse a complete request message (nothing may follow): type 13 or 17, context<0..255>,
 * extensions<2..2^16-1> with a well-formed signature_algorithms. */
atea_err atea_ea_req_parse(const uint8_t *msg, size_t len, atea_ea_req *req) ATEA_MUST_USE;

/* Parse signature_algorithms extension_data: SignatureSchemeList<2..2^16-2>. */
atea_err atea_ea_sigalgs_parse(atea_slice data, uint16_t *out, size_t cap, size_t *n) ATEA_MUST_USE;

/* Write a request of `type` (13 or 17). sigalgs become the signature_algorithms extension
 * (first); `exts` follow. */
atea_err atea_ea_req_write(atea_wr *wr, uint8_t type, atea_slice context, const uint16_t *sigalgs,
                           size_t n_sigalgs, const atea_ea_ext *exts, size_t n_exts) ATEA_MUST_USE;

/* ---- certificate.c ---- */

typedef struct atea_ea_cert_msg {
    atea_ea_hs hs;
    atea_slice context;
    size_t n_certs;
    atea_ea_cert *certs; /* caller's array of max_certs entries */
} atea_ea_cert_msg;

/* Parse the body of a Certificate (hs read already): context, certificate_list<0..2^24-1> of
 * cert_data<1..2^24-1> || extensions<0..2^16-1>. More than max_certs entries fails with
 * ATEA_ERR_EA_TOO_MANY_CERTS. */
atea_err atea_ea_cert_parse(const atea_ea_hs *hs, atea_ea_cert *certs, size_t max_certs,
                            atea_ea_cert_msg *out) ATEA_MUST_USE;

/* Write a Certificate message. n_certs may be 0 (the hashed, never-sent Certificate of an empty
 * authenticator, RFC 9261 §6). */
atea_err atea_ea_cert_write(atea_wr *wr, atea_slice context, const atea_ea_cert_in *certs,
                            size_t n_certs) ATEA_MUST_USE;

/* ---- cert_verify.c ---- */

typedef struct atea_ea_cv_msg {
    atea_ea_hs hs;
    uint16_t scheme;
    atea_slice signature;
} atea_ea_cv_msg;

atea_err atea_ea_cv_parse(const atea_ea_hs *hs, atea_ea_cv_msg *out) ATEA_MUST_USE;
atea_err atea_ea_cv_write(atea_wr *wr, uint16_t scheme, const uint8_t *sig,
                          size_t sig_len) ATEA_MUST_USE;

/* ---- finished.c ---- */

/* The body is verify_data[Hash.length]; a body of any other length is malformed. */
atea_err atea_ea_fin_parse(const atea_ea_hs *hs, size_t hash_len,
                           atea_slice *verify_data) ATEA_MUST_USE;
atea_err atea_ea_fin_write(atea_wr *wr, const uint8_t *verify_data, size_t len) ATEA_MUST_USE;

#endif
