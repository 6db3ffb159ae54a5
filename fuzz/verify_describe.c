/*
 * Fuzz target for atea_evidence_describe (include/atea/describe.h): the first byte picks the
 * format to force (0 or >= 8: detect it), the rest is the evidence. Every walker (TDX, SNP and its
 * certificate table, CCA, sim, TPM collection, CMW) must stay inside its input, never crash,
 * never leak, and return ATEA_OK or an error with the text written so far.
 */
#include <stddef.h>
#include <stdint.h>

#include "atea/describe.h"
#include "core/wr.h"

/* A dump of the largest input is a few hundred KiB; leave room, but bounded. */
#define FUZZ_TEXT_MAX (8u * 1024u * 1024u)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    atea_wr wr;
    if (size == 0 || atea_wr_init_growable(&wr, 4096, FUZZ_TEXT_MAX) != ATEA_OK) {
        return 0;
    }
    atea_evidence_format format = data[0] <= ATEA_EVIDENCE_FORMAT_CMW
                                      ? (atea_evidence_format)data[0]
                                      : ATEA_EVIDENCE_FORMAT_UNKNOWN;
    (void)atea_evidence_detect(data + 1, size - 1);
    (void)atea_evidence_describe_as(format, data + 1, size - 1, &wr);
    atea_wr_dispose(&wr);
    return 0;
}
