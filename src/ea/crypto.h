/* The RFC 9261 key material and transcript (internal): exporter values (§5.1), the hashed
 * authenticator transcript and CertificateVerify content (§5.2.2), the Finished MAC (§5.2.3,
 * §6). */
#ifndef ATEA_EA_CRYPTO_H
#define ATEA_EA_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "atea/tls.h"
#include "atea/types.h"

/* Handshake Context and Finished MAC Key of one sender, hash-length each. Secret: wipe. */
typedef struct atea_ea_keys {
    atea_hash hash;
    size_t len;
    uint8_t hc[ATEA_HASH_MAX_LEN];
    uint8_t fk[ATEA_HASH_MAX_LEN];
} atea_ea_keys;

/* OpenSSL's name of the digest (for EVP_get_digestbyname, HMAC, HKDF), or NULL for an unknown
 * value. */
const char *atea_ea_digest_name(atea_hash hash);

/* Export both values with the labels of `sender`, the party that creates the authenticator:
 * "EXPORTER-<client|server> authenticator handshake context" / "... finished key", empty context,
 * Hash.length bytes (RFC 9261 §5.1). */
atea_err atea_ea_keys_derive(const atea_tls *tls, atea_tls_role sender,
                             atea_ea_keys *keys) ATEA_MUST_USE;

/* Keys from raw values (tests: profile.md §1 fizz check). */
atea_err atea_ea_keys_set(atea_hash hash, const uint8_t *hc, const uint8_t *fk, size_t len,
                          atea_ea_keys *keys) ATEA_MUST_USE;

void atea_ea_keys_wipe(atea_ea_keys *keys);

/* Hash(HC || parts[0] || ... || parts[n-1]) into out[keys->len]. Empty parts are skipped: "If
 * the authenticator request is not present, it is omitted" (§5.2.2). */
atea_err atea_ea_transcript_hash(const atea_ea_keys *keys, const atea_slice *parts, size_t n,
                                 uint8_t *out) ATEA_MUST_USE;

/* Size of the CertificateVerify content: 64 spaces, the context string, a zero, the hash. */
#define ATEA_EA_CV_CONTENT_MAX (64 + 22 + 1 + ATEA_HASH_MAX_LEN)

/* 0x20 x 64 || "Exported Authenticator" || 0x00 || transcript_hash (§5.2.2). */
void atea_ea_cv_content(const uint8_t *transcript_hash, size_t hash_len,
                        uint8_t out[ATEA_EA_CV_CONTENT_MAX], size_t *out_len);

/* HMAC(Finished MAC Key, Hash(HC || parts...)) into out[keys->len] (§5.2.3): the exported key
 * keys the HMAC directly, over the hash of the transcript. */
atea_err atea_ea_finished_mac(const atea_ea_keys *keys, const atea_slice *parts, size_t n,
                              uint8_t *out) ATEA_MUST_USE;

/* The Finished MAC of an empty authenticator (§6): the transcript holds the request and a
 * Certificate(context, empty list) that is hashed but never sent. request may be empty. */
atea_err atea_ea_empty_mac(const atea_ea_keys *keys, atea_slice request, atea_slice context,
                           uint8_t *out) ATEA_MUST_USE;

#endif
