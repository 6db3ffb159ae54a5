/*
 * The two keys of a CCA token: the realm attestation key (RAK, realm claim 44237), which signs
 * the realm token, and the platform attestation key (CPAK), which signs the platform token and
 * which atea trusts only when the policy names it (there is no certificate in the token; the
 * CPAK is endorsed out of band, e.g. by a CoRIM from the platform vendor).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include "core/check.h"
#include "core/rd.h"
#include "verify/cca_internal.h"

/* COSE_Key labels and values (RFC 9052 §7.1, RFC 9053 §7.1). */
#define COSE_KEY_KTY 1
#define COSE_KEY_CRV (-1)
#define COSE_KEY_X (-2)
#define COSE_KEY_Y (-3)
#define COSE_KTY_EC2 2
#define COSE_KEY_MAX_ENTRIES 8
#define EC_POINT_UNCOMPRESSED 0x04
#define EC_MAX_POINT (1 + 2 * ATEA_ECDSA_MAX_SCALAR)

static const struct {
    int64_t cose_crv;
    const char *group;
    size_t scalar_len;
} CURVES[] = {
    {1, "P-256", 32},
    {2, "P-384", 48},
    {3, "P-521", 66},
};

/* An uncompressed point on a named curve as an EVP_PKEY (OpenSSL checks it is on the curve). */
static atea_err key_from_point(const char *group, const uint8_t *point, size_t len, EVP_PKEY **key)
{
    atea_err err = ATEA_OK;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    ATEA_ENSURE(bld != NULL && ctx != NULL, ATEA_ERR_NO_MEMORY);
    ATEA_ENSURE(OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) == 1 &&
                    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, len) == 1,
                ATEA_ERR_NO_MEMORY);
    params = OSSL_PARAM_BLD_to_param(bld);
    ATEA_ENSURE(params != NULL, ATEA_ERR_NO_MEMORY);
    ATEA_ENSURE(EVP_PKEY_fromdata_init(ctx) == 1, ATEA_ERR_INTERNAL);
    ATEA_ENSURE_MSG(EVP_PKEY_fromdata(ctx, key, EVP_PKEY_PUBLIC_KEY, params) == 1, ATEA_ERR_CCA_RAK,
                    "the realm public key is not a point on %s", group);
out:
    ERR_clear_error();
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    EVP_PKEY_CTX_free(ctx);
    return err;
}

static size_t curve_by_cose(int64_t crv)
{
    size_t i = 0;
    while (i < ATEA_ARRAY_LEN(CURVES) && CURVES[i].cose_crv != crv) {
        i++;
    }
    return i;
}

/* COSE_Key {1: 2 (EC2), -1: crv, -2: x, -3: y} (RFC 9053 §7.1.1); y as bytes, not a sign bit. */
static atea_err key_from_cose_key(atea_slice rak, EVP_PKEY **key)
{
    atea_err err = ATEA_OK;
    atea_cbor_rd c;
    size_t n = 0;
    int64_t kty = 0;
    int64_t crv = 0;
    atea_slice x = {0};
    atea_slice y = {0};
    uint8_t point[EC_MAX_POINT];
    atea_cbor_rd_init(&c, rak.data, rak.len);
    c.max_depth = ATEA_CCA_MAX_DEPTH;
    ATEA_TRY(atea_cbor_read_map(&c, &n));
    ATEA_ENSURE_MSG(n <= COSE_KEY_MAX_ENTRIES, ATEA_ERR_CCA_RAK,
                    "COSE_Key with %zu entries (cap %d)", n, COSE_KEY_MAX_ENTRIES);
    for (size_t i = 0; i < n; i++) {
        int64_t label = 0;
        ATEA_TRY(atea_cbor_read_int(&c, &label));
        switch (label) {
        case COSE_KEY_KTY:
            ATEA_TRY(atea_cbor_read_int(&c, &kty));
            break;
        case COSE_KEY_CRV:
            ATEA_TRY(atea_cbor_read_int(&c, &crv));
            break;
        case COSE_KEY_X:
            ATEA_TRY(atea_cbor_read_bstr(&c, &x));
            break;
        case COSE_KEY_Y:
            ATEA_TRY(atea_cbor_read_bstr(&c, &y));
            break;
        default:
            ATEA_TRY(atea_cbor_skip(&c)); /* kid, alg, key_ops: not needed to verify */
            break;
        }
    }
    ATEA_TRY(atea_cbor_end(&c));
    size_t ci = curve_by_cose(crv);
    ATEA_ENSURE_MSG(kty == COSE_KTY_EC2 && ci < ATEA_ARRAY_LEN(CURVES), ATEA_ERR_CCA_RAK,
                    "COSE_Key kty %lld crv %lld is not EC2 on P-256/P-384/P-521", (long long)kty,
                    (long long)crv);
    size_t sl = CURVES[ci].scalar_len;
    ATEA_ENSURE_MSG(x.len == sl && y.len == sl, ATEA_ERR_CCA_RAK,
                    "COSE_Key x/y are %zu/%zu bytes, %s needs %zu", x.len, y.len, CURVES[ci].group,
                    sl);
    point[0] = EC_POINT_UNCOMPRESSED;
    memcpy(point + 1, x.data, sl);
    memcpy(point + 1 + sl, y.data, sl);
    ATEA_TRY(key_from_point(CURVES[ci].group, point, 1 + 2 * sl, key));
out:
    return err;
}

atea_err atea__cca_rak_key(atea_slice rak, EVP_PKEY **key)
{
    atea_err err = ATEA_OK;
    *key = NULL;
    ATEA_ENSURE_MSG(rak.len > 0, ATEA_ERR_CCA_RAK, "the realm public key is empty");
    if (rak.data[0] != EC_POINT_UNCOMPRESSED) {
        /* Newer realm tokens: a COSE_Key (a CBOR map starts with 0xA0..0xBF). */
        err = key_from_cose_key(rak, key);
        ATEA_ENSURE_MSG(err == ATEA_OK || err == ATEA_ERR_CCA_RAK || err == ATEA_ERR_NO_MEMORY,
                        ATEA_ERR_CCA_RAK, "the realm public key is not a COSE_Key: %s",
                        atea_err_detail(err));
        ATEA_TRY(err);
        goto out;
    }
    /* Legacy realm tokens (RMM 1.0 EAC): the raw uncompressed point 0x04 || X || Y. */
    for (size_t i = 0; i < ATEA_ARRAY_LEN(CURVES); i++) {
        if (rak.len == 1 + 2 * CURVES[i].scalar_len) {
            ATEA_TRY(key_from_point(CURVES[i].group, rak.data, rak.len, key));
            goto out;
        }
    }
    ATEA_FAIL(ATEA_ERR_CCA_RAK, "the realm public key is a %zu-byte point: no P-256/384/521 size",
              rak.len);
out:
    return err;
}

static int is_space(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static atea_err skip_spaces(atea_rd *rd)
{
    atea_err err = ATEA_OK;
    while (atea_rd_left(rd) > 0 && is_space(*atea_rd_ptr(rd))) {
        ATEA_TRY(atea_rd_skip(rd, 1));
    }
out:
    return err;
}

/* The file holds exactly one "PUBLIC KEY" PEM block, with only whitespace around it: a CPAK
 * file with anything else in it is not what the policy author meant (RFC 7468 §2, §13). */
static atea_err check_one_pem_block(const uint8_t *buf, size_t len, const char *path)
{
    atea_err err = ATEA_OK;
    static const char begin[] = "-----BEGIN PUBLIC KEY-----";
    static const char end[] = "-----END PUBLIC KEY-----";
    atea_rd rd;
    atea_rd_init(&rd, buf, len);
    ATEA_TRY(skip_spaces(&rd));
    ATEA_ENSURE_MSG(atea_rd_left(&rd) >= sizeof(begin) - 1 &&
                        memcmp(atea_rd_ptr(&rd), begin, sizeof(begin) - 1) == 0,
                    ATEA_ERR_CCA_CPAK, "the CPAK file %s does not start with '%s' (offset %zu)",
                    path, begin, atea_rd_pos(&rd));
    while (atea_rd_left(&rd) >= sizeof(end) - 1 &&
           memcmp(atea_rd_ptr(&rd), end, sizeof(end) - 1) != 0) {
        ATEA_TRY(atea_rd_skip(&rd, 1));
    }
    ATEA_ENSURE_MSG(atea_rd_left(&rd) >= sizeof(end) - 1, ATEA_ERR_CCA_CPAK,
                    "the CPAK file %s has no '%s' line", path, end);
    ATEA_TRY(atea_rd_skip(&rd, sizeof(end) - 1));
    ATEA_TRY(skip_spaces(&rd));
    ATEA_ENSURE_MSG(atea_rd_left(&rd) == 0, ATEA_ERR_CCA_CPAK,
                    "the CPAK file %s has %zu bytes after its PEM block (offset %zu)", path,
                    atea_rd_left(&rd), atea_rd_pos(&rd));
out:
    return err;
}

atea_err atea__cca_cpak_load(const char *path, EVP_PKEY **key)
{
    atea_err err = ATEA_OK;
    uint8_t *buf = NULL;
    BIO *bio = NULL;
    FILE *f = NULL;
    size_t len = 0;
    *key = NULL;
    buf = malloc(ATEA_CCA_CPAK_MAX_SIZE + 1);
    ATEA_ENSURE_ALLOC(buf);
    f = fopen(path, "rb");
    ATEA_ENSURE_MSG(f != NULL, ATEA_ERR_CCA_CPAK, "cannot open the CPAK file %s", path);
    len = fread(buf, 1, ATEA_CCA_CPAK_MAX_SIZE + 1, f);
    ATEA_ENSURE_MSG(!ferror(f), ATEA_ERR_CCA_CPAK, "cannot read the CPAK file %s", path);
    ATEA_ENSURE_MSG(len <= ATEA_CCA_CPAK_MAX_SIZE, ATEA_ERR_CCA_CPAK,
                    "the CPAK file %s exceeds %d bytes", path, ATEA_CCA_CPAK_MAX_SIZE);
    ATEA_TRY(check_one_pem_block(buf, len, path));
    bio = BIO_new_mem_buf(buf, (int)len);
    ATEA_ENSURE_ALLOC(bio);
    *key = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
    ATEA_ENSURE_MSG(*key != NULL, ATEA_ERR_CCA_CPAK,
                    "the CPAK file %s holds no PEM PUBLIC KEY block", path);
    ATEA_ENSURE_MSG(EVP_PKEY_get_base_id(*key) == EVP_PKEY_EC, ATEA_ERR_CCA_CPAK,
                    "the CPAK in %s is not an EC key", path);
out:
    if (err != ATEA_OK && key != NULL) {
        EVP_PKEY_free(*key);
        *key = NULL;
    }
    ERR_clear_error();
    BIO_free(bio);
    if (f != NULL) {
        fclose(f);
    }
    free(buf);
    return err;
}
