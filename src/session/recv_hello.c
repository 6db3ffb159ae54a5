/* HELLO received (docs/PROTOCOL.md "HELLO"): agree on the binder profile, roles and formats.
 * A relying party sent its first REQUEST together with its HELLO at session start (pipelined,
 * docs/PROTOCOL.md §5 "One exchange"): here it only learns whether that request will be
 * answered. */
#include <string.h>

#include "core/check.h"
#include "session_internal.h"

static int types_overlap(const atea_hello *peer, const atea_session *s)
{
    if (peer->n_evidence_types == 0 || s->opts.n_evidence_types == 0) {
        return 1; /* an empty list means "any" */
    }
    for (size_t i = 0; i < peer->n_evidence_types; i++) {
        for (size_t j = 0; j < s->opts.n_evidence_types; j++) {
            if (peer->evidence_types[i] == s->evidence_types[j]) {
                return 1;
            }
        }
    }
    return 0;
}

/* Both sides must compute the same binder (profile.md §3), whoever attests. */
static atea_err check_profile(const atea_session *s, const atea_hello *peer)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE_MSG(strcmp(peer->label, s->label) == 0, ATEA_ERR_HELLO_PROFILE,
                    "peer's exporter label \"%s\", ours \"%s\"", peer->label, s->label);
    ATEA_ENSURE_MSG(peer->layout == (uint8_t)s->profile.layout, ATEA_ERR_HELLO_PROFILE,
                    "peer's report_data layout %u, ours %u", peer->layout,
                    (unsigned)s->profile.layout);
    ATEA_ENSURE_MSG(peer->cmw_ext == s->opts.cmw_ext, ATEA_ERR_HELLO_PROFILE,
                    "peer's cmw_attestation codepoint 0x%04x, ours 0x%04x", peer->cmw_ext,
                    s->opts.cmw_ext);
out:
    return err;
}

/* Do the two HELLOs share a CMW format and an evidence type? The test is symmetric, so the
 * attester and the relying party reach the same answer from the same two HELLOs. */
static int formats_meet(const atea_hello *peer, const atea_session *s)
{
    return (peer->cmw_formats & s->opts.cmw_formats) != 0 && types_overlap(peer, s);
}

/* Can the peer attest to us in a way we accept? ATEA_OK with *verify = 0 when the policy lets
 * us go on without its attestation. */
static atea_err check_peer_attests(const atea_session *s, const atea_hello *peer, int *verify)
{
    atea_err err = ATEA_OK;
    atea_err why = ATEA_OK;
    *verify = 0;
    if (!(s->opts.role & ATEA_ROLE_VERIFY)) {
        goto out;
    }
    if (!(peer->roles & ATEA_ROLE_ATTEST)) {
        why = ATEA_ERR_HELLO_ROLES;
    } else if (!formats_meet(peer, s)) {
        why = ATEA_ERR_HELLO_FORMATS;
    }
    if (why != ATEA_OK && s->opts.policy == ATEA_SESSION_OPTIONAL) {
        atea_logf(&s->opts.log, ATEA_LOG_WARN,
                  "the peer cannot attest to us (%s); going on without (policy optional)",
                  atea_err_name(why));
        goto out;
    }
    ATEA_ENSURE_MSG(why != ATEA_ERR_HELLO_ROLES, ATEA_ERR_HELLO_ROLES,
                    "we require the peer to attest, and its HELLO roles 0x%02x do not include "
                    "ATTEST",
                    peer->roles);
    ATEA_ENSURE_MSG(why != ATEA_ERR_HELLO_FORMATS, ATEA_ERR_HELLO_FORMATS,
                    "the peer's CMW formats 0x%02x / %zu evidence types share nothing with ours "
                    "(0x%02x / %zu)",
                    peer->cmw_formats, peer->n_evidence_types, s->opts.cmw_formats,
                    s->opts.n_evidence_types);
    *verify = 1;
out:
    return err;
}

/* Our side of the peer's verification. A verifying peer sent its first REQUEST right behind its
 * HELLO. We answer it when we attest and produce a format it accepts; otherwise the peer learns
 * from our HELLO that no answer will come (it fails, or goes on without under policy optional),
 * and that one REQUEST is void: recv_request.c drops it instead of calling it unsolicited. */
static void settle_attesting(atea_session *s, const atea_hello *peer)
{
    if (!(peer->roles & ATEA_ROLE_VERIFY)) {
        return; /* attest stays OFF; any REQUEST is unsolicited */
    }
    if ((s->opts.role & ATEA_ROLE_ATTEST) && formats_meet(peer, s)) {
        /* The peer's first REQUEST is due like any answer: a peer that never asks stalls us. */
        s->attest = ATTEST_IDLE;
        s->attest_deadline = s->now + s->opts.attest_timeout_ms;
        return;
    }
    s->void_request = 1;
    atea_logf(&s->opts.log, ATEA_LOG_INFO,
              "atea session: the peer verifies, but we %s; its first REQUEST will be dropped",
              (s->opts.role & ATEA_ROLE_ATTEST)
                  ? "produce no CMW format or evidence type it accepts"
                  : "do not attest");
}

atea_err atea__session_recv_hello(atea_session *s, const uint8_t *body, size_t len)
{
    atea_err err = ATEA_OK;
    atea_hello peer;
    int verify = 0;
    ATEA_TRY(atea_hello_decode(body, len, &peer));
    ATEA_TRY(check_profile(s, &peer));
    ATEA_TRY(check_peer_attests(s, &peer, &verify));
    s->peer_roles = peer.roles;
    s->phase = PHASE_OPEN;
    s->hello_deadline = SESSION_NO_TIMER;
    if (!verify && s->verify != VERIFY_OFF) {
        /* Policy optional and a peer that cannot attest to us: our pipelined REQUEST is void
         * (the peer drops it, see settle_attesting), so no AUTHENTICATOR is awaited. */
        s->verify = VERIFY_OFF;
        s->verify_deadline = SESSION_NO_TIMER;
    }
    settle_attesting(s, &peer);
    atea_logf(&s->opts.log, ATEA_LOG_DEBUG, "atea session: peer HELLO roles 0x%02x", peer.roles);
    ATEA_TRY(atea__session_check_ready(s));
out:
    return err;
}
