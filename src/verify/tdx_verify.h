/* State of one TDX verification, shared by tdx.c and tdx_pck.c. Internal. */
#ifndef ATEA_VERIFY_TDX_VERIFY_H
#define ATEA_VERIFY_TDX_VERIFY_H

#include "atea/tdx.h"
#include "verify/tdx_internal.h"

typedef struct tdx_verify_ctx {
    const atea_verify_env *env;
    atea_tdx_collateral *coll; /* may be NULL */
    atea_appraisal *out;
    tdx_pck_cache_entry *pck;  /* the verified PCK chain (cache slot or local_pck) */
    tdx_pck_cache_entry local_pck;
} tdx_verify_ctx;

/* Add a reason to the "tdx" submodule. */
atea_err atea__tdx_reason(tdx_verify_ctx *v, atea_ear_status tier, atea_err code, const char *fmt,
                          ...) ATEA_PRINTF(4, 5) ATEA_MUST_USE;

/* Verify (or take from the cache) the quote's PCK chain; sets v->pck. ATEA_ERR_CHAIN_*,
 * ATEA_ERR_TDX_PCK_EXTENSION. */
atea_err atea__tdx_pck_chain(tdx_verify_ctx *v, const atea_tdx_quote *q) ATEA_MUST_USE;

/* TCB info, QE identity and their validity windows (tdx_appraise.c). */
atea_err atea__tdx_appraise_collateral(tdx_verify_ctx *v, const atea_tdx_quote *q) ATEA_MUST_USE;

#endif
