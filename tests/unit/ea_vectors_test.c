/*
 * RFC 9261 byte-exact checks against shared/reference/specs.md Appendix A (DERIVED vectors on the
 * RFC 8448 §3 exporter_master_secret) and the fizz headerless check of profile.md §1.
 */
#include <string.h>

#include <openssl/evp.h>

#include "atea/ea.h"
#include "atea_test.h"
#include "ea/crypto.h"
#include "ea/ea_internal.h"
#include "ea/msg.h"
#include "tls_secret.h"

#define EMS "fe22f881176eda18eb8f44529e6792c50c9a3f89452f68d8ae311b4309d3cf50"
#define CRC1 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define CRC2 "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
#define A2_CR "0d00003120" CRC1 "000e000d0006000408070403ffff0000"
#define A3_CCR "1100003120" CRC2 "000e000d0006000408070403ffff0000"
#define A2_CLIENT_EMPTY "14000020933b69300bbaed44a6a98d076a33da83a3221df7deedaa5f682349d2b1395f3a"
#define A3_SERVER_EMPTY "140000203ad0374f88346f8c5ff970dc8efa67b711c16d5d21b630e30ae2e7e59e0f94ef"

static const uint16_t a_sigalgs[] = {0x0807, 0x0403};

typedef struct side {
    atea_test_tls_secret secret;
    atea_tls tls;
    atea_test_ctx_rng rng;
    atea_ea *ea;
} side;

/* One end of the Appendix A connection, with cmw type 0xFFFF and contexts from `first`. */
static void side_init(side *s, atea_tls_role role, uint8_t first)
{
    atea_buf ems = atea_test_hex(EMS);
    atea_ea_opts opts;
    memset(s, 0, sizeof(*s));
    EXPECT_OK(atea_test_tls_secret_init(&s->secret, ems.data, ATEA_HASH_SHA256, role, &s->tls));
    s->rng.first = first;
    atea_ea_opts_default(&opts);
    opts.cmw_ext_type = 0xFFFF;
    opts.rng = atea_test_ctx_rng_fill;
    opts.rng_user = &s->rng;
    EXPECT_OK(atea_ea_new(&s->tls, &opts, &s->ea));
    atea_buf_free(&ems);
}

static void side_dispose(side *s)
{
    atea_ea_free(s->ea);
}

static void export_hex(const char *label, const char *want)
{
    atea_buf ems = atea_test_hex(EMS);
    uint8_t out[32];
    EXPECT_OK(atea_test_tls_export(ATEA_HASH_SHA256, ems.data, label, strlen(label), NULL, 0, out,
                                   sizeof(out)));
    atea_test_assert_hex(out, sizeof(out), want);
    atea_buf_free(&ems);
}

static void test_a1_exporter_values(void **state)
{
    (void)state;
    export_hex("EXPORTER-client authenticator handshake context",
               "3ce40ddfb5a8566480bb683fa63f43f1d6d52ab962854a98a3c080d81ed5631f");
    export_hex("EXPORTER-client authenticator finished key",
               "34db53a0d817c518dc905f36e253a11271904ea43778358aaeb85d377a4fe0fb");
    export_hex("EXPORTER-server authenticator handshake context",
               "b5920228102885ce3bbc879252d7c4ae80f47616cdc91456338427e7890941b0");
    export_hex("EXPORTER-server authenticator finished key",
               "d7571ccc1577b04277765da1c875d933be15717b3ecf45d0708431fa077df54d");

    /* The library's derivation picks the labels of the sender. */
    side s;
    atea_ea_keys keys;
    side_init(&s, ATEA_TLS_SERVER, 0);
    EXPECT_OK(atea_ea_keys_derive(&s.tls, ATEA_TLS_CLIENT, &keys));
    assert_int_equal(keys.len, 32);
    atea_test_assert_hex(keys.hc, 32,
                         "3ce40ddfb5a8566480bb683fa63f43f1d6d52ab962854a98a3c080d81ed5631f");
    atea_test_assert_hex(keys.fk, 32,
                         "34db53a0d817c518dc905f36e253a11271904ea43778358aaeb85d377a4fe0fb");
    EXPECT_OK(atea_ea_keys_derive(&s.tls, ATEA_TLS_SERVER, &keys));
    atea_test_assert_hex(keys.hc, 32,
                         "b5920228102885ce3bbc879252d7c4ae80f47616cdc91456338427e7890941b0");
    atea_test_assert_hex(keys.fk, 32,
                         "d7571ccc1577b04277765da1c875d933be15717b3ecf45d0708431fa077df54d");

    /* The binder exporter of profile.md §3 over the same secret (A.2, A.3). */
    uint8_t out[32];
    atea_buf crc = atea_test_hex(CRC1);
    EXPECT_OK(atea_tls_exporter(&s.tls, "Attestation", crc.data, crc.len, out, 32));
    atea_test_assert_hex(out, 32,
                         "de6655915cadff0d4fe781e255b3cc28cf8cc5c647de58a1e38a59e40bc4ee39");
    EXPECT_OK(atea_tls_exporter(&s.tls, "Attestation Binding", crc.data, crc.len, out, 32));
    atea_test_assert_hex(out, 32,
                         "6e8ad2ee1b8518ca980c01fa45a763ba5232af047a70ef3bceea8786cc74eedb");
    atea_buf_free(&crc);
    side_dispose(&s);
}

static void test_a2_request_and_client_refusal(void **state)
{
    (void)state;
    side server;
    side client;
    atea_buf req = {0};
    atea_buf empty = {0};
    atea_ea_identity id;
    atea_ea_request_params params = {.sigalgs = a_sigalgs, .n_sigalgs = 2, .want_cmw = 1};
    side_init(&server, ATEA_TLS_SERVER, 0x00);
    side_init(&client, ATEA_TLS_CLIENT, 0x80);

    EXPECT_OK(atea_ea_request(server.ea, &params, &req));
    atea_test_assert_hex(req.data, req.len, A2_CR);

    /* The same bytes from the message writer alone. */
    atea_buf crc = atea_test_hex(CRC1);
    atea_ea_ext cmw = {0xFFFF, {NULL, 0}};
    uint8_t buf[128];
    atea_wr wr;
    atea_wr_init_fixed(&wr, buf, sizeof(buf));
    EXPECT_OK(atea_ea_req_write(&wr, ATEA_EA_HS_CERTIFICATE_REQUEST,
                                (atea_slice){crc.data, crc.len}, a_sigalgs, 2, &cmw, 1));
    atea_test_assert_hex(atea_wr_data(&wr), atea_wr_len(&wr), A2_CR);

    EXPECT_OK(atea_ea_refuse(client.ea, req.data, req.len, &empty));
    atea_test_assert_hex(empty.data, empty.len, A2_CLIENT_EMPTY);

    /* The server recognises the refusal, with and without naming the request. */
    EXPECT_ERR(atea_ea_validate(server.ea, NULL, empty.data, empty.len, &id), ATEA_ERR_EA_REFUSED);
    assert_int_equal(id.refused, 1);
    assert_int_equal(id.n_certs, 0);
    atea_test_assert_hex(id.context, id.context_len, CRC1);
    atea_ea_identity_dispose(&id);
    /* A second time it answers an already-answered request. */
    atea_ea_validate_params vp = {.request = req.data, .request_len = req.len};
    EXPECT_ERR(atea_ea_validate(server.ea, &vp, empty.data, empty.len, &id),
               ATEA_ERR_EA_CONTEXT_ANSWERED);
    /* Without naming it, nothing is open any more. */
    EXPECT_ERR(atea_ea_validate(server.ea, NULL, empty.data, empty.len, &id),
               ATEA_ERR_EA_UNSOLICITED);

    atea_buf_free(&crc);
    atea_buf_free(&req);
    atea_buf_free(&empty);
    side_dispose(&server);
    side_dispose(&client);
}

static void test_a2_structural_certificate_transcript(void **state)
{
    (void)state;
    side s;
    atea_ea_keys keys;
    atea_buf crc = atea_test_hex(CRC1);
    atea_buf cr = atea_test_hex(A2_CR);
    atea_buf cmw_ext = atea_test_hex("00098219fde7442347da55");
    static const uint8_t not_a_cert[] = {0x30, 0x00};
    atea_ea_ext ext = {0xFFFF, {cmw_ext.data, cmw_ext.len}};
    atea_ea_cert_in entry = {{not_a_cert, 2}, &ext, 1};
    uint8_t buf[128];
    uint8_t th[32];
    uint8_t content[ATEA_EA_CV_CONTENT_MAX];
    size_t content_len = 0;
    atea_wr wr;
    side_init(&s, ATEA_TLS_SERVER, 0);
    atea_wr_init_fixed(&wr, buf, sizeof(buf));
    EXPECT_OK(atea_ea_cert_write(&wr, (atea_slice){crc.data, crc.len}, &entry, 1));
    atea_test_assert_hex(atea_wr_data(&wr), atea_wr_len(&wr),
                         "0b00003a"
                         "20" CRC1 "0000160000023000000fffff000b00098219fde7442347da55");

    EXPECT_OK(atea_ea_keys_derive(&s.tls, ATEA_TLS_CLIENT, &keys));
    atea_slice parts[2] = {{cr.data, cr.len}, {atea_wr_data(&wr), atea_wr_len(&wr)}};
    EXPECT_OK(atea_ea_transcript_hash(&keys, parts, 2, th));
    atea_test_assert_hex(th, 32,
                         "5f3557f338d69036120202f7feae98d178a9648eef1532f8790ae703c1fb013d");
    atea_ea_cv_content(th, 32, content, &content_len);
    for (size_t i = 0; i < 64; i++) {
        assert_int_equal(content[i], 0x20);
    }
    atea_test_assert_hex(content + 64, content_len - 64,
                         "4578706f727465642041757468656e74696361746f72"
                         "00"
                         "5f3557f338d69036120202f7feae98d178a9648eef1532f8790ae703c1fb013d");
    assert_int_equal(content_len, 119);

    /* The hashed-but-never-sent empty Certificate of the refusal, and its transcript hash. */
    atea_wr_init_fixed(&wr, buf, sizeof(buf));
    EXPECT_OK(atea_ea_cert_write(&wr, (atea_slice){crc.data, crc.len}, NULL, 0));
    atea_test_assert_hex(atea_wr_data(&wr), atea_wr_len(&wr), "0b00002420" CRC1 "000000");
    atea_slice empty_parts[2] = {{cr.data, cr.len}, {atea_wr_data(&wr), atea_wr_len(&wr)}};
    EXPECT_OK(atea_ea_transcript_hash(&keys, empty_parts, 2, th));
    atea_test_assert_hex(th, 32,
                         "92f7799aeacecedd48d33eba0a2ef583eef42feffce251c14344ca6e204391de");

    atea_ea_keys_wipe(&keys);
    atea_buf_free(&crc);
    atea_buf_free(&cr);
    atea_buf_free(&cmw_ext);
    side_dispose(&s);
}

static void test_a3_client_request_and_server_refusal(void **state)
{
    (void)state;
    side server;
    side client;
    atea_buf req = {0};
    atea_buf empty = {0};
    atea_ea_identity id;
    atea_ea_request_params params = {.sigalgs = a_sigalgs, .n_sigalgs = 2, .want_cmw = 1};
    side_init(&server, ATEA_TLS_SERVER, 0x80);
    side_init(&client, ATEA_TLS_CLIENT, 0x20);
    EXPECT_OK(atea_ea_request(client.ea, &params, &req));
    atea_test_assert_hex(req.data, req.len, A3_CCR);
    EXPECT_OK(atea_ea_refuse(server.ea, req.data, req.len, &empty));
    atea_test_assert_hex(empty.data, empty.len, A3_SERVER_EMPTY);
    atea_ea_validate_params vp = {.request = req.data, .request_len = req.len};
    EXPECT_ERR(atea_ea_validate(client.ea, &vp, empty.data, empty.len, &id), ATEA_ERR_EA_REFUSED);
    assert_int_equal(id.refused, 1);
    atea_test_assert_hex(id.context, id.context_len, CRC2);
    atea_ea_identity_dispose(&id);

    /* get_context reads requests and authenticators, and says why a refusal has none. */
    uint8_t ctx[ATEA_EA_MAX_CONTEXT_LEN];
    size_t ctx_len = 0;
    EXPECT_OK(atea_ea_get_context(req.data, req.len, ctx, &ctx_len));
    atea_test_assert_hex(ctx, ctx_len, CRC2);
    EXPECT_ERR(atea_ea_get_context(empty.data, empty.len, ctx, &ctx_len), ATEA_ERR_EA_NO_CONTEXT);

    atea_buf_free(&req);
    atea_buf_free(&empty);
    side_dispose(&server);
    side_dispose(&client);
}

/*
 * A complete client authenticator for the A.2 request, byte for byte: the structural Certificate
 * of A.2, an Ed25519 CertificateVerify with the RFC 8032 test 1 key (Ed25519 is deterministic),
 * and the Finished. The expected bytes come from an independent Python implementation of RFC 9261
 * (pure-Python HKDF and HMAC over the A.2 inputs; Ed25519 from the `cryptography` package).
 */
#define A2_AUTHENTICATOR                                                                           \
    "0b00003a20" CRC1 "0000160000023000000fffff000b00098219fde7442347da55"                         \
    "0f000044080700407b53da8847c87faadf3f75da8ca792d64ddc8e0c72b3775403a5173751d097c88e329782a6"   \
    "5ac7256a87074b4ec12ae80f6888e0a89d33b789d91b38c8bc7f01"                                       \
    "140000206c213ce6d74bfbbd9d3ad24cadbeaed108715116f004a62e137cce08e3bf39ce"

static void test_a2_full_authenticator(void **state)
{
    (void)state;
    side server;
    atea_ea_keys keys;
    atea_buf cr = atea_test_hex(A2_CR);
    atea_buf crc = atea_test_hex(CRC1);
    atea_buf cmw_ext = atea_test_hex("00098219fde7442347da55");
    atea_buf priv =
        atea_test_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    static const uint8_t not_a_cert[] = {0x30, 0x00};
    atea_ea_ext ext = {0xFFFF, {cmw_ext.data, cmw_ext.len}};
    atea_ea_cert_in entry = {{not_a_cert, 2}, &ext, 1};
    atea_buf auth = {0};
    atea_buf req = {0};
    atea_ea_identity id;
    EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, priv.data, priv.len);
    assert_non_null(key);
    side_init(&server, ATEA_TLS_SERVER, 0x00);
    EXPECT_OK(atea_ea_keys_derive(&server.tls, ATEA_TLS_CLIENT, &keys));
    atea_ea_build b = {&keys,  {cr.data, cr.len},          {crc.data, crc.len}, &entry, 1, key,
                       0x0807, ATEA_DEFAULT_EA_MAX_MESSAGE};
    EXPECT_OK(atea_ea_build_authenticator(&b, &auth));
    atea_test_assert_hex(auth.data, auth.len, A2_AUTHENTICATOR);

    /* The server that sent A.2 accepts everything up to the certificate, which is no X.509. */
    atea_ea_request_params params = {.sigalgs = a_sigalgs, .n_sigalgs = 2, .want_cmw = 1};
    EXPECT_OK(atea_ea_request(server.ea, &params, &req));
    atea_test_assert_hex(req.data, req.len, A2_CR);
    EXPECT_ERR(atea_ea_validate(server.ea, NULL, auth.data, auth.len, &id), ATEA_ERR_EA_BAD_CERT);

    atea_ea_keys_wipe(&keys);
    EVP_PKEY_free(key);
    atea_buf_free(&auth);
    atea_buf_free(&req);
    atea_buf_free(&cr);
    atea_buf_free(&crc);
    atea_buf_free(&cmw_ext);
    atea_buf_free(&priv);
    side_dispose(&server);
}

/*
 * The same independent implementation for a SHA-384 suite and a spontaneous server authenticator
 * (no request in the transcript, server labels): exporter_master_secret = 01 02 ... 30,
 * context = 40 41 ... 5f, structural certificate without extensions, RFC 8032 test 1 key.
 */
#define SHA384_EMS                                                                                 \
    "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e" \
    "2f30"
#define SPONTANEOUS_384                                                                            \
    "0b00002b20404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f000007000002300000" \
    "00"                                                                                           \
    "0f00004408070040a4555e762fa469876946561f926ad188a8f6106e66d2e4b0a5844f9f5a86336d8919d2c235ef" \
    "32fb9d31bf00f6ffa4a60017de13c92802b04fb18bc0d7dda808"                                         \
    "140000301111d3fffc9a42ba0cd739ab10e2f3e0c6c34c432f3d9b77ae2bddd405bcd90d5a95e6381202a64a5e94" \
    "6c90b39ca112"

static void test_sha384_spontaneous_authenticator(void **state)
{
    (void)state;
    atea_test_tls_secret secret;
    atea_tls tls;
    atea_ea *client = NULL;
    atea_ea_keys keys;
    atea_buf ems = atea_test_hex(SHA384_EMS);
    atea_buf priv =
        atea_test_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    uint8_t ctx[32];
    static const uint8_t not_a_cert[] = {0x30, 0x00};
    atea_ea_cert_in entry = {{not_a_cert, 2}, NULL, 0};
    atea_buf auth = {0};
    atea_ea_identity id;
    EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, priv.data, priv.len);
    assert_non_null(key);
    for (size_t i = 0; i < sizeof(ctx); i++) {
        ctx[i] = (uint8_t)(0x40 + i);
    }
    EXPECT_OK(
        atea_test_tls_secret_init(&secret, ems.data, ATEA_HASH_SHA384, ATEA_TLS_CLIENT, &tls));
    EXPECT_OK(atea_ea_keys_derive(&tls, ATEA_TLS_SERVER, &keys));
    assert_int_equal(keys.len, 48);
    atea_test_assert_hex(
        keys.hc, 48,
        "a4d92d0b4e5e5d7cd6b985e2657df5d508b2d86509bdefe7a307799c3db99f026802d5be9e"
        "00e7b6fe2ea157eb8f8d1b");
    atea_test_assert_hex(
        keys.fk, 48,
        "172b9a1505a16d715619507721287e3bb07f0ada20c67a7bbe79af75ebcdbcd96dfd44636f"
        "776a2863ee8059629ec395");
    atea_ea_build b = {&keys, {NULL, 0}, {ctx, sizeof(ctx)},         &entry, 1,
                       key,   0x0807,    ATEA_DEFAULT_EA_MAX_MESSAGE};
    EXPECT_OK(atea_ea_build_authenticator(&b, &auth));
    atea_test_assert_hex(auth.data, auth.len, SPONTANEOUS_384);
    /* The client takes it as spontaneous and gets as far as the certificate. */
    EXPECT_OK(atea_ea_new(&tls, NULL, &client));
    EXPECT_ERR(atea_ea_validate(client, NULL, auth.data, auth.len, &id), ATEA_ERR_EA_BAD_CERT);
    atea_ea_free(client);
    atea_ea_keys_wipe(&keys);
    EVP_PKEY_free(key);
    atea_buf_free(&auth);
    atea_buf_free(&ems);
    atea_buf_free(&priv);
}

/* profile.md §1: fizz's draft-era vector, fed the headerless request. */
static void test_fizz_headerless_empty_authenticator(void **state)
{
    (void)state;
    static const char key[] = "12345678901234567890123456789012";
    atea_buf req = atea_test_hex("14303132333435363738396162636465666768696a0008000d000400020403");
    atea_ea_keys keys;
    atea_buf fin = {0};
    EXPECT_OK(
        atea_ea_keys_set(ATEA_HASH_SHA256, (const uint8_t *)key, (const uint8_t *)key, 32, &keys));
    EXPECT_OK(atea_ea_build_empty(&keys, (atea_slice){req.data, req.len},
                                  (atea_slice){req.data + 1, 20}, &fin));
    atea_test_assert_hex(
        fin.data, fin.len,
        "1400002011fae4bcdf4673b6dfb276d886c4cd1c5b0920da961643f062d1d4a6062115b1");
    atea_buf_free(&fin);
    atea_buf_free(&req);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a1_exporter_values),
        cmocka_unit_test(test_a2_request_and_client_refusal),
        cmocka_unit_test(test_a2_structural_certificate_transcript),
        cmocka_unit_test(test_a2_full_authenticator),
        cmocka_unit_test(test_a3_client_request_and_server_refusal),
        cmocka_unit_test(test_sha384_spontaneous_authenticator),
        cmocka_unit_test(test_fizz_headerless_empty_authenticator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
