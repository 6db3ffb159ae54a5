/* Relying party: send a REQUEST, an RFC 9261 authenticator request with the empty
 * cmw_attestation extension (draft-fossati-seat-expat §"Negotiation") and a fresh random
 * 32-byte context. The EA layer draws the context and refuses any context already used on this
 * connection in either direction (profile.md §3), so contexts are never reused across
 * requests, re-attestations or directions. */
#include "core/check.h"
#include "session_internal.h"

atea_err atea__session_send_request(atea_session *s)
{
    atea_err err = ATEA_OK;
    atea_ea_request_params params = {0};
    atea_buf request = {0};
    ATEA_ENSURE_MSG(s->verify == VERIFY_IDLE, ATEA_ERR_SESSION_BUSY,
                    "a request is already outstanding");
    params.want_cmw = 1;
    ATEA_TRY(atea_ea_request(s->ea, &params, &request));
    ATEA_TRY(atea_ea_get_context(request.data, request.len, s->request_ctx, &s->request_ctx_len));
    ATEA_TRY(atea__session_context_use(s, s->request_ctx, s->request_ctx_len));
    ATEA_TRY(atea__session_queue_frame(s, ATEA_FRAME_REQUEST, request.data, request.len));
    atea_buf_free(&s->request);
    s->request = request;
    request.data = NULL;
    request.len = 0;
    s->verify = VERIFY_WAIT;
    s->verify_deadline = s->now + s->opts.attest_timeout_ms;
    s->reattest_at = SESSION_NO_TIMER;
    atea_logf(&s->opts.log, ATEA_LOG_DEBUG, "atea session: REQUEST sent (%zu bytes)",
              s->request.len);
out:
    atea_buf_free(&request);
    return err;
}
