/*
 * libFuzzer target for the TCG2 crypto-agile event-log parser and the TDX CCEL replay (claims
 * into an appraisal). Deterministic. Seeds are small synthetic logs.
 */
#include <stddef.h>
#include <stdint.h>

#include "atea/appraisal.h"
#include "atea/tdx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    atea_appraisal *a = NULL;
    uint8_t replayed[4][48];
    static const uint8_t zero[4][48];
    if (atea_appraisal_new(&a) != ATEA_OK) {
        return 0;
    }
    if (atea_appraisal_add_submod(a, "tdx", "intel-tdx") == ATEA_OK) {
        (void)atea_tdx_eventlog_replay(data, size, zero, replayed, a);
    }
    atea_appraisal_free(a);
    return 0;
}
