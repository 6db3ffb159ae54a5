/*
 * The PCK chain of a quote (certification data type 5): parsed, verified to the pinned Intel
 * SGX Root CA at env->now, checked against the PCK and root CRLs when the collateral has them,
 * and its SGX extension read. The result is cached in the collateral object, keyed by the
 * SHA-256 of the PEM bytes and valid while `now` stays inside every certificate's window and
 * the CRLs' freshness is unchanged, so repeated quotes from one platform skip all of it.
 */
#include <string.h>
#include <time.h>

#include "core/check.h"
#include "verify/chain.h"
#include "verify/tdx_internal.h"
#include "verify/tdx_verify.h"

static int in_window(const tdx_window *w, int64_t now)
{
    return w->present && now >= w->from && now <= w->until;
}

static atea_err cert_window(X509 *const *certs, size_t n, int64_t *from, int64_t *until)
{
    atea_err err = ATEA_OK;
    *from = INT64_MIN;
    *until = INT64_MAX;
    for (size_t i = 0; i < n; i++) {
        struct tm nb;
        struct tm na;
        ATEA_ENSURE(ASN1_TIME_to_tm(X509_get0_notBefore(certs[i]), &nb) == 1 &&
                        ASN1_TIME_to_tm(X509_get0_notAfter(certs[i]), &na) == 1,
                    ATEA_ERR_CHAIN_MALFORMED_CERT);
        int64_t f = (int64_t)timegm(&nb);
        int64_t u = (int64_t)timegm(&na);
        *from = f > *from ? f : *from;
        *until = u < *until ? u : *until;
    }
out:
    return err;
}

/* CRLs usable for this chain: the PCK CRL only if its issuer is the PCK leaf's issuer
 * (Platform vs Processor CA); the root CRL only together with a PCK CRL (CRL_CHECK_ALL). */
static size_t pick_crls(const atea_tdx_collateral *coll, X509 *leaf, X509_CRL **crls)
{
    size_t n = 0;
    if (coll == NULL || coll->pck_crl == NULL ||
        X509_NAME_cmp(X509_CRL_get_issuer(coll->pck_crl), X509_get_issuer_name(leaf)) != 0) {
        return 0;
    }
    crls[n++] = coll->pck_crl;
    if (coll->root_crl != NULL) {
        crls[n++] = coll->root_crl;
    }
    return n;
}

/* Whether every CRL of the collateral is inside its window at `now` (windows read at load). */
static int crls_fresh(const atea_tdx_collateral *coll, int64_t now)
{
    return (coll->pck_crl == NULL || in_window(&coll->pck_crl_window, now)) &&
           (coll->root_crl == NULL || in_window(&coll->root_crl_window, now));
}

/* Full verification of the chain into a (not yet cached) entry. */
static atea_err verify_chain(const atea_tdx_quote *q, const atea_tdx_collateral *coll, int64_t now,
                             tdx_pck_cache_entry *e, size_t *crl_count)
{
    atea_err err = ATEA_OK;
    X509 *certs[ATEA_CHAIN_MAX_CERTS] = {0};
    X509_CRL *crls[2] = {NULL, NULL};
    size_t n = 0;
    atea_chain_opts opts = {0};
    atea_chain_result res;
    ATEA_TRY(atea_chain_parse_pem(q->pck_chain_pem.data, q->pck_chain_pem.len, certs,
                                  ATEA_CHAIN_MAX_CERTS, &n));
    *crl_count = pick_crls(coll, certs[0], crls);
    opts.root_pins = &atea__tdx_intel_root_pin;
    opts.root_pin_count = 1;
    opts.now = now;
    opts.crls = crls;
    opts.crl_count = *crl_count;
    opts.flags = ATEA_CHAIN_SOFT_CRL_TIME | (*crl_count == 2 ? ATEA_CHAIN_CRL_CHECK_ALL : 0);
    opts.what = "TDX PCK chain";
    ATEA_TRY(atea_chain_verify(certs, n, &opts, &res));
    ATEA_TRY(atea__tdx_pck_info(certs[0], &e->info));
    ATEA_TRY(cert_window(certs, n, &e->valid_from, &e->valid_until));
    e->crls_fresh_at_check = coll == NULL || crls_fresh(coll, now);
    e->crl_time_soft = res.crl_time_soft;
    memcpy(e->crl_soft_detail, res.soft_detail, sizeof(e->crl_soft_detail));
    e->leaf_key = X509_get_pubkey(certs[0]);
    ATEA_ENSURE_MSG(e->leaf_key != NULL, ATEA_ERR_CHAIN_MALFORMED_CERT,
                    "the PCK certificate's public key cannot be decoded");
    e->leaf = certs[0];
    certs[0] = NULL;
    e->used = 1;
out:
    atea_chain_free_certs(certs, n);
    return err;
}

static tdx_pck_cache_entry *cache_find(atea_tdx_collateral *coll, const uint8_t hash[32],
                                       int64_t now)
{
    int fresh = crls_fresh(coll, now);
    for (size_t i = 0; i < TDX_PCK_CACHE_SLOTS; i++) {
        tdx_pck_cache_entry *e = &coll->cache[i];
        if (e->used && memcmp(e->chain_hash, hash, 32) == 0 && now >= e->valid_from &&
            now <= e->valid_until && e->crls_fresh_at_check == fresh) {
            return e;
        }
    }
    return NULL;
}

atea_err atea__tdx_pck_chain(tdx_verify_ctx *v, const atea_tdx_quote *q)
{
    atea_err err = ATEA_OK;
    uint8_t hash[32];
    unsigned int hlen = 0;
    size_t crl_count = 0;
    tdx_pck_cache_entry *e = NULL;
    ATEA_ENSURE(EVP_Digest(q->pck_chain_pem.data, q->pck_chain_pem.len, hash, &hlen, EVP_sha256(),
                           NULL) == 1,
                ATEA_ERR_INTERNAL);
    if (v->coll != NULL) {
        e = cache_find(v->coll, hash, v->env->now);
    }
    if (e == NULL) {
        /* verified into the local entry; only a verified chain replaces a cache slot */
        e = &v->local_pck;
        atea__tdx_pck_entry_clear(e);
        ATEA_TRY(verify_chain(q, v->coll, v->env->now, e, &crl_count));
        memcpy(e->chain_hash, hash, 32);
        if (v->coll != NULL) {
            tdx_pck_cache_entry *slot = &v->coll->cache[v->coll->cache_next];
            atea__tdx_pck_entry_clear(slot);
            *slot = *e; /* the slot takes over the leaf and keys */
            memset(e, 0, sizeof(*e));
            e = slot;
            v->coll->cache_next = (v->coll->cache_next + 1) % TDX_PCK_CACHE_SLOTS;
        }
    } else {
        crl_count = pick_crls(v->coll, e->leaf, (X509_CRL *[2]){NULL, NULL});
    }
    v->pck = e;
    ATEA_TRY(atea__tdx_reason(v, ATEA_EAR_AFFIRMING, ATEA_OK,
                              "PCK chain verified to the pinned Intel SGX Root CA (FMSPC "
                              "%02x%02x%02x%02x%02x%02x, PCESVN %u)",
                              e->info.fmspc[0], e->info.fmspc[1], e->info.fmspc[2],
                              e->info.fmspc[3], e->info.fmspc[4], e->info.fmspc[5],
                              e->info.pcesvn));
    if (crl_count == 0) {
        ATEA_TRY(atea__tdx_reason(v, ATEA_EAR_WARNING, ATEA_ERR_TDX_COLLATERAL_MISSING,
                                  "no PCK CRL for the PCK certificate's issuer: revocation of the "
                                  "PCK chain was not checked"));
    } else if (e->crl_time_soft) {
        ATEA_TRY(atea__tdx_reason(v, ATEA_EAR_WARNING, ATEA_ERR_TDX_COLLATERAL_STALE,
                                  "revocation was checked against a stale CRL: %s; fetch a "
                                  "current PCK CRL and root CRL",
                                  e->crl_soft_detail));
    } else if (crl_count == 1) {
        ATEA_TRY(atea__tdx_reason(v, ATEA_EAR_WARNING, ATEA_ERR_TDX_COLLATERAL_MISSING,
                                  "no root CRL: revocation of the PCK CA was not checked"));
    }
out:
    return err;
}
