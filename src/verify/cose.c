/*
 * COSE_Sign1 (RFC 9052 §4.2 structure, §4.4 signing) with the ECDSA algorithms of RFC 9053 §2.1,
 * as used by Arm CCA platform and realm tokens (draft-ffm-rats-cca-token). Parsing goes through
 * the bounded CBOR decoder; the Sig_structure is re-encoded with the CBOR encoder into a
 * capped writer, from the protected header and payload bytes exactly as they were received.
 */
#include <string.h>

#include <openssl/core_names.h>

#include "core/check.h"
#include "core/wr.h"
#include "verify/cose.h"

#define COSE_TAG_SIGN1 18
#define COSE_LABEL_ALG 1
#define COSE_LABEL_CRIT 2
#define COSE_SIGN1_ITEMS 4
#define SIG_STRUCTURE_OVERHEAD 64 /* array head, "Signature1", three bstr heads */

static const struct {
    int64_t alg;
    const char *cose_curve;
    const char *ossl_group;
    size_t scalar_len;
    const EVP_MD *(*md)(void);
} COSE_ALGS[] = {
    {ATEA_COSE_ALG_ES256, "P-256", "prime256v1", 32, EVP_sha256},
    {ATEA_COSE_ALG_ES384, "P-384", "secp384r1", 48, EVP_sha384},
    {ATEA_COSE_ALG_ES512, "P-521", "secp521r1", 66, EVP_sha512},
};

static size_t alg_index(int64_t alg)
{
    for (size_t i = 0; i < ATEA_ARRAY_LEN(COSE_ALGS); i++) {
        if (COSE_ALGS[i].alg == alg) {
            return i;
        }
    }
    return ATEA_ARRAY_LEN(COSE_ALGS);
}

const char *atea__cose_alg_curve(int64_t alg, size_t *scalar_len)
{
    size_t i = alg_index(alg);
    if (i == ATEA_ARRAY_LEN(COSE_ALGS)) {
        return NULL;
    }
    if (scalar_len != NULL) {
        *scalar_len = COSE_ALGS[i].scalar_len;
    }
    return COSE_ALGS[i].cose_curve;
}

/* A header label: an int, or a text string (which atea never needs and reports as 0). */
static atea_err read_label(atea_cbor_rd *c, int64_t *label)
{
    atea_err err = ATEA_OK;
    atea_cbor_major major;
    atea_slice text;
    ATEA_TRY(atea_cbor_peek_type(c, &major));
    if (major == ATEA_CBOR_TSTR) {
        ATEA_TRY(atea_cbor_read_tstr(c, &text));
        *label = 0;
        goto out;
    }
    ATEA_ENSURE_MSG(major == ATEA_CBOR_UINT || major == ATEA_CBOR_NEGINT, ATEA_ERR_CCA_COSE,
                    "COSE header label at offset %zu is neither an integer nor text",
                    atea_cbor_pos(c));
    ATEA_TRY(atea_cbor_read_int(c, label));
out:
    return err;
}

/* A header map. protected: alg must be here, once; crit is refused. unprotected: no alg. */
static atea_err read_header(atea_cbor_rd *c, int is_protected, int64_t *alg)
{
    atea_err err = ATEA_OK;
    size_t n = 0;
    int have_alg = 0;
    ATEA_TRY(atea_cbor_read_map(c, &n));
    ATEA_ENSURE_MSG(n <= ATEA_COSE_MAX_HEADER_ENTRIES, ATEA_ERR_TOO_LARGE,
                    "COSE header with %zu entries (cap %d)", n, ATEA_COSE_MAX_HEADER_ENTRIES);
    for (size_t i = 0; i < n; i++) {
        int64_t label = 0;
        ATEA_TRY(read_label(c, &label));
        ATEA_ENSURE_MSG(label != COSE_LABEL_CRIT, ATEA_ERR_CCA_COSE,
                        "COSE header marks parameters critical (label 2); atea knows none");
        if (label != COSE_LABEL_ALG) {
            ATEA_TRY(atea_cbor_skip(c));
            continue;
        }
        /* RFC 9052 §3.1: alg belongs in the protected bucket, so that it is signed. */
        ATEA_ENSURE_MSG(is_protected, ATEA_ERR_CCA_COSE,
                        "COSE alg (label 1) appears in the unprotected header");
        ATEA_ENSURE_MSG(!have_alg, ATEA_ERR_CCA_COSE, "COSE protected header repeats alg");
        ATEA_TRY(atea_cbor_read_int(c, alg));
        have_alg = 1;
    }
    ATEA_ENSURE_MSG(!is_protected || have_alg, ATEA_ERR_CCA_COSE,
                    "COSE protected header carries no alg (label 1)");
out:
    return err;
}

static atea_err read_protected(atea_cbor_rd *c, atea_cose_sign1 *out)
{
    atea_err err = ATEA_OK;
    atea_cbor_rd sub;
    ATEA_TRY(atea_cbor_open_bstr(c, &sub));
    out->protected_bstr.data = atea_rd_ptr(&sub.rd);
    out->protected_bstr.len = atea_cbor_left(&sub);
    ATEA_ENSURE_MSG(out->protected_bstr.len > 0, ATEA_ERR_CCA_COSE,
                    "COSE_Sign1 protected header is empty: the algorithm is not signed");
    ATEA_ENSURE_MSG(out->protected_bstr.len <= ATEA_COSE_MAX_PROTECTED, ATEA_ERR_TOO_LARGE,
                    "COSE protected header of %zu bytes (cap %d)", out->protected_bstr.len,
                    ATEA_COSE_MAX_PROTECTED);
    ATEA_TRY(read_header(&sub, 1, &out->alg));
    ATEA_TRY(atea_cbor_end(&sub));
    ATEA_ENSURE_MSG(alg_index(out->alg) < ATEA_ARRAY_LEN(COSE_ALGS), ATEA_ERR_CCA_COSE_ALG,
                    "COSE alg %lld is not ES256 (-7), ES384 (-35) or ES512 (-36)",
                    (long long)out->alg);
out:
    return err;
}

atea_err atea__cose_sign1_parse(atea_cbor_rd *c, atea_cose_sign1 *out)
{
    atea_err err = ATEA_OK;
    atea_cbor_major major;
    uint64_t tag = 0;
    size_t n = 0;
    int64_t unused_alg = 0;
    ATEA_ENSURE(c != NULL && out != NULL, ATEA_ERR_INVALID_ARG);
    memset(out, 0, sizeof(*out));
    ATEA_TRY(atea_cbor_peek_type(c, &major));
    if (major == ATEA_CBOR_TAG) {
        ATEA_TRY(atea_cbor_read_tag(c, &tag));
        ATEA_ENSURE_MSG(tag == COSE_TAG_SIGN1, ATEA_ERR_CCA_COSE,
                        "CBOR tag %llu where COSE_Sign1 (tag 18) was expected",
                        (unsigned long long)tag);
    }
    ATEA_TRY(atea_cbor_peek_type(c, &major));
    ATEA_ENSURE_MSG(major == ATEA_CBOR_ARRAY, ATEA_ERR_CCA_COSE,
                    "COSE_Sign1 at offset %zu is not an array", atea_cbor_pos(c));
    ATEA_TRY(atea_cbor_read_array(c, &n));
    ATEA_ENSURE_MSG(n == COSE_SIGN1_ITEMS, ATEA_ERR_CCA_COSE,
                    "COSE_Sign1 array has %zu items, expected 4", n);
    ATEA_TRY(read_protected(c, out));
    ATEA_TRY(read_header(c, 0, &unused_alg));
    ATEA_TRY(atea_cbor_peek_type(c, &major));
    ATEA_ENSURE_MSG(
        major == ATEA_CBOR_BSTR, ATEA_ERR_CCA_COSE,
        "COSE_Sign1 payload is not a byte string (detached payloads are not supported)");
    ATEA_TRY(atea_cbor_read_bstr(c, &out->payload));
    ATEA_ENSURE_MSG(out->payload.len <= ATEA_COSE_MAX_PAYLOAD, ATEA_ERR_TOO_LARGE,
                    "COSE payload of %zu bytes (cap %d)", out->payload.len, ATEA_COSE_MAX_PAYLOAD);
    ATEA_TRY(atea_cbor_peek_type(c, &major));
    ATEA_ENSURE_MSG(major == ATEA_CBOR_BSTR, ATEA_ERR_CCA_COSE,
                    "COSE_Sign1 signature is not a byte string");
    ATEA_TRY(atea_cbor_read_bstr(c, &out->signature));
out:
    return err;
}

/* RFC 9052 §4.4: Sig_structure = ["Signature1", body_protected, external_aad, payload]. */
static atea_err write_sig_structure(const atea_cose_sign1 *s, atea_wr *wr)
{
    atea_err err = ATEA_OK;
    static const char context[] = "Signature1";
    ATEA_TRY(atea_wr_init_growable(
        wr, s->payload.len + s->protected_bstr.len + SIG_STRUCTURE_OVERHEAD,
        ATEA_COSE_MAX_PAYLOAD + ATEA_COSE_MAX_PROTECTED + SIG_STRUCTURE_OVERHEAD));
    ATEA_TRY(atea_cbor_wr_array(wr, 4));
    ATEA_TRY(atea_cbor_wr_tstr(wr, context, sizeof(context) - 1));
    ATEA_TRY(atea_cbor_wr_bstr(wr, s->protected_bstr.data, s->protected_bstr.len));
    ATEA_TRY(atea_cbor_wr_bstr(wr, NULL, 0));
    ATEA_TRY(atea_cbor_wr_bstr(wr, s->payload.data, s->payload.len));
out:
    return err;
}

atea_err atea__cose_sign1_verify(const atea_cose_sign1 *s, EVP_PKEY *key, int *valid)
{
    atea_err err = ATEA_OK;
    atea_wr wr = {0};
    char group[32] = "";
    size_t group_len = 0;
    ATEA_ENSURE(s != NULL && key != NULL && valid != NULL, ATEA_ERR_INVALID_ARG);
    *valid = 0;
    size_t i = alg_index(s->alg);
    ATEA_ENSURE_MSG(i < ATEA_ARRAY_LEN(COSE_ALGS), ATEA_ERR_CCA_COSE_ALG, "COSE alg %lld",
                    (long long)s->alg);
    ATEA_ENSURE_MSG(EVP_PKEY_get_base_id(key) == EVP_PKEY_EC &&
                        EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group,
                                                       sizeof(group), &group_len) == 1 &&
                        strcmp(group, COSE_ALGS[i].ossl_group) == 0,
                    ATEA_ERR_CCA_COSE_ALG, "COSE alg %lld needs a %s key, the key is '%s'",
                    (long long)s->alg, COSE_ALGS[i].cose_curve, group);
    ATEA_ENSURE_MSG(s->signature.len == 2 * COSE_ALGS[i].scalar_len, ATEA_ERR_CCA_COSE,
                    "COSE %s signature is %zu bytes, expected %zu", COSE_ALGS[i].cose_curve,
                    s->signature.len, 2 * COSE_ALGS[i].scalar_len);
    ATEA_TRY(write_sig_structure(s, &wr));
    ATEA_TRY(atea__ecdsa_verify_raw(key, COSE_ALGS[i].md(), atea_wr_data(&wr), atea_wr_len(&wr),
                                    s->signature.data, s->signature.data + COSE_ALGS[i].scalar_len,
                                    COSE_ALGS[i].scalar_len, valid));
out:
    atea_wr_dispose(&wr);
    return err;
}
