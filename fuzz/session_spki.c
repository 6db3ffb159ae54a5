/* libFuzzer target: the bounded DER walk that finds a certificate's SubjectPublicKeyInfo
 * (atea_cert_spki, include/atea/binder.h). A success must point inside the input at a
 * SEQUENCE, and the binder over it must compute. */
#include <stdint.h>
#include <stdlib.h>

#include "atea/binder.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    atea_slice spki = {0};
    if (atea_cert_spki(data, size, &spki) != ATEA_OK) {
        return 0;
    }
    if (spki.data < data || spki.len < 2 || spki.data + spki.len > data + size ||
        spki.data[0] != 0x30) {
        abort();
    }
    static const uint8_t exported[ATEA_BINDER_EXPORTED_LEN] = {0};
    atea_binder_profile profile;
    atea_binding b;
    atea_binder_profile_default(&profile);
    if (atea_binder_from_exported(ATEA_HASH_SHA384, &profile, exported, sizeof(exported), spki.data,
                                  spki.len, &b) != ATEA_OK) {
        abort();
    }
    return 0;
}
