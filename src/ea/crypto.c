/* RFC 9261 §5.1-§5.2.3 and §6 over libcrypto: exporter values, transcript hash, CertificateVerify
 * content and Finished MAC. */
#include "ea/crypto.h"

#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "core/check.h"
#include "ea/msg.h"

static const char *const label_hc[2] = {
    [ATEA_TLS_CLIENT] = "EXPORTER-client authenticator handshake context",
    [ATEA_TLS_SERVER] = "EXPORTER-server authenticator handshake context",
};
static const char *const label_fk[2] = {
    [ATEA_TLS_CLIENT] = "EXPORTER-client authenticator finished key",
    [ATEA_TLS_SERVER] = "EXPORTER-server authenticator finished key",
};

/* The context string of an Exported Authenticator signature (§5.2.2), not NUL-terminated. */
static const char cv_context[] = "Exported Authenticator";

const char *atea_ea_digest_name(atea_hash hash)
{
    switch (hash) {
    case ATEA_HASH_SHA256:
        return "SHA256";
    case ATEA_HASH_SHA384:
        return "SHA384";
    case ATEA_HASH_SHA512:
        return "SHA512";
    }
    return NULL;
}

atea_err atea_ea_keys_set(atea_hash hash, const uint8_t *hc, const uint8_t *fk, size_t len,
                          atea_ea_keys *keys)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(hc != NULL && fk != NULL && keys != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE(len > 0 && len == atea_hash_len(hash), ATEA_ERR_INVALID_ARG);
    keys->hash = hash;
    keys->len = len;
    memcpy(keys->hc, hc, len);
    memcpy(keys->fk, fk, len);
out:
    return err;
}

atea_err atea_ea_keys_derive(const atea_tls *tls, atea_tls_role sender, atea_ea_keys *keys)
{
    atea_err err = ATEA_OK;
    atea_hash hash = ATEA_HASH_SHA256;
    ATEA_ENSURE(tls != NULL && tls->ops != NULL && keys != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE(sender == ATEA_TLS_CLIENT || sender == ATEA_TLS_SERVER, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(tls->ops->suite_hash != NULL, ATEA_ERR_TLS_NO_OPS,
                    "the TLS adapter has no suite_hash operation");
    ATEA_TRY(tls->ops->suite_hash(tls->impl, &hash));
    keys->hash = hash;
    keys->len = atea_hash_len(hash);
    ATEA_ENSURE_MSG(keys->len > 0, ATEA_ERR_TLS_UNKNOWN_SUITE, "suite hash id %d", (int)hash);
    /* "The context_value used for the exporter is empty (zero length) for all four values" and
     * the length is the authenticator hash's (§5.1). */
    ATEA_TRY(atea_tls_exporter(tls, label_hc[sender], NULL, 0, keys->hc, keys->len));
    ATEA_TRY(atea_tls_exporter(tls, label_fk[sender], NULL, 0, keys->fk, keys->len));
out:
    if (err != ATEA_OK && keys != NULL) {
        atea_ea_keys_wipe(keys);
    }
    return err;
}

void atea_ea_keys_wipe(atea_ea_keys *keys)
{
    atea_wipe(keys, sizeof(*keys));
}

atea_err atea_ea_transcript_hash(const atea_ea_keys *keys, const atea_slice *parts, size_t n,
                                 uint8_t *out)
{
    atea_err err = ATEA_OK;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned int out_len = 0;
    int ok = 0;
    ATEA_ENSURE_ALLOC(md);
    ok = EVP_DigestInit_ex2(md, EVP_get_digestbyname(atea_ea_digest_name(keys->hash)), NULL) == 1 &&
         EVP_DigestUpdate(md, keys->hc, keys->len) == 1;
    for (size_t i = 0; ok && i < n; i++) {
        ok = parts[i].len == 0 || EVP_DigestUpdate(md, parts[i].data, parts[i].len) == 1;
    }
    ok = ok && EVP_DigestFinal_ex(md, out, &out_len) == 1 && out_len == keys->len;
    ATEA_ENSURE_MSG(ok, ATEA_ERR_EA_CRYPTO, "%s of the authenticator transcript failed",
                    atea_ea_digest_name(keys->hash));
out:
    EVP_MD_CTX_free(md);
    ERR_clear_error();
    return err;
}

void atea_ea_cv_content(const uint8_t *transcript_hash, size_t hash_len,
                        uint8_t out[ATEA_EA_CV_CONTENT_MAX], size_t *out_len)
{
    size_t n = 0;
    memset(out, 0x20, 64);
    n += 64;
    memcpy(out + n, cv_context, sizeof(cv_context) - 1);
    n += sizeof(cv_context) - 1;
    out[n++] = 0x00;
    memcpy(out + n, transcript_hash, hash_len);
    n += hash_len;
    *out_len = n;
}

atea_err atea_ea_finished_mac(const atea_ea_keys *keys, const atea_slice *parts, size_t n,
                              uint8_t *out)
{
    atea_err err = ATEA_OK;
    uint8_t th[ATEA_HASH_MAX_LEN];
    size_t mac_len = 0;
    ATEA_TRY(atea_ea_transcript_hash(keys, parts, n, th));
    ATEA_ENSURE_MSG(EVP_Q_mac(NULL, "HMAC", NULL, atea_ea_digest_name(keys->hash), NULL, keys->fk,
                              keys->len, th, keys->len, out, keys->len, &mac_len) != NULL &&
                        mac_len == keys->len,
                    ATEA_ERR_EA_CRYPTO, "HMAC-%s of the authenticator transcript failed",
                    atea_ea_digest_name(keys->hash));
out:
    atea_wipe(th, sizeof(th));
    ERR_clear_error();
    return err;
}

atea_err atea_ea_empty_mac(const atea_ea_keys *keys, atea_slice request, atea_slice context,
                           uint8_t *out)
{
    atea_err err = ATEA_OK;
    /* Handshake header, context<0..255>, empty certificate_list<0..2^24-1>. */
    uint8_t cert[ATEA_EA_HS_HEADER_LEN + 1 + ATEA_EA_MAX_CONTEXT_LEN + 3];
    atea_wr wr;
    atea_wr_init_fixed(&wr, cert, sizeof(cert));
    ATEA_TRY(atea_ea_cert_write(&wr, context, NULL, 0));
    atea_slice parts[2] = {request, {atea_wr_data(&wr), atea_wr_len(&wr)}};
    ATEA_TRY(atea_ea_finished_mac(keys, parts, 2, out));
out:
    return err;
}
