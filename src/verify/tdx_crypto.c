/*
 * TDX cryptographic helpers: raw ECDSA P-256 keys and signatures (evidence-formats.md §2.7) and
 * the PCK certificate's Intel SGX extension (§2.5 B), read with a small DER walker on atea_rd.
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/param_build.h>

#include "core/check.h"
#include "verify/tdx_internal.h"

/* SHA-256(DER) of the Intel SGX Root CA, CN=Intel SGX Root CA, serial 22650CD6...06AC. */
const uint8_t atea__tdx_intel_root_pin[32] = {
    0x44, 0xa0, 0x19, 0x6b, 0x2b, 0x99, 0xf8, 0x89, 0xb8, 0xe1, 0x49, 0xe9, 0x5b, 0x80, 0x7a, 0x35,
    0x0e, 0x74, 0x24, 0x96, 0x43, 0x99, 0xe8, 0x85, 0xa7, 0xcb, 0xb8, 0xcc, 0xfa, 0xb6, 0x74, 0xd3};

atea_err atea__tdx_rd_vec_le16(atea_rd *rd, size_t max, atea_rd *sub)
{
    atea_err err = ATEA_OK;
    uint16_t n = 0;
    size_t at = atea_rd_pos(rd);
    size_t save = rd->off;
    ATEA_TRY(atea_rd_u16le(rd, &n));
    if (n > max) {
        rd->off = save;
        ATEA_FAIL(ATEA_ERR_VEC_LENGTH, "field at offset %zu has length %u, allowed 0..%zu", at, n,
                  max);
    }
    err = atea_rd_sub(rd, n, sub);
    if (err != ATEA_OK) {
        rd->off = save;
        goto out;
    }
out:
    return err;
}

atea_err atea__tdx_p256_key(const uint8_t xy[64], EVP_PKEY **key)
{
    atea_err err = ATEA_OK;
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    uint8_t point[65];
    point[0] = 0x04; /* uncompressed SEC1 point */
    memcpy(point + 1, xy, 64);
    *key = NULL;
    bld = OSSL_PARAM_BLD_new();
    ATEA_ENSURE_ALLOC(bld);
    ATEA_ENSURE(
        OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
            OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point)),
        ATEA_ERR_NO_MEMORY);
    params = OSSL_PARAM_BLD_to_param(bld);
    ATEA_ENSURE_ALLOC(params);
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    ATEA_ENSURE_ALLOC(ctx);
    ATEA_ENSURE(EVP_PKEY_fromdata_init(ctx) == 1, ATEA_ERR_INTERNAL);
    ATEA_ENSURE_MSG(EVP_PKEY_fromdata(ctx, key, EVP_PKEY_PUBLIC_KEY, params) == 1 && *key != NULL,
                    ATEA_ERR_TDX_QUOTE_SIGNATURE, "the attestation key is not a point on P-256");
out:
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    return err;
}

atea_err atea__tdx_p256_verify(EVP_PKEY *key, const uint8_t sig[64], const uint8_t *data,
                               size_t len, int *valid)
{
    atea_err err = ATEA_OK;
    ECDSA_SIG *es = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(sig, 32, NULL);
    BIGNUM *s = BN_bin2bn(sig + 32, 32, NULL);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char *der = NULL;
    *valid = 0;
    ATEA_ENSURE(es != NULL && r != NULL && s != NULL && md != NULL, ATEA_ERR_NO_MEMORY);
    ATEA_ENSURE(ECDSA_SIG_set0(es, r, s) == 1, ATEA_ERR_NO_MEMORY);
    r = NULL; /* es owns them now */
    s = NULL;
    int der_len = i2d_ECDSA_SIG(es, &der);
    ATEA_ENSURE(der_len > 0, ATEA_ERR_NO_MEMORY);
    ATEA_ENSURE(EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) == 1, ATEA_ERR_INTERNAL);
    /* 1 = valid; 0 or an error = not a valid signature of these bytes by this key */
    *valid = EVP_DigestVerify(md, der, (size_t)der_len, data, len) == 1;
out:
    OPENSSL_free(der);
    EVP_MD_CTX_free(md);
    ECDSA_SIG_free(es);
    BN_free(r);
    BN_free(s);
    return err;
}

/* ---- a minimal DER reader for the SGX extension ---- */

#define DER_SEQUENCE 0x30
#define DER_OID 0x06
#define DER_INTEGER 0x02
#define DER_OCTET_STRING 0x04
#define DER_MAX_LEN 4096

/* The SGX extension OID 1.2.840.113741.1.13.1, DER content bytes. */
static const uint8_t SGX_OID[] = {0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d, 0x01};

static atea_err der_open(atea_rd *rd, uint8_t want_tag, atea_rd *val)
{
    atea_err err = ATEA_OK;
    uint8_t tag = 0;
    uint8_t b = 0;
    size_t n = 0;
    size_t at = atea_rd_pos(rd);
    ATEA_TRY(atea_rd_u8(rd, &tag));
    ATEA_ENSURE_MSG(tag == want_tag, ATEA_ERR_TDX_PCK_EXTENSION,
                    "SGX extension: tag 0x%02x at offset %zu (expected 0x%02x)", tag, at, want_tag);
    ATEA_TRY(atea_rd_u8(rd, &b));
    if (b < 0x80) {
        n = b;
    } else {
        /* long form: 1 or 2 length bytes are enough under DER_MAX_LEN */
        size_t k = b & 0x7f;
        ATEA_ENSURE_MSG(k >= 1 && k <= 2, ATEA_ERR_TDX_PCK_EXTENSION,
                        "SGX extension: length form 0x%02x at offset %zu", b, at);
        for (size_t i = 0; i < k; i++) {
            ATEA_TRY(atea_rd_u8(rd, &b));
            n = (n << 8) | b;
        }
    }
    ATEA_ENSURE_MSG(n <= DER_MAX_LEN, ATEA_ERR_TOO_LARGE,
                    "SGX extension: element of %zu bytes at offset %zu", n, at);
    ATEA_TRY(atea_rd_sub(rd, n, val));
out:
    return err;
}

/* Non-negative INTEGER up to 65535 (SVNs). */
static atea_err der_small_uint(atea_rd *rd, uint16_t *v)
{
    atea_err err = ATEA_OK;
    atea_rd val;
    uint32_t acc = 0;
    uint8_t b = 0;
    ATEA_TRY(der_open(rd, DER_INTEGER, &val));
    ATEA_ENSURE_MSG(val.len >= 1 && val.len <= 3 && (val.data[0] & 0x80) == 0,
                    ATEA_ERR_TDX_PCK_EXTENSION,
                    "SGX extension: INTEGER at offset %zu is negative or too long", val.base);
    while (atea_rd_left(&val) > 0) {
        ATEA_TRY(atea_rd_u8(&val, &b));
        acc = (acc << 8) | b;
    }
    ATEA_ENSURE_MSG(acc <= 0xffff, ATEA_ERR_TDX_PCK_EXTENSION,
                    "SGX extension: SVN %u at offset %zu exceeds 65535", acc, val.base);
    *v = (uint16_t)acc;
out:
    return err;
}

/* An OID under the SGX arc: SGX_OID || arcs; returns the arcs (one or two bytes) in *sub. */
static atea_err sgx_oid(atea_rd *rd, uint8_t *arc1, uint8_t *arc2)
{
    atea_err err = ATEA_OK;
    atea_rd oid;
    ATEA_TRY(der_open(rd, DER_OID, &oid));
    ATEA_ENSURE_MSG((oid.len == sizeof(SGX_OID) + 1 || oid.len == sizeof(SGX_OID) + 2) &&
                        memcmp(oid.data, SGX_OID, sizeof(SGX_OID)) == 0,
                    ATEA_ERR_TDX_PCK_EXTENSION,
                    "SGX extension: OID at offset %zu is not under 1.2.840.113741.1.13.1",
                    oid.base);
    *arc1 = oid.data[sizeof(SGX_OID)];
    *arc2 = oid.len == sizeof(SGX_OID) + 2 ? oid.data[sizeof(SGX_OID) + 1] : 0;
out:
    return err;
}

static atea_err octets(atea_rd *rd, uint8_t *out, size_t n)
{
    atea_err err = ATEA_OK;
    atea_rd val;
    ATEA_TRY(der_open(rd, DER_OCTET_STRING, &val));
    ATEA_ENSURE_MSG(val.len == n, ATEA_ERR_TDX_PCK_EXTENSION,
                    "SGX extension: OCTET STRING of %zu bytes at offset %zu (expected %zu)",
                    val.len, val.base, n);
    ATEA_TRY(atea_rd_copy(&val, out, n));
out:
    return err;
}

/* TCB (.2): SEQUENCE of {OID .2.k, INTEGER} for k = 1..17 (17 = PCESVN) and .2.18 CPUSVN. */
static atea_err parse_tcb(atea_rd *rd, tdx_pck_info *info, unsigned *seen)
{
    atea_err err = ATEA_OK;
    atea_rd tcb;
    ATEA_TRY(der_open(rd, DER_SEQUENCE, &tcb));
    while (atea_rd_left(&tcb) > 0) {
        atea_rd item;
        uint8_t a1 = 0;
        uint8_t k = 0;
        uint16_t v = 0;
        ATEA_TRY(der_open(&tcb, DER_SEQUENCE, &item));
        ATEA_TRY(sgx_oid(&item, &a1, &k));
        ATEA_ENSURE_MSG(a1 == 2 && k >= 1 && k <= 18 && !(*seen & (1u << k)),
                        ATEA_ERR_TDX_PCK_EXTENSION,
                        "SGX extension: unexpected or repeated TCB item .%u.%u", a1, k);
        *seen |= 1u << k;
        if (k == 18) {
            ATEA_TRY(octets(&item, info->cpusvn, sizeof(info->cpusvn)));
        } else {
            ATEA_TRY(der_small_uint(&item, &v));
            ATEA_ENSURE_MSG(k == 17 || v <= 255, ATEA_ERR_TDX_PCK_EXTENSION,
                            "SGX extension: TCB component %u has SVN %u > 255", k, v);
            if (k == 17) {
                info->pcesvn = v;
            } else {
                info->sgx_comp[k - 1] = (uint8_t)v;
            }
        }
        ATEA_TRY(atea_rd_end(&item));
    }
out:
    return err;
}

atea_err atea__tdx_pck_info_der(const uint8_t *der, size_t len, tdx_pck_info *info)
{
    atea_err err = ATEA_OK;
    atea_rd rd;
    atea_rd seq;
    unsigned tcb_seen = 0;
    unsigned top_seen = 0;
    memset(info, 0, sizeof(*info));
    atea_rd_init(&rd, der, len);
    ATEA_TRY(der_open(&rd, DER_SEQUENCE, &seq));
    ATEA_TRY(atea_rd_end(&rd));
    while (atea_rd_left(&seq) > 0) {
        atea_rd item;
        uint8_t a1 = 0;
        uint8_t a2 = 0;
        ATEA_TRY(der_open(&seq, DER_SEQUENCE, &item));
        ATEA_TRY(sgx_oid(&item, &a1, &a2));
        ATEA_ENSURE_MSG(a2 == 0 && a1 >= 1 && a1 <= 15 && !(top_seen & (1u << a1)),
                        ATEA_ERR_TDX_PCK_EXTENSION,
                        "SGX extension: unexpected or repeated item .%u", a1);
        top_seen |= 1u << a1;
        if (a1 == 2) {
            ATEA_TRY(parse_tcb(&item, info, &tcb_seen));
        } else if (a1 == 3) {
            ATEA_TRY(octets(&item, info->pceid, sizeof(info->pceid)));
        } else if (a1 == 4) {
            ATEA_TRY(octets(&item, info->fmspc, sizeof(info->fmspc)));
        } else {
            /* PPID (.1), SGX type (.5), platform instance (.6), configuration (.7): not used */
            ATEA_TRY(atea_rd_skip(&item, atea_rd_left(&item)));
        }
        ATEA_TRY(atea_rd_end(&item));
    }
    /* TCB .2.1..2.18, PCE-ID .3, FMSPC .4 must all be present */
    ATEA_ENSURE_MSG(tcb_seen == 0x7fffeu && (top_seen & 0x1c) == 0x1c, ATEA_ERR_TDX_PCK_EXTENSION,
                    "SGX extension lacks TCB components, PCESVN, CPUSVN, PCE-ID or FMSPC "
                    "(items 0x%x, TCB 0x%x)",
                    top_seen, tcb_seen);
out:
    return err;
}

atea_err atea__tdx_pck_info(X509 *pck, tdx_pck_info *info)
{
    atea_err err = ATEA_OK;
    ASN1_OBJECT *obj = OBJ_txt2obj("1.2.840.113741.1.13.1", 1);
    ATEA_ENSURE_ALLOC(obj);
    int idx = X509_get_ext_by_OBJ(pck, obj, -1);
    ATEA_ENSURE_MSG(idx >= 0, ATEA_ERR_TDX_PCK_EXTENSION,
                    "the PCK certificate has no SGX extension 1.2.840.113741.1.13.1");
    ATEA_ENSURE_MSG(X509_get_ext_by_OBJ(pck, obj, idx) < 0, ATEA_ERR_TDX_PCK_EXTENSION,
                    "the PCK certificate has two SGX extensions");
    ASN1_OCTET_STRING *data = X509_EXTENSION_get_data(X509_get_ext(pck, idx));
    ATEA_ENSURE(data != NULL, ATEA_ERR_TDX_PCK_EXTENSION);
    ATEA_TRY(atea__tdx_pck_info_der(ASN1_STRING_get0_data(data), (size_t)ASN1_STRING_length(data),
                                    info));
out:
    ASN1_OBJECT_free(obj);
    return err;
}
