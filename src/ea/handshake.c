/* The TLS handshake header around every RFC 9261 message: "encoded as TLS handshake messages,
 * including length and type fields" (RFC 9261 §4, §5.2), HandshakeType || uint24 length. */
#include "ea/msg.h"

#include "core/check.h"

atea_err atea_ea_hs_read(atea_rd *rd, atea_ea_hs *hs)
{
    atea_err err = ATEA_OK;
    size_t start = rd->off;
    atea_rd body;
    ATEA_TRY(atea_rd_u8(rd, &hs->type));
    ATEA_TRY(atea_rd_vec(rd, 3, 0, 0xffffff, &body));
    hs->offset = rd->base + start;
    hs->body.data = body.data;
    hs->body.len = body.len;
    hs->raw.data = rd->data + start;
    hs->raw.len = rd->off - start;
out:
    if (err != ATEA_OK) {
        rd->off = start;
    }
    return err;
}

void atea_ea_hs_body(const atea_ea_hs *hs, atea_rd *rd)
{
    atea_rd_init(rd, hs->body.data, hs->body.len);
    rd->base = hs->offset + ATEA_EA_HS_HEADER_LEN;
}

atea_err atea_ea_hs_open(atea_wr *wr, uint8_t type)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(atea_wr_u8(wr, type));
    ATEA_TRY(atea_wr_open_vec(wr, 3));
out:
    return err;
}

atea_err atea_ea_hs_close(atea_wr *wr)
{
    return atea_wr_close_vec(wr);
}

const char *atea_ea_hs_name(uint8_t type)
{
    switch (type) {
    case ATEA_EA_HS_CERTIFICATE:
        return "Certificate";
    case ATEA_EA_HS_CERTIFICATE_REQUEST:
        return "CertificateRequest";
    case ATEA_EA_HS_CERTIFICATE_VERIFY:
        return "CertificateVerify";
    case ATEA_EA_HS_CLIENT_CERTIFICATE_REQUEST:
        return "ClientCertificateRequest";
    case ATEA_EA_HS_FINISHED:
        return "Finished";
    default:
        return "unknown";
    }
}
