/*
 * What an authenticator may carry, given what its request (or, for a spontaneous server
 * authenticator, the ClientHello) offered. Used alike when building and when validating, so
 * that atea never sends what it would refuse.
 *
 * RFC 9261 §5.2.1: "If an authenticator request was provided, the Certificate message MUST contain
 * only extensions present in the authenticator request. Otherwise, the Certificate message MUST
 * contain only extensions present in the (D)TLS ClientHello."
 * RFC 9261 §5.2.2: the scheme "MUST be a valid signature scheme for TLS 1.3" and "MUST be chosen
 * from one of the signature schemes present in the signature_algorithms extension".
 * draft-fossati-seat-expat: cmw_attestation only if offered (else unsupported_extension), only
 * in the first CertificateEntry, as `opaque cmw_data<1..2^16-1>`.
 */
#include <openssl/evp.h>

#include "core/check.h"
#include "ea/ea_internal.h"
#include "ea/sigscheme.h"

void atea_ea_offer_from_req(const atea_ea_req *req, atea_ea_offer *offer)
{
    offer->any_scheme = 0;
    offer->n_sigalgs = req->n_sigalgs;
    for (size_t i = 0; i < req->n_sigalgs; i++) {
        offer->sigalgs[i] = req->sigalgs[i];
    }
    offer->n_ext_types = req->exts.n;
    for (size_t i = 0; i < req->exts.n; i++) {
        offer->ext_types[i] = req->exts.ext[i].type;
    }
    offer->source = "request";
}

static int offered_ext(const atea_ea_offer *offer, uint16_t type)
{
    for (size_t i = 0; i < offer->n_ext_types; i++) {
        if (offer->ext_types[i] == type) {
            return 1;
        }
    }
    return 0;
}

/* cmw_attestation extension_data = CMWAttestation { opaque cmw_data<1..2^16-1>; }. */
static atea_err parse_cmw(atea_slice data, atea_slice *cmw)
{
    atea_err err = ATEA_OK;
    atea_rd rd;
    atea_rd body;
    atea_rd_init(&rd, data.data, data.len);
    err = atea_rd_vec(&rd, 2, 1, 0xffff, &body);
    ATEA_ENSURE_MSG(err == ATEA_OK && atea_rd_left(&rd) == 0, ATEA_ERR_EA_BAD_CMW,
                    "cmw_attestation has %zu bytes of extension_data; it must be a uint16 length "
                    "and that many (at least 1) bytes of CMW",
                    data.len);
    cmw->data = body.data;
    cmw->len = body.len;
out:
    return err;
}

atea_err atea_ea_offer_check_exts(const atea_ea_offer *offer, uint16_t cmw_type, size_t index,
                                  const atea_ea_ext *ext, size_t n, atea_slice *cmw)
{
    atea_err err = ATEA_OK;
    for (size_t i = 0; i < n; i++) {
        uint16_t type = ext[i].type;
        if (type == cmw_type) {
            ATEA_ENSURE_MSG(offered_ext(offer, type), ATEA_ERR_EA_UNREQUESTED_CMW,
                            "CertificateEntry %zu carries cmw_attestation (0x%04x) but the %s "
                            "did not offer it",
                            index, type, offer->source);
            ATEA_ENSURE_MSG(index == 0, ATEA_ERR_EA_CMW_NOT_FIRST,
                            "cmw_attestation in CertificateEntry %zu; it belongs only to the "
                            "end-entity entry (0)",
                            index);
            ATEA_TRY(parse_cmw(ext[i].data, cmw));
            continue;
        }
        ATEA_ENSURE_MSG(offered_ext(offer, type), ATEA_ERR_EA_UNREQUESTED_EXTENSION,
                        "CertificateEntry %zu carries extension %u (0x%04x) that the %s did not "
                        "carry",
                        index, type, type, offer->source);
    }
out:
    return err;
}

atea_err atea_ea_offer_check_scheme(const atea_ea_offer *offer, uint16_t scheme)
{
    atea_err err = ATEA_OK;
    const atea_ea_scheme *s = NULL;
    int offered = offer->any_scheme;
    ATEA_TRY(atea_ea_scheme_require_tls13(scheme, &s));
    for (size_t i = 0; i < offer->n_sigalgs && !offered; i++) {
        offered = offer->sigalgs[i] == scheme;
    }
    ATEA_ENSURE_MSG(offered, ATEA_ERR_EA_SCHEME_NOT_OFFERED,
                    "CertificateVerify uses %s (0x%04x), which the %s's signature_algorithms "
                    "(%zu schemes) does not list",
                    s->name, scheme, offer->source, offer->n_sigalgs);
out:
    return err;
}

atea_err atea_ea_offer_choose_scheme(const atea_ea_offer *offer, EVP_PKEY *key, uint16_t *scheme)
{
    atea_err err = ATEA_OK;
    int found = 0;
    /* The peer lists its preference first (RFC 8446 §4.2.3). */
    for (size_t i = 0; i < offer->n_sigalgs && !found; i++) {
        const atea_ea_scheme *s = atea_ea_scheme_find(offer->sigalgs[i]);
        if (s != NULL && s->tls13 && atea_ea_scheme_fits_key(s, key) == ATEA_OK) {
            *scheme = s->code;
            found = 1;
        }
    }
    atea_err_clear();
    ATEA_ENSURE_MSG(found, ATEA_ERR_EA_NO_COMMON_SCHEME,
                    "none of the %zu signature schemes in the %s fits the %s signing key",
                    offer->n_sigalgs, offer->source, EVP_PKEY_get0_type_name(key));
out:
    return err;
}
