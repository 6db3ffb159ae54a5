/*
 * atea_session: post-handshake attestation over one TLS 1.3 connection
 * (draft-fossati-seat-expat, RFC 9261, profile.md §3-§4, docs/PROTOCOL.md).
 *
 * The session is an I/O-free engine driven by its caller (style.md P4, like picotls
 * ptls_handshake and ngtcp2): it opens no socket, reads no clock and never prints.
 *
 *     atea_session_new(tls, &opts, now, &s);                  queues our HELLO (and, as
 *                                                                 relying party, our REQUEST)
 *     loop:
 *         send what atea_session_drain(s, buf, cap, &n) gives    (also after a failure: the
 *                                                                 ERROR/RESULT frame is in it)
 *         atea_session_feed(s, bytes, len, &consumed, now)      bytes read from TLS
 *         while (atea_session_next_event(s, &ev)) ...           ATTESTED, DATA, CLOSED, ...
 *         atea_session_write(s, data, len)                      application bytes (framed)
 *         wake up at atea_session_expiry(s), then atea_session_on_timeout(s, now)
 *
 * `now` is the caller's monotonic clock in milliseconds. TLS facts (exporter, suite, role)
 * come from the atea_tls given at creation (include/atea/tls.h), which must outlive the session
 * and be TLS 1.3 with the handshake complete.
 *
 * Errors are sticky (BearSSL-style): after the first failure every call returns it, and
 * atea_session_last_error() keeps it with its detail. The ERROR (or RESULT) frame that tells
 * the peer why is queued before the failing call returns, so the caller must still drain and
 * send it. Callbacks (attester, appraise, rng, log) must not call back into the session.
 */
#ifndef ATEA_SESSION_H
#define ATEA_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include "atea/appraisal.h"
#include "atea/binder.h"
#include "atea/ea.h"
#include "atea/error.h"
#include "atea/evidence.h"
#include "atea/frame.h"
#include "atea/reason.h"
#include "atea/session_profile.h"
#include "atea/tls.h"
#include "atea/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Roles, as bit flags (the HELLO roles, docs/PROTOCOL.md). */
#define ATEA_SESSION_ATTESTER ATEA_ROLE_ATTEST      /* this side attests when asked */
#define ATEA_SESSION_RELYING_PARTY ATEA_ROLE_VERIFY /* this side makes the peer attest */
#define ATEA_SESSION_MUTUAL (ATEA_ROLE_ATTEST | ATEA_ROLE_VERIFY)

typedef enum atea_session_policy {
    /* No application data in either direction before every attestation this side asks for
     * has succeeded; a peer that will not attest is refused at HELLO (profile.md §3). */
    ATEA_SESSION_REQUIRE = 0,
    /* Application data may flow before (or without) the peer's attestation; an attestation
     * that is attempted and fails still closes the session. */
    ATEA_SESSION_OPTIONAL = 1,
} atea_session_policy;

/*
 * Appraise the peer's CMW (relying party side). `expected` is the binding this side computed
 * from ITS OWN view of the connection (exporter, request context, the authenticator's leaf);
 * the evidence must commit to it. Fill `out` (submodules, claims, reasons: atea/appraisal.h).
 * Return ATEA_OK when the evidence was appraised (the session then reads the status), or the
 * verifier's error code, which is sent to the peer as a reason (atea_reason_from_err).
 * After the callback the session itself compares every binding claim it finds in `out`
 * ("report_data" (64 bytes), "nonce" / "binder" / "eat_nonce", "aik_hash") with `expected`.
 */
typedef atea_err (*atea_session_appraise_fn)(void *user, const uint8_t *cmw, size_t len,
                                             const atea_binding *expected, atea_appraisal *out);

/* A ready appraise callback over atea's verifier (include/atea/verify.h): set
 * opts.appraise = atea_session_appraise_verifier and opts.appraise_user = an atea_verifier *
 * (borrowed; it must outlive the session). Returns what atea_verify_cmw returns. */
atea_err atea_session_appraise_verifier(void *verifier, const uint8_t *cmw, size_t len,
                                        const atea_binding *expected, atea_appraisal *out);

#define ATEA_SESSION_OPTS_V1 1u
#define ATEA_SESSION_OPTS_VERSION ATEA_SESSION_OPTS_V1

/* Copied by atea_session_new (pointers to caller objects are borrowed where noted). Start
 * from atea_session_opts_default(); fields are only ever appended. */
typedef struct atea_session_opts {
    unsigned version;           /* ATEA_SESSION_OPTS_VERSION */
    unsigned role;              /* ATEA_SESSION_ATTESTER, _RELYING_PARTY or _MUTUAL (default RP) */
    atea_session_policy policy; /* default ATEA_SESSION_REQUIRE */

    /* Attester side: evidence source (borrowed, must outlive the session), the authenticator
     * chain (DER, leaf first; copied) and the leaf's private key (the attestation key; the
     * session takes its own reference). */
    atea_attester *attester;
    const atea_slice *chain;
    size_t n_chain;
    EVP_PKEY *key;

    /* Relying-party side. */
    atea_session_appraise_fn appraise;
    void *appraise_user;
    /* PKIX-validate the authenticator's chain against this store (the session takes a
     * reference); NULL: the chain is not PKIX-validated, and the leaf's key is trusted only
     * through the evidence (aik_hash). */
    X509_STORE *trust;
    int accept_warning;        /* 1: an appraisal whose status is WARNING is accepted (0) */
    int require_binding_claim; /* 1: refuse an appraisal with no binding claim (1) */

    /* Wire profile (profile.md; both sides must agree, HELLO checks it). */
    const char *exporter_label; /* ATEA_DEFAULT_BINDER_LABEL; copied */
    atea_binder_layout layout;  /* ATEA_BINDER_LAYOUT_CONCAT */
    uint16_t cmw_ext;           /* ATEA_DEFAULT_CMW_EXT */
    uint8_t cmw_formats;        /* ATEA_CMW_FORMAT_CBOR | ATEA_CMW_FORMAT_JSON */
    /* Evidence types this side produces (attester) or accepts (RP); none = any. Copied, at
     * most ATEA_FRAME_MAX_EVIDENCE_TYPES. */
    const uint16_t *evidence_types;
    size_t n_evidence_types;

    /* Timing, in milliseconds of the caller's clock. */
    uint64_t hello_timeout_ms;     /* peer's HELLO due (ATEA_DEFAULT_SESSION_HELLO_TIMEOUT_MS) */
    uint64_t attest_timeout_ms;    /* answer to a REQUEST / an AUTHENTICATOR due */
    uint64_t reattest_interval_ms; /* RP: re-attest this long after each success; 0 = never */

    /* Buffering caps. */
    size_t max_output;       /* bytes queued for sending (ATEA_DEFAULT_SESSION_MAX_OUTPUT) */
    size_t max_pending_data; /* received application bytes not yet taken as events */

    /* Randomness for request contexts (NULL: libcrypto's RAND_bytes, through the EA layer). */
    atea_rng_fn rng;
    void *rng_user;
    atea_log log;
} atea_session_opts;

void atea_session_opts_default_versioned(unsigned version, atea_session_opts *opts);
#define atea_session_opts_default(opts)                                                            \
    atea_session_opts_default_versioned(ATEA_SESSION_OPTS_VERSION, (opts))

typedef struct atea_session atea_session;

/*
 * Create a session over `tls` (borrowed; TLS 1.3, handshake complete) and queue our HELLO. A
 * relying party also queues its first REQUEST behind it (pipelined: the attester can answer in
 * its first flight, docs/PROTOCOL.md §5 "One exchange"), so a TLS client should create its
 * session as soon as its handshake completes and send both with its Finished.
 * Errors: ATEA_ERR_INVALID_ARG, ATEA_ERR_SESSION_OPTS_VERSION, ATEA_ERR_SESSION_ROLE,
 * ATEA_ERR_SESSION_NO_ATTESTER (attests without attester, chain or key),
 * ATEA_ERR_SESSION_NO_APPRAISER, ATEA_ERR_BINDER_PROFILE, ATEA_ERR_SPKI_MALFORMED (leaf),
 * ATEA_ERR_TLS_VERSION, ATEA_ERR_TLS_NOT_READY, ATEA_ERR_NO_MEMORY, atea_ea_new's codes, and
 * (relying party) atea_ea_request's, e.g. ATEA_ERR_EA_RNG when the rng fails.
 */
atea_err atea_session_new(const atea_tls *tls, const atea_session_opts *opts, uint64_t now,
                          atea_session **psession) ATEA_MUST_USE;
void atea_session_free(atea_session *s);

/*
 * Give the session bytes received from the peer. *consumed < len only when the session holds
 * more received application data than max_pending_data: take events, then feed the rest.
 * Whole frames are decoded where they lie in `in`; only a frame cut by its end is buffered
 * (until the next call completes it). Each DATA event gets its own copy of its bytes, so the
 * caller may reuse `in` as soon as the call returns (atea_session_feed_borrow saves that copy).
 * Returns ATEA_OK, ATEA_ERR_SESSION_CLOSED after an orderly close, or the (sticky) failure
 * (docs/PROTOCOL.md §5 "Failures and closing"), e.g.
 * ATEA_ERR_FRAME_UNKNOWN_TYPE, ATEA_ERR_FRAME_TOO_LARGE, ATEA_ERR_FRAME_UNEXPECTED,
 * ATEA_ERR_SESSION_DATA_EARLY, ATEA_ERR_SESSION_UNSOLICITED, ATEA_ERR_BINDER_MISMATCH,
 * ATEA_ERR_AIK_HASH_MISMATCH, ATEA_ERR_SESSION_NOT_AFFIRMING, ATEA_ERR_SESSION_REFUSED (the peer
 * refused us), ATEA_ERR_SESSION_PEER_ERROR, the EA layer's validation codes, the appraise
 * callback's codes.
 */
atea_err atea_session_feed(atea_session *s, const uint8_t *in, size_t len, size_t *consumed,
                           uint64_t now) ATEA_MUST_USE;

/*
 * atea_session_feed without copying application data: the DATA event of a frame that lies whole
 * in in[0..len) points into `in` itself (a frame that began in an earlier call is still copied).
 * The caller must therefore leave in[0..*consumed) unchanged until it has taken every DATA event
 * this call produced: read into a buffer, feed it, take the events, and only then reuse the
 * buffer. Frames are decoded where they lie either way; this only saves the copy of DATA.
 * Same returns as atea_session_feed.
 */
atea_err atea_session_feed_borrow(atea_session *s, const uint8_t *in, size_t len, size_t *consumed,
                                  uint64_t now) ATEA_MUST_USE;

/* The peer's transport reached EOF. ATEA_OK (and a CLOSED event) if nothing was in flight,
 * ATEA_OK (nothing more) after an orderly close by either side; ATEA_ERR_FRAME_TRUNCATED in the
 * middle of a frame; ATEA_ERR_SESSION_PEER_CLOSED before the peer's HELLO or before an
 * attestation this session takes part in has finished (a request outstanding in either
 * direction, or a required first attestation not yet done); the sticky error after a
 * failure. */
atea_err atea_session_peer_closed(atea_session *s, uint64_t now) ATEA_MUST_USE;

/* Bytes waiting to be sent. */
size_t atea_session_pending_output(const atea_session *s);

/* Copy up to cap queued bytes into out and forget them; *n = bytes copied (0 if none). Works
 * after a failure too. ATEA_ERR_INVALID_ARG only. */
atea_err atea_session_drain(atea_session *s, uint8_t *out, size_t cap, size_t *n) ATEA_MUST_USE;

/* Zero-copy variant: the queued bytes (valid until the next call on the session), then
 * atea_session_drain_ack(s, n) once n of them are sent. */
const uint8_t *atea_session_peek_output(const atea_session *s, size_t *len);
void atea_session_drain_ack(atea_session *s, size_t n);

typedef enum atea_session_event_type {
    ATEA_SESSION_EV_ATTESTED = 1,   /* the peer's evidence was accepted (first time) */
    ATEA_SESSION_EV_REATTESTED = 2, /* ... and accepted again after a re-attestation */
    ATEA_SESSION_EV_ACCEPTED = 3,   /* the peer accepted OUR attestation (its RESULT) */
    ATEA_SESSION_EV_READY = 4,      /* application data may now flow (once per session) */
    ATEA_SESSION_EV_DATA = 5,       /* application bytes from the peer */
    ATEA_SESSION_EV_REFUSED = 6,    /* an attestation failed; CLOSED follows */
    ATEA_SESSION_EV_CLOSED = 7,     /* the session ended; the last event */
} atea_session_event_type;

/* "ATTESTED", "DATA", ... */
const char *atea_session_event_name(atea_session_event_type type);

typedef struct atea_session_event {
    atea_session_event_type type;
    /* ATTESTED / REATTESTED: the peer's appraisal. DATA: data[0..len). Both valid until the
     * next atea_session_next_event or atea_session_free (DATA from atea_session_feed_borrow:
     * also only as long as the caller keeps the bytes it fed). */
    const atea_appraisal *appraisal;
    const uint8_t *data;
    size_t len;
    /* REFUSED / CLOSED: the reason on the wire, who decided (1 = the peer), the local code
     * (ATEA_OK for an orderly close), and a sentence (the peer's text or the local detail). */
    uint16_t reason;
    int by_peer;
    atea_err err;
    char text[ATEA_FRAME_MAX_TEXT + 1];
} atea_session_event;

/* Take the next event: 1 and *ev filled, or 0 if there is none. */
int atea_session_next_event(atea_session *s, atea_session_event *ev);

/* Bytes of application data in DATA events not yet taken with atea_session_next_event. While it
 * is not 0, a caller of atea_session_feed_borrow must keep the bytes it fed in place. */
size_t atea_session_pending_data(const atea_session *s);

/* When atea_session_on_timeout must be called next (caller's clock, ms); UINT64_MAX if no
 * timer is armed. */
uint64_t atea_session_expiry(const atea_session *s);

/* Run the timers due at `now`: a missing HELLO, REQUEST answer or RESULT fails with
 * ATEA_ERR_SESSION_TIMEOUT (an ERROR frame is queued); a due periodic re-attestation sends a
 * new REQUEST. Calling it early is harmless. */
atea_err atea_session_on_timeout(atea_session *s, uint64_t now) ATEA_MUST_USE;

/* 1 if atea_session_write would accept data now. */
int atea_session_can_write(const atea_session *s);

/*
 * Queue application bytes as DATA frames (split at ATEA_FRAME_MAX_DATA); all or nothing.
 * ATEA_ERR_SESSION_NOT_ATTESTED before the attestations the policy requires have succeeded,
 * ATEA_ERR_WANT_WRITE if the output queue would exceed max_output (drain, then retry); neither
 * is sticky. The sticky error once the session has failed, ATEA_ERR_SESSION_CLOSED after close.
 */
atea_err atea_session_write(atea_session *s, const uint8_t *data, size_t len) ATEA_MUST_USE;

/* Relying party: start a re-attestation now (a new REQUEST with a fresh context); DATA keeps
 * flowing meanwhile in both directions. ATEA_ERR_SESSION_NOT_VERIFIER, ATEA_ERR_SESSION_BUSY
 * (a request is outstanding, or the peer has not attested yet), the sticky error; and, sticky,
 * ATEA_ERR_SESSION_QUEUE_FULL (the REQUEST does not fit the output queue) and the EA layer's
 * request codes. */
atea_err atea_session_reattest(atea_session *s, uint64_t now) ATEA_MUST_USE;

/* Orderly close: queue ERROR(reason NONE) and end the session (a CLOSED event follows). */
atea_err atea_session_close(atea_session *s) ATEA_MUST_USE;

/* The first failure (ATEA_OK if none) and its detail ("" if none). */
atea_err atea_session_last_error(const atea_session *s);
const char *atea_session_last_error_detail(const atea_session *s);

/* State queries. */
int atea_session_peer_attested(const atea_session *s); /* the peer's evidence accepted */
int atea_session_self_accepted(const atea_session *s); /* the peer accepted ours */
int atea_session_is_closed(const atea_session *s);

#ifdef __cplusplus
}
#endif
#endif
