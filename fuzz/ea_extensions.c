/* libFuzzer target: the extension-list parser (RFC 8446 §4.2) in each message it serves, and the
 * signature_algorithms decoder on every entry it yields. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "atea/ea.h"
#include "ea/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const atea_ea_ext_where wheres[] = {
        ATEA_EA_IN_CERTIFICATE_REQUEST,
        ATEA_EA_IN_CLIENT_CERTIFICATE_REQUEST,
        ATEA_EA_IN_CERTIFICATE,
    };
    for (size_t w = 0; w < sizeof(wheres) / sizeof(wheres[0]); w++) {
        atea_rd rd;
        atea_ea_exts exts;
        atea_rd_init(&rd, data, size);
        if (atea_ea_exts_parse(&rd, 0, wheres[w], &exts) != ATEA_OK) {
            continue;
        }
        if (exts.n > ATEA_EA_MAX_EXTENSIONS) {
            __builtin_trap();
        }
        /* What parses writes back to the same bytes (the list and its prefix). */
        uint8_t out[2 + 0xffff];
        atea_wr wr;
        size_t used = rd.off;
        atea_wr_init_fixed(&wr, out, sizeof(out));
        if (atea_ea_exts_write(&wr, exts.ext, exts.n, wheres[w]) != ATEA_OK ||
            atea_wr_len(&wr) != used || memcmp(out, data, used) != 0) {
            __builtin_trap();
        }
        for (size_t i = 0; i < exts.n; i++) {
            uint16_t sigalgs[ATEA_TLS_MAX_SIGALGS];
            size_t n = 0;
            (void)atea_ea_sigalgs_parse(exts.ext[i].data, sigalgs, ATEA_TLS_MAX_SIGALGS, &n);
            if (n > ATEA_TLS_MAX_SIGALGS) {
                __builtin_trap();
            }
        }
    }
    return 0;
}
