/* ERROR received (docs/PROTOCOL.md "ERROR"): the peer ends the session. Reason NONE is an
 * orderly close, unless an attestation exchange was still in flight. Nothing is sent back. */
#include <string.h>

#include "core/check.h"
#include "session_internal.h"

/* Reasons about an attestation (authenticator or evidence groups) also give a REFUSED event. */
static int about_attestation(uint16_t reason)
{
    unsigned group = reason >> 8;
    return group == 0x02 || group == 0x03;
}

atea_err atea__session_recv_error(atea_session *s, const uint8_t *body, size_t len)
{
    atea_err err = ATEA_OK;
    atea_error_body e;
    int in_flight = atea__session_exchange_pending(s);
    memset(&e, 0, sizeof(e));
    ATEA_TRY(atea_error_decode(body, len, &e));
    if (e.reason == ATEA_REASON_NONE && !in_flight) {
        s->phase = PHASE_CLOSED;
        atea_logf(&s->opts.log, ATEA_LOG_INFO, "atea session: the peer closed the session");
        ATEA_TRY(atea__session_event(s, ATEA_SESSION_EV_CLOSED, NULL, ATEA_REASON_NONE, 1, ATEA_OK,
                                     e.text));
        goto out;
    }
    ATEA_ENSURE_MSG(e.reason != ATEA_REASON_NONE, ATEA_ERR_SESSION_PEER_CLOSED,
                    "the peer closed the session in the middle of an attestation exchange");
    ATEA_FAIL(ATEA_ERR_SESSION_PEER_ERROR, "the peer aborted: %s: %s", atea_reason_name(e.reason),
              e.text);
out:
    if (err == ATEA_ERR_SESSION_PEER_ERROR || err == ATEA_ERR_SESSION_PEER_CLOSED) {
        err = atea__session_fail(s, err, 1, about_attestation(e.reason), e.reason, e.text);
    }
    return err;
}
