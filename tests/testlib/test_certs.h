/*
 * Test identities generated at run time, in memory: for each key type a CA and a leaf signed by
 * it. Names, serials and validity are fixed; keys are fresh. Nothing here is a library global:
 * a test that wants to reuse identities (RSA key generation is slow) keeps an
 * atea_test_identities set in its own state. Cost per identity (CA + leaf key), measured on
 * the 2-core dev machine: EC/EdDSA under 5 ms natively, about 0.3 s for RSA; under valgrind
 * 0.3-1.5 s for EC/EdDSA but 30-60 s for RSA-2048 and RSA-PSS, so valgrind-run tests should ask
 * for an RSA identity once per process (or not at all).
 */
#ifndef ATEA_TEST_CERTS_H
#define ATEA_TEST_CERTS_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "atea/types.h"

typedef enum atea_test_keytype {
    ATEA_TEST_KEY_P256 = 0,
    ATEA_TEST_KEY_P384,
    ATEA_TEST_KEY_P521,
    ATEA_TEST_KEY_ED25519,
    ATEA_TEST_KEY_ED448,
    ATEA_TEST_KEY_RSA2048, /* rsaEncryption SPKI: signs with rsa_pss_rsae_* */
    ATEA_TEST_KEY_RSA_PSS, /* id-RSASSA-PSS SPKI: signs with rsa_pss_pss_* */
    ATEA_TEST_KEY_COUNT,
} atea_test_keytype;

typedef struct atea_test_identity {
    atea_test_keytype type;
    EVP_PKEY *key; /* the leaf's private key */
    X509 *leaf;    /* CN=atea test leaf <type>, issued by ca */
    EVP_PKEY *ca_key;
    X509 *ca; /* self-signed, CA:TRUE, same key type as the leaf (see _issue) */
    atea_buf leaf_der;
    atea_buf ca_der;
    uint16_t sigalg;           /* the TLS 1.3 SignatureScheme of this key type (SHA-256 for RSA) */
    atea_test_keytype ca_type; /* the CA's key type */
} atea_test_identity;

/* Short name ("p256", "ed25519", "rsa-pss", ...). */
const char *atea_test_keytype_name(atea_test_keytype type);

/* The OpenSSL sigalgs-list name of the identity's scheme ("ECDSA+SHA256", "ed25519", ...). */
const char *atea_test_keytype_sigalg_name(atea_test_keytype type);

/* A fresh identity; aborts the test on failure. Free with atea_test_identity_free. */
atea_test_identity *atea_test_identity_new(atea_test_keytype type);
void atea_test_identity_free(atea_test_identity *id);

/* A leaf of the given type with a fixed key (PEM, e.g. a PKCS#8 RSA or RSA-PSS key kept in the
 * test, so valgrind runs skip RSA key generation), issued by issuer's CA. The new identity holds
 * its own references to that CA certificate and key; free it with atea_test_identity_free. */
atea_test_identity *atea_test_identity_issue(atea_test_keytype type, const char *key_pem,
                                             const atea_test_identity *issuer);

/* Write the leaf certificate and its key as PEM files (for openssl s_server/s_client). */
void atea_test_identity_write_pem(const atea_test_identity *id, const char *cert_path,
                                  const char *key_path);

/* A lazily filled set, one identity per key type, owned by the test that holds it. */
typedef struct atea_test_identities {
    atea_test_identity *by_type[ATEA_TEST_KEY_COUNT];
} atea_test_identities;

const atea_test_identity *atea_test_identities_get(atea_test_identities *set,
                                                   atea_test_keytype type);
void atea_test_identities_dispose(atea_test_identities *set);

/* cmocka group setup and teardown for a test whose state starts with an atea_test_identities
 * set (its first member, so a pointer to the state points to the set: C17 6.7.2.1): _new gives
 * *state a zeroed allocation of state_size bytes; _free disposes of the set and frees the state. */
int atea_test_identities_state_new(void **state, size_t state_size);
int atea_test_identities_state_free(void **state);
/* The group setup for a state that is the set alone (teardown: atea_test_identities_state_free). */
int atea_test_identities_group_setup(void **state);

#endif
