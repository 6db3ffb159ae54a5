#include "ident.h"

#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "core/check.h"

static atea_err fill_der(atea_cli_ident *id)
{
    atea_err err = ATEA_OK;
    for (size_t i = 0; i < id->n_chain; i++) {
        unsigned char *der = NULL;
        int n = i2d_X509(id->chain[i], &der);
        ATEA_ENSURE_MSG(n > 0, ATEA_ERR_TLS_CONFIG, "cannot encode certificate %zu", i);
        err = atea_buf_set(&id->der[i], der, (size_t)n);
        OPENSSL_free(der);
        ATEA_TRY(err);
    }
out:
    return err;
}

static EVP_PKEY *new_key(atea_cli_keytype type)
{
    if (type == ATEA_CLI_KEY_ED25519) {
        return EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    }
    return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
}

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (ext == NULL) {
        return 0;
    }
    int ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    return ok;
}

atea_err atea_cli_ident_generate(atea_cli_ident *id, atea_cli_keytype type, const char *common_name,
                                 const atea_cli_ident *issuer)
{
    atea_err err = ATEA_OK;
    X509 *cert = NULL;
    memset(id, 0, sizeof(*id));
    id->key = new_key(type);
    ATEA_ENSURE_MSG(id->key != NULL, ATEA_ERR_TLS_CONFIG, "cannot generate a key");
    cert = X509_new();
    ATEA_ENSURE_ALLOC(cert);
    uint8_t serial[16];
    ATEA_ENSURE(RAND_bytes(serial, sizeof(serial)) == 1, ATEA_ERR_INTERNAL);
    serial[0] &= 0x7f;
    BIGNUM *bn = BN_bin2bn(serial, sizeof(serial), NULL);
    ATEA_ENSURE_ALLOC(bn);
    int ok = BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != NULL;
    BN_free(bn);
    ATEA_ENSURE(ok, ATEA_ERR_INTERNAL);
    X509_NAME *name = X509_get_subject_name(cert);
    ATEA_ENSURE(X509_set_version(cert, 2) == 1 &&
                    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                               (const unsigned char *)common_name, -1, -1,
                                               0) == 1 &&
                    X509_gmtime_adj(X509_getm_notBefore(cert), -60) != NULL &&
                    X509_gmtime_adj(X509_getm_notAfter(cert), 86400) != NULL &&
                    X509_set_pubkey(cert, id->key) == 1,
                ATEA_ERR_INTERNAL);
    X509 *signer_cert = issuer != NULL ? issuer->chain[0] : cert;
    EVP_PKEY *signer_key = issuer != NULL ? issuer->key : id->key;
    ATEA_ENSURE(X509_set_issuer_name(cert, X509_get_subject_name(signer_cert)) == 1,
                ATEA_ERR_INTERNAL);
    ATEA_ENSURE(add_ext(cert, signer_cert, NID_basic_constraints,
                        issuer == NULL ? "critical,CA:TRUE" : "critical,CA:FALSE") &&
                    add_ext(cert, signer_cert, NID_subject_key_identifier, "hash") &&
                    add_ext(cert, signer_cert, NID_subject_alt_name,
                            issuer == NULL ? "DNS:atea-demo-ca" : "DNS:localhost,IP:127.0.0.1"),
                ATEA_ERR_INTERNAL);
    /* Ed25519 signs without a separate digest. */
    const EVP_MD *md = EVP_PKEY_get_id(signer_key) == EVP_PKEY_ED25519 ? NULL : EVP_sha256();
    ATEA_ENSURE_MSG(X509_sign(cert, signer_key, md) > 0, ATEA_ERR_TLS_CONFIG,
                    "cannot sign the certificate");
    id->chain[0] = cert;
    id->n_chain = 1;
    cert = NULL;
    if (issuer != NULL) {
        ATEA_ENSURE(X509_up_ref(issuer->chain[0]) == 1, ATEA_ERR_INTERNAL);
        id->chain[1] = issuer->chain[0];
        id->n_chain = 2;
    }
    ATEA_TRY(fill_der(id));
out:
    X509_free(cert);
    if (err != ATEA_OK) {
        atea_cli_ident_dispose(id);
    }
    return err;
}

atea_err atea_cli_ident_load(atea_cli_ident *id, const char *cert_file, const char *key_file)
{
    atea_err err = ATEA_OK;
    BIO *bio = NULL;
    memset(id, 0, sizeof(*id));
    bio = BIO_new_file(cert_file, "r");
    ATEA_ENSURE_MSG(bio != NULL, ATEA_ERR_TLS_CONFIG, "cannot open certificate file %s", cert_file);
    X509 *cert;
    while (id->n_chain < ATEA_CLI_MAX_CHAIN &&
           (cert = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
        id->chain[id->n_chain++] = cert;
    }
    ERR_clear_error();
    ATEA_ENSURE_MSG(id->n_chain > 0, ATEA_ERR_TLS_CONFIG, "%s holds no PEM certificate", cert_file);
    BIO_free(bio);
    bio = BIO_new_file(key_file, "r");
    ATEA_ENSURE_MSG(bio != NULL, ATEA_ERR_TLS_CONFIG, "cannot open key file %s", key_file);
    id->key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    ATEA_ENSURE_MSG(id->key != NULL, ATEA_ERR_TLS_CONFIG,
                    "%s holds no PEM private key (or it is "
                    "encrypted)",
                    key_file);
    ATEA_ENSURE_MSG(X509_check_private_key(id->chain[0], id->key) == 1, ATEA_ERR_TLS_CONFIG,
                    "the key in %s does not match the certificate in %s", key_file, cert_file);
    ATEA_TRY(fill_der(id));
out:
    BIO_free(bio);
    ERR_clear_error();
    if (err != ATEA_OK) {
        atea_cli_ident_dispose(id);
    }
    return err;
}

void atea_cli_ident_dispose(atea_cli_ident *id)
{
    EVP_PKEY_free(id->key);
    for (size_t i = 0; i < ATEA_CLI_MAX_CHAIN; i++) {
        X509_free(id->chain[i]);
        atea_buf_free(&id->der[i]);
    }
    memset(id, 0, sizeof(*id));
}

void atea_cli_subject(X509 *cert, char *buf, size_t len)
{
    buf[0] = '\0';
    X509_NAME_oneline(X509_get_subject_name(cert), buf, (int)len);
}
