/* The passport model over an attested session (include/atea/ear.h): the attester presents an EAR
 * that a local verifier issued for its sim evidence (atea_ear_attester_new), and the relying
 * party, which trusts only the EAR verifier's key (no sim root, sim not allowed), accepts it
 * through atea_session_appraise_verifier; with another EAR key it refuses. Both sessions run in
 * memory (session_pair.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/ec.h>
#include <openssl/evp.h>

#include "atea/ear.h"
#include "atea/sim.h"
#include "atea/verify.h"
#include "session_pair.h"
#include "verify_helpers.h"

typedef struct ear_env {
    char dir[64];
    EVP_PKEY *ear_key;
    atea_policy *issuer_policy;
    atea_verifier *issuer_verifier;
    atea_ear_local_issuer local;
    atea_ear_issuer issuer;
    atea_attester *attester; /* passport attester, sim inside */
} ear_env;

static int setup(void **state)
{
    ear_env *env = calloc(1, sizeof(*env));
    uint8_t root[32];
    char hex[65];
    assert_non_null(env);
    strcpy(env->dir, "/tmp/atea-session-ear-XXXXXX");
    assert_non_null(mkdtemp(env->dir));
    atea_sim_opts so;
    atea_sim_opts_default(&so);
    so.dir = env->dir;
    atea_attester *sim = NULL;
    EXPECT_OK(atea_sim_attester_new(&so, &sim));
    EXPECT_OK(atea_sim_root_sha256(env->dir, 0, root));
    EXPECT_OK(atea_hex_encode(root, sizeof(root), hex, sizeof(hex)));
    env->issuer_policy = atea_test_policy_fmt(
        "{\"platforms\": {\"sim\": {\"trusted\": true, \"root_sha256\": [\"%s\"]}}}", hex);
    env->issuer_verifier = atea_test_verifier(env->issuer_policy, 1, 0);
    env->ear_key = EVP_EC_gen("P-256");
    assert_non_null(env->ear_key);
    env->local.verifier = env->issuer_verifier;
    env->local.key = env->ear_key;
    env->issuer.issue = atea_ear_issue_local;
    env->issuer.user = &env->local;
    EXPECT_OK(atea_ear_attester_new(sim, &env->issuer, 0, &env->attester));
    *state = env;
    return 0;
}

static int teardown(void **state)
{
    ear_env *env = *state;
    char cmd[128];
    atea_attester_free(env->attester);
    atea_verifier_free(env->issuer_verifier);
    atea_policy_free(env->issuer_policy);
    EVP_PKEY_free(env->ear_key);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", env->dir);
    assert_int_equal(system(cmd), 0);
    free(env);
    return 0;
}

/* A relying party (the client) whose policy trusts exactly one EAR key. */
static sp_pair *passport_pair(ear_env *env, EVP_PKEY *trusted, atea_policy **pp, atea_verifier **pv)
{
    uint8_t digest[32];
    char hex[65];
    EXPECT_OK(atea_ear_key_sha256(trusted, digest));
    EXPECT_OK(atea_hex_encode(digest, sizeof(digest), hex, sizeof(hex)));
    *pp = atea_test_policy_fmt("{\"platforms\": {\"ear\": {\"verifier_key_sha256\": [\"%s\"]}}}",
                               hex);
    *pv = atea_test_verifier(*pp, 0, 0);
    sp_pair *p = sp_pair_prepare(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    p->server.opts.attester = env->attester;
    p->client.opts.appraise = atea_session_appraise_verifier;
    p->client.opts.appraise_user = *pv;
    return p;
}

static void test_passport_accepted(void **state)
{
    ear_env *env = *state;
    atea_policy *policy = NULL;
    atea_verifier *rp = NULL;
    sp_pair *p = passport_pair(env, env->ear_key, &policy, &rp);
    sp_pair_start(p);
    sp_pump(p);
    assert_int_equal(p->client.err, ATEA_OK);
    assert_int_equal(p->client.events[ATEA_SESSION_EV_ATTESTED], 1);
    assert_int_equal(p->server.events[ATEA_SESSION_EV_ACCEPTED], 1);
    EXPECT_OK(atea_session_write(p->server.s, (const uint8_t *)"passport", 8));
    sp_pump(p);
    assert_int_equal(p->client.data.len, 8);
    sp_pair_free(p);
    atea_verifier_free(rp);
    atea_policy_free(policy);
}

static void test_other_ear_key_refused(void **state)
{
    ear_env *env = *state;
    atea_policy *policy = NULL;
    atea_verifier *rp = NULL;
    EVP_PKEY *other = EVP_EC_gen("P-256");
    assert_non_null(other);
    sp_pair *p = passport_pair(env, other, &policy, &rp);
    sp_pair_start(p);
    sp_pump(p);
    assert_int_equal(p->client.err, ATEA_ERR_EAR_SIGNATURE);
    assert_int_equal(p->client.events[ATEA_SESSION_EV_ATTESTED], 0);
    assert_int_equal(p->server.err, ATEA_ERR_SESSION_REFUSED);
    assert_int_equal(p->server.last[ATEA_SESSION_EV_REFUSED].reason, ATEA_REASON_EVIDENCE);
    sp_pair_free(p);
    atea_verifier_free(rp);
    atea_policy_free(policy);
    EVP_PKEY_free(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_passport_accepted),
        cmocka_unit_test(test_other_ear_key_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
