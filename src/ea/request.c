/* Making and taking in authenticator requests (RFC 9261 §4, §7.1). */
#include <string.h>

#include "core/check.h"
#include "ea/ea_internal.h"
#include "ea/sigscheme.h"

/* expat §"Negotiation": a requester signals support with an EMPTY cmw_attestation; evidence
 * travels only in the answer's Certificate. A request carrying data in it is malformed, whether
 * received or about to be built (atea never sends what it would refuse). */
static atea_err check_request_cmw(const atea_ea *ea, const atea_ea_ext *ext, size_t n)
{
    atea_err err = ATEA_OK;
    const atea_ea_ext *cmw = atea_ea_exts_find(ext, n, ea->opts.cmw_ext_type);
    ATEA_ENSURE_MSG(cmw == NULL || cmw->data.len == 0, ATEA_ERR_EA_BAD_CMW,
                    "the request's cmw_attestation (0x%04x) carries %zu bytes; in a request it "
                    "must be empty (it only signals that attestation is accepted)",
                    ea->opts.cmw_ext_type, cmw != NULL ? cmw->data.len : 0);
out:
    return err;
}

atea_err atea_ea_parse_request(const atea_ea *ea, atea_tls_role sender, const uint8_t *msg,
                               size_t len, atea_ea_req *req)
{
    atea_err err = ATEA_OK;
    uint8_t want = atea_ea_request_type(sender);
    ATEA_ENSURE(msg != NULL || len == 0, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(len <= ea->opts.max_message, ATEA_ERR_EA_MESSAGE_TOO_LARGE,
                    "a %zu-byte request exceeds max_message (%zu)", len, ea->opts.max_message);
    ATEA_TRY(atea_ea_req_parse(msg, len, req));
    /* A server's request is a CertificateRequest, a client's a ClientCertificateRequest. */
    ATEA_ENSURE_MSG(req->hs.type == want, ATEA_ERR_EA_WRONG_DIRECTION,
                    "a %s came from the %s; a %s sends %s (%u)", atea_ea_hs_name(req->hs.type),
                    sender == ATEA_TLS_SERVER ? "server" : "client",
                    sender == ATEA_TLS_SERVER ? "server" : "client", atea_ea_hs_name(want), want);
    ATEA_TRY(check_request_cmw(ea, req->exts.ext, req->exts.n));
out:
    return err;
}

atea_err atea_ea_request_parse(const atea_ea *ea, const uint8_t *request, size_t len,
                               atea_ea_request_info *info)
{
    atea_err err = ATEA_OK;
    atea_tls_role role = ATEA_TLS_CLIENT;
    atea_ea_req req;
    ATEA_ENSURE(ea != NULL && info != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea_ea_ready(ea, &role));
    ATEA_TRY(atea_ea_parse_request(ea, role == ATEA_TLS_SERVER ? ATEA_TLS_CLIENT : ATEA_TLS_SERVER,
                                   request, len, &req));
    memset(info, 0, sizeof(*info));
    info->msg_type = req.hs.type;
    info->context = req.context;
    info->wants_cmw = atea_ea_exts_find(req.exts.ext, req.exts.n, ea->opts.cmw_ext_type) != NULL;
    info->n_sigalgs = req.n_sigalgs;
    memcpy(info->sigalgs, req.sigalgs, req.n_sigalgs * sizeof(req.sigalgs[0]));
    info->n_extensions = req.exts.n;
    memcpy(info->extensions, req.exts.ext, req.exts.n * sizeof(req.exts.ext[0]));
out:
    return err;
}

/* The caller's schemes (or atea's defaults), each valid in TLS 1.3 (RFC 9261 §5.2.2: never
 * offer RSASSA-PKCS1-v1_5, profile.md §1). */
static atea_err request_sigalgs(const atea_ea_request_params *params, const uint16_t **list,
                                size_t *n)
{
    atea_err err = ATEA_OK;
    const atea_ea_scheme *s = NULL;
    *list = atea_ea_default_sigalgs;
    *n = atea_ea_n_default_sigalgs;
    if (params != NULL && params->sigalgs != NULL) {
        *list = params->sigalgs;
        *n = params->n_sigalgs;
    }
    ATEA_ENSURE_MSG(*n >= 1 && *n <= ATEA_TLS_MAX_SIGALGS, ATEA_ERR_INVALID_ARG,
                    "%zu signature schemes; a request needs 1..%u", *n, ATEA_TLS_MAX_SIGALGS);
    for (size_t i = 0; i < *n; i++) {
        ATEA_TRY(atea_ea_scheme_require_tls13((*list)[i], &s));
    }
out:
    return err;
}

atea_err atea_ea_request(atea_ea *ea, const atea_ea_request_params *params, atea_buf *request)
{
    atea_err err = ATEA_OK;
    atea_tls_role role = ATEA_TLS_CLIENT;
    atea_wr wr = {0};
    const uint16_t *sigalgs = NULL;
    size_t n_sigalgs = 0;
    atea_ea_ext exts[ATEA_EA_MAX_EXTENSIONS];
    size_t n_exts = params != NULL ? params->n_extensions : 0;
    uint8_t ctx[ATEA_EA_CONTEXT_LEN];
    atea_slice context = {ctx, sizeof(ctx)};
    ATEA_ENSURE(ea != NULL && request != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE(n_exts == 0 || params->extensions != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea_ea_ready(ea, &role));
    ATEA_TRY(request_sigalgs(params, &sigalgs, &n_sigalgs));
    /* Room for signature_algorithms and cmw_attestation besides the caller's. */
    ATEA_ENSURE_MSG(n_exts + 2 <= ATEA_EA_MAX_EXTENSIONS, ATEA_ERR_EA_TOO_MANY_EXTENSIONS,
                    "%zu caller extensions; at most %u fit", n_exts, ATEA_EA_MAX_EXTENSIONS - 2);
    for (size_t i = 0; i < n_exts; i++) {
        exts[i] = params->extensions[i];
    }
    if (params != NULL && params->want_cmw) {
        /* "an empty cmw_attestation extension" signals support (expat §3.3). */
        exts[n_exts].type = ea->opts.cmw_ext_type;
        exts[n_exts].data.data = NULL;
        exts[n_exts].data.len = 0;
        n_exts++;
    }
    ATEA_TRY(check_request_cmw(ea, exts, n_exts));
    ATEA_TRY(atea_ea_fresh_context(ea, ctx));
    ATEA_TRY(atea_wr_init_growable(&wr, ea->opts.max_message < 128 ? ea->opts.max_message : 128,
                                   ea->opts.max_message));
    ATEA_TRY(atea_ea_sized(atea_ea_req_write(&wr, atea_ea_request_type(role), context, sigalgs,
                                             n_sigalgs, exts, n_exts),
                           ea->opts.max_message));
    ATEA_TRY(atea_ea_ctx_add(ea, ATEA_EA_CTX_SENT_REQUEST, context,
                             (atea_slice){atea_wr_data(&wr), atea_wr_len(&wr)}, NULL));
    ATEA_TRY(atea_wr_take(&wr, request));
out:
    atea_wr_dispose(&wr);
    return err;
}
