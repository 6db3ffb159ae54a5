/*
 * Raw ECDSA signatures (r and s as fixed-size big-endian integers: COSE RFC 9053 §2.1, and
 * SEV-SNP after byte reversal) converted to the DER ECDSA-Sig-Value that OpenSSL verifies
 * (evidence-formats §0.3).
 */
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>

#include "core/check.h"
#include "verify/cose.h"

atea_err atea__ecdsa_verify_raw(EVP_PKEY *key, const EVP_MD *md, const uint8_t *msg, size_t len,
                                const uint8_t *r, const uint8_t *s, size_t n, int *valid)
{
    atea_err err = ATEA_OK;
    ECDSA_SIG *sig = NULL;
    BIGNUM *br = NULL;
    BIGNUM *bs = NULL;
    unsigned char *der = NULL;
    EVP_MD_CTX *ctx = NULL;
    ATEA_ENSURE(key != NULL && md != NULL && r != NULL && s != NULL && valid != NULL && n > 0 &&
                    n <= ATEA_ECDSA_MAX_SCALAR,
                ATEA_ERR_INVALID_ARG);
    *valid = 0;
    sig = ECDSA_SIG_new();
    br = BN_bin2bn(r, (int)n, NULL);
    bs = BN_bin2bn(s, (int)n, NULL);
    ATEA_ENSURE(sig != NULL && br != NULL && bs != NULL, ATEA_ERR_NO_MEMORY);
    ATEA_ENSURE(ECDSA_SIG_set0(sig, br, bs) == 1, ATEA_ERR_NO_MEMORY);
    br = NULL; /* owned by sig now */
    bs = NULL;
    int der_len = i2d_ECDSA_SIG(sig, &der);
    ATEA_ENSURE(der_len > 0, ATEA_ERR_NO_MEMORY);
    ctx = EVP_MD_CTX_new();
    ATEA_ENSURE_ALLOC(ctx);
    ATEA_ENSURE(EVP_DigestVerifyInit(ctx, NULL, md, NULL, key) == 1, ATEA_ERR_INVALID_ARG);
    /* 1 = valid; 0 = does not verify; <0 = malformed (e.g. r >= order): also "does not verify". */
    *valid = EVP_DigestVerify(ctx, der, (size_t)der_len, msg, len) == 1;
out:
    ERR_clear_error();
    EVP_MD_CTX_free(ctx);
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
    BN_free(br);
    BN_free(bs);
    return err;
}
