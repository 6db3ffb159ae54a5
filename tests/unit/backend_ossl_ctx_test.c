/*
 * atea_ossl_ctx_prepare: SSLKEYLOGFILE (environment and explicit path, mode 0600, append, failure
 * reporting), the exporter recomputed from the logged EXPORTER_SECRET per RFC 8446 §7.5, and the
 * attested settings (no NewSessionTicket, no early data) against the non-attested defaults.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/kdf.h>

#include "atea/ossl.h"
#include "atea_test.h"
#include "test_certs.h"
#include "tls_pair.h"

static const char *const ea_labels[4] = {
    "EXPORTER-client authenticator handshake context",
    "EXPORTER-client authenticator finished key",
    "EXPORTER-server authenticator handshake context",
    "EXPORTER-server authenticator finished key",
};

typedef struct fixture {
    atea_test_identities ids;
    char dir[64];
    char path[128];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    if (f == NULL) {
        return -1;
    }
    snprintf(f->dir, sizeof(f->dir), "/tmp/atea-keylog-XXXXXX");
    if (mkdtemp(f->dir) == NULL) {
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof(f->path), "%s/keys.log", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    unlink(f->path);
    rmdir(f->dir);
    atea_test_identities_dispose(&f->ids);
    free(f);
    return 0;
}

/* Each test starts from no key log file and no SSLKEYLOGFILE. */
static int test_setup(void **state)
{
    fixture *f = *state;
    unlink(f->path);
    unsetenv(ATEA_OSSL_KEYLOG_ENV);
    return 0;
}

/* ---- RFC 8446 §7.1/§7.5, computed independently of SSL_export_keying_material --------------- */

static void hkdf_expand_label(const char *md, const atea_buf *secret, const char *label,
                              const uint8_t *ctx, size_t ctx_len, uint8_t *out, size_t out_len)
{
    uint8_t info[2 + 1 + 255 + 1 + 64];
    size_t label_len = strlen(label);
    size_t n = 0;
    assert_true(6 + label_len <= 255 && ctx_len <= 64);
    info[n++] = (uint8_t)(out_len >> 8);
    info[n++] = (uint8_t)out_len;
    info[n++] = (uint8_t)(6 + label_len);
    memcpy(info + n, "tls13 ", 6);
    memcpy(info + n + 6, label, label_len);
    n += 6 + label_len;
    info[n++] = (uint8_t)ctx_len;
    memcpy(info + n, ctx, ctx_len);
    n += ctx_len;

    int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)md, 0),
        OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, secret->data, secret->len),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info, n),
        OSSL_PARAM_construct_end(),
    };
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
    assert_non_null(kdf);
    EVP_KDF_CTX *kctx = EVP_KDF_CTX_new(kdf);
    assert_non_null(kctx);
    assert_int_equal(EVP_KDF_derive(kctx, out, out_len, params), 1);
    EVP_KDF_CTX_free(kctx);
    EVP_KDF_free(kdf);
}

/* TLS-Exporter(label, "", out_len) from exporter_master_secret. */
static void rfc8446_exporter(const char *md, const atea_buf *ems, const char *label, uint8_t *out,
                             size_t out_len)
{
    uint8_t empty_hash[64];
    unsigned int hlen = 0;
    uint8_t derived[64];
    atea_buf derived_buf = {.data = derived, .len = ems->len};
    assert_int_equal(EVP_Digest("", 0, empty_hash, &hlen, EVP_get_digestbyname(md), NULL), 1);
    assert_int_equal(hlen, ems->len);
    /* Derive-Secret(Secret, label, "") uses Hash("") as its context. */
    hkdf_expand_label(md, ems, label, empty_hash, hlen, derived, hlen);
    /* Hash(context_value) with the empty context is Hash("") again. */
    hkdf_expand_label(md, &derived_buf, "exporter", empty_hash, hlen, out, out_len);
}

/* ---- the key log file ------------------------------------------------------------------------ */

/* The secret logged under label for this connection's client_random; aborts if absent. */
static atea_buf logged_secret(const char *path, SSL *client, const char *label)
{
    uint8_t random[32];
    char random_hex[65];
    char want[128];
    atea_buf secret = {0};
    assert_int_equal(SSL_get_client_random(client, random, sizeof(random)), sizeof(random));
    EXPECT_OK(atea_hex_encode(random, sizeof(random), random_hex, sizeof(random_hex)));
    snprintf(want, sizeof(want), "%s %s ", label, random_hex);
    atea_buf file = atea_test_read_file(path);
    char *text = calloc(1, file.len + 1);
    assert_non_null(text);
    memcpy(text, file.data, file.len);
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        if (strncasecmp(line, want, strlen(want)) == 0) {
            const char *hex = line + strlen(want);
            EXPECT_OK(atea_hex_decode(hex, strlen(hex), &secret));
            break;
        }
    }
    free(text);
    atea_buf_free(&file);
    if (secret.data == NULL) {
        fail_msg("no \"%s\" line in %s", want, path);
    }
    return secret;
}

static void check_keylog_and_exporters(const char *path, const atea_test_tls_pair *pair,
                                       const char *md, size_t hlen)
{
    static const char *const labels[] = {
        "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
        "SERVER_HANDSHAKE_TRAFFIC_SECRET",
        "CLIENT_TRAFFIC_SECRET_0",
        "SERVER_TRAFFIC_SECRET_0",
        "EXPORTER_SECRET",
    };
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
        atea_buf secret = logged_secret(path, pair->client, labels[i]);
        assert_int_equal(secret.len, hlen);
        atea_buf_free(&secret);
    }
    atea_buf ems = logged_secret(path, pair->client, "EXPORTER_SECRET");
    for (size_t i = 0; i < 4; i++) {
        uint8_t want[64];
        uint8_t got[64];
        rfc8446_exporter(md, &ems, ea_labels[i], want, hlen);
        EXPECT_OK(pair->server_tls.ops->exporter(pair->server_tls.impl, ea_labels[i],
                                                 strlen(ea_labels[i]), NULL, 0, got, hlen));
        assert_memory_equal(got, want, hlen);
    }
    atea_buf_free(&ems);
}

static void test_keylog_from_env_and_exporter_derivation(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *suite;
        const char *md;
        size_t hlen;
    } suites[] = {
        {"TLS_AES_128_GCM_SHA256", "SHA256", 32},
        {"TLS_AES_256_GCM_SHA384", "SHA384", 48},
    };
    assert_int_equal(setenv(ATEA_OSSL_KEYLOG_ENV, f->path, 1), 0);
    for (size_t i = 0; i < 2; i++) {
        atea_test_tls_pair_opts o = {.ciphersuite = suites[i].suite,
                                     .server_id =
                                         atea_test_identities_get(&f->ids, ATEA_TEST_KEY_P256),
                                     .attested = 1};
        atea_test_tls_pair *pair = NULL;
        EXPECT_OK(atea_test_tls_pair_new(&pair, &o));
        check_keylog_and_exporters(f->path, pair, suites[i].md, suites[i].hlen);
        atea_test_tls_pair_free(pair);
    }
    unsetenv(ATEA_OSSL_KEYLOG_ENV);
}

static void test_keylog_explicit_path_appends(void **state)
{
    fixture *f = *state;
    FILE *pre = fopen(f->path, "w");
    assert_non_null(pre);
    fputs("# kept\n", pre);
    fclose(pre);
    assert_int_equal(chmod(f->path, 0600), 0);
    atea_test_tls_pair_opts o = {.server_id =
                                     atea_test_identities_get(&f->ids, ATEA_TEST_KEY_ED25519),
                                 .keylog_path = f->path,
                                 .attested = 1};
    atea_test_tls_pair *pair = NULL;
    EXPECT_OK(atea_test_tls_pair_new(&pair, &o));
    check_keylog_and_exporters(f->path, pair, "SHA256", 32);
    atea_buf file = atea_test_read_file(f->path);
    assert_true(file.len > 7);
    assert_memory_equal(file.data, "# kept\n", 7);
    atea_buf_free(&file);
    atea_test_tls_pair_free(pair);
}

static void test_keylog_env_ignored_or_absent(void **state)
{
    fixture *f = *state;
    atea_ossl_ctx_opts bo;
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    assert_non_null(ctx);
    atea_ossl_ctx_opts_default(&bo);
    assert_int_equal(bo.keylog_from_env, 1);

    /* Not set: nothing installed, no file. */
    EXPECT_OK(atea_ossl_ctx_prepare(ctx, &bo));
    assert_null(SSL_CTX_get_keylog_callback(ctx));
    /* Set but ignored. */
    assert_int_equal(setenv(ATEA_OSSL_KEYLOG_ENV, f->path, 1), 0);
    bo.keylog_from_env = 0;
    EXPECT_OK(atea_ossl_ctx_prepare(ctx, &bo));
    assert_null(SSL_CTX_get_keylog_callback(ctx));
    assert_int_equal(access(f->path, F_OK), -1);
    /* Set and honoured: the file exists from prepare on, with mode 0600. */
    bo.keylog_from_env = 1;
    EXPECT_OK(atea_ossl_ctx_prepare(ctx, &bo));
    assert_non_null(SSL_CTX_get_keylog_callback(ctx));
    struct stat st;
    assert_int_equal(stat(f->path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* A second prepare without a key log removes it again. */
    unsetenv(ATEA_OSSL_KEYLOG_ENV);
    EXPECT_OK(atea_ossl_ctx_prepare(ctx, &bo));
    assert_null(SSL_CTX_get_keylog_callback(ctx));
    SSL_CTX_free(ctx);
}

static void app_keylog(const SSL *ssl, const char *line)
{
    (void)ssl;
    (void)line;
}

static void test_keylog_leaves_application_callback(void **state)
{
    (void)state;
    atea_ossl_ctx_opts bo;
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    assert_non_null(ctx);
    atea_ossl_ctx_opts_default(&bo);
    SSL_CTX_set_keylog_callback(ctx, app_keylog);
    EXPECT_OK(atea_ossl_ctx_prepare(ctx, &bo));
    assert_ptr_equal(SSL_CTX_get_keylog_callback(ctx), app_keylog);
    SSL_CTX_free(ctx);
}

static void test_keylog_unusable_path(void **state)
{
    fixture *f = *state;
    atea_ossl_ctx_opts bo;
    char path[160];
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    assert_non_null(ctx);
    atea_ossl_ctx_opts_default(&bo);
    snprintf(path, sizeof(path), "%s/missing-dir/keys.log", f->dir);
    bo.keylog_path = path;
    EXPECT_ERR(atea_ossl_ctx_prepare(ctx, &bo), ATEA_ERR_TLS_KEYLOG);
    assert_non_null(
        strstr(atea_err_last()->detail, "missing-dir/keys.log for appending: No such file"));
    bo.keylog_path = "";
    EXPECT_ERR(atea_ossl_ctx_prepare(ctx, &bo), ATEA_ERR_TLS_KEYLOG);
    assert_null(SSL_CTX_get_keylog_callback(ctx));
    SSL_CTX_free(ctx);
}

typedef struct log_capture {
    int errors;
    char last[512];
} log_capture;

static void capture_log(void *user, atea_log_level level, const char *msg)
{
    log_capture *c = user;
    if (level == ATEA_LOG_ERROR) {
        c->errors++;
        snprintf(c->last, sizeof(c->last), "%s", msg);
    }
}

/* A write failure after prepare cannot fail the handshake; it is reported through the log. */
static void test_keylog_write_failure_is_logged(void **state)
{
    fixture *f = *state;
    char sub[160];
    char path[200];
    log_capture cap = {0};
    atea_ossl_ctx_opts bo;
    snprintf(sub, sizeof(sub), "%s/vanishing", f->dir);
    snprintf(path, sizeof(path), "%s/keys.log", sub);
    assert_int_equal(mkdir(sub, 0700), 0);
    atea_test_tls_pair_opts o = {.server_id = atea_test_identities_get(&f->ids, ATEA_TEST_KEY_P256),
                                 .attested = 1};
    atea_test_tls_pair *pair = NULL;
    EXPECT_OK(atea_test_tls_pair_start(&pair, &o));
    atea_ossl_ctx_opts_default(&bo);
    bo.keylog_path = path;
    bo.log.fn = capture_log;
    bo.log.user = &cap;
    EXPECT_OK(atea_ossl_ctx_prepare(pair->client_ctx, &bo));
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(sub), 0);
    EXPECT_OK(atea_test_tls_pair_handshake(pair));
    assert_true(cap.errors >= 5);
    assert_non_null(strstr(cap.last, "vanishing/keys.log: cannot open for appending"));
    atea_test_tls_pair_free(pair);
}

/* ---- attested: no tickets, no early data -------------------------------------------------- */

static void test_attested_sends_no_ticket(void **state)
{
    fixture *f = *state;
    for (int attested = 1; attested >= 0; attested--) {
        atea_test_tls_pair_opts o = {.server_id =
                                         atea_test_identities_get(&f->ids, ATEA_TEST_KEY_P256),
                                     .attested = attested};
        atea_test_tls_pair *pair = NULL;
        EXPECT_OK(atea_test_tls_pair_new(&pair, &o));
        EXPECT_OK(atea_test_tls_pair_pump(pair));
        SSL_SESSION *sess = SSL_get_session(pair->client);
        assert_non_null(sess);
        if (attested) {
            assert_int_equal(pair->client_tickets_received, 0);
            assert_int_equal(SSL_SESSION_has_ticket(sess), 0);
            assert_int_equal(SSL_get_num_tickets(pair->server), 0);
            assert_int_equal(SSL_get_max_early_data(pair->client), 0);
            assert_int_equal(SSL_get_max_early_data(pair->server), 0);
            assert_int_equal(SSL_get_recv_max_early_data(pair->server), 0);
            assert_int_equal(SSL_SESSION_get_max_early_data(sess), 0);
            assert_int_equal(SSL_CTX_get_session_cache_mode(pair->client_ctx), SSL_SESS_CACHE_OFF);
            assert_true((SSL_get_options(pair->server) & SSL_OP_NO_TICKET) != 0);
        } else {
            /* OpenSSL's defaults, so that the checks above can fail. */
            assert_true(pair->client_tickets_received >= 1);
            assert_int_equal(SSL_SESSION_has_ticket(sess), 1);
            assert_true(SSL_get_recv_max_early_data(pair->server) > 0);
        }
        atea_test_tls_pair_free(pair);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_keylog_from_env_and_exporter_derivation, test_setup),
        cmocka_unit_test_setup(test_keylog_explicit_path_appends, test_setup),
        cmocka_unit_test_setup(test_keylog_env_ignored_or_absent, test_setup),
        cmocka_unit_test_setup(test_keylog_leaves_application_callback, test_setup),
        cmocka_unit_test_setup(test_keylog_unusable_path, test_setup),
        cmocka_unit_test_setup(test_keylog_write_failure_is_logged, test_setup),
        cmocka_unit_test_setup(test_attested_sends_no_ticket, test_setup),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
