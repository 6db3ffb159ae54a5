/*
 * TCB status evaluation for TDX (Intel DCAP QVL, QuoteVerifier for TDX with TCB info v3;
 * evidence-formats.md §2.5 B; google/go-tdx-guest verify.go):
 *   1. the TCB info describes this platform: FMSPC and PCE-ID of the PCK certificate;
 *   2. the TDX module: TEE_TCB_SVN[1] = 0 (TDX 1.0) -> MRSIGNERSEAM and SEAMATTRIBUTES (masked)
 *      must equal "tdxModule"; otherwise the identity "TDX_%02X" % TEE_TCB_SVN[1] in
 *      "tdxModuleIdentities" must match, and its first level with isvsvn <= TEE_TCB_SVN[0]
 *      gives the module's TCB status;
 *   3. the first platform level with all 16 SGX components <= the PCK CPUSVN components,
 *      pcesvn <= PCESVN and the TDX components <= TEE_TCB_SVN (components 0 and 1 skipped when
 *      the module identity already judged them, TEE_TCB_SVN[1] > 0);
 *   4. the level's status converged with the module's (a Revoked module revokes it, an OutOfDate
 *      module makes an UpToDate platform OutOfDate, a Configuration* one
 *      OutOfDateConfigurationNeeded); advisories merged.
 */
#include <stdio.h>
#include <string.h>

#include "core/check.h"
#include "verify/tdx_internal.h"

void atea__tdx_merge_advisories(tdx_advisories *into, const tdx_advisories *from)
{
    for (size_t i = 0; i < from->count; i++) {
        int dup = 0;
        for (size_t j = 0; j < into->count; j++) {
            dup |= strcmp(into->ids[j], from->ids[i]) == 0;
        }
        if (!dup && into->count < TDX_MAX_ADVISORIES) {
            memcpy(into->ids[into->count++], from->ids[i], TDX_ADVISORY_ID_MAX);
        }
    }
}

static int masked_equal(const uint8_t *a, const uint8_t *mask, const uint8_t *want, size_t n)
{
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        ok &= (a[i] & mask[i]) == want[i];
    }
    return ok;
}

/* Step 2: the TDX module identity; *module_status is set when an identity with levels judged it. */
static atea_err check_module(const tdx_tcb_info *info, const atea_tdx_td_body *body,
                             int *has_module_status, tdx_tcb_level *module_level)
{
    atea_err err = ATEA_OK;
    const tdx_module_identity *m = &info->module;
    char id[16];
    uint8_t major = body->tee_tcb_svn[1];
    *has_module_status = 0;
    if (major > 0) {
        snprintf(id, sizeof(id), "TDX_%02X", major);
        m = NULL;
        for (size_t i = 0; i < info->module_identity_count; i++) {
            if (strcmp(info->module_identities[i].id, id) == 0) {
                m = &info->module_identities[i];
            }
        }
        ATEA_ENSURE_MSG(m != NULL, ATEA_ERR_TDX_COLLATERAL_MISMATCH,
                        "the TCB info has no TDX module identity %s (TEE_TCB_SVN[1] = %u)", id,
                        major);
    }
    ATEA_ENSURE_MSG(memcmp(body->mrsignerseam, m->mrsigner, sizeof(m->mrsigner)) == 0,
                    ATEA_ERR_TDX_COLLATERAL_MISMATCH,
                    "MRSIGNERSEAM is not the TCB info's TDX module signer (module %s)",
                    major > 0 ? id : "tdxModule");
    ATEA_ENSURE_MSG(masked_equal(body->seam_attributes, m->attributes_mask, m->attributes, 8),
                    ATEA_ERR_TDX_COLLATERAL_MISMATCH,
                    "SEAMATTRIBUTES do not match the TCB info's TDX module attributes");
    if (major > 0) {
        for (size_t i = 0; i < m->level_count; i++) {
            if (m->levels[i].isvsvn <= body->tee_tcb_svn[0]) {
                *module_level = m->levels[i];
                *has_module_status = 1;
                goto out;
            }
        }
        ATEA_FAIL(ATEA_ERR_TDX_TCB_NO_MATCH,
                  "TDX module %s SVN %u is below every level of its identity", id,
                  body->tee_tcb_svn[0]);
    }
out:
    return err;
}

static int level_matches(const tdx_tcb_level *l, const tdx_pck_info *pck,
                         const atea_tdx_td_body *body)
{
    for (size_t i = 0; i < TDX_SGX_COMPONENTS; i++) {
        if (pck->sgx_comp[i] < l->sgx_comp[i]) {
            return 0;
        }
    }
    if (pck->pcesvn < l->pcesvn) {
        return 0;
    }
    size_t first_tdx = body->tee_tcb_svn[1] > 0 ? 2 : 0;
    for (size_t i = first_tdx; i < TDX_TEE_COMPONENTS; i++) {
        if (body->tee_tcb_svn[i] < l->tdx_comp[i]) {
            return 0;
        }
    }
    return 1;
}

/* A component (TDX module, QE) that is Revoked revokes the platform; one that is OutOfDate makes
 * it OutOfDate; any other component status leaves the platform's (Intel QVL's convergence). */
static tdx_tcb_status converge_module(tdx_tcb_status platform, tdx_tcb_status module)
{
    if (module == TDX_TCB_REVOKED) {
        return TDX_TCB_REVOKED;
    }
    if (module != TDX_TCB_OUT_OF_DATE) {
        return platform;
    }
    switch (platform) {
    case TDX_TCB_UP_TO_DATE:
    case TDX_TCB_SW_HARDENING_NEEDED:
        return TDX_TCB_OUT_OF_DATE;
    case TDX_TCB_CONFIGURATION_NEEDED:
    case TDX_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED:
        return TDX_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED;
    case TDX_TCB_OUT_OF_DATE:
    case TDX_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED:
    case TDX_TCB_REVOKED:
        return platform;
    }
    return platform;
}

tdx_tcb_status atea__tdx_converge_qe(tdx_tcb_status platform, tdx_tcb_status qe)
{
    return converge_module(platform, qe);
}

static void hex6(const uint8_t b[6], char out[13])
{
    for (size_t i = 0; i < 6; i++) {
        snprintf(out + 2 * i, 3, "%02x", b[i]);
    }
}

atea_err atea__tdx_tcb_evaluate(const tdx_tcb_info *info, const tdx_pck_info *pck,
                                const atea_tdx_td_body *body, tdx_tcb_result *res)
{
    atea_err err = ATEA_OK;
    char want[13];
    char have[13];
    int has_module_status = 0;
    tdx_tcb_level module_level;
    memset(res, 0, sizeof(*res));
    memset(&module_level, 0, sizeof(module_level));
    hex6(info->fmspc, want);
    hex6(pck->fmspc, have);
    ATEA_ENSURE_MSG(memcmp(info->fmspc, pck->fmspc, 6) == 0, ATEA_ERR_TDX_COLLATERAL_MISMATCH,
                    "the TCB info is for FMSPC %s, the platform's PCK certificate says %s", want,
                    have);
    ATEA_ENSURE_MSG(memcmp(info->pceid, pck->pceid, 2) == 0, ATEA_ERR_TDX_COLLATERAL_MISMATCH,
                    "the TCB info is for PCE-ID %02x%02x, the PCK certificate says %02x%02x",
                    info->pceid[0], info->pceid[1], pck->pceid[0], pck->pceid[1]);
    ATEA_TRY(check_module(info, body, &has_module_status, &module_level));
    for (size_t i = 0; i < info->level_count; i++) {
        if (level_matches(&info->levels[i], pck, body)) {
            res->level = &info->levels[i];
            break;
        }
    }
    ATEA_ENSURE_MSG(res->level != NULL, ATEA_ERR_TDX_TCB_NO_MATCH,
                    "FMSPC %s: CPUSVN %02x%02x%02x%02x%02x%02x%02x%02x.., PCESVN %u, TEE_TCB_SVN "
                    "%02x%02x%02x.. are below all %zu TCB levels",
                    have, pck->sgx_comp[0], pck->sgx_comp[1], pck->sgx_comp[2], pck->sgx_comp[3],
                    pck->sgx_comp[4], pck->sgx_comp[5], pck->sgx_comp[6], pck->sgx_comp[7],
                    pck->pcesvn, body->tee_tcb_svn[0], body->tee_tcb_svn[1], body->tee_tcb_svn[2],
                    info->level_count);
    res->status = res->level->status;
    res->advisories = res->level->advisories;
    if (has_module_status) {
        res->status = converge_module(res->status, module_level.status);
        atea__tdx_merge_advisories(&res->advisories, &module_level.advisories);
    }
out:
    return err;
}

atea_err atea__tdx_qe_evaluate(const tdx_qe_identity *qe, const atea_tdx_qe_report *rep,
                               tdx_tcb_result *res)
{
    atea_err err = ATEA_OK;
    memset(res, 0, sizeof(*res));
    ATEA_ENSURE_MSG((rep->miscselect & qe->miscselect_mask) == qe->miscselect,
                    ATEA_ERR_TDX_QE_IDENTITY,
                    "QE MISCSELECT 0x%08x under mask 0x%08x is not 0x%08x", rep->miscselect,
                    qe->miscselect_mask, qe->miscselect);
    ATEA_ENSURE_MSG(masked_equal(rep->attributes, qe->attributes_mask, qe->attributes, 16),
                    ATEA_ERR_TDX_QE_IDENTITY,
                    "QE ATTRIBUTES do not match the QE identity under its mask");
    ATEA_ENSURE_MSG(memcmp(rep->mrsigner, qe->mrsigner, 32) == 0, ATEA_ERR_TDX_QE_IDENTITY,
                    "QE MRSIGNER is not the one in the QE identity");
    ATEA_ENSURE_MSG(rep->isvprodid == qe->isvprodid, ATEA_ERR_TDX_QE_IDENTITY,
                    "QE ISVPRODID %u, the QE identity says %u", rep->isvprodid, qe->isvprodid);
    for (size_t i = 0; i < qe->level_count; i++) {
        if (qe->levels[i].isvsvn <= rep->isvsvn) {
            res->level = &qe->levels[i];
            res->status = qe->levels[i].status;
            res->advisories = qe->levels[i].advisories;
            goto out;
        }
    }
    ATEA_FAIL(ATEA_ERR_TDX_TCB_NO_MATCH, "QE ISVSVN %u is below every level of the QE identity",
              rep->isvsvn);
out:
    return err;
}
