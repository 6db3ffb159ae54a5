/*
 * The passport attester (include/atea/ear.h, docs/evidence/EAR.md): evidence from an inner
 * attester, appraised and signed by an EAR issuer, presented as a CMW record of the EAR type
 * (profile.md §5). The issuer is a callback so that this layer does not depend on the verifier:
 * a remote verification service in production, atea_ear_issue_local in tests and demos.
 * The binding is passed through unchanged, so the inner evidence commits to this connection and
 * the EAR echoes its binder as eat_nonce.
 */
#include <stdlib.h>

#include "atea/cmw.h"
#include "atea/ear.h"
#include "core/check.h"

typedef struct ear_attester {
    atea_attester base; /* first: atea_attester* and ear_attester* convert */
    atea_attester *inner;
    atea_ear_issuer issuer;
    int json;
} ear_attester;

static atea_err ear_attest(atea_attester *self, const atea_binding *binding, atea_buf *cmw_out)
{
    atea_err err = ATEA_OK;
    ear_attester *e = (ear_attester *)self;
    atea_buf evidence = {0};
    atea_buf jwt = {0};
    atea_cmw *cmw = NULL;
    ATEA_ENSURE(binding != NULL && cmw_out != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea_attester_attest(e->inner, binding, &evidence));
    ATEA_TRY(e->issuer.issue(e->issuer.user, evidence.data, evidence.len, binding, &jwt));
    ATEA_TRY(atea_cmw_new_record(atea_cmw_media_type_name(ATEA_CMW_MT_EAR_JWT), jwt.data, jwt.len,
                                 ATEA_CMW_IND_ATTESTATION_RESULTS, &cmw));
    if (e->json) {
        ATEA_TRY(atea_cmw_encode_json(cmw, cmw_out));
    } else {
        ATEA_TRY(atea_cmw_encode_cbor(cmw, cmw_out));
    }
out:
    atea_cmw_free(cmw);
    atea_buf_free(&jwt);
    atea_buf_free(&evidence);
    return err;
}

static void ear_free(atea_attester *self)
{
    ear_attester *e = (ear_attester *)self;
    if (e == NULL) {
        return;
    }
    atea_attester_free(e->inner);
    free(e);
}

atea_err atea_ear_attester_new(atea_attester *inner, const atea_ear_issuer *issuer, int json,
                               atea_attester **pattester)
{
    atea_err err = ATEA_OK;
    ear_attester *e = NULL;
    ATEA_ENSURE(inner != NULL && issuer != NULL && issuer->issue != NULL && pattester != NULL,
                ATEA_ERR_INVALID_ARG);
    e = calloc(1, sizeof(*e));
    ATEA_ENSURE_ALLOC(e);
    e->base.platform = "ear";
    e->base.attest = ear_attest;
    e->base.free = ear_free;
    e->inner = inner;
    inner = NULL; /* owned by e now */
    e->issuer = *issuer;
    e->json = json != 0;
    *pattester = &e->base;
    e = NULL;
out:
    atea_attester_free(inner);
    if (e != NULL) {
        ear_free(&e->base);
    }
    return err;
}
