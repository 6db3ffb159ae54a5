/* DATA received: application bytes, delivered as a DATA event in order. Under policy
 * `require`, DATA before the peer's attestation has succeeded is a protocol error
 * (profile.md §3, expat §"Freshness": "Remote attestation MUST be completed before sending any
 * application data"). During a re-attestation the previous attestation still stands, so DATA
 * keeps flowing. */
#include "core/check.h"
#include "session_internal.h"

atea_err atea__session_recv_data(atea_session *s, const uint8_t *body, size_t len)
{
    atea_err err = ATEA_OK;
    int allowed =
        s->verify == VERIFY_OFF || s->peer_attested || s->opts.policy == ATEA_SESSION_OPTIONAL;
    ATEA_ENSURE_MSG(allowed, ATEA_ERR_SESSION_DATA_EARLY,
                    "%zu bytes of application data before the peer's attestation succeeded", len);
    ATEA_TRY(atea__session_data_event(s, body, len));
out:
    return err;
}
