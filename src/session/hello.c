/* HELLO frame body (docs/PROTOCOL.md "HELLO"):
 *
 *   uint16 version;                      ATEA_FRAME_VERSION
 *   uint8  roles;                        ATEA_ROLE_ATTEST | ATEA_ROLE_VERIFY
 *   uint8  cmw_formats;                  ATEA_CMW_FORMAT_CBOR | ATEA_CMW_FORMAT_JSON
 *   uint16 evidence_types<0..2*32>;      uint8 length prefix, empty = any
 *   opaque label<1..64>;                 binder exporter label, printable ASCII
 *   uint8  layout;                       atea_binder_layout
 *   uint16 cmw_ext;                      cmw_attestation codepoint
 */
#include <string.h>

#include "atea/binder.h"
#include "atea/frame.h"
#include "core/check.h"
#include "core/rd.h"
#include "core/wr.h"

static int printable(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] < 0x20 || p[i] > 0x7e) {
            return 0;
        }
    }
    return 1;
}

atea_err atea_hello_encode(const atea_hello *hello, uint8_t *out, size_t cap, size_t *written)
{
    atea_err err = ATEA_OK;
    atea_wr wr;
    ATEA_ENSURE(hello != NULL && out != NULL && written != NULL, ATEA_ERR_INVALID_ARG);
    size_t label_len = strnlen(hello->label, sizeof(hello->label));
    ATEA_ENSURE_MSG((hello->roles & ~ATEA_ROLE_MASK) == 0 &&
                        (hello->cmw_formats & ~ATEA_CMW_FORMAT_MASK) == 0 &&
                        hello->n_evidence_types <= ATEA_FRAME_MAX_EVIDENCE_TYPES &&
                        label_len >= 1 && label_len <= ATEA_BINDER_LABEL_MAX &&
                        printable((const uint8_t *)hello->label, label_len),
                    ATEA_ERR_INVALID_ARG, "HELLO fields out of range");
    atea_wr_init_fixed(&wr, out, cap);
    ATEA_TRY(atea_wr_u16(&wr, hello->version));
    ATEA_TRY(atea_wr_u8(&wr, hello->roles));
    ATEA_TRY(atea_wr_u8(&wr, hello->cmw_formats));
    ATEA_TRY(atea_wr_open_vec(&wr, 1));
    for (size_t i = 0; i < hello->n_evidence_types; i++) {
        ATEA_TRY(atea_wr_u16(&wr, hello->evidence_types[i]));
    }
    ATEA_TRY(atea_wr_close_vec(&wr));
    ATEA_TRY(atea_wr_vec(&wr, 1, hello->label, label_len));
    ATEA_TRY(atea_wr_u8(&wr, hello->layout));
    ATEA_TRY(atea_wr_u16(&wr, hello->cmw_ext));
    *written = atea_wr_len(&wr);
out:
    return err;
}

atea_err atea_hello_decode(const uint8_t *body, size_t len, atea_hello *hello)
{
    atea_err err = ATEA_OK;
    atea_rd rd;
    atea_rd types;
    atea_rd label;
    ATEA_ENSURE((body != NULL || len == 0) && hello != NULL, ATEA_ERR_INVALID_ARG);
    memset(hello, 0, sizeof(*hello));
    atea_rd_init(&rd, body, len);
    ATEA_TRY(atea_rd_u16(&rd, &hello->version));
    /* Another version may lay out the rest differently: stop here and say so. */
    ATEA_ENSURE_MSG(hello->version == ATEA_FRAME_VERSION, ATEA_ERR_HELLO_VERSION,
                    "peer speaks atea framing version %u, this side version %u",
                    (unsigned)hello->version, (unsigned)ATEA_FRAME_VERSION);
    ATEA_TRY(atea_rd_u8(&rd, &hello->roles));
    ATEA_ENSURE_MSG((hello->roles & ~ATEA_ROLE_MASK) == 0, ATEA_ERR_FRAME_MALFORMED,
                    "HELLO roles 0x%02x has undefined bits", hello->roles);
    ATEA_TRY(atea_rd_u8(&rd, &hello->cmw_formats));
    ATEA_ENSURE_MSG((hello->cmw_formats & ~ATEA_CMW_FORMAT_MASK) == 0, ATEA_ERR_FRAME_MALFORMED,
                    "HELLO cmw_formats 0x%02x has undefined bits", hello->cmw_formats);
    ATEA_TRY(atea_rd_vec(&rd, 1, 0, 2 * ATEA_FRAME_MAX_EVIDENCE_TYPES, &types));
    ATEA_ENSURE_MSG(atea_rd_left(&types) % 2 == 0, ATEA_ERR_FRAME_MALFORMED,
                    "HELLO evidence_types has odd length %zu", atea_rd_left(&types));
    while (atea_rd_left(&types) > 0) {
        ATEA_TRY(atea_rd_u16(&types, &hello->evidence_types[hello->n_evidence_types]));
        hello->n_evidence_types++;
    }
    ATEA_TRY(atea_rd_vec(&rd, 1, 1, ATEA_BINDER_LABEL_MAX, &label));
    ATEA_ENSURE_MSG(printable(atea_rd_ptr(&label), atea_rd_left(&label)), ATEA_ERR_FRAME_MALFORMED,
                    "HELLO label is not printable ASCII");
    ATEA_TRY(atea_rd_copy(&label, hello->label, atea_rd_left(&label)));
    ATEA_TRY(atea_rd_u8(&rd, &hello->layout));
    ATEA_TRY(atea_rd_u16(&rd, &hello->cmw_ext));
    ATEA_TRY(atea_rd_end(&rd));
out:
    return err;
}
