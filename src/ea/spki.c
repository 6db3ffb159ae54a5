/*
 * The SubjectPublicKeyInfo of a certificate without decoding the certificate (RFC 5280 §4.1), and
 * "is this key the certificate's key?" without decoding either.
 *
 * Why: under OpenSSL 3.0, d2i_X509 decodes the public key through the provider decoders, about
 * 1.5 M instructions for a P-256 leaf, a fifth of a whole TLS handshake (docs/BENCHMARKS.md
 * "ea_auth"), and i2d_PUBKEY goes through the encoders (about 0.6 M). Building an authenticator
 * only needs to know that the signing key is the leaf's, so the leaf is walked with the bounded
 * reader up to its SubjectPublicKeyInfo, and the key's own SubjectPublicKeyInfo is assembled from
 * its public bytes for the key types TLS 1.3 signs with most (EC on the NIST curves, Ed25519,
 * Ed448). Other types, and any difference in the bytes, take the exact comparison: the leaf's
 * key imported and EVP_PKEY_eq, so that the answer is always the one EVP_PKEY_eq gives.
 *
 * Validating without PKIX needs only the leaf's key: for the same key types it is imported from
 * the public bytes (EVP_PKEY_fromdata, raw EdDSA key), about a seventh of a d2i_X509 for P-256;
 * other SubjectPublicKeyInfos go through d2i_PUBKEY.
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "core/check.h"
#include "core/der.h"
#include "core/rd.h"
#include "ea/ea_internal.h"

/* DER tags walked on the way to the SubjectPublicKeyInfo (X.690, RFC 5280 §4.1). */
/* The largest public key assembled here: an uncompressed P-521 point. */
#define SPKI_MAX_POINT 133
#define SPKI_MAX_PREFIX 26

atea_err atea_ea_cert_spki(atea_slice der, size_t index, atea_slice *spki)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(spki != NULL && (der.data != NULL || der.len == 0), ATEA_ERR_INVALID_ARG);
    err = atea_der_cert_spki(der.data, der.len, spki);
    ATEA_ENSURE_MSG(err == ATEA_OK, ATEA_ERR_EA_BAD_CERT, "certificate %zu: %s", index,
                    atea_err_last()->detail);
out:
    return err;
}

/* The DER SubjectPublicKeyInfo of a key type up to its public bytes: SEQUENCE, AlgorithmIdentifier
 * (RFC 5480 §2 named curves, RFC 8410 §3), BIT STRING header with 0 unused bits. The public
 * bytes follow: the uncompressed EC point (RFC 5480 §2.2) or the raw EdDSA key (RFC 8410 §4). */
typedef struct spki_shape {
    const char *key_type;
    const char *group; /* EC group name, NULL for EdDSA */
    size_t point_len;
    size_t prefix_len;
    uint8_t prefix[SPKI_MAX_PREFIX];
} spki_shape;

static const spki_shape shapes[] = {
    {"EC", "prime256v1", 65, 26, {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
                                  0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                  0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00}},
    {"EC", "secp384r1", 97, 23, {0x30, 0x76, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86,
                                 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b,
                                 0x81, 0x04, 0x00, 0x22, 0x03, 0x62, 0x00}},
    {"EC", "secp521r1", 133, 25, {0x30, 0x81, 0x9b, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86,
                                  0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b, 0x81,
                                  0x04, 0x00, 0x23, 0x03, 0x81, 0x86, 0x00}},
    {"ED25519",
     NULL,
     32,
     12,
     {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00}},
    {"ED448",
     NULL,
     57,
     12,
     {0x30, 0x43, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x71, 0x03, 0x3a, 0x00}},
};

/* The key's SubjectPublicKeyInfo if it has one of the shapes above: 1 and out[0..*len), else 0. */
static int assemble_spki(EVP_PKEY *key, uint8_t out[SPKI_MAX_PREFIX + SPKI_MAX_POINT], size_t *len)
{
    char group[32];
    size_t group_len = 0;
    size_t point_len = 0;
    int is_ec = EVP_PKEY_is_a(key, "EC");
    if (is_ec && EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group,
                                                sizeof(group), &group_len) != 1) {
        return 0;
    }
    for (size_t i = 0; i < ATEA_ARRAY_LEN(shapes); i++) {
        const spki_shape *s = &shapes[i];
        int fits = is_ec ? s->group != NULL && strcmp(group, s->group) == 0
                         : s->group == NULL && EVP_PKEY_is_a(key, s->key_type);
        if (!fits) {
            continue;
        }
        memcpy(out, s->prefix, s->prefix_len);
        /* EC: ENCODED_PUBLIC_KEY, the point in the key's form (uncompressed unless set
         * otherwise; a compressed one does not fit point_len and takes the exact path). EdDSA:
         * the raw key (OpenSSL 3.0 has no ENCODED_PUBLIC_KEY for it). */
        point_len = SPKI_MAX_POINT;
        int got =
            is_ec ? EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                                    out + s->prefix_len, SPKI_MAX_POINT, &point_len)
                  : EVP_PKEY_get_raw_public_key(key, out + s->prefix_len, &point_len);
        if (got != 1 || point_len != s->point_len) {
            return 0;
        }
        *len = s->prefix_len + point_len;
        return 1;
    }
    return 0;
}

/* An EC public key from its group and encoded point (OSSL_PKEY_PARAM_PUB_KEY: the import
 * checks that the point is on the curve, as the decoders do). */
static EVP_PKEY *ec_from_point(const char *group, const uint8_t *point, size_t len)
{
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)group, 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)point, len),
        OSSL_PARAM_construct_end(),
    };
    if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1) {
        EVP_PKEY_free(key);
        key = NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    return key;
}

atea_err atea_ea_spki_key(atea_slice spki, size_t index, EVP_PKEY **pkey)
{
    atea_err err = ATEA_OK;
    EVP_PKEY *key = NULL;
    const spki_shape *shape = NULL;
    ATEA_ENSURE(pkey != NULL && spki.data != NULL, ATEA_ERR_INVALID_ARG);
    for (size_t i = 0; i < ATEA_ARRAY_LEN(shapes) && shape == NULL; i++) {
        const spki_shape *s = &shapes[i];
        if (spki.len == s->prefix_len + s->point_len &&
            memcmp(spki.data, s->prefix, s->prefix_len) == 0) {
            shape = s;
        }
    }
    if (shape != NULL) {
        /* The shape fixes the algorithm; only the public bytes are left to import. */
        const uint8_t *pub = spki.data + shape->prefix_len;
        key = shape->group != NULL ? ec_from_point(shape->group, pub, shape->point_len)
                                   : EVP_PKEY_new_raw_public_key_ex(NULL, shape->key_type, NULL,
                                                                    pub, shape->point_len);
        ATEA_ENSURE_MSG(key != NULL, ATEA_ERR_EA_BAD_CERT,
                        "certificate %zu: its %s%s%s public key is invalid (for EC: not a point "
                        "of the curve)",
                        index, shape->key_type, shape->group != NULL ? " " : "",
                        shape->group != NULL ? shape->group : "");
    } else {
        const unsigned char *p = spki.data;
        key = d2i_PUBKEY(NULL, &p, (long)spki.len);
        ATEA_ENSURE_MSG(key != NULL && p == spki.data + spki.len, ATEA_ERR_EA_BAD_CERT,
                        "certificate %zu: its %zu-byte subjectPublicKeyInfo is no key OpenSSL "
                        "can decode",
                        index, spki.len);
    }
    *pkey = key;
    key = NULL;
out:
    EVP_PKEY_free(key);
    ERR_clear_error();
    return err;
}

/* The exact comparison: the leaf's key from its SubjectPublicKeyInfo, EVP_PKEY_eq. */
static atea_err decode_and_compare(EVP_PKEY *key, atea_slice spki, int *match)
{
    atea_err err = ATEA_OK;
    EVP_PKEY *leaf_key = NULL;
    ATEA_TRY(atea_ea_spki_key(spki, 0, &leaf_key));
    *match = EVP_PKEY_eq(leaf_key, key) == 1;
out:
    EVP_PKEY_free(leaf_key);
    return err;
}

atea_err atea_ea_key_matches_cert(EVP_PKEY *key, atea_slice leaf_der)
{
    atea_err err = ATEA_OK;
    atea_slice spki = {0};
    uint8_t assembled[SPKI_MAX_PREFIX + SPKI_MAX_POINT];
    size_t assembled_len = 0;
    int match = 0;
    ATEA_ENSURE(key != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea_ea_cert_spki(leaf_der, 0, &spki));
    /* Public data: a plain compare. Equal bytes are the key's own encoding, hence the key. */
    match = assemble_spki(key, assembled, &assembled_len) && assembled_len == spki.len &&
            memcmp(assembled, spki.data, spki.len) == 0;
    if (!match) {
        ATEA_TRY(decode_and_compare(key, spki, &match));
    }
    ATEA_ENSURE_MSG(match, ATEA_ERR_EA_KEY_MISMATCH,
                    "the %s signing key is not the end-entity certificate's key",
                    EVP_PKEY_get0_type_name(key));
out:
    ERR_clear_error();
    return err;
}
