/*
 * Fuzz target for atea_evidence_describe (include/atea/describe.h): the first byte picks the
 * format to force (0 or > 7: detect it), the rest is the evidence. Every walker (TDX, SNP and its
 * certificate table, CCA, sim, TPM collection, CMW) must stay inside its input, never crash and
 * never leak. And the describer must agree with the strict parsers: evidence that
 * atea_tdx_quote_parse, atea_snp_report_parse or atea_sim_evidence_parse accepts is described
 * without error (the walk is never stricter than the parser).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "atea/describe.h"
#include "atea/sim.h"
#include "atea/snp.h"
#include "atea/tdx.h"
#include "core/wr.h"

/* A dump is a few times its input (hex, names): 8 MiB is far above any input's dump. */
#define FUZZ_TEXT_MAX (8u * 1024u * 1024u)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 1 if the format's strict parser accepts in[0..len). */
static int parser_accepts(atea_evidence_format format, const uint8_t *in, size_t len)
{
    static atea_tdx_quote quote;
    static atea_snp_report report;
    static atea_sim_evidence sim;
    switch (format) {
    case ATEA_EVIDENCE_FORMAT_TDX:
        return atea_tdx_quote_parse(in, len, &quote) == ATEA_OK;
    case ATEA_EVIDENCE_FORMAT_SNP:
        return atea_snp_report_parse(in, len, &report) == ATEA_OK;
    case ATEA_EVIDENCE_FORMAT_SIM:
        return atea_sim_evidence_parse(in, len, &sim) == ATEA_OK;
    case ATEA_EVIDENCE_FORMAT_UNKNOWN:
    case ATEA_EVIDENCE_FORMAT_SNP_CERT_TABLE:
    case ATEA_EVIDENCE_FORMAT_CCA:
    case ATEA_EVIDENCE_FORMAT_TPM_COLLECTION:
    case ATEA_EVIDENCE_FORMAT_CMW:
        break;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    atea_wr wr;
    if (size == 0 || atea_wr_init_growable(&wr, 4096, FUZZ_TEXT_MAX) != ATEA_OK) {
        return 0;
    }
    const uint8_t *in = data + 1;
    size_t len = size - 1;
    atea_evidence_format format = data[0] <= ATEA_EVIDENCE_FORMAT_CMW
                                      ? (atea_evidence_format)data[0]
                                      : ATEA_EVIDENCE_FORMAT_UNKNOWN;
    if (format == ATEA_EVIDENCE_FORMAT_UNKNOWN) {
        format = atea_evidence_detect(in, len);
    }
    atea_err err = atea_evidence_describe_as(format, in, len, &wr);
    if (err != ATEA_OK && parser_accepts(format, in, len)) {
        abort(); /* the describer refused what the parser accepts */
    }
    atea_wr_dispose(&wr);
    return 0;
}
