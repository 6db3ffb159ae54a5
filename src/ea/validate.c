/*
 * Validating the peer's authenticator (RFC 9261 §5.2.4, §6, §7.4), in the order of specs.md
 * §2.11:
 *   1. connection: TLS 1.3, handshake complete (server: client Finished verified, §9);
 *   2. a lone Finished is an empty authenticator: MAC checked, result ATEA_ERR_EA_REFUSED;
 *   3. otherwise exactly Certificate || CertificateVerify || Finished, nothing after;
 *   4. the context answers an open request of ours (or, on a client, is a fresh spontaneous one);
 *   5. a non-empty certificate_list whose extensions were all offered (cmw_attestation first
 *      entry only);
 *   6. the scheme is TLS 1.3-valid, offered, and fits the leaf key;
 *   7. the signature over 0x20 x 64 || "Exported Authenticator" || 00 || Hash(HC || req || Cert);
 *   8. the Finished MAC, compared in constant time;
 *   9. optionally PKIX, and only then the identity goes to the caller.
 * HC and FK are exported with the PEER's labels: the peer sent the authenticator.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "core/check.h"
#include "ea/ea_internal.h"
#include "ea/sigscheme.h"

typedef struct resolved {
    int has_request;
    atea_ea_req req;
    atea_ea_ctx_entry *entry; /* our request being answered; NULL: spontaneous */
} resolved;

/* The caller named the request it sent: it must be ours, open, and of our type. */
static atea_err resolve_given(atea_ea *ea, atea_tls_role role, const atea_ea_validate_params *p,
                              resolved *r)
{
    atea_err err = ATEA_OK;
    atea_ea_ctx_entry *e = NULL;
    ATEA_TRY(atea_ea_parse_request(ea, role, p->request, p->request_len, &r->req));
    e = atea_ea_ctx_find(ea, r->req.context);
    ATEA_ENSURE_MSG(e != NULL && e->origin == ATEA_EA_CTX_SENT_REQUEST &&
                        atea_ea_slice_eq(r->req.hs.raw, e->request.data, e->request.len),
                    ATEA_ERR_EA_UNKNOWN_CONTEXT,
                    "the %s given to validate against was not sent on this connection",
                    atea_ea_hs_name(r->req.hs.type));
    ATEA_ENSURE_MSG(!e->done, ATEA_ERR_EA_CONTEXT_ANSWERED,
                    "an authenticator for this request was already validated (replay)");
    r->has_request = 1;
    r->entry = e;
out:
    return err;
}

/* Our requests still waiting for an answer. */
static size_t open_requests(const atea_ea *ea)
{
    size_t n = 0;
    for (size_t i = 0; i < ea->n_ctxs; i++) {
        n += ea->ctxs[i].origin == ATEA_EA_CTX_SENT_REQUEST && !ea->ctxs[i].done;
    }
    return n;
}

/* Find what the authenticator's context answers. */
static atea_err resolve_by_context(atea_ea *ea, atea_tls_role role, atea_slice ctx, resolved *r)
{
    atea_err err = ATEA_OK;
    atea_ea_ctx_entry *e = atea_ea_ctx_find(ea, ctx);
    r->has_request = 0;
    r->entry = NULL;
    if (e == NULL) {
        /* "Clients MUST NOT send an authenticator without a preceding authenticator request"
         * (§3): only a client may receive a spontaneous authenticator. */
        ATEA_ENSURE_MSG(role == ATEA_TLS_CLIENT || open_requests(ea) > 0, ATEA_ERR_EA_UNSOLICITED,
                        "the client sent an authenticator but this server has no open request");
        ATEA_ENSURE_MSG(role == ATEA_TLS_CLIENT, ATEA_ERR_EA_UNKNOWN_CONTEXT,
                        "the client's authenticator has a %zu-byte context that matches none of "
                        "the %zu open requests of this server",
                        ctx.len, open_requests(ea));
        goto out;
    }
    switch (e->origin) {
    case ATEA_EA_CTX_SENT_REQUEST:
        ATEA_ENSURE_MSG(!e->done, ATEA_ERR_EA_CONTEXT_ANSWERED,
                        "an authenticator for this request was already validated (replay)");
        ATEA_TRY(atea_ea_req_parse(e->request.data, e->request.len, &r->req));
        r->has_request = 1;
        r->entry = e;
        break;
    case ATEA_EA_CTX_RECEIVED_SPONTANEOUS:
        ATEA_FAIL(ATEA_ERR_EA_CONTEXT_ANSWERED,
                  "a spontaneous authenticator with this context was already validated (replay)");
    case ATEA_EA_CTX_RECEIVED_REQUEST:
    case ATEA_EA_CTX_SENT_SPONTANEOUS:
        ATEA_FAIL(ATEA_ERR_EA_CONTEXT_REUSED,
                  "the authenticator's context was used by %s on this connection",
                  e->origin == ATEA_EA_CTX_RECEIVED_REQUEST ? "a request from the peer"
                                                            : "our own spontaneous authenticator");
    }
out:
    return err;
}

/* What the authenticator may carry (§5.2.1, §5.2.2). */
static atea_err make_offer(const atea_ea_validate_params *p, const resolved *r,
                           atea_ea_offer *offer)
{
    atea_err err = ATEA_OK;
    if (r->has_request) {
        atea_ea_offer_from_req(&r->req, offer);
        goto out;
    }
    /* Spontaneous: the ClientHello was ours. Any TLS 1.3 scheme atea would offer passes; only
     * the extension types the caller says its ClientHello had may appear. */
    memset(offer, 0, sizeof(*offer));
    offer->any_scheme = 1;
    offer->source = "ClientHello";
    ATEA_ENSURE_MSG(p->n_hello_extensions <= ATEA_ARRAY_LEN(offer->ext_types) &&
                        (p->hello_extensions != NULL || p->n_hello_extensions == 0),
                    ATEA_ERR_INVALID_ARG, "%zu hello_extensions; at most %zu",
                    p->n_hello_extensions, ATEA_ARRAY_LEN(offer->ext_types));
    offer->n_ext_types = p->n_hello_extensions;
    for (size_t i = 0; i < p->n_hello_extensions; i++) {
        offer->ext_types[i] = p->hello_extensions[i];
    }
out:
    return err;
}

/* Steps 6-8 (the scheme already checked against the offer): the scheme fits leaf_key, the key of
 * cert's leaf; the signature; the Finished. */
static atea_err check_proof(const atea_ea_keys *keys, atea_slice req, const atea_ea_cert_msg *cert,
                            const atea_ea_cv_msg *cv, atea_slice verify_data, EVP_PKEY *leaf_key)
{
    atea_err err = ATEA_OK;
    const atea_ea_scheme *scheme = NULL;
    uint8_t th[ATEA_HASH_MAX_LEN];
    uint8_t content[ATEA_EA_CV_CONTENT_MAX];
    uint8_t mac[ATEA_HASH_MAX_LEN];
    size_t content_len = 0;
    scheme = atea_ea_scheme_find(cv->scheme);
    ATEA_TRY(atea_ea_scheme_fits_key(scheme, leaf_key));
    atea_slice signed_parts[2] = {req, cert->hs.raw};
    ATEA_TRY(atea_ea_transcript_hash(keys, signed_parts, 2, th));
    atea_ea_cv_content(th, keys->len, content, &content_len);
    ATEA_TRY(atea_ea_scheme_verify(scheme, leaf_key, content, content_len, cv->signature.data,
                                   cv->signature.len));
    atea_slice mac_parts[3] = {req, cert->hs.raw, cv->hs.raw};
    ATEA_TRY(atea_ea_finished_mac(keys, mac_parts, 3, mac));
    ATEA_ENSURE_MSG(atea_ct_equal(mac, verify_data.data, keys->len), ATEA_ERR_EA_BAD_FINISHED,
                    "the Finished MAC differs from HMAC(finished key, transcript hash) of this "
                    "connection");
out:
    atea_wipe(mac, sizeof(mac));
    return err;
}

/* Rule 10: the leaf, and its key for the signature. With PKIX the leaf is decoded once, for the
 * signature and for X509_verify_cert (*pleaf). Without, the Certificate and tbsCertificate
 * structure is walked to the SubjectPublicKeyInfo and only the key is imported (*pkey): nothing
 * else of the certificate is used, and d2i_X509 is the costliest step of a validation under
 * OpenSSL 3.0 (about 1.5 M instructions for P-256, docs/BENCHMARKS.md "ea_auth"). */
static atea_err leaf_key_of(const atea_ea_cert_msg *cert, int pkix, X509 **pleaf, EVP_PKEY **pkey)
{
    atea_err err = ATEA_OK;
    atea_slice spki = {0};
    if (pkix) {
        ATEA_TRY(atea_ea_cert_decode(cert->certs[0].der, 0, pleaf));
        /* d2i_X509 decodes the key opportunistically: a certificate can decode without it. */
        ATEA_ENSURE_MSG(X509_get0_pubkey(*pleaf) != NULL, ATEA_ERR_EA_BAD_CERT,
                        "certificate 0: its subjectPublicKeyInfo is no key OpenSSL can decode");
        goto out;
    }
    ATEA_TRY(atea_ea_cert_spki(cert->certs[0].der, 0, &spki));
    ATEA_TRY(atea_ea_spki_key(spki, 0, pkey));
out:
    return err;
}

static atea_err validate_full(atea_ea *ea, atea_tls_role role, const atea_ea_validate_params *p,
                              atea_rd *rd, const atea_ea_hs *cert_hs, const atea_ea_keys *keys,
                              atea_ea_identity *id)
{
    atea_err err = ATEA_OK;
    atea_ea_hs cv_hs;
    atea_ea_hs fin_hs;
    atea_ea_cert_msg cert;
    atea_ea_cv_msg cv;
    atea_slice verify_data;
    atea_ea_offer offer;
    atea_slice cmw = {0};
    X509 *leaf = NULL;
    EVP_PKEY *leaf_key = NULL;
    resolved *r = calloc(1, sizeof(*r));
    ATEA_ENSURE_ALLOC(r);
    ATEA_ENSURE_MSG(cert_hs->type == ATEA_EA_HS_CERTIFICATE, ATEA_ERR_EA_MSG_TYPE,
                    "handshake type %u (%s) at offset 0; an authenticator is Certificate (11) || "
                    "CertificateVerify (15) || Finished (20), or a lone Finished",
                    cert_hs->type, atea_ea_hs_name(cert_hs->type));
    ATEA_TRY(atea_ea_hs_read(rd, &cv_hs));
    ATEA_ENSURE_MSG(cv_hs.type == ATEA_EA_HS_CERTIFICATE_VERIFY, ATEA_ERR_EA_MSG_TYPE,
                    "handshake type %u (%s) at offset %zu where CertificateVerify (15) belongs",
                    cv_hs.type, atea_ea_hs_name(cv_hs.type), cv_hs.offset);
    ATEA_TRY(atea_ea_hs_read(rd, &fin_hs));
    ATEA_ENSURE_MSG(fin_hs.type == ATEA_EA_HS_FINISHED, ATEA_ERR_EA_MSG_TYPE,
                    "handshake type %u (%s) at offset %zu where Finished (20) belongs", fin_hs.type,
                    atea_ea_hs_name(fin_hs.type), fin_hs.offset);
    ATEA_TRY(atea_rd_end(rd));
    id->certs = calloc(ea->opts.max_certs, sizeof(*id->certs));
    ATEA_ENSURE_ALLOC(id->certs);
    ATEA_TRY(atea_ea_cert_parse(cert_hs, id->certs, ea->opts.max_certs, &cert));
    ATEA_TRY(atea_ea_cv_parse(&cv_hs, &cv));
    ATEA_TRY(atea_ea_fin_parse(&fin_hs, keys->len, &verify_data));

    if (p->request != NULL) {
        ATEA_TRY(resolve_given(ea, role, p, r));
        ATEA_ENSURE_MSG(atea_ea_slice_eq(cert.context, r->req.context.data, r->req.context.len),
                        ATEA_ERR_EA_CONTEXT_MISMATCH,
                        "the Certificate's %zu-byte context is not the request's %zu-byte one",
                        cert.context.len, r->req.context.len);
    } else {
        ATEA_TRY(resolve_by_context(ea, role, cert.context, r));
    }
    ATEA_ENSURE_MSG(cert.n_certs >= 1, ATEA_ERR_EA_EMPTY_CERT_LIST,
                    "the Certificate at offset 0 lists no certificate but a CertificateVerify "
                    "follows (an empty authenticator is a lone Finished)");
    ATEA_TRY(make_offer(p, r, &offer));
    for (size_t i = 0; i < cert.n_certs; i++) {
        ATEA_TRY(atea_ea_offer_check_exts(&offer, ea->opts.cmw_ext_type, i,
                                          cert.certs[i].extensions, cert.certs[i].n_extensions,
                                          &cmw));
    }
    ATEA_TRY(atea_ea_offer_check_scheme(&offer, cv.scheme));
    ATEA_TRY(leaf_key_of(&cert, p->trust != NULL, &leaf, &leaf_key));
    ATEA_TRY(check_proof(keys, r->has_request ? r->req.hs.raw : (atea_slice){NULL, 0}, &cert, &cv,
                         verify_data, leaf != NULL ? X509_get0_pubkey(leaf) : leaf_key));
    if (p->trust != NULL) {
        ATEA_TRY(
            atea_ea_chain_verify(leaf, cert.certs, cert.n_certs, p->trust, p->use_time, p->time));
    }
    /* Valid: remember the context so that a replay fails (§7.4). */
    if (r->entry != NULL) {
        r->entry->done = 1;
    } else {
        atea_ea_ctx_entry *e = NULL;
        ATEA_TRY(atea_ea_ctx_add(ea, ATEA_EA_CTX_RECEIVED_SPONTANEOUS, cert.context,
                                 (atea_slice){NULL, 0}, &e));
        e->done = 1;
    }
    id->n_certs = cert.n_certs;
    id->cmw = cmw;
    id->scheme = cv.scheme;
    id->spontaneous = !r->has_request;
    id->context_len = cert.context.len;
    memcpy(id->context, cert.context.data, cert.context.len);
    atea_logf(&ea->opts.log, ATEA_LOG_DEBUG,
              "ea: validated a %s authenticator: %zu certificates, %s, CMW of %zu bytes",
              r->has_request ? "requested" : "spontaneous", cert.n_certs,
              atea_ea_scheme_name(cv.scheme), cmw.len);
out:
    EVP_PKEY_free(leaf_key);
    X509_free(leaf);
    free(r);
    return err;
}

/* §6: a lone Finished over Hash(HC || request || Certificate(context, empty list)). Without a
 * named request, every open request of ours is tried. */
static atea_err validate_empty(atea_ea *ea, atea_tls_role role, const atea_ea_validate_params *p,
                               atea_rd *rd, const atea_ea_hs *fin_hs, const atea_ea_keys *keys,
                               atea_ea_identity *id)
{
    atea_err err = ATEA_OK;
    atea_slice verify_data;
    uint8_t mac[ATEA_HASH_MAX_LEN];
    atea_ea_ctx_entry *match = NULL;
    resolved *r = calloc(1, sizeof(*r));
    ATEA_ENSURE_ALLOC(r);
    ATEA_TRY(atea_rd_end(rd));
    ATEA_TRY(atea_ea_fin_parse(fin_hs, keys->len, &verify_data));
    /* An empty authenticator always answers a request (§6). */
    ATEA_ENSURE_MSG(p->request != NULL || open_requests(ea) > 0, ATEA_ERR_EA_UNSOLICITED,
                    "an empty authenticator arrived but no request of this side is open");
    if (p->request != NULL) {
        ATEA_TRY(resolve_given(ea, role, p, r));
        ATEA_TRY(atea_ea_empty_mac(keys, r->req.hs.raw, r->req.context, mac));
        ATEA_ENSURE_MSG(atea_ct_equal(mac, verify_data.data, keys->len), ATEA_ERR_EA_BAD_FINISHED,
                        "the empty authenticator's MAC does not answer the given request on this "
                        "connection");
        match = r->entry;
    }
    for (size_t i = 0; i < ea->n_ctxs && match == NULL; i++) {
        atea_ea_ctx_entry *e = &ea->ctxs[i];
        if (e->origin != ATEA_EA_CTX_SENT_REQUEST || e->done) {
            continue;
        }
        atea_slice req = {e->request.data, e->request.len};
        atea_slice ctx = {e->ctx, e->len};
        ATEA_TRY(atea_ea_empty_mac(keys, req, ctx, mac));
        if (atea_ct_equal(mac, verify_data.data, keys->len)) {
            match = e;
        }
    }
    ATEA_ENSURE_MSG(match != NULL, ATEA_ERR_EA_BAD_FINISHED,
                    "the empty authenticator's MAC answers no open request on this connection");
    match->done = 1;
    id->refused = 1;
    id->context_len = match->len;
    memcpy(id->context, match->ctx, match->len);
    atea_logf(&ea->opts.log, ATEA_LOG_INFO, "ea: the peer refused our request");
    ATEA_FAIL(ATEA_ERR_EA_REFUSED,
              "the peer answered a %zu-byte-context request with an empty "
              "authenticator",
              match->len);
out:
    atea_wipe(mac, sizeof(mac));
    free(r);
    return err;
}

atea_err atea_ea_validate(atea_ea *ea, const atea_ea_validate_params *params,
                          const uint8_t *authenticator, size_t len, atea_ea_identity *id)
{
    atea_err err = ATEA_OK;
    const atea_ea_validate_params none = {0};
    const atea_ea_validate_params *p = params != NULL ? params : &none;
    atea_tls_role role = ATEA_TLS_CLIENT;
    atea_ea_keys keys = {0};
    atea_rd rd;
    atea_ea_hs first;
    ATEA_ENSURE(id != NULL, ATEA_ERR_INVALID_ARG);
    memset(id, 0, sizeof(*id));
    ATEA_ENSURE(ea != NULL && (authenticator != NULL || len == 0), ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE(p->request != NULL || p->request_len == 0, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea_ea_ready(ea, &role));
    ATEA_ENSURE_MSG(len <= ea->opts.max_message, ATEA_ERR_EA_MESSAGE_TOO_LARGE,
                    "a %zu-byte authenticator exceeds max_message (%zu)", len,
                    ea->opts.max_message);
    ATEA_TRY(atea_buf_set(&id->raw, authenticator, len));
    ATEA_TRY(atea_ea_keys_derive(
        &ea->tls, role == ATEA_TLS_SERVER ? ATEA_TLS_CLIENT : ATEA_TLS_SERVER, &keys));
    atea_rd_init(&rd, id->raw.data, id->raw.len);
    ATEA_TRY(atea_ea_hs_read(&rd, &first));
    if (first.type == ATEA_EA_HS_FINISHED) {
        ATEA_TRY(validate_empty(ea, role, p, &rd, &first, &keys, id));
    } else {
        ATEA_TRY(validate_full(ea, role, p, &rd, &first, &keys, id));
    }
out:
    atea_ea_keys_wipe(&keys);
    if (err != ATEA_OK && id != NULL) {
        /* A refusal keeps the flag and the context; nothing else survives a failure. */
        atea_buf_free(&id->raw);
        free(id->certs);
        id->certs = NULL;
        id->n_certs = 0;
        id->cmw = (atea_slice){NULL, 0};
    }
    return err;
}

void atea_ea_identity_dispose(atea_ea_identity *id)
{
    if (id == NULL) {
        return;
    }
    atea_buf_free(&id->raw);
    free(id->certs);
    memset(id, 0, sizeof(*id));
}
