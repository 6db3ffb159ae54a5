/*
 * libFuzzer target for TDX collateral JSON: the signed-span scanner and the TCB info v3 and QE
 * identity v2 content parsers (no signature check, so that mutated documents reach the content
 * checks), then the TCB level evaluation against a fixed platform. Deterministic.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "atea/tdx.h"
#include "verify/tdx_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void evaluate(const tdx_tcb_info *info)
{
    tdx_pck_info pck;
    atea_tdx_td_body body;
    tdx_tcb_result res;
    memset(&pck, 0x03, sizeof(pck));
    memcpy(pck.fmspc, info->fmspc, sizeof(pck.fmspc));
    memcpy(pck.pceid, info->pceid, sizeof(pck.pceid));
    memset(&body, 0, sizeof(body));
    body.tee_tcb_svn[0] = 5;
    body.tee_tcb_svn[1] = (uint8_t)(info->level_count & 1); /* both module paths */
    (void)atea__tdx_tcb_evaluate(info, &pck, &body, &res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static tdx_tcb_info info; /* large; the target is single-threaded */
    static tdx_qe_identity qe;
    tdx_signed_json sj;
    json_t *root = NULL;
    json_t *obj = NULL;
    if (atea__tdx_tcb_info_from_json(data, size, &info, &sj) == ATEA_OK) {
        evaluate(&info);
    }
    if (atea__tdx_json_signed(data, size, "enclaveIdentity", &sj, &root, &obj) == ATEA_OK) {
        atea_tdx_qe_report rep;
        tdx_tcb_result res;
        memset(&rep, 0, sizeof(rep));
        if (atea__tdx_parse_qe_identity(obj, &qe) == ATEA_OK) {
            (void)atea__tdx_qe_evaluate(&qe, &rep, &res);
        }
        json_decref(root);
    }
    return 0;
}
