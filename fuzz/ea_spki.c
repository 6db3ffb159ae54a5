/* libFuzzer target: the bounded DER walk to a certificate's SubjectPublicKeyInfo (src/ea/spki.c)
 * and the key check built on it. A success must point inside the input at a SEQUENCE; whatever the
 * input, the key check ends in ATEA_OK, ATEA_ERR_EA_KEY_MISMATCH or ATEA_ERR_EA_BAD_CERT. */
#include <stdint.h>
#include <stdlib.h>

#include <openssl/evp.h>

#include "ea/ea_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A fixed Ed25519 public key: cheap to build, and the walk decides how far the check goes. */
    static const uint8_t pub[32] = {0x3d, 0x40, 0x17, 0xc3, 0xe8, 0x43, 0x89, 0x5a,
                                    0x92, 0xb7, 0x0a, 0xa7, 0x4d, 0x1b, 0x7e, 0xbc,
                                    0x9c, 0x98, 0x2c, 0xcf, 0x2e, 0xc4, 0x96, 0x8c,
                                    0xc0, 0xcd, 0x55, 0xf1, 0x2a, 0xf4, 0x66, 0x0c};
    atea_slice der = {data, size};
    atea_slice spki = {0};
    if (atea_ea_cert_spki(der, 0, &spki) != ATEA_OK) {
        return 0;
    }
    if (spki.data < data || spki.len < 2 || spki.data + spki.len > data + size ||
        spki.data[0] != 0x30) {
        abort();
    }
    EVP_PKEY *key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, sizeof(pub));
    if (key == NULL) {
        abort();
    }
    atea_err err = atea_ea_key_matches_cert(key, der);
    if (err != ATEA_OK && err != ATEA_ERR_EA_KEY_MISMATCH && err != ATEA_ERR_EA_BAD_CERT) {
        abort();
    }
    EVP_PKEY_free(key);
    return 0;
}
