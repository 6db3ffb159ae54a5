/*
 * The simulated TEE attester (include/atea/sim.h, docs/evidence/SIM.md): claims in a CBOR map,
 * signed as a COSE_Sign1 (RFC 9052 §4.2) with ES256 by the identity key, the certificate chain
 * in the unprotected x5chain header (RFC 9360, label 33), wrapped in a CMW record.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include "atea/cmw.h"
#include "atea/sim.h"
#include "core/cbor.h"
#include "core/check.h"
#include "core/wr.h"
#include "evidence/sim_store.h"

#define COSE_TAG_SIGN1 18
#define COSE_HDR_ALG 1
#define COSE_HDR_X5CHAIN 33
#define COSE_ALG_ES256 (-7)
#define SIM_NONCE_MIN 8 /* EAT nonce: 8..64 bytes (RFC 9711 §4.1) */
#define SIM_NONCE_MAX 64
#define SIM_DEFAULT_MEASUREMENT_TAG "atea-sim-measurement:"

typedef struct sim_attester {
    atea_attester base; /* first: atea_attester* and sim_attester* convert */
    sim_identity id;
    char identity[ATEA_SIM_MAX_IDENTITY_NAME + 1];
    uint8_t measurement[ATEA_SIM_MAX_MEASUREMENT];
    size_t measurement_len;
    uint8_t platform_id[32];
    uint32_t svn;
    int debug;
    atea_log log;
} sim_attester;

void atea_sim_opts_default_versioned(unsigned version, atea_sim_opts *opts)
{
    if (opts == NULL) {
        return;
    }
    memset(opts, 0, sizeof(*opts));
    opts->version = version;
    opts->identity = ATEA_SIM_DEFAULT_IDENTITY;
    opts->svn = 1;
}

/* Sig_structure = ["Signature1", body_protected, external_aad = h'', payload] (RFC 9052 §4.4). */
static atea_err sig_structure(const atea_buf *protected_hdr, const atea_buf *payload, atea_wr *wr)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(atea_cbor_wr_array(wr, 4));
    ATEA_TRY(atea_cbor_wr_tstr_z(wr, "Signature1"));
    ATEA_TRY(atea_cbor_wr_bstr(wr, protected_hdr->data, protected_hdr->len));
    ATEA_TRY(atea_cbor_wr_bstr(wr, NULL, 0));
    ATEA_TRY(atea_cbor_wr_bstr(wr, payload->data, payload->len));
out:
    return err;
}

/* ECDSA P-256 / SHA-256 over msg, as COSE wants it: r || s, 32 bytes each (RFC 9053 §2.1). */
static atea_err sign_es256(EVP_PKEY *key, const uint8_t *msg, size_t len, uint8_t sig[64])
{
    atea_err err = ATEA_OK;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char der[80];
    size_t der_len = sizeof(der);
    ECDSA_SIG *ecdsa = NULL;
    ATEA_ENSURE_ALLOC(md);
    ATEA_ENSURE(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) == 1 &&
                    EVP_DigestSign(md, der, &der_len, msg, len) == 1,
                ATEA_ERR_SIM_CRYPTO);
    const unsigned char *p = der;
    ecdsa = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    ATEA_ENSURE(ecdsa != NULL, ATEA_ERR_SIM_CRYPTO);
    ATEA_ENSURE(BN_bn2binpad(ECDSA_SIG_get0_r(ecdsa), sig, 32) == 32 &&
                    BN_bn2binpad(ECDSA_SIG_get0_s(ecdsa), sig + 32, 32) == 32,
                ATEA_ERR_SIM_CRYPTO);
out:
    ECDSA_SIG_free(ecdsa);
    EVP_MD_CTX_free(md);
    return err;
}

/* The claims map, keys in the documented order (docs/evidence/SIM.md "Claims"). */
static atea_err write_claims(const sim_attester *s, const uint8_t *nonce, size_t nonce_len,
                             const uint8_t *aik_hash, size_t aik_hash_len, atea_wr *wr)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(atea_cbor_wr_map(wr, aik_hash_len > 0 ? 8 : 7));
    ATEA_TRY(atea_cbor_wr_tstr_z(wr, ATEA_SIM_CLAIM_PROFILE));
    ATEA_TRY(atea_cbor_wr_tstr_z(wr, ATEA_SIM_PROFILE));
    ATEA_TRY(atea_cbor_wr_tstr_z(wr, ATEA_SIM_CLAIM_IDENTITY));
    ATEA_TRY(atea_cbor_wr_tstr_z(wr, s->identity));
    ATEA_TRY(atea_cbor_wr_tstr_z(wr, ATEA_SIM_CLAIM_MEASUREMENT));
    ATEA_TRY(atea_cbor_wr_bstr(wr, s->measurement, s->measurement_len));
    ATEA_TRY(atea_cbor_wr_tstr_z(wr, ATEA_SIM_CLAIM_PLATFORM_ID));
    ATEA_TRY(atea_cbor_wr_bstr(wr, s->platform_id, sizeof(s->platform_id)));
    ATEA_TRY(atea_cbor_wr_tstr_z(wr, ATEA_SIM_CLAIM_DEBUG));
    ATEA_TRY(atea_cbor_wr_bool(wr, s->debug));
    ATEA_TRY(atea_cbor_wr_tstr_z(wr, ATEA_SIM_CLAIM_SVN));
    ATEA_TRY(atea_cbor_wr_uint(wr, s->svn));
    ATEA_TRY(atea_cbor_wr_tstr_z(wr, ATEA_SIM_CLAIM_NONCE));
    ATEA_TRY(atea_cbor_wr_bstr(wr, nonce, nonce_len));
    if (aik_hash_len > 0) {
        ATEA_TRY(atea_cbor_wr_tstr_z(wr, ATEA_SIM_CLAIM_AIK_HASH));
        ATEA_TRY(atea_cbor_wr_bstr(wr, aik_hash, aik_hash_len));
    }
out:
    return err;
}

static atea_err write_sign1(const sim_attester *s, const atea_buf *protected_hdr,
                            const atea_buf *payload, const uint8_t sig[64], atea_wr *wr)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(atea_cbor_wr_tag(wr, COSE_TAG_SIGN1));
    ATEA_TRY(atea_cbor_wr_array(wr, 4));
    ATEA_TRY(atea_cbor_wr_bstr(wr, protected_hdr->data, protected_hdr->len));
    ATEA_TRY(atea_cbor_wr_map(wr, 1));
    ATEA_TRY(atea_cbor_wr_uint(wr, COSE_HDR_X5CHAIN));
    ATEA_TRY(atea_cbor_wr_array(wr, 2));
    ATEA_TRY(atea_cbor_wr_bstr(wr, s->id.cert_der.data, s->id.cert_der.len));
    ATEA_TRY(atea_cbor_wr_bstr(wr, s->id.root_cert_der.data, s->id.root_cert_der.len));
    ATEA_TRY(atea_cbor_wr_bstr(wr, payload->data, payload->len));
    ATEA_TRY(atea_cbor_wr_bstr(wr, sig, 64));
out:
    return err;
}

/* profile.md §3: formats with a nonce claim carry the binder as nonce and aik_hash beside it;
 * without a binder (`atea evidence --report-data`), the 64-byte report_data is the nonce. */
static atea_err pick_nonce(const atea_binding *b, const uint8_t **nonce, size_t *nonce_len,
                           const uint8_t **aik, size_t *aik_len)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(b != NULL, ATEA_ERR_INVALID_ARG);
    if (b->binder_len == 0) {
        *nonce = b->report_data;
        *nonce_len = ATEA_REPORT_DATA_LEN;
        *aik = NULL;
        *aik_len = 0;
        goto out;
    }
    ATEA_ENSURE_MSG(b->binder_len >= SIM_NONCE_MIN && b->binder_len <= SIM_NONCE_MAX,
                    ATEA_ERR_INVALID_ARG, "binder of %zu bytes (8..64)", b->binder_len);
    ATEA_ENSURE_MSG(b->aik_hash_len >= SIM_NONCE_MIN && b->aik_hash_len <= sizeof(b->aik_hash),
                    ATEA_ERR_INVALID_ARG, "aik_hash of %zu bytes (8..64)", b->aik_hash_len);
    *nonce = b->binder;
    *nonce_len = b->binder_len;
    *aik = b->aik_hash;
    *aik_len = b->aik_hash_len;
out:
    return err;
}

atea_err atea_sim_attester_evidence(atea_attester *attester, const atea_binding *binding,
                                    atea_buf *evidence)
{
    atea_err err = ATEA_OK;
    atea_wr wr = {0};
    atea_wr tbs = {0};
    atea_buf protected_hdr = {0};
    atea_buf payload = {0};
    uint8_t sig[64];
    const uint8_t *nonce = NULL;
    const uint8_t *aik = NULL;
    size_t nonce_len = 0;
    size_t aik_len = 0;
    ATEA_ENSURE(attester != NULL && evidence != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE(strcmp(attester->platform, "sim") == 0, ATEA_ERR_INVALID_ARG);
    const sim_attester *s = (const sim_attester *)attester;
    ATEA_TRY(pick_nonce(binding, &nonce, &nonce_len, &aik, &aik_len));

    ATEA_TRY(atea_wr_init_growable(&wr, 256, ATEA_SIM_MAX_EVIDENCE));
    ATEA_TRY(atea_cbor_wr_map(&wr, 1));
    ATEA_TRY(atea_cbor_wr_uint(&wr, COSE_HDR_ALG));
    ATEA_TRY(atea_cbor_wr_int(&wr, COSE_ALG_ES256));
    ATEA_TRY(atea_wr_take(&wr, &protected_hdr));
    ATEA_TRY(write_claims(s, nonce, nonce_len, aik, aik_len, &wr));
    ATEA_TRY(atea_wr_take(&wr, &payload));

    ATEA_TRY(atea_wr_init_growable(&tbs, 256, ATEA_SIM_MAX_EVIDENCE));
    ATEA_TRY(sig_structure(&protected_hdr, &payload, &tbs));
    ATEA_TRY(sign_es256(s->id.key, atea_wr_data(&tbs), atea_wr_len(&tbs), sig));
    ATEA_TRY(write_sign1(s, &protected_hdr, &payload, sig, &wr));
    ATEA_TRY(atea_wr_take(&wr, evidence));
    atea_logf(&s->log, ATEA_LOG_DEBUG, "sim: evidence for identity %s, %zu bytes", s->identity,
              evidence->len);
out:
    atea_buf_free(&protected_hdr);
    atea_buf_free(&payload);
    atea_wr_dispose(&tbs);
    atea_wr_dispose(&wr);
    return err;
}

static atea_err sim_attest(atea_attester *self, const atea_binding *binding, atea_buf *cmw_out)
{
    atea_err err = ATEA_OK;
    atea_buf evidence = {0};
    atea_cmw *cmw = NULL;
    ATEA_TRY(atea_sim_attester_evidence(self, binding, &evidence));
    ATEA_TRY(atea_cmw_new_record(ATEA_SIM_MEDIA_TYPE, evidence.data, evidence.len,
                                 ATEA_CMW_IND_EVIDENCE, &cmw));
    ATEA_TRY(atea_cmw_encode_cbor(cmw, cmw_out));
out:
    atea_cmw_free(cmw);
    atea_buf_free(&evidence);
    return err;
}

static void sim_free(atea_attester *self)
{
    sim_attester *s = (sim_attester *)self;
    atea__sim_identity_dispose(&s->id);
    atea_wipe(s, sizeof(*s));
    free(s);
}

/* The default measurement tells identities apart: SHA-384("atea-sim-measurement:" || name). */
static atea_err default_measurement(sim_attester *s)
{
    atea_err err = ATEA_OK;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned int len = 0;
    ATEA_ENSURE_ALLOC(md);
    ATEA_ENSURE(EVP_DigestInit_ex(md, EVP_sha384(), NULL) == 1 &&
                    EVP_DigestUpdate(md, SIM_DEFAULT_MEASUREMENT_TAG,
                                     strlen(SIM_DEFAULT_MEASUREMENT_TAG)) == 1 &&
                    EVP_DigestUpdate(md, s->identity, strlen(s->identity)) == 1 &&
                    EVP_DigestFinal_ex(md, s->measurement, &len) == 1,
                ATEA_ERR_SIM_CRYPTO);
    s->measurement_len = len;
out:
    EVP_MD_CTX_free(md);
    return err;
}

static atea_err apply_opts(const atea_sim_opts *opts, sim_attester *s)
{
    atea_err err = ATEA_OK;
    const char *identity = opts->identity != NULL ? opts->identity : ATEA_SIM_DEFAULT_IDENTITY;
    ATEA_TRY(atea__sim_identity_load(opts->dir, identity, opts->now, &s->id));
    memcpy(s->identity, identity, strlen(identity) + 1);
    if (opts->measurement != NULL) {
        ATEA_ENSURE_MSG(opts->measurement_len >= 1 &&
                            opts->measurement_len <= ATEA_SIM_MAX_MEASUREMENT,
                        ATEA_ERR_INVALID_ARG, "measurement of %zu bytes (1..%d)",
                        opts->measurement_len, ATEA_SIM_MAX_MEASUREMENT);
        memcpy(s->measurement, opts->measurement, opts->measurement_len);
        s->measurement_len = opts->measurement_len;
    } else {
        ATEA_TRY(default_measurement(s));
    }
    /* platform_id names the identity the way a UEID names a device: from its key. */
    ATEA_TRY(atea__sim_cert_spki_sha256(&s->id.cert_der, s->platform_id));
    s->svn = opts->svn;
    s->debug = opts->debug != 0;
    s->log = opts->log;
out:
    return err;
}

atea_err atea_sim_attester_new(const atea_sim_opts *opts, atea_attester **pattester)
{
    atea_err err = ATEA_OK;
    sim_attester *s = NULL;
    ATEA_ENSURE(opts != NULL && pattester != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(opts->version == ATEA_SIM_OPTS_V1, ATEA_ERR_EVIDENCE_OPTS_VERSION,
                    "atea_sim_opts version %u", opts->version);
    ATEA_ENSURE_MSG(opts->dir != NULL && opts->dir[0] != '\0', ATEA_ERR_INVALID_ARG,
                    "atea_sim_opts.dir is required");
    s = calloc(1, sizeof(*s));
    ATEA_ENSURE_ALLOC(s);
    s->base.platform = "sim";
    s->base.attest = sim_attest;
    s->base.free = sim_free;
    ATEA_TRY(apply_opts(opts, s));
    atea_logf(&s->log, ATEA_LOG_WARN,
              "sim: identity %s is a SIMULATED TEE; its evidence proves nothing about this machine",
              s->identity);
    *pattester = &s->base;
    s = NULL;
out:
    if (s != NULL) {
        sim_free(&s->base);
    }
    return err;
}

atea_err atea_sim_root_sha256(const char *dir, int64_t now, uint8_t digest[32])
{
    atea_err err = ATEA_OK;
    sim_identity id = {0};
    ATEA_ENSURE(digest != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea__sim_identity_load(dir, ATEA_SIM_DEFAULT_IDENTITY, now, &id));
    ATEA_TRY(atea__sim_cert_spki_sha256(&id.root_cert_der, digest));
out:
    atea__sim_identity_dispose(&id);
    return err;
}
