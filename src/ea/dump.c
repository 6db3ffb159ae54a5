/*
 * `atea inspect` for RFC 9261 messages: an indented, annotated dump of requests, authenticators
 * and empty authenticators, in the spirit of `openssl asn1parse`. It walks the bytes itself
 * (through atea_rd) rather than calling the strict parsers, so that on malformed input it keeps
 * everything decoded so far and ends with the error and its offset.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "core/check.h"
#include "ea/msg.h"

/* Text output cap: a dump of a maximal message stays far below. */
#define DUMP_MAX_TEXT (8u * 1024u * 1024u)
/* Hex shown per field before eliding. */
#define DUMP_MAX_HEX 96u

typedef struct dumper {
    atea_wr text;
    uint16_t cmw_type;
    size_t n_msgs;
    uint8_t types[4]; /* the first message types, for the summary line */
} dumper;

/* Bytes of text per dump line; longer is cut. */
#define DUMP_MAX_LINE 511u

static atea_err hex(dumper *d, unsigned indent, atea_slice s)
{
    atea_err err = ATEA_OK;
    size_t shown = s.len < DUMP_MAX_HEX ? s.len : DUMP_MAX_HEX;
    for (size_t off = 0; off < shown; off += 32) {
        char h[65];
        size_t n = shown - off < 32 ? shown - off : 32;
        ATEA_TRY(atea_hex_encode(s.data + off, n, h, sizeof(h)));
        ATEA_TRY(atea_wr_linef(&d->text, indent, DUMP_MAX_LINE, "%s", h));
    }
    if (shown < s.len) {
        ATEA_TRY(
            atea_wr_linef(&d->text, indent, DUMP_MAX_LINE, "... (%zu more bytes)", s.len - shown));
    }
out:
    return err;
}

static const char *ext_name(const dumper *d, uint16_t type)
{
    const char *name = atea_ea_ext_name(type);
    if (type == d->cmw_type) {
        return "cmw_attestation";
    }
    return name != NULL ? name : "unknown";
}

static atea_err dump_sigalgs(dumper *d, unsigned indent, atea_slice data)
{
    atea_err err = ATEA_OK;
    atea_rd rd;
    atea_rd list;
    atea_rd_init(&rd, data.data, data.len);
    ATEA_TRY(atea_rd_vec(&rd, 2, 2, 0xfffe, &list));
    while (atea_rd_left(&list) >= 2) {
        uint16_t s;
        ATEA_TRY(atea_rd_u16(&list, &s));
        const char *name = atea_ea_scheme_name(s);
        ATEA_TRY(atea_wr_linef(&d->text, indent, DUMP_MAX_LINE, "%s (0x%04x)",
                               name != NULL ? name : "unknown", s));
    }
    ATEA_TRY(atea_rd_end(&list));
    ATEA_TRY(atea_rd_end(&rd));
out:
    return err;
}

static atea_err dump_extensions(dumper *d, unsigned indent, atea_rd *rd, size_t min)
{
    atea_err err = ATEA_OK;
    atea_rd list;
    ATEA_TRY(atea_rd_vec(rd, 2, min, 0xffff, &list));
    ATEA_TRY(atea_wr_linef(&d->text, indent, DUMP_MAX_LINE, "extensions: %zu bytes", list.len));
    while (atea_rd_left(&list) > 0) {
        uint16_t type;
        atea_rd data;
        size_t at = atea_rd_pos(&list);
        ATEA_TRY(atea_rd_u16(&list, &type));
        ATEA_TRY(atea_rd_vec(&list, 2, 0, 0xffff, &data));
        atea_slice s = {data.data, data.len};
        ATEA_TRY(atea_wr_linef(&d->text, indent + 1, DUMP_MAX_LINE,
                               "%s (%u, 0x%04x): %zu bytes at offset %zu", ext_name(d, type), type,
                               type, s.len, at));
        if (type == ATEA_EA_EXT_SIGNATURE_ALGORITHMS) {
            ATEA_TRY(dump_sigalgs(d, indent + 2, s));
        } else if (type == d->cmw_type && s.len == 0) {
            ATEA_TRY(atea_wr_linef(&d->text, indent + 2, DUMP_MAX_LINE,
                                   "(empty: the requester accepts attestation)"));
        } else if (type == d->cmw_type && s.len > 2) {
            /* RFC 9999 demultiplexing: a JSON CMW starts with '[' or '{'. */
            int json = s.data[2] == '[' || s.data[2] == '{';
            ATEA_TRY(atea_wr_linef(
                &d->text, indent + 2, DUMP_MAX_LINE, "CMW (%s): uint16 length %u, %zu bytes follow",
                json ? "JSON" : "CBOR", (unsigned)((s.data[0] << 8) | s.data[1]), s.len - 2));
            ATEA_TRY(hex(d, indent + 2, (atea_slice){s.data + 2, s.len - 2}));
        } else {
            ATEA_TRY(hex(d, indent + 2, s));
        }
    }
out:
    return err;
}

static atea_err dump_x509(dumper *d, unsigned indent, atea_slice der)
{
    atea_err err = ATEA_OK;
    const unsigned char *p = der.data;
    X509 *x = d2i_X509(NULL, &p, (long)der.len);
    BIO *bio = BIO_new(BIO_s_mem());
    char *mem = NULL;
    ATEA_ENSURE_ALLOC(bio);
    if (x == NULL || p != der.data + der.len) {
        ATEA_TRY(atea_wr_linef(&d->text, indent, DUMP_MAX_LINE,
                               "(not a well-formed DER X.509 certificate)"));
        goto out;
    }
    EVP_PKEY *key = X509_get0_pubkey(x);
    X509_NAME_print_ex(bio, X509_get_subject_name(x), 0, XN_FLAG_RFC2253);
    BIO_write(bio, "\0", 1);
    BIO_get_mem_data(bio, &mem);
    ATEA_TRY(atea_wr_linef(&d->text, indent, DUMP_MAX_LINE, "subject: %s", mem));
    (void)BIO_reset(bio);
    X509_NAME_print_ex(bio, X509_get_issuer_name(x), 0, XN_FLAG_RFC2253);
    BIO_write(bio, "\0", 1);
    BIO_get_mem_data(bio, &mem);
    ATEA_TRY(atea_wr_linef(&d->text, indent, DUMP_MAX_LINE, "issuer: %s", mem));
    ATEA_TRY(atea_wr_linef(&d->text, indent, DUMP_MAX_LINE, "key: %s, %d bits",
                           key != NULL ? EVP_PKEY_get0_type_name(key) : "?",
                           key != NULL ? EVP_PKEY_get_bits(key) : 0));
out:
    X509_free(x);
    BIO_free(bio);
    ERR_clear_error();
    return err;
}

static atea_err dump_request_body(dumper *d, atea_rd *body)
{
    atea_err err = ATEA_OK;
    atea_rd ctx;
    ATEA_TRY(atea_rd_vec(body, 1, 0, ATEA_EA_MAX_CONTEXT_LEN, &ctx));
    ATEA_TRY(atea_wr_linef(&d->text, 1, DUMP_MAX_LINE, "certificate_request_context: %zu bytes",
                           ctx.len));
    ATEA_TRY(hex(d, 2, (atea_slice){ctx.data, ctx.len}));
    ATEA_TRY(dump_extensions(d, 1, body, 2));
out:
    return err;
}

static atea_err dump_certificate_body(dumper *d, atea_rd *body)
{
    atea_err err = ATEA_OK;
    atea_rd ctx;
    atea_rd list;
    ATEA_TRY(atea_rd_vec(body, 1, 0, ATEA_EA_MAX_CONTEXT_LEN, &ctx));
    ATEA_TRY(atea_wr_linef(&d->text, 1, DUMP_MAX_LINE, "certificate_request_context: %zu bytes",
                           ctx.len));
    ATEA_TRY(hex(d, 2, (atea_slice){ctx.data, ctx.len}));
    ATEA_TRY(atea_rd_vec(body, 3, 0, 0xffffff, &list));
    ATEA_TRY(atea_wr_linef(&d->text, 1, DUMP_MAX_LINE, "certificate_list: %zu bytes%s", list.len,
                           list.len == 0 ? " (empty)" : ""));
    for (size_t i = 0; atea_rd_left(&list) > 0; i++) {
        atea_rd der;
        size_t at = atea_rd_pos(&list);
        ATEA_TRY(atea_rd_vec(&list, 3, 1, 0xffffff, &der));
        ATEA_TRY(atea_wr_linef(&d->text, 2, DUMP_MAX_LINE,
                               "[%zu] cert_data: %zu bytes at offset %zu%s", i, der.len, at,
                               i == 0 ? " (end-entity)" : ""));
        ATEA_TRY(dump_x509(d, 3, (atea_slice){der.data, der.len}));
        ATEA_TRY(dump_extensions(d, 3, &list, 0));
    }
out:
    return err;
}

static atea_err dump_cert_verify_body(dumper *d, atea_rd *body)
{
    atea_err err = ATEA_OK;
    uint16_t scheme;
    atea_rd sig;
    ATEA_TRY(atea_rd_u16(body, &scheme));
    const char *name = atea_ea_scheme_name(scheme);
    ATEA_TRY(atea_wr_linef(&d->text, 1, DUMP_MAX_LINE, "algorithm: %s (0x%04x)",
                           name != NULL ? name : "unknown", scheme));
    ATEA_TRY(atea_rd_vec(body, 2, 0, 0xffff, &sig));
    ATEA_TRY(atea_wr_linef(&d->text, 1, DUMP_MAX_LINE, "signature: %zu bytes", sig.len));
    ATEA_TRY(hex(d, 2, (atea_slice){sig.data, sig.len}));
out:
    return err;
}

/* One handshake message: the header, then the body as far as it is present. A body shorter
 * than its header announces is decoded as far as it goes before the truncation is reported. */
static atea_err dump_message(dumper *d, atea_rd *in)
{
    atea_err err = ATEA_OK;
    atea_ea_hs hs = {0};
    atea_rd body;
    uint32_t announced = 0;
    size_t present = 0;
    hs.offset = atea_rd_pos(in);
    ATEA_TRY(atea_rd_u8(in, &hs.type));
    ATEA_TRY(atea_rd_u24(in, &announced));
    present = announced <= atea_rd_left(in) ? announced : atea_rd_left(in);
    ATEA_TRY(atea_rd_slice(in, present, &hs.body));
    ATEA_TRY(atea_wr_linef(&d->text, 0, DUMP_MAX_LINE, "%s (%u), %u-byte body at offset %zu%s",
                           atea_ea_hs_name(hs.type), hs.type, announced, hs.offset,
                           present < announced ? " (truncated)" : ""));
    if (d->n_msgs < sizeof(d->types)) {
        d->types[d->n_msgs] = hs.type;
    }
    d->n_msgs++;
    atea_ea_hs_body(&hs, &body);
    switch (hs.type) {
    case ATEA_EA_HS_CERTIFICATE_REQUEST:
    case ATEA_EA_HS_CLIENT_CERTIFICATE_REQUEST:
        ATEA_TRY(dump_request_body(d, &body));
        break;
    case ATEA_EA_HS_CERTIFICATE:
        ATEA_TRY(dump_certificate_body(d, &body));
        break;
    case ATEA_EA_HS_CERTIFICATE_VERIFY:
        ATEA_TRY(dump_cert_verify_body(d, &body));
        break;
    case ATEA_EA_HS_FINISHED:
        ATEA_TRY(atea_wr_linef(&d->text, 1, DUMP_MAX_LINE, "verify_data: %zu bytes%s", body.len,
                               body.len == 32 || body.len == 48 || body.len == 64
                                   ? ""
                                   : " (no suite hash has this length)"));
        ATEA_TRY(hex(d, 2, hs.body));
        ATEA_TRY(atea_rd_skip(&body, body.len));
        break;
    default:
        ATEA_FAIL(ATEA_ERR_EA_MSG_TYPE,
                  "handshake type %u at offset %zu is not an RFC 9261 message", hs.type, hs.offset);
    }
    ATEA_ENSURE_MSG(present == announced, ATEA_ERR_TRUNCATED,
                    "the %s at offset %zu announces a %u-byte body; the input ends after %zu",
                    atea_ea_hs_name(hs.type), hs.offset, announced, present);
    ATEA_TRY(atea_rd_end(&body));
out:
    return err;
}

/* What the whole input is, by its message sequence (RFC 9261 §4, §5.2.4, §6). */
static const char *summary(const dumper *d)
{
    const uint8_t *t = d->types;
    if (d->n_msgs == 1 && t[0] == ATEA_EA_HS_CERTIFICATE_REQUEST) {
        return "an authenticator request from a server (CertificateRequest)";
    }
    if (d->n_msgs == 1 && t[0] == ATEA_EA_HS_CLIENT_CERTIFICATE_REQUEST) {
        return "an authenticator request from a client (ClientCertificateRequest)";
    }
    if (d->n_msgs == 1 && t[0] == ATEA_EA_HS_FINISHED) {
        return "an empty authenticator: the sender refuses the request (RFC 9261 section 6)";
    }
    if (d->n_msgs == 3 && t[0] == ATEA_EA_HS_CERTIFICATE && t[1] == ATEA_EA_HS_CERTIFICATE_VERIFY &&
        t[2] == ATEA_EA_HS_FINISHED) {
        return "an authenticator (Certificate, CertificateVerify, Finished)";
    }
    return "not one RFC 9261 request or authenticator (messages missing, extra or out of order)";
}

/* Every message in turn, up to the first error. */
static atea_err dump_all(dumper *d, atea_rd *rd)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE_MSG(atea_rd_left(rd) > 0, ATEA_ERR_TRUNCATED, "the input is empty");
    while (atea_rd_left(rd) > 0) {
        ATEA_TRY(dump_message(d, rd));
    }
    ATEA_TRY(atea_wr_linef(&d->text, 0, DUMP_MAX_LINE, "summary: %s", summary(d)));
out:
    return err;
}

/* NUL-terminate and hand over; text->len does not count the NUL. */
static atea_err take_text(dumper *d, atea_buf *text)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(atea_wr_u8(&d->text, 0));
    ATEA_TRY(atea_wr_take(&d->text, text));
    text->len--;
out:
    return err;
}

atea_err atea_ea_dump(const uint8_t *msg, size_t len, uint16_t cmw_ext_type, atea_buf *text)
{
    atea_err err = ATEA_OK;
    atea_err walk = ATEA_OK;
    dumper d = {.cmw_type = cmw_ext_type};
    atea_rd rd;
    ATEA_ENSURE(text != NULL && (msg != NULL || len == 0), ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea_wr_init_growable(&d.text, 1024, DUMP_MAX_TEXT));
    atea_rd_init(&rd, msg, len);
    walk = dump_all(&d, &rd);
    if (walk != ATEA_OK) {
        /* Keep the failing code and its detail (which names the offset) for the caller. */
        char detail[sizeof(atea_err_last()->detail)];
        snprintf(detail, sizeof(detail), "%s", atea_err_detail(walk));
        ATEA_TRY(atea_wr_linef(&d.text, 0, DUMP_MAX_LINE, "error: %s (%s)", detail,
                               atea_err_name(walk)));
        ATEA_TRY(take_text(&d, text));
        ATEA_FAIL(walk, "%s", detail);
    }
    ATEA_TRY(take_text(&d, text));
out:
    atea_wr_dispose(&d.text);
    return err;
}
