/*
 * Describing an Arm CCA attestation token (draft-ffm-rats-cca-token; RMM spec 1.0 A7.2;
 * evidence-formats.md §4): the collection (tag 399 {44234: bstr, 44241: bstr}, or tag 907 with
 * [263, bstr] entries), each COSE_Sign1 and its claims by name. The strict CCA parsers
 * (src/verify/cca_token.c) give the verdict.
 */
#include <string.h>

#include "core/check.h"
#include "verify/cca_internal.h"
#include "verify/describe_internal.h"

#define CCA_TAG_COLLECTION 399
#define CCA_TAG_CMW_COLLECTION 907
#define CCA_KEY_PLATFORM 44234
#define CCA_KEY_REALM 44241
#define CCA_COLLECTION_ENTRIES 2

/* Claim keys of both tokens (draft-ffm-rats-cca-token §4.2-4.3, PSA token §4.4.1 for the
 * software component map, whose keys 1..6 collide with no top-level claim). */
static const char *cca_claim_name(int64_t key)
{
    static const struct {
        int64_t key;
        const char *name;
    } names[] = {
        {1, "measurement-type"},
        {2, "measurement-value"},
        {4, "version"},
        {5, "signer-id"},
        {6, "measurement-desc (hash algorithm)"},
        {10, "challenge"},
        {256, "instance-id"},
        {265, "profile"},
        {2395, "platform-lifecycle"},
        {2396, "platform-implementation-id"},
        {2399, "platform-sw-components"},
        {2400, "platform-verification-service"},
        {2401, "platform-config"},
        {2402, "platform-hash-algo-id"},
        {44235, "realm-personalization-value"},
        {44236, "realm-hash-algo-id"},
        {44237, "realm-public-key (RAK)"},
        {44238, "realm-initial-measurement (RIM)"},
        {44239, "realm-extensible-measurements (REM0-3)"},
        {44240, "realm-public-key-hash-algo-id"},
    };
    for (size_t i = 0; i < ATEA_ARRAY_LEN(names); i++) {
        if (names[i].key == key) {
            return names[i].name;
        }
    }
    return NULL;
}

/* One collection entry: its token bytes (bstr, or [263, bstr] under tag 907) as a COSE_Sign1. */
static atea_err describe_token(atea__describe *d, atea_cbor_rd *c, uint64_t tag, uint64_t key)
{
    atea_err err = ATEA_OK;
    unsigned indent = d->indent;
    atea_cbor_rd token;
    size_t n = 0;
    uint64_t content_format = 0;
    ATEA_TRY(atea__describe_line(d, 0, "%s token (%llu):",
                                 key == CCA_KEY_PLATFORM ? "platform"
                                 : key == CCA_KEY_REALM  ? "realm"
                                                         : "unknown",
                                 (unsigned long long)key));
    d->indent++;
    if (tag == CCA_TAG_CMW_COLLECTION) {
        ATEA_TRY(atea_cbor_read_array(c, &n));
        ATEA_TRY(atea_cbor_read_uint(c, &content_format));
        ATEA_TRY(atea__describe_line(d, 0, "content-format: %llu%s",
                                     (unsigned long long)content_format,
                                     content_format == 263 ? " (COSE_Sign1 EAT)" : ""));
    }
    ATEA_TRY(atea_cbor_open_bstr(c, &token));
    ATEA_TRY(atea__describe_cose_sign1(d, &token, cca_claim_name));
out:
    d->indent = indent;
    return err;
}

static atea_err walk_token(atea__describe *d, const uint8_t *in, size_t len)
{
    atea_err err = ATEA_OK;
    unsigned indent = d->indent;
    atea_cbor_rd c;
    uint64_t tag = 0;
    size_t n = 0;
    atea_cbor_rd_init(&c, in, len);
    ATEA_TRY(atea__describe_banner(d, "Arm CCA attestation token, %zu bytes", len));
    d->indent++;
    ATEA_TRY(atea_cbor_read_tag(&c, &tag));
    ATEA_TRY(atea__describe_line(d, 0, "collection: tag %llu (%s)", (unsigned long long)tag,
                                 tag == CCA_TAG_COLLECTION       ? "RMM 1.0 CCA token collection"
                                 : tag == CCA_TAG_CMW_COLLECTION ? "CMW collection"
                                                                 : "not a CCA collection tag"));
    ATEA_TRY(atea_cbor_read_map(&c, &n));
    for (size_t i = 0; i < n && i < CCA_COLLECTION_ENTRIES + 1; i++) {
        uint64_t key = 0;
        ATEA_TRY(atea_cbor_read_uint(&c, &key));
        ATEA_TRY(describe_token(d, &c, tag, key));
    }
out:
    d->indent = indent;
    return err;
}

/* The strict parse: collection, both COSE_Sign1s, both claim maps. */
static atea_err parse_token(const uint8_t *in, size_t len)
{
    atea_err err = ATEA_OK;
    atea_cca_collection coll;
    atea_cose_sign1 platform_cose;
    atea_cose_sign1 realm_cose;
    atea_cca_platform platform;
    atea_cca_realm realm;
    ATEA_ENSURE_MSG(len <= ATEA_CCA_TOKEN_MAX_SIZE, ATEA_ERR_TOO_LARGE,
                    "CCA token of %zu bytes exceeds %d", len, ATEA_CCA_TOKEN_MAX_SIZE);
    ATEA_TRY(atea__cca_collection_parse(in, len, &coll));
    ATEA_TRY(
        atea__cca_cose_parse(coll.platform, (size_t)(coll.platform.data - in), &platform_cose));
    ATEA_TRY(atea__cca_cose_parse(coll.realm, (size_t)(coll.realm.data - in), &realm_cose));
    ATEA_TRY(atea__cca_platform_parse(platform_cose.payload,
                                      (size_t)(platform_cose.payload.data - in), &platform));
    ATEA_TRY(
        atea__cca_realm_parse(realm_cose.payload, (size_t)(realm_cose.payload.data - in), &realm));
out:
    return err;
}

atea_err atea__describe_cca(atea__describe *d, const uint8_t *in, size_t len)
{
    atea_err err = ATEA_OK;
    atea_err walked = walk_token(d, in, len);
    atea_err parsed = parse_token(in, len);
    ATEA_TRY(atea__describe_verdict(d, walked, parsed));
out:
    return err;
}
