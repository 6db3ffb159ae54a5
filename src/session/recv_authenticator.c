/*
 * AUTHENTICATOR received: this side is the relying party (draft-fossati-seat-expat
 * §"Architecture", §"Cryptographic Binding"). In order:
 *   1. the EA layer validates the authenticator against OUR outstanding request (RFC 9261
 *      §5.2.4: context, certificate, CertificateVerify over this connection, Finished; an
 *      unrequested cmw_attestation is refused there, alert unsupported_extension);
 *   2. it must carry a CMW (expat: the evidence is the point of the exchange);
 *   3. the binding is recomputed from OUR view of the connection (exporter with our context,
 *      SPKI of the leaf that signed the authenticator), never taken from the evidence;
 *   4. the appraise callback verifies the evidence against that binding;
 *   5. the session compares every binding claim of the appraisal itself (defence in depth:
 *      a verifier that forgot the binding cannot let relayed evidence through);
 *   6. the status must be affirming (or warning, if allowed).
 * The verdict goes back in a RESULT; a refusal closes the session (expat: "any failure in
 * validating Evidence SHOULD be treated as a fatal error").
 */
#include <string.h>

#include "core/check.h"
#include "session_internal.h"

static atea_err check_claim(const atea_session *s, const atea_claim *c,
                            const atea_binding *expected, size_t *checked)
{
    atea_err err = ATEA_OK;
    if (c->type != ATEA_CLAIM_BYTES) {
        goto out;
    }
    if (strcmp(c->name, "report_data") == 0) {
        /* The claim comes from the peer's evidence: a wrong length is its mismatch, not a
         * local usage error (atea_binder_check_report_data's ATEA_ERR_INVALID_ARG). */
        ATEA_ENSURE_MSG(c->bytes.len == ATEA_REPORT_DATA_LEN, ATEA_ERR_REPORT_DATA_MISMATCH,
                        "the evidence's report_data claim has %zu bytes; a binding is %d",
                        c->bytes.len, ATEA_REPORT_DATA_LEN);
        ATEA_TRY(atea_binder_check_report_data(expected, s->profile.layout, c->bytes.data,
                                               c->bytes.len));
        (*checked)++;
    } else if (strcmp(c->name, "nonce") == 0 || strcmp(c->name, "binder") == 0 ||
               strcmp(c->name, "eat_nonce") == 0) {
        ATEA_TRY(atea_binder_check_parts(expected, c->bytes.data, c->bytes.len, NULL, 0));
        (*checked)++;
    } else if (strcmp(c->name, "aik_hash") == 0) {
        ATEA_TRY(atea_binder_check_parts(expected, NULL, 0, c->bytes.data, c->bytes.len));
        (*checked)++;
    }
out:
    return err;
}

static atea_err check_binding_claims(const atea_session *s, const atea_appraisal *a,
                                     const atea_binding *expected)
{
    atea_err err = ATEA_OK;
    size_t checked = 0;
    for (size_t i = 0; i < atea_appraisal_claim_count(a); i++) {
        ATEA_TRY(check_claim(s, atea_appraisal_claim_at(a, i), expected, &checked));
    }
    ATEA_ENSURE_MSG(checked > 0 || !s->opts.require_binding_claim,
                    ATEA_ERR_SESSION_BINDING_UNCHECKED,
                    "none of the appraisal's %zu claims is report_data, nonce or aik_hash",
                    atea_appraisal_claim_count(a));
out:
    return err;
}

static atea_err appraise(atea_session *s, const uint8_t *body, size_t len,
                         atea_appraisal **pappraisal)
{
    atea_err err = ATEA_OK;
    atea_ea_identity id;
    atea_ea_validate_params params = {0};
    atea_binding expected;
    atea_appraisal *a = NULL;
    memset(&id, 0, sizeof(id));
    memset(&expected, 0, sizeof(expected));
    params.request = s->request.data;
    params.request_len = s->request.len;
    params.trust = s->opts.trust;
    ATEA_TRY(atea_ea_validate(s->ea, &params, body, len, &id));
    ATEA_TRY(
        atea_binder_check_context(s->request_ctx, s->request_ctx_len, id.context, id.context_len));
    ATEA_ENSURE_MSG(id.cmw.len > 0, ATEA_ERR_SESSION_NO_EVIDENCE,
                    "the authenticator's leaf entry has no cmw_attestation (0x%04x)",
                    s->opts.cmw_ext);
    ATEA_TRY(atea_binder_compute(s->tls, &s->profile, id.context, id.context_len,
                                 id.certs[0].der.data, id.certs[0].der.len, &expected));
    ATEA_TRY(atea_appraisal_new(&a));
    ATEA_TRY(s->opts.appraise(s->opts.appraise_user, id.cmw.data, id.cmw.len, &expected, a));
    ATEA_TRY(check_binding_claims(s, a, &expected));
    atea_ear_status status = atea_appraisal_status(a);
    ATEA_ENSURE_MSG(status == ATEA_EAR_AFFIRMING ||
                        (status == ATEA_EAR_WARNING && s->opts.accept_warning),
                    ATEA_ERR_SESSION_NOT_AFFIRMING, "the appraisal status is %s%s",
                    atea_ear_status_name(status),
                    status == ATEA_EAR_WARNING ? " and warnings are not accepted" : "");
    *pappraisal = a;
    a = NULL;
out:
    atea_appraisal_free(a);
    atea_ea_identity_dispose(&id);
    atea_wipe(&expected, sizeof(expected));
    return err;
}

atea_err atea__session_recv_authenticator(atea_session *s, const uint8_t *body, size_t len)
{
    atea_err err = ATEA_OK;
    atea_appraisal *a = NULL;
    ATEA_ENSURE_MSG(s->verify == VERIFY_WAIT, ATEA_ERR_SESSION_UNSOLICITED,
                    "an AUTHENTICATOR, but no REQUEST of ours is outstanding");
    err = appraise(s, body, len, &a);
    if (err != ATEA_OK) {
        /* The attester learns why in the RESULT; no ERROR follows it. */
        char text[ATEA_FRAME_MAX_TEXT + 1];
        atea__session_text(text, atea_err_detail(err));
        if (atea__session_queue_result(s, atea_reason_from_err(err), s->request_ctx,
                                       s->request_ctx_len, text) == ATEA_OK) {
            s->result_sent = 1;
        }
        err = atea__session_fail(s, err, 0, 1, 0, NULL);
        goto out;
    }
    ATEA_TRY(atea__session_queue_result(s, ATEA_REASON_NONE, s->request_ctx, s->request_ctx_len,
                                        "attested"));
    int first = !s->peer_attested;
    s->peer_attested = 1;
    s->verify = VERIFY_IDLE;
    s->verify_deadline = SESSION_NO_TIMER;
    s->reattest_at =
        s->opts.reattest_interval_ms > 0 ? s->now + s->opts.reattest_interval_ms : SESSION_NO_TIMER;
    atea_logf(&s->opts.log, ATEA_LOG_INFO, "atea session: peer %sattested (%s)", first ? "" : "re-",
              atea_ear_status_name(atea_appraisal_status(a)));
    ATEA_TRY(atea__session_event(s, first ? ATEA_SESSION_EV_ATTESTED : ATEA_SESSION_EV_REATTESTED,
                                 &a, ATEA_REASON_NONE, 0, ATEA_OK, NULL));
    ATEA_TRY(atea__session_check_ready(s));
out:
    atea_appraisal_free(a);
    return err;
}
