/*
 * Attesters: given the 64-byte report_data that binds evidence to a TLS connection
 * (docs/PROTOCOL.md, profile.md §3), produce evidence wrapped in a CMW (RFC 9999).
 * One implementation per platform (src/evidence/<platform>.c) behind this interface.
 */
#ifndef ATEA_EVIDENCE_H
#define ATEA_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "atea/error.h"
#include "atea/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ATEA_REPORT_DATA_LEN 64

/* What the evidence must commit to. report_data is always set. binder and aik_hash are set when
 * the caller has them separately (an attested session always does): formats with a nonce claim
 * carry binder as the nonce and aik_hash as its own claim (profile.md §3). When they are empty
 * (`atea evidence --report-data HEX`), such formats use report_data as the nonce. */
typedef struct atea_binding {
    uint8_t report_data[ATEA_REPORT_DATA_LEN];
    uint8_t binder[64];
    size_t binder_len;
    uint8_t aik_hash[64];
    size_t aik_hash_len;
} atea_binding;

typedef struct atea_attester atea_attester;

struct atea_attester {
    const char *platform; /* "sim", "tpm", "tsm" */
    /* Produce a CMW (CBOR unless the attester was configured for JSON) into cmw. */
    atea_err (*attest)(atea_attester *self, const atea_binding *binding, atea_buf *cmw);
    void (*free)(atea_attester *self);
};

static inline atea_err atea_attester_attest(atea_attester *a, const atea_binding *b, atea_buf *cmw)
{
    return a->attest(a, b, cmw);
}

static inline void atea_attester_free(atea_attester *a)
{
    if (a != NULL) {
        a->free(a);
    }
}

#ifdef __cplusplus
}
#endif
#endif
