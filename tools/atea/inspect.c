#include "inspect.h"

#include <string.h>

#include "atea/cmw.h"
#include "atea/ea.h"
#include "core/wr.h"
#include "core/check.h"

static const struct {
    atea_inspect_kind kind;
    const char *name;
    const char *description;
} kinds[] = {
    {ATEA_INSPECT_AUTO, "auto", "format not yet known"},
    {ATEA_INSPECT_EA, "ea", "RFC 9261 exported authenticator message"},
    {ATEA_INSPECT_CMW, "cmw", "RATS conceptual message wrapper (RFC 9999)"},
    {ATEA_INSPECT_TDX, "tdx", "Intel TDX quote"},
    {ATEA_INSPECT_SNP, "snp", "AMD SEV-SNP attestation report"},
    {ATEA_INSPECT_CCA, "cca", "Arm CCA attestation token"},
    {ATEA_INSPECT_UNKNOWN, "unknown", "unrecognised format"},
};

int atea_inspect_kind_from_name(const char *name, atea_inspect_kind *kind)
{
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (kinds[i].kind != ATEA_INSPECT_UNKNOWN && strcmp(kinds[i].name, name) == 0) {
            *kind = kinds[i].kind;
            return 0;
        }
    }
    return -1;
}

const char *atea_inspect_kind_name(atea_inspect_kind kind)
{
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (kinds[i].kind == kind) {
            return kinds[i].description;
        }
    }
    return "unrecognised format";
}

atea_inspect_kind atea_inspect_detect(const uint8_t *in, size_t len)
{
    if (len == 0) {
        return ATEA_INSPECT_UNKNOWN;
    }
    switch (in[0]) {
    case ATEA_EA_HS_CERTIFICATE:
    case ATEA_EA_HS_CERTIFICATE_REQUEST:
    case ATEA_EA_HS_CLIENT_CERTIFICATE_REQUEST:
    case ATEA_EA_HS_FINISHED:
        return ATEA_INSPECT_EA;
    default:
        break;
    }
    if (atea_cmw_demux(in, len) != ATEA_CMW_FORM_UNKNOWN) {
        return ATEA_INSPECT_CMW;
    }
    return ATEA_INSPECT_UNKNOWN;
}

/* The CMW dumper writes into a bounded writer; what it wrote before a fault is kept. */
static atea_err dump_cmw(const uint8_t *in, size_t len, atea_buf *text)
{
    atea_err err = ATEA_OK;
    atea_wr wr;
    ATEA_TRY(atea_wr_init_growable(&wr, 4096, 16u * 1024u * 1024u));
    atea_err dump_err = atea_cmw_dump(in, len, &wr);
    atea_err take_err = atea_wr_take(&wr, text);
    atea_wr_dispose(&wr);
    ATEA_TRY(dump_err);
    ATEA_TRY(take_err);
out:
    return err;
}

atea_err atea_inspect_dump(atea_inspect_kind kind, const uint8_t *in, size_t len, uint16_t cmw_ext,
                           atea_buf *text)
{
    atea_err err = ATEA_OK;
    switch (kind) {
    case ATEA_INSPECT_EA:
        ATEA_TRY(atea_ea_dump(in, len, cmw_ext, text));
        break;
    case ATEA_INSPECT_CMW:
        ATEA_TRY(dump_cmw(in, len, text));
        break;
    case ATEA_INSPECT_AUTO:
    case ATEA_INSPECT_TDX:
    case ATEA_INSPECT_SNP:
    case ATEA_INSPECT_CCA:
    case ATEA_INSPECT_UNKNOWN:
        ATEA_FAIL(ATEA_ERR_CLI_UNRECOGNISED,
                  "the first byte 0x%02x starts no RFC 9261 message, CMW or evidence format atea "
                  "knows (use --type to say what it is)",
                  len > 0 ? in[0] : 0);
    }
out:
    return err;
}
