/*
 * libFuzzer target for simulated-TEE evidence: the strict parser (src/verify/sim_parse.c) and
 * the verifier (src/verify/sim.c). So that mutated inputs get past the trust check and reach the
 * chain, signature and binding checks, the policy trusts whatever root the input carries (when it
 * parses). Fixed verification time and binding (the seeds were made with binder 32 x 0x11 and
 * aik_hash 32 x 0x22). Deterministic: no clock, no randomness.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "atea/appraisal.h"
#include "atea/policy.h"
#include "atea/sim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_NOW 1800000000 /* 2027-01-15: inside the seeds' certificate validity */

/* A policy trusting the root certificate in the evidence (if it is a certificate at all). */
static atea_policy *policy_for(const atea_sim_evidence *ev)
{
    const unsigned char *p = ev->root_cert.data;
    X509 *root = d2i_X509(NULL, &p, (long)ev->root_cert.len);
    unsigned char *spki = NULL;
    uint8_t digest[32];
    char text[256];
    atea_policy *policy = NULL;
    int len = root != NULL ? i2d_X509_PUBKEY(X509_get_X509_PUBKEY(root), &spki) : -1;
    if (len > 0 && EVP_Digest(spki, (size_t)len, digest, NULL, EVP_sha256(), NULL) == 1) {
        int n = snprintf(text, sizeof(text),
                         "{\"platforms\": {\"sim\": {\"trusted\": true, \"root_sha256\": [\"");
        for (size_t i = 0; i < sizeof(digest); i++) {
            n += snprintf(text + n, sizeof(text) - (size_t)n, "%02x", digest[i]);
        }
        (void)snprintf(text + n, sizeof(text) - (size_t)n, "\"]}}}");
        if (atea_policy_load_mem(text, strlen(text), "fuzz.json", NULL, &policy, NULL) != ATEA_OK) {
            policy = NULL;
        }
    }
    OPENSSL_free(spki);
    X509_free(root);
    return policy;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    atea_sim_evidence ev;
    if (atea_sim_evidence_parse(data, size, &ev) != ATEA_OK) {
        return 0;
    }
    atea_policy *policy = policy_for(&ev);
    atea_verify_env env = {.now = FUZZ_NOW};
    atea_binding binding;
    memset(&binding, 0, sizeof(binding));
    memset(binding.binder, 0x11, 32);
    memset(binding.aik_hash, 0x22, 32);
    binding.binder_len = 32;
    binding.aik_hash_len = 32;
    atea_appraisal *a = NULL;
    if (atea_appraisal_new(&a) == ATEA_OK) {
        if (atea_sim_verify(&env, policy, &binding, data, size, a) == ATEA_OK && policy != NULL) {
            (void)atea_policy_apply(policy, a);
        }
        atea_appraisal_free(a);
    }
    atea_policy_free(policy);
    return 0;
}
