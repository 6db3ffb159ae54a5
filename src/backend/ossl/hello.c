/*
 * The ClientHello recorder. A server that sends a spontaneous authenticator must choose its
 * signature scheme from the ClientHello's signature_algorithms and may only use extensions the
 * ClientHello had (RFC 9261 §5.2.1, §5.2.2). OpenSSL forgets both once the handshake is over
 * (SSL_get_shared_sigalgs returns nothing then), so a ClientHello callback copies them into the
 * SSL's ex_data while the ClientHello is being processed.
 *
 * A failure to record (a malformed or oversized list) does not fail the handshake here: OpenSSL
 * rejects malformed extensions itself, and a peer that merely offers many algorithms should not
 * lose its connection over a feature it may never use. The failure is kept and reported, with
 * its detail, when the layer above asks for the list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/ossl/ossl_internal.h"
#include "core/check.h"
#include "core/rd.h"

/* RFC 8446 §4.2.3: SignatureScheme supported_signature_algorithms<2..2^16-2>. */
#define ATEA_OSSL_SIGALGS_MIN_LEN 2
#define ATEA_OSSL_SIGALGS_MAX_LEN 65534

atea_err atea__ossl_parse_sigalgs(const uint8_t *ext, size_t ext_len, uint16_t *out, size_t cap,
                                  size_t *n)
{
    atea_err err = ATEA_OK;
    atea_rd rd;
    atea_rd list;
    size_t count = 0;
    ATEA_ENSURE(out != NULL && n != NULL, ATEA_ERR_INVALID_ARG);
    *n = 0;
    atea_rd_init(&rd, ext, ext_len);
    ATEA_TRY(atea_rd_vec(&rd, 2, ATEA_OSSL_SIGALGS_MIN_LEN, ATEA_OSSL_SIGALGS_MAX_LEN, &list));
    ATEA_TRY(atea_rd_end(&rd));
    ATEA_ENSURE_MSG(atea_rd_left(&list) % 2 == 0, ATEA_ERR_TLS_BAD_SIGALGS,
                    "signature_algorithms list length %zu is odd (each scheme is 2 bytes)",
                    atea_rd_left(&list));
    count = atea_rd_left(&list) / 2;
    ATEA_ENSURE_MSG(count <= cap, ATEA_ERR_TLS_TOO_MANY_SIGALGS,
                    "the peer offered %zu signature algorithms; at most %zu are accepted", count,
                    cap);
    for (size_t i = 0; i < count; i++) {
        ATEA_TRY(atea_rd_u16(&list, &out[i]));
    }
    ATEA_TRY(atea_rd_end(&list));
    *n = count;
out:
    return err;
}

/* The detail of the failure just raised, kept for the later query. */
static void hello_keep_detail(char *dst, size_t dst_size, atea_err code)
{
    snprintf(dst, dst_size, "%s", atea_err_detail(code));
}

static void hello_record_sigalgs(SSL *ssl, atea_ossl_hello *h)
{
    const unsigned char *ext = NULL;
    size_t ext_len = 0;
    h->n_sigalgs = 0;
    h->sigalgs_err = ATEA_OK;
    h->sigalgs_detail[0] = '\0';
    /* Absent (a PSK-only ClientHello): the peer offered no signature algorithm at all. */
    if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_signature_algorithms, &ext, &ext_len) != 1) {
        return;
    }
    h->sigalgs_err =
        atea__ossl_parse_sigalgs(ext, ext_len, h->sigalgs, ATEA_TLS_MAX_SIGALGS, &h->n_sigalgs);
    if (h->sigalgs_err != ATEA_OK) {
        hello_keep_detail(h->sigalgs_detail, sizeof(h->sigalgs_detail), h->sigalgs_err);
    }
}

static atea_err hello_copy_extensions(SSL *ssl, atea_ossl_hello *h)
{
    atea_err err = ATEA_OK;
    int *types = NULL;
    size_t count = 0;
    /* Wire order: OpenSSL places each type at its received_order. */
    ATEA_ENSURE_MSG(SSL_client_hello_get1_extensions_present(ssl, &types, &count) == 1,
                    ATEA_ERR_NO_MEMORY, "SSL_client_hello_get1_extensions_present failed");
    ATEA_ENSURE_MSG(count <= ATEA_TLS_MAX_EXTENSIONS, ATEA_ERR_TLS_TOO_MANY_EXTENSIONS,
                    "the ClientHello has %zu extensions; at most %d are accepted", count,
                    ATEA_TLS_MAX_EXTENSIONS);
    for (size_t i = 0; i < count; i++) {
        ATEA_ENSURE_MSG(types[i] >= 0 && types[i] <= 0xffff, ATEA_ERR_INTERNAL,
                        "OpenSSL reported extension type %d", types[i]);
        h->exts[i] = (uint16_t)types[i];
    }
    h->n_exts = count;
out:
    OPENSSL_free(types);
    return err;
}

static void hello_record_extensions(SSL *ssl, atea_ossl_hello *h)
{
    h->n_exts = 0;
    h->exts_detail[0] = '\0';
    h->exts_err = hello_copy_extensions(ssl, h);
    if (h->exts_err != ATEA_OK) {
        h->n_exts = 0;
        hello_keep_detail(h->exts_detail, sizeof(h->exts_detail), h->exts_err);
    }
}

int atea__ossl_client_hello_cb(SSL *ssl, int *alert, void *arg)
{
    (void)arg;
    atea_ossl_indices idx;
    if (atea__ossl_indices(&idx) != ATEA_OK) {
        *alert = SSL_AD_INTERNAL_ERROR;
        return SSL_CLIENT_HELLO_ERROR;
    }
    /* After a HelloRetryRequest the callback runs again for the second ClientHello, which is
     * the one the connection uses: overwrite the first record. */
    atea_ossl_hello *h = SSL_get_ex_data(ssl, idx.ssl_hello);
    if (h == NULL) {
        h = calloc(1, sizeof(*h));
        if (h == NULL || SSL_set_ex_data(ssl, idx.ssl_hello, h) != 1) {
            free(h);
            *alert = SSL_AD_INTERNAL_ERROR;
            return SSL_CLIENT_HELLO_ERROR;
        }
    }
    hello_record_sigalgs(ssl, h);
    hello_record_extensions(ssl, h);
    return SSL_CLIENT_HELLO_SUCCESS;
}

const atea_ossl_hello *atea__ossl_hello_get(const SSL *ssl)
{
    atea_ossl_indices idx;
    if (atea__ossl_indices(&idx) != ATEA_OK) {
        return NULL;
    }
    return SSL_get_ex_data(ssl, idx.ssl_hello);
}

void atea__ossl_hello_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl,
                           void *argp)
{
    (void)parent;
    (void)ad;
    (void)idx;
    (void)argl;
    (void)argp;
    free(ptr);
}

/* SSL_dup of an SSL that has not started its handshake copies ex_data pointers: give the copy
 * its own record so that each SSL frees exactly one. */
int atea__ossl_hello_dup(CRYPTO_EX_DATA *to, const CRYPTO_EX_DATA *from, void **from_d, int idx,
                         long argl, void *argp)
{
    (void)to;
    (void)from;
    (void)idx;
    (void)argl;
    (void)argp;
    if (*from_d == NULL) {
        return 1;
    }
    atea_ossl_hello *copy = malloc(sizeof(*copy));
    if (copy == NULL) {
        *from_d = NULL;
        return 0;
    }
    memcpy(copy, *from_d, sizeof(*copy));
    *from_d = copy;
    return 1;
}
