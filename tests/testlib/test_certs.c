/* Test identities: a CA and a leaf per key type, built in memory with libcrypto. */
#include "test_certs.h"

#include <stdio.h>
#include <stdlib.h>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "atea_test.h"

#define ATEA_TEST_CERT_DAYS 365

typedef struct keytype_info {
    const char *name;
    const char *sigalg_name;
    uint16_t sigalg;
} keytype_info;

/* Indexed by atea_test_keytype. SignatureScheme values: RFC 8446 §4.2.3. */
static const keytype_info keytypes[ATEA_TEST_KEY_COUNT] = {
    [ATEA_TEST_KEY_P256] = {"p256", "ECDSA+SHA256", 0x0403},
    [ATEA_TEST_KEY_P384] = {"p384", "ECDSA+SHA384", 0x0503},
    [ATEA_TEST_KEY_P521] = {"p521", "ECDSA+SHA512", 0x0603},
    [ATEA_TEST_KEY_ED25519] = {"ed25519", "ed25519", 0x0807},
    [ATEA_TEST_KEY_ED448] = {"ed448", "ed448", 0x0808},
    [ATEA_TEST_KEY_RSA2048] = {"rsa2048", "rsa_pss_rsae_sha256", 0x0804},
    [ATEA_TEST_KEY_RSA_PSS] = {"rsa-pss", "rsa_pss_pss_sha256", 0x0809},
};

const char *atea_test_keytype_name(atea_test_keytype type)
{
    return type < ATEA_TEST_KEY_COUNT ? keytypes[type].name : "?";
}

const char *atea_test_keytype_sigalg_name(atea_test_keytype type)
{
    return type < ATEA_TEST_KEY_COUNT ? keytypes[type].sigalg_name : "?";
}

/* EVP_PKEY_Q_keygen knows no "RSA-PSS": an unrestricted id-RSASSA-PSS key, generated the long
 * way. */
static EVP_PKEY *gen_rsa_pss_key(void)
{
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *kctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA-PSS", NULL);
    assert_non_null(kctx);
    assert_int_equal(EVP_PKEY_keygen_init(kctx), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_keygen_bits(kctx, 2048), 1);
    assert_int_equal(EVP_PKEY_generate(kctx, &key), 1);
    EVP_PKEY_CTX_free(kctx);
    return key;
}

static EVP_PKEY *gen_key(atea_test_keytype type)
{
    switch (type) {
    case ATEA_TEST_KEY_P256:
        return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    case ATEA_TEST_KEY_P384:
        return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    case ATEA_TEST_KEY_P521:
        return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-521");
    case ATEA_TEST_KEY_ED25519:
        return EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    case ATEA_TEST_KEY_ED448:
        return EVP_PKEY_Q_keygen(NULL, NULL, "ED448");
    case ATEA_TEST_KEY_RSA2048:
        return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    case ATEA_TEST_KEY_RSA_PSS:
        return gen_rsa_pss_key();
    case ATEA_TEST_KEY_COUNT:
        break;
    }
    return NULL;
}

/* The certificate signature digest that matches the key's strength (none for EdDSA). */
static const EVP_MD *cert_digest(atea_test_keytype type)
{
    switch (type) {
    case ATEA_TEST_KEY_P384:
        return EVP_sha384();
    case ATEA_TEST_KEY_P521:
        return EVP_sha512();
    case ATEA_TEST_KEY_ED25519:
    case ATEA_TEST_KEY_ED448:
        return NULL;
    case ATEA_TEST_KEY_P256:
    case ATEA_TEST_KEY_RSA2048:
    case ATEA_TEST_KEY_RSA_PSS:
    case ATEA_TEST_KEY_COUNT:
        break;
    }
    return EVP_sha256();
}

static void add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX v3;
    X509V3_set_ctx(&v3, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
    assert_non_null(ext);
    assert_int_equal(X509_add_ext(cert, ext, -1), 1);
    X509_EXTENSION_free(ext);
}

typedef struct cert_spec {
    const char *cn;
    long serial;
    int is_ca;
} cert_spec;

/* issuer == NULL: self-signed by key. */
static X509 *make_cert(const cert_spec *spec, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key,
                       const EVP_MD *md)
{
    X509 *cert = X509_new();
    X509_NAME *name = X509_NAME_new();
    assert_non_null(cert);
    assert_non_null(name);
    assert_int_equal(X509_set_version(cert, X509_VERSION_3), 1);
    assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(cert), spec->serial), 1);
    assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                                (const unsigned char *)spec->cn, -1, -1, 0),
                     1);
    assert_int_equal(X509_set_subject_name(cert, name), 1);
    assert_int_equal(
        X509_set_issuer_name(cert, issuer != NULL ? X509_get_subject_name(issuer) : name), 1);
    assert_non_null(X509_gmtime_adj(X509_getm_notBefore(cert), -3600));
    assert_non_null(X509_gmtime_adj(X509_getm_notAfter(cert), 86400L * ATEA_TEST_CERT_DAYS));
    assert_int_equal(X509_set_pubkey(cert, key), 1);
    X509 *ext_issuer = issuer != NULL ? issuer : cert;
    add_ext(cert, ext_issuer, NID_subject_key_identifier, "hash");
    if (spec->is_ca) {
        add_ext(cert, ext_issuer, NID_basic_constraints, "critical,CA:TRUE");
        add_ext(cert, ext_issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        add_ext(cert, ext_issuer, NID_basic_constraints, "critical,CA:FALSE");
        add_ext(cert, ext_issuer, NID_key_usage, "critical,digitalSignature");
        add_ext(cert, ext_issuer, NID_authority_key_identifier, "keyid:always");
        add_ext(cert, ext_issuer, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
    }
    assert_true(X509_sign(cert, issuer_key != NULL ? issuer_key : key, md) > 0);
    X509_NAME_free(name);
    return cert;
}

static atea_buf cert_der(X509 *cert)
{
    atea_buf der = {0};
    int len = i2d_X509(cert, NULL);
    assert_true(len > 0);
    der.data = malloc((size_t)len);
    assert_non_null(der.data);
    uint8_t *p = der.data;
    assert_int_equal(i2d_X509(cert, &p), len);
    der.len = (size_t)len;
    return der;
}

static atea_test_identity *identity_alloc(atea_test_keytype type)
{
    assert_true(type < ATEA_TEST_KEY_COUNT);
    atea_test_identity *id = calloc(1, sizeof(*id));
    assert_non_null(id);
    id->type = type;
    id->sigalg = keytypes[type].sigalg;
    return id;
}

/* The leaf, issued by the identity's CA, and both DER copies. */
static void identity_issue_leaf(atea_test_identity *id, const char *label, long serial)
{
    char leaf_cn[80];
    snprintf(leaf_cn, sizeof(leaf_cn), "atea test leaf %s", label);
    const cert_spec leaf_spec = {.cn = leaf_cn, .serial = serial, .is_ca = 0};
    id->leaf = make_cert(&leaf_spec, id->key, id->ca, id->ca_key, cert_digest(id->ca_type));
    id->ca_der = cert_der(id->ca);
    id->leaf_der = cert_der(id->leaf);
}

atea_test_identity *atea_test_identity_new(atea_test_keytype type)
{
    char ca_cn[64];
    atea_test_identity *id = identity_alloc(type);
    id->ca_type = type;
    id->ca_key = gen_key(type);
    id->key = gen_key(type);
    assert_non_null(id->ca_key);
    assert_non_null(id->key);
    snprintf(ca_cn, sizeof(ca_cn), "atea test CA %s", keytypes[type].name);
    const cert_spec ca_spec = {.cn = ca_cn, .serial = 1, .is_ca = 1};
    id->ca = make_cert(&ca_spec, id->ca_key, NULL, NULL, cert_digest(type));
    identity_issue_leaf(id, keytypes[type].name, 2);
    return id;
}

atea_test_identity *atea_test_identity_issue(atea_test_keytype type, const char *key_pem,
                                             const atea_test_identity *issuer)
{
    char label[64];
    atea_test_identity *id = identity_alloc(type);
    BIO *bio = BIO_new_mem_buf(key_pem, -1);
    assert_non_null(bio);
    id->key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    BIO_free(bio);
    assert_non_null(id->key);
    assert_int_equal(X509_up_ref(issuer->ca), 1);
    assert_int_equal(EVP_PKEY_up_ref(issuer->ca_key), 1);
    id->ca = issuer->ca;
    id->ca_key = issuer->ca_key;
    id->ca_type = issuer->ca_type;
    snprintf(label, sizeof(label), "%s by %s", keytypes[type].name, keytypes[issuer->ca_type].name);
    identity_issue_leaf(id, label, 100 + (long)type);
    return id;
}

void atea_test_identity_free(atea_test_identity *id)
{
    if (id == NULL) {
        return;
    }
    EVP_PKEY_free(id->key);
    EVP_PKEY_free(id->ca_key);
    X509_free(id->leaf);
    X509_free(id->ca);
    atea_buf_free(&id->leaf_der);
    atea_buf_free(&id->ca_der);
    free(id);
}

void atea_test_identity_write_pem(const atea_test_identity *id, const char *cert_path,
                                  const char *key_path)
{
    FILE *f = fopen(cert_path, "w");
    assert_non_null(f);
    assert_int_equal(PEM_write_X509(f, id->leaf), 1);
    assert_int_equal(fclose(f), 0);
    f = fopen(key_path, "w");
    assert_non_null(f);
    assert_int_equal(PEM_write_PrivateKey(f, id->key, NULL, NULL, 0, NULL, NULL), 1);
    assert_int_equal(fclose(f), 0);
}

const atea_test_identity *atea_test_identities_get(atea_test_identities *set,
                                                   atea_test_keytype type)
{
    assert_true(type < ATEA_TEST_KEY_COUNT);
    if (set->by_type[type] == NULL) {
        set->by_type[type] = atea_test_identity_new(type);
    }
    return set->by_type[type];
}

void atea_test_identities_dispose(atea_test_identities *set)
{
    for (size_t i = 0; i < ATEA_TEST_KEY_COUNT; i++) {
        atea_test_identity_free(set->by_type[i]);
        set->by_type[i] = NULL;
    }
}

int atea_test_identities_state_new(void **state, size_t state_size)
{
    assert_true(state_size >= sizeof(atea_test_identities));
    void *fixture = calloc(1, state_size);
    assert_non_null(fixture);
    *state = fixture;
    return 0;
}

int atea_test_identities_group_setup(void **state)
{
    return atea_test_identities_state_new(state, sizeof(atea_test_identities));
}

int atea_test_identities_state_free(void **state)
{
    atea_test_identities_dispose(*state);
    free(*state);
    *state = NULL;
    return 0;
}
