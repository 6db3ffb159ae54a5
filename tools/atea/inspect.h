/* Recognising and dumping the formats `atea inspect` understands: RFC 9261 messages (EA layer),
 * CMWs and the evidence inside them, raw TDX/SNP/CCA/sim/TPM evidence (verify layer's describer).
 */
#ifndef ATEA_CLI_INSPECT_H
#define ATEA_CLI_INSPECT_H

#include <stddef.h>
#include <stdint.h>

#include "atea/describe.h"
#include "atea/types.h"

typedef struct atea_inspect_kind {
    int ea;                        /* an RFC 9261 message */
    atea_evidence_format evidence; /* otherwise: the evidence format (CMW included) */
} atea_inspect_kind;

/* "auto" (detect), "ea", or an evidence format name ("cmw", "tdx", "snp", "snp-cert-table",
 * "cca", "sim", "tpm-collection"). Returns 0, or -1 for an unknown name. *detect = 1 for auto. */
int atea_inspect_kind_from_name(const char *name, atea_inspect_kind *kind, int *detect);
const char *atea_inspect_kind_name(atea_inspect_kind kind);

/* Guess the format from the first bytes (never fails). */
atea_inspect_kind atea_inspect_detect(const uint8_t *in, size_t len);

/* Append a dump of in to text. On malformed input, text holds what was decoded before the fault
 * and the error is returned. */
atea_err atea_inspect_dump(atea_inspect_kind kind, const uint8_t *in, size_t len, uint16_t cmw_ext,
                           atea_buf *text) ATEA_MUST_USE;

#endif
