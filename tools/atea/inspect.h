/* Recognising and dumping the formats `atea inspect` understands. */
#ifndef ATEA_CLI_INSPECT_H
#define ATEA_CLI_INSPECT_H

#include <stddef.h>
#include <stdint.h>

#include "atea/types.h"

typedef enum atea_inspect_kind {
    ATEA_INSPECT_AUTO,
    ATEA_INSPECT_EA,
    ATEA_INSPECT_CMW,
    ATEA_INSPECT_TDX,
    ATEA_INSPECT_SNP,
    ATEA_INSPECT_CCA,
    ATEA_INSPECT_UNKNOWN,
} atea_inspect_kind;

int atea_inspect_kind_from_name(const char *name, atea_inspect_kind *kind);
const char *atea_inspect_kind_name(atea_inspect_kind kind);

/* Guess the format from the first bytes (never fails; UNKNOWN if nothing fits). */
atea_inspect_kind atea_inspect_detect(const uint8_t *in, size_t len);

/* Append a dump of in to text. On malformed input, text holds what was decoded before the fault
 * and the error is returned. */
atea_err atea_inspect_dump(atea_inspect_kind kind, const uint8_t *in, size_t len,
                           uint16_t cmw_ext, atea_buf *text) ATEA_MUST_USE;

#endif
