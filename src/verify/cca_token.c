/*
 * Arm CCA token structure: the collection (tag 399, RMM spec 1.0 A7.2.1; tag 907, CMW collection
 * as veraison/ccatoken accepts it), each token's COSE_Sign1, and the two claim maps
 * (draft-ffm-rats-cca-token §4: realm claims, platform claims). Claim maps are read from
 * tables: key, type, size range, required or not. Unknown claims are skipped (the profiles are
 * extensible), a repeated claim is an error.
 */
#include <string.h>

#include "core/check.h"
#include "verify/cca_internal.h"

#define CCA_TAG_COLLECTION 399
#define CCA_TAG_CMW_COLLECTION 907
#define CCA_KEY_PLATFORM 44234
#define CCA_KEY_REALM 44241
#define CCA_CONTENT_FORMAT_COSE_SIGN1 263 /* application/eat+cwt, as in the TF-M tooling */

static void cca_rd_init(atea_cbor_rd *c, atea_slice s, size_t base)
{
    atea_cbor_rd_init(c, s.data, s.len);
    c->max_depth = ATEA_CCA_MAX_DEPTH;
    c->rd.base = base;
}

/* One collection entry's value: a bstr (tag 399) or [263, bstr] (tag 907). */
static atea_err read_entry(atea_cbor_rd *c, uint64_t tag, atea_slice *token)
{
    atea_err err = ATEA_OK;
    size_t n = 0;
    uint64_t content_format = 0;
    if (tag == CCA_TAG_CMW_COLLECTION) {
        ATEA_TRY(atea_cbor_read_array(c, &n));
        ATEA_ENSURE_MSG(n == 2, ATEA_ERR_CCA_FORMAT,
                        "CMW collection entry is an array of %zu, expected [content-format, bstr]",
                        n);
        ATEA_TRY(atea_cbor_read_uint(c, &content_format));
        ATEA_ENSURE_MSG(content_format == CCA_CONTENT_FORMAT_COSE_SIGN1, ATEA_ERR_CCA_FORMAT,
                        "CMW collection entry has content-format %llu, expected 263",
                        (unsigned long long)content_format);
    }
    ATEA_TRY(atea_cbor_read_bstr(c, token));
out:
    return err;
}

atea_err atea__cca_collection_parse(const uint8_t *token, size_t len, atea_cca_collection *out)
{
    atea_err err = ATEA_OK;
    atea_cbor_rd c;
    uint64_t tag = 0;
    size_t n = 0;
    memset(out, 0, sizeof(*out));
    cca_rd_init(&c, (atea_slice){token, len}, 0);
    atea_cbor_major major;
    ATEA_TRY(atea_cbor_peek_type(&c, &major));
    ATEA_ENSURE_MSG(major == ATEA_CBOR_TAG, ATEA_ERR_CCA_FORMAT,
                    "a CCA token starts with CBOR tag 399 or 907, not major type %d", (int)major);
    ATEA_TRY(atea_cbor_read_tag(&c, &tag));
    ATEA_ENSURE_MSG(tag == CCA_TAG_COLLECTION || tag == CCA_TAG_CMW_COLLECTION, ATEA_ERR_CCA_FORMAT,
                    "CBOR tag %llu is not a CCA token collection (399 or 907)",
                    (unsigned long long)tag);
    ATEA_TRY(atea_cbor_read_map(&c, &n));
    ATEA_ENSURE_MSG(n == 2, ATEA_ERR_CCA_FORMAT,
                    "CCA collection has %zu entries, expected the platform and realm tokens", n);
    for (size_t i = 0; i < n; i++) {
        uint64_t key = 0;
        ATEA_TRY(atea_cbor_read_uint(&c, &key));
        atea_slice *slot = key == CCA_KEY_PLATFORM ? &out->platform
                           : key == CCA_KEY_REALM  ? &out->realm
                                                   : NULL;
        ATEA_ENSURE_MSG(slot != NULL, ATEA_ERR_CCA_FORMAT,
                        "CCA collection key %llu is neither 44234 (platform) nor 44241 (realm)",
                        (unsigned long long)key);
        ATEA_ENSURE_MSG(slot->data == NULL, ATEA_ERR_CCA_FORMAT, "CCA collection repeats key %llu",
                        (unsigned long long)key);
        ATEA_TRY(read_entry(&c, tag, slot));
    }
    ATEA_TRY(atea_cbor_end(&c));
out:
    return err;
}

atea_err atea__cca_cose_parse(atea_slice cose, size_t base, atea_cose_sign1 *out)
{
    atea_err err = ATEA_OK;
    atea_cbor_rd c;
    cca_rd_init(&c, cose, base);
    ATEA_TRY(atea__cose_sign1_parse(&c, out));
    ATEA_TRY(atea_cbor_end(&c));
out:
    return err;
}

atea_err atea__cca_hash_alg(atea_slice name, const char *claim, const EVP_MD **md, size_t *len)
{
    atea_err err = ATEA_OK;
    /* IANA "Named Information Hash Algorithm" names, as the CCA token uses them. */
    static const struct {
        const char *name;
        const EVP_MD *(*md)(void);
        size_t len;
    } algs[] = {
        {"sha-256", EVP_sha256, 32}, {"sha-384", EVP_sha384, 48}, {"sha-512", EVP_sha512, 64}};
    for (size_t i = 0; i < ATEA_ARRAY_LEN(algs); i++) {
        if (name.len == strlen(algs[i].name) && memcmp(name.data, algs[i].name, name.len) == 0) {
            *md = algs[i].md();
            *len = algs[i].len;
            goto out;
        }
    }
    ATEA_FAIL(ATEA_ERR_CCA_HASH_ALG, "%s '%.*s' is not sha-256, sha-384 or sha-512", claim,
              (int)(name.len > 32 ? 32 : name.len), (const char *)name.data);
out:
    return err;
}

/* ---- table-driven claim maps ---- */

typedef enum claim_kind {
    CLAIM_BSTR,
    CLAIM_TSTR,
    CLAIM_UINT,
    CLAIM_CUSTOM,
} claim_kind;

typedef atea_err (*claim_reader)(atea_cbor_rd *c, void *obj);

typedef struct claim_desc {
    int64_t key;
    const char *name;
    claim_kind kind;
    int required;
    size_t min; /* bytes (BSTR/TSTR) or value (UINT) */
    size_t max;
    size_t offset; /* of the atea_slice / uint64_t in the struct */
    claim_reader custom;
} claim_desc;

#define CLAIM_MAX_DESCS 16

static atea_err read_one_claim(atea_cbor_rd *c, const claim_desc *d, void *obj)
{
    atea_err err = ATEA_OK;
    atea_slice s = {0};
    uint64_t v = 0;
    size_t at = atea_cbor_pos(c);
    switch (d->kind) {
    case CLAIM_BSTR:
    case CLAIM_TSTR:
        err = d->kind == CLAIM_BSTR ? atea_cbor_read_bstr(c, &s) : atea_cbor_read_tstr(c, &s);
        ATEA_ENSURE_MSG(err != ATEA_ERR_CBOR_TYPE, ATEA_ERR_CCA_CLAIM,
                        "claim %lld (%s) at offset %zu is not a %s string", (long long)d->key,
                        d->name, at, d->kind == CLAIM_BSTR ? "byte" : "text");
        ATEA_TRY(err);
        ATEA_ENSURE_MSG(s.len >= d->min && s.len <= d->max, ATEA_ERR_CCA_CLAIM,
                        "claim %lld (%s) is %zu bytes, expected %zu..%zu", (long long)d->key,
                        d->name, s.len, d->min, d->max);
        memcpy((char *)obj + d->offset, &s, sizeof(s));
        break;
    case CLAIM_UINT:
        err = atea_cbor_read_uint(c, &v);
        ATEA_ENSURE_MSG(err != ATEA_ERR_CBOR_TYPE, ATEA_ERR_CCA_CLAIM,
                        "claim %lld (%s) at offset %zu is not an unsigned integer",
                        (long long)d->key, d->name, at);
        ATEA_TRY(err);
        ATEA_ENSURE_MSG(v >= d->min && v <= d->max, ATEA_ERR_CCA_CLAIM,
                        "claim %lld (%s) is %llu, outside %zu..%zu", (long long)d->key, d->name,
                        (unsigned long long)v, d->min, d->max);
        memcpy((char *)obj + d->offset, &v, sizeof(v));
        break;
    case CLAIM_CUSTOM:
        ATEA_TRY(d->custom(c, obj));
        break;
    }
out:
    return err;
}

/* A claims map: integer keys (text keys are skipped), each known key at most once, every
 * required key present. */
static atea_err read_claims(atea_slice payload, size_t base, const claim_desc *descs, size_t n,
                            void *obj, const char *token)
{
    atea_err err = ATEA_OK;
    atea_cbor_rd c;
    size_t entries = 0;
    int seen[CLAIM_MAX_DESCS] = {0};
    ATEA_ENSURE(n <= CLAIM_MAX_DESCS, ATEA_ERR_INTERNAL);
    cca_rd_init(&c, payload, base);
    /* The map is the first level: a claim value may nest ATEA_CCA_MAX_DEPTH - 1 more. */
    c.max_depth = ATEA_CCA_MAX_DEPTH - 1;
    ATEA_TRY(atea_cbor_read_map(&c, &entries));
    ATEA_ENSURE_MSG(entries <= ATEA_CCA_MAX_CLAIMS, ATEA_ERR_TOO_LARGE,
                    "%s token has %zu claims (cap %d)", token, entries, ATEA_CCA_MAX_CLAIMS);
    for (size_t i = 0; i < entries; i++) {
        atea_cbor_major major;
        int64_t key = 0;
        ATEA_TRY(atea_cbor_peek_type(&c, &major));
        if (major != ATEA_CBOR_UINT && major != ATEA_CBOR_NEGINT) {
            ATEA_TRY(atea_cbor_skip(&c)); /* a text key: a claim from another profile */
            ATEA_TRY(atea_cbor_skip(&c));
            continue;
        }
        ATEA_TRY(atea_cbor_read_int(&c, &key));
        size_t k = 0;
        while (k < n && descs[k].key != key) {
            k++;
        }
        if (k == n) {
            ATEA_TRY(atea_cbor_skip(&c));
            continue;
        }
        ATEA_ENSURE_MSG(!seen[k], ATEA_ERR_CCA_CLAIM, "%s token repeats claim %lld (%s)", token,
                        (long long)key, descs[k].name);
        seen[k] = 1;
        ATEA_TRY(read_one_claim(&c, &descs[k], obj));
    }
    ATEA_TRY(atea_cbor_end(&c));
    for (size_t k = 0; k < n; k++) {
        ATEA_ENSURE_MSG(seen[k] || !descs[k].required, ATEA_ERR_CCA_CLAIM,
                        "%s token lacks claim %lld (%s)", token, (long long)descs[k].key,
                        descs[k].name);
    }
out:
    return err;
}

/* 44239: exactly four REMs. Lengths are checked against the hash algorithm afterwards. */
static atea_err read_rems(atea_cbor_rd *c, void *obj)
{
    atea_err err = ATEA_OK;
    atea_cca_realm *realm = obj;
    size_t n = 0;
    ATEA_TRY(atea_cbor_read_array(c, &n));
    ATEA_ENSURE_MSG(n == ATEA_CCA_REM_COUNT, ATEA_ERR_CCA_CLAIM,
                    "realm claim 44239 has %zu extensible measurements, expected 4", n);
    for (size_t i = 0; i < n; i++) {
        ATEA_TRY(atea_cbor_read_bstr(c, &realm->rem[i]));
    }
out:
    return err;
}

static const claim_desc SW_COMPONENT_CLAIMS[] = {
    {1, "measurement type", CLAIM_TSTR, 0, 0, 255, offsetof(atea_cca_sw_component, type), NULL},
    {2, "measurement value", CLAIM_BSTR, 1, 32, 64, offsetof(atea_cca_sw_component, measurement),
     NULL},
    {4, "version", CLAIM_TSTR, 0, 0, 255, offsetof(atea_cca_sw_component, version), NULL},
    {5, "signer id", CLAIM_BSTR, 1, 32, 64, offsetof(atea_cca_sw_component, signer_id), NULL},
    {6, "hash algorithm", CLAIM_TSTR, 0, 1, 32, offsetof(atea_cca_sw_component, hash_alg), NULL},
};

/* 2399: an array of software component maps. */
static atea_err read_sw_components(atea_cbor_rd *c, void *obj)
{
    atea_err err = ATEA_OK;
    atea_cca_platform *p = obj;
    size_t n = 0;
    ATEA_TRY(atea_cbor_read_array(c, &n));
    ATEA_ENSURE_MSG(n > 0 && n <= ATEA_CCA_MAX_SW_COMPONENTS,
                    n == 0 ? ATEA_ERR_CCA_SW_COMPONENT : ATEA_ERR_TOO_LARGE,
                    "platform token lists %zu software components (1..%d)", n,
                    ATEA_CCA_MAX_SW_COMPONENTS);
    for (size_t i = 0; i < n; i++) {
        atea_slice entry = {0};
        size_t at = atea_cbor_pos(c);
        ATEA_TRY(atea_cbor_read_raw(c, &entry));
        err = read_claims(entry, at, SW_COMPONENT_CLAIMS, ATEA_ARRAY_LEN(SW_COMPONENT_CLAIMS),
                          &p->sw[i], "software component");
        ATEA_ENSURE_MSG(err != ATEA_ERR_CCA_CLAIM && err != ATEA_ERR_CBOR_TYPE,
                        ATEA_ERR_CCA_SW_COMPONENT, "software component %zu: %s", i,
                        atea_err_detail(err));
        ATEA_TRY(err);
    }
    p->sw_count = n;
out:
    return err;
}

#define REALM_FIELD(f) offsetof(atea_cca_realm, f)
static const claim_desc REALM_CLAIMS[] = {
    {265, "profile", CLAIM_TSTR, 0, 1, 255, REALM_FIELD(profile), NULL},
    {10, "challenge", CLAIM_BSTR, 1, 64, 64, REALM_FIELD(challenge), NULL},
    {44235, "personalization value", CLAIM_BSTR, 1, 64, 64, REALM_FIELD(personalization), NULL},
    {44236, "hash algorithm", CLAIM_TSTR, 1, 1, 32, REALM_FIELD(hash_alg), NULL},
    {44237, "public key", CLAIM_BSTR, 1, 1, 512, REALM_FIELD(rak), NULL},
    {44238, "initial measurement", CLAIM_BSTR, 1, 32, 64, REALM_FIELD(rim), NULL},
    {44239, "extensible measurements", CLAIM_CUSTOM, 1, 0, 0, 0, read_rems},
    {44240, "public key hash algorithm", CLAIM_TSTR, 1, 1, 32, REALM_FIELD(rak_hash_alg), NULL},
    {256, "instance id", CLAIM_BSTR, 0, 1, 64, REALM_FIELD(instance_id), NULL},
};

atea_err atea__cca_realm_parse(atea_slice payload, size_t base, atea_cca_realm *out)
{
    atea_err err = ATEA_OK;
    const EVP_MD *md = NULL;
    size_t hash_len = 0;
    memset(out, 0, sizeof(*out));
    ATEA_TRY(read_claims(payload, base, REALM_CLAIMS, ATEA_ARRAY_LEN(REALM_CLAIMS), out, "realm"));
    /* RIM and REMs are digests of the realm hash algorithm (RMM spec A7.2.3.1). */
    ATEA_TRY(atea__cca_hash_alg(out->hash_alg, "realm hash algorithm (44236)", &md, &hash_len));
    ATEA_ENSURE_MSG(out->rim.len == hash_len, ATEA_ERR_CCA_CLAIM,
                    "realm initial measurement is %zu bytes, the realm hash algorithm gives %zu",
                    out->rim.len, hash_len);
    for (size_t i = 0; i < ATEA_CCA_REM_COUNT; i++) {
        ATEA_ENSURE_MSG(out->rem[i].len == hash_len, ATEA_ERR_CCA_CLAIM,
                        "REM%zu is %zu bytes, the realm hash algorithm gives %zu", i,
                        out->rem[i].len, hash_len);
    }
    ATEA_TRY(atea__cca_hash_alg(out->rak_hash_alg, "realm public key hash algorithm (44240)", &md,
                                &hash_len));
out:
    return err;
}

#define PLATFORM_FIELD(f) offsetof(atea_cca_platform, f)
static const claim_desc PLATFORM_CLAIMS[] = {
    {265, "profile", CLAIM_TSTR, 1, 1, 255, PLATFORM_FIELD(profile), NULL},
    {10, "challenge", CLAIM_BSTR, 1, 32, 64, PLATFORM_FIELD(challenge), NULL},
    {2396, "implementation id", CLAIM_BSTR, 1, 32, 32, PLATFORM_FIELD(implementation_id), NULL},
    {256, "instance id", CLAIM_BSTR, 1, 33, 33, PLATFORM_FIELD(instance_id), NULL},
    {2401, "config", CLAIM_BSTR, 1, 0, 1024, PLATFORM_FIELD(config), NULL},
    {2395, "lifecycle", CLAIM_UINT, 1, 0, 0xFFFF, PLATFORM_FIELD(lifecycle), NULL},
    {2402, "hash algorithm", CLAIM_TSTR, 1, 1, 32, PLATFORM_FIELD(hash_alg), NULL},
    {2400, "verification service", CLAIM_TSTR, 0, 1, 255, PLATFORM_FIELD(verification_service),
     NULL},
    {2399, "software components", CLAIM_CUSTOM, 1, 0, 0, 0, read_sw_components},
};

atea_err atea__cca_platform_parse(atea_slice payload, size_t base, atea_cca_platform *out)
{
    atea_err err = ATEA_OK;
    memset(out, 0, sizeof(*out));
    ATEA_TRY(read_claims(payload, base, PLATFORM_CLAIMS, ATEA_ARRAY_LEN(PLATFORM_CLAIMS), out,
                         "platform"));
    /* The instance ID is a UEID of type RAND (0x01) and selects the CPAK endorsement. */
    ATEA_ENSURE_MSG(out->instance_id.data[0] == 0x01, ATEA_ERR_CCA_CLAIM,
                    "platform instance id starts with UEID type 0x%02x, expected 0x01",
                    out->instance_id.data[0]);
out:
    return err;
}
