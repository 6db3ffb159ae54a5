/*
 * libFuzzer target: an atea_session (client end) fed arbitrary peer bytes after a fixed,
 * deterministic setup: a TLS adapter computed from a fixed exporter_master_secret
 * (tests/testlib/session_secret_tls.h), a fixed rng, an Ed25519 attestation key and
 * certificate with fixed contents (deterministic signatures), and a fixed clock.
 *
 * Input: byte 0 picks role, policy and the feed call (atea_session_feed, or, with bit 0x20,
 * atea_session_feed_borrow: the chunk stays untouched until its events are taken), byte 1 the
 * chunk size the rest is fed in (partial frames), then the peer's bytes. Invariants checked: the
 * call never crashes or leaks; a failure is sticky; everything the session asks us to send is a
 * well-formed sequence of frames.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "atea/session.h"
#include "session_secret_tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static const uint8_t ems[32] = {0xfe, 0x22, 0xf8, 0x81, 0x17, 0x6e, 0xda, 0x18, 0xeb, 0x8f, 0x44,
                                0x52, 0x9e, 0x67, 0x92, 0xc5, 0x0c, 0x9a, 0x3f, 0x89, 0x45, 0x2f,
                                0x68, 0xd8, 0xae, 0x31, 0x1b, 0x43, 0x09, 0xd3, 0xcf, 0x50};
/* RFC 8032 §7.1 test 1 */
static const uint8_t ed_sk[32] = {0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a,
                                  0xf4, 0x92, 0xec, 0x2c, 0xc4, 0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32,
                                  0x69, 0x19, 0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae, 0x7f, 0x60};

/* Set up once (libFuzzer calls Initialize before any input); never modified afterwards. */
static EVP_PKEY *key;
static uint8_t *cert_der;
static size_t cert_len;

static void die(void)
{
    abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, ed_sk, sizeof(ed_sk));
    X509 *x = X509_new();
    if (key == NULL || x == NULL || X509_set_version(x, 2) != 1 ||
        ASN1_INTEGER_set(X509_get_serialNumber(x), 1) != 1) {
        die();
    }
    X509_NAME *name = X509_get_subject_name(x);
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"fuzz", -1, -1,
                                   0) != 1 ||
        X509_set_issuer_name(x, name) != 1 ||
        ASN1_TIME_set_string(X509_getm_notBefore(x), "20260101000000Z") != 1 ||
        ASN1_TIME_set_string(X509_getm_notAfter(x), "20360101000000Z") != 1 ||
        X509_set_pubkey(x, key) != 1 || X509_sign(x, key, NULL) <= 0) {
        die();
    }
    unsigned char *der = NULL;
    int n = i2d_X509(x, &der);
    if (n <= 0) {
        die();
    }
    cert_der = der;
    cert_len = (size_t)n;
    X509_free(x);
    return 0;
}

static atea_err fixed_rng(void *user, uint8_t *out, size_t len)
{
    unsigned *counter = user;
    for (size_t i = 0; i < len; i++) {
        out[i] = (uint8_t)(i + 31u * (*counter));
    }
    (*counter)++;
    return ATEA_OK;
}

static atea_err fixed_attest(atea_attester *self, const atea_binding *b, atea_buf *cmw)
{
    (void)self;
    uint8_t rec[2 + 1 + 4 + 2 + 64] = {0x82, 0x64, 't', 'e', 's', 't', 0x58, 0x40};
    memcpy(rec + 8, b->report_data, 64);
    return atea_buf_set(cmw, rec, 8 + 64);
}

static void no_free(atea_attester *self)
{
    (void)self;
}

static atea_err refuse_all(void *user, const uint8_t *cmw, size_t len, const atea_binding *expected,
                           atea_appraisal *out)
{
    (void)user;
    (void)cmw;
    (void)len;
    (void)expected;
    (void)out;
    return ATEA_ERR_CMW_RECORD;
}

/* Everything queued for sending must be whole, well-formed frames. */
static void drain_and_check(atea_session *s)
{
    size_t len = 0;
    const uint8_t *p = atea_session_peek_output(s, &len);
    size_t off = 0;
    while (off < len) {
        atea_frame f;
        size_t used = 0;
        if (atea_frame_decode(p + off, len - off, &f, &used, NULL) != ATEA_OK) {
            die();
        }
        off += used;
    }
    atea_session_drain_ack(s, len);
}

static void take_events(atea_session *s)
{
    atea_session_event ev;
    while (atea_session_next_event(s, &ev)) {
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) {
        return 0;
    }
    session_secret_tls t;
    atea_tls tls;
    session_secret_tls_init(&t, &tls, ATEA_HASH_SHA256, ems);
    unsigned counter = 0;
    atea_attester attester = {.platform = "sim", .attest = fixed_attest, .free = no_free};
    atea_slice chain = {cert_der, cert_len};
    atea_session_opts o;
    atea_session_opts_default(&o);
    o.role = 1u + data[0] % 3u;
    o.policy = (data[0] & 0x10) ? ATEA_SESSION_OPTIONAL : ATEA_SESSION_REQUIRE;
    o.attester = &attester;
    o.chain = &chain;
    o.n_chain = 1;
    o.key = key;
    o.appraise = refuse_all;
    o.rng = fixed_rng;
    o.rng_user = &counter;
    o.max_pending_data = 4096;
    size_t chunk = 1u + data[1];
    uint64_t now = 1000;
    atea_session *s = NULL;
    if (atea_session_new(&tls, &o, now, &s) != ATEA_OK) {
        die();
    }
    drain_and_check(s);
    size_t off = 2;
    atea_err err = ATEA_OK;
    while (off < size && err == ATEA_OK) {
        size_t n = size - off < chunk ? size - off : chunk;
        size_t consumed = 0;
        err = (data[0] & 0x20) ? atea_session_feed_borrow(s, data + off, n, &consumed, now++)
                               : atea_session_feed(s, data + off, n, &consumed, now++);
        if (consumed > n || (err == ATEA_OK && consumed == 0 && atea_session_is_closed(s))) {
            break;
        }
        off += consumed;
        drain_and_check(s);
        take_events(s);
    }
    if (err != ATEA_OK && err != ATEA_ERR_SESSION_CLOSED && atea_session_last_error(s) != err) {
        die(); /* the first failure must be the sticky one */
    }
    (void)atea_session_on_timeout(s, now + 3600000);
    (void)atea_session_peer_closed(s, now + 3600001);
    drain_and_check(s);
    take_events(s);
    atea_session_free(s);
    return 0;
}
