/*
 * The simulated-TEE verifier (include/atea/sim.h, docs/evidence/SIM.md). Sim evidence is a test
 * fixture, so this verifier is deliberately harder to satisfy than to misuse: nothing is trusted
 * unless the policy names the exact sim root, and every acceptance says that no real TEE backs it.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "atea/sim.h"
#include "core/cbor.h"
#include "core/check.h"
#include "core/wr.h"
#include "verify/sim_internal.h"

#define SUBMOD "sim"

/* One sim root that passed every check on the root alone: DER, decoded certificate (its key and
 * validity), SPKI digest. The mutex keeps atea_verify_cmw usable from several threads on one
 * verifier, as it was before the cache: it guards the entry, not the appraisal. */
struct atea_sim_root_cache {
    pthread_mutex_t lock;
    atea_buf der;
    X509 *cert;
    uint8_t spki_sha256[32];
    size_t hits; /* appraisals that reused cert (tests) */
};

typedef struct sim_check {
    const atea_verify_env *env;
    const atea_policy *policy;
    const atea_binding *expected;
    atea_appraisal *out;
    atea_sim_root_cache *cache; /* NULL: decode and check the root every time */
    atea_sim_evidence ev;
    X509 *identity;
    X509 *root;          /* owned: decoded here, or a reference taken from the cache */
    int root_from_cache; /* the root's self-signature was checked when it was cached */
    uint8_t root_sha256[32];
} sim_check;

atea_err atea__sim_root_cache_new(atea_sim_root_cache **pcache)
{
    atea_err err = ATEA_OK;
    atea_sim_root_cache *c = calloc(1, sizeof(*c));
    ATEA_ENSURE_ALLOC(c);
    ATEA_ENSURE_MSG(pthread_mutex_init(&c->lock, NULL) == 0, ATEA_ERR_NO_MEMORY,
                    "cannot create the sim root cache lock");
    *pcache = c;
    c = NULL;
out:
    free(c);
    return err;
}

void atea__sim_root_cache_free(atea_sim_root_cache *c)
{
    if (c == NULL) {
        return;
    }
    X509_free(c->cert);
    atea_buf_free(&c->der);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

size_t atea__sim_root_cache_hits(atea_sim_root_cache *c)
{
    size_t hits = 0;
    if (c != NULL && pthread_mutex_lock(&c->lock) == 0) {
        hits = c->hits;
        (void)pthread_mutex_unlock(&c->lock);
    }
    return hits;
}

/* The presented root is byte for byte the cached one: take a reference to the decoded root. */
static int cache_lookup(sim_check *s)
{
    atea_sim_root_cache *c = s->cache;
    atea_slice der = s->ev.root_cert;
    int hit = 0;
    if (c == NULL || pthread_mutex_lock(&c->lock) != 0) {
        return 0;
    }
    /* Public bytes: a plain compare. */
    if (c->cert != NULL && c->der.len == der.len && memcmp(c->der.data, der.data, der.len) == 0 &&
        X509_up_ref(c->cert) == 1) {
        s->root = c->cert;
        memcpy(s->root_sha256, c->spki_sha256, sizeof(s->root_sha256));
        c->hits++;
        hit = 1;
    }
    (void)pthread_mutex_unlock(&c->lock);
    return hit;
}

/* Remember a root that is decoded, trusted by the policy and self-signed. A failure to remember
 * only costs the next appraisal a decode, so it is not an error. */
static void cache_store(sim_check *s)
{
    atea_sim_root_cache *c = s->cache;
    atea_buf der = {0};
    if (c == NULL || s->root_from_cache ||
        atea_buf_set(&der, s->ev.root_cert.data, s->ev.root_cert.len) != ATEA_OK) {
        return;
    }
    if (X509_up_ref(s->root) != 1 || pthread_mutex_lock(&c->lock) != 0) {
        atea_buf_free(&der);
        return;
    }
    X509_free(c->cert);
    atea_buf_free(&c->der);
    c->cert = s->root;
    c->der = der;
    memcpy(c->spki_sha256, s->root_sha256, sizeof(c->spki_sha256));
    (void)pthread_mutex_unlock(&c->lock);
}

static atea_err pass(sim_check *s, const char *msg)
{
    return atea_appraisal_add_reason(s->out, SUBMOD, ATEA_EAR_AFFIRMING, ATEA_OK, "%s", msg);
}

static atea_err decode_cert(atea_slice der, const char *which, X509 **pcert)
{
    atea_err err = ATEA_OK;
    const unsigned char *p = der.data;
    *pcert = d2i_X509(NULL, &p, (long)der.len);
    ATEA_ENSURE_MSG(*pcert != NULL && p == der.data + der.len, ATEA_ERR_SIM_MALFORMED,
                    "the %s certificate is not one DER X.509 certificate", which);
out:
    return err;
}

static atea_err spki_sha256(X509 *cert, uint8_t digest[32])
{
    atea_err err = ATEA_OK;
    unsigned char *der = NULL;
    int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
    ATEA_ENSURE(len > 0, ATEA_ERR_NO_MEMORY);
    ATEA_ENSURE(EVP_Digest(der, (size_t)len, digest, NULL, EVP_sha256(), NULL) == 1,
                ATEA_ERR_INTERNAL);
out:
    OPENSSL_free(der);
    return err;
}

/* The policy must trust the simulator AND name this root (by its key hash). */
static atea_err check_trust(sim_check *s)
{
    atea_err err = ATEA_OK;
    const uint8_t *digest = s->root_sha256;
    char hex[65];
    ATEA_TRY(atea_hex_encode(digest, sizeof(s->root_sha256), hex, sizeof(hex)));
    ATEA_TRY(
        atea_appraisal_claim_bytes(s->out, SUBMOD, "root_sha256", digest, sizeof(s->root_sha256)));
    ATEA_ENSURE_MSG(s->policy != NULL && atea_policy_platform_allowed(s->policy, "sim"),
                    ATEA_ERR_SIM_NOT_TRUSTED,
                    "simulated-TEE evidence refused: the policy does not trust the simulator "
                    "(platforms.sim.trusted); its root is sha256:%s",
                    hex);
    ATEA_ENSURE_MSG(atea_policy_sim_root_trusted(s->policy, digest), ATEA_ERR_SIM_NOT_TRUSTED,
                    "sim root sha256:%s is not listed in the policy (platforms.sim.root_sha256 or "
                    "root_pem)",
                    hex);
    ATEA_TRY(atea_appraisal_add_reason(s->out, SUBMOD, ATEA_EAR_AFFIRMING, ATEA_OK,
                                       "sim root sha256:%.16s... is trusted by %s", hex,
                                       atea_policy_id(s->policy)));
out:
    return err;
}

/* notBefore <= now < notAfter (X509_cmp_time: -1 earlier-or-equal, 1 later, 0 error). */
static int valid_at(X509 *cert, time_t now)
{
    return X509_cmp_time(X509_get0_notBefore(cert), &now) == -1 &&
           X509_cmp_time(X509_get0_notAfter(cert), &now) == 1;
}

static atea_err check_chain(sim_check *s)
{
    atea_err err = ATEA_OK;
    EVP_PKEY *root_key = X509_get0_pubkey(s->root);
    time_t now = s->env != NULL && s->env->now != 0 ? (time_t)s->env->now : time(NULL);
    /* A cached root is the very DER whose self-signature was verified when it was cached. */
    ATEA_ENSURE_MSG(root_key != NULL && (s->root_from_cache || X509_verify(s->root, root_key) == 1),
                    ATEA_ERR_SIM_CHAIN, "the sim root certificate is not self-signed");
    ATEA_ENSURE_MSG(X509_verify(s->identity, root_key) == 1, ATEA_ERR_SIM_CHAIN,
                    "the identity certificate is not signed by the sim root in the evidence");
    ATEA_ENSURE_MSG(valid_at(s->root, now) && valid_at(s->identity, now), ATEA_ERR_SIM_CHAIN,
                    "a sim certificate is not valid at the verification time %lld", (long long)now);
    ATEA_TRY(pass(s, "identity certificate chains to the sim root and is valid now"));
out:
    return err;
}

/* COSE ES256 signature r || s over Sig_structure (RFC 9052 §4.4, RFC 9053 §2.1). */
static atea_err check_signature(sim_check *s)
{
    atea_err err = ATEA_OK;
    atea_wr tbs = {0};
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(s->ev.signature.data, 32, NULL);
    BIGNUM *sv = BN_bin2bn(s->ev.signature.data + 32, 32, NULL);
    unsigned char *der = NULL;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY *key = X509_get0_pubkey(s->identity);
    ATEA_ENSURE_ALLOC(sig);
    ATEA_ENSURE_ALLOC(r);
    ATEA_ENSURE_ALLOC(sv);
    ATEA_ENSURE_ALLOC(md);
    ATEA_ENSURE_MSG(key != NULL && EVP_PKEY_is_a(key, "EC") && EVP_PKEY_get_bits(key) == 256,
                    ATEA_ERR_SIM_SIGNATURE, "the identity key is not a P-256 key (ES256)");
    ATEA_ENSURE(ECDSA_SIG_set0(sig, r, sv) == 1, ATEA_ERR_NO_MEMORY);
    r = NULL;
    sv = NULL;
    int der_len = i2d_ECDSA_SIG(sig, &der);
    ATEA_ENSURE(der_len > 0, ATEA_ERR_NO_MEMORY);
    ATEA_TRY(atea_wr_init_growable(&tbs, 256, ATEA_SIM_MAX_EVIDENCE + 64));
    ATEA_TRY(atea_cbor_wr_array(&tbs, 4));
    ATEA_TRY(atea_cbor_wr_tstr_z(&tbs, "Signature1"));
    ATEA_TRY(atea_cbor_wr_bstr(&tbs, s->ev.protected_hdr.data, s->ev.protected_hdr.len));
    ATEA_TRY(atea_cbor_wr_bstr(&tbs, NULL, 0));
    ATEA_TRY(atea_cbor_wr_bstr(&tbs, s->ev.payload.data, s->ev.payload.len));
    ATEA_ENSURE(EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) == 1, ATEA_ERR_INTERNAL);
    ATEA_ENSURE_MSG(
        EVP_DigestVerify(md, der, (size_t)der_len, atea_wr_data(&tbs), atea_wr_len(&tbs)) == 1,
        ATEA_ERR_SIM_SIGNATURE,
        "the ES256 signature over the sim claims does not verify with the identity key");
    ATEA_TRY(pass(s, "ES256 signature over the claims verifies with the identity key"));
out:
    EVP_MD_CTX_free(md);
    OPENSSL_free(der);
    BN_free(r);
    BN_free(sv);
    ECDSA_SIG_free(sig);
    atea_wr_dispose(&tbs);
    return err;
}

static atea_err record_claims(sim_check *s)
{
    atea_err err = ATEA_OK;
    char identity[ATEA_SIM_MAX_IDENTITY_NAME + 1];
    uint8_t expected_pid[32];
    const atea_sim_evidence *e = &s->ev;
    ATEA_TRY(spki_sha256(s->identity, expected_pid));
    ATEA_ENSURE_MSG(e->platform_id.len == 32 && memcmp(e->platform_id.data, expected_pid, 32) == 0,
                    ATEA_ERR_SIM_MALFORMED,
                    "platform_id is not the SHA-256 of the identity certificate's key");
    memcpy(identity, e->identity.data, e->identity.len);
    identity[e->identity.len] = '\0';
    ATEA_TRY(atea_appraisal_claim_str(s->out, SUBMOD, "identity", identity));
    ATEA_TRY(atea_appraisal_claim_bytes(s->out, SUBMOD, "measurement", e->measurement.data,
                                        e->measurement.len));
    ATEA_TRY(atea_appraisal_claim_bytes(s->out, SUBMOD, "platform_id", e->platform_id.data,
                                        e->platform_id.len));
    ATEA_TRY(atea_appraisal_claim_bool(s->out, SUBMOD, "debug", e->debug));
    ATEA_TRY(atea_appraisal_claim_int(s->out, SUBMOD, "svn", (int64_t)e->svn));
    ATEA_TRY(atea_appraisal_claim_bytes(s->out, SUBMOD, "nonce", e->nonce.data, e->nonce.len));
    if (e->aik_hash.len > 0) {
        ATEA_TRY(atea_appraisal_claim_bytes(s->out, SUBMOD, "aik_hash", e->aik_hash.data,
                                            e->aik_hash.len));
    }
out:
    return err;
}

/* With only report_data known: it is nonce || aik_hash truncated to 64 bytes (profile.md §3),
 * or the nonce itself when the evidence was made from report_data alone. */
static atea_err check_report_data(sim_check *s)
{
    atea_err err = ATEA_OK;
    uint8_t joined[2 * 64];
    const atea_sim_evidence *e = &s->ev;
    memcpy(joined, e->nonce.data, e->nonce.len);
    if (e->aik_hash.len > 0) {
        memcpy(joined + e->nonce.len, e->aik_hash.data, e->aik_hash.len);
    }
    size_t have = e->nonce.len + e->aik_hash.len;
    ATEA_ENSURE_MSG(have >= ATEA_REPORT_DATA_LEN &&
                        atea_ct_equal(joined, s->expected->report_data, ATEA_REPORT_DATA_LEN),
                    ATEA_ERR_SIM_NONCE_MISMATCH,
                    "the sim nonce (and aik_hash) do not make up the expected report_data");
    ATEA_TRY(pass(s, "nonce matches the expected report_data"));
out:
    return err;
}

static atea_err check_binding(sim_check *s)
{
    atea_err err = ATEA_OK;
    const atea_binding *x = s->expected;
    const atea_sim_evidence *e = &s->ev;
    if (x == NULL) {
        ATEA_TRY(atea_appraisal_add_reason(s->out, SUBMOD, ATEA_EAR_WARNING,
                                           ATEA_ERR_BINDING_MISSING,
                                           "no expected binding given: the evidence may be "
                                           "replayed from another connection"));
        goto out;
    }
    if (x->binder_len == 0) {
        ATEA_TRY(check_report_data(s));
        goto out;
    }
    ATEA_ENSURE_MSG(e->nonce.len == x->binder_len &&
                        atea_ct_equal(e->nonce.data, x->binder, x->binder_len),
                    ATEA_ERR_SIM_NONCE_MISMATCH,
                    "the sim nonce (%zu bytes) is not the binder of this connection (%zu bytes)",
                    e->nonce.len, x->binder_len);
    ATEA_TRY(pass(s, "nonce is the binder of this connection"));
    ATEA_ENSURE_MSG(x->aik_hash_len > 0 && e->aik_hash.len == x->aik_hash_len &&
                        atea_ct_equal(e->aik_hash.data, x->aik_hash, x->aik_hash_len),
                    ATEA_ERR_SIM_AIK_HASH_MISMATCH,
                    "the sim aik_hash (%zu bytes) is not the hash of this authenticator's key",
                    e->aik_hash.len);
    ATEA_TRY(pass(s, "aik_hash is the hash of this authenticator's key"));
out:
    return err;
}

static atea_err verify_steps(sim_check *s, const uint8_t *evidence, size_t len)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(atea_sim_evidence_parse(evidence, len, &s->ev));
    ATEA_TRY(decode_cert(s->ev.identity_cert, "identity", &s->identity));
    /* The root the policy trusts is the same DER in every appraisal: decoded (about 1.5 M
     * instructions under OpenSSL 3.0) and its self-signature checked once per verifier. */
    s->root_from_cache = cache_lookup(s);
    if (!s->root_from_cache) {
        ATEA_TRY(decode_cert(s->ev.root_cert, "root", &s->root));
        ATEA_TRY(spki_sha256(s->root, s->root_sha256));
    }
    ATEA_TRY(check_trust(s));
    ATEA_TRY(check_chain(s));
    cache_store(s);
    ATEA_TRY(check_signature(s));
    ATEA_TRY(record_claims(s));
    ATEA_TRY(check_binding(s));
    ATEA_TRY(atea_appraisal_tvector(s->out, SUBMOD, "instance-identity", 2));
    ATEA_TRY(atea_appraisal_add_reason(s->out, SUBMOD, ATEA_EAR_AFFIRMING, ATEA_ERR_SIMULATED_TEE,
                                       "simulated TEE: not a real TEE (identity '%.*s'); this "
                                       "evidence proves nothing about the hardware",
                                       (int)s->ev.identity.len, (const char *)s->ev.identity.data));
out:
    return err;
}

atea_err atea_sim_verify(const atea_verify_env *env, const atea_policy *policy,
                         const atea_binding *expected, const uint8_t *evidence, size_t len,
                         atea_appraisal *out)
{
    return atea__sim_verify_cached(env, policy, expected, evidence, len, NULL, out);
}

atea_err atea__sim_verify_cached(const atea_verify_env *env, const atea_policy *policy,
                                 const atea_binding *expected, const uint8_t *evidence, size_t len,
                                 atea_sim_root_cache *cache, atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    sim_check s = {.env = env, .policy = policy, .expected = expected, .out = out, .cache = cache};
    ATEA_ENSURE(out != NULL && (evidence != NULL || len == 0), ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea_appraisal_add_submod(out, SUBMOD, "sim"));
    err = verify_steps(&s, evidence, len);
    if (err != ATEA_OK) {
        /* verify_env.h contract: a hard failure is returned AND recorded. The detail is copied
         * first because recording may itself fail (then the original error still wins). */
        char detail[sizeof(atea_err_last()->detail)];
        (void)snprintf(detail, sizeof(detail), "%s", atea_err_detail(err));
        if (atea_appraisal_add_reason(out, SUBMOD, ATEA_EAR_CONTRAINDICATED, err, "%s", detail) !=
            ATEA_OK) {
            /* the appraisal is full: the return code still reports the failure */
        }
        (void)atea__err_set(err, __FILE__, __LINE__, "%s", detail);
    }
out:
    X509_free(s.identity);
    X509_free(s.root);
    return err;
}
