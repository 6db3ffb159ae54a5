/*
 * Wire and timing defaults of the attested session (profile.md §3, §4; style.md P6).
 * Every value here has a matching field in atea_session_opts or atea_binder_profile, and
 * only the _default() functions read these macros. docs/PROTOCOL.md documents each one.
 */
#ifndef ATEA_SESSION_PROFILE_H
#define ATEA_SESSION_PROFILE_H

/* The cmw_attestation codepoint (ATEA_DEFAULT_CMW_EXT) and the context length
 * (ATEA_EA_CONTEXT_LEN) are the EA layer's, in profile.h. */
#include "atea/profile.h"

/* draft-fossati-seat-expat §"Cryptographic Binding" (-02) names "Attestation"; its
 * Architecture section names "Attestation Binding". profile.md §3 picks the first. */
#define ATEA_DEFAULT_BINDER_LABEL "Attestation"
#define ATEA_BINDER_LABEL_ALT "Attestation Binding"
#define ATEA_BINDER_LABEL_MAX 64
/* TLS-Exporter(label, certificate_request_context, 32): the key_length of the draft. */
#define ATEA_BINDER_EXPORTED_LEN 32
/* The atea framing version carried in HELLO (profile.md §4). */
#define ATEA_FRAME_VERSION 1

/* Frame body caps, per type (profile.md §4: every frame has a size cap). */
#define ATEA_FRAME_HEADER_LEN 4
#define ATEA_FRAME_MAX_HELLO 1024
#define ATEA_FRAME_MAX_REQUEST 8192
/* An authenticator carries a certificate chain and, in its first entry, a CMW of at most
 * 2^16-1 bytes (the cmw_attestation extension has a uint16 length). */
#define ATEA_FRAME_MAX_AUTHENTICATOR 262144
#define ATEA_FRAME_MAX_RESULT 1024
#define ATEA_FRAME_MAX_ERROR 1024
/* A full DATA frame (4-byte header + body) is exactly one TLS record's plaintext (2^14, RFC 8446
 * §5.1): a sender that writes frame by frame, or many frames at once, gets records that each
 * hold whole frames, so the receiver decodes every frame where SSL_read put it instead of
 * buffering one that straddles two records. */
#define ATEA_FRAME_MAX_DATA (16384 - ATEA_FRAME_HEADER_LEN)
#define ATEA_FRAME_MAX_TEXT 255
#define ATEA_FRAME_MAX_EVIDENCE_TYPES 32

/* Session timing (milliseconds of the caller's monotonic clock). */
#define ATEA_DEFAULT_SESSION_HELLO_TIMEOUT_MS 10000
#define ATEA_DEFAULT_SESSION_ATTEST_TIMEOUT_MS 30000
/* 0 = no periodic re-attestation. */
#define ATEA_DEFAULT_SESSION_REATTEST_INTERVAL_MS 0

/* Buffering caps: bytes queued for sending, and application bytes received but not yet taken
 * through atea_session_next_event. */
#define ATEA_DEFAULT_SESSION_MAX_OUTPUT (4u * 1024u * 1024u)
#define ATEA_DEFAULT_SESSION_MAX_PENDING_DATA (1024u * 1024u)
/* Contexts remembered per connection to refuse reuse (profile.md §3); one per exchange. */
#define ATEA_SESSION_MAX_CONTEXTS 4096

#endif
