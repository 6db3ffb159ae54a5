/* libFuzzer target: the signature_algorithms extension a ClientHello carries, as the OpenSSL
 * backend's ClientHello callback parses it (src/backend/ossl/hello.c). Whatever parses must be an
 * even-sized list within the cap, in the order of the input. */
#include <stdint.h>
#include <stdlib.h>

#include "atea/tls.h"
#include "backend/ossl/ossl_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint16_t out[ATEA_TLS_MAX_SIGALGS];
    size_t n = 0;
    if (atea__ossl_parse_sigalgs(data, size, out, ATEA_TLS_MAX_SIGALGS, &n) == ATEA_OK) {
        if (size < 2 || n == 0 || n > ATEA_TLS_MAX_SIGALGS || size != 2 + 2 * n) {
            abort();
        }
        for (size_t i = 0; i < n; i++) {
            if (out[i] != (uint16_t)(data[2 + 2 * i] << 8 | data[3 + 2 * i])) {
                abort();
            }
        }
    }
    return 0;
}
