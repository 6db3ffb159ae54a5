/* The sim verifier's root cache (src/verify/sim.c), held by an atea_verifier. Internal. */
#ifndef ATEA_VERIFY_SIM_INTERNAL_H
#define ATEA_VERIFY_SIM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "atea/sim.h"

/* The last sim root that was decoded, trusted by the policy and found self-signed. A later
 * appraisal whose x5chain carries the same root DER (byte compare) reuses the decoded root and
 * skips its self-signature check; the policy's trust and the validity at env->now are checked
 * every time. Caller-owned state (one per verifier), safe to share between threads. */
typedef struct atea_sim_root_cache atea_sim_root_cache;

/* Errors: ATEA_ERR_NO_MEMORY. */
atea_err atea__sim_root_cache_new(atea_sim_root_cache **pcache) ATEA_MUST_USE;
void atea__sim_root_cache_free(atea_sim_root_cache *cache);

/* How many appraisals reused the cached root (tests). */
size_t atea__sim_root_cache_hits(atea_sim_root_cache *cache);

/* atea_sim_verify with a root cache (NULL: none); same checks, reasons and codes. */
atea_err atea__sim_verify_cached(const atea_verify_env *env, const atea_policy *policy,
                                 const atea_binding *expected, const uint8_t *evidence, size_t len,
                                 atea_sim_root_cache *cache, atea_appraisal *out) ATEA_MUST_USE;

#endif
