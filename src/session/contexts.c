/* Every certificate_request_context used on the connection, in either direction, so that a
 * reused one is refused BEFORE any evidence is produced for it (profile.md §3; RFC 9261 §4).
 * The EA layer refuses reuse too, but only when it builds the authenticator, after the
 * attester has already run. Contexts are kept as SHA-256 digests: fixed size, whatever their
 * length (1..255 bytes). */
#include <string.h>

#include <openssl/evp.h>

#include "core/check.h"
#include "session_internal.h"

#define CONTEXT_DIGEST_LEN 32

atea_err atea__session_context_use(atea_session *s, const uint8_t *ctx, size_t len)
{
    atea_err err = ATEA_OK;
    uint8_t digest[CONTEXT_DIGEST_LEN];
    size_t count = atea_wr_len(&s->contexts) / CONTEXT_DIGEST_LEN;
    ATEA_ENSURE(EVP_Digest(ctx, len, digest, NULL, EVP_sha256(), NULL) == 1, ATEA_ERR_BINDER_HASH);
    for (size_t i = 0; i < count; i++) {
        ATEA_ENSURE_MSG(memcmp(atea_wr_data(&s->contexts) + i * CONTEXT_DIGEST_LEN, digest,
                               CONTEXT_DIGEST_LEN) != 0,
                        ATEA_ERR_SESSION_CONTEXT_REUSED,
                        "the %zu-byte context was already used on this connection (exchange %zu)",
                        len, i + 1);
    }
    ATEA_ENSURE_MSG(count < ATEA_SESSION_MAX_CONTEXTS, ATEA_ERR_SESSION_TOO_MANY_CONTEXTS,
                    "%zu attestation exchanges on this connection", count);
    ATEA_TRY(atea_wr_bytes(&s->contexts, digest, sizeof(digest)));
out:
    return err;
}
