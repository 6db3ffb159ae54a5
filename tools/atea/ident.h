/* Identities for the CLI: load a certificate chain and key from PEM files, or make an ephemeral
 * one (a fresh key and a self-signed certificate) for demos and for attestation keys, whose
 * trust comes from the evidence bound to them rather than from a CA. */
#ifndef ATEA_CLI_IDENT_H
#define ATEA_CLI_IDENT_H

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "atea/types.h"

#define ATEA_CLI_MAX_CHAIN 8

typedef struct atea_cli_ident {
    EVP_PKEY *key;
    X509 *chain[ATEA_CLI_MAX_CHAIN]; /* chain[0] is the leaf */
    size_t n_chain;
    atea_buf der[ATEA_CLI_MAX_CHAIN];
} atea_cli_ident;

typedef enum atea_cli_keytype {
    ATEA_CLI_KEY_P256,
    ATEA_CLI_KEY_ED25519,
} atea_cli_keytype;

/* A fresh key and a certificate for it with subject CN=common_name, signed by issuer (or
 * self-signed when issuer is NULL), valid from now for a day. */
atea_err atea_cli_ident_generate(atea_cli_ident *id, atea_cli_keytype type, const char *common_name,
                                 const atea_cli_ident *issuer) ATEA_MUST_USE;

/* Load a PEM certificate chain (leaf first) and a PEM private key that must match the leaf. */
atea_err atea_cli_ident_load(atea_cli_ident *id, const char *cert_file,
                             const char *key_file) ATEA_MUST_USE;

void atea_cli_ident_dispose(atea_cli_ident *id);

/* "CN=..." one-line subject of a certificate into buf. */
void atea_cli_subject(X509 *cert, char *buf, size_t len);

#endif
