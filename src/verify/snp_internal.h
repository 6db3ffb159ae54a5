/* Internal pieces of the SEV-SNP verifier shared by src/verify/snp*.c. */
#ifndef ATEA_VERIFY_SNP_INTERNAL_H
#define ATEA_VERIFY_SNP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "atea/snp.h"

/* Every certificate one verification considers: from the certificate table and from files. */
typedef struct atea_snp_pool {
    X509 *certs[ATEA_SNP_MAX_CERTS];
    size_t n;
} atea_snp_pool;

/* Add one DER certificate (`what` names its source for details). Empty slices are ignored.
 * Errors: ATEA_ERR_TOO_LARGE (pool full), ATEA_ERR_SNP_CERT, ATEA_ERR_NO_MEMORY. */
atea_err atea__snp_pool_add_der(atea_snp_pool *pool, atea_slice der,
                                const char *what) ATEA_MUST_USE;

/* Add every certificate of a PEM or DER file. Errors: ATEA_ERR_SNP_CERT (unreadable, over
 * ATEA_SNP_CERT_FILE_MAX_SIZE, not a certificate), ATEA_ERR_TOO_LARGE. */
atea_err atea__snp_pool_add_file(atea_snp_pool *pool, const char *path) ATEA_MUST_USE;

void atea__snp_pool_dispose(atea_snp_pool *pool);

/* The AMD KDS extensions of a VCEK/VLEK (OID arc 1.3.6.1.4.1.3704.1; evidence-formats 3.3). */
typedef struct atea_snp_kds {
    char product_name[32]; /* .2, e.g. "Milan-B0" */
    atea_snp_product product;
    atea_snp_tcb tcb; /* .3.1 bl, .3.2 tee, .3.3 snp, .3.8 ucode, .3.9 fmc (Turin) */
    int has_fmc;
    uint8_t hwid[64]; /* .4 (VCEK only): CHIP_ID, 64 bytes, or 8 bytes on Turin */
    size_t hwid_len;
} atea_snp_kds;

/* Decode the KDS extensions of cert. Errors: ATEA_ERR_SNP_CERT (missing/duplicate/malformed
 * extension), ATEA_ERR_SNP_PRODUCT (unknown product name). */
atea_err atea__snp_kds_decode(X509 *cert, atea_snp_kds *kds) ATEA_MUST_USE;

/* The endorsement's VCEK/VLEK public key (EC P-384), kind and KDS values (snp_endorse.c). */
EVP_PKEY *atea__snp_endorsement_key(const atea_snp_endorsement *e);
atea_snp_key atea__snp_endorsement_kind(const atea_snp_endorsement *e);
const atea_snp_kds *atea__snp_endorsement_kds(const atea_snp_endorsement *e);

/* 1 if the certificate's subject CN equals cn. */
int atea__snp_cert_cn_is(X509 *cert, const char *cn);

#endif
