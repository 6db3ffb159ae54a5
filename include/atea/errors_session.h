/*
 * Error codes of the session layer: binder, atea framing, attested-session state machine.
 * Ranges (atea/error.h): -120..-139 usage, -260..-289 protocol, -350..-359 binding,
 * -500..-529 I/O. Each code is mapped to a wire reason code by atea_reason_from_err
 * (src/session/reason.c); docs/PROTOCOL.md lists both registries.
 */
#ifndef ATEA_ERRORS_SESSION_H
#define ATEA_ERRORS_SESSION_H

#define ATEA_ERRORS_SESSION(X)                                                                     \
    X(ATEA_ERR_SESSION_OPTS_VERSION, -120,                                                         \
      "the session options have an unknown version; initialise them with "                         \
      "atea_session_opts_default")                                                                 \
    X(ATEA_ERR_SESSION_NO_ATTESTER, -121,                                                          \
      "the session attests but has no attester, certificate chain or private key")                 \
    X(ATEA_ERR_SESSION_NO_APPRAISER, -122,                                                         \
      "the session verifies its peer but has no appraise callback")                                \
    X(ATEA_ERR_SESSION_ROLE, -124,                                                                 \
      "the session role is neither attester, relying party nor mutual")                            \
    X(ATEA_ERR_SESSION_CLOSED, -125, "the session is closed; no further call is possible")         \
    X(ATEA_ERR_SESSION_NOT_ATTESTED, -126,                                                         \
      "application data cannot be sent before attestation has succeeded (policy 'require')")       \
    X(ATEA_ERR_SESSION_BUSY, -127,                                                                 \
      "an attestation exchange is already in progress in that direction")                          \
    X(ATEA_ERR_SESSION_QUEUE_FULL, -128,                                                           \
      "the session's output queue is full; drain it and send the bytes first")                     \
    X(ATEA_ERR_BINDER_PROFILE, -129,                                                               \
      "the binder profile is invalid (exporter label 1..64 bytes, known layout)")                  \
    X(ATEA_ERR_SESSION_NOT_VERIFIER, -130,                                                         \
      "only a session that verifies its peer can start a re-attestation")                          \
    X(ATEA_ERR_FRAME_UNKNOWN_TYPE, -260, "the frame type is not one atea defines")                 \
    X(ATEA_ERR_FRAME_TOO_LARGE, -261, "the frame is longer than the cap for its type")             \
    X(ATEA_ERR_FRAME_TRUNCATED, -262, "the connection ended in the middle of a frame")             \
    X(ATEA_ERR_FRAME_MALFORMED, -263, "the frame body does not follow its encoding")               \
    X(ATEA_ERR_FRAME_UNEXPECTED, -264, "the frame is not allowed in the session's current state")  \
    X(ATEA_ERR_HELLO_VERSION, -265, "the peer speaks an atea framing version this one does not")   \
    X(ATEA_ERR_HELLO_ROLES, -266,                                                                  \
      "the peer's roles do not fit ours (we require attestation it will not give, or the "         \
      "reverse)")                                                                                  \
    X(ATEA_ERR_HELLO_PROFILE, -267,                                                                \
      "the peer uses another binder profile (exporter label, report_data layout or "               \
      "cmw_attestation codepoint)")                                                                \
    X(ATEA_ERR_HELLO_FORMATS, -268,                                                                \
      "the peer produces no evidence type or CMW format that we accept")                           \
    X(ATEA_ERR_SESSION_DATA_EARLY, -269,                                                           \
      "the peer sent application data before attestation had succeeded")                           \
    X(ATEA_ERR_SESSION_UNSOLICITED, -270,                                                          \
      "the peer answered a request that was never sent (or already answered)")                     \
    X(ATEA_ERR_SESSION_CONTEXT_REUSED, -271,                                                       \
      "a certificate_request_context was used twice on this connection")                           \
    X(ATEA_ERR_SESSION_PEER_CLOSED, -272,                                                          \
      "the peer closed the connection before the attestation exchange finished")                   \
    X(ATEA_ERR_SESSION_PEER_ERROR, -273, "the peer aborted the session with an ERROR frame")       \
    X(ATEA_ERR_SESSION_REFUSED, -274, "the peer refused our attestation (see the reason)")         \
    X(ATEA_ERR_SESSION_NO_EVIDENCE, -275,                                                          \
      "the authenticator carries no cmw_attestation (empty authenticator or no evidence)")         \
    X(ATEA_ERR_SPKI_MALFORMED, -276,                                                               \
      "the leaf certificate's DER is malformed; its SubjectPublicKeyInfo cannot be located")       \
    X(ATEA_ERR_SESSION_REQUEST_NO_CMW, -277,                                                       \
      "the authenticator request does not ask for attestation (no empty cmw_attestation)")         \
    X(ATEA_ERR_SESSION_TOO_MANY_CONTEXTS, -278,                                                    \
      "too many attestation exchanges on one connection; reconnect")                               \
    X(ATEA_ERR_BINDER_MISMATCH, -350,                                                              \
      "the evidence's binder does not match the binder for this connection and request "           \
      "(replayed or relayed evidence)")                                                            \
    X(ATEA_ERR_AIK_HASH_MISMATCH, -351,                                                            \
      "the evidence names another key than the authenticator's leaf certificate (key "             \
      "substitution)")                                                                             \
    X(ATEA_ERR_CONTEXT_MISMATCH, -352,                                                             \
      "the authenticator answers another certificate_request_context than the one we sent")        \
    X(ATEA_ERR_REPORT_DATA_MISMATCH, -353,                                                         \
      "the evidence's report_data does not match the binding for this connection")                 \
    X(ATEA_ERR_BINDER_HASH, -354, "computing the binder hash failed in the crypto library")        \
    X(ATEA_ERR_SESSION_NOT_AFFIRMING, -355,                                                        \
      "the peer's evidence was appraised, but the result is not affirming under the policy")       \
    X(ATEA_ERR_SESSION_BINDING_UNCHECKED, -356,                                                    \
      "the appraisal carries no binding claim (report_data or binder) to compare with this "       \
      "connection")                                                                                \
    X(ATEA_ERR_SESSION_TIMEOUT, -500, "the peer did not answer within the session's timeout")

#endif
