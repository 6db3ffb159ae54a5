/*
 * The EAR claims-set (draft-ietf-rats-ear-03 §3, specs.md §5.2), JSON serialization, both ways.
 *
 * Reading: eat_profile must be "tag:ietf.org,2026:rats/ear#03" (the profile of the CMW type,
 * profile.md §5); iat (integer, never floating point) and the optional exp bound the validity;
 * ear_verifier_id names the verifier; eat_nonce must be this connection's binder (profile.md §3:
 * nonce formats carry the binder), base64url as EAT encodes binary data in JSON (RFC 9711 §7.2.2);
 * every submod needs an ear_status. Unknown claims are ignored, as the draft requires.
 *
 * Writing: atea_appraisal_to_json already prints an EAR-shaped record with the legacy Veraison
 * names ("ear.status", ...); the -03 claims-set is derived from it by renaming, so that the
 * appraisal has one serializer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "core/wr.h"
#include "cmw/cmw_internal.h"
#include "verify/ear_internal.h"

/* ---- reading ---- */

static atea_err text_claim(const json_t *obj, const char *name, const char *where, const char **out)
{
    atea_err err = ATEA_OK;
    const json_t *v = json_object_get(obj, name);
    ATEA_ENSURE_MSG(json_is_string(v), ATEA_ERR_EAR_MALFORMED, "%s has no \"%s\" text claim%s",
                    where, name, v != NULL ? " (wrong type)" : "");
    *out = json_string_value(v);
out:
    return err;
}

/* time-int: an integer, never floating point (specs.md §5.2: "MUST NOT ... floating-point"). */
static atea_err time_claim(const json_t *obj, const char *name, int required, int *present,
                           int64_t *out)
{
    atea_err err = ATEA_OK;
    const json_t *v = json_object_get(obj, name);
    *present = v != NULL;
    ATEA_ENSURE_MSG(v != NULL || !required, ATEA_ERR_EAR_MALFORMED, "the EAR has no \"%s\" claim",
                    name);
    ATEA_ENSURE_MSG(v == NULL || json_is_integer(v), ATEA_ERR_EAR_MALFORMED,
                    "the EAR \"%s\" claim is not an integer number of seconds", name);
    *out = v != NULL ? (int64_t)json_integer_value(v) : 0;
out:
    return err;
}

static atea_err read_profile(const json_t *claims, atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    const char *profile = NULL;
    ATEA_TRY(text_claim(claims, "eat_profile", "the EAR", &profile));
    ATEA_ENSURE_MSG(strcmp(profile, ATEA_EAR_PROFILE_03) == 0, ATEA_ERR_EAR_MALFORMED,
                    "eat_profile \"%.100s\" is not %s (the profile of the CMW type atea accepts)",
                    profile, ATEA_EAR_PROFILE_03);
    ATEA_TRY(atea_appraisal_claim_str(out, ATEA_EAR_SUBMOD, "eat_profile", profile));
out:
    return err;
}

static atea_err read_validity(const json_t *claims, const atea_verify_env *env, atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    int64_t iat = 0;
    int64_t exp = 0;
    int has_iat = 0;
    int has_exp = 0;
    ATEA_TRY(time_claim(claims, "iat", 1, &has_iat, &iat));
    ATEA_TRY(time_claim(claims, "exp", 0, &has_exp, &exp));
    ATEA_TRY(atea_appraisal_claim_int(out, ATEA_EAR_SUBMOD, "iat", iat));
    if (has_exp) {
        ATEA_TRY(atea_appraisal_claim_int(out, ATEA_EAR_SUBMOD, "exp", exp));
    }
    ATEA_ENSURE_MSG(
        iat <= env->now || iat - env->now <= ATEA_EAR_MAX_CLOCK_SKEW, ATEA_ERR_EAR_EXPIRED,
        "the EAR was issued at %lld, %lld s after the verification time %lld "
        "(more than the %d s of clock skew allowed)",
        (long long)iat, (long long)(iat - env->now), (long long)env->now, ATEA_EAR_MAX_CLOCK_SKEW);
    ATEA_ENSURE_MSG(!has_exp || exp > env->now, ATEA_ERR_EAR_EXPIRED,
                    "the EAR expired at %lld; the verification time is %lld", (long long)exp,
                    (long long)env->now);
    ATEA_TRY(atea_appraisal_add_reason(out, ATEA_EAR_SUBMOD, ATEA_EAR_AFFIRMING, ATEA_OK,
                                       "the EAR is valid at %lld (iat %lld%s)", (long long)env->now,
                                       (long long)iat, has_exp ? ", exp set" : ", no exp"));
out:
    return err;
}

static atea_err read_verifier_id(const json_t *claims, atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    const char *developer = NULL;
    const char *build = NULL;
    const json_t *vid = json_object_get(claims, "ear_verifier_id");
    ATEA_ENSURE_MSG(json_is_object(vid), ATEA_ERR_EAR_MALFORMED,
                    "the EAR has no \"ear_verifier_id\" object");
    ATEA_TRY(text_claim(vid, "developer", "ear_verifier_id", &developer));
    ATEA_TRY(text_claim(vid, "build", "ear_verifier_id", &build));
    ATEA_TRY(atea_appraisal_claim_str(out, ATEA_EAR_SUBMOD, "verifier_developer", developer));
    ATEA_TRY(atea_appraisal_claim_str(out, ATEA_EAR_SUBMOD, "verifier_build", build));
out:
    return err;
}

atea_err atea__ear_binding_nonce(const atea_binding *binding, const uint8_t **nonce, size_t *len)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE_MSG(binding != NULL, ATEA_ERR_BINDING_MISSING,
                    "an EAR is bound through eat_nonce = the binder, and no binding was given");
    *nonce = binding->binder_len > 0 ? binding->binder : binding->report_data;
    *len = binding->binder_len > 0 ? binding->binder_len : sizeof(binding->report_data);
out:
    return err;
}

/* What every eat_nonce of the EAR must be, and how many were seen. */
typedef struct nonce_check {
    const uint8_t *want;
    size_t want_len;
    const char *what; /* "binder" or "report_data" */
    size_t seen;
} nonce_check;

/* One eat_nonce (top level: "A user supplied nonce that is echoed by the verifier"; per submod:
 * "The nonce extracted from Evidence", draft-ietf-rats-ear-03 §3): base64url of 8..64 bytes
 * equal to the binder (profile.md §3). Constant time: the binder derives from the connection's
 * secrets. The top-level nonce is recorded as claim "nonce". */
static atea_err check_nonce(const json_t *v, const char *where, nonce_check *nc,
                            atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    atea_buf nonce = {0};
    ATEA_ENSURE_MSG(json_is_string(v), ATEA_ERR_EAR_MALFORMED,
                    "%s eat_nonce is not text (JWT EARs carry it base64url-encoded)", where);
    atea_slice s = {(const uint8_t *)json_string_value(v), json_string_length(v)};
    ATEA_TRY(atea__ear_b64_decode(s, ATEA_EAR_NONCE_MAX, "eat_nonce", &nonce));
    ATEA_ENSURE_MSG(nonce.len >= ATEA_EAR_NONCE_MIN, ATEA_ERR_EAR_MALFORMED,
                    "%s eat_nonce has %zu bytes; EAT nonces have 8..64 (RFC 9711 §4.1)", where,
                    nonce.len);
    if (nc->seen == 0) {
        ATEA_TRY(atea_appraisal_claim_bytes(out, ATEA_EAR_SUBMOD, "nonce", nonce.data, nonce.len));
    }
    ATEA_ENSURE_MSG(nonce.len == nc->want_len && atea_ct_equal(nonce.data, nc->want, nc->want_len),
                    ATEA_ERR_EAR_NONCE_MISMATCH,
                    "%s eat_nonce (%zu bytes) is not the %zu-byte %s of this connection", where,
                    nonce.len, nc->want_len, nc->what);
    nc->seen++;
out:
    atea_buf_free(&nonce);
    return err;
}

/* Every eat_nonce of the EAR, top level and per submod, must be the binder, and there must be
 * one: without it nothing ties the result to this connection. */
static atea_err read_nonces(const json_t *claims, const atea_binding *expected, atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    nonce_check nc = {0};
    const char *key;
    const json_t *sub;
    char where[96];
    ATEA_TRY(atea__ear_binding_nonce(expected, &nc.want, &nc.want_len));
    nc.what = expected->binder_len > 0 ? "binder" : "report_data";
    const json_t *top = json_object_get(claims, "eat_nonce");
    if (top != NULL) {
        ATEA_TRY(check_nonce(top, "the EAR", &nc, out));
    }
    /* the submods' shape is checked by read_submods; here only their nonces */
    json_object_foreach(json_object_get(claims, "submods"), key, sub)
    {
        const json_t *nonce = json_object_get(sub, "eat_nonce");
        if (nonce != NULL) {
            (void)snprintf(where, sizeof(where), "EAR submod \"%.40s\"", key);
            ATEA_TRY(check_nonce(nonce, where, &nc, out));
        }
    }
    ATEA_ENSURE_MSG(nc.seen > 0, ATEA_ERR_EAR_MALFORMED,
                    "the EAR carries no eat_nonce (top level or in a submod): it is not bound to "
                    "this connection");
    ATEA_TRY(atea_appraisal_add_reason(out, ATEA_EAR_SUBMOD, ATEA_EAR_AFFIRMING, ATEA_OK,
                                       "eat_nonce is the %s of this connection (%zu nonce%s)",
                                       nc.what, nc.seen, nc.seen == 1 ? "" : "s"));
out:
    return err;
}

static atea_err tier_of(const json_t *v, const char *where, atea_ear_status *tier)
{
    atea_err err = ATEA_OK;
    static const atea_ear_status tiers[] = {ATEA_EAR_AFFIRMING, ATEA_EAR_WARNING,
                                            ATEA_EAR_CONTRAINDICATED, ATEA_EAR_NONE};
    ATEA_ENSURE_MSG(json_is_string(v), ATEA_ERR_EAR_MALFORMED,
                    "%s has no \"ear_status\" text (JSON EARs name the tier)", where);
    for (size_t i = 0; i < ATEA_ARRAY_LEN(tiers); i++) {
        if (strcmp(json_string_value(v), atea_ear_status_name(tiers[i])) == 0) {
            *tier = tiers[i];
            goto out;
        }
    }
    ATEA_FAIL(ATEA_ERR_EAR_MALFORMED,
              "%s ear_status \"%.40s\" is not affirming, warning, contraindicated or none", where,
              json_string_value(v));
out:
    return err;
}

/* The verifier's verdict becomes a reason of the "ear" submodule with the same tier. "none"
 * means the verifier appraised nothing: never accepted, so it counts as contraindicated. */
static atea_err verdict(atea_appraisal *out, const char *what, atea_ear_status tier)
{
    atea_err err = ATEA_OK;
    atea_ear_status as = tier == ATEA_EAR_NONE ? ATEA_EAR_CONTRAINDICATED : tier;
    atea_err code = tier == ATEA_EAR_AFFIRMING ? ATEA_OK : ATEA_ERR_NOT_AFFIRMED;
    ATEA_TRY(atea_appraisal_add_reason(out, ATEA_EAR_SUBMOD, as, code,
                                       "the verifier appraised %s as %s", what,
                                       atea_ear_status_name(tier)));
out:
    return err;
}

/* "<submod>.<suffix>" if that is a valid claim name, else "submod<i>.<suffix>". */
static void submod_claim_name(const char *submod, size_t i, const char *suffix, char *name,
                              size_t size)
{
    int n = snprintf(name, size, "%s.%s", submod, suffix);
    if (n < 0 || (size_t)n >= size || !atea_appraisal_name_valid(name)) {
        (void)snprintf(name, size, "submod%zu.%s", i, suffix);
    }
}

static atea_err read_submod(const char *key, size_t i, const json_t *sub, atea_appraisal *out,
                            int *simulated)
{
    atea_err err = ATEA_OK;
    char where[96];
    char name[ATEA_APPRAISAL_MAX_NAME + 1];
    atea_ear_status tier = ATEA_EAR_NONE;
    (void)snprintf(where, sizeof(where), "EAR submod \"%.40s\"", key);
    ATEA_ENSURE_MSG(json_is_object(sub), ATEA_ERR_EAR_MALFORMED, "%s is not an object", where);
    ATEA_TRY(tier_of(json_object_get(sub, "ear_status"), where, &tier));
    submod_claim_name(key, i, "status", name, sizeof(name));
    ATEA_TRY(atea_appraisal_claim_str(out, ATEA_EAR_SUBMOD, name, atea_ear_status_name(tier)));
    /* atea's extension: the platform the issuing atea verifier appraised. */
    const json_t *platform = json_object_get(sub, "atea.platform");
    if (json_is_string(platform)) {
        submod_claim_name(key, i, "platform", name, sizeof(name));
        ATEA_TRY(atea_appraisal_claim_str(out, ATEA_EAR_SUBMOD, name, json_string_value(platform)));
        *simulated |= strcmp(json_string_value(platform), "sim") == 0;
    }
    ATEA_TRY(verdict(out, where, tier));
out:
    return err;
}

static atea_err read_submods(const json_t *claims, atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    const char *key;
    const json_t *sub;
    size_t i = 0;
    int simulated = json_is_true(json_object_get(claims, "atea.simulated"));
    const json_t *submods = json_object_get(claims, "submods");
    ATEA_ENSURE_MSG(json_is_object(submods) && json_object_size(submods) > 0,
                    ATEA_ERR_EAR_MALFORMED,
                    "the EAR has no \"submods\" object with at least one appraisal");
    ATEA_ENSURE_MSG(json_object_size(submods) <= ATEA_EAR_MAX_SUBMODS, ATEA_ERR_TOO_LARGE,
                    "the EAR has %zu submods (at most %u)", json_object_size(submods),
                    ATEA_EAR_MAX_SUBMODS);
    json_object_foreach((json_t *)submods, key, sub)
    {
        ATEA_TRY(read_submod(key, i++, sub, out, &simulated));
    }
    /* The optional top-level status is "no higher trust than the worst submod" (-03 §3.1); a
     * worse one lowers the result. */
    const json_t *overall = json_object_get(claims, "ear_status");
    if (overall != NULL) {
        atea_ear_status tier = ATEA_EAR_NONE;
        ATEA_TRY(tier_of(overall, "the EAR", &tier));
        ATEA_TRY(verdict(out, "the evidence overall", tier));
    }
    if (simulated) {
        ATEA_TRY(atea_appraisal_claim_bool(out, ATEA_EAR_SUBMOD, "simulated", 1));
        ATEA_TRY(atea_appraisal_add_reason(out, ATEA_EAR_SUBMOD, ATEA_EAR_AFFIRMING,
                                           ATEA_ERR_SIMULATED_TEE,
                                           "the EAR appraised atea's simulated TEE: no real TEE "
                                           "backs this result"));
    }
out:
    return err;
}

atea_err atea__ear_claims_read(const json_t *claims, const atea_verify_env *env,
                               const atea_binding *expected, atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(json_is_object(claims) && env != NULL && out != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(read_profile(claims, out));
    ATEA_TRY(read_verifier_id(claims, out));
    ATEA_TRY(read_validity(claims, env, out));
    ATEA_TRY(read_nonces(claims, expected, out));
    ATEA_TRY(read_submods(claims, out));
out:
    return err;
}

/* ---- writing ---- */

/* dst[dst_name] = src[src_name] if present (shared reference). */
static int carry(json_t *dst, const char *dst_name, const json_t *src, const char *src_name)
{
    json_t *v = json_object_get(src, src_name);
    return v == NULL || json_object_set(dst, dst_name, v) == 0;
}

static json_t *submod_03(const json_t *legacy)
{
    json_t *o = json_object();
    json_t *ids = json_array();
    json_t *policy_id = json_object_get(legacy, "ear.appraisal-policy-id");
    int ok = o != NULL && ids != NULL && carry(o, "ear_status", legacy, "ear.status") &&
             carry(o, "ear_trustworthiness_vector", legacy, "ear.trustworthiness-vector") &&
             (policy_id == NULL || json_array_append(ids, policy_id) == 0) &&
             json_object_set(o, "ear_appraisal_policy_ids", ids) == 0 &&
             carry(o, "atea.platform", legacy, "atea.platform") &&
             carry(o, "atea.claims", legacy, "atea.claims") &&
             carry(o, "atea.reasons", legacy, "atea.reasons");
    json_decref(ids);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The -03 claims-set from the legacy-named appraisal JSON. */
static atea_err rename_03(const json_t *legacy, const char *nonce_b64, int64_t now, json_t **out)
{
    atea_err err = ATEA_OK;
    const char *key;
    const json_t *sub;
    json_t *ear = json_object();
    json_t *submods = json_object();
    ATEA_ENSURE(ear != NULL && submods != NULL, ATEA_ERR_NO_MEMORY);
    ATEA_ENSURE(
        json_object_set_new(ear, "eat_profile", json_string(ATEA_EAR_PROFILE_03)) == 0 &&
            json_object_set_new(ear, "iat", json_integer((json_int_t)now)) == 0 &&
            json_object_set_new(ear, "exp",
                                json_integer((json_int_t)(now + ATEA_EAR_DEFAULT_LIFETIME))) == 0 &&
            carry(ear, "ear_status", legacy, "ear.status") &&
            carry(ear, "ear_verifier_id", legacy, "ear.verifier-id") &&
            json_object_set_new(ear, "eat_nonce", json_string(nonce_b64)) == 0 &&
            carry(ear, "atea.simulated", legacy, "atea.simulated"),
        ATEA_ERR_NO_MEMORY);
    json_object_foreach(json_object_get(legacy, "submods"), key, sub)
    {
        ATEA_ENSURE(json_object_set_new(submods, key, submod_03(sub)) == 0, ATEA_ERR_NO_MEMORY);
    }
    ATEA_ENSURE(json_object_set(ear, "submods", submods) == 0 &&
                    carry(ear, "atea.reasons", legacy, "atea.reasons"),
                ATEA_ERR_NO_MEMORY);
    *out = ear;
    ear = NULL;
out:
    json_decref(submods);
    json_decref(ear);
    return err;
}

atea_err atea__ear_claims_write(const atea_appraisal *a, const uint8_t *nonce, size_t nonce_len,
                                int64_t now, atea_buf *json)
{
    atea_err err = ATEA_OK;
    atea_buf legacy_text = {0};
    atea_wr nonce_b64 = {0};
    json_t *legacy = NULL;
    json_t *ear = NULL;
    char *text = NULL;
    ATEA_TRY(atea_appraisal_to_json(a, now, &legacy_text));
    legacy = json_loadb((const char *)legacy_text.data, legacy_text.len, 0, NULL);
    ATEA_ENSURE_MSG(legacy != NULL, ATEA_ERR_INTERNAL, "the appraisal JSON does not parse");
    ATEA_TRY(atea_wr_init_growable(&nonce_b64, 96, 96));
    ATEA_TRY(atea__b64url_encode(nonce, nonce_len, &nonce_b64));
    ATEA_TRY(atea_wr_u8(&nonce_b64, '\0'));
    ATEA_TRY(rename_03(legacy, (const char *)atea_wr_data(&nonce_b64), now, &ear));
    text = json_dumps(ear, JSON_COMPACT | JSON_PRESERVE_ORDER);
    ATEA_ENSURE_ALLOC(text);
    ATEA_TRY(atea_buf_set(json, (const uint8_t *)text, strlen(text)));
out:
    free(text);
    json_decref(ear);
    json_decref(legacy);
    atea_wr_dispose(&nonce_b64);
    atea_buf_free(&legacy_text);
    return err;
}
