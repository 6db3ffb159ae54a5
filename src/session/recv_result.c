/* RESULT received: the relying party's verdict on our authenticator (docs/PROTOCOL.md
 * "RESULT"). It must answer the authenticator we sent, by its context. */
#include <string.h>

#include "core/check.h"
#include "session_internal.h"

atea_err atea__session_recv_result(atea_session *s, const uint8_t *body, size_t len)
{
    atea_err err = ATEA_OK;
    atea_result r;
    memset(&r, 0, sizeof(r));
    ATEA_TRY(atea_result_decode(body, len, &r));
    ATEA_ENSURE_MSG(s->attest == ATTEST_WAIT, ATEA_ERR_SESSION_UNSOLICITED,
                    "a RESULT, but no authenticator of ours awaits one");
    ATEA_ENSURE_MSG(r.context_len == s->answered_ctx_len &&
                        memcmp(r.context, s->answered_ctx, r.context_len) == 0,
                    ATEA_ERR_SESSION_UNSOLICITED,
                    "a RESULT for a %zu-byte context that is not the one we answered",
                    r.context_len);
    if (r.verdict == ATEA_VERDICT_REFUSED) {
        ATEA_FAIL(ATEA_ERR_SESSION_REFUSED, "the peer refused our attestation: %s: %s",
                  atea_reason_name(r.reason), r.text);
    }
    s->self_accepted = 1;
    s->attest = ATTEST_IDLE;
    s->attest_deadline = SESSION_NO_TIMER;
    atea_logf(&s->opts.log, ATEA_LOG_INFO, "atea session: the peer accepted our attestation");
    ATEA_TRY(atea__session_event(s, ATEA_SESSION_EV_ACCEPTED, NULL, ATEA_REASON_NONE, 1, ATEA_OK,
                                 r.text));
    ATEA_TRY(atea__session_check_ready(s));
out:
    if (err == ATEA_ERR_SESSION_REFUSED) {
        err = atea__session_fail(s, err, 1, 1, r.reason, r.text);
    }
    return err;
}
