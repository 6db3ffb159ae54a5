/*
 * The RFC 9261 message codecs on their own: extension lists (duplicates, count cap, messages a
 * type may appear in), requests (signature_algorithms mandatory and well-formed), request
 * options and caps, spontaneous-authenticator extension rules, and the `atea inspect` dump.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atea/ea.h"
#include "atea_test.h"
#include "core/check.h"
#include "ea/ea_internal.h"
#include "ea/msg.h"
#include "tls_secret.h"

#define CRC1 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define A2_CR "0d00003120" CRC1 "000e000d0006000408070403ffff0000"

/* A list of n extensions of distinct unknown types 0x1000 + i, empty data, with its prefix. */
static size_t ext_list(uint8_t *buf, size_t n, uint16_t dup_type)
{
    size_t len = 2;
    for (size_t i = 0; i < n; i++) {
        uint16_t type = (i == n - 1 && dup_type != 0) ? dup_type : (uint16_t)(0x1000 + i);
        buf[len++] = (uint8_t)(type >> 8);
        buf[len++] = (uint8_t)type;
        buf[len++] = 0;
        buf[len++] = 0;
    }
    buf[0] = (uint8_t)((len - 2) >> 8);
    buf[1] = (uint8_t)(len - 2);
    return len;
}

static void test_extension_list_rules(void **state)
{
    (void)state;
    uint8_t buf[2 + 4 * 40];
    atea_ea_exts exts;
    atea_rd rd;
    /* At the cap, and one over. */
    atea_rd_init(&rd, buf, ext_list(buf, ATEA_EA_MAX_EXTENSIONS, 0));
    EXPECT_OK(atea_ea_exts_parse(&rd, 0, ATEA_EA_IN_CERTIFICATE, &exts));
    assert_int_equal(exts.n, ATEA_EA_MAX_EXTENSIONS);
    EXPECT_OK(atea_rd_end(&rd));
    atea_rd_init(&rd, buf, ext_list(buf, ATEA_EA_MAX_EXTENSIONS + 1, 0));
    EXPECT_ERR(atea_ea_exts_parse(&rd, 0, ATEA_EA_IN_CERTIFICATE, &exts),
               ATEA_ERR_EA_TOO_MANY_EXTENSIONS);
    /* A duplicate. */
    atea_rd_init(&rd, buf, ext_list(buf, 3, 0x1000));
    EXPECT_ERR(atea_ea_exts_parse(&rd, 0, ATEA_EA_IN_CERTIFICATE, &exts),
               ATEA_ERR_EA_DUP_EXTENSION);
    assert_non_null(strstr(atea_err_last()->detail, "offset 10"));
    /* An empty list where <2..> is required; a list longer than its input. */
    atea_rd_init(&rd, buf, ext_list(buf, 0, 0));
    EXPECT_ERR(atea_ea_exts_parse(&rd, 2, ATEA_EA_IN_CERTIFICATE_REQUEST, &exts),
               ATEA_ERR_VEC_LENGTH);
    static const uint8_t long_list[] = {0x00, 0x08, 0x00, 0x05, 0x00, 0x00};
    atea_rd_init(&rd, long_list, sizeof(long_list));
    EXPECT_ERR(atea_ea_exts_parse(&rd, 0, ATEA_EA_IN_CERTIFICATE, &exts), ATEA_ERR_TRUNCATED);
    /* An extension whose data runs past the list. */
    static const uint8_t long_ext[] = {0x00, 0x04, 0x00, 0x05, 0x00, 0x01};
    atea_rd_init(&rd, long_ext, sizeof(long_ext));
    EXPECT_ERR(atea_ea_exts_parse(&rd, 0, ATEA_EA_IN_CERTIFICATE, &exts), ATEA_ERR_TRUNCATED);
    /* server_name: in a ClientCertificateRequest only (RFC 9261 §4). */
    static const uint8_t sni[] = {0x00, 0x04, 0x00, 0x00, 0x00, 0x00};
    atea_rd_init(&rd, sni, sizeof(sni));
    EXPECT_OK(atea_ea_exts_parse(&rd, 2, ATEA_EA_IN_CLIENT_CERTIFICATE_REQUEST, &exts));
    atea_rd_init(&rd, sni, sizeof(sni));
    EXPECT_ERR(atea_ea_exts_parse(&rd, 2, ATEA_EA_IN_CERTIFICATE_REQUEST, &exts),
               ATEA_ERR_EA_EXT_NOT_ALLOWED);
    atea_rd_init(&rd, sni, sizeof(sni));
    EXPECT_ERR(atea_ea_exts_parse(&rd, 0, ATEA_EA_IN_CERTIFICATE, &exts),
               ATEA_ERR_EA_EXT_NOT_ALLOWED);
}

/* Parse a request from hex. */
static atea_err parse_hex(const char *hex, atea_ea_req *req)
{
    atea_buf b = atea_test_hex(hex);
    atea_err err = atea_ea_req_parse(b.data, b.len, req);
    atea_buf_free(&b);
    return err;
}

static void test_request_parse(void **state)
{
    (void)state;
    atea_ea_req req;
    EXPECT_OK(parse_hex(A2_CR, &req));
    assert_int_equal(req.hs.type, 13);
    assert_int_equal(req.context.len, 32);
    assert_int_equal(req.n_sigalgs, 2);
    assert_int_equal(req.sigalgs[0], 0x0807);
    assert_int_equal(req.sigalgs[1], 0x0403);
    assert_int_equal(req.exts.n, 2);
    assert_int_equal(req.exts.ext[1].type, 0xffff);
    /* Trailing byte after the message; inside the body. */
    EXPECT_ERR(parse_hex(A2_CR "00", &req), ATEA_ERR_TRAILING);
    EXPECT_ERR(parse_hex("0d00000501aa00"
                         "0000",
                         &req),
               ATEA_ERR_VEC_LENGTH);
    EXPECT_ERR(parse_hex("0d00000b00"
                         "0008000d000400020807"
                         "00",
                         &req),
               ATEA_ERR_TRAILING);
    /* No signature_algorithms. */
    EXPECT_ERR(parse_hex("0d0000070000040005"
                         "0000",
                         &req),
               ATEA_ERR_EA_NO_SIGALGS);
    /* signature_algorithms malformed: odd list, list shorter than data, empty list. */
    EXPECT_ERR(parse_hex("0d00000900"
                         "0006000d0002"
                         "0001",
                         &req),
               ATEA_ERR_EA_BAD_SIGALGS);
    EXPECT_ERR(parse_hex("0d00000c00"
                         "0009000d0005"
                         "0002080700",
                         &req),
               ATEA_ERR_EA_BAD_SIGALGS);
    EXPECT_ERR(parse_hex("0d00000c00"
                         "0009000d0005"
                         "0003080704",
                         &req),
               ATEA_ERR_EA_BAD_SIGALGS);
    EXPECT_ERR(parse_hex("0d00000900"
                         "0006000d0002"
                         "0000",
                         &req),
               ATEA_ERR_EA_BAD_SIGALGS);
    EXPECT_OK(parse_hex("0d00000b00"
                        "0008000d0004"
                        "00020807",
                        &req));
    /* Not a request. */
    EXPECT_ERR(parse_hex("0b00000400000000", &req), ATEA_ERR_EA_MSG_TYPE);
    /* Every proper prefix is truncated. */
    atea_buf full = atea_test_hex(A2_CR);
    for (size_t len = 0; len < full.len; len++) {
        EXPECT_ERR(atea_ea_req_parse(full.data, len, &req), ATEA_ERR_TRUNCATED);
    }
    atea_buf_free(&full);
}

static void test_request_options(void **state)
{
    (void)state;
    atea_test_ea_conn c;
    atea_buf req = {0};
    atea_ea_request_info info;
    EXPECT_OK(atea_test_ea_conn_init(&c, ATEA_HASH_SHA384, 0x11, NULL));
    /* signature_algorithms comes from atea; the caller may not add its own. */
    static const uint8_t sigalgs_data[] = {0x00, 0x02, 0x08, 0x07};
    atea_ea_ext dup = {ATEA_EA_EXT_SIGNATURE_ALGORITHMS, {sigalgs_data, sizeof(sigalgs_data)}};
    atea_ea_request_params rp = {.extensions = &dup, .n_extensions = 1};
    EXPECT_ERR(atea_ea_request(c.server, &rp, &req), ATEA_ERR_EA_DUP_EXTENSION);
    /* server_name is for ClientCertificateRequests. */
    static const uint8_t host[] = {0x00, 0x00};
    atea_ea_ext sni = {ATEA_EA_EXT_SERVER_NAME, {host, 0}};
    rp.extensions = &sni;
    EXPECT_ERR(atea_ea_request(c.server, &rp, &req), ATEA_ERR_EA_EXT_NOT_ALLOWED);
    EXPECT_OK(atea_ea_request(c.client, &rp, &req));
    atea_buf_free(&req);
    (void)host;
    /* Too many caller extensions. */
    atea_ea_ext many[ATEA_EA_MAX_EXTENSIONS];
    for (size_t i = 0; i < ATEA_EA_MAX_EXTENSIONS; i++) {
        many[i] = (atea_ea_ext){(uint16_t)(0x2000 + i), {NULL, 0}};
    }
    rp.extensions = many;
    rp.n_extensions = ATEA_EA_MAX_EXTENSIONS - 2;
    rp.want_cmw = 1;
    EXPECT_OK(atea_ea_request(c.server, &rp, &req));
    EXPECT_OK(atea_ea_request_parse(c.client, req.data, req.len, &info));
    assert_int_equal(info.n_extensions, ATEA_EA_MAX_EXTENSIONS);
    assert_int_equal(info.wants_cmw, 1);
    assert_int_equal(info.n_sigalgs, 11);
    assert_int_equal(info.context.len, 32);
    atea_buf_free(&req);
    rp.n_extensions = ATEA_EA_MAX_EXTENSIONS - 1;
    EXPECT_ERR(atea_ea_request(c.server, &rp, &req), ATEA_ERR_EA_TOO_MANY_EXTENSIONS);
    /* No schemes at all. */
    static const uint16_t none[] = {0};
    atea_ea_request_params empty = {.sigalgs = none, .n_sigalgs = 0};
    EXPECT_ERR(atea_ea_request(c.server, &empty, &req), ATEA_ERR_INVALID_ARG);
    atea_test_ea_conn_dispose(&c);

    /* Options are checked. */
    atea_ea_opts opts;
    atea_ea *ea = NULL;
    atea_ea_opts_default(&opts);
    assert_int_equal(opts.cmw_ext_type, ATEA_DEFAULT_CMW_EXT);
    assert_int_equal(opts.max_message, ATEA_DEFAULT_EA_MAX_MESSAGE);
    opts.max_certs = 0;
    EXPECT_ERR(atea_ea_new(&c.client_tls, &opts, &ea), ATEA_ERR_INVALID_ARG);
    atea_ea_opts_default(&opts);
    opts.version = 99;
    EXPECT_ERR(atea_ea_new(&c.client_tls, &opts, &ea), ATEA_ERR_INVALID_ARG);
    assert_null(ea);
}

static void test_request_size_cap(void **state)
{
    (void)state;
    for (int over = 0; over <= 1; over++) {
        atea_test_ea_conn c;
        atea_ea_opts opts;
        atea_buf req = {0};
        atea_ea_request_info info;
        atea_buf a2 = atea_test_hex(A2_CR);
        static const uint16_t sigalgs[] = {0x0807, 0x0403};
        atea_ea_request_params rp = {.sigalgs = sigalgs, .n_sigalgs = 2, .want_cmw = 1};
        atea_ea_opts_default(&opts);
        opts.cmw_ext_type = 0xFFFF;
        opts.max_message = a2.len - (size_t)over;
        EXPECT_OK(atea_test_ea_conn_init(&c, ATEA_HASH_SHA256, 0x11, &opts));
        atea_err want = over ? ATEA_ERR_EA_MESSAGE_TOO_LARGE : ATEA_OK;
        EXPECT_ERR(atea_ea_request(c.server, &rp, &req), want);
        EXPECT_ERR(atea_ea_request_parse(c.client, a2.data, a2.len, &info), want);
        assert_int_equal(req.len, over ? 0 : a2.len);
        atea_buf_free(&req);
        atea_buf_free(&a2);
        atea_test_ea_conn_dispose(&c);
    }
}

/* expat §"Negotiation": the request's cmw_attestation is empty. One with data is refused when
 * received (A.2's request with 0xFFFF carrying one byte) and when built. */
static void test_request_cmw_must_be_empty(void **state)
{
    (void)state;
    atea_test_ea_conn c;
    atea_ea_opts opts;
    atea_ea_request_info info;
    atea_buf req = {0};
    atea_ea_opts_default(&opts);
    opts.cmw_ext_type = 0xFFFF;
    EXPECT_OK(atea_test_ea_conn_init(&c, ATEA_HASH_SHA256, 0x11, &opts));
    atea_buf empty = atea_test_hex(A2_CR);
    EXPECT_OK(atea_ea_request_parse(c.client, empty.data, empty.len, &info));
    assert_int_equal(info.wants_cmw, 1);
    atea_buf filled = atea_test_hex("0d00003220" CRC1 "000f000d0006000408070403ffff0001aa");
    EXPECT_ERR(atea_ea_request_parse(c.client, filled.data, filled.len, &info),
               ATEA_ERR_EA_BAD_CMW);
    static const uint8_t one[] = {0xaa};
    atea_ea_ext cmw = {0xFFFF, {one, sizeof(one)}};
    atea_ea_request_params rp = {.extensions = &cmw, .n_extensions = 1};
    EXPECT_ERR(atea_ea_request(c.server, &rp, &req), ATEA_ERR_EA_BAD_CMW);
    assert_null(req.data);
    atea_buf_free(&empty);
    atea_buf_free(&filled);
    atea_test_ea_conn_dispose(&c);
}

static void test_spontaneous_extensions(void **state)
{
    (void)state;
    atea_test_identities set = {0};
    const atea_test_identity *id = atea_test_identities_get(&set, ATEA_TEST_KEY_ED25519);
    atea_test_ea_conn c;
    atea_test_ea_cred cred;
    atea_buf auth = {0};
    atea_ea_identity vid;
    static const uint8_t ocsp[] = {1, 0, 0, 0};
    atea_ea_ext status = {ATEA_EA_EXT_STATUS_REQUEST, {ocsp, sizeof(ocsp)}};
    EXPECT_OK(atea_test_ea_conn_init(&c, ATEA_HASH_SHA256, 0x22, NULL));
    atea_test_ea_cred_init(&cred, id, 0, NULL, 0);
    cred.chain[0].extensions = &status;
    cred.chain[0].n_extensions = 1;
    /* Not in the ClientHello: refused. */
    EXPECT_ERR(atea_ea_authenticate_spontaneous(c.server, &cred.cred, &auth),
               ATEA_ERR_EA_UNREQUESTED_EXTENSION);
    /* The ClientHello had status_request: allowed; the client accepts it only if it says so. */
    c.server_secret.hello_extensions[0] = ATEA_EA_EXT_STATUS_REQUEST;
    c.server_secret.n_hello_extensions = 1;
    EXPECT_OK(atea_ea_authenticate_spontaneous(c.server, &cred.cred, &auth));
    EXPECT_ERR(atea_ea_validate(c.client, NULL, auth.data, auth.len, &vid),
               ATEA_ERR_EA_UNREQUESTED_EXTENSION);
    uint16_t mine[] = {ATEA_EA_EXT_STATUS_REQUEST};
    atea_ea_validate_params vp = {.hello_extensions = mine, .n_hello_extensions = 1};
    EXPECT_OK(atea_ea_validate(c.client, &vp, auth.data, auth.len, &vid));
    assert_int_equal(vid.certs[0].n_extensions, 1);
    assert_int_equal(vid.certs[0].extensions[0].type, ATEA_EA_EXT_STATUS_REQUEST);
    assert_memory_equal(vid.certs[0].extensions[0].data.data, ocsp, sizeof(ocsp));
    atea_ea_identity_dispose(&vid);
    atea_buf_free(&auth);
    /* No scheme of the ClientHello fits the key. */
    c.server_secret.sigalgs[0] = 0x0403;
    c.server_secret.n_sigalgs = 1;
    EXPECT_ERR(atea_ea_authenticate_spontaneous(c.server, &cred.cred, &auth),
               ATEA_ERR_EA_NO_COMMON_SCHEME);
    atea_test_ea_conn_dispose(&c);
    atea_test_identities_dispose(&set);
}

/* The dump contains `needle`. */
static void assert_dump_has(const atea_buf *text, const char *needle)
{
    if (strstr((const char *)text->data, needle) == NULL) {
        fail_msg("dump lacks \"%s\":\n%s", needle, (const char *)text->data);
    }
}

static void test_dump(void **state)
{
    (void)state;
    atea_buf text = {0};
    atea_buf cr = atea_test_hex(A2_CR);
    EXPECT_OK(atea_ea_dump(cr.data, cr.len, 0xFFFF, &text));
    assert_int_equal(strlen((const char *)text.data), text.len);
    assert_dump_has(&text, "CertificateRequest (13), 49-byte body at offset 0");
    assert_dump_has(&text, "certificate_request_context: 32 bytes\n    " CRC1);
    assert_dump_has(&text, "signature_algorithms (13, 0x000d): 6 bytes at offset 39");
    assert_dump_has(&text, "ed25519 (0x0807)");
    assert_dump_has(&text, "ecdsa_secp256r1_sha256 (0x0403)");
    assert_dump_has(&text, "cmw_attestation (65535, 0xffff): 0 bytes at offset 49");
    assert_dump_has(&text, "summary: an authenticator request from a server");
    atea_buf_free(&text);

    /* Truncated: what was decoded stays, then the error and where. */
    EXPECT_ERR(atea_ea_dump(cr.data, 44, 0xFFFF, &text), ATEA_ERR_TRUNCATED);
    assert_dump_has(&text, "CertificateRequest (13), 49-byte body at offset 0 (truncated)");
    assert_dump_has(&text, "certificate_request_context: 32 bytes");
    assert_dump_has(&text, "error: need 14 bytes at offset 39 but only 5 remain");
    assert_dump_has(&text, "(ATEA_ERR_TRUNCATED)");
    atea_buf_free(&text);

    /* An authenticator with a real certificate and a CMW, then a trailing unknown message. */
    atea_test_identities set = {0};
    const atea_test_identity *id = atea_test_identities_get(&set, ATEA_TEST_KEY_P256);
    atea_test_ea_conn c;
    atea_test_ea_cred cred;
    atea_buf req = {0};
    atea_buf auth = {0};
    static const uint8_t cmw[] = {0x82, 0x01, 0x02};
    atea_ea_request_params rp = {.want_cmw = 1};
    EXPECT_OK(atea_test_ea_conn_init(&c, ATEA_HASH_SHA256, 0x33, NULL));
    EXPECT_OK(atea_ea_request(c.server, &rp, &req));
    atea_test_ea_cred_init(&cred, id, 1, cmw, sizeof(cmw));
    EXPECT_OK(atea_ea_authenticate(c.client, req.data, req.len, &cred.cred, &auth));
    EXPECT_OK(atea_ea_dump(auth.data, auth.len, ATEA_DEFAULT_CMW_EXT, &text));
    assert_dump_has(&text, "Certificate (11), ");
    assert_dump_has(&text, "[0] cert_data: ");
    assert_dump_has(&text, "(end-entity)");
    assert_dump_has(&text, "subject: CN=atea test leaf");
    assert_dump_has(&text, "key: EC, 256 bits");
    assert_dump_has(&text, "cmw_attestation (65280, 0xff00): 5 bytes");
    assert_dump_has(&text, "CMW (CBOR): uint16 length 3, 3 bytes follow");
    assert_dump_has(&text, "CertificateVerify (15)");
    assert_dump_has(&text, "algorithm: ecdsa_secp256r1_sha256 (0x0403)");
    assert_dump_has(&text, "Finished (20), 32-byte body");
    assert_dump_has(&text, "summary: an authenticator (Certificate, CertificateVerify, Finished)");
    atea_buf_free(&text);
    /* Two requests in a row: each dumped, and the whole named for what it is. */
    atea_buf two = {0};
    EXPECT_OK(atea_buf_set(&two, cr.data, cr.len));
    uint8_t *p2 = realloc(two.data, 2 * cr.len);
    assert_non_null(p2);
    memcpy(p2 + cr.len, cr.data, cr.len);
    two.data = p2;
    two.len = 2 * cr.len;
    EXPECT_OK(atea_ea_dump(two.data, two.len, 0xFFFF, &text));
    assert_dump_has(&text, "CertificateRequest (13), 49-byte body at offset 53");
    assert_dump_has(&text, "summary: not one RFC 9261 request or authenticator");
    atea_buf_free(&text);
    atea_buf_free(&two);
    uint8_t *longer = malloc(auth.len + 4);
    assert_non_null(longer);
    memcpy(longer, auth.data, auth.len);
    memcpy(longer + auth.len, "\x18\x00\x00\x00", 4);
    EXPECT_ERR(atea_ea_dump(longer, auth.len + 4, ATEA_DEFAULT_CMW_EXT, &text),
               ATEA_ERR_EA_MSG_TYPE);
    assert_dump_has(&text, "Finished (20)");
    assert_dump_has(&text, "error: handshake type 24 at offset");
    free(longer);
    atea_buf_free(&text);

    /* Empty authenticator; empty input. */
    atea_buf empty =
        atea_test_hex("14000020933b69300bbaed44a6a98d076a33da83a3221df7deedaa5f682349d2b1395f3a");
    EXPECT_OK(atea_ea_dump(empty.data, empty.len, ATEA_DEFAULT_CMW_EXT, &text));
    assert_dump_has(&text, "Finished (20), 32-byte body at offset 0\n  verify_data: 32 bytes\n"
                           "    933b6930");
    assert_dump_has(&text, "summary: an empty authenticator");
    atea_buf_free(&text);
    EXPECT_ERR(atea_ea_dump(empty.data, 0, ATEA_DEFAULT_CMW_EXT, &text), ATEA_ERR_TRUNCATED);
    assert_dump_has(&text, "error: the input is empty");
    atea_buf_free(&text);

    atea_buf_free(&empty);
    atea_buf_free(&auth);
    atea_buf_free(&req);
    atea_buf_free(&cr);
    atea_test_ea_conn_dispose(&c);
    atea_test_identities_dispose(&set);
}

typedef struct log_capture {
    int n;
    char last[512];
} log_capture;

static void capture_log(void *user, atea_log_level level, const char *msg)
{
    log_capture *cap = user;
    (void)level;
    cap->n++;
    snprintf(cap->last, sizeof(cap->last), "%s", msg);
}

static atea_err failing_rng(void *user, uint8_t *out, size_t len)
{
    (void)user;
    (void)out;
    (void)len;
    return ATEA_ERR_INTERNAL;
}

static void test_log_and_rng_callbacks(void **state)
{
    (void)state;
    atea_test_ea_conn c;
    atea_ea_opts opts;
    log_capture cap = {0};
    atea_buf req = {0};
    atea_buf empty = {0};
    atea_ea_identity id;
    atea_ea_opts_default(&opts);
    opts.log.fn = capture_log;
    opts.log.user = &cap;
    EXPECT_OK(atea_test_ea_conn_init(&c, ATEA_HASH_SHA256, 0x44, &opts));
    EXPECT_OK(atea_ea_request(c.server, NULL, &req));
    EXPECT_OK(atea_ea_refuse(c.client, req.data, req.len, &empty));
    assert_non_null(strstr(cap.last, "refused a CertificateRequest"));
    EXPECT_ERR(atea_ea_validate(c.server, NULL, empty.data, empty.len, &id), ATEA_ERR_EA_REFUSED);
    assert_non_null(strstr(cap.last, "the peer refused our request"));
    assert_int_equal(cap.n, 2);
    atea_buf_free(&req);
    atea_buf_free(&empty);
    atea_test_ea_conn_dispose(&c);

    /* The caller's rng failing is reported, and no request leaves. */
    atea_ea *ea = NULL;
    atea_test_tls_secret t;
    atea_tls tls;
    uint8_t secret[32] = {0};
    EXPECT_OK(atea_test_tls_secret_init(&t, secret, ATEA_HASH_SHA256, ATEA_TLS_SERVER, &tls));
    atea_ea_opts_default(&opts);
    opts.rng = failing_rng;
    EXPECT_OK(atea_ea_new(&tls, &opts, &ea));
    EXPECT_ERR(atea_ea_request(ea, NULL, &req), ATEA_ERR_EA_RNG);
    assert_null(req.data);
    atea_ea_free(ea);
}

static void test_names_and_alerts(void **state)
{
    (void)state;
    assert_string_equal(atea_ea_scheme_name(0x0809), "rsa_pss_pss_sha256");
    assert_string_equal(atea_ea_scheme_name(0x0401), "rsa_pkcs1_sha256");
    assert_null(atea_ea_scheme_name(0x1234));
    assert_int_equal(atea_ea_alert(ATEA_OK), 0);
    assert_int_equal(atea_ea_alert(ATEA_ERR_TRUNCATED), 50);
    assert_int_equal(atea_ea_alert(ATEA_ERR_EA_BAD_FINISHED), 51);
    assert_int_equal(atea_ea_alert(ATEA_ERR_EA_BAD_SIGNATURE), 51);
    assert_int_equal(atea_ea_alert(ATEA_ERR_EA_SCHEME_NOT_OFFERED), 47);
    assert_int_equal(atea_ea_alert(ATEA_ERR_EA_NO_SIGALGS), 109);
    assert_int_equal(atea_ea_alert(ATEA_ERR_EA_CHAIN), 42);
    assert_int_equal(atea_ea_alert(ATEA_ERR_NO_MEMORY), 80);
    assert_string_equal(atea_err_name(ATEA_ERR_EA_UNREQUESTED_CMW), "ATEA_ERR_EA_UNREQUESTED_CMW");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_extension_list_rules),
        cmocka_unit_test(test_request_parse),
        cmocka_unit_test(test_request_options),
        cmocka_unit_test(test_request_size_cap),
        cmocka_unit_test(test_request_cmw_must_be_empty),
        cmocka_unit_test(test_spontaneous_extensions),
        cmocka_unit_test(test_dump),
        cmocka_unit_test(test_log_and_rng_callbacks),
        cmocka_unit_test(test_names_and_alerts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
