/*
 * Building authenticators (RFC 9261 §5.2, §6): answers to the peer's requests, refusals (empty
 * authenticators) and spontaneous server authenticators.
 *
 *   Certificate       = 0b | len24 | context<0..255> | certificate_list<0..2^24-1>
 *   CertificateVerify = 0f | len24 | scheme(2) | signature<0..2^16-1>, signed over
 *                       0x20 x 64 || "Exported Authenticator" || 00 || Hash(HC || request || Cert)
 *   Finished          = 14 | len24 | HMAC(FK, Hash(HC || request || Cert || CertificateVerify))
 *
 * HC and FK are exported with the labels of this side, the sender (§5.1).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "core/check.h"
#include "ea/ea_internal.h"
#include "ea/sigscheme.h"

atea_err atea_ea_build_authenticator(const atea_ea_build *b, atea_buf *out)
{
    atea_err err = ATEA_OK;
    atea_wr wr = {0};
    atea_buf sig = {0};
    const atea_ea_scheme *scheme = atea_ea_scheme_find(b->scheme);
    uint8_t th[ATEA_HASH_MAX_LEN];
    uint8_t content[ATEA_EA_CV_CONTENT_MAX];
    uint8_t mac[ATEA_HASH_MAX_LEN];
    size_t content_len = 0;
    size_t cert_len = 0;
    size_t len = b->keys->len;
    ATEA_ENSURE_MSG(scheme != NULL, ATEA_ERR_EA_SCHEME_INVALID, "scheme 0x%04x", b->scheme);
    ATEA_TRY(
        atea_wr_init_growable(&wr, b->max_message < 1024 ? b->max_message : 1024, b->max_message));
    ATEA_TRY(
        atea_ea_sized(atea_ea_cert_write(&wr, b->context, b->certs, b->n_certs), b->max_message));
    cert_len = atea_wr_len(&wr);

    atea_slice signed_parts[2] = {b->request, {atea_wr_data(&wr), cert_len}};
    ATEA_TRY(atea_ea_transcript_hash(b->keys, signed_parts, 2, th));
    atea_ea_cv_content(th, len, content, &content_len);
    ATEA_TRY(atea_ea_scheme_sign(scheme, b->key, content, content_len, &sig));
    ATEA_TRY(atea_ea_sized(atea_ea_cv_write(&wr, b->scheme, sig.data, sig.len), b->max_message));

    /* Slices taken after the last growth: the writer may have moved its buffer. */
    atea_slice mac_parts[3] = {b->request,
                               {atea_wr_data(&wr), cert_len},
                               {atea_wr_data(&wr) + cert_len, atea_wr_len(&wr) - cert_len}};
    ATEA_TRY(atea_ea_finished_mac(b->keys, mac_parts, 3, mac));
    ATEA_TRY(atea_ea_sized(atea_ea_fin_write(&wr, mac, len), b->max_message));
    ATEA_TRY(atea_wr_take(&wr, out));
out:
    atea_wipe(mac, sizeof(mac));
    atea_buf_free(&sig);
    atea_wr_dispose(&wr);
    return err;
}

atea_err atea_ea_build_empty(const atea_ea_keys *keys, atea_slice request, atea_slice context,
                             atea_buf *out)
{
    atea_err err = ATEA_OK;
    uint8_t mac[ATEA_HASH_MAX_LEN];
    uint8_t msg[ATEA_EA_HS_HEADER_LEN + ATEA_HASH_MAX_LEN];
    atea_wr wr;
    atea_wr_init_fixed(&wr, msg, sizeof(msg));
    ATEA_TRY(atea_ea_empty_mac(keys, request, context, mac));
    ATEA_TRY(atea_ea_fin_write(&wr, mac, keys->len));
    ATEA_TRY(atea_buf_set(out, atea_wr_data(&wr), atea_wr_len(&wr)));
out:
    atea_wipe(mac, sizeof(mac));
    return err;
}

atea_err atea_ea_cert_decode(atea_slice der, size_t index, X509 **px)
{
    atea_err err = ATEA_OK;
    const unsigned char *p = der.data;
    X509 *x = d2i_X509(NULL, &p, (long)der.len);
    ATEA_ENSURE_MSG(x != NULL, ATEA_ERR_EA_BAD_CERT,
                    "certificate %zu (%zu bytes) is not a DER X.509 certificate", index, der.len);
    ATEA_ENSURE_MSG(p == der.data + der.len, ATEA_ERR_EA_BAD_CERT,
                    "certificate %zu has %zu bytes after its DER encoding", index,
                    (size_t)(der.data + der.len - p));
    *px = x;
    x = NULL;
out:
    X509_free(x);
    return err;
}

/* The chain as written: the caller's entries, with cmw_attestation = uint16 length || CMW
 * appended to the first entry's extensions (profile.md §2). */
typedef struct chain_out {
    atea_ea_cert_in *certs;
    atea_ea_ext first[ATEA_EA_MAX_EXTENSIONS];
    uint8_t *cmw_ext;
} chain_out;

static void chain_out_dispose(chain_out *c)
{
    free(c->certs);
    free(c->cmw_ext);
}

static atea_err chain_prepare(const atea_ea *ea, const atea_ea_credential *cred, chain_out *c)
{
    atea_err err = ATEA_OK;
    const atea_ea_cert_in *leaf = &cred->chain[0];
    size_t n = leaf->n_extensions;
    ATEA_ENSURE_MSG(cred->cmw.len <= 0xffff - 2 && (cred->cmw.data != NULL || cred->cmw.len == 0),
                    ATEA_ERR_EA_BAD_CMW,
                    "a CMW of %zu bytes does not fit cmw_attestation "
                    "(at most 65533)",
                    cred->cmw.len);
    ATEA_ENSURE(leaf->extensions != NULL || n == 0, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(n + (cred->cmw.len > 0) <= ATEA_EA_MAX_EXTENSIONS,
                    ATEA_ERR_EA_TOO_MANY_EXTENSIONS, "%zu extensions on the end-entity entry", n);
    c->certs = calloc(cred->n_chain, sizeof(*c->certs));
    ATEA_ENSURE_ALLOC(c->certs);
    memcpy(c->certs, cred->chain, cred->n_chain * sizeof(*c->certs));
    for (size_t i = 0; i < n; i++) {
        c->first[i] = leaf->extensions[i];
    }
    if (cred->cmw.len > 0) {
        c->cmw_ext = malloc(2 + cred->cmw.len);
        ATEA_ENSURE_ALLOC(c->cmw_ext);
        c->cmw_ext[0] = (uint8_t)(cred->cmw.len >> 8);
        c->cmw_ext[1] = (uint8_t)cred->cmw.len;
        memcpy(c->cmw_ext + 2, cred->cmw.data, cred->cmw.len);
        c->first[n].type = ea->opts.cmw_ext_type;
        c->first[n].data.data = c->cmw_ext;
        c->first[n].data.len = 2 + cred->cmw.len;
        n++;
    }
    c->certs[0].extensions = c->first;
    c->certs[0].n_extensions = n;
out:
    return err;
}

/* Check the credential against what was offered, choose the scheme and build. */
static atea_err build_from_cred(const atea_ea *ea, const atea_ea_keys *keys,
                                const atea_ea_offer *offer, atea_slice request, atea_slice context,
                                const atea_ea_credential *cred, atea_buf *out)
{
    atea_err err = ATEA_OK;
    chain_out chain = {0};
    atea_slice cmw = {0};
    atea_ea_build b = {0};
    ATEA_ENSURE(cred != NULL && cred->key != NULL && (cred->chain != NULL || cred->n_chain == 0),
                ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(cred->n_chain >= 1, ATEA_ERR_EA_EMPTY_CERT_LIST,
                    "the credential has no certificate; atea_ea_refuse declines a request");
    ATEA_ENSURE_MSG(cred->n_chain <= ea->opts.max_certs, ATEA_ERR_EA_TOO_MANY_CERTS,
                    "the chain has %zu certificates; max_certs is %zu", cred->n_chain,
                    ea->opts.max_certs);
    ATEA_TRY(chain_prepare(ea, cred, &chain));
    for (size_t i = 0; i < cred->n_chain; i++) {
        ATEA_ENSURE(chain.certs[i].extensions != NULL || chain.certs[i].n_extensions == 0,
                    ATEA_ERR_INVALID_ARG);
        ATEA_TRY(atea_ea_exts_check(chain.certs[i].extensions, chain.certs[i].n_extensions,
                                    ATEA_EA_IN_CERTIFICATE));
        ATEA_TRY(atea_ea_offer_check_exts(offer, ea->opts.cmw_ext_type, i,
                                          chain.certs[i].extensions, chain.certs[i].n_extensions,
                                          &cmw));
    }
    /* Compared without decoding the leaf (spki.c): d2i_X509 is most of an authenticate. */
    ATEA_TRY(atea_ea_key_matches_cert(cred->key, chain.certs[0].der));
    b.keys = keys;
    b.request = request;
    b.context = context;
    b.certs = chain.certs;
    b.n_certs = cred->n_chain;
    b.key = cred->key;
    b.max_message = ea->opts.max_message;
    ATEA_TRY(atea_ea_offer_choose_scheme(offer, cred->key, &b.scheme));
    ATEA_TRY(atea_ea_build_authenticator(&b, out));
out:
    chain_out_dispose(&chain);
    return err;
}

/* Take in the peer's request: its type must be the peer's, and its context new or the very
 * request already taken in but not yet answered (§5.2: "If the peer ... has already created ...
 * an authenticator with the same value, then no authenticator should be constructed"). */
static atea_err accept_request(atea_ea *ea, atea_tls_role role, const uint8_t *msg, size_t len,
                               atea_ea_req *req, atea_ea_ctx_entry **pentry)
{
    atea_err err = ATEA_OK;
    atea_ea_ctx_entry *e = NULL;
    atea_tls_role peer = role == ATEA_TLS_SERVER ? ATEA_TLS_CLIENT : ATEA_TLS_SERVER;
    ATEA_TRY(atea_ea_parse_request(ea, peer, msg, len, req));
    e = atea_ea_ctx_find(ea, req->context);
    if (e == NULL) {
        ATEA_TRY(atea_ea_ctx_add(ea, ATEA_EA_CTX_RECEIVED_REQUEST, req->context, req->hs.raw, &e));
    } else {
        ATEA_ENSURE_MSG(e->origin == ATEA_EA_CTX_RECEIVED_REQUEST &&
                            atea_ea_slice_eq(req->hs.raw, e->request.data, e->request.len),
                        ATEA_ERR_EA_CONTEXT_REUSED,
                        "the peer's %s reuses a certificate_request_context already used on "
                        "this connection",
                        atea_ea_hs_name(req->hs.type));
        ATEA_ENSURE_MSG(!e->done, ATEA_ERR_EA_CONTEXT_ANSWERED,
                        "this request was already answered on this connection");
    }
    *pentry = e;
out:
    return err;
}

atea_err atea_ea_authenticate(atea_ea *ea, const uint8_t *request, size_t request_len,
                              const atea_ea_credential *cred, atea_buf *authenticator)
{
    atea_err err = ATEA_OK;
    atea_tls_role role = ATEA_TLS_CLIENT;
    atea_ea_req req;
    atea_ea_offer offer;
    atea_ea_keys keys = {0};
    atea_ea_ctx_entry *entry = NULL;
    ATEA_ENSURE(request != NULL && authenticator != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea_ea_ready(ea, &role));
    ATEA_TRY(accept_request(ea, role, request, request_len, &req, &entry));
    atea_ea_offer_from_req(&req, &offer);
    ATEA_TRY(atea_ea_keys_derive(&ea->tls, role, &keys));
    ATEA_TRY(build_from_cred(ea, &keys, &offer, req.hs.raw, req.context, cred, authenticator));
    entry->done = 1;
    atea_logf(&ea->opts.log, ATEA_LOG_DEBUG, "ea: answered a %s with a %zu-byte authenticator",
              atea_ea_hs_name(req.hs.type), authenticator->len);
out:
    atea_ea_keys_wipe(&keys);
    return err;
}

atea_err atea_ea_refuse(atea_ea *ea, const uint8_t *request, size_t request_len,
                        atea_buf *authenticator)
{
    atea_err err = ATEA_OK;
    atea_tls_role role = ATEA_TLS_CLIENT;
    atea_ea_req req;
    atea_ea_keys keys = {0};
    atea_ea_ctx_entry *entry = NULL;
    ATEA_ENSURE(request != NULL && authenticator != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea_ea_ready(ea, &role));
    ATEA_TRY(accept_request(ea, role, request, request_len, &req, &entry));
    ATEA_TRY(atea_ea_keys_derive(&ea->tls, role, &keys));
    ATEA_TRY(atea_ea_build_empty(&keys, req.hs.raw, req.context, authenticator));
    entry->done = 1;
    atea_logf(&ea->opts.log, ATEA_LOG_DEBUG, "ea: refused a %s", atea_ea_hs_name(req.hs.type));
out:
    atea_ea_keys_wipe(&keys);
    return err;
}

/* What the ClientHello offered: its signature_algorithms and extension types (§5.2.1-2). */
static atea_err hello_offer(const atea_ea *ea, atea_ea_offer *offer)
{
    atea_err err = ATEA_OK;
    const atea_tls_ops *ops = ea->tls.ops;
    memset(offer, 0, sizeof(*offer));
    offer->source = "ClientHello";
    ATEA_ENSURE_MSG(ops->peer_sigalgs != NULL && ops->peer_hello_extensions != NULL,
                    ATEA_ERR_TLS_NO_OPS,
                    "a spontaneous authenticator needs the ClientHello's signature_algorithms and "
                    "extensions from the TLS adapter");
    ATEA_TRY(ops->peer_sigalgs(ea->tls.impl, offer->sigalgs, ATEA_ARRAY_LEN(offer->sigalgs),
                               &offer->n_sigalgs));
    ATEA_TRY(ops->peer_hello_extensions(ea->tls.impl, offer->ext_types,
                                        ATEA_ARRAY_LEN(offer->ext_types), &offer->n_ext_types));
    ATEA_ENSURE(offer->n_sigalgs <= ATEA_ARRAY_LEN(offer->sigalgs) &&
                    offer->n_ext_types <= ATEA_ARRAY_LEN(offer->ext_types),
                ATEA_ERR_INTERNAL);
out:
    return err;
}

atea_err atea_ea_authenticate_spontaneous(atea_ea *ea, const atea_ea_credential *cred,
                                          atea_buf *authenticator)
{
    atea_err err = ATEA_OK;
    atea_tls_role role = ATEA_TLS_CLIENT;
    atea_ea_offer offer;
    atea_ea_keys keys = {0};
    uint8_t ctx[ATEA_EA_CONTEXT_LEN];
    atea_slice context = {ctx, sizeof(ctx)};
    atea_slice no_request = {NULL, 0};
    atea_ea_ctx_entry *entry = NULL;
    ATEA_ENSURE(authenticator != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea_ea_ready(ea, &role));
    /* "Only servers can provide an authenticator without a corresponding request" (§5.2). */
    ATEA_ENSURE_MSG(role == ATEA_TLS_SERVER, ATEA_ERR_EA_NOT_SERVER,
                    "this side is the TLS client; a client answers requests only");
    ATEA_TRY(hello_offer(ea, &offer));
    ATEA_TRY(atea_ea_fresh_context(ea, ctx));
    /* Remembered before building: a context is burnt even if building fails. */
    ATEA_TRY(atea_ea_ctx_add(ea, ATEA_EA_CTX_SENT_SPONTANEOUS, context, no_request, &entry));
    entry->done = 1;
    ATEA_TRY(atea_ea_keys_derive(&ea->tls, role, &keys));
    ATEA_TRY(build_from_cred(ea, &keys, &offer, no_request, context, cred, authenticator));
out:
    atea_ea_keys_wipe(&keys);
    return err;
}
