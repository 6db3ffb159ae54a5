/* The session with atea's own simulated TEE attester (include/atea/sim.h) and atea's verifier
 * (include/atea/verify.h) through atea_session_appraise_verifier: a real evidence format, a
 * policy that trusts the sim root, and the relay attack refused by the verifier's binding
 * check. The key store lives in a fresh temporary directory. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atea/sim.h"
#include "atea/verify.h"
#include "session_pair.h"

typedef struct sim_env {
    char dir[64];
    atea_attester *attester;
    atea_policy *policy;
    atea_verifier *verifier;
} sim_env;

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int setup(void **state)
{
    sim_env *env = calloc(1, sizeof(*env));
    assert_non_null(env);
    strcpy(env->dir, "/tmp/atea-session-sim-XXXXXX");
    assert_non_null(mkdtemp(env->dir));
    atea_sim_opts so;
    atea_sim_opts_default(&so);
    so.dir = env->dir;
    EXPECT_OK(atea_sim_attester_new(&so, &env->attester));
    uint8_t root[32];
    char hex[65];
    char json[512];
    EXPECT_OK(atea_sim_root_sha256(env->dir, 0, root));
    EXPECT_OK(atea_hex_encode(root, sizeof(root), hex, sizeof(hex)));
    int n = snprintf(json, sizeof(json),
                     "{\"version\": 1, \"platforms\": {\"sim\": {\"trusted\": true, "
                     "\"root_sha256\": [\"%s\"]}}}",
                     hex);
    assert_true(n > 0 && (size_t)n < sizeof(json));
    EXPECT_OK(atea_policy_load_mem(json, (size_t)n, "policy.json", NULL, &env->policy, NULL));
    atea_verify_opts vo;
    atea_verify_opts_default(&vo);
    vo.policy = env->policy;
    vo.allow_sim = 1;
    EXPECT_OK(atea_verifier_new(&vo, &env->verifier));
    *state = env;
    return 0;
}

static int teardown(void **state)
{
    sim_env *env = *state;
    atea_verifier_free(env->verifier);
    atea_policy_free(env->policy);
    atea_attester_free(env->attester);
    nftw(env->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(env);
    return 0;
}

static sp_pair *sim_pair(sim_env *env)
{
    sp_pair *p = sp_pair_prepare(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    p->server.opts.attester = env->attester;
    p->client.opts.appraise = atea_session_appraise_verifier;
    p->client.opts.appraise_user = env->verifier;
    return p;
}

/* Deliver from -> to without taking to's events. */
static void raw_move(sp_pair *p, sp_side *from, sp_side *to)
{
    uint8_t buf[8192];
    size_t n = 0;
    while (atea_session_pending_output(from->s) > 0) {
        EXPECT_OK(atea_session_drain(from->s, buf, sizeof(buf), &n));
        for (size_t off = 0, consumed = 0; off < n; off += consumed) {
            EXPECT_OK(atea_session_feed(to->s, buf + off, n - off, &consumed, p->now));
        }
    }
}

static void test_sim_attestation(void **state)
{
    sim_env *env = *state;
    sp_pair *p = sim_pair(env);
    sp_pair_start(p);
    atea_session_event ev;
    raw_move(p, &p->client, &p->server); /* HELLO */
    raw_move(p, &p->server, &p->client); /* HELLO; the client sends its REQUEST */
    raw_move(p, &p->client, &p->server); /* the server answers */
    raw_move(p, &p->server, &p->client); /* the client appraises */
    /* the ATTESTED event carries the verifier's appraisal: simulated, affirming */
    assert_int_equal(atea_session_next_event(p->client.s, &ev), 1);
    assert_int_equal(ev.type, ATEA_SESSION_EV_ATTESTED);
    assert_non_null(ev.appraisal);
    assert_true(atea_appraisal_is_simulated(ev.appraisal));
    assert_int_equal(atea_appraisal_status(ev.appraisal), ATEA_EAR_AFFIRMING);
    assert_non_null(atea_appraisal_find_claim(ev.appraisal, "sim", "nonce"));
    sp_pump(p);
    assert_int_equal(p->server.events[ATEA_SESSION_EV_ACCEPTED], 1);
    EXPECT_OK(atea_session_write(p->server.s, (const uint8_t *)"sim", 3));
    sp_pump(p);
    assert_int_equal(p->client.data.len, 3);
    sp_pair_free(p);
}

/* Genuine sim evidence produced for another connection, presented by an attacker's attester. */
static atea_err replay_attest(atea_attester *self, const atea_binding *b, atea_buf *cmw)
{
    (void)b;
    const atea_buf *captured = (const atea_buf *)self->platform;
    return atea_buf_set(cmw, captured->data, captured->len);
}

static void test_sim_relay_refused(void **state)
{
    sim_env *env = *state;
    /* evidence for some other connection's binding */
    atea_binding other;
    memset(&other, 0x33, sizeof(other));
    other.binder_len = 32;
    other.aik_hash_len = 32;
    atea_buf captured = {0};
    EXPECT_OK(atea_attester_attest(env->attester, &other, &captured));
    atea_attester relay = {.attest = replay_attest, .free = sp_attester_free};
    relay.platform = (const char *)&captured;
    sp_pair *p = sim_pair(env);
    p->server.opts.attester = &relay;
    sp_pair_start(p);
    sp_pump(p);
    assert_int_equal(p->client.err, ATEA_ERR_SIM_NONCE_MISMATCH);
    assert_int_equal(p->server.err, ATEA_ERR_SESSION_REFUSED);
    assert_int_equal(p->server.last[ATEA_SESSION_EV_REFUSED].reason, ATEA_REASON_EVIDENCE);
    atea_buf_free(&captured);
    sp_pair_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sim_attestation),
        cmocka_unit_test(test_sim_relay_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
