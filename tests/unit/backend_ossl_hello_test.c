/*
 * The ClientHello recorder (RFC 9261 §5.2.1/§5.2.2 inputs of a spontaneous authenticator): the
 * signature_algorithms parser on its own, then what a server records from real and from crafted
 * ClientHellos, and what a client reports from the server's CertificateRequest.
 */
#include <stdlib.h>
#include <string.h>

#include "atea/ossl.h"
#include "atea_test.h"
#include "backend/ossl/ossl_internal.h"
#include "core/check.h"
#include "core/rd.h"
#include "core/wr.h"
#include "test_certs.h"
#include "tls_pair.h"

#define MAX_HELLO_EXTS 128

/* ---- the parser ---------------------------------------------------------------------------- */

static atea_err parse_hex(const char *hex, uint16_t *out, size_t cap, size_t *n)
{
    atea_buf in = atea_test_hex(hex);
    atea_err err = atea__ossl_parse_sigalgs(in.data, in.len, out, cap, n);
    atea_buf_free(&in);
    return err;
}

static void test_parse_sigalgs(void **state)
{
    (void)state;
    uint16_t out[ATEA_TLS_MAX_SIGALGS];
    size_t n = 99;
    EXPECT_OK(parse_hex("0006 0807 0403 0809", out, ATEA_TLS_MAX_SIGALGS, &n));
    assert_int_equal(n, 3);
    assert_int_equal(out[0], 0x0807);
    assert_int_equal(out[1], 0x0403);
    assert_int_equal(out[2], 0x0809);

    EXPECT_ERR(parse_hex("", out, 4, &n), ATEA_ERR_TRUNCATED);
    assert_int_equal(n, 0);
    EXPECT_ERR(parse_hex("00", out, 4, &n), ATEA_ERR_TRUNCATED);
    EXPECT_ERR(parse_hex("0000", out, 4, &n), ATEA_ERR_VEC_LENGTH);   /* below <2..> */
    EXPECT_ERR(parse_hex("000104", out, 4, &n), ATEA_ERR_VEC_LENGTH); /* below <2..> */
    EXPECT_ERR(parse_hex("0003 0403 08", out, 4, &n), ATEA_ERR_TLS_BAD_SIGALGS);
    assert_non_null(strstr(atea_err_last()->detail, "3 is odd"));
    EXPECT_ERR(parse_hex("0004 0403", out, 4, &n), ATEA_ERR_TRUNCATED);
    EXPECT_ERR(parse_hex("0002 0403 ff", out, 4, &n), ATEA_ERR_TRAILING);
    /* 0xffff bytes is past the RFC 8446 maximum of 2^16-2. */
    EXPECT_ERR(parse_hex("ffff", out, 4, &n), ATEA_ERR_VEC_LENGTH);
    EXPECT_ERR(atea__ossl_parse_sigalgs(NULL, 0, NULL, 4, &n), ATEA_ERR_INVALID_ARG);
    EXPECT_ERR(atea__ossl_parse_sigalgs(NULL, 0, out, 4, NULL), ATEA_ERR_INVALID_ARG);
}

static void test_parse_sigalgs_cap(void **state)
{
    (void)state;
    uint8_t in[2 + 2 * (ATEA_TLS_MAX_SIGALGS + 1)];
    uint16_t out[ATEA_TLS_MAX_SIGALGS];
    size_t n = 0;
    for (size_t i = 0; i < ATEA_TLS_MAX_SIGALGS + 1; i++) {
        in[2 + 2 * i] = 0xfe;
        in[3 + 2 * i] = (uint8_t)i;
    }
    in[0] = 0;
    in[1] = 2 * ATEA_TLS_MAX_SIGALGS;
    EXPECT_OK(
        atea__ossl_parse_sigalgs(in, 2 + 2 * ATEA_TLS_MAX_SIGALGS, out, ATEA_TLS_MAX_SIGALGS, &n));
    assert_int_equal(n, ATEA_TLS_MAX_SIGALGS);
    assert_int_equal(out[ATEA_TLS_MAX_SIGALGS - 1], 0xfe00 | (ATEA_TLS_MAX_SIGALGS - 1));
    in[1] = 2 * (ATEA_TLS_MAX_SIGALGS + 1);
    EXPECT_ERR(atea__ossl_parse_sigalgs(in, sizeof(in), out, ATEA_TLS_MAX_SIGALGS, &n),
               ATEA_ERR_TLS_TOO_MANY_SIGALGS);
    assert_int_equal(n, 0);
}

/* ---- an independent ClientHello reader/writer for the checks below ------------------------ */

typedef struct hello {
    atea_slice fixed; /* legacy_version .. legacy_compression_methods */
    size_t n_exts;
    uint16_t type[MAX_HELLO_EXTS];
    atea_slice data[MAX_HELLO_EXTS];
} hello;

/* RFC 8446 §4.1.2, the whole handshake message. */
static void hello_parse(const atea_buf *msg, hello *h)
{
    atea_rd rd;
    atea_rd body;
    atea_rd skip;
    atea_rd exts;
    uint8_t type = 0;
    memset(h, 0, sizeof(*h));
    atea_rd_init(&rd, msg->data, msg->len);
    EXPECT_OK(atea_rd_u8(&rd, &type));
    assert_int_equal(type, 1);
    EXPECT_OK(atea_rd_vec(&rd, 3, 0, 0xffffff, &body));
    EXPECT_OK(atea_rd_end(&rd));
    const uint8_t *start = atea_rd_ptr(&body);
    EXPECT_OK(atea_rd_skip(&body, 2 + 32));
    EXPECT_OK(atea_rd_vec(&body, 1, 0, 32, &skip));
    EXPECT_OK(atea_rd_vec(&body, 2, 2, 65534, &skip));
    EXPECT_OK(atea_rd_vec(&body, 1, 1, 255, &skip));
    h->fixed.data = start;
    h->fixed.len = (size_t)(atea_rd_ptr(&body) - start);
    EXPECT_OK(atea_rd_vec(&body, 2, 8, 65535, &exts));
    EXPECT_OK(atea_rd_end(&body));
    while (atea_rd_left(&exts) > 0) {
        atea_rd ext;
        assert_true(h->n_exts < MAX_HELLO_EXTS);
        EXPECT_OK(atea_rd_u16(&exts, &h->type[h->n_exts]));
        EXPECT_OK(atea_rd_vec(&exts, 2, 0, 65535, &ext));
        h->data[h->n_exts].data = ext.data;
        h->data[h->n_exts].len = ext.len;
        h->n_exts++;
    }
}

/* The ClientHello as a plaintext TLS record, with extension `replace_type` given new data
 * (if replace != NULL) and `extra` unknown extensions inserted in front of the others. */
static atea_buf hello_record(const hello *h, uint16_t replace_type, const atea_buf *replace,
                             size_t extra)
{
    atea_wr wr;
    atea_buf out = {0};
    EXPECT_OK(atea_wr_init_growable(&wr, 512, 1 << 17));
    EXPECT_OK(atea_wr_u8(&wr, 22)); /* handshake record */
    EXPECT_OK(atea_wr_u16(&wr, 0x0301));
    EXPECT_OK(atea_wr_open_vec(&wr, 2));
    EXPECT_OK(atea_wr_u8(&wr, 1)); /* client_hello */
    EXPECT_OK(atea_wr_open_vec(&wr, 3));
    EXPECT_OK(atea_wr_bytes(&wr, h->fixed.data, h->fixed.len));
    EXPECT_OK(atea_wr_open_vec(&wr, 2));
    for (size_t i = 0; i < extra; i++) {
        EXPECT_OK(atea_wr_u16(&wr, (uint16_t)(0xfa00 + i))); /* unassigned codepoints */
        EXPECT_OK(atea_wr_vec(&wr, 2, NULL, 0));
    }
    for (size_t i = 0; i < h->n_exts; i++) {
        int swap = replace != NULL && h->type[i] == replace_type;
        EXPECT_OK(atea_wr_u16(&wr, h->type[i]));
        EXPECT_OK(atea_wr_vec(&wr, 2, swap ? replace->data : h->data[i].data,
                              swap ? replace->len : h->data[i].len));
    }
    EXPECT_OK(atea_wr_close_vec(&wr));
    EXPECT_OK(atea_wr_close_vec(&wr));
    EXPECT_OK(atea_wr_close_vec(&wr));
    EXPECT_OK(atea_wr_take(&wr, &out));
    atea_wr_dispose(&wr);
    return out;
}

/* A real client's first ClientHello, and the pair whose server context it will be fed to. */
static atea_test_tls_pair *pair_with_hello(void **state, hello *h)
{
    const atea_test_identity *id = atea_test_identities_get(*state, ATEA_TEST_KEY_P256);
    atea_test_tls_pair_opts o = {.server_id = id, .attested = 1};
    atea_test_tls_pair *pair = NULL;
    EXPECT_OK(atea_test_tls_pair_start(&pair, &o));
    assert_int_equal(SSL_do_handshake(pair->client), -1);
    assert_non_null(pair->client_hello.data);
    hello_parse(&pair->client_hello, h);
    return pair;
}

/* Feed one record to a fresh server SSL of pair's server context; the handshake may go on or
 * fail after the ClientHello callback, the test only reads what was recorded. */
static SSL *server_fed(atea_test_tls_pair *pair, const atea_buf *record)
{
    SSL *ssl = SSL_new(pair->server_ctx);
    assert_non_null(ssl);
    BIO *in = BIO_new_mem_buf(record->data, (int)record->len);
    BIO *out = BIO_new(BIO_s_mem());
    assert_non_null(in);
    assert_non_null(out);
    SSL_set_bio(ssl, in, out);
    SSL_set_accept_state(ssl);
    (void)SSL_do_handshake(ssl);
    return ssl;
}

/* ---- what a server records -------------------------------------------------------------- */

static void expect_sigalgs(const atea_tls *tls, const uint16_t *want, size_t n_want)
{
    uint16_t got[ATEA_TLS_MAX_SIGALGS];
    size_t n = 0;
    EXPECT_OK(tls->ops->peer_sigalgs(tls->impl, got, ATEA_TLS_MAX_SIGALGS, &n));
    assert_int_equal(n, n_want);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(got[i], want[i]);
    }
}

static void test_server_records_client_sigalgs_in_order(void **state)
{
    static const struct {
        const char *list;
        uint16_t want[5];
    } cases[] = {
        {"ed25519:ECDSA+SHA384:rsa_pss_pss_sha256:ECDSA+SHA256:rsa_pss_rsae_sha512",
         {0x0807, 0x0503, 0x0809, 0x0403, 0x0806}},
        {"rsa_pss_rsae_sha512:ECDSA+SHA256:rsa_pss_pss_sha256:ECDSA+SHA384:ed25519",
         {0x0806, 0x0403, 0x0809, 0x0503, 0x0807}},
    };
    const atea_test_identity *id = atea_test_identities_get(*state, ATEA_TEST_KEY_P256);
    for (size_t c = 0; c < ATEA_ARRAY_LEN(cases); c++) {
        atea_test_tls_pair_opts o = {
            .server_id = id, .client_sigalgs = cases[c].list, .attested = 1};
        atea_test_tls_pair *pair = NULL;
        EXPECT_OK(atea_test_tls_pair_new(&pair, &o));
        expect_sigalgs(&pair->server_tls, cases[c].want, 5);
        /* A buffer one short of the list is refused, not truncated. */
        uint16_t small[4];
        size_t n = 0;
        EXPECT_ERR(pair->server_tls.ops->peer_sigalgs(pair->server_tls.impl, small, 4, &n),
                   ATEA_ERR_BUFFER_TOO_SMALL);
        atea_test_tls_pair_free(pair);
    }
}

static void test_server_records_extension_types_in_wire_order(void **state)
{
    hello h;
    const atea_test_identity *id = atea_test_identities_get(*state, ATEA_TEST_KEY_ED25519);
    atea_test_tls_pair_opts o = {.server_id = id, .attested = 1};
    atea_test_tls_pair *pair = NULL;
    uint16_t got[ATEA_TLS_MAX_EXTENSIONS];
    size_t n = 0;
    EXPECT_OK(atea_test_tls_pair_new(&pair, &o));
    hello_parse(&pair->client_hello, &h);
    const atea_tls *s = &pair->server_tls;
    EXPECT_OK(s->ops->peer_hello_extensions(s->impl, got, ATEA_TLS_MAX_EXTENSIONS, &n));
    assert_int_equal(n, h.n_exts);
    int seen_sigalgs = 0;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(got[i], h.type[i]);
        seen_sigalgs |= got[i] == 13;
    }
    assert_true(seen_sigalgs);
    assert_true(n >= 4); /* supported_versions, key_share, supported_groups, sigalgs at least */
    EXPECT_ERR(s->ops->peer_hello_extensions(s->impl, got, n - 1, &n), ATEA_ERR_BUFFER_TOO_SMALL);

    /* The client side has no peer ClientHello. */
    const atea_tls *c = &pair->client_tls;
    EXPECT_ERR(c->ops->peer_hello_extensions(c->impl, got, ATEA_TLS_MAX_EXTENSIONS, &n),
               ATEA_ERR_TLS_NO_CLIENT_HELLO);
    atea_test_tls_pair_free(pair);
}

/* After a HelloRetryRequest the record is the second ClientHello's. */
static void test_hello_retry_request_records_second_hello(void **state)
{
    hello h;
    const atea_test_identity *id = atea_test_identities_get(*state, ATEA_TEST_KEY_P256);
    atea_test_tls_pair_opts o = {.server_id = id, .client_sigalgs = "ECDSA+SHA256:ed25519"};
    atea_test_tls_pair *pair = NULL;
    uint16_t got[ATEA_TLS_MAX_EXTENSIONS];
    size_t n = 0;
    EXPECT_OK(atea_test_tls_pair_start(&pair, &o));
    /* The client's one key share is X25519; the server only takes P-256. */
    assert_int_equal(SSL_set1_groups_list(pair->client, "X25519:P-256"), 1);
    assert_int_equal(SSL_set1_groups_list(pair->server, "P-256"), 1);
    assert_int_equal(SSL_do_handshake(pair->client), -1);
    atea_buf first = {0};
    EXPECT_OK(atea_buf_set(&first, pair->client_hello.data, pair->client_hello.len));
    EXPECT_OK(atea_test_tls_pair_handshake(pair));
    assert_true(pair->client_hello.len != first.len ||
                memcmp(pair->client_hello.data, first.data, first.len) != 0);
    hello_parse(&pair->client_hello, &h);
    const atea_tls *s = &pair->server_tls;
    EXPECT_OK(s->ops->peer_hello_extensions(s->impl, got, ATEA_TLS_MAX_EXTENSIONS, &n));
    assert_int_equal(n, h.n_exts);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(got[i], h.type[i]);
    }
    const uint16_t want[2] = {0x0403, 0x0807};
    expect_sigalgs(s, want, 2);
    atea_buf_free(&first);
    atea_test_tls_pair_free(pair);
}

/* A list of n sigalgs as the body of a signature_algorithms extension (n > 0). */
static atea_buf sigalgs_ext(size_t n, int odd)
{
    atea_wr wr;
    atea_buf out = {0};
    EXPECT_OK(atea_wr_init_growable(&wr, 64, 4096));
    EXPECT_OK(atea_wr_open_vec(&wr, 2));
    EXPECT_OK(atea_wr_u16(&wr, 0x0403));
    for (size_t i = 1; i < n; i++) {
        EXPECT_OK(atea_wr_u16(&wr, (uint16_t)(0xfe00 + i))); /* unknown: OpenSSL skips them */
    }
    if (odd) {
        EXPECT_OK(atea_wr_u8(&wr, 0x08));
    }
    EXPECT_OK(atea_wr_close_vec(&wr));
    EXPECT_OK(atea_wr_take(&wr, &out));
    atea_wr_dispose(&wr);
    return out;
}

typedef struct crafted {
    size_t n_sigalgs;   /* signature_algorithms entries */
    int odd;            /* one stray byte at the end of the list */
    size_t extra_exts;  /* unassigned extension types 0xfa00.. in front of the real ones */
    int register_extra; /* make them known to the server's SSL_CTX (SSL_CTX_add_custom_ext) */
    int query_exts;     /* ask for the extension list instead of the sigalgs */
} crafted;

static int accept_ext(SSL *s, unsigned int type, unsigned int context, const unsigned char *in,
                      size_t inlen, X509 *x, size_t chainidx, int *al, void *arg)
{
    (void)s, (void)type, (void)context, (void)in, (void)inlen, (void)x, (void)chainidx;
    (void)al, (void)arg;
    return 1;
}

static atea_err crafted_query(void **state, const crafted *c, uint16_t *got, size_t *n)
{
    hello h;
    atea_ossl_tls t;
    atea_tls tls;
    atea_test_tls_pair *pair = pair_with_hello(state, &h);
    atea_buf ext = sigalgs_ext(c->n_sigalgs, c->odd);
    atea_buf record = hello_record(&h, 13, &ext, c->extra_exts);
    for (size_t i = 0; c->register_extra && i < c->extra_exts; i++) {
        assert_int_equal(SSL_CTX_add_custom_ext(pair->server_ctx, (unsigned)(0xfa00 + i),
                                                SSL_EXT_CLIENT_HELLO, NULL, NULL, NULL, accept_ext,
                                                NULL),
                         1);
    }
    SSL *ssl = server_fed(pair, &record);
    EXPECT_OK(atea_ossl_tls_init(&t, ssl, &tls));
    atea_err err = c->query_exts
                       ? tls.ops->peer_hello_extensions(tls.impl, got, ATEA_TLS_MAX_EXTENSIONS, n)
                       : tls.ops->peer_sigalgs(tls.impl, got, ATEA_TLS_MAX_SIGALGS, n);
    SSL_free(ssl);
    atea_buf_free(&record);
    atea_buf_free(&ext);
    atea_test_tls_pair_free(pair);
    return err;
}

/* The recorder keeps its failure and reports it, with the detail, when the list is asked for. */
static void test_crafted_hello_sigalgs_cap_and_malformed(void **state)
{
    uint16_t got[ATEA_TLS_MAX_EXTENSIONS];
    size_t n = 0;
    crafted c = {.n_sigalgs = ATEA_TLS_MAX_SIGALGS};
    EXPECT_OK(crafted_query(state, &c, got, &n));
    assert_int_equal(n, ATEA_TLS_MAX_SIGALGS);
    assert_int_equal(got[0], 0x0403);
    assert_int_equal(got[ATEA_TLS_MAX_SIGALGS - 1], 0xfe00 + ATEA_TLS_MAX_SIGALGS - 1);
    c.n_sigalgs = ATEA_TLS_MAX_SIGALGS + 1;
    EXPECT_ERR(crafted_query(state, &c, got, &n), ATEA_ERR_TLS_TOO_MANY_SIGALGS);
    assert_non_null(strstr(atea_err_last()->detail, "offered 65 signature algorithms"));
    assert_int_equal(n, 0);
    c = (crafted){.n_sigalgs = 3, .odd = 1};
    EXPECT_ERR(crafted_query(state, &c, got, &n), ATEA_ERR_TLS_BAD_SIGALGS);
    assert_non_null(strstr(atea_err_last()->detail, "is odd"));
    /* The extension list was still recorded. */
    c.query_exts = 1;
    EXPECT_OK(crafted_query(state, &c, got, &n));
    assert_true(n >= 4);
}

/* OpenSSL 3.0 shows a ClientHello callback only the extension types it knows (built in, or
 * registered on the SSL_CTX with SSL_CTX_add_custom_ext), so unknown types are missing from the
 * record: the list can be short, never long. Registered types appear, in wire order. */
static void test_crafted_hello_extension_visibility_and_cap(void **state)
{
    hello h;
    uint16_t got[ATEA_TLS_MAX_EXTENSIONS];
    size_t n = 0;
    atea_test_tls_pair *pair = pair_with_hello(state, &h);
    size_t base = h.n_exts;
    atea_test_tls_pair_free(pair);
    assert_true(base < ATEA_TLS_MAX_EXTENSIONS);

    crafted c = {.n_sigalgs = 2, .extra_exts = 5, .query_exts = 1};
    EXPECT_OK(crafted_query(state, &c, got, &n));
    assert_int_equal(n, base);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(got[i], h.type[i]);
    }

    c.register_extra = 1;
    c.extra_exts = ATEA_TLS_MAX_EXTENSIONS - base;
    EXPECT_OK(crafted_query(state, &c, got, &n));
    assert_int_equal(n, ATEA_TLS_MAX_EXTENSIONS);
    assert_int_equal(got[0], 0xfa00);
    assert_int_equal(got[c.extra_exts - 1], 0xfa00 + c.extra_exts - 1);
    assert_int_equal(got[c.extra_exts], h.type[0]);

    c.extra_exts = ATEA_TLS_MAX_EXTENSIONS + 1 - base;
    EXPECT_ERR(crafted_query(state, &c, got, &n), ATEA_ERR_TLS_TOO_MANY_EXTENSIONS);
    assert_non_null(strstr(atea_err_last()->detail, "65 extensions"));
    /* ...and the sigalgs were recorded regardless. */
    c.query_exts = 0;
    EXPECT_OK(crafted_query(state, &c, got, &n));
    assert_int_equal(n, 2);
}

static void test_unprepared_server_has_no_record(void **state)
{
    const atea_test_identity *id = atea_test_identities_get(*state, ATEA_TEST_KEY_P256);
    atea_test_tls_pair_opts o = {.server_id = id, .server_unprepared = 1};
    atea_test_tls_pair *pair = NULL;
    uint16_t got[ATEA_TLS_MAX_SIGALGS];
    size_t n = 0;
    EXPECT_OK(atea_test_tls_pair_new(&pair, &o));
    const atea_tls *s = &pair->server_tls;
    EXPECT_ERR(s->ops->peer_sigalgs(s->impl, got, ATEA_TLS_MAX_SIGALGS, &n),
               ATEA_ERR_TLS_NO_CLIENT_HELLO);
    assert_non_null(strstr(atea_err_last()->detail, "not prepared by atea_ossl_ctx_prepare"));
    EXPECT_ERR(s->ops->peer_hello_extensions(s->impl, got, ATEA_TLS_MAX_SIGALGS, &n),
               ATEA_ERR_TLS_NO_CLIENT_HELLO);
    atea_test_tls_pair_free(pair);
}

/* ---- what a client reports: the server's CertificateRequest --------------------------------- */

static void test_client_reports_certificate_request_sigalgs(void **state)
{
    const atea_test_identity *id = atea_test_identities_get(*state, ATEA_TEST_KEY_P256);
    const atea_test_identity *client_id = atea_test_identities_get(*state, ATEA_TEST_KEY_P384);
    atea_test_tls_pair_opts o = {.server_id = id,
                                 .client_id = client_id,
                                 .server_sigalgs = "ECDSA+SHA384:ed25519:ECDSA+SHA256",
                                 .attested = 1};
    atea_test_tls_pair *pair = NULL;
    uint16_t got[ATEA_TLS_MAX_SIGALGS];
    size_t n = 0;
    EXPECT_OK(atea_test_tls_pair_new(&pair, &o));
    const uint16_t want[3] = {0x0503, 0x0807, 0x0403};
    expect_sigalgs(&pair->client_tls, want, 3);
    EXPECT_ERR(pair->client_tls.ops->peer_sigalgs(pair->client_tls.impl, got, 2, &n),
               ATEA_ERR_BUFFER_TOO_SMALL);
    atea_test_tls_pair_free(pair);

    /* No CertificateRequest: the server offered nothing. */
    o.client_id = NULL;
    EXPECT_OK(atea_test_tls_pair_new(&pair, &o));
    n = 99;
    EXPECT_OK(pair->client_tls.ops->peer_sigalgs(pair->client_tls.impl, got, 0, &n));
    assert_int_equal(n, 0);
    atea_test_tls_pair_free(pair);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_sigalgs),
        cmocka_unit_test(test_parse_sigalgs_cap),
        cmocka_unit_test(test_server_records_client_sigalgs_in_order),
        cmocka_unit_test(test_server_records_extension_types_in_wire_order),
        cmocka_unit_test(test_hello_retry_request_records_second_hello),
        cmocka_unit_test(test_crafted_hello_sigalgs_cap_and_malformed),
        cmocka_unit_test(test_crafted_hello_extension_visibility_and_cap),
        cmocka_unit_test(test_unprepared_server_has_no_record),
        cmocka_unit_test(test_client_reports_certificate_request_sigalgs),
    };
    return cmocka_run_group_tests(tests, atea_test_identities_group_setup,
                                  atea_test_identities_state_free);
}
