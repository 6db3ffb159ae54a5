/* Checked wrappers around the atea_tls ops (include/atea/tls.h): argument checks in one place,
 * and TLS 1.3 enforced before any exporter is used (profile.md §1: atea refuses TLS 1.2). */
#include <string.h>

#include "atea/tls.h"
#include "core/check.h"

size_t atea_hash_len(atea_hash hash)
{
    switch (hash) {
    case ATEA_HASH_SHA256:
        return 32;
    case ATEA_HASH_SHA384:
        return 48;
    case ATEA_HASH_SHA512:
        return 64;
    }
    return 0;
}

atea_err atea_tls_require_13(const atea_tls *tls)
{
    atea_err err = ATEA_OK;
    uint16_t version = 0;
    ATEA_ENSURE(tls != NULL && tls->ops != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(tls->ops->version != NULL, ATEA_ERR_TLS_NO_OPS,
                    "the TLS adapter has no version operation");
    ATEA_TRY(tls->ops->version(tls->impl, &version));
    ATEA_ENSURE_MSG(version == ATEA_TLS_VERSION_1_3, ATEA_ERR_TLS_VERSION,
                    "negotiated protocol version 0x%04x; Exported Authenticators in atea need "
                    "TLS 1.3 (0x0304)",
                    version);
out:
    return err;
}

atea_err atea_tls_exporter(const atea_tls *tls, const char *label, const uint8_t *context,
                           size_t context_len, uint8_t *out, size_t out_len)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(tls != NULL && tls->ops != NULL && label != NULL && out != NULL && out_len > 0,
                ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE(context != NULL || context_len == 0, ATEA_ERR_INVALID_ARG);
    /* HkdfLabel: label<7..255> = "tls13 " + label, uint16 length (RFC 8446 §7.1). */
    ATEA_ENSURE_MSG(strlen(label) <= 255 - 6 && out_len <= 0xffff, ATEA_ERR_INVALID_ARG,
                    "exporter label of %zu bytes (at most 249) or output of %zu bytes (at most "
                    "65535)",
                    strlen(label), out_len);
    ATEA_ENSURE_MSG(tls->ops->exporter != NULL, ATEA_ERR_TLS_NO_OPS,
                    "the TLS adapter has no exporter operation");
    ATEA_TRY(atea_tls_require_13(tls));
    atea_err rc =
        tls->ops->exporter(tls->impl, label, strlen(label), context, context_len, out, out_len);
    ATEA_ENSURE_MSG(rc == ATEA_OK, rc == ATEA_ERR_NO_MEMORY ? rc : ATEA_ERR_TLS_EXPORTER,
                    "TLS-Exporter(\"%s\", %zu-byte context, %zu bytes) failed: %s", label,
                    context_len, out_len, atea_err_name(rc));
out:
    if (err != ATEA_OK && out != NULL) {
        atea_wipe(out, out_len);
    }
    return err;
}
