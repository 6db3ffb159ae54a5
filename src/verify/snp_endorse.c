/*
 * The endorsement key of a SEV-SNP report: the VCEK (per chip and TCB) or VLEK (per cloud
 * provider), checked to the AMD root of its product (evidence-formats 3.3 steps 2-3):
 *     VCEK <- ASK "SEV-<product>"      <- ARK
 *     VLEK <- ASVK "SEV-VLEK-<product>" <- ARK
 * ARK and ASK/ASVK are RSA-4096 with RSASSA-PSS/SHA-384 signatures; src/verify/chain.c does the
 * path check at env->now. Trust comes only from the ARK pins below.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "core/check.h"
#include "verify/chain.h"
#include "verify/snp_internal.h"

struct atea_snp_endorsement {
    X509 *cert; /* the VCEK or VLEK */
    atea_snp_key kind;
    atea_snp_kds kds;
};

/* SHA-256 of the DER of each product's ARK (AMD KDS cert_chain documents; the same files as
 * virtee/sev src/certs/snp/builtin/<product>/ark.pem). Indexed by atea_snp_product. */
static const uint8_t ARK_PINS[][32] = {
    [ATEA_SNP_PRODUCT_UNKNOWN] = {0},
    [ATEA_SNP_PRODUCT_MILAN] = {0x69, 0xd0, 0x63, 0xb4, 0x53, 0x44, 0xd2, 0x6a, 0x2e, 0x94, 0xe1,
                                0xf4, 0x21, 0x0d, 0xe4, 0x9e, 0xf5, 0x55, 0x30, 0x82, 0x87, 0xd4,
                                0xc1, 0x74, 0x44, 0x5c, 0x95, 0x63, 0x9a, 0x54, 0x0b, 0xcd},
    [ATEA_SNP_PRODUCT_GENOA] = {0x4c, 0x65, 0x98, 0xd1, 0x9c, 0x18, 0x71, 0x9c, 0x5d, 0xfd, 0x4a,
                                0x7d, 0x33, 0x5f, 0x67, 0x4e, 0x5b, 0xfe, 0x1d, 0x8f, 0x80, 0x0c,
                                0xea, 0x2c, 0xf2, 0x70, 0xc1, 0x0d, 0x10, 0x3d, 0xb2, 0xf1},
    [ATEA_SNP_PRODUCT_TURIN] = {0x1f, 0x08, 0x41, 0x61, 0xa4, 0x4b, 0xb6, 0xd9, 0x37, 0x78, 0xa9,
                                0x04, 0x87, 0x7d, 0x48, 0x19, 0xca, 0xfa, 0x5d, 0x05, 0xef, 0x41,
                                0x93, 0xb2, 0xde, 0xd9, 0xdd, 0x9c, 0x73, 0xdd, 0x3f, 0x6a},
};

static const char *key_name(atea_snp_key key)
{
    return key == ATEA_SNP_KEY_VLEK ? "VLEK" : "VCEK";
}

/* The index of the VCEK/VLEK in the pool. The other kind only: KEY_MISMATCH. */
static atea_err find_leaf(const atea_snp_pool *pool, atea_snp_key key, size_t *index)
{
    atea_err err = ATEA_OK;
    const char *want = key == ATEA_SNP_KEY_VLEK ? "SEV-VLEK" : "SEV-VCEK";
    const char *other = key == ATEA_SNP_KEY_VLEK ? "SEV-VCEK" : "SEV-VLEK";
    int have_other = 0;
    for (size_t i = 0; i < pool->n; i++) {
        if (atea__snp_cert_cn_is(pool->certs[i], want)) {
            *index = i;
            goto out;
        }
        have_other |= atea__snp_cert_cn_is(pool->certs[i], other);
    }
    ATEA_ENSURE_MSG(!have_other, ATEA_ERR_SNP_KEY_MISMATCH,
                    "the report is signed with the %s (SIGNING_KEY %d) but only a %s certificate "
                    "(CN=%s) was supplied",
                    key_name(key), (int)key,
                    key_name(key == ATEA_SNP_KEY_VLEK ? ATEA_SNP_KEY_VCEK : ATEA_SNP_KEY_VLEK),
                    other);
    ATEA_FAIL(ATEA_ERR_SNP_NO_CERT, "no %s certificate (CN=%s) among %zu supplied", key_name(key),
              want, pool->n);
out:
    return err;
}

/* The certificate that issued `leaf` (subject == leaf's issuer), other than the leaf. */
static atea_err find_issuer(const atea_snp_pool *pool, X509 *leaf, X509 **issuer)
{
    atea_err err = ATEA_OK;
    char subject[128];
    for (size_t i = 0; i < pool->n; i++) {
        if (pool->certs[i] != leaf &&
            X509_NAME_cmp(X509_get_subject_name(pool->certs[i]), X509_get_issuer_name(leaf)) == 0) {
            *issuer = pool->certs[i];
            goto out;
        }
    }
    X509_NAME_oneline(X509_get_issuer_name(leaf), subject, (int)sizeof(subject));
    ATEA_FAIL(ATEA_ERR_SNP_NO_CERT, "no ASK/ASVK certificate with subject %s was supplied",
              subject);
out:
    return err;
}

/* The supplied certificate whose DER hashes to the product's ARK pin. */
static atea_err find_ark(const atea_snp_pool *pool, atea_snp_product product, X509 **ark)
{
    atea_err err = ATEA_OK;
    uint8_t hash[32];
    for (size_t i = 0; i < pool->n; i++) {
        ATEA_TRY(atea_chain_cert_sha256(pool->certs[i], hash));
        if (atea_ct_equal(hash, ARK_PINS[product], sizeof(hash))) {
            *ark = pool->certs[i];
            goto out;
        }
    }
    ATEA_FAIL(ATEA_ERR_SNP_ROOT,
              "none of the %zu supplied certificates is the AMD ARK-%s (SHA-256 of DER "
              "%02x%02x%02x%02x...); supply the KDS cert_chain for %s",
              pool->n, atea_snp_product_name(product), ARK_PINS[product][0], ARK_PINS[product][1],
              ARK_PINS[product][2], ARK_PINS[product][3], atea_snp_product_name(product));
out:
    return err;
}

/* The report signature is ECDSA P-384 (SIGNATURE_ALGO 1): the leaf key must be a P-384 key. */
static atea_err check_p384(X509 *leaf, atea_snp_key key)
{
    atea_err err = ATEA_OK;
    char group[32] = "";
    size_t group_len = 0;
    EVP_PKEY *pub = X509_get0_pubkey(leaf);
    ATEA_ENSURE_MSG(pub != NULL && EVP_PKEY_get_base_id(pub) == EVP_PKEY_EC, ATEA_ERR_SNP_CERT,
                    "the %s public key is not an EC key", key_name(key));
    ATEA_ENSURE_MSG(
        EVP_PKEY_get_utf8_string_param(pub, "group", group, sizeof(group), &group_len) == 1 &&
            strcmp(group, "secp384r1") == 0,
        ATEA_ERR_SNP_CERT, "the %s public key is on curve '%s', not P-384", key_name(key), group);
out:
    return err;
}

static atea_err fill_pool(const atea_verify_env *env, const atea_snp_certs *certs,
                          atea_snp_pool *pool)
{
    atea_err err = ATEA_OK;
    if (certs != NULL) {
        ATEA_TRY(atea__snp_pool_add_der(pool, certs->vcek, "VCEK from the certificate table"));
        ATEA_TRY(atea__snp_pool_add_der(pool, certs->vlek, "VLEK from the certificate table"));
        ATEA_TRY(atea__snp_pool_add_der(pool, certs->ask, "ASK from the certificate table"));
        ATEA_TRY(atea__snp_pool_add_der(pool, certs->ark, "ARK from the certificate table"));
    }
    for (size_t i = 0; i < env->cert_file_count; i++) {
        ATEA_TRY(atea__snp_pool_add_file(pool, env->cert_files[i]));
    }
out:
    return err;
}

atea_err atea_snp_endorsement_new(const atea_verify_env *env, const atea_snp_certs *certs,
                                  atea_snp_key key, atea_snp_endorsement **pendorsement)
{
    atea_err err = ATEA_OK;
    atea_snp_pool pool = {{0}};
    atea_snp_endorsement *e = NULL;
    size_t leaf = 0;
    X509 *chain[3] = {NULL, NULL, NULL};
    ATEA_ENSURE(env != NULL && pendorsement != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE(env->cert_file_count == 0 || env->cert_files != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE(key == ATEA_SNP_KEY_VCEK || key == ATEA_SNP_KEY_VLEK, ATEA_ERR_INVALID_ARG);
    *pendorsement = NULL;
    e = calloc(1, sizeof(*e));
    ATEA_ENSURE_ALLOC(e);
    e->kind = key;
    ATEA_TRY(fill_pool(env, certs, &pool));
    ATEA_TRY(find_leaf(&pool, key, &leaf));
    chain[0] = pool.certs[leaf];
    ATEA_TRY(atea__snp_kds_decode(chain[0], &e->kds));
    ATEA_ENSURE_MSG(key == ATEA_SNP_KEY_VLEK || e->kds.hwid_len > 0, ATEA_ERR_SNP_CERT,
                    "VCEK lacks the hwID extension (1.3.6.1.4.1.3704.1.4)");
    ATEA_TRY(check_p384(chain[0], key));
    /* The root first: a chain for another product is "wrong root", not "missing ASK". */
    ATEA_TRY(find_ark(&pool, e->kds.product, &chain[2]));
    ATEA_TRY(find_issuer(&pool, chain[0], &chain[1]));
    atea_chain_opts opts = {
        .root_pins = &ARK_PINS[e->kds.product],
        .root_pin_count = 1,
        .now = env->now,
        .what = key == ATEA_SNP_KEY_VLEK ? "SEV-SNP VLEK chain" : "SEV-SNP VCEK chain",
    };
    ATEA_TRY(atea_chain_verify(chain, ATEA_ARRAY_LEN(chain), &opts, NULL));
    ATEA_ENSURE(X509_up_ref(chain[0]) == 1, ATEA_ERR_INTERNAL);
    e->cert = chain[0];
    *pendorsement = e;
    e = NULL;
out:
    atea__snp_pool_dispose(&pool);
    atea_snp_endorsement_free(e);
    return err;
}

void atea_snp_endorsement_free(atea_snp_endorsement *endorsement)
{
    if (endorsement == NULL) {
        return;
    }
    X509_free(endorsement->cert);
    free(endorsement);
}

atea_snp_product atea_snp_endorsement_product(const atea_snp_endorsement *endorsement)
{
    return endorsement != NULL ? endorsement->kds.product : ATEA_SNP_PRODUCT_UNKNOWN;
}

/* For snp.c: the endorsement's key, kind and KDS values. */
EVP_PKEY *atea__snp_endorsement_key(const atea_snp_endorsement *e)
{
    return X509_get0_pubkey(e->cert);
}

atea_snp_key atea__snp_endorsement_kind(const atea_snp_endorsement *e)
{
    return e->kind;
}

const atea_snp_kds *atea__snp_endorsement_kds(const atea_snp_endorsement *e)
{
    return &e->kds;
}
