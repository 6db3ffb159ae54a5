/*
 * The signature schemes of a TLS 1.3 CertificateVerify. RFC 9261 §5.2.2: "The signature scheme
 * MUST be a valid signature scheme for TLS 1.3. This excludes all RSASSA-PKCS1-v1_5 algorithms
 * and combinations of ECDSA and hash algorithms that are not supported in TLS 1.3." The PKCS#1 and
 * SHA-1 schemes stay in the table, marked invalid, so that a peer offering them gets a precise
 * error and `atea inspect` can name them.
 */
#include "ea/sigscheme.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "core/check.h"

static const atea_ea_scheme schemes[] = {
    {0x0403, "ecdsa_secp256r1_sha256", ATEA_EA_KEY_EC, "SHA256", "prime256v1", 1},
    {0x0503, "ecdsa_secp384r1_sha384", ATEA_EA_KEY_EC, "SHA384", "secp384r1", 1},
    {0x0603, "ecdsa_secp521r1_sha512", ATEA_EA_KEY_EC, "SHA512", "secp521r1", 1},
    {0x0807, "ed25519", ATEA_EA_KEY_ED25519, NULL, NULL, 1},
    {0x0808, "ed448", ATEA_EA_KEY_ED448, NULL, NULL, 1},
    {0x0804, "rsa_pss_rsae_sha256", ATEA_EA_KEY_RSA, "SHA256", NULL, 1},
    {0x0805, "rsa_pss_rsae_sha384", ATEA_EA_KEY_RSA, "SHA384", NULL, 1},
    {0x0806, "rsa_pss_rsae_sha512", ATEA_EA_KEY_RSA, "SHA512", NULL, 1},
    {0x0809, "rsa_pss_pss_sha256", ATEA_EA_KEY_RSA_PSS, "SHA256", NULL, 1},
    {0x080a, "rsa_pss_pss_sha384", ATEA_EA_KEY_RSA_PSS, "SHA384", NULL, 1},
    {0x080b, "rsa_pss_pss_sha512", ATEA_EA_KEY_RSA_PSS, "SHA512", NULL, 1},
    {0x0401, "rsa_pkcs1_sha256", ATEA_EA_KEY_RSA, "SHA256", NULL, 0},
    {0x0501, "rsa_pkcs1_sha384", ATEA_EA_KEY_RSA, "SHA384", NULL, 0},
    {0x0601, "rsa_pkcs1_sha512", ATEA_EA_KEY_RSA, "SHA512", NULL, 0},
    {0x0201, "rsa_pkcs1_sha1", ATEA_EA_KEY_RSA, "SHA1", NULL, 0},
    {0x0203, "ecdsa_sha1", ATEA_EA_KEY_EC, "SHA1", NULL, 0},
};

const uint16_t atea_ea_default_sigalgs[] = {0x0807, 0x0403, 0x0503, 0x0603, 0x0808, 0x0804,
                                            0x0805, 0x0806, 0x0809, 0x080a, 0x080b};
const size_t atea_ea_n_default_sigalgs = ATEA_ARRAY_LEN(atea_ea_default_sigalgs);

const atea_ea_scheme *atea_ea_scheme_find(uint16_t code)
{
    for (size_t i = 0; i < ATEA_ARRAY_LEN(schemes); i++) {
        if (schemes[i].code == code) {
            return &schemes[i];
        }
    }
    return NULL;
}

atea_err atea_ea_scheme_require_tls13(uint16_t code, const atea_ea_scheme **scheme)
{
    atea_err err = ATEA_OK;
    const atea_ea_scheme *s = atea_ea_scheme_find(code);
    ATEA_ENSURE_MSG(s != NULL, ATEA_ERR_EA_SCHEME_INVALID,
                    "signature scheme 0x%04x is unknown to atea", code);
    ATEA_ENSURE_MSG(s->tls13, ATEA_ERR_EA_SCHEME_INVALID,
                    "signature scheme %s (0x%04x) is not valid in TLS 1.3 (RFC 9261 section 5.2.2)",
                    s->name, code);
    *scheme = s;
out:
    return err;
}

static int key_is(EVP_PKEY *key, atea_ea_key_type type)
{
    switch (type) {
    case ATEA_EA_KEY_EC:
        return EVP_PKEY_is_a(key, "EC");
    case ATEA_EA_KEY_ED25519:
        return EVP_PKEY_is_a(key, "ED25519");
    case ATEA_EA_KEY_ED448:
        return EVP_PKEY_is_a(key, "ED448");
    case ATEA_EA_KEY_RSA:
        return EVP_PKEY_is_a(key, "RSA");
    case ATEA_EA_KEY_RSA_PSS:
        return EVP_PKEY_is_a(key, "RSA-PSS");
    }
    return 0;
}

atea_err atea_ea_scheme_fits_key(const atea_ea_scheme *scheme, EVP_PKEY *key)
{
    atea_err err = ATEA_OK;
    char group[64] = "";
    ATEA_ENSURE(scheme != NULL && key != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(key_is(key, scheme->key), ATEA_ERR_EA_SCHEME_KEY_MISMATCH,
                    "signature scheme %s does not fit a %s key", scheme->name,
                    EVP_PKEY_get0_type_name(key));
    if (scheme->key == ATEA_EA_KEY_RSA || scheme->key == ATEA_EA_KEY_RSA_PSS) {
        /* EMSA-PSS with a salt as long as the digest needs emLen >= 2 * hLen + 2 (RFC 8017
         * §9.1.1): a small modulus cannot carry SHA-512. */
        size_t hlen = (size_t)EVP_MD_get_size(EVP_get_digestbyname(scheme->digest));
        size_t modulus = (size_t)EVP_PKEY_get_size(key);
        ATEA_ENSURE_MSG(modulus >= 2 * hlen + 2, ATEA_ERR_EA_SCHEME_KEY_MISMATCH,
                        "signature scheme %s needs an RSA modulus of at least %zu bytes, the key "
                        "has %zu",
                        scheme->name, 2 * hlen + 2, modulus);
    }
    if (scheme->group != NULL) {
        /* TLS 1.3 binds each ECDSA scheme to one curve (RFC 8446 §4.2.3). */
        int ok = EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group,
                                                sizeof(group), NULL);
        ATEA_ENSURE_MSG(ok && strcmp(group, scheme->group) == 0, ATEA_ERR_EA_SCHEME_KEY_MISMATCH,
                        "signature scheme %s needs a %s key, the key is on %s", scheme->name,
                        scheme->group, ok ? group : "an unknown curve");
    }
out:
    ERR_clear_error();
    return err;
}

/* A digest-sign or digest-verify context for scheme and key. */
static atea_err init_ctx(const atea_ea_scheme *scheme, EVP_PKEY *key, int sign, EVP_MD_CTX **pmd)
{
    atea_err err = ATEA_OK;
    EVP_PKEY_CTX *pctx = NULL;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = 0;
    ATEA_ENSURE_ALLOC(md);
    ok = sign ? EVP_DigestSignInit_ex(md, &pctx, scheme->digest, NULL, NULL, key, NULL)
              : EVP_DigestVerifyInit_ex(md, &pctx, scheme->digest, NULL, NULL, key, NULL);
    ATEA_ENSURE_MSG(ok == 1, sign ? ATEA_ERR_EA_SIGN : ATEA_ERR_EA_BAD_SIGNATURE,
                    "libcrypto refused a %s key for %s", EVP_PKEY_get0_type_name(key),
                    scheme->name);
    if (scheme->key == ATEA_EA_KEY_RSA || scheme->key == ATEA_EA_KEY_RSA_PSS) {
        /* RSASSA-PSS with MGF1 over the same digest and a salt as long as the digest
         * (RFC 8446 §4.2.3). */
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1;
        ATEA_ENSURE_MSG(ok, sign ? ATEA_ERR_EA_SIGN : ATEA_ERR_EA_BAD_SIGNATURE,
                        "cannot set RSASSA-PSS parameters for %s", scheme->name);
    }
    *pmd = md;
    md = NULL;
out:
    EVP_MD_CTX_free(md);
    return err;
}

atea_err atea_ea_scheme_sign(const atea_ea_scheme *scheme, EVP_PKEY *key, const uint8_t *content,
                             size_t len, atea_buf *sig)
{
    atea_err err = ATEA_OK;
    EVP_MD_CTX *md = NULL;
    atea_buf out = {0};
    size_t sig_len = 0;
    ATEA_TRY(atea_ea_scheme_fits_key(scheme, key));
    ATEA_TRY(init_ctx(scheme, key, 1, &md));
    ATEA_ENSURE_MSG(EVP_DigestSign(md, NULL, &sig_len, content, len) == 1 && sig_len > 0,
                    ATEA_ERR_EA_SIGN, "cannot size a %s signature", scheme->name);
    out.data = OPENSSL_malloc(sig_len);
    ATEA_ENSURE_ALLOC(out.data);
    out.len = sig_len;
    ATEA_ENSURE_MSG(EVP_DigestSign(md, out.data, &out.len, content, len) == 1, ATEA_ERR_EA_SIGN,
                    "libcrypto failed to sign with %s", scheme->name);
    ATEA_TRY(atea_buf_set(sig, out.data, out.len));
out:
    OPENSSL_free(out.data);
    EVP_MD_CTX_free(md);
    ERR_clear_error();
    return err;
}

atea_err atea_ea_scheme_verify(const atea_ea_scheme *scheme, EVP_PKEY *key, const uint8_t *content,
                               size_t len, const uint8_t *sig, size_t sig_len)
{
    atea_err err = ATEA_OK;
    EVP_MD_CTX *md = NULL;
    ATEA_TRY(atea_ea_scheme_fits_key(scheme, key));
    ATEA_TRY(init_ctx(scheme, key, 0, &md));
    ATEA_ENSURE_MSG(EVP_DigestVerify(md, sig, sig_len, content, len) == 1,
                    ATEA_ERR_EA_BAD_SIGNATURE,
                    "the %zu-byte %s signature does not verify under the leaf's key over this "
                    "connection's authenticator transcript",
                    sig_len, scheme->name);
out:
    EVP_MD_CTX_free(md);
    ERR_clear_error();
    return err;
}
