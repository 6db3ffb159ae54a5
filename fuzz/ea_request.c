/* libFuzzer target: the authenticator request decoder (RFC 9261 §4) and the request dump of
 * `atea inspect`. Deterministic, no state between inputs. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "atea/ea.h"
#include "ea/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the parser accepted, written back, is the same bytes: the writer and the parser agree,
 * and the parser neither dropped nor invented anything. */
static void check_round_trip(const uint8_t *data, size_t size, const atea_ea_req *req)
{
    atea_wr wr;
    atea_ea_ext_where where = req->hs.type == ATEA_EA_HS_CERTIFICATE_REQUEST
                                  ? ATEA_EA_IN_CERTIFICATE_REQUEST
                                  : ATEA_EA_IN_CLIENT_CERTIFICATE_REQUEST;
    if (atea_wr_init_growable(&wr, size, size) != ATEA_OK) {
        __builtin_trap();
    }
    if (atea_ea_hs_open(&wr, req->hs.type) != ATEA_OK ||
        atea_wr_vec(&wr, 1, req->context.data, req->context.len) != ATEA_OK ||
        atea_ea_exts_write(&wr, req->exts.ext, req->exts.n, where) != ATEA_OK ||
        atea_ea_hs_close(&wr) != ATEA_OK || atea_wr_len(&wr) != size ||
        memcmp(atea_wr_data(&wr), data, size) != 0) {
        __builtin_trap();
    }
    atea_wr_dispose(&wr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    atea_ea_req req;
    atea_buf text = {0};
    uint8_t ctx[ATEA_EA_MAX_CONTEXT_LEN];
    size_t ctx_len = 0;
    if (atea_ea_req_parse(data, size, &req) == ATEA_OK) {
        /* What the parser accepted must be what it says. */
        if (req.hs.raw.len != size || req.n_sigalgs == 0 || req.context.len > 255) {
            __builtin_trap();
        }
        check_round_trip(data, size, &req);
    }
    (void)atea_ea_get_context(data, size, ctx, &ctx_len);
    (void)atea_ea_dump(data, size, ATEA_DEFAULT_CMW_EXT, &text);
    atea_buf_free(&text);
    return 0;
}
