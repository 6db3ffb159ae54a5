/*
 * libFuzzer target: the authenticator decoder AND validator (RFC 9261 §5, §6) against a fixed
 * connection (the exporter-secret adapter, SHA-256, secret 5a..5a) and a fixed request (the
 * server's first, with cmw_attestation offered; its context comes from a deterministic rng).
 * The seeds in corpus/ea_authenticator are valid client answers to that request, so the fuzzer
 * starts past the signature and MAC checks. Also: the client validating the input as a
 * spontaneous server authenticator, get_context and the dump. Every input gets fresh state.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "atea/ea.h"
#include "ea/msg.h"
#include "tls_secret.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A Certificate message that parses, written back, is the same bytes. */
static void check_certificate_round_trip(const uint8_t *data, size_t size)
{
    atea_rd rd;
    atea_ea_hs hs;
    atea_ea_cert certs[4];
    atea_ea_cert_in in[4];
    atea_ea_cert_msg msg;
    atea_wr wr;
    atea_rd_init(&rd, data, size);
    if (atea_ea_hs_read(&rd, &hs) != ATEA_OK || hs.type != ATEA_EA_HS_CERTIFICATE ||
        atea_ea_cert_parse(&hs, certs, 4, &msg) != ATEA_OK) {
        return;
    }
    for (size_t i = 0; i < msg.n_certs; i++) {
        in[i] = (atea_ea_cert_in){certs[i].der, certs[i].extensions, certs[i].n_extensions};
    }
    if (atea_wr_init_growable(&wr, hs.raw.len, hs.raw.len) != ATEA_OK ||
        atea_ea_cert_write(&wr, msg.context, in, msg.n_certs) != ATEA_OK ||
        atea_wr_len(&wr) != hs.raw.len || memcmp(atea_wr_data(&wr), hs.raw.data, hs.raw.len) != 0) {
        __builtin_trap();
    }
    atea_wr_dispose(&wr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    atea_test_ea_conn c;
    atea_buf req = {0};
    atea_buf text = {0};
    atea_ea_identity id;
    atea_ea_request_params rp = {.want_cmw = 1};
    uint8_t ctx[ATEA_EA_MAX_CONTEXT_LEN];
    size_t ctx_len = 0;
    if (atea_test_ea_conn_init(&c, ATEA_HASH_SHA256, 0x5a, NULL) != ATEA_OK ||
        atea_ea_request(c.server, &rp, &req) != ATEA_OK) {
        abort();
    }
    atea_ea_validate_params vp = {.request = req.data, .request_len = req.len};
    atea_err err = atea_ea_validate(c.server, NULL, data, size, &id);
    if (err == ATEA_OK && (id.n_certs == 0 || id.certs == NULL)) {
        __builtin_trap();
    }
    atea_ea_identity_dispose(&id);
    /* Named request: after a success above, this is the replay path. */
    (void)atea_ea_validate(c.server, &vp, data, size, &id);
    atea_ea_identity_dispose(&id);
    (void)atea_ea_validate(c.client, NULL, data, size, &id);
    atea_ea_identity_dispose(&id);
    check_certificate_round_trip(data, size);
    (void)atea_ea_get_context(data, size, ctx, &ctx_len);
    (void)atea_ea_dump(data, size, ATEA_DEFAULT_CMW_EXT, &text);
    atea_buf_free(&text);
    atea_buf_free(&req);
    atea_test_ea_conn_dispose(&c);
    return 0;
}
