/* The simulated TEE attester's key store and options (the verifier side is verify_sim_test). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atea/sim.h"
#include "atea_test.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/atea-simstore-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    return 0;
}

static const char *in_store(const char *rel)
{
    static char path[160];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    return path;
}

static atea_err new_attester(const char *store, const char *identity, atea_attester **att)
{
    atea_sim_opts opts;
    atea_sim_opts_default(&opts);
    opts.dir = store;
    opts.identity = identity;
    return atea_sim_attester_new(&opts, att);
}

static atea_sim_evidence parse(const atea_buf *ev)
{
    atea_sim_evidence e;
    EXPECT_OK(atea_sim_evidence_parse(ev->data, ev->len, &e));
    return e;
}

static void test_store_created_private_and_reused(void **state)
{
    (void)state;
    uint8_t first[32];
    uint8_t again[32];
    EXPECT_OK(atea_sim_root_sha256(dir, 0, first));
    struct stat st;
    assert_int_equal(stat(in_store("root.key"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(stat(in_store("identities/default.key"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(stat(in_store("identities"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    EXPECT_OK(atea_sim_root_sha256(dir, 0, again));
    assert_memory_equal(first, again, 32); /* created once, then loaded */
}

static void test_identities_differ(void **state)
{
    (void)state;
    atea_binding b = {0};
    memset(b.report_data, 7, sizeof(b.report_data));
    atea_attester *a1 = NULL;
    atea_attester *a2 = NULL;
    EXPECT_OK(new_attester(dir, "alpha", &a1));
    EXPECT_OK(new_attester(dir, "beta", &a2));
    atea_buf e1 = {0};
    atea_buf e2 = {0};
    EXPECT_OK(atea_sim_attester_evidence(a1, &b, &e1));
    EXPECT_OK(atea_sim_attester_evidence(a2, &b, &e2));
    atea_sim_evidence p1 = parse(&e1);
    atea_sim_evidence p2 = parse(&e2);
    assert_int_equal(p1.measurement.len, 48);
    assert_memory_not_equal(p1.measurement.data, p2.measurement.data, 48);
    assert_memory_not_equal(p1.platform_id.data, p2.platform_id.data, 32);
    assert_int_equal(p1.root_cert.len, p2.root_cert.len);
    assert_memory_equal(p1.root_cert.data, p2.root_cert.data, p1.root_cert.len);
    assert_memory_equal(p1.nonce.data, b.report_data, 64);
    atea_buf_free(&e1);
    atea_buf_free(&e2);
    atea_attester_free(a1);
    atea_attester_free(a2);
}

static void test_explicit_claims(void **state)
{
    (void)state;
    atea_sim_opts opts;
    atea_sim_opts_default(&opts);
    opts.dir = dir;
    const uint8_t m[4] = {1, 2, 3, 4};
    opts.measurement = m;
    opts.measurement_len = sizeof(m);
    opts.svn = 9;
    opts.debug = 1;
    atea_attester *att = NULL;
    EXPECT_OK(atea_sim_attester_new(&opts, &att));
    atea_binding b = {0};
    b.binder_len = 48;
    b.aik_hash_len = 48;
    memset(b.binder, 1, 48);
    memset(b.aik_hash, 2, 48);
    atea_buf ev = {0};
    EXPECT_OK(atea_sim_attester_evidence(att, &b, &ev));
    atea_sim_evidence p = parse(&ev);
    atea_test_assert_hex(p.measurement.data, p.measurement.len, "01020304");
    assert_int_equal(p.svn, 9);
    assert_int_equal(p.debug, 1);
    assert_int_equal(p.nonce.len, 48);
    assert_int_equal(p.aik_hash.len, 48);
    atea_buf_free(&ev);

    /* binder and aik_hash sizes are checked */
    b.binder_len = 4;
    EXPECT_ERR(atea_sim_attester_evidence(att, &b, &ev), ATEA_ERR_INVALID_ARG);
    b.binder_len = 32;
    b.aik_hash_len = 0;
    EXPECT_ERR(atea_sim_attester_evidence(att, &b, &ev), ATEA_ERR_INVALID_ARG);
    atea_attester_free(att);

    opts.measurement_len = ATEA_SIM_MAX_MEASUREMENT + 1;
    EXPECT_ERR(atea_sim_attester_new(&opts, &att), ATEA_ERR_INVALID_ARG);
}

static void test_bad_options_and_store(void **state)
{
    (void)state;
    atea_attester *att = NULL;
    EXPECT_ERR(new_attester(dir, "Bad Name", &att), ATEA_ERR_SIM_IDENTITY_NAME);
    EXPECT_ERR(new_attester(dir, "", &att), ATEA_ERR_SIM_IDENTITY_NAME);
    EXPECT_ERR(new_attester(dir, "abcdefghijklmnopqrstuvwxyz0123456", &att),
               ATEA_ERR_SIM_IDENTITY_NAME);                                 /* 33 characters */
    EXPECT_OK(new_attester(dir, "abcdefghijklmnopqrstuvwxyz012345", &att)); /* 32 */
    atea_attester_free(att);
    EXPECT_ERR(new_attester(NULL, "x", &att), ATEA_ERR_INVALID_ARG);
    atea_sim_opts opts;
    atea_sim_opts_default(&opts);
    opts.dir = dir;
    opts.version = 99;
    EXPECT_ERR(atea_sim_attester_new(&opts, &att), ATEA_ERR_EVIDENCE_OPTS_VERSION);

    /* the store path is a file */
    FILE *f = fopen(in_store("file"), "w");
    assert_non_null(f);
    fclose(f);
    EXPECT_ERR(new_attester(in_store("file"), "x", &att), ATEA_ERR_SIM_STORE);
}

static void test_key_permissions_and_corruption(void **state)
{
    (void)state;
    uint8_t root[32];
    EXPECT_OK(atea_sim_root_sha256(dir, 0, root));
    atea_attester *att = NULL;
    assert_int_equal(chmod(in_store("root.key"), 0644), 0);
    EXPECT_ERR(new_attester(dir, "default", &att), ATEA_ERR_SIM_KEY_PERMISSIONS);
    assert_int_equal(chmod(in_store("root.key"), 0600), 0);
    EXPECT_OK(new_attester(dir, "default", &att));
    atea_attester_free(att);

    FILE *f = fopen(in_store("identities/default.crt"), "w");
    assert_non_null(f);
    fputs("not a certificate\n", f);
    fclose(f);
    EXPECT_ERR(new_attester(dir, "default", &att), ATEA_ERR_SIM_KEY_CORRUPT);

    /* a new root makes the old identity certificates unusable, and says so */
    unlink(in_store("identities/default.crt"));
    unlink(in_store("root.key"));
    unlink(in_store("root.crt"));
    EXPECT_OK(new_attester(dir, "default", &att)); /* identity cert re-issued by the new root */
    atea_attester_free(att);
    unlink(in_store("root.key"));
    unlink(in_store("root.crt"));
    EXPECT_ERR(new_attester(dir, "default", &att), ATEA_ERR_SIM_KEY_CORRUPT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_store_created_private_and_reused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_identities_differ, setup, teardown),
        cmocka_unit_test_setup_teardown(test_explicit_claims, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_options_and_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_permissions_and_corruption, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
