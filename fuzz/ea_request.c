/* libFuzzer target: the authenticator request decoder (RFC 9261 §4) and the request dump of
 * `atea inspect`. Deterministic, no state between inputs. */
#include <stddef.h>
#include <stdint.h>

#include "atea/ea.h"
#include "ea/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
    }
    (void)atea_ea_get_context(data, size, ctx, &ctx_len);
    (void)atea_ea_dump(data, size, ATEA_DEFAULT_CMW_EXT, &text);
    atea_buf_free(&text);
    return 0;
}
