/* The attestation binder (include/atea/binder.h, profile.md §3, draft-fossati-seat-expat). */
#include <string.h>

#include <openssl/evp.h>

#include "atea/binder.h"
#include "core/check.h"
#include "core/der.h"
#include "core/rd.h"

void atea_binder_profile_default(atea_binder_profile *profile)
{
    if (profile != NULL) {
        profile->label = ATEA_DEFAULT_BINDER_LABEL;
        profile->layout = ATEA_BINDER_LAYOUT_CONCAT;
    }
}

atea_err atea_binder_profile_check(const atea_binder_profile *profile)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(profile != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(profile->label != NULL && profile->label[0] != '\0', ATEA_ERR_BINDER_PROFILE,
                    "the exporter label is empty");
    size_t label_len = strnlen(profile->label, ATEA_BINDER_LABEL_MAX + 1);
    ATEA_ENSURE_MSG(label_len <= ATEA_BINDER_LABEL_MAX, ATEA_ERR_BINDER_PROFILE,
                    "the exporter label is longer than %d bytes", ATEA_BINDER_LABEL_MAX);
    ATEA_ENSURE_MSG(profile->layout == ATEA_BINDER_LAYOUT_CONCAT ||
                        profile->layout == ATEA_BINDER_LAYOUT_HASHED,
                    ATEA_ERR_BINDER_PROFILE, "report_data layout %d is unknown",
                    (int)profile->layout);
out:
    return err;
}

atea_err atea_cert_spki(const uint8_t *der, size_t len, atea_slice *spki)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(der != NULL && spki != NULL, ATEA_ERR_INVALID_ARG);
    err = atea_der_cert_spki(der, len, spki);
    ATEA_ENSURE_MSG(err == ATEA_OK, ATEA_ERR_SPKI_MALFORMED, "authenticator leaf: %s",
                    atea_err_last()->detail);
out:
    return err;
}

static atea_err binder_md(atea_hash hash, const EVP_MD **md)
{
    atea_err err = ATEA_OK;
    *md = NULL;
    switch (hash) {
    case ATEA_HASH_SHA256:
        *md = EVP_sha256();
        break;
    case ATEA_HASH_SHA384:
        *md = EVP_sha384();
        break;
    case ATEA_HASH_SHA512:
        *md = EVP_sha512();
        break;
    }
    ATEA_ENSURE_MSG(*md != NULL, ATEA_ERR_TLS_UNKNOWN_SUITE, "hash %d", (int)hash);
out:
    return err;
}

/* out = md(a || b); *out_len = the digest length. */
static atea_err hash2(const EVP_MD *md, const uint8_t *a, size_t a_len, const uint8_t *b,
                      size_t b_len, uint8_t *out, size_t *out_len)
{
    atea_err err = ATEA_OK;
    unsigned int n = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    ATEA_ENSURE_ALLOC(ctx);
    ATEA_ENSURE(EVP_DigestInit_ex(ctx, md, NULL) == 1 && EVP_DigestUpdate(ctx, a, a_len) == 1 &&
                    (b_len == 0 || EVP_DigestUpdate(ctx, b, b_len) == 1) &&
                    EVP_DigestFinal_ex(ctx, out, &n) == 1,
                ATEA_ERR_BINDER_HASH);
    *out_len = n;
out:
    EVP_MD_CTX_free(ctx);
    return err;
}

atea_err atea_binder_from_exported(atea_hash hash, const atea_binder_profile *profile,
                                   const uint8_t *exported, size_t exported_len,
                                   const uint8_t *spki, size_t spki_len, atea_binding *out)
{
    atea_err err = ATEA_OK;
    const EVP_MD *md = NULL;
    uint8_t both[128];
    ATEA_ENSURE(exported != NULL && spki != NULL && spki_len > 0 && out != NULL,
                ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(exported_len == ATEA_BINDER_EXPORTED_LEN, ATEA_ERR_INVALID_ARG,
                    "exported value of %zu bytes, the binder takes %d", exported_len,
                    ATEA_BINDER_EXPORTED_LEN);
    ATEA_TRY(atea_binder_profile_check(profile));
    ATEA_TRY(binder_md(hash, &md));
    memset(out, 0, sizeof(*out));
    ATEA_TRY(hash2(md, spki, spki_len, exported, exported_len, out->binder, &out->binder_len));
    ATEA_TRY(hash2(md, spki, spki_len, NULL, 0, out->aik_hash, &out->aik_hash_len));
    memcpy(both, out->binder, out->binder_len);
    memcpy(both + out->binder_len, out->aik_hash, out->aik_hash_len);
    switch (profile->layout) {
    case ATEA_BINDER_LAYOUT_CONCAT:
        memcpy(out->report_data, both, ATEA_REPORT_DATA_LEN);
        break;
    case ATEA_BINDER_LAYOUT_HASHED: {
        size_t n = 0;
        ATEA_TRY(hash2(EVP_sha512(), both, out->binder_len + out->aik_hash_len, NULL, 0,
                       out->report_data, &n));
        break;
    }
    }
out:
    atea_wipe(both, sizeof(both));
    return err;
}

atea_err atea_binder_compute(const atea_tls *tls, const atea_binder_profile *profile,
                             const uint8_t *context, size_t context_len, const uint8_t *leaf_der,
                             size_t leaf_len, atea_binding *out)
{
    atea_err err = ATEA_OK;
    uint8_t exported[ATEA_BINDER_EXPORTED_LEN];
    atea_hash hash = ATEA_HASH_SHA256;
    atea_slice spki = {0};
    ATEA_ENSURE(tls != NULL && tls->ops != NULL && tls->ops->suite_hash != NULL && out != NULL,
                ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea_binder_profile_check(profile));
    ATEA_TRY(atea_cert_spki(leaf_der, leaf_len, &spki));
    ATEA_TRY(tls->ops->suite_hash(tls->impl, &hash));
    ATEA_TRY(
        atea_tls_exporter(tls, profile->label, context, context_len, exported, sizeof(exported)));
    ATEA_TRY(atea_binder_from_exported(hash, profile, exported, sizeof(exported), spki.data,
                                       spki.len, out));
out:
    atea_wipe(exported, sizeof(exported));
    return err;
}

atea_err atea_binder_check_report_data(const atea_binding *expected, atea_binder_layout layout,
                                       const uint8_t *report_data, size_t len)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(expected != NULL && report_data != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(len == ATEA_REPORT_DATA_LEN, ATEA_ERR_INVALID_ARG,
                    "report_data of %zu bytes, expected %d", len, ATEA_REPORT_DATA_LEN);
    ATEA_ENSURE(expected->binder_len > 0 && expected->binder_len <= ATEA_REPORT_DATA_LEN,
                ATEA_ERR_INVALID_ARG);
    /* Both halves are compared every time so that the time taken does not depend on where the
     * first difference is. */
    size_t split = expected->binder_len;
    int binder_ok = atea_ct_equal(expected->report_data, report_data, split);
    int rest_ok = split == ATEA_REPORT_DATA_LEN ||
                  atea_ct_equal(expected->report_data + split, report_data + split,
                                ATEA_REPORT_DATA_LEN - split);
    switch (layout) {
    case ATEA_BINDER_LAYOUT_CONCAT:
        ATEA_ENSURE_MSG(binder_ok, ATEA_ERR_BINDER_MISMATCH,
                        "report_data[0..%zu) is not the binder for this connection and request",
                        split);
        ATEA_ENSURE_MSG(rest_ok, ATEA_ERR_AIK_HASH_MISMATCH,
                        "report_data[%zu..64) is not the hash of the authenticator's key", split);
        break;
    case ATEA_BINDER_LAYOUT_HASHED:
        ATEA_ENSURE_MSG(binder_ok && rest_ok, ATEA_ERR_REPORT_DATA_MISMATCH,
                        "report_data is not SHA-512(binder || aik_hash) for this connection");
        break;
    }
    ATEA_ENSURE_MSG(layout == ATEA_BINDER_LAYOUT_CONCAT || layout == ATEA_BINDER_LAYOUT_HASHED,
                    ATEA_ERR_BINDER_PROFILE, "report_data layout %d is unknown", (int)layout);
out:
    return err;
}

/* A part that is absent (NULL) is not checked; one of another length is a mismatch. */
static int part_equal(const uint8_t *want, size_t want_len, const uint8_t *got, size_t got_len)
{
    return got == NULL || (got_len == want_len && atea_ct_equal(want, got, want_len));
}

atea_err atea_binder_check_parts(const atea_binding *expected, const uint8_t *binder,
                                 size_t binder_len, const uint8_t *aik_hash, size_t aik_hash_len)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(expected != NULL && (binder != NULL || aik_hash != NULL), ATEA_ERR_INVALID_ARG);
    int binder_ok = part_equal(expected->binder, expected->binder_len, binder, binder_len);
    int aik_ok = part_equal(expected->aik_hash, expected->aik_hash_len, aik_hash, aik_hash_len);
    ATEA_ENSURE_MSG(binder_ok, ATEA_ERR_BINDER_MISMATCH,
                    "the evidence's %zu-byte nonce is not the binder for this connection",
                    binder_len);
    ATEA_ENSURE_MSG(aik_ok, ATEA_ERR_AIK_HASH_MISMATCH,
                    "the evidence's aik_hash is not the hash of the authenticator's key");
out:
    return err;
}

atea_err atea_binder_check_context(const uint8_t *sent, size_t sent_len, const uint8_t *presented,
                                   size_t presented_len)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE((sent != NULL || sent_len == 0) && (presented != NULL || presented_len == 0),
                ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(sent_len == presented_len && atea_ct_equal(sent, presented, sent_len),
                    ATEA_ERR_CONTEXT_MISMATCH,
                    "authenticator for a %zu-byte context that is not the %zu-byte one we sent",
                    presented_len, sent_len);
out:
    return err;
}
