/*
 * atea_ossl_ctx_prepare: what every SSL_CTX behind an atea connection must have, in one place, so
 * that no connection (CLI, proxy, tests, library users) misses one of them.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "atea/ossl.h"
#include "backend/ossl/ossl_internal.h"
#include "core/check.h"

/*
 * The ex_data indices. OpenSSL hands out ex_data indices per process, so these are process-wide
 * by nature: they are written exactly once, inside CRYPTO_THREAD_run_once (which orders that
 * write before every later read), and never change afterwards. This is how OpenSSL's own
 * applications keep their indices; it is the one piece of static state of this backend.
 */
static CRYPTO_ONCE ossl_indices_once = CRYPTO_ONCE_STATIC_INIT;
static atea_ossl_indices ossl_indices = {.ssl_hello = -1, .ctx_data = -1};

static void ossl_indices_alloc(void)
{
    ossl_indices.ssl_hello =
        SSL_get_ex_new_index(0, NULL, NULL, atea__ossl_hello_dup, atea__ossl_hello_free);
    ossl_indices.ctx_data = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, atea__ossl_ctx_data_free);
}

atea_err atea__ossl_indices(atea_ossl_indices *out)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE_MSG(CRYPTO_THREAD_run_once(&ossl_indices_once, ossl_indices_alloc) == 1,
                    ATEA_ERR_INTERNAL, "CRYPTO_THREAD_run_once failed");
    ATEA_ENSURE_MSG(ossl_indices.ssl_hello >= 0 && ossl_indices.ctx_data >= 0, ATEA_ERR_INTERNAL,
                    "OpenSSL could not allocate ex_data indices (ssl %d, ctx %d)",
                    ossl_indices.ssl_hello, ossl_indices.ctx_data);
    *out = ossl_indices;
out:
    return err;
}

void atea_ossl_ctx_opts_default_versioned(unsigned version, atea_ossl_ctx_opts *opts)
{
    if (opts == NULL) {
        return;
    }
    memset(opts, 0, sizeof(*opts));
    opts->version = version;
    opts->attested = 1;
    opts->allow_tls12 = 0;
    opts->keylog_path = NULL;
    opts->keylog_from_env = 1;
}

static atea_err ctx_set_versions(SSL_CTX *ctx, int allow_tls12)
{
    atea_err err = ATEA_OK;
    int min = allow_tls12 ? TLS1_2_VERSION : TLS1_3_VERSION;
    long max = SSL_CTX_get_max_proto_version(ctx);
    ATEA_ENSURE_MSG(SSL_CTX_set_min_proto_version(ctx, min) == 1, ATEA_ERR_TLS_CTX_SETUP,
                    "SSL_CTX_set_min_proto_version(0x%04x) failed", (unsigned)min);
    /* 0 means "the highest this OpenSSL supports". */
    ATEA_ENSURE_MSG(max == 0 || max >= min, ATEA_ERR_TLS_CTX_SETUP,
                    "the SSL_CTX's maximum protocol version 0x%04lx is below atea's minimum 0x%04x",
                    (unsigned long)max, (unsigned)min);
out:
    return err;
}

/* profile.md §3: attested connections are never resumed and carry no early data, so that every
 * connection's evidence is bound to a full handshake. */
static atea_err ctx_forbid_resumption(SSL_CTX *ctx)
{
    atea_err err = ATEA_OK;
    /* SSL_OP_NO_TICKET alone would switch TLS 1.3 to stateful tickets; 0 tickets sends none. */
    ATEA_ENSURE_MSG(SSL_CTX_set_num_tickets(ctx, 0) == 1, ATEA_ERR_TLS_CTX_SETUP,
                    "SSL_CTX_set_num_tickets(0) failed");
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    /* Client side: store no session, so no ticket is ever offered back. */
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    ATEA_ENSURE_MSG(SSL_CTX_set_max_early_data(ctx, 0) == 1, ATEA_ERR_TLS_CTX_SETUP,
                    "SSL_CTX_set_max_early_data(0) failed");
    ATEA_ENSURE_MSG(SSL_CTX_set_recv_max_early_data(ctx, 0) == 1, ATEA_ERR_TLS_CTX_SETUP,
                    "SSL_CTX_set_recv_max_early_data(0) failed");
out:
    return err;
}

static atea_err ctx_set_keylog(SSL_CTX *ctx, const atea_ossl_ctx_opts *opts)
{
    atea_err err = ATEA_OK;
    const char *path = opts->keylog_path;
    /* As secure_getenv: a set-user-ID or set-group-ID process must not let whoever runs it
     * choose a file to create (with its privileges) and fill with traffic secrets. */
    int privileged = getuid() != geteuid() || getgid() != getegid();
    if (path == NULL && opts->keylog_from_env && !privileged) {
        const char *env = getenv(ATEA_OSSL_KEYLOG_ENV);
        if (env != NULL && env[0] != '\0') {
            path = env;
        }
    }
    if (path != NULL) {
        ATEA_TRY(atea__ossl_keylog_install(ctx, path, &opts->log));
    } else {
        ATEA_TRY(atea__ossl_keylog_remove(ctx));
    }
out:
    return err;
}

atea_err atea_ossl_ctx_prepare(SSL_CTX *ctx, const atea_ossl_ctx_opts *opts)
{
    atea_err err = ATEA_OK;
    atea_ossl_indices idx;
    ATEA_ENSURE_MSG(ctx != NULL && opts != NULL, ATEA_ERR_INVALID_ARG,
                    "atea_ossl_ctx_prepare needs an SSL_CTX and options");
    ATEA_ENSURE_MSG(opts->version == ATEA_OSSL_CTX_OPTS_V1, ATEA_ERR_INVALID_ARG,
                    "atea_ossl_ctx_opts version %u is unknown (this library knows %d); "
                    "initialise the options with atea_ossl_ctx_opts_default",
                    opts->version, ATEA_OSSL_CTX_OPTS_VERSION);
    ATEA_TRY(atea__ossl_indices(&idx));
    ATEA_TRY(ctx_set_versions(ctx, opts->allow_tls12));
    SSL_CTX_set_client_hello_cb(ctx, atea__ossl_client_hello_cb, NULL);
    if (opts->attested) {
        ATEA_TRY(ctx_forbid_resumption(ctx));
    }
    ATEA_TRY(ctx_set_keylog(ctx, opts));
out:
    return err;
}
