/* Test helpers for the verifier and its policy, header-only because atea_testlib does not link
 * the verify layer (the tests that include this do). */
#ifndef ATEA_TEST_VERIFY_HELPERS_H
#define ATEA_TEST_VERIFY_HELPERS_H

#include <stdio.h>

#include "atea/policy.h"
#include "atea/verify.h"
#include "atea_test.h"

/* A policy from printf-style JSON with one string argument; aborts the test if it does not load. */
static inline atea_policy *atea_test_policy_fmt(const char *fmt, const char *arg)
{
    char text[512];
    atea_policy *p = NULL;
    int n = snprintf(text, sizeof(text), fmt, arg);
    assert_true(n > 0 && (size_t)n < sizeof(text));
    EXPECT_OK(atea_policy_load_mem(text, (size_t)n, "policy.json", NULL, &p, NULL));
    return p;
}

/* A verifier over a borrowed policy; now = 0 means the current time. */
static inline atea_verifier *atea_test_verifier(const atea_policy *p, int allow_sim, int64_t now)
{
    atea_verify_opts o;
    atea_verifier *v = NULL;
    atea_verify_opts_default(&o);
    o.policy = p;
    o.allow_sim = allow_sim;
    o.now = now;
    EXPECT_OK(atea_verifier_new(&o, &v));
    return v;
}

#endif
