/*
 * X.509 chain verification to a pinned root at a given time (chain.h). OpenSSL does the path
 * building and signature checks; this file decides what is trusted (the pins), maps OpenSSL's
 * reasons to atea codes, and parses the PEM/DER inputs strictly.
 */
#include "verify/chain.h"

#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "core/check.h"
#include "core/rd.h"

static const char PEM_BEGIN[] = "-----BEGIN CERTIFICATE-----";
static const char PEM_END[] = "-----END CERTIFICATE-----";

void atea_chain_subject(const X509 *cert, char *buf, size_t size)
{
    if (size == 0) {
        return;
    }
    buf[0] = '\0';
    if (cert == NULL) {
        snprintf(buf, size, "(no certificate)");
        return;
    }
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL) {
        return;
    }
    /* RFC 2253 escaping, RDNs in certificate order (CN first for the vendor chains), UTF-8
     * kept as is. */
    if (X509_NAME_print_ex(bio, X509_get_subject_name(cert), 0,
                           XN_FLAG_RFC2253 & ~XN_FLAG_DN_REV & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
        int n = BIO_read(bio, buf, (int)(size - 1));
        buf[n > 0 ? n : 0] = '\0';
    }
    BIO_free(bio);
}

void atea_chain_free_certs(X509 **certs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        X509_free(certs[i]);
        certs[i] = NULL;
    }
}

atea_err atea_chain_cert_sha256(const X509 *cert, uint8_t out[32])
{
    atea_err err = ATEA_OK;
    unsigned char *der = NULL;
    unsigned int md_len = 0;
    ATEA_ENSURE(cert != NULL && out != NULL, ATEA_ERR_INVALID_ARG);
    int der_len = i2d_X509(cert, &der);
    ATEA_ENSURE_MSG(der_len > 0, ATEA_ERR_CHAIN_MALFORMED_CERT, "cannot DER-encode certificate");
    ATEA_ENSURE(EVP_Digest(der, (size_t)der_len, out, &md_len, EVP_sha256(), NULL) == 1,
                ATEA_ERR_INTERNAL);
out:
    OPENSSL_free(der);
    return err;
}

atea_err atea_chain_parse_der(const uint8_t *der, size_t len, X509 **cert)
{
    atea_err err = ATEA_OK;
    X509 *x = NULL;
    const unsigned char *p = der;
    ATEA_ENSURE(der != NULL && cert != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(len > 0 && len <= ATEA_CHAIN_MAX_PEM_BYTES, ATEA_ERR_CHAIN_MALFORMED_CERT,
                    "certificate DER length %zu outside 1..%d", len, ATEA_CHAIN_MAX_PEM_BYTES);
    x = d2i_X509(NULL, &p, (long)len);
    ATEA_ENSURE_MSG(x != NULL, ATEA_ERR_CHAIN_MALFORMED_CERT, "certificate is not valid DER X.509");
    ATEA_ENSURE_MSG((size_t)(p - der) == len, ATEA_ERR_CHAIN_MALFORMED_CERT,
                    "%zu bytes follow the DER certificate", len - (size_t)(p - der));
    *cert = x;
    x = NULL;
out:
    X509_free(x);
    return err;
}

static int is_pem_space(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Skip whitespace; report whether only whitespace and NULs remain (the end of the bundle). */
static atea_err skip_space(atea_rd *rd, int *at_end)
{
    atea_err err = ATEA_OK;
    while (atea_rd_left(rd) > 0 && is_pem_space(*atea_rd_ptr(rd))) {
        ATEA_TRY(atea_rd_skip(rd, 1));
    }
    size_t i = 0;
    const uint8_t *p = atea_rd_ptr(rd);
    while (i < atea_rd_left(rd) && (p[i] == 0 || is_pem_space(p[i]))) {
        i++;
    }
    *at_end = (i == atea_rd_left(rd));
    if (*at_end) {
        ATEA_TRY(atea_rd_skip(rd, i));
    }
out:
    return err;
}

/* Length of the PEM block at the cursor (BEGIN line through END marker), 0 if none. */
static size_t pem_block_len(const atea_rd *rd)
{
    const uint8_t *p = atea_rd_ptr(rd);
    size_t left = atea_rd_left(rd);
    size_t begin_len = sizeof(PEM_BEGIN) - 1;
    size_t end_len = sizeof(PEM_END) - 1;
    if (left < begin_len || memcmp(p, PEM_BEGIN, begin_len) != 0) {
        return 0;
    }
    for (size_t i = begin_len; i + end_len <= left; i++) {
        if (memcmp(p + i, PEM_END, end_len) == 0) {
            return i + end_len;
        }
    }
    return 0;
}

static atea_err decode_pem_block(const uint8_t *block, size_t len, size_t offset, X509 **cert)
{
    atea_err err = ATEA_OK;
    BIO *bio = BIO_new_mem_buf(block, (int)len);
    ATEA_ENSURE_ALLOC(bio);
    *cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
    ATEA_ENSURE_MSG(*cert != NULL, ATEA_ERR_CHAIN_MALFORMED_CERT,
                    "PEM certificate at offset %zu does not decode to X.509", offset);
out:
    BIO_free(bio);
    return err;
}

atea_err atea_chain_parse_pem(const uint8_t *pem, size_t len, X509 **certs, size_t max,
                              size_t *count)
{
    atea_err err = ATEA_OK;
    atea_rd rd;
    size_t n = 0;
    int at_end = 0;
    ATEA_ENSURE(pem != NULL && certs != NULL && count != NULL && max > 0, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(len <= ATEA_CHAIN_MAX_PEM_BYTES, ATEA_ERR_TOO_LARGE,
                    "PEM bundle of %zu bytes exceeds %d", len, ATEA_CHAIN_MAX_PEM_BYTES);
    atea_rd_init(&rd, pem, len);
    ATEA_TRY(skip_space(&rd, &at_end));
    while (!at_end) {
        size_t block_len = pem_block_len(&rd);
        size_t offset = atea_rd_pos(&rd);
        const uint8_t *block = NULL;
        ATEA_ENSURE_MSG(block_len > 0, n == 0 ? ATEA_ERR_CHAIN_MALFORMED_CERT : ATEA_ERR_TRAILING,
                        "expected '%s' at offset %zu", PEM_BEGIN, offset);
        ATEA_ENSURE_MSG(n < max, ATEA_ERR_TOO_LARGE, "more than %zu certificates in PEM bundle",
                        max);
        ATEA_TRY(atea_rd_bytes(&rd, block_len, &block));
        ATEA_TRY(decode_pem_block(block, block_len, offset, &certs[n]));
        n++;
        ATEA_TRY(skip_space(&rd, &at_end));
    }
    ATEA_TRY(atea_rd_end(&rd));
    ATEA_ENSURE_MSG(n > 0, ATEA_ERR_CHAIN_MALFORMED_CERT, "no PEM certificate in %zu bytes", len);
    *count = n;
out:
    if (err != ATEA_OK && certs != NULL) {
        atea_chain_free_certs(certs, n);
    }
    return err;
}

atea_err atea_chain_parse_crl(const uint8_t *data, size_t len, X509_CRL **crl)
{
    atea_err err = ATEA_OK;
    BIO *bio = NULL;
    X509_CRL *c = NULL;
    ATEA_ENSURE(data != NULL && crl != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(len > 0 && len <= 4 * ATEA_CHAIN_MAX_PEM_BYTES, ATEA_ERR_CHAIN_CRL,
                    "CRL length %zu outside 1..%d", len, 4 * ATEA_CHAIN_MAX_PEM_BYTES);
    if (data[0] == 0x30) { /* DER SEQUENCE */
        const unsigned char *p = data;
        c = d2i_X509_CRL(NULL, &p, (long)len);
        ATEA_ENSURE_MSG(c != NULL && (size_t)(p - data) == len, ATEA_ERR_CHAIN_CRL,
                        "CRL is not exactly one DER CertificateList (%zu bytes)", len);
    } else {
        bio = BIO_new_mem_buf(data, (int)len);
        ATEA_ENSURE_ALLOC(bio);
        c = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL);
        ATEA_ENSURE_MSG(c != NULL, ATEA_ERR_CHAIN_CRL, "CRL is neither DER nor PEM X509 CRL");
    }
    *crl = c;
    c = NULL;
out:
    X509_CRL_free(c);
    BIO_free(bio);
    return err;
}

/* The state the verify callback updates; attached to the store context as app data. */
typedef struct chain_cb_state {
    unsigned flags;
    atea_chain_result *result;
} chain_cb_state;

static void note_soft(chain_cb_state *st, X509_STORE_CTX *ctx, const char *what)
{
    char subject[128];
    atea_chain_subject(X509_STORE_CTX_get_current_cert(ctx), subject, sizeof(subject));
    if (st->result->soft_detail[0] == '\0') {
        snprintf(st->result->soft_detail, sizeof(st->result->soft_detail), "%s (checking '%s')",
                 what, subject);
    }
}

/* Turns the time findings the caller asked to tolerate into result flags. */
static int chain_verify_cb(int ok, X509_STORE_CTX *ctx)
{
    chain_cb_state *st = X509_STORE_CTX_get_app_data(ctx);
    if (ok || st == NULL) {
        return ok;
    }
    int e = X509_STORE_CTX_get_error(ctx);
    if ((st->flags & ATEA_CHAIN_SOFT_CERT_TIME) &&
        (e == X509_V_ERR_CERT_HAS_EXPIRED || e == X509_V_ERR_CERT_NOT_YET_VALID)) {
        st->result->cert_time_soft = 1;
        note_soft(st, ctx, X509_verify_cert_error_string(e));
        return 1;
    }
    if ((st->flags & ATEA_CHAIN_SOFT_CRL_TIME) &&
        (e == X509_V_ERR_CRL_HAS_EXPIRED || e == X509_V_ERR_CRL_NOT_YET_VALID)) {
        st->result->crl_time_soft = 1;
        note_soft(st, ctx, X509_verify_cert_error_string(e));
        return 1;
    }
    return 0;
}

static atea_err_code map_verify_error(int e)
{
    switch (e) {
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
    case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
        return ATEA_ERR_CHAIN_BAD_SIGNATURE;
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
    case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
    case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
        return ATEA_ERR_CHAIN_VALIDITY;
    case X509_V_ERR_CERT_REVOKED:
        return ATEA_ERR_CHAIN_REVOKED;
    case X509_V_ERR_UNABLE_TO_GET_CRL:
    case X509_V_ERR_CRL_HAS_EXPIRED:
    case X509_V_ERR_CRL_NOT_YET_VALID:
    case X509_V_ERR_CRL_SIGNATURE_FAILURE:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
    case X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD:
    case X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD:
    case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
        return ATEA_ERR_CHAIN_CRL;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        return ATEA_ERR_CHAIN_UNTRUSTED_ROOT;
    default:
        return ATEA_ERR_CHAIN_INVALID;
    }
}

static int pinned(const uint8_t hash[32], const atea_chain_opts *opts)
{
    int found = 0;
    for (size_t i = 0; i < opts->root_pin_count; i++) {
        found |= atea_ct_equal(hash, opts->root_pins[i], 32);
    }
    return found;
}

/* Pick the root (explicit anchor, else the chain's last certificate, which must be
 * self-signed) and require that it is pinned. *n_untrusted = certificates before the root. */
static atea_err select_root(X509 *const *certs, size_t n, const atea_chain_opts *opts, X509 **root,
                            size_t *n_untrusted)
{
    atea_err err = ATEA_OK;
    char subject[128];
    uint8_t hash[32];
    X509 *last = certs[n - 1];
    int last_self_signed = X509_check_issued(last, last) == X509_V_OK;
    if (opts->anchor != NULL) {
        *root = opts->anchor;
        *n_untrusted = (n > 1 && last_self_signed && X509_cmp(last, opts->anchor) == 0) ? n - 1 : n;
    } else {
        atea_chain_subject(last, subject, sizeof(subject));
        ATEA_ENSURE_MSG(last_self_signed, ATEA_ERR_CHAIN_UNTRUSTED_ROOT,
                        "%s: chain ends at '%s', which is not a self-signed root", opts->what,
                        subject);
        *root = last;
        *n_untrusted = n - 1;
    }
    ATEA_TRY(atea_chain_cert_sha256(*root, hash));
    atea_chain_subject(*root, subject, sizeof(subject));
    ATEA_ENSURE_MSG(pinned(hash, opts), ATEA_ERR_CHAIN_UNTRUSTED_ROOT,
                    "%s: root '%s' (SHA-256 %02x%02x%02x%02x...) is not a pinned root", opts->what,
                    subject, hash[0], hash[1], hash[2], hash[3]);
out:
    return err;
}

static atea_err build_stacks(X509 *const *certs, size_t n_untrusted, const atea_chain_opts *opts,
                             STACK_OF(X509) * *untrusted, STACK_OF(X509_CRL) * *crls)
{
    atea_err err = ATEA_OK;
    *untrusted = sk_X509_new_null();
    ATEA_ENSURE_ALLOC(*untrusted);
    for (size_t i = 1; i < n_untrusted; i++) {
        ATEA_ENSURE(sk_X509_push(*untrusted, certs[i]) > 0, ATEA_ERR_NO_MEMORY);
    }
    if (opts->crl_count > 0) {
        *crls = sk_X509_CRL_new_null();
        ATEA_ENSURE_ALLOC(*crls);
        for (size_t i = 0; i < opts->crl_count; i++) {
            ATEA_ENSURE(sk_X509_CRL_push(*crls, opts->crls[i]) > 0, ATEA_ERR_NO_MEMORY);
        }
    }
out:
    return err;
}

atea_err atea_chain_verify(X509 *const *certs, size_t n, const atea_chain_opts *opts,
                           atea_chain_result *result)
{
    atea_err err = ATEA_OK;
    X509_STORE *store = NULL;
    X509_STORE_CTX *ctx = NULL;
    STACK_OF(X509) *untrusted = NULL;
    STACK_OF(X509_CRL) *crls = NULL;
    X509 *root = NULL;
    size_t n_untrusted = 0;
    atea_chain_result scratch;
    chain_cb_state st;
    char subject[128];
    ATEA_ENSURE(certs != NULL && n > 0 && opts != NULL && opts->what != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE(opts->crl_count == 0 || opts->crls != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(n <= ATEA_CHAIN_MAX_CERTS && opts->crl_count <= ATEA_CHAIN_MAX_CRLS,
                    ATEA_ERR_TOO_LARGE, "%s: %zu certificates, %zu CRLs (caps %d, %d)", opts->what,
                    n, opts->crl_count, ATEA_CHAIN_MAX_CERTS, ATEA_CHAIN_MAX_CRLS);
    for (size_t i = 0; i < n; i++) {
        ATEA_ENSURE(certs[i] != NULL, ATEA_ERR_INVALID_ARG);
    }
    memset(&scratch, 0, sizeof(scratch));
    st.flags = opts->flags;
    st.result = result != NULL ? result : &scratch;
    memset(st.result, 0, sizeof(*st.result));

    ATEA_TRY(select_root(certs, n, opts, &root, &n_untrusted));
    ATEA_TRY(build_stacks(certs, n_untrusted, opts, &untrusted, &crls));
    store = X509_STORE_new();
    ctx = X509_STORE_CTX_new();
    ATEA_ENSURE(store != NULL && ctx != NULL, ATEA_ERR_NO_MEMORY);
    /* The pinned root is the only trust anchor; its own self-signature is not re-checked
     * because its bytes were just matched against the pin. */
    ATEA_ENSURE(X509_STORE_add_cert(store, root) == 1, ATEA_ERR_NO_MEMORY);
    X509_STORE_set_verify_cb(store, chain_verify_cb);
    ATEA_ENSURE(X509_STORE_CTX_init(ctx, store, certs[0], untrusted) == 1, ATEA_ERR_NO_MEMORY);
    X509_STORE_CTX_set_app_data(ctx, &st);
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
    X509_VERIFY_PARAM_set_time(param, (time_t)opts->now);
    if (crls != NULL) {
        X509_STORE_CTX_set0_crls(ctx, crls);
        X509_VERIFY_PARAM_set_flags(
            param, X509_V_FLAG_CRL_CHECK |
                       ((opts->flags & ATEA_CHAIN_CRL_CHECK_ALL) ? X509_V_FLAG_CRL_CHECK_ALL : 0));
    }
    if (X509_verify_cert(ctx) != 1) {
        int e = X509_STORE_CTX_get_error(ctx);
        X509 *bad = X509_STORE_CTX_get_current_cert(ctx);
        atea_chain_subject(bad != NULL ? bad : certs[0], subject, sizeof(subject));
        ATEA_FAIL(map_verify_error(e), "%s: '%s': %s (at %lld)", opts->what, subject,
                  X509_verify_cert_error_string(e), (long long)opts->now);
    }
out:
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    sk_X509_free(untrusted);
    sk_X509_CRL_free(crls);
    return err;
}
