/*
 * The rule engine: compares the claims in an appraisal with a loaded policy and records one reason
 * per rule (docs/POLICY.md "How rules are applied"). Passed rules are AFFIRMING so the output shows
 * what was checked; violations are CONTRAINDICATED with a message that names the claim, its value
 * and the policy file. A rule about a claim the evidence lacks is a violation, never a pass.
 * Submodules that their verifier already contraindicated get no rule reasons (their claims are
 * not trustworthy), only the platform check.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/check.h"
#include "verify/policy.h"

#define SHOW_BYTES 8 /* a byte claim in a message: its first bytes, then an ellipsis */

/* A claim value as an operator reads it: "1a2b3c4d5e6f7a8b…", "3", "true", "UpToDate". */
static void claim_text(const atea_claim *c, char *out, size_t size)
{
    switch (c->type) {
    case ATEA_CLAIM_BYTES: {
        size_t n = c->bytes.len < SHOW_BYTES ? c->bytes.len : SHOW_BYTES;
        char hex[2 * SHOW_BYTES + 1];
        if (atea_hex_encode(c->bytes.data, n, hex, sizeof(hex)) != ATEA_OK) {
            hex[0] = '\0';
        }
        (void)snprintf(out, size, "%s%s", hex, c->bytes.len > SHOW_BYTES ? "\xe2\x80\xa6" : "");
        return;
    }
    case ATEA_CLAIM_INT:
        (void)snprintf(out, size, "%" PRId64, c->i);
        return;
    case ATEA_CLAIM_STR:
        (void)snprintf(out, size, "'%.48s'", c->str);
        return;
    case ATEA_CLAIM_BOOL:
        (void)snprintf(out, size, "%s", c->i ? "true" : "false");
        return;
    }
    out[0] = '\0';
}

static const char *claim_type_name(atea_claim_type t)
{
    switch (t) {
    case ATEA_CLAIM_BYTES:
        return "bytes";
    case ATEA_CLAIM_INT:
        return "an integer";
    case ATEA_CLAIM_STR:
        return "text";
    case ATEA_CLAIM_BOOL:
        return "a boolean";
    }
    return "unknown";
}

/* 1 match, 0 no match, -1 the policy value cannot describe this claim's type. */
static int value_matches(const policy_value *v, const atea_claim *c)
{
    switch (c->type) {
    case ATEA_CLAIM_BYTES:
        if (v->kind != POLICY_VALUE_TEXT || v->bytes.data == NULL) {
            return -1;
        }
        return v->bytes.len == c->bytes.len &&
               memcmp(v->bytes.data, c->bytes.data, c->bytes.len) == 0;
    case ATEA_CLAIM_STR:
        if (v->kind != POLICY_VALUE_TEXT) {
            return -1;
        }
        return strcmp(v->text, c->str) == 0;
    case ATEA_CLAIM_INT:
        if (v->kind != POLICY_VALUE_INT) {
            return -1;
        }
        return v->i == c->i;
    case ATEA_CLAIM_BOOL:
        if (v->kind != POLICY_VALUE_BOOL) {
            return -1;
        }
        return v->i == c->i;
    }
    return -1;
}

typedef struct apply_ctx {
    const atea_policy *policy;
    const policy_platform_rules *rules;
    atea_appraisal *a;
    const char *submod;
} apply_ctx;

/* The claim a rule is about, or a REQUIRED_CLAIM violation when the evidence lacks it. */
static atea_err rule_claim(apply_ctx *x, const char *claim, const char *rule,
                           const atea_claim **out)
{
    atea_err err = ATEA_OK;
    *out = atea_appraisal_find_claim(x->a, x->submod, claim);
    if (*out == NULL) {
        ATEA_TRY(atea_appraisal_add_reason(x->a, x->submod, ATEA_EAR_CONTRAINDICATED,
                                           ATEA_ERR_POLICY_REQUIRED_CLAIM,
                                           "%s: the evidence has no claim '%s' but %s has a %s "
                                           "rule about it",
                                           x->submod, claim, x->policy->source, rule));
    }
out:
    return err;
}

static atea_err apply_ref_rule(apply_ctx *x, const policy_ref_rule *rule)
{
    atea_err err = ATEA_OK;
    const atea_claim *c = NULL;
    char shown[64];
    ATEA_TRY(rule_claim(x, rule->claim, "reference_values", &c));
    if (c == NULL) {
        goto out;
    }
    claim_text(c, shown, sizeof(shown));
    size_t comparable = 0;
    for (size_t i = 0; i < rule->count; i++) {
        int m = value_matches(&rule->values[i], c);
        if (m == 1) {
            ATEA_TRY(atea_appraisal_add_reason(x->a, x->submod, ATEA_EAR_AFFIRMING, ATEA_OK,
                                               "%s %s matches reference value %zu of %zu in %s",
                                               rule->claim, shown, i + 1, rule->count,
                                               x->policy->source));
            goto out;
        }
        comparable += m == 0;
    }
    if (comparable == 0) {
        ATEA_TRY(atea_appraisal_add_reason(
            x->a, x->submod, ATEA_EAR_CONTRAINDICATED, ATEA_ERR_POLICY_CLAIM_TYPE,
            "%s is %s but none of its %zu reference values in %s is (use %s)", rule->claim,
            claim_type_name(c->type), rule->count, x->policy->source,
            c->type == ATEA_CLAIM_BYTES ? "hex strings" : "values of that type"));
        goto out;
    }
    ATEA_TRY(atea_appraisal_add_reason(x->a, x->submod, ATEA_EAR_CONTRAINDICATED,
                                       ATEA_ERR_POLICY_REFERENCE_VALUE,
                                       "%s %s is not one of the %zu reference values in %s",
                                       rule->claim, shown, rule->count, x->policy->source));
out:
    return err;
}

static atea_err apply_min_rule(apply_ctx *x, const policy_min_rule *rule)
{
    atea_err err = ATEA_OK;
    const atea_claim *c = NULL;
    ATEA_TRY(rule_claim(x, rule->claim, "minimum_values", &c));
    if (c == NULL) {
        goto out;
    }
    if (c->type != ATEA_CLAIM_INT) {
        ATEA_TRY(atea_appraisal_add_reason(x->a, x->submod, ATEA_EAR_CONTRAINDICATED,
                                           ATEA_ERR_POLICY_CLAIM_TYPE,
                                           "%s is %s, but %s gives it a minimum value", rule->claim,
                                           claim_type_name(c->type), x->policy->source));
        goto out;
    }
    if (c->i < rule->min) {
        ATEA_TRY(atea_appraisal_add_reason(x->a, x->submod, ATEA_EAR_CONTRAINDICATED,
                                           ATEA_ERR_POLICY_MIN_VALUE,
                                           "%s %" PRId64 " is below the minimum %" PRId64 " in %s",
                                           rule->claim, c->i, rule->min, x->policy->source));
        goto out;
    }
    ATEA_TRY(atea_appraisal_add_reason(x->a, x->submod, ATEA_EAR_AFFIRMING, ATEA_OK,
                                       "%s %" PRId64 " meets the minimum %" PRId64 " in %s",
                                       rule->claim, c->i, rule->min, x->policy->source));
out:
    return err;
}

static atea_err apply_required(apply_ctx *x, const char *claim)
{
    atea_err err = ATEA_OK;
    const atea_claim *c = NULL;
    ATEA_TRY(rule_claim(x, claim, "required_claims", &c));
    if (c != NULL) {
        ATEA_TRY(atea_appraisal_add_reason(x->a, x->submod, ATEA_EAR_AFFIRMING, ATEA_OK,
                                           "required claim %s is present", claim));
    }
out:
    return err;
}

/* Debug mode (a "debug" claim that is true) defeats every other guarantee of a TEE. */
static atea_err apply_debug(apply_ctx *x)
{
    atea_err err = ATEA_OK;
    const atea_claim *c = atea_appraisal_find_claim(x->a, x->submod, "debug");
    int forbidden =
        x->rules->debug_forbidden >= 0 ? x->rules->debug_forbidden : x->policy->debug_forbidden;
    if (c == NULL) {
        goto out;
    }
    if (c->type != ATEA_CLAIM_BOOL) {
        ATEA_TRY(atea_appraisal_add_reason(
            x->a, x->submod, ATEA_EAR_CONTRAINDICATED, ATEA_ERR_POLICY_CLAIM_TYPE,
            "claim debug is %s, expected a boolean", claim_type_name(c->type)));
    } else if (c->i && forbidden) {
        ATEA_TRY(atea_appraisal_add_reason(x->a, x->submod, ATEA_EAR_CONTRAINDICATED,
                                           ATEA_ERR_POLICY_DEBUG,
                                           "%s runs in debug mode (its memory can be read by the "
                                           "host); %s forbids debug (debug_forbidden)",
                                           x->submod, x->policy->source));
    } else {
        ATEA_TRY(atea_appraisal_add_reason(x->a, x->submod, ATEA_EAR_AFFIRMING, ATEA_OK,
                                           c->i ? "debug mode is on, which %s allows"
                                                : "not in debug mode (%s)",
                                           x->policy->source));
    }
out:
    return err;
}

static atea_err apply_tcb_statuses(apply_ctx *x)
{
    atea_err err = ATEA_OK;
    const atea_claim *c = NULL;
    if (!x->rules->has_tcb_statuses) {
        goto out;
    }
    ATEA_TRY(rule_claim(x, "tcb_status", "tcb_statuses", &c));
    if (c == NULL) {
        goto out;
    }
    if (c->type != ATEA_CLAIM_STR) {
        ATEA_TRY(atea_appraisal_add_reason(
            x->a, x->submod, ATEA_EAR_CONTRAINDICATED, ATEA_ERR_POLICY_CLAIM_TYPE,
            "claim tcb_status is %s, expected text", claim_type_name(c->type)));
        goto out;
    }
    for (size_t i = 0; i < x->rules->tcb_count; i++) {
        if (strcmp(x->rules->tcb_statuses[i], c->str) == 0) {
            ATEA_TRY(atea_appraisal_add_reason(x->a, x->submod, ATEA_EAR_AFFIRMING, ATEA_OK,
                                               "tcb_status '%.48s' is accepted by %s", c->str,
                                               x->policy->source));
            goto out;
        }
    }
    ATEA_TRY(atea_appraisal_add_reason(x->a, x->submod, ATEA_EAR_CONTRAINDICATED,
                                       ATEA_ERR_POLICY_TCB_STATUS,
                                       "tcb_status '%.48s' is not one of the %zu statuses %s "
                                       "accepts (tcb_statuses)",
                                       c->str, x->rules->tcb_count, x->policy->source));
out:
    return err;
}

static atea_err apply_submod(const atea_policy *p, atea_appraisal *a, size_t index)
{
    atea_err err = ATEA_OK;
    apply_ctx x = {.policy = p, .a = a, .submod = atea_appraisal_submod_name(a, index)};
    const char *platform = atea_appraisal_submod_platform(a, index);
    size_t which = 0;
    while (which < POLICY_PLATFORM_COUNT &&
           strcmp(atea__policy_platform_name((policy_platform)which), platform) != 0) {
        which++;
    }
    if (which == POLICY_PLATFORM_COUNT ||
        !atea_policy_platform_allowed(p, atea__policy_platform_key((policy_platform)which))) {
        ATEA_TRY(atea_appraisal_add_reason(
            a, x.submod, ATEA_EAR_CONTRAINDICATED, ATEA_ERR_POLICY_PLATFORM,
            "%s does not accept evidence from platform %s%s", p->source, platform,
            which == POLICY_SIM ? " (sim.trusted is not true)" : " (not listed in platforms)"));
        goto out;
    }
    x.rules = &p->platforms[which];
    /* Claims of evidence that already failed (bad signature, wrong binding) are not facts:
     * comparing them with reference values would only bury the real reason in noise. */
    if (atea_appraisal_submod_status(a, x.submod) == ATEA_EAR_CONTRAINDICATED) {
        goto out;
    }
    ATEA_TRY(apply_debug(&x));
    for (size_t i = 0; i < x.rules->required_count; i++) {
        ATEA_TRY(apply_required(&x, x.rules->required[i]));
    }
    for (size_t i = 0; i < x.rules->ref_count; i++) {
        ATEA_TRY(apply_ref_rule(&x, &x.rules->refs[i]));
    }
    for (size_t i = 0; i < x.rules->min_count; i++) {
        ATEA_TRY(apply_min_rule(&x, &x.rules->mins[i]));
    }
    ATEA_TRY(apply_tcb_statuses(&x));
out:
    return err;
}

atea_err atea_policy_apply(const atea_policy *p, atea_appraisal *a)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(p != NULL && a != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea_appraisal_set_policy_id(a, p->id));
    for (size_t i = 0; i < atea_appraisal_submod_count(a); i++) {
        ATEA_TRY(apply_submod(p, a, i));
    }
    if (atea_appraisal_status(a) == ATEA_EAR_WARNING && !p->accept_warning) {
        ATEA_TRY(atea_appraisal_add_reason(a, NULL, ATEA_EAR_CONTRAINDICATED,
                                           ATEA_ERR_POLICY_WARNING,
                                           "the appraisal has warnings (see the reasons above) and "
                                           "%s does not accept them (accept_warning is false)",
                                           p->source));
    }
out:
    return err;
}
