/* libFuzzer target for the Arm CCA verifier: collection (tag 399/907), COSE_Sign1, realm and
 * platform claim maps, RAK decoding and the signature checks, through atea_cca_verify.
 * Deterministic: no CPAK is configured (the platform signature is never reached with a valid
 * realm signature anyway) and no file is read. */
#include <stddef.h>
#include <stdint.h>

#include "atea/appraisal.h"
#include "atea/cca.h"
#include "atea/verify_env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    atea_appraisal *a = NULL;
    if (atea_appraisal_new(&a) != ATEA_OK) {
        return 0;
    }
    static const uint8_t binder[64] = {0xab};
    atea_verify_env env = {.expected_report_data = binder, .now = 1748736000};
    (void)!atea_cca_verify(&env, data, size, a);
    atea_appraisal_free(a);
    return 0;
}
