/*
 * Text output of the evidence describer: indented lines, wrapped hex, flag lists, fixed-layout
 * field tables and X.509 summaries. Everything goes into the caller's bounded writer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "core/check.h"
#include "verify/chain.h"
#include "verify/describe_internal.h"

atea_err atea__describe_line(atea__describe *d, unsigned extra, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    atea_err err = atea_wr_vlinef(d->out, d->indent + extra, ATEA_DESCRIBE_MAX_LINE - 1, fmt, ap);
    va_end(ap);
    return err;
}

atea_err atea__describe_banner(atea__describe *d, const char *fmt, ...)
{
    atea_err err = ATEA_OK;
    char what[ATEA_DESCRIBE_MAX_LINE / 2];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    ATEA_ENSURE(n >= 0, ATEA_ERR_INTERNAL);
    ATEA_TRY(atea__describe_line(d, 0, "%s (decoded only, not verified: use atea verify)", what));
out:
    return err;
}

atea_err atea__describe_hex(atea__describe *d, const char *name, const uint8_t *p, size_t n)
{
    atea_err err = ATEA_OK;
    char hex[2 * ATEA_DESCRIBE_HEX_LINE_BYTES + 1];
    size_t shown = n < ATEA_DESCRIBE_MAX_HEX ? n : ATEA_DESCRIBE_MAX_HEX;
    if (n == 0) {
        ATEA_TRY(atea__describe_line(d, 0, "%s: (empty)", name));
        goto out;
    }
    if (n <= ATEA_DESCRIBE_HEX_LINE_BYTES) {
        ATEA_TRY(atea_hex_encode(p, n, hex, sizeof(hex)));
        ATEA_TRY(atea__describe_line(d, 0, "%s: %s", name, hex));
        goto out;
    }
    ATEA_TRY(atea__describe_line(d, 0, "%s: (%zu bytes)", name, n));
    for (size_t off = 0; off < shown; off += ATEA_DESCRIBE_HEX_LINE_BYTES) {
        size_t k =
            shown - off < ATEA_DESCRIBE_HEX_LINE_BYTES ? shown - off : ATEA_DESCRIBE_HEX_LINE_BYTES;
        ATEA_TRY(atea_hex_encode(p + off, k, hex, sizeof(hex)));
        ATEA_TRY(atea__describe_line(d, 1, "%s", hex));
    }
    if (shown < n) {
        ATEA_TRY(atea__describe_line(d, 1, "... (%zu more bytes not shown)", n - shown));
    }
out:
    return err;
}

atea_err atea__describe_malformed(atea__describe *d, atea_err failure)
{
    atea_err err = ATEA_OK;
    /* Copy the parser's detail first: writing the line must not lose it. */
    char detail[sizeof(atea_err_last()->detail)];
    (void)snprintf(detail, sizeof(detail), "%s", atea_err_detail(failure));
    ATEA_TRY(atea__describe_line(d, 0, "malformed: %s: %s", atea_err_name(failure), detail));
    ATEA_FAIL(failure, "%s", detail);
out:
    return err;
}

atea_err atea__describe_verdict(atea__describe *d, atea_err walked, atea_err parsed)
{
    atea_err err = ATEA_OK;
    unsigned indent = d->indent;
    if (parsed != ATEA_OK) {
        d->indent++;
        ATEA_TRY(atea__describe_malformed(d, parsed));
    }
    ATEA_TRY(walked);
out:
    d->indent = indent;
    return err;
}

atea_err atea__describe_flags(atea__describe *d, const char *label, uint64_t v,
                              const char *const *names, size_t n)
{
    atea_err err = ATEA_OK;
    char buf[ATEA_DESCRIBE_MAX_LINE - 64];
    size_t used = 0;
    buf[0] = '\0';
    for (unsigned bit = 0; bit < 64; bit++) {
        if ((v & (1ull << bit)) == 0) {
            continue;
        }
        const char *name = bit < n ? names[bit] : NULL;
        int k =
            name != NULL
                ? snprintf(buf + used, sizeof(buf) - used, "%s%s", used > 0 ? ", " : "", name)
                : snprintf(buf + used, sizeof(buf) - used, "%sbit %u", used > 0 ? ", " : "", bit);
        ATEA_ENSURE(k >= 0, ATEA_ERR_INTERNAL);
        used += (size_t)k < sizeof(buf) - used ? (size_t)k : sizeof(buf) - used - 1;
    }
    ATEA_TRY(atea__describe_line(d, 1, "%s: %s", label, used > 0 ? buf : "none"));
out:
    return err;
}

uint64_t atea__describe_le(const uint8_t *raw, size_t n)
{
    uint64_t v = 0;
    for (size_t i = n; i > 0; i--) {
        v = (v << 8) | raw[i - 1];
    }
    return v;
}

static int all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++) {
        acc |= p[i];
    }
    return acc == 0;
}

static atea_err describe_field(atea__describe *d, const atea__field *f, const uint8_t *raw)
{
    atea_err err = ATEA_OK;
    switch (f->kind) {
    case ATEA_FIELD_HEX:
        ATEA_TRY(atea__describe_hex(d, f->name, raw, f->size));
        break;
    case ATEA_FIELD_UINT: {
        uint64_t v = atea__describe_le(raw, f->size);
        ATEA_TRY(atea__describe_line(d, 0, "%s: %llu (0x%0*llx)", f->name, (unsigned long long)v,
                                     (int)(2 * f->size), (unsigned long long)v));
        break;
    }
    case ATEA_FIELD_RESERVED:
        if (!all_zero(raw, f->size)) {
            ATEA_TRY(atea__describe_hex(d, f->name, raw, f->size));
            ATEA_TRY(atea__describe_line(d, 1, "(reserved: must be zero)"));
        }
        break;
    case ATEA_FIELD_NOTE:
        break;
    }
    if (f->note != NULL) {
        ATEA_TRY(f->note(d, raw, f->size));
    }
out:
    return err;
}

atea_err atea__describe_fields(atea__describe *d, atea_rd *rd, const atea__field *fields, size_t n)
{
    atea_err err = ATEA_OK;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *raw = NULL;
        size_t at = atea_rd_pos(rd);
        ATEA_ENSURE_MSG(atea_rd_left(rd) >= fields[i].size, ATEA_ERR_TRUNCATED,
                        "%s (%zu bytes at offset 0x%zx): only %zu bytes remain", fields[i].name,
                        fields[i].size, at, atea_rd_left(rd));
        ATEA_TRY(atea_rd_bytes(rd, fields[i].size, &raw));
        ATEA_TRY(describe_field(d, &fields[i], raw));
    }
out:
    return err;
}

/* ---- certificates ---- */

static void asn1_time_text(const ASN1_TIME *t, char *buf, size_t size)
{
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1) {
        (void)snprintf(buf, size, "(unreadable)");
        return;
    }
    (void)snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                   tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void name_text(const X509_NAME *name, char *buf, size_t size)
{
    buf[0] = '\0';
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL) {
        return;
    }
    if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
        int n = BIO_read(bio, buf, (int)size - 1);
        buf[n > 0 ? n : 0] = '\0';
    }
    BIO_free(bio);
}

static atea_err describe_x509(atea__describe *d, const X509 *cert)
{
    atea_err err = ATEA_OK;
    char text[ATEA_DESCRIBE_MAX_LINE - 64];
    char until[32];
    name_text(X509_get_subject_name(cert), text, sizeof(text));
    ATEA_TRY(atea__describe_line(d, 1, "subject: %s", text));
    name_text(X509_get_issuer_name(cert), text, sizeof(text));
    ATEA_TRY(atea__describe_line(d, 1, "issuer: %s", text));
    asn1_time_text(X509_get0_notBefore(cert), text, sizeof(text));
    asn1_time_text(X509_get0_notAfter(cert), until, sizeof(until));
    ATEA_TRY(atea__describe_line(d, 1, "validity: %s .. %s", text, until));
    EVP_PKEY *key = X509_get0_pubkey(cert);
    if (key != NULL) {
        ATEA_TRY(atea__describe_line(d, 1, "key: %s, %d bits", EVP_PKEY_get0_type_name(key),
                                     EVP_PKEY_get_bits(key)));
    }
out:
    return err;
}

atea_err atea__describe_cert_der(atea__describe *d, const char *title, const uint8_t *der,
                                 size_t len)
{
    atea_err err = ATEA_OK;
    X509 *cert = NULL;
    ATEA_TRY(atea__describe_line(d, 0, "%s: %zu bytes DER", title, len));
    if (atea_chain_parse_der(der, len, &cert) != ATEA_OK) {
        ATEA_TRY(atea__describe_line(d, 1, "(not a parseable X.509 certificate)"));
        goto out;
    }
    ATEA_TRY(describe_x509(d, cert));
out:
    X509_free(cert);
    return err;
}

atea_err atea__describe_cert_pem(atea__describe *d, const uint8_t *pem, size_t len,
                                 atea__cert_note note)
{
    atea_err err = ATEA_OK;
    X509 *certs[ATEA_DESCRIBE_MAX_PEM_CERTS] = {0};
    size_t count = 0;
    if (atea_chain_parse_pem(pem, len, certs, ATEA_ARRAY_LEN(certs), &count) != ATEA_OK) {
        ATEA_TRY(atea__describe_line(d, 0, "(not a parseable PEM certificate chain)"));
        goto out;
    }
    for (size_t i = 0; i < count; i++) {
        ATEA_TRY(atea__describe_line(d, 0, "certificate %zu:", i));
        ATEA_TRY(describe_x509(d, certs[i]));
        if (note != NULL) {
            ATEA_TRY(note(d, i, certs[i]));
        }
    }
out:
    atea_chain_free_certs(certs, count);
    return err;
}
