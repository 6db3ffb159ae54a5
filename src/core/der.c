#include "core/der.h"

#include "core/check.h"
#include "core/rd.h"

#define DER_SEQUENCE 0x30
#define DER_INTEGER 0x02
#define DER_BIT_STRING 0x03
#define DER_CONTEXT_0 0xa0

/* Read one TLV whose tag must be `tag`; *body is its content, *whole the TLV bytes. */
static atea_err der_expect(atea_rd *rd, uint8_t tag, const char *what, atea_rd *body,
                           atea_slice *whole)
{
    atea_err err = ATEA_OK;
    size_t start = rd->off;
    size_t pos = atea_rd_pos(rd);
    uint8_t got = 0;
    uint8_t first = 0;
    size_t len = 0;
    ATEA_ENSURE_MSG(atea_rd_u8(rd, &got) == ATEA_OK && got == tag, ATEA_ERR_DER_MALFORMED,
                    "expected %s (tag 0x%02x) at offset %zu, found 0x%02x", what, tag, pos, got);
    ATEA_ENSURE_MSG(atea_rd_u8(rd, &first) == ATEA_OK, ATEA_ERR_DER_MALFORMED,
                    "%s at offset %zu has no length", what, pos);
    if (first < 0x80) {
        len = first;
    } else {
        unsigned n = first & 0x7fu;
        ATEA_ENSURE_MSG(n >= 1 && n <= ATEA_DER_MAX_LEN_BYTES, ATEA_ERR_DER_MALFORMED,
                        "%s at offset %zu has a %u-byte length", what, pos, n);
        for (unsigned i = 0; i < n; i++) {
            uint8_t b = 0;
            ATEA_ENSURE_MSG(atea_rd_u8(rd, &b) == ATEA_OK, ATEA_ERR_DER_MALFORMED,
                            "the length of %s at offset %zu is cut short", what, pos);
            len = (len << 8) | b;
        }
        /* DER (X.690 §10.1): the shortest length form only. */
        ATEA_ENSURE_MSG(len >= 0x80 && (n == 1 || (len >> (8 * (n - 1))) != 0),
                        ATEA_ERR_DER_MALFORMED, "%s at offset %zu has a non-minimal length %zu",
                        what, pos, len);
    }
    ATEA_ENSURE_MSG(atea_rd_sub(rd, len, body) == ATEA_OK, ATEA_ERR_DER_MALFORMED,
                    "%s at offset %zu is %zu bytes but %zu remain", what, pos, len,
                    atea_rd_left(rd));
    if (whole != NULL) {
        whole->data = rd->data + start;
        whole->len = rd->off - start;
    }
out:
    if (err != ATEA_OK) {
        rd->off = start;
    }
    return err;
}

atea_err atea_der_cert_spki(const uint8_t *der, size_t len, atea_slice *spki)
{
    atea_err err = ATEA_OK;
    atea_rd in;
    atea_rd cert;
    atea_rd tbs;
    atea_rd key;
    atea_rd part;
    atea_slice found = {0};
    ATEA_ENSURE(spki != NULL && (der != NULL || len == 0), ATEA_ERR_INVALID_ARG);
    atea_rd_init(&in, der, len);
    ATEA_TRY(der_expect(&in, DER_SEQUENCE, "Certificate", &cert, NULL));
    ATEA_ENSURE_MSG(atea_rd_end(&in) == ATEA_OK, ATEA_ERR_DER_MALFORMED,
                    "%zu bytes follow the certificate's DER encoding", atea_rd_left(&in));
    /* Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }. */
    ATEA_TRY(der_expect(&cert, DER_SEQUENCE, "tbsCertificate", &tbs, NULL));
    ATEA_TRY(der_expect(&cert, DER_SEQUENCE, "signatureAlgorithm", &part, NULL));
    ATEA_TRY(der_expect(&cert, DER_BIT_STRING, "signatureValue", &part, NULL));
    ATEA_ENSURE_MSG(atea_rd_end(&cert) == ATEA_OK, ATEA_ERR_DER_MALFORMED,
                    "%zu bytes follow the certificate's signatureValue", atea_rd_left(&cert));
    if (atea_rd_left(&tbs) > 0 && tbs.data[tbs.off] == DER_CONTEXT_0) {
        ATEA_TRY(der_expect(&tbs, DER_CONTEXT_0, "version", &part, NULL));
    }
    ATEA_TRY(der_expect(&tbs, DER_INTEGER, "serialNumber", &part, NULL));
    ATEA_TRY(der_expect(&tbs, DER_SEQUENCE, "signature", &part, NULL));
    ATEA_TRY(der_expect(&tbs, DER_SEQUENCE, "issuer", &part, NULL));
    ATEA_TRY(der_expect(&tbs, DER_SEQUENCE, "validity", &part, NULL));
    ATEA_TRY(der_expect(&tbs, DER_SEQUENCE, "subject", &part, NULL));
    ATEA_TRY(der_expect(&tbs, DER_SEQUENCE, "subjectPublicKeyInfo", &key, &found));
    /* SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT
     * STRING }. */
    ATEA_TRY(der_expect(&key, DER_SEQUENCE, "SPKI algorithm", &part, NULL));
    ATEA_TRY(der_expect(&key, DER_BIT_STRING, "SPKI subjectPublicKey", &part, NULL));
    ATEA_ENSURE_MSG(atea_rd_end(&key) == ATEA_OK, ATEA_ERR_DER_MALFORMED,
                    "%zu bytes follow the subjectPublicKey", atea_rd_left(&key));
    *spki = found;
out:
    return err;
}
