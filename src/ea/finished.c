/* Finished (20): verify_data[Hash.length] (RFC 8446 §4.4.4). In an authenticator it is
 * HMAC(Finished MAC Key, Hash(Handshake Context || request || Certificate || CertificateVerify))
 * (RFC 9261 §5.2.3); computed in crypto.c. */
#include "ea/msg.h"

#include "core/check.h"

atea_err atea_ea_fin_parse(const atea_ea_hs *hs, size_t hash_len, atea_slice *verify_data)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(hs->type == ATEA_EA_HS_FINISHED, ATEA_ERR_INTERNAL);
    ATEA_ENSURE_MSG(hs->body.len == hash_len, ATEA_ERR_VEC_LENGTH,
                    "Finished at offset %zu has a %zu-byte body; the suite's hash needs %zu",
                    hs->offset, hs->body.len, hash_len);
    *verify_data = hs->body;
out:
    return err;
}

atea_err atea_ea_fin_write(atea_wr *wr, const uint8_t *verify_data, size_t len)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(atea_ea_hs_open(wr, ATEA_EA_HS_FINISHED));
    ATEA_TRY(atea_wr_bytes(wr, verify_data, len));
    ATEA_TRY(atea_ea_hs_close(wr));
out:
    return err;
}
