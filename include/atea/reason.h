/*
 * Reason codes: the stable uint16 values carried in RESULT and ERROR frames that tell the peer
 * WHY (style.md P3, docs/PROTOCOL.md "Reason codes"). They are a registry separate from atea_err:
 * atea_err values are local and may name internal failures; a reason is what goes on the wire.
 * atea_reason_from_err is the only mapping from one to the other (the s2n tls/s2n_alerts.c
 * model). Values are grouped by the high byte:
 *
 *   0x00xx  none (an accepted RESULT, an orderly close)
 *   0x01xx  framing and session protocol
 *   0x02xx  the authenticator request or authenticator (RFC 9261)
 *   0x03xx  the evidence and its appraisal
 *   0x04xx  the sender's own failure (resources, internal)
 *
 * Values are never reused or renumbered. A receiver treats an unknown value of a known group as
 * that group's generic failure and an unknown group as ATEA_REASON_INTERNAL.
 */
#ifndef ATEA_REASON_H
#define ATEA_REASON_H

#include <stdint.h>

#include "atea/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X(id, value, message) */
#define ATEA_REASONS(X)                                                                            \
    X(ATEA_REASON_NONE, 0x0000, "no failure")                                                      \
    X(ATEA_REASON_PROTOCOL, 0x0100, "the peer violated the atea framing")                          \
    X(ATEA_REASON_UNKNOWN_FRAME, 0x0101, "a frame of an undefined type was received")              \
    X(ATEA_REASON_FRAME_TOO_LARGE, 0x0102, "a frame exceeded the cap for its type")                \
    X(ATEA_REASON_UNEXPECTED_FRAME, 0x0103, "a frame arrived in a state that does not allow it")   \
    X(ATEA_REASON_VERSION, 0x0104, "no common atea framing version")                               \
    X(ATEA_REASON_ROLES, 0x0105, "the two sides' attestation roles do not fit")                    \
    X(ATEA_REASON_PROFILE, 0x0106,                                                                 \
      "the binder profile (exporter label, layout, cmw_attestation codepoint) differs")            \
    X(ATEA_REASON_NO_COMMON_FORMAT, 0x0107, "no common evidence type or CMW format")               \
    X(ATEA_REASON_DATA_BEFORE_ATTESTATION, 0x0108,                                                 \
      "application data arrived before attestation succeeded")                                     \
    X(ATEA_REASON_UNSOLICITED, 0x0109, "an answer arrived for a request that was never sent")      \
    X(ATEA_REASON_CONTEXT_REUSED, 0x010a, "a certificate_request_context was reused")              \
    X(ATEA_REASON_TIMEOUT, 0x010b, "the peer did not answer in time")                              \
    X(ATEA_REASON_AUTHENTICATOR, 0x0200, "the authenticator or request is malformed or invalid")   \
    X(ATEA_REASON_BAD_SIGNATURE, 0x0201, "the authenticator's CertificateVerify does not verify")  \
    X(ATEA_REASON_BAD_FINISHED, 0x0202,                                                            \
      "the authenticator's Finished does not match this connection")                               \
    X(ATEA_REASON_BAD_CERTIFICATE, 0x0203, "the authenticator's certificate chain is refused")     \
    X(ATEA_REASON_UNSUPPORTED_EXTENSION, 0x0204,                                                   \
      "an extension (e.g. cmw_attestation) that the request did not offer")                        \
    X(ATEA_REASON_CONTEXT_MISMATCH, 0x0205,                                                        \
      "the authenticator answers another certificate_request_context")                             \
    X(ATEA_REASON_DECLINED, 0x0206,                                                                \
      "the peer declined to attest (empty authenticator or request without cmw_attestation)")      \
    X(ATEA_REASON_TLS, 0x0207, "the TLS connection is unsuitable (not TLS 1.3, not ready)")        \
    X(ATEA_REASON_EVIDENCE, 0x0300, "the evidence is malformed or does not verify")                \
    X(ATEA_REASON_NO_EVIDENCE, 0x0301, "the authenticator carries no evidence")                    \
    X(ATEA_REASON_BINDER_MISMATCH, 0x0302,                                                         \
      "the evidence is not bound to this connection and request (replay or relay)")                \
    X(ATEA_REASON_KEY_MISMATCH, 0x0303,                                                            \
      "the evidence names another key than the authenticator's (key substitution)")                \
    X(ATEA_REASON_REPORT_DATA_MISMATCH, 0x0304,                                                    \
      "the evidence's report_data does not match this connection")                                 \
    X(ATEA_REASON_POLICY, 0x0305, "the evidence was appraised and refused by the policy")          \
    X(ATEA_REASON_BINDING_UNCHECKED, 0x0306, "the appraisal did not check the binding")            \
    X(ATEA_REASON_ATTESTER_FAILED, 0x0307, "the attester could not produce evidence")              \
    X(ATEA_REASON_INTERNAL, 0x0400, "the sender failed internally")                                \
    X(ATEA_REASON_RESOURCE, 0x0401, "the sender ran out of a resource (memory, queue, contexts)")

typedef enum atea_reason {
#define ATEA_X_REASON_ENUM(id, value, msg) id = (value),
    ATEA_REASONS(ATEA_X_REASON_ENUM)
#undef ATEA_X_REASON_ENUM
} atea_reason;

/* The reason to send for a local failure. Every atea_err maps to exactly one reason; codes of
 * no peer's making map to ATEA_REASON_INTERNAL. ATEA_OK maps to ATEA_REASON_NONE. */
uint16_t atea_reason_from_err(atea_err err);

/* "ATEA_REASON_BINDER_MISMATCH"; "ATEA_REASON_UNKNOWN" for an unregistered value. */
const char *atea_reason_name(uint16_t reason);

/* A sentence for the reason; for an unregistered value, its group's sentence. Never NULL. */
const char *atea_reason_message(uint16_t reason);

/* 1 if the value is registered. */
int atea_reason_known(uint16_t reason);

#ifdef __cplusplus
}
#endif
#endif
