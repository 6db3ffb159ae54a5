/*
 * The atea framing (profile.md §4, docs/PROTOCOL.md "Framing"): after the TLS handshake every
 * byte in both directions is a frame
 *
 *     uint8 type | uint24 length | body[length]
 *
 * with a cap per type. This header is the codec only (no state): the session (atea/session.h)
 * decides which frame is legal when. Decoding never reads past its input and accepts no
 * trailing bytes inside a body.
 */
#ifndef ATEA_FRAME_H
#define ATEA_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "atea/error.h"
#include "atea/session_profile.h"
#include "atea/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Frame types. 0 and 7..255 are not defined and are refused (ATEA_ERR_FRAME_UNKNOWN_TYPE). */
typedef enum atea_frame_type {
    ATEA_FRAME_HELLO = 1,         /* versions, roles, formats, binder profile */
    ATEA_FRAME_REQUEST = 2,       /* an RFC 9261 authenticator request, as a handshake message */
    ATEA_FRAME_AUTHENTICATOR = 3, /* an RFC 9261 authenticator (Certificate, CV, Finished) */
    ATEA_FRAME_RESULT = 4,        /* the relying party's verdict on one request */
    ATEA_FRAME_ERROR = 5,         /* fatal: reason code and text; the sender closes */
    ATEA_FRAME_DATA = 6,          /* application bytes */
} atea_frame_type;

#define ATEA_FRAME_TYPE_MAX 6

/* HELLO roles (bit flags). */
#define ATEA_ROLE_ATTEST 0x01u /* this side attests when the peer asks */
#define ATEA_ROLE_VERIFY 0x02u /* this side asks the peer to attest (relying party) */
#define ATEA_ROLE_MASK 0x03u

/* HELLO CMW serialisations (bit flags, RFC 9999). */
#define ATEA_CMW_FORMAT_CBOR 0x01u
#define ATEA_CMW_FORMAT_JSON 0x02u
#define ATEA_CMW_FORMAT_MASK 0x03u

/* HELLO evidence types (profile.md §5). Unknown values are carried, never refused: a peer may
 * know more types than we do. */
#define ATEA_EVIDENCE_TDX 1u
#define ATEA_EVIDENCE_SNP 2u
#define ATEA_EVIDENCE_CCA 3u
#define ATEA_EVIDENCE_TPM 4u
#define ATEA_EVIDENCE_SIM 5u
#define ATEA_EVIDENCE_EAR 6u

/* RESULT verdicts. */
#define ATEA_VERDICT_ATTESTED 1u
#define ATEA_VERDICT_REFUSED 2u

/* "HELLO", "REQUEST", ...; "UNKNOWN" for anything else. */
const char *atea_frame_type_name(unsigned type);

/* The body cap of a frame type (ATEA_FRAME_MAX_*), 0 for an unknown type. */
size_t atea_frame_cap(unsigned type);

/* One decoded frame; body points into the decoder's input. */
typedef struct atea_frame {
    uint8_t type;
    atea_slice body;
} atea_frame;

/*
 * Decode the frame at the front of in[0..len). The header is checked as soon as its 4 bytes are
 * there, so an unknown type or an oversize length fails without waiting for the body.
 *   ATEA_OK: *frame is set and *used = 4 + body length.
 *   ATEA_ERR_WANT_READ: in holds only part of a frame; *used = 0 and *need = the number of bytes
 *     the whole frame (or, before the header is complete, the header) takes, so the caller
 *     feeds again once it has that many.
 *   ATEA_ERR_FRAME_UNKNOWN_TYPE, ATEA_ERR_FRAME_TOO_LARGE (length above atea_frame_cap),
 *   ATEA_ERR_FRAME_MALFORMED (a frame type whose body may not be empty has length 0).
 * need may be NULL.
 */
atea_err atea_frame_decode(const uint8_t *in, size_t len, atea_frame *frame, size_t *used,
                           size_t *need) ATEA_MUST_USE;

/*
 * Write one frame (header and body) into out[0..cap); *written = 4 + body_len.
 * Errors: ATEA_ERR_FRAME_UNKNOWN_TYPE, ATEA_ERR_FRAME_TOO_LARGE, ATEA_ERR_BUFFER_TOO_SMALL,
 * ATEA_ERR_INVALID_ARG.
 */
atea_err atea_frame_encode(unsigned type, const uint8_t *body, size_t body_len, uint8_t *out,
                           size_t cap, size_t *written) ATEA_MUST_USE;

/* HELLO body (docs/PROTOCOL.md "HELLO"). */
typedef struct atea_hello {
    uint16_t version;    /* ATEA_FRAME_VERSION */
    uint8_t roles;       /* ATEA_ROLE_* */
    uint8_t cmw_formats; /* ATEA_CMW_FORMAT_*: what this side sends (attester) / accepts (RP) */
    size_t n_evidence_types;
    uint16_t evidence_types[ATEA_FRAME_MAX_EVIDENCE_TYPES]; /* empty: any */
    char label[ATEA_BINDER_LABEL_MAX + 1];                  /* binder exporter label */
    uint8_t layout;                                         /* atea_binder_layout */
    uint16_t cmw_ext;                                       /* cmw_attestation codepoint */
} atea_hello;

/* Encode into out[0..cap). Errors: ATEA_ERR_INVALID_ARG (roles, formats, label or count out of
 * range), ATEA_ERR_BUFFER_TOO_SMALL. */
atea_err atea_hello_encode(const atea_hello *hello, uint8_t *out, size_t cap,
                           size_t *written) ATEA_MUST_USE;

/* Errors: ATEA_ERR_HELLO_VERSION (another version: the rest is not parsed),
 * ATEA_ERR_FRAME_MALFORMED (unknown role or format bits, an odd evidence_types length, a label
 * that is not printable ASCII), ATEA_ERR_VEC_LENGTH (empty or over-long label, more than
 * ATEA_FRAME_MAX_EVIDENCE_TYPES types), ATEA_ERR_TRUNCATED, ATEA_ERR_TRAILING. */
atea_err atea_hello_decode(const uint8_t *body, size_t len, atea_hello *hello) ATEA_MUST_USE;

/* RESULT body: the relying party's verdict on the request with this context. */
typedef struct atea_result {
    uint8_t verdict; /* ATEA_VERDICT_* */
    uint16_t reason; /* 0 with ATTESTED, a registered reason with REFUSED (atea/reason.h) */
    size_t context_len;
    uint8_t context[255];
    size_t text_len;
    char text[ATEA_FRAME_MAX_TEXT + 1]; /* NUL-terminated */
} atea_result;

/* Errors: ATEA_ERR_INVALID_ARG (verdict/reason inconsistent, text with control characters),
 * ATEA_ERR_BUFFER_TOO_SMALL. */
atea_err atea_result_encode(const atea_result *result, uint8_t *out, size_t cap,
                            size_t *written) ATEA_MUST_USE;
/* Errors: ATEA_ERR_FRAME_MALFORMED (unknown verdict, ATTESTED with a reason or REFUSED without
 * one, control characters in the text), ATEA_ERR_TRUNCATED, ATEA_ERR_TRAILING. */
atea_err atea_result_decode(const uint8_t *body, size_t len, atea_result *result) ATEA_MUST_USE;

/* ERROR body. */
typedef struct atea_error_body {
    uint16_t reason;
    size_t text_len;
    char text[ATEA_FRAME_MAX_TEXT + 1]; /* NUL-terminated */
} atea_error_body;

/* Errors: ATEA_ERR_INVALID_ARG (text too long or with control characters),
 * ATEA_ERR_BUFFER_TOO_SMALL. */
atea_err atea_error_encode(const atea_error_body *error, uint8_t *out, size_t cap,
                           size_t *written) ATEA_MUST_USE;
/* Errors: ATEA_ERR_FRAME_MALFORMED (control characters in the text), ATEA_ERR_TRUNCATED,
 * ATEA_ERR_TRAILING. */
atea_err atea_error_decode(const uint8_t *body, size_t len, atea_error_body *error) ATEA_MUST_USE;

#ifdef __cplusplus
}
#endif
#endif
