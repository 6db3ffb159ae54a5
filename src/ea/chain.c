/* Optional PKIX validation (RFC 5280) of an authenticator's chain against the caller's trust
 * store, at the caller's time if given: RFC 9261 §7.4 "a function for validating a certificate
 * chain". */
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "core/check.h"
#include "ea/ea_internal.h"

atea_err atea_ea_chain_verify(X509 *leaf, const atea_ea_cert *certs, size_t n, X509_STORE *trust,
                              int use_time, int64_t time)
{
    atea_err err = ATEA_OK;
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    ATEA_ENSURE(leaf != NULL && n >= 1 && trust != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_ALLOC(untrusted);
    ATEA_ENSURE_ALLOC(ctx);
    for (size_t i = 1; i < n; i++) {
        X509 *x = NULL;
        ATEA_TRY(atea_ea_cert_decode(certs[i].der, i, &x));
        if (sk_X509_push(untrusted, x) <= 0) {
            X509_free(x);
            ATEA_FAIL(ATEA_ERR_NO_MEMORY, "cannot collect the chain");
        }
    }
    ATEA_ENSURE(X509_STORE_CTX_init(ctx, trust, leaf, untrusted) == 1, ATEA_ERR_NO_MEMORY);
    if (use_time) {
        X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), (time_t)time);
    }
    if (X509_verify_cert(ctx) != 1) {
        int code = X509_STORE_CTX_get_error(ctx);
        ATEA_FAIL(ATEA_ERR_EA_CHAIN, "certificate %d of the chain: %s (X509_V error %d)",
                  X509_STORE_CTX_get_error_depth(ctx), X509_verify_cert_error_string(code), code);
    }
out:
    X509_STORE_CTX_free(ctx);
    sk_X509_pop_free(untrusted, X509_free);
    ERR_clear_error();
    return err;
}
