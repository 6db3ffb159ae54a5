/*
 * Authenticator requests (RFC 9261 §4): CertificateRequest (13, sent by a server) and
 * ClientCertificateRequest (17, sent by a client), the same structure:
 *
 *   struct {
 *      opaque certificate_request_context<0..2^8-1>;
 *      Extension extensions<2..2^16-1>;
 *   } ClientCertificateRequest / CertificateRequest;
 *
 * signature_algorithms is mandatory (RFC 9261 §7.1 "MUST include signature_algorithms", RFC 8446
 * §4.3.2). Unrecognised extensions are kept (the receiver ignores them, RFC 9261 §5.2.1).
 */
#include "ea/msg.h"

#include "core/check.h"

atea_err atea_ea_sigalgs_parse(atea_slice data, uint16_t *out, size_t cap, size_t *n)
{
    atea_err err = ATEA_OK;
    atea_rd rd;
    atea_rd list;
    atea_rd_init(&rd, data.data, data.len);
    *n = 0;
    /* SignatureScheme supported_signature_algorithms<2..2^16-2>: an even, non-zero length. */
    err = atea_rd_vec(&rd, 2, 2, 0xfffe, &list);
    ATEA_ENSURE_MSG(err == ATEA_OK, ATEA_ERR_EA_BAD_SIGALGS,
                    "signature_algorithms: the list length does not fit its %zu-byte extension",
                    data.len);
    ATEA_ENSURE_MSG(atea_rd_end(&rd) == ATEA_OK, ATEA_ERR_EA_BAD_SIGALGS,
                    "signature_algorithms: %zu bytes follow the list", atea_rd_left(&rd));
    ATEA_ENSURE_MSG(list.len % 2 == 0, ATEA_ERR_EA_BAD_SIGALGS,
                    "signature_algorithms: odd list length %zu", list.len);
    ATEA_ENSURE_MSG(list.len / 2 <= cap, ATEA_ERR_EA_BAD_SIGALGS,
                    "signature_algorithms: %zu schemes; at most %zu are accepted", list.len / 2,
                    cap);
    while (atea_rd_left(&list) > 0) {
        ATEA_TRY(atea_rd_u16(&list, &out[*n]));
        (*n)++;
    }
out:
    return err;
}

atea_err atea_ea_req_parse(const uint8_t *msg, size_t len, atea_ea_req *req)
{
    atea_err err = ATEA_OK;
    atea_rd in;
    atea_rd body;
    atea_rd ctx;
    atea_ea_ext_where where = ATEA_EA_IN_CERTIFICATE_REQUEST;
    atea_rd_init(&in, msg, len);
    ATEA_TRY(atea_ea_hs_read(&in, &req->hs));
    ATEA_ENSURE_MSG(req->hs.type == ATEA_EA_HS_CERTIFICATE_REQUEST ||
                        req->hs.type == ATEA_EA_HS_CLIENT_CERTIFICATE_REQUEST,
                    ATEA_ERR_EA_MSG_TYPE,
                    "handshake type %u (%s) at offset 0 where an authenticator request (13 or 17) "
                    "belongs",
                    req->hs.type, atea_ea_hs_name(req->hs.type));
    ATEA_TRY(atea_rd_end(&in));
    if (req->hs.type == ATEA_EA_HS_CLIENT_CERTIFICATE_REQUEST) {
        where = ATEA_EA_IN_CLIENT_CERTIFICATE_REQUEST;
    }
    atea_ea_hs_body(&req->hs, &body);
    ATEA_TRY(atea_rd_vec(&body, 1, 0, ATEA_EA_MAX_CONTEXT_LEN, &ctx));
    req->context.data = ctx.data;
    req->context.len = ctx.len;
    ATEA_TRY(atea_ea_exts_parse(&body, 2, where, &req->exts));
    ATEA_TRY(atea_rd_end(&body));
    const atea_ea_ext *sigalgs =
        atea_ea_exts_find(req->exts.ext, req->exts.n, ATEA_EA_EXT_SIGNATURE_ALGORITHMS);
    ATEA_ENSURE_MSG(sigalgs != NULL, ATEA_ERR_EA_NO_SIGALGS,
                    "the %s has %zu extensions, none of them signature_algorithms",
                    atea_ea_hs_name(req->hs.type), req->exts.n);
    ATEA_TRY(atea_ea_sigalgs_parse(sigalgs->data, req->sigalgs, ATEA_ARRAY_LEN(req->sigalgs),
                                   &req->n_sigalgs));
out:
    return err;
}

atea_err atea_ea_req_write(atea_wr *wr, uint8_t type, atea_slice context, const uint16_t *sigalgs,
                           size_t n_sigalgs, const atea_ea_ext *exts, size_t n_exts)
{
    atea_err err = ATEA_OK;
    uint8_t list[2 + 2 * ATEA_TLS_MAX_SIGALGS];
    atea_ea_ext all[ATEA_EA_MAX_EXTENSIONS];
    atea_wr lw;
    ATEA_ENSURE(type == ATEA_EA_HS_CERTIFICATE_REQUEST ||
                    type == ATEA_EA_HS_CLIENT_CERTIFICATE_REQUEST,
                ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE(context.len <= ATEA_EA_MAX_CONTEXT_LEN && (exts != NULL || n_exts == 0),
                ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(n_sigalgs >= 1 && n_sigalgs <= ATEA_TLS_MAX_SIGALGS && sigalgs != NULL,
                    ATEA_ERR_INVALID_ARG, "%zu signature schemes; 1..%u are allowed", n_sigalgs,
                    ATEA_TLS_MAX_SIGALGS);
    ATEA_ENSURE_MSG(n_exts < ATEA_EA_MAX_EXTENSIONS, ATEA_ERR_EA_TOO_MANY_EXTENSIONS,
                    "%zu extensions besides signature_algorithms; at most %u fit", n_exts,
                    ATEA_EA_MAX_EXTENSIONS - 1);
    atea_wr_init_fixed(&lw, list, sizeof(list));
    ATEA_TRY(atea_wr_open_vec(&lw, 2));
    for (size_t i = 0; i < n_sigalgs; i++) {
        ATEA_TRY(atea_wr_u16(&lw, sigalgs[i]));
    }
    ATEA_TRY(atea_wr_close_vec(&lw));
    all[0].type = ATEA_EA_EXT_SIGNATURE_ALGORITHMS;
    all[0].data.data = atea_wr_data(&lw);
    all[0].data.len = atea_wr_len(&lw);
    for (size_t i = 0; i < n_exts; i++) {
        all[i + 1] = exts[i];
    }
    ATEA_TRY(atea_ea_hs_open(wr, type));
    ATEA_TRY(atea_wr_vec(wr, 1, context.data, context.len));
    ATEA_TRY(atea_ea_exts_write(wr, all, n_exts + 1,
                                type == ATEA_EA_HS_CERTIFICATE_REQUEST
                                    ? ATEA_EA_IN_CERTIFICATE_REQUEST
                                    : ATEA_EA_IN_CLIENT_CERTIFICATE_REQUEST));
    ATEA_TRY(atea_ea_hs_close(wr));
out:
    return err;
}
