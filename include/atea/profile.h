/*
 * atea's wire profile: every choice that the drafts leave open (shared/reference/profile.md,
 * docs/PROTOCOL.md) and every size cap, as one named default. Each default has a matching field
 * in an options struct; the library reads these constants only in the *_opts_default()
 * functions and for hard limits that the wire format itself imposes.
 */
#ifndef ATEA_PROFILE_H
#define ATEA_PROFILE_H

/* cmw_attestation extension codepoint (draft-fossati-seat-expat): no IANA value exists yet; 0xFF00
 * is in the private-use range (profile.md §2). The Rust prototype uses 0xFFFF. */
#define ATEA_DEFAULT_CMW_EXT 0xFF00u

/* Length of the random certificate_request_context atea generates (profile.md §3). */
#define ATEA_EA_CONTEXT_LEN 32u

/* Largest certificate_request_context on the wire: opaque <0..2^8-1> (RFC 8446 §4.3.2). */
#define ATEA_EA_MAX_CONTEXT_LEN 255u

/* Default cap on one authenticator request or authenticator, in bytes. Evidence rides inside the
 * Certificate (cmw_attestation is at most 65533 bytes of CMW), so 256 KiB leaves room for a chain
 * and the largest CMW. */
#define ATEA_DEFAULT_EA_MAX_MESSAGE (256u * 1024u)

/* Default cap on CertificateEntries in one authenticator. */
#define ATEA_DEFAULT_EA_MAX_CERTS 10u

/* Default cap on certificate_request_contexts remembered per connection (both directions): every
 * context ever used stays remembered so that none is reused (RFC 9261 §4). */
#define ATEA_DEFAULT_EA_MAX_CONTEXTS 4096u

/* Hard cap on the entries of one extension list (requests and CertificateEntries). */
#define ATEA_EA_MAX_EXTENSIONS 32u

#endif
