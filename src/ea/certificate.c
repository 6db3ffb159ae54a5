/*
 * Certificate (11) as RFC 9261 §5.2.1 uses it (RFC 8446 §4.4.2, X.509 entries only):
 *
 *   struct {
 *       opaque cert_data<1..2^24-1>;
 *       Extension extensions<0..2^16-1>;
 *   } CertificateEntry;
 *   struct {
 *       opaque certificate_request_context<0..2^8-1>;
 *       CertificateEntry certificate_list<0..2^24-1>;
 *   } Certificate;
 *
 * Which extensions are acceptable depends on the request; validate.c checks that.
 */
#include "ea/msg.h"

#include "core/check.h"

atea_err atea_ea_cert_parse(const atea_ea_hs *hs, atea_ea_cert *certs, size_t max_certs,
                            atea_ea_cert_msg *out)
{
    atea_err err = ATEA_OK;
    atea_rd body;
    atea_rd ctx;
    atea_rd list;
    ATEA_ENSURE(hs->type == ATEA_EA_HS_CERTIFICATE, ATEA_ERR_INTERNAL);
    out->hs = *hs;
    out->certs = certs;
    out->n_certs = 0;
    atea_ea_hs_body(hs, &body);
    ATEA_TRY(atea_rd_vec(&body, 1, 0, ATEA_EA_MAX_CONTEXT_LEN, &ctx));
    out->context.data = ctx.data;
    out->context.len = ctx.len;
    ATEA_TRY(atea_rd_vec(&body, 3, 0, 0xffffff, &list));
    ATEA_TRY(atea_rd_end(&body));
    while (atea_rd_left(&list) > 0) {
        atea_rd der;
        atea_ea_exts exts;
        ATEA_ENSURE_MSG(out->n_certs < max_certs, ATEA_ERR_EA_TOO_MANY_CERTS,
                        "CertificateEntry at offset %zu is number %zu; at most %zu are accepted",
                        atea_rd_pos(&list), out->n_certs + 1, max_certs);
        ATEA_TRY(atea_rd_vec(&list, 3, 1, 0xffffff, &der));
        ATEA_TRY(atea_ea_exts_parse(&list, 0, ATEA_EA_IN_CERTIFICATE, &exts));
        atea_ea_cert *c = &certs[out->n_certs];
        c->der.data = der.data;
        c->der.len = der.len;
        c->n_extensions = exts.n;
        for (size_t i = 0; i < exts.n; i++) {
            c->extensions[i] = exts.ext[i];
        }
        out->n_certs++;
    }
out:
    return err;
}

atea_err atea_ea_cert_write(atea_wr *wr, atea_slice context, const atea_ea_cert_in *certs,
                            size_t n_certs)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(context.len <= ATEA_EA_MAX_CONTEXT_LEN && (certs != NULL || n_certs == 0),
                ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea_ea_hs_open(wr, ATEA_EA_HS_CERTIFICATE));
    ATEA_TRY(atea_wr_vec(wr, 1, context.data, context.len));
    ATEA_TRY(atea_wr_open_vec(wr, 3));
    for (size_t i = 0; i < n_certs; i++) {
        ATEA_ENSURE_MSG(certs[i].der.len >= 1 && certs[i].der.data != NULL, ATEA_ERR_INVALID_ARG,
                        "certificate %zu of the chain is empty", i);
        ATEA_TRY(atea_wr_vec(wr, 3, certs[i].der.data, certs[i].der.len));
        ATEA_TRY(atea_ea_exts_write(wr, certs[i].extensions, certs[i].n_extensions,
                                    ATEA_EA_IN_CERTIFICATE));
    }
    ATEA_TRY(atea_wr_close_vec(wr));
    ATEA_TRY(atea_ea_hs_close(wr));
out:
    return err;
}
