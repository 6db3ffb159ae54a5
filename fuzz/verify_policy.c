/*
 * libFuzzer target for the policy loader (src/verify/policy.c, json_line.c) and the rule engine
 * (policy_apply.c): the input is a policy file; when it loads, it is applied to a fixed appraisal
 * with claims of every type, so that reference values, minimums and type mismatches all run.
 * Deterministic: no clock, no randomness; file names inside the policy resolve against a
 * directory that does not exist, so no file is ever read.
 */
#include <stddef.h>
#include <stdint.h>

#include "atea/appraisal.h"
#include "atea/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void apply_to_fixed_appraisal(const atea_policy *policy)
{
    static const uint8_t mrtd[4] = {0x1a, 0x2b, 0x3c, 0x4d};
    atea_appraisal *a = NULL;
    if (atea_appraisal_new(&a) != ATEA_OK) {
        return;
    }
    if (atea_appraisal_add_submod(a, "tdx", "intel-tdx") == ATEA_OK &&
        atea_appraisal_add_submod(a, "sim", "sim") == ATEA_OK &&
        atea_appraisal_add_reason(a, "tdx", ATEA_EAR_WARNING, ATEA_OK, "stale") == ATEA_OK &&
        atea_appraisal_claim_bytes(a, "tdx", "mrtd", mrtd, sizeof(mrtd)) == ATEA_OK &&
        atea_appraisal_claim_int(a, "tdx", "tcb_svn", 3) == ATEA_OK &&
        atea_appraisal_claim_str(a, "tdx", "tcb_status", "UpToDate") == ATEA_OK &&
        atea_appraisal_claim_bool(a, "tdx", "debug", 1) == ATEA_OK &&
        atea_appraisal_claim_bytes(a, "sim", "measurement", mrtd, 2) == ATEA_OK) {
        (void)atea_policy_apply(policy, a);
        (void)atea_appraisal_status(a);
    }
    atea_appraisal_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    atea_policy *policy = NULL;
    atea_policy_diag diag;
    if (atea_policy_load_mem((const char *)data, size, "fuzz.json", "/nonexistent-atea-fuzz",
                             &policy, &diag) == ATEA_OK) {
        apply_to_fixed_appraisal(policy);
        uint8_t zero[32] = {0};
        size_t count = 0;
        (void)atea_policy_sim_root_trusted(policy, zero);
        (void)atea_policy_tpm_ak_sha256(policy, &count);
        (void)atea_policy_platform_allowed(policy, "cca");
        atea_policy_free(policy);
    }
    return 0;
}
