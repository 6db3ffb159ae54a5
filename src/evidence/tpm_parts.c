/*
 * TPM attester helpers that need no TPM: the PCR selection option, the AK public key as SPKI,
 * the "pcrs" part and its digest. The CMW wrapping is in tpm_cmw.c.
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include "core/check.h"
#include "core/wr.h"
#include "evidence/tpm_internal.h"

/* PCRs a PC Client TPM implements (TCG PC Client Platform TPM Profile §4.6: 24 PCRs), hence
 * a 3-byte bitmap (PCR_SELECT_MIN). */
#define TPM_CONFIG_PCR_COUNT 24
#define TPM_CONFIG_SELECT_BYTES 3
#define TPM_CONFIG_MAX_TEXT 256

typedef struct tpm_bank_name {
    const char *name;
    TPM2_ALG_ID alg;
    size_t size;
} tpm_bank_name;

static const tpm_bank_name tpm_banks[] = {
    {"sha1", TPM2_ALG_SHA1, 20},
    {"sha256", TPM2_ALG_SHA256, 32},
    {"sha384", TPM2_ALG_SHA384, 48},
    {"sha512", TPM2_ALG_SHA512, 64},
};

size_t atea__tpm_hash_size(TPM2_ALG_ID alg)
{
    for (size_t i = 0; i < ATEA_ARRAY_LEN(tpm_banks); i++) {
        if (tpm_banks[i].alg == alg) {
            return tpm_banks[i].size;
        }
    }
    return 0;
}

static const EVP_MD *tpm_hash_md(TPM2_ALG_ID alg)
{
    for (size_t i = 0; i < ATEA_ARRAY_LEN(tpm_banks); i++) {
        if (tpm_banks[i].alg == alg) {
            return EVP_get_digestbyname(tpm_banks[i].name);
        }
    }
    return NULL;
}

/* Read a decimal PCR index at text[*pos]. */
static atea_err tpm_pcr_index(const char *text, size_t *pos, unsigned *index)
{
    atea_err err = ATEA_OK;
    unsigned v = 0;
    size_t start = *pos;

    while (text[*pos] >= '0' && text[*pos] <= '9' && *pos - start < 3) {
        v = v * 10 + (unsigned)(text[*pos] - '0');
        (*pos)++;
    }
    ATEA_ENSURE_MSG(*pos > start && v < TPM_CONFIG_PCR_COUNT, ATEA_ERR_TPM_CONFIG,
                    "PCR selection \"%s\": expected a PCR index 0..%d at character %zu", text,
                    TPM_CONFIG_PCR_COUNT - 1, start);
    *index = v;
out:
    return err;
}

atea_err atea__tpm_pcrsel_parse(const char *text, TPML_PCR_SELECTION *sel)
{
    atea_err err = ATEA_OK;
    const char *colon = NULL;
    size_t pos = 0;
    TPMS_PCR_SELECTION *bank = &sel->pcrSelections[0];

    ATEA_ENSURE(text != NULL && sel != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(strlen(text) < TPM_CONFIG_MAX_TEXT, ATEA_ERR_TPM_CONFIG,
                    "PCR selection longer than %d characters", TPM_CONFIG_MAX_TEXT);
    memset(sel, 0, sizeof(*sel));
    colon = strchr(text, ':');
    ATEA_ENSURE_MSG(colon != NULL, ATEA_ERR_TPM_CONFIG,
                    "PCR selection \"%s\" is not bank:list (e.g. sha256:0-7)", text);
    for (size_t i = 0; i < ATEA_ARRAY_LEN(tpm_banks); i++) {
        if (strlen(tpm_banks[i].name) == (size_t)(colon - text) &&
            memcmp(tpm_banks[i].name, text, (size_t)(colon - text)) == 0) {
            bank->hash = tpm_banks[i].alg;
        }
    }
    ATEA_ENSURE_MSG(bank->hash != 0, ATEA_ERR_TPM_CONFIG,
                    "PCR selection \"%s\": unknown bank (sha1, sha256, sha384, sha512)", text);
    bank->sizeofSelect = TPM_CONFIG_SELECT_BYTES;
    sel->count = 1;
    pos = (size_t)(colon - text) + 1;
    while (text[pos] != '\0') {
        unsigned first = 0;
        unsigned last = 0;
        ATEA_TRY(tpm_pcr_index(text, &pos, &first));
        last = first;
        if (text[pos] == '-') {
            pos++;
            ATEA_TRY(tpm_pcr_index(text, &pos, &last));
            ATEA_ENSURE_MSG(last >= first, ATEA_ERR_TPM_CONFIG,
                            "PCR selection \"%s\": range %u-%u is reversed", text, first, last);
        }
        for (unsigned i = first; i <= last; i++) {
            bank->pcrSelect[i / 8] |= (uint8_t)(1u << (i % 8));
        }
        ATEA_ENSURE_MSG(text[pos] == '\0' || (text[pos] == ',' && text[pos + 1] != '\0'),
                        ATEA_ERR_TPM_CONFIG, "PCR selection \"%s\": unexpected character at %zu",
                        text, pos);
        if (text[pos] == ',') {
            pos++;
        }
    }
out:
    return err;
}

static atea_err tpm_ec_spki(const TPMS_ECC_POINT *point, TPMI_ECC_CURVE curve, EVP_PKEY **pkey)
{
    atea_err err = ATEA_OK;
    uint8_t octets[1 + 2 * 48];
    size_t field = 0;
    const char *group = NULL;
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;

    switch (curve) {
    case TPM2_ECC_NIST_P256:
        group = SN_X9_62_prime256v1;
        field = 32;
        break;
    case TPM2_ECC_NIST_P384:
        group = SN_secp384r1;
        field = 48;
        break;
    default:
        ATEA_FAIL(ATEA_ERR_TPM_UNSUPPORTED_ALG, "AK curve 0x%04x is not NIST P-256 or P-384",
                  curve);
    }
    ATEA_ENSURE_MSG(point->x.size <= field && point->y.size <= field, ATEA_ERR_TPM_UNSUPPORTED_ALG,
                    "AK point coordinates (%u, %u bytes) exceed the curve size %zu", point->x.size,
                    point->y.size, field);
    /* SEC 1 §2.3.3 uncompressed point; TPM coordinates may be shorter than the field. */
    memset(octets, 0, sizeof(octets));
    octets[0] = 0x04;
    memcpy(octets + 1 + field - point->x.size, point->x.buffer, point->x.size);
    memcpy(octets + 1 + 2 * field - point->y.size, point->y.buffer, point->y.size);
    bld = OSSL_PARAM_BLD_new();
    ATEA_ENSURE_ALLOC(bld);
    ATEA_ENSURE(OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) == 1 &&
                    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, octets,
                                                     1 + 2 * field) == 1,
                ATEA_ERR_NO_MEMORY);
    params = OSSL_PARAM_BLD_to_param(bld);
    ATEA_ENSURE_ALLOC(params);
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    ATEA_ENSURE_ALLOC(ctx);
    ATEA_ENSURE_MSG(EVP_PKEY_fromdata_init(ctx) == 1 &&
                        EVP_PKEY_fromdata(ctx, pkey, EVP_PKEY_PUBLIC_KEY, params) == 1,
                    ATEA_ERR_TPM_UNSUPPORTED_ALG, "the TPM's AK point is not on curve %s", group);
out:
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    return err;
}

static atea_err tpm_rsa_spki(const TPM2B_PUBLIC_KEY_RSA *modulus, UINT32 exponent, EVP_PKEY **pkey)
{
    atea_err err = ATEA_OK;
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    BIGNUM *n = BN_bin2bn(modulus->buffer, modulus->size, NULL);
    BIGNUM *e = BN_new();

    ATEA_ENSURE_ALLOC(n);
    ATEA_ENSURE_ALLOC(e);
    /* TPM 2.0 Part 2 §12.2.3.5: exponent 0 means the default 2^16 + 1. */
    ATEA_ENSURE(BN_set_word(e, exponent == 0 ? 65537 : exponent) == 1, ATEA_ERR_NO_MEMORY);
    bld = OSSL_PARAM_BLD_new();
    ATEA_ENSURE_ALLOC(bld);
    ATEA_ENSURE(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) == 1 &&
                    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) == 1,
                ATEA_ERR_NO_MEMORY);
    params = OSSL_PARAM_BLD_to_param(bld);
    ATEA_ENSURE_ALLOC(params);
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    ATEA_ENSURE_ALLOC(ctx);
    ATEA_ENSURE_MSG(EVP_PKEY_fromdata_init(ctx) == 1 &&
                        EVP_PKEY_fromdata(ctx, pkey, EVP_PKEY_PUBLIC_KEY, params) == 1,
                    ATEA_ERR_TPM_UNSUPPORTED_ALG, "the TPM's RSA AK (%u-byte modulus) is unusable",
                    modulus->size);
out:
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(n);
    BN_free(e);
    return err;
}

atea_err atea__tpm_public_to_spki(const TPMT_PUBLIC *pub, atea_buf *spki)
{
    atea_err err = ATEA_OK;
    EVP_PKEY *pkey = NULL;
    uint8_t *der = NULL;
    int der_len = 0;

    switch (pub->type) {
    case TPM2_ALG_ECC:
        ATEA_TRY(tpm_ec_spki(&pub->unique.ecc, pub->parameters.eccDetail.curveID, &pkey));
        break;
    case TPM2_ALG_RSA:
        ATEA_TRY(tpm_rsa_spki(&pub->unique.rsa, pub->parameters.rsaDetail.exponent, &pkey));
        break;
    default:
        ATEA_FAIL(ATEA_ERR_TPM_UNSUPPORTED_ALG, "AK type 0x%04x is neither ECC nor RSA", pub->type);
    }
    der_len = i2d_PUBKEY(pkey, &der);
    ATEA_ENSURE(der_len > 0, ATEA_ERR_NO_MEMORY);
    ATEA_TRY(atea_buf_set(spki, der, (size_t)der_len));
out:
    OPENSSL_free(der);
    EVP_PKEY_free(pkey);
    return err;
}

static int tpm_selected(const TPMS_PCR_SELECTION *bank, unsigned pcr)
{
    return pcr / 8 < bank->sizeofSelect && (bank->pcrSelect[pcr / 8] >> (pcr % 8)) & 1;
}

atea_err atea__tpm_pcrs_write(const TPML_PCR_SELECTION *sel,
                              const uint8_t values[][TPM2_MAX_PCRS][ATEA_TPM_MAX_DIGEST],
                              atea_buf *out)
{
    atea_err err = ATEA_OK;
    atea_wr wr = {0};
    uint32_t count = 0;

    ATEA_ENSURE(sel->count <= ATEA_TPM_MAX_BANKS, ATEA_ERR_TOO_LARGE);
    ATEA_TRY(atea_wr_init_growable(&wr, 256, ATEA_TPM_MAX_PCRS));
    ATEA_TRY(atea_wr_u32(&wr, sel->count));
    for (uint32_t b = 0; b < sel->count; b++) {
        const TPMS_PCR_SELECTION *bank = &sel->pcrSelections[b];
        ATEA_TRY(atea_wr_u16(&wr, bank->hash));
        ATEA_TRY(atea_wr_vec(&wr, 1, bank->pcrSelect, bank->sizeofSelect));
        for (unsigned i = 0; i < TPM2_MAX_PCRS; i++) {
            count += (uint32_t)tpm_selected(bank, i);
        }
    }
    ATEA_TRY(atea_wr_u32(&wr, count));
    for (uint32_t b = 0; b < sel->count; b++) {
        const TPMS_PCR_SELECTION *bank = &sel->pcrSelections[b];
        size_t size = atea__tpm_hash_size(bank->hash);
        ATEA_ENSURE_MSG(size != 0, ATEA_ERR_TPM_UNSUPPORTED_ALG, "PCR bank 0x%04x", bank->hash);
        for (unsigned i = 0; i < TPM2_MAX_PCRS; i++) {
            if (tpm_selected(bank, i)) {
                ATEA_TRY(atea_wr_vec(&wr, 2, values[b][i], size));
            }
        }
    }
    ATEA_TRY(atea_wr_take(&wr, out));
out:
    atea_wr_dispose(&wr);
    return err;
}

atea_err atea__tpm_pcr_digest(TPM2_ALG_ID hash_alg, const TPML_PCR_SELECTION *sel,
                              const uint8_t values[][TPM2_MAX_PCRS][ATEA_TPM_MAX_DIGEST],
                              uint8_t *digest, size_t *digest_len)
{
    atea_err err = ATEA_OK;
    const EVP_MD *md = tpm_hash_md(hash_alg);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned int len = 0;

    ATEA_ENSURE_ALLOC(ctx);
    ATEA_ENSURE_MSG(md != NULL, ATEA_ERR_TPM_UNSUPPORTED_ALG, "quote hash 0x%04x", hash_alg);
    ATEA_ENSURE(EVP_DigestInit_ex(ctx, md, NULL) == 1, ATEA_ERR_INTERNAL);
    for (uint32_t b = 0; b < sel->count && b < ATEA_TPM_MAX_BANKS; b++) {
        const TPMS_PCR_SELECTION *bank = &sel->pcrSelections[b];
        size_t size = atea__tpm_hash_size(bank->hash);
        for (unsigned i = 0; i < TPM2_MAX_PCRS; i++) {
            if (tpm_selected(bank, i)) {
                ATEA_ENSURE(EVP_DigestUpdate(ctx, values[b][i], size) == 1, ATEA_ERR_INTERNAL);
            }
        }
    }
    ATEA_ENSURE(EVP_DigestFinal_ex(ctx, digest, &len) == 1, ATEA_ERR_INTERNAL);
    *digest_len = len;
out:
    EVP_MD_CTX_free(ctx);
    return err;
}
