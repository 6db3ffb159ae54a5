/* REQUEST received: this side attests (draft-fossati-seat-expat §"Architecture"). Compute the
 * binding for the request's context and our leaf, get a CMW from the attester, and answer with
 * an authenticator whose first CertificateEntry carries it as cmw_attestation. */
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "session_internal.h"

atea_err atea__session_recv_request(atea_session *s, const uint8_t *body, size_t len)
{
    atea_err err = ATEA_OK;
    atea_ea_request_info *info = NULL;
    atea_binding binding;
    atea_buf cmw = {0};
    atea_buf authenticator = {0};
    atea_ea_credential cred = {0};
    memset(&binding, 0, sizeof(binding));
    info = calloc(1, sizeof(*info));
    ATEA_ENSURE_ALLOC(info);
    if (s->attest == ATTEST_OFF && s->void_request) {
        /* The REQUEST the peer pipelined with its HELLO, before it knew from ours that we will
         * not attest to it (recv_hello.c): well-formed, then dropped. Only that one. */
        ATEA_TRY(atea_ea_request_parse(s->ea, body, len, info));
        s->void_request = 0;
        atea_logf(&s->opts.log, ATEA_LOG_DEBUG, "atea session: dropped the peer's first REQUEST");
        goto out;
    }
    ATEA_ENSURE_MSG(s->attest != ATTEST_OFF, ATEA_ERR_SESSION_UNSOLICITED,
                    "a REQUEST, but this side does not attest to this peer (roles 0x%02x, peer "
                    "0x%02x)",
                    s->opts.role, s->peer_roles);
    ATEA_ENSURE_MSG(s->attest == ATTEST_IDLE, ATEA_ERR_FRAME_UNEXPECTED,
                    "a REQUEST while our previous authenticator still awaits its RESULT");
    ATEA_TRY(atea_ea_request_parse(s->ea, body, len, info));
    /* expat §"Negotiation": only a request with the empty cmw_attestation asks for evidence. */
    ATEA_ENSURE_MSG(info->wants_cmw, ATEA_ERR_SESSION_REQUEST_NO_CMW,
                    "the request has no cmw_attestation extension (0x%04x)", s->opts.cmw_ext);
    ATEA_TRY(atea__session_context_use(s, info->context.data, info->context.len));
    ATEA_TRY(atea_binder_compute(s->tls, &s->profile, info->context.data, info->context.len,
                                 s->chain[0].data, s->chain[0].len, &binding));
    ATEA_TRY(atea_attester_attest(s->opts.attester, &binding, &cmw));
    cred.chain = s->chain_in;
    cred.n_chain = s->opts.n_chain;
    cred.key = s->opts.key;
    cred.cmw.data = cmw.data;
    cred.cmw.len = cmw.len;
    ATEA_TRY(atea_ea_authenticate(s->ea, body, len, &cred, &authenticator));
    ATEA_TRY(atea__session_queue_frame(s, ATEA_FRAME_AUTHENTICATOR, authenticator.data,
                                       authenticator.len));
    memcpy(s->answered_ctx, info->context.data, info->context.len);
    s->answered_ctx_len = info->context.len;
    s->attest = ATTEST_WAIT;
    s->attest_deadline = s->now + s->opts.attest_timeout_ms;
    atea_logf(&s->opts.log, ATEA_LOG_INFO,
              "atea session: attested with %zu bytes of CMW (%zu-byte authenticator)", cmw.len,
              authenticator.len);
out:
    free(info);
    atea_wipe(&binding, sizeof(binding));
    atea_buf_free(&cmw);
    atea_buf_free(&authenticator);
    return err;
}
