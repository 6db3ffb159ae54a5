/* TPM 2.0 quote structures through atea_rd (see tpm_attest.h). */
#include "verify/tpm_attest.h"

#include <string.h>

#include "core/check.h"
#include "core/rd.h"

typedef struct tpm_alg_info {
    uint16_t alg;
    size_t size;
    const char *name;
} tpm_alg_info;

static const tpm_alg_info tpm_hash_algs[] = {
    {ATEA_TPM_ALG_SHA1, 20, "sha1"},
    {ATEA_TPM_ALG_SHA256, 32, "sha256"},
    {ATEA_TPM_ALG_SHA384, 48, "sha384"},
    {ATEA_TPM_ALG_SHA512, 64, "sha512"},
};

size_t atea__tpm_alg_digest_size(uint16_t alg)
{
    for (size_t i = 0; i < ATEA_ARRAY_LEN(tpm_hash_algs); i++) {
        if (tpm_hash_algs[i].alg == alg) {
            return tpm_hash_algs[i].size;
        }
    }
    return 0;
}

const char *atea__tpm_alg_name(uint16_t alg)
{
    for (size_t i = 0; i < ATEA_ARRAY_LEN(tpm_hash_algs); i++) {
        if (tpm_hash_algs[i].alg == alg) {
            return tpm_hash_algs[i].name;
        }
    }
    return NULL;
}

int atea__tpm_pcr_selected(const atea_tpm_pcr_bank *bank, unsigned i)
{
    return i / 8 < bank->size_of_select && ((bank->select[i / 8] >> (i % 8)) & 1) != 0;
}

/* TPM2B_*: UINT16 size || buffer[size], size <= max (Part 2 §10.4). */
static atea_err tpm2b(atea_rd *rd, size_t min, size_t max, atea_slice *body)
{
    atea_err err = ATEA_OK;
    atea_rd sub;

    ATEA_TRY(atea_rd_vec(rd, 2, min, max, &sub));
    body->data = atea_rd_ptr(&sub);
    body->len = atea_rd_left(&sub);
out:
    return err;
}

static atea_err tpm_hash_alg(atea_rd *rd, uint16_t *alg, const char *what)
{
    atea_err err = ATEA_OK;
    size_t pos = atea_rd_pos(rd);

    ATEA_TRY(atea_rd_u16(rd, alg));
    ATEA_ENSURE_MSG(atea__tpm_alg_digest_size(*alg) != 0, ATEA_ERR_TPM_UNSUPPORTED_ALG,
                    "%s hash algorithm 0x%04x at offset %zu is not SHA-1/256/384/512", what, *alg,
                    pos);
out:
    return err;
}

/* TPML_PCR_SELECTION (Part 2 §10.9.7): UINT32 count || TPMS_PCR_SELECTION[count], each
 * TPMI_ALG_HASH hash || UINT8 sizeofSelect || BYTE pcrSelect[sizeofSelect]. */
static atea_err tpm_pcr_selection(atea_rd *rd, atea_tpm_pcr_selection *sel)
{
    atea_err err = ATEA_OK;
    const uint8_t *start = atea_rd_ptr(rd);
    size_t pos = atea_rd_pos(rd);

    ATEA_TRY(atea_rd_u32(rd, &sel->count));
    ATEA_ENSURE_MSG(sel->count <= ATEA_TPM_MAX_BANKS, ATEA_ERR_TOO_LARGE,
                    "PCR selection at offset %zu has %u banks, at most %d allowed", pos, sel->count,
                    ATEA_TPM_MAX_BANKS);
    for (uint32_t b = 0; b < sel->count; b++) {
        atea_tpm_pcr_bank *bank = &sel->banks[b];
        atea_rd bits;
        ATEA_TRY(tpm_hash_alg(rd, &bank->hash, "PCR bank"));
        ATEA_TRY(atea_rd_vec(rd, 1, 0, ATEA_TPM_MAX_SELECT_BYTES, &bits));
        bank->size_of_select = (uint8_t)atea_rd_left(&bits);
        memset(bank->select, 0, sizeof(bank->select));
        ATEA_TRY(atea_rd_copy(&bits, bank->select, bank->size_of_select));
        for (uint32_t prev = 0; prev < b; prev++) {
            ATEA_ENSURE_MSG(sel->banks[prev].hash != bank->hash, ATEA_ERR_TPM_PCR_SELECTION,
                            "PCR bank 0x%04x appears twice in the selection at offset %zu",
                            bank->hash, pos);
        }
    }
    sel->raw.data = start;
    sel->raw.len = (size_t)(atea_rd_ptr(rd) - start);
out:
    return err;
}

atea_err atea__tpm_attest_parse(const uint8_t *data, size_t len, atea_tpm_attest *out)
{
    atea_err err = ATEA_OK;
    atea_rd rd;
    uint32_t magic = 0;
    uint16_t type = 0;

    ATEA_ENSURE(data != NULL && out != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(len <= ATEA_TPM_MAX_ATTEST, ATEA_ERR_TOO_LARGE,
                    "TPMS_ATTEST of %zu bytes exceeds the cap of %d", len, ATEA_TPM_MAX_ATTEST);
    memset(out, 0, sizeof(*out));
    atea_rd_init(&rd, data, len);
    ATEA_TRY(atea_rd_u32(&rd, &magic));
    ATEA_ENSURE_MSG(magic == ATEA_TPM_GENERATED_VALUE, ATEA_ERR_TPM_BAD_MAGIC,
                    "TPMS_ATTEST magic is 0x%08x, TPM_GENERATED_VALUE is 0x%08x", magic,
                    ATEA_TPM_GENERATED_VALUE);
    ATEA_TRY(atea_rd_u16(&rd, &type));
    ATEA_ENSURE_MSG(type == ATEA_TPM_ST_ATTEST_QUOTE, ATEA_ERR_TPM_NOT_QUOTE,
                    "TPMS_ATTEST type is 0x%04x, TPM_ST_ATTEST_QUOTE is 0x%04x", type,
                    ATEA_TPM_ST_ATTEST_QUOTE);
    ATEA_TRY(tpm2b(&rd, 0, ATEA_TPM_MAX_NAME, &out->qualified_signer));
    ATEA_TRY(tpm2b(&rd, 0, ATEA_TPM_MAX_DATA, &out->extra_data));
    /* TPMS_CLOCK_INFO (Part 2 §10.11.1): clock, resetCount, restartCount, safe. */
    ATEA_TRY(atea_rd_u64(&rd, &out->clock));
    ATEA_TRY(atea_rd_u32(&rd, &out->reset_count));
    ATEA_TRY(atea_rd_u32(&rd, &out->restart_count));
    ATEA_TRY(atea_rd_u8(&rd, &out->safe));
    ATEA_ENSURE_MSG(out->safe <= 1, ATEA_ERR_TPM_NOT_QUOTE,
                    "TPMS_CLOCK_INFO.safe is %u, a TPMI_YES_NO must be 0 or 1", out->safe);
    ATEA_TRY(atea_rd_u64(&rd, &out->firmware_version));
    /* TPMS_QUOTE_INFO (Part 2 §10.12.4). */
    ATEA_TRY(tpm_pcr_selection(&rd, &out->pcr_select));
    ATEA_TRY(tpm2b(&rd, 0, ATEA_TPM_MAX_DIGEST, &out->pcr_digest));
    ATEA_TRY(atea_rd_end(&rd));
out:
    return err;
}

atea_err atea__tpm_signature_parse(const uint8_t *data, size_t len, atea_tpm_signature *out)
{
    atea_err err = ATEA_OK;
    atea_rd rd;

    ATEA_ENSURE(data != NULL && out != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(len <= ATEA_TPM_MAX_SIGNATURE, ATEA_ERR_TOO_LARGE,
                    "TPMT_SIGNATURE of %zu bytes exceeds the cap of %d", len,
                    ATEA_TPM_MAX_SIGNATURE);
    memset(out, 0, sizeof(*out));
    atea_rd_init(&rd, data, len);
    ATEA_TRY(atea_rd_u16(&rd, &out->sig_alg));
    switch (out->sig_alg) {
    case ATEA_TPM_ALG_RSASSA:
    case ATEA_TPM_ALG_RSAPSS:
        /* TPMS_SIGNATURE_RSA: hash || TPM2B_PUBLIC_KEY_RSA sig. */
        ATEA_TRY(tpm_hash_alg(&rd, &out->hash_alg, "signature"));
        ATEA_TRY(tpm2b(&rd, 1, ATEA_TPM_MAX_RSA_SIG, &out->rsa_sig));
        break;
    case ATEA_TPM_ALG_ECDSA:
        /* TPMS_SIGNATURE_ECC: hash || TPM2B_ECC_PARAMETER r || TPM2B_ECC_PARAMETER s. */
        ATEA_TRY(tpm_hash_alg(&rd, &out->hash_alg, "signature"));
        ATEA_TRY(tpm2b(&rd, 1, ATEA_TPM_MAX_ECC_PARAM, &out->ecc_r));
        ATEA_TRY(tpm2b(&rd, 1, ATEA_TPM_MAX_ECC_PARAM, &out->ecc_s));
        break;
    default:
        ATEA_FAIL(ATEA_ERR_TPM_UNSUPPORTED_ALG,
                  "signature algorithm 0x%04x is not RSASSA (0x0014), RSAPSS (0x0016) or "
                  "ECDSA (0x0018)",
                  out->sig_alg);
    }
    ATEA_TRY(atea_rd_end(&rd));
out:
    return err;
}

static size_t tpm_selected_count(const atea_tpm_pcr_selection *sel)
{
    size_t n = 0;
    for (uint32_t b = 0; b < sel->count; b++) {
        for (unsigned i = 0; i <= ATEA_TPM_MAX_PCR_INDEX; i++) {
            n += (size_t)atea__tpm_pcr_selected(&sel->banks[b], i);
        }
    }
    return n;
}

atea_err atea__tpm_pcr_values_parse(const uint8_t *data, size_t len, atea_tpm_pcr_values *out)
{
    atea_err err = ATEA_OK;
    atea_rd rd;
    uint32_t count = 0;
    size_t k = 0;

    ATEA_ENSURE(data != NULL && out != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(len <= ATEA_TPM_MAX_PCRS, ATEA_ERR_TOO_LARGE,
                    "PCR values part of %zu bytes exceeds the cap of %d", len, ATEA_TPM_MAX_PCRS);
    memset(out, 0, sizeof(*out));
    atea_rd_init(&rd, data, len);
    ATEA_TRY(tpm_pcr_selection(&rd, &out->selection));
    ATEA_TRY(atea_rd_u32(&rd, &count));
    ATEA_ENSURE_MSG(count == tpm_selected_count(&out->selection), ATEA_ERR_TPM_PCR_SELECTION,
                    "the PCR values part has %u digests for %zu selected PCRs", count,
                    tpm_selected_count(&out->selection));
    out->count = count;
    for (uint32_t b = 0; b < out->selection.count; b++) {
        const atea_tpm_pcr_bank *bank = &out->selection.banks[b];
        size_t size = atea__tpm_alg_digest_size(bank->hash);
        for (unsigned i = 0; i <= ATEA_TPM_MAX_PCR_INDEX; i++) {
            if (!atea__tpm_pcr_selected(bank, i)) {
                continue;
            }
            size_t pos = atea_rd_pos(&rd);
            ATEA_TRY(tpm2b(&rd, 0, ATEA_TPM_MAX_DIGEST, &out->digests[k]));
            ATEA_ENSURE_MSG(out->digests[k].len == size, ATEA_ERR_TPM_PCR_SELECTION,
                            "PCR %u of bank %s at offset %zu has %zu bytes, the bank's digests "
                            "have %zu",
                            i, atea__tpm_alg_name(bank->hash), pos, out->digests[k].len, size);
            k++;
        }
    }
    ATEA_TRY(atea_rd_end(&rd));
out:
    return err;
}
