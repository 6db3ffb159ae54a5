#include "inspect.h"

#include <string.h>

#include "atea/cmw.h"
#include "atea/ea.h"
#include "core/check.h"
#include "core/wr.h"

#define INSPECT_MAX_TEXT (16u * 1024u * 1024u)

int atea_inspect_kind_from_name(const char *name, atea_inspect_kind *kind, int *detect)
{
    memset(kind, 0, sizeof(*kind));
    *detect = 0;
    if (strcmp(name, "auto") == 0) {
        *detect = 1;
        return 0;
    }
    if (strcmp(name, "ea") == 0) {
        kind->ea = 1;
        return 0;
    }
    kind->evidence = atea_evidence_format_from_name(name);
    return kind->evidence == ATEA_EVIDENCE_FORMAT_UNKNOWN ? -1 : 0;
}

const char *atea_inspect_kind_name(atea_inspect_kind kind)
{
    if (kind.ea) {
        return "RFC 9261 exported authenticator message";
    }
    return atea_evidence_format_desc(kind.evidence);
}

atea_inspect_kind atea_inspect_detect(const uint8_t *in, size_t len)
{
    atea_inspect_kind kind = {0};
    if (len > 0) {
        switch (in[0]) {
        case ATEA_EA_HS_CERTIFICATE:
        case ATEA_EA_HS_CERTIFICATE_REQUEST:
        case ATEA_EA_HS_CLIENT_CERTIFICATE_REQUEST:
        case ATEA_EA_HS_FINISHED:
            kind.ea = 1;
            return kind;
        default:
            break;
        }
    }
    kind.evidence = atea_evidence_detect(in, len);
    return kind;
}

/* The dumpers of the cmw and verify layers write into a bounded writer; what they wrote before
 * a fault is kept. A CMW is shown as its wrapper, then the evidence inside it. */
static atea_err dump_evidence(atea_evidence_format f, const uint8_t *in, size_t len, atea_buf *text)
{
    atea_err err = ATEA_OK;
    atea_wr wr;
    ATEA_TRY(atea_wr_init_growable(&wr, 4096, INSPECT_MAX_TEXT));
    atea_err dump_err = ATEA_OK;
    if (f == ATEA_EVIDENCE_FORMAT_CMW) {
        dump_err = atea_cmw_dump(in, len, &wr);
        if (dump_err == ATEA_OK) {
            dump_err = atea_wr_bytes(&wr, "\n", 1);
        }
    }
    if (dump_err == ATEA_OK) {
        dump_err = atea_evidence_describe_as(f, in, len, &wr);
    }
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
    if (kind.ea) {
        ATEA_TRY(atea_ea_dump(in, len, cmw_ext, text));
        goto out;
    }
    ATEA_ENSURE_MSG(kind.evidence != ATEA_EVIDENCE_FORMAT_UNKNOWN, ATEA_ERR_CLI_UNRECOGNISED,
                    "the first byte 0x%02x starts no RFC 9261 message, CMW or evidence format "
                    "atea knows (use --type to say what it is)",
                    len > 0 ? in[0] : 0);
    ATEA_TRY(dump_evidence(kind.evidence, in, len, text));
out:
    return err;
}
