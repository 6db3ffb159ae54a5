/* The per-connection EA state: options, the context registry and the connection checks that
 * every operation makes first. */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/rand.h>

#include "core/check.h"
#include "ea/ea_internal.h"
#include "ea/sigscheme.h"

void atea_ea_opts_default_versioned(unsigned version, atea_ea_opts *opts)
{
    if (opts == NULL) {
        return;
    }
    memset(opts, 0, sizeof(*opts));
    opts->version = version;
    opts->cmw_ext_type = ATEA_DEFAULT_CMW_EXT;
    opts->max_message = ATEA_DEFAULT_EA_MAX_MESSAGE;
    opts->max_certs = ATEA_DEFAULT_EA_MAX_CERTS;
    opts->max_contexts = ATEA_DEFAULT_EA_MAX_CONTEXTS;
}

atea_err atea_ea_new(const atea_tls *tls, const atea_ea_opts *opts, atea_ea **pea)
{
    atea_err err = ATEA_OK;
    atea_ea *ea = NULL;
    ATEA_ENSURE(tls != NULL && tls->ops != NULL && pea != NULL, ATEA_ERR_INVALID_ARG);
    ea = calloc(1, sizeof(*ea));
    ATEA_ENSURE_ALLOC(ea);
    ea->tls = *tls;
    atea_ea_opts_default(&ea->opts);
    if (opts != NULL) {
        /* Only V1 exists: nothing to lift yet. */
        ATEA_ENSURE_MSG(opts->version == ATEA_EA_OPTS_V1, ATEA_ERR_INVALID_ARG,
                        "atea_ea_opts version %u; this library knows %u", opts->version,
                        ATEA_EA_OPTS_VERSION);
        ea->opts = *opts;
    }
    /* The smallest message is an empty authenticator: 4 + 32 bytes. */
    ATEA_ENSURE_MSG(ea->opts.max_message >= 36 && ea->opts.max_message <= 0xffffff,
                    ATEA_ERR_INVALID_ARG, "max_message %zu is outside 36..16777215",
                    ea->opts.max_message);
    ATEA_ENSURE_MSG(ea->opts.max_certs >= 1 && ea->opts.max_certs <= 1024, ATEA_ERR_INVALID_ARG,
                    "max_certs %zu is outside 1..1024", ea->opts.max_certs);
    ATEA_ENSURE_MSG(ea->opts.max_contexts >= 1, ATEA_ERR_INVALID_ARG, "max_contexts is 0");
    *pea = ea;
    ea = NULL;
out:
    atea_ea_free(ea);
    return err;
}

void atea_ea_free(atea_ea *ea)
{
    if (ea == NULL) {
        return;
    }
    for (size_t i = 0; i < ea->n_ctxs; i++) {
        atea_buf_free(&ea->ctxs[i].request);
    }
    free(ea->ctxs);
    free(ea);
}

int atea_ea_slice_eq(atea_slice a, const uint8_t *b, size_t b_len)
{
    return a.len == b_len && (b_len == 0 || memcmp(a.data, b, b_len) == 0);
}

atea_ea_ctx_entry *atea_ea_ctx_find(atea_ea *ea, atea_slice ctx)
{
    for (size_t i = 0; i < ea->n_ctxs; i++) {
        if (atea_ea_slice_eq(ctx, ea->ctxs[i].ctx, ea->ctxs[i].len)) {
            return &ea->ctxs[i];
        }
    }
    return NULL;
}

atea_err atea_ea_ctx_add(atea_ea *ea, atea_ea_ctx_origin origin, atea_slice ctx, atea_slice request,
                         atea_ea_ctx_entry **pentry)
{
    atea_err err = ATEA_OK;
    atea_ea_ctx_entry *e = NULL;
    ATEA_ENSURE(ctx.len <= ATEA_EA_MAX_CONTEXT_LEN, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(ea->n_ctxs < ea->opts.max_contexts, ATEA_ERR_EA_TOO_MANY_CONTEXTS,
                    "%zu contexts already used on this connection (max_contexts)", ea->n_ctxs);
    if (ea->n_ctxs == ea->cap_ctxs) {
        size_t cap = ea->cap_ctxs == 0 ? 8 : 2 * ea->cap_ctxs;
        cap = cap > ea->opts.max_contexts ? ea->opts.max_contexts : cap;
        atea_ea_ctx_entry *grown = realloc(ea->ctxs, cap * sizeof(*grown));
        ATEA_ENSURE_ALLOC(grown);
        ea->ctxs = grown;
        ea->cap_ctxs = cap;
    }
    e = &ea->ctxs[ea->n_ctxs];
    memset(e, 0, sizeof(*e));
    if (request.len > 0) {
        ATEA_TRY(atea_buf_set(&e->request, request.data, request.len));
    }
    e->origin = origin;
    e->len = ctx.len;
    if (ctx.len > 0) {
        memcpy(e->ctx, ctx.data, ctx.len);
    }
    ea->n_ctxs++;
    if (pentry != NULL) {
        *pentry = e;
    }
out:
    return err;
}

atea_err atea_ea_ready(const atea_ea *ea, atea_tls_role *role)
{
    atea_err err = ATEA_OK;
    int done = 0;
    const atea_tls_ops *ops = NULL;
    ATEA_ENSURE(ea != NULL, ATEA_ERR_INVALID_ARG);
    ops = ea->tls.ops;
    ATEA_TRY(atea_tls_require_13(&ea->tls));
    ATEA_ENSURE_MSG(ops->handshake_done != NULL && ops->role != NULL, ATEA_ERR_TLS_NO_OPS,
                    "the TLS adapter lacks handshake_done or role");
    ATEA_TRY(ops->handshake_done(ea->tls.impl, &done));
    /* "servers MUST verify the client Finished message before sending an EA or processing a
     * received Exported Authenticator" (RFC 9261 §9). */
    ATEA_ENSURE_MSG(done, ATEA_ERR_TLS_NOT_READY,
                    "Exported Authenticators need a complete handshake (and, on a server, a "
                    "verified client Finished)");
    ATEA_TRY(ops->role(ea->tls.impl, role));
    ATEA_ENSURE_MSG(*role == ATEA_TLS_CLIENT || *role == ATEA_TLS_SERVER, ATEA_ERR_INVALID_ARG,
                    "the TLS adapter reports role %d", (int)*role);
out:
    return err;
}

atea_err atea_ea_fresh_context(atea_ea *ea, uint8_t ctx[ATEA_EA_CONTEXT_LEN])
{
    atea_err err = ATEA_OK;
    atea_slice s = {ctx, ATEA_EA_CONTEXT_LEN};
    if (ea->opts.rng != NULL) {
        atea_err rc = ea->opts.rng(ea->opts.rng_user, ctx, ATEA_EA_CONTEXT_LEN);
        ATEA_ENSURE_MSG(rc == ATEA_OK, ATEA_ERR_EA_RNG, "the caller's rng failed: %s",
                        atea_err_name(rc));
    } else {
        ATEA_ENSURE_MSG(RAND_bytes(ctx, ATEA_EA_CONTEXT_LEN) == 1, ATEA_ERR_EA_RNG,
                        "RAND_bytes failed");
    }
    /* Unique within the connection (RFC 9261 §4, §5.2.1); a repeat means a broken rng. */
    ATEA_ENSURE_MSG(atea_ea_ctx_find(ea, s) == NULL, ATEA_ERR_EA_CONTEXT_REUSED,
                    "the rng produced a certificate_request_context already used on this "
                    "connection");
out:
    ERR_clear_error();
    return err;
}

atea_err atea_ea_sized(atea_err rc, size_t max)
{
    atea_err err = ATEA_OK;
    /* A growable writer hitting its cap means the message would exceed max_message. */
    ATEA_ENSURE_MSG(rc != ATEA_ERR_TOO_LARGE, ATEA_ERR_EA_MESSAGE_TOO_LARGE,
                    "the message would exceed max_message (%zu bytes)", max);
    ATEA_TRY(rc);
out:
    return err;
}

uint8_t atea_ea_request_type(atea_tls_role sender)
{
    return sender == ATEA_TLS_SERVER ? ATEA_EA_HS_CERTIFICATE_REQUEST
                                     : ATEA_EA_HS_CLIENT_CERTIFICATE_REQUEST;
}

const char *atea_ea_scheme_name(uint16_t scheme)
{
    const atea_ea_scheme *s = atea_ea_scheme_find(scheme);
    return s != NULL ? s->name : NULL;
}

atea_err atea_ea_get_context(const uint8_t *msg, size_t len,
                             uint8_t context[ATEA_EA_MAX_CONTEXT_LEN], size_t *context_len)
{
    atea_err err = ATEA_OK;
    atea_rd in;
    atea_rd body;
    atea_rd ctx;
    atea_ea_hs hs;
    ATEA_ENSURE(msg != NULL && context != NULL && context_len != NULL, ATEA_ERR_INVALID_ARG);
    atea_rd_init(&in, msg, len);
    ATEA_TRY(atea_ea_hs_read(&in, &hs));
    /* Requests and authenticators both start with the context (RFC 9261 §4, §5.2.1). */
    ATEA_ENSURE_MSG(hs.type != ATEA_EA_HS_FINISHED, ATEA_ERR_EA_NO_CONTEXT,
                    "an empty authenticator (a lone Finished) carries no context; the request "
                    "it answers has it");
    ATEA_ENSURE_MSG(hs.type == ATEA_EA_HS_CERTIFICATE ||
                        hs.type == ATEA_EA_HS_CERTIFICATE_REQUEST ||
                        hs.type == ATEA_EA_HS_CLIENT_CERTIFICATE_REQUEST,
                    ATEA_ERR_EA_MSG_TYPE, "handshake type %u (%s) carries no context", hs.type,
                    atea_ea_hs_name(hs.type));
    atea_ea_hs_body(&hs, &body);
    ATEA_TRY(atea_rd_vec(&body, 1, 0, ATEA_EA_MAX_CONTEXT_LEN, &ctx));
    ATEA_TRY(atea_rd_copy(&ctx, context, ctx.len));
    *context_len = ctx.len;
out:
    return err;
}

uint8_t atea_ea_alert(atea_err err)
{
    enum {
        BAD_CERTIFICATE = 42,
        ILLEGAL_PARAMETER = 47,
        DECODE_ERROR = 50,
        DECRYPT_ERROR = 51,
        INTERNAL_ERROR = 80,
        HANDSHAKE_FAILURE = 40,
        MISSING_EXTENSION = 109,
        UNSUPPORTED_EXTENSION = 110,
        PROTOCOL_VERSION = 70,
    };
    switch (err) {
    case ATEA_OK:
        return 0;
    case ATEA_ERR_TRUNCATED:
    case ATEA_ERR_TRAILING:
    case ATEA_ERR_VEC_LENGTH:
    case ATEA_ERR_EA_MESSAGE_TOO_LARGE:
    case ATEA_ERR_EA_EMPTY_CERT_LIST:
    case ATEA_ERR_EA_BAD_SIGALGS:
    case ATEA_ERR_EA_BAD_CMW:
        return DECODE_ERROR;
    case ATEA_ERR_EA_MSG_TYPE:
    case ATEA_ERR_EA_WRONG_DIRECTION:
    case ATEA_ERR_EA_DUP_EXTENSION:
    case ATEA_ERR_EA_TOO_MANY_EXTENSIONS:
    case ATEA_ERR_EA_EXT_NOT_ALLOWED:
    case ATEA_ERR_EA_UNKNOWN_CONTEXT:
    case ATEA_ERR_EA_CONTEXT_ANSWERED:
    case ATEA_ERR_EA_CONTEXT_REUSED:
    case ATEA_ERR_EA_CONTEXT_MISMATCH:
    case ATEA_ERR_EA_CMW_NOT_FIRST:
    case ATEA_ERR_EA_SCHEME_NOT_OFFERED:
    case ATEA_ERR_EA_SCHEME_INVALID:
    case ATEA_ERR_EA_SCHEME_KEY_MISMATCH:
        return ILLEGAL_PARAMETER;
    case ATEA_ERR_EA_NO_SIGALGS:
        return MISSING_EXTENSION;
    case ATEA_ERR_EA_UNREQUESTED_EXTENSION:
    case ATEA_ERR_EA_UNREQUESTED_CMW:
        /* expat §"Negotiation": "abort ... with an "unsupported_extension" alert". */
        return UNSUPPORTED_EXTENSION;
    case ATEA_ERR_EA_TOO_MANY_CERTS:
    case ATEA_ERR_EA_BAD_CERT:
    case ATEA_ERR_EA_CHAIN:
        return BAD_CERTIFICATE;
    case ATEA_ERR_EA_BAD_SIGNATURE:
    case ATEA_ERR_EA_BAD_FINISHED:
        return DECRYPT_ERROR;
    case ATEA_ERR_EA_NO_COMMON_SCHEME:
        return HANDSHAKE_FAILURE;
    case ATEA_ERR_TLS_VERSION:
        return PROTOCOL_VERSION;
    default:
        return INTERNAL_ERROR;
    }
}
