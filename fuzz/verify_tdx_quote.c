/*
 * libFuzzer target for the TDX quote: atea_tdx_quote_parse, then the whole verifier without
 * collateral (PEM chain parsing, chain verification, QE and quote signature checks), and the
 * PCK SGX-extension DER walker on the raw input. Deterministic: a fixed verification time, no
 * randomness. Seeds are synthetic quotes (v4, v5 type 2 and 3) with well-formed layouts.
 */
#include <stddef.h>
#include <stdint.h>

#include "atea/appraisal.h"
#include "atea/tdx.h"
#include "verify/tdx_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    atea_tdx_quote q;
    tdx_pck_info info;
    atea_appraisal *a = NULL;
    atea_verify_env env = {0};
    env.now = 1687219200; /* 2023-06-20 */
    (void)atea_tdx_quote_parse(data, size, &q);
    (void)atea__tdx_pck_info_der(data, size, &info);
    if (atea_appraisal_new(&a) == ATEA_OK) {
        (void)atea_tdx_verify_with(&env, NULL, data, size, a);
        atea_appraisal_free(a);
    }
    return 0;
}
