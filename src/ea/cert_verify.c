/*
 * CertificateVerify (15) (RFC 8446 §4.4.3):
 *
 *   struct {
 *       SignatureScheme algorithm;
 *       opaque signature<0..2^16-1>;
 *   } CertificateVerify;
 *
 * What is signed is RFC 9261's, not TLS's (§5.2.2); see crypto.c.
 */
#include "ea/msg.h"

#include "core/check.h"

atea_err atea_ea_cv_parse(const atea_ea_hs *hs, atea_ea_cv_msg *out)
{
    atea_err err = ATEA_OK;
    atea_rd body;
    atea_rd sig;
    ATEA_ENSURE(hs->type == ATEA_EA_HS_CERTIFICATE_VERIFY, ATEA_ERR_INTERNAL);
    out->hs = *hs;
    atea_ea_hs_body(hs, &body);
    ATEA_TRY(atea_rd_u16(&body, &out->scheme));
    ATEA_TRY(atea_rd_vec(&body, 2, 0, 0xffff, &sig));
    ATEA_TRY(atea_rd_end(&body));
    out->signature.data = sig.data;
    out->signature.len = sig.len;
out:
    return err;
}

atea_err atea_ea_cv_write(atea_wr *wr, uint16_t scheme, const uint8_t *sig, size_t sig_len)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(atea_ea_hs_open(wr, ATEA_EA_HS_CERTIFICATE_VERIFY));
    ATEA_TRY(atea_wr_u16(wr, scheme));
    ATEA_TRY(atea_wr_vec(wr, 2, sig, sig_len));
    ATEA_TRY(atea_ea_hs_close(wr));
out:
    return err;
}
