/*
 * The appraisal result (include/atea/appraisal.h): a bounded, EAR-shaped record of what was
 * appraised and why (draft-ietf-rats-ear, legacy Veraison JSON names, specs.md §5.2).
 *
 * Storage is fixed-capacity where pointers are handed out: submodules live inline (claims point
 * at their names), claims and reasons are individually allocated slots so that a pointer from
 * atea_appraisal_claim_at stays valid while more claims are added.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "atea/appraisal.h"
#include "core/check.h"

/* EAR trustworthiness-vector categories, in AR4SI key order (specs.md §5.2). */
static const char *const tvector_categories[] = {
    "instance-identity", "configuration",  "executables",    "file-system",
    "hardware",          "runtime-opaque", "storage-opaque", "sourced-data",
};
#define TVECTOR_COUNT ATEA_ARRAY_LEN(tvector_categories)

#define DEFAULT_POLICY_ID "atea:no-policy"

typedef struct submod_entry {
    char name[ATEA_APPRAISAL_MAX_NAME + 1];
    char platform[ATEA_APPRAISAL_MAX_NAME + 1];
    int tvector[TVECTOR_COUNT];
    unsigned tvector_set; /* bit i: tvector[i] was recorded */
} submod_entry;

typedef struct claim_slot {
    atea_claim claim;
    char name[ATEA_APPRAISAL_MAX_NAME + 1];
    void *owned; /* bytes or string value */
} claim_slot;

typedef struct reason_slot {
    atea_appraisal_reason reason;
    char message[ATEA_APPRAISAL_MAX_MESSAGE];
} reason_slot;

struct atea_appraisal {
    submod_entry submods[ATEA_APPRAISAL_MAX_SUBMODS];
    size_t submod_count;
    claim_slot *claims[ATEA_APPRAISAL_MAX_CLAIMS];
    size_t claim_count;
    reason_slot *reasons[ATEA_APPRAISAL_MAX_REASONS];
    size_t reason_count;
    char policy_id[ATEA_APPRAISAL_MAX_POLICY_ID + 1];
};

const char *atea_ear_status_name(atea_ear_status status)
{
    switch (status) {
    case ATEA_EAR_NONE:
        return "none";
    case ATEA_EAR_AFFIRMING:
        return "affirming";
    case ATEA_EAR_WARNING:
        return "warning";
    case ATEA_EAR_CONTRAINDICATED:
        return "contraindicated";
    }
    return "none";
}

atea_ear_status atea_ear_tier_of_value(int value)
{
    if (value >= -1 && value <= 1) {
        return ATEA_EAR_NONE;
    }
    if ((value >= 2 && value <= 31) || (value >= -32 && value <= -2)) {
        return ATEA_EAR_AFFIRMING;
    }
    if ((value >= 32 && value <= 95) || (value >= -96 && value <= -33)) {
        return ATEA_EAR_WARNING;
    }
    return ATEA_EAR_CONTRAINDICATED;
}

/* Worst first: an unappraised submodule (NONE) must never look better than a warning. */
static int tier_badness(atea_ear_status s)
{
    switch (s) {
    case ATEA_EAR_AFFIRMING:
        return 0;
    case ATEA_EAR_WARNING:
        return 1;
    case ATEA_EAR_NONE:
        return 2;
    case ATEA_EAR_CONTRAINDICATED:
        return 3;
    }
    return 3;
}

static atea_ear_status worse(atea_ear_status a, atea_ear_status b)
{
    return tier_badness(a) >= tier_badness(b) ? a : b;
}

static int name_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

int atea_appraisal_name_valid(const char *name)
{
    if (name == NULL) {
        return 0;
    }
    size_t len = strnlen(name, ATEA_APPRAISAL_MAX_NAME + 1);
    if (len < 1 || len > ATEA_APPRAISAL_MAX_NAME) {
        return 0;
    }
    for (size_t i = 0; i < len; i++) {
        if (!name_char_ok(name[i])) {
            return 0;
        }
    }
    return 1;
}

/* Names are the keys policies use: [a-z0-9_.-], 1..ATEA_APPRAISAL_MAX_NAME bytes. */
static atea_err check_name(const char *what, const char *name)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE_MSG(name != NULL, ATEA_ERR_INVALID_ARG, "%s name is NULL", what);
    size_t len = strnlen(name, ATEA_APPRAISAL_MAX_NAME + 1);
    ATEA_ENSURE_MSG(len >= 1 && len <= ATEA_APPRAISAL_MAX_NAME, ATEA_ERR_APPRAISAL_NAME,
                    "%s name must be 1..%d bytes, got %zu%s", what, ATEA_APPRAISAL_MAX_NAME, len,
                    len > ATEA_APPRAISAL_MAX_NAME ? " or more" : "");
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        ATEA_ENSURE_MSG(name_char_ok(c), ATEA_ERR_APPRAISAL_NAME,
                        "%s name '%.64s' has byte 0x%02x at %zu; use [a-z0-9_.-]", what, name,
                        (unsigned char)c, i);
    }
out:
    return err;
}

/* Text that came out of evidence may hold control bytes; they must not reach a terminal or
 * break the JSON, so they become '?'. */
static void scrub_controls(char *s)
{
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f) {
            *s = '?';
        }
    }
}

atea_err atea_appraisal_new(atea_appraisal **pappraisal)
{
    atea_err err = ATEA_OK;
    atea_appraisal *a = NULL;
    ATEA_ENSURE(pappraisal != NULL, ATEA_ERR_INVALID_ARG);
    a = calloc(1, sizeof(*a));
    ATEA_ENSURE_ALLOC(a);
    memcpy(a->policy_id, DEFAULT_POLICY_ID, sizeof(DEFAULT_POLICY_ID));
    *pappraisal = a;
    a = NULL;
out:
    free(a);
    return err;
}

void atea_appraisal_free(atea_appraisal *a)
{
    if (a == NULL) {
        return;
    }
    for (size_t i = 0; i < a->claim_count; i++) {
        claim_slot *slot = a->claims[i];
        if (slot->claim.type == ATEA_CLAIM_BYTES) {
            atea_wipe(slot->owned, slot->claim.bytes.len);
        }
        free(slot->owned);
        free(slot);
    }
    for (size_t i = 0; i < a->reason_count; i++) {
        free(a->reasons[i]);
    }
    free(a);
}

static submod_entry *find_submod(const atea_appraisal *a, const char *submod)
{
    for (size_t i = 0; i < a->submod_count; i++) {
        if (strcmp(a->submods[i].name, submod) == 0) {
            return (submod_entry *)&a->submods[i];
        }
    }
    return NULL;
}

static atea_err lookup_submod(const atea_appraisal *a, const char *submod, submod_entry **out)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(a != NULL && submod != NULL, ATEA_ERR_INVALID_ARG);
    *out = find_submod(a, submod);
    ATEA_ENSURE_MSG(*out != NULL, ATEA_ERR_APPRAISAL_NO_SUBMOD,
                    "submodule '%.64s' was not declared", submod);
out:
    return err;
}

atea_err atea_appraisal_add_submod(atea_appraisal *a, const char *submod, const char *platform)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(a != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(check_name("submodule", submod));
    ATEA_TRY(check_name("platform", platform));
    ATEA_ENSURE_MSG(find_submod(a, submod) == NULL, ATEA_ERR_APPRAISAL_DUPLICATE,
                    "submodule '%s' already declared", submod);
    ATEA_ENSURE_MSG(a->submod_count < ATEA_APPRAISAL_MAX_SUBMODS, ATEA_ERR_APPRAISAL_FULL,
                    "more than %d submodules", ATEA_APPRAISAL_MAX_SUBMODS);
    submod_entry *e = &a->submods[a->submod_count];
    memset(e, 0, sizeof(*e));
    memcpy(e->name, submod, strlen(submod) + 1);
    memcpy(e->platform, platform, strlen(platform) + 1);
    a->submod_count++;
out:
    return err;
}

/* Reserve a claim slot for (submod, name) after the common checks; the caller fills the value. */
static atea_err new_claim(atea_appraisal *a, const char *submod, const char *name,
                          atea_claim_type type, claim_slot **pslot)
{
    atea_err err = ATEA_OK;
    submod_entry *e = NULL;
    claim_slot *slot = NULL;
    ATEA_TRY(lookup_submod(a, submod, &e));
    ATEA_TRY(check_name("claim", name));
    ATEA_ENSURE_MSG(atea_appraisal_find_claim(a, submod, name) == NULL,
                    ATEA_ERR_APPRAISAL_DUPLICATE, "claim '%s' already recorded for '%s'", name,
                    submod);
    ATEA_ENSURE_MSG(a->claim_count < ATEA_APPRAISAL_MAX_CLAIMS, ATEA_ERR_APPRAISAL_FULL,
                    "more than %d claims (adding '%s')", ATEA_APPRAISAL_MAX_CLAIMS, name);
    slot = calloc(1, sizeof(*slot));
    ATEA_ENSURE_ALLOC(slot);
    memcpy(slot->name, name, strlen(name) + 1);
    slot->claim.submod = e->name;
    slot->claim.name = slot->name;
    slot->claim.type = type;
    a->claims[a->claim_count++] = slot;
    *pslot = slot;
out:
    return err;
}

/* Undo the most recent new_claim when filling its value failed. */
static void drop_last_claim(atea_appraisal *a)
{
    a->claim_count--;
    free(a->claims[a->claim_count]);
    a->claims[a->claim_count] = NULL;
}

atea_err atea_appraisal_claim_bytes(atea_appraisal *a, const char *submod, const char *name,
                                    const uint8_t *data, size_t len)
{
    atea_err err = ATEA_OK;
    claim_slot *slot = NULL;
    ATEA_ENSURE(data != NULL || len == 0, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(len <= ATEA_APPRAISAL_MAX_CLAIM_BYTES, ATEA_ERR_TOO_LARGE,
                    "claim '%.64s' is %zu bytes, cap %d", name ? name : "", len,
                    ATEA_APPRAISAL_MAX_CLAIM_BYTES);
    ATEA_TRY(new_claim(a, submod, name, ATEA_CLAIM_BYTES, &slot));
    slot->owned = malloc(len > 0 ? len : 1);
    if (slot->owned == NULL) {
        drop_last_claim(a);
        ATEA_FAIL(ATEA_ERR_NO_MEMORY, "claim '%s'", name);
    }
    if (len > 0) {
        memcpy(slot->owned, data, len);
    }
    slot->claim.bytes.data = slot->owned;
    slot->claim.bytes.len = len;
out:
    return err;
}

static atea_err claim_number(atea_appraisal *a, const char *submod, const char *name,
                             atea_claim_type type, int64_t value)
{
    atea_err err = ATEA_OK;
    claim_slot *slot = NULL;
    ATEA_TRY(new_claim(a, submod, name, type, &slot));
    slot->claim.i = value;
out:
    return err;
}

atea_err atea_appraisal_claim_int(atea_appraisal *a, const char *submod, const char *name,
                                  int64_t value)
{
    return claim_number(a, submod, name, ATEA_CLAIM_INT, value);
}

atea_err atea_appraisal_claim_bool(atea_appraisal *a, const char *submod, const char *name,
                                   int value)
{
    return claim_number(a, submod, name, ATEA_CLAIM_BOOL, value ? 1 : 0);
}

atea_err atea_appraisal_claim_str(atea_appraisal *a, const char *submod, const char *name,
                                  const char *value)
{
    atea_err err = ATEA_OK;
    claim_slot *slot = NULL;
    ATEA_ENSURE(value != NULL, ATEA_ERR_INVALID_ARG);
    size_t len = strnlen(value, ATEA_APPRAISAL_MAX_CLAIM_STR + 1);
    ATEA_ENSURE_MSG(len <= ATEA_APPRAISAL_MAX_CLAIM_STR, ATEA_ERR_TOO_LARGE,
                    "claim '%.64s' text exceeds %d bytes", name ? name : "",
                    ATEA_APPRAISAL_MAX_CLAIM_STR);
    ATEA_TRY(new_claim(a, submod, name, ATEA_CLAIM_STR, &slot));
    char *copy = malloc(len + 1);
    if (copy == NULL) {
        drop_last_claim(a);
        ATEA_FAIL(ATEA_ERR_NO_MEMORY, "claim '%s'", name);
    }
    memcpy(copy, value, len + 1);
    scrub_controls(copy);
    slot->owned = copy;
    slot->claim.str = copy;
out:
    return err;
}

atea_err atea_appraisal_add_reason(atea_appraisal *a, const char *submod, atea_ear_status tier,
                                   atea_err code, const char *fmt, ...)
{
    atea_err err = ATEA_OK;
    submod_entry *e = NULL;
    reason_slot *slot = NULL;
    ATEA_ENSURE(a != NULL && fmt != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(
        tier == ATEA_EAR_AFFIRMING || tier == ATEA_EAR_WARNING || tier == ATEA_EAR_CONTRAINDICATED,
        ATEA_ERR_INVALID_ARG, "reason tier %d is not affirming/warning/contraindicated", (int)tier);
    if (submod != NULL) {
        ATEA_TRY(lookup_submod(a, submod, &e));
    }
    ATEA_ENSURE_MSG(a->reason_count < ATEA_APPRAISAL_MAX_REASONS, ATEA_ERR_APPRAISAL_FULL,
                    "more than %d reasons", ATEA_APPRAISAL_MAX_REASONS);
    slot = calloc(1, sizeof(*slot));
    ATEA_ENSURE_ALLOC(slot);
    va_list ap;
    va_start(ap, fmt);
    /* Truncation is acceptable: the code identifies the reason, the message explains it. */
    (void)vsnprintf(slot->message, sizeof(slot->message), fmt, ap);
    va_end(ap);
    scrub_controls(slot->message);
    slot->reason.submod = e != NULL ? e->name : NULL;
    slot->reason.tier = tier;
    slot->reason.code = code;
    slot->reason.message = slot->message;
    a->reasons[a->reason_count++] = slot;
out:
    return err;
}

atea_err atea_appraisal_tvector(atea_appraisal *a, const char *submod, const char *category,
                                int value)
{
    atea_err err = ATEA_OK;
    submod_entry *e = NULL;
    ATEA_TRY(lookup_submod(a, submod, &e));
    ATEA_ENSURE(category != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(value >= -128 && value <= 127, ATEA_ERR_INVALID_ARG,
                    "trustworthiness claim %d is outside -128..127", value);
    for (size_t i = 0; i < TVECTOR_COUNT; i++) {
        if (strcmp(tvector_categories[i], category) == 0) {
            e->tvector[i] = value;
            e->tvector_set |= 1u << i;
            goto out;
        }
    }
    ATEA_FAIL(ATEA_ERR_APPRAISAL_NAME, "'%.64s' is not an EAR trustworthiness-vector category",
              category);
out:
    return err;
}

static atea_ear_status submod_status(const atea_appraisal *a, const submod_entry *e)
{
    atea_ear_status st = ATEA_EAR_AFFIRMING;
    int any = 0;
    for (size_t i = 0; i < a->reason_count; i++) {
        const atea_appraisal_reason *r = &a->reasons[i]->reason;
        if (r->submod == e->name) {
            any = 1;
            st = worse(st, r->tier);
        }
    }
    if (!any) {
        return ATEA_EAR_NONE;
    }
    for (size_t i = 0; i < TVECTOR_COUNT; i++) {
        atea_ear_status t = atea_ear_tier_of_value(e->tvector[i]);
        /* A vector entry in the "none" range says nothing; it does not lower the status. */
        if ((e->tvector_set & (1u << i)) != 0 && t != ATEA_EAR_NONE) {
            st = worse(st, t);
        }
    }
    return st;
}

atea_ear_status atea_appraisal_status(const atea_appraisal *a)
{
    if (a == NULL || a->submod_count == 0) {
        return ATEA_EAR_NONE;
    }
    atea_ear_status st = ATEA_EAR_AFFIRMING;
    for (size_t i = 0; i < a->submod_count; i++) {
        st = worse(st, submod_status(a, &a->submods[i]));
    }
    for (size_t i = 0; i < a->reason_count; i++) {
        if (a->reasons[i]->reason.submod == NULL) {
            st = worse(st, a->reasons[i]->reason.tier);
        }
    }
    return st;
}

atea_ear_status atea_appraisal_submod_status(const atea_appraisal *a, const char *submod)
{
    const submod_entry *e = (a != NULL && submod != NULL) ? find_submod(a, submod) : NULL;
    return e != NULL ? submod_status(a, e) : ATEA_EAR_NONE;
}

size_t atea_appraisal_submod_count(const atea_appraisal *a)
{
    return a != NULL ? a->submod_count : 0;
}

const char *atea_appraisal_submod_name(const atea_appraisal *a, size_t i)
{
    return (a != NULL && i < a->submod_count) ? a->submods[i].name : NULL;
}

const char *atea_appraisal_submod_platform(const atea_appraisal *a, size_t i)
{
    return (a != NULL && i < a->submod_count) ? a->submods[i].platform : NULL;
}

int atea_appraisal_is_simulated(const atea_appraisal *a)
{
    for (size_t i = 0; a != NULL && i < a->submod_count; i++) {
        if (strcmp(a->submods[i].platform, "sim") == 0) {
            return 1;
        }
    }
    /* An attestation result can stand for simulated evidence appraised elsewhere (passport
     * model): its verifier records that as this reason. */
    return a != NULL && atea_appraisal_has_reason(a, ATEA_ERR_SIMULATED_TEE);
}

atea_err atea_appraisal_set_policy_id(atea_appraisal *a, const char *policy_id)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(a != NULL && policy_id != NULL, ATEA_ERR_INVALID_ARG);
    size_t len = strnlen(policy_id, ATEA_APPRAISAL_MAX_POLICY_ID + 1);
    ATEA_ENSURE_MSG(len >= 1 && len <= ATEA_APPRAISAL_MAX_POLICY_ID, ATEA_ERR_TOO_LARGE,
                    "policy id must be 1..%d bytes", ATEA_APPRAISAL_MAX_POLICY_ID);
    memcpy(a->policy_id, policy_id, len + 1);
    scrub_controls(a->policy_id);
out:
    return err;
}

const atea_claim *atea_appraisal_find_claim(const atea_appraisal *a, const char *submod,
                                            const char *name)
{
    for (size_t i = 0; a != NULL && submod != NULL && name != NULL && i < a->claim_count; i++) {
        const atea_claim *c = &a->claims[i]->claim;
        if (strcmp(c->submod, submod) == 0 && strcmp(c->name, name) == 0) {
            return c;
        }
    }
    return NULL;
}

size_t atea_appraisal_claim_count(const atea_appraisal *a)
{
    return a != NULL ? a->claim_count : 0;
}

const atea_claim *atea_appraisal_claim_at(const atea_appraisal *a, size_t i)
{
    return (a != NULL && i < a->claim_count) ? &a->claims[i]->claim : NULL;
}

size_t atea_appraisal_reason_count(const atea_appraisal *a)
{
    return a != NULL ? a->reason_count : 0;
}

const atea_appraisal_reason *atea_appraisal_reason_at(const atea_appraisal *a, size_t i)
{
    return (a != NULL && i < a->reason_count) ? &a->reasons[i]->reason : NULL;
}

int atea_appraisal_has_reason(const atea_appraisal *a, atea_err code)
{
    for (size_t i = 0; a != NULL && i < a->reason_count; i++) {
        if (a->reasons[i]->reason.code == code) {
            return 1;
        }
    }
    return 0;
}

/* ---- EAR-shaped JSON (docs/POLICY.md "The appraisal result") ---- */

/* The legacy Veraison profile and its dotted claim names: the generation that existing EAR
 * tooling (veraison/ear, rust-ear, c-ear) reads (specs.md §5.2, interop table). */
#define EAR_PROFILE "tag:github.com,2023:veraison/ear"
#define EAR_DEVELOPER "https://github.com/atea"
#define EAR_BUILD "atea 0.1.0"

/* Builds collect allocation failures in one flag instead of checking each jansson call. */
typedef struct json_builder {
    int failed;
} json_builder;

static void jset(json_builder *b, json_t *obj, const char *key, json_t *value)
{
    /* json_object_set_new takes ownership of value even on failure, and fails on NULL value;
     * without an object (out of memory) the value is released here. */
    if (obj == NULL) {
        json_decref(value);
        b->failed = 1;
    } else if (json_object_set_new(obj, key, value) != 0) {
        b->failed = 1;
    }
}

static void jappend(json_builder *b, json_t *arr, json_t *value)
{
    if (arr == NULL) {
        json_decref(value);
        b->failed = 1;
    } else if (json_array_append_new(arr, value) != 0) {
        b->failed = 1;
    }
}

/* Strings are scrubbed of control bytes on entry but may still be invalid UTF-8 (text from
 * evidence); those become ASCII with '?' for every byte >= 0x80 rather than failing the output. */
static json_t *jtext(const char *s)
{
    json_t *v = json_string(s);
    if (v != NULL) {
        return v;
    }
    size_t len = strlen(s);
    char *copy = malloc(len + 1);
    if (copy == NULL) {
        return NULL;
    }
    for (size_t i = 0; i <= len; i++) {
        copy[i] = ((unsigned char)s[i] >= 0x80) ? '?' : s[i];
    }
    v = json_string(copy);
    free(copy);
    return v;
}

static json_t *claim_value_json(const atea_claim *c)
{
    switch (c->type) {
    case ATEA_CLAIM_BYTES: {
        size_t n = 2 * c->bytes.len + 1;
        char *hex = malloc(n);
        json_t *v = NULL;
        if (hex != NULL && atea_hex_encode(c->bytes.data, c->bytes.len, hex, n) == ATEA_OK) {
            v = json_string(hex);
        }
        free(hex);
        return v;
    }
    case ATEA_CLAIM_INT:
        return json_integer((json_int_t)c->i);
    case ATEA_CLAIM_STR:
        return jtext(c->str);
    case ATEA_CLAIM_BOOL:
        return json_boolean(c->i != 0);
    }
    return NULL;
}

static json_t *reason_json(json_builder *b, const atea_appraisal_reason *r)
{
    json_t *o = json_object();
    jset(b, o, "code", json_string(atea_err_name(r->code)));
    jset(b, o, "value", json_integer(r->code));
    jset(b, o, "tier", json_string(atea_ear_status_name(r->tier)));
    jset(b, o, "message", jtext(r->message));
    return o;
}

/* The reasons that belong to submod (NULL: the top-level ones), in recording order. */
static json_t *reasons_json(json_builder *b, const atea_appraisal *a, const char *submod)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < a->reason_count; i++) {
        const atea_appraisal_reason *r = &a->reasons[i]->reason;
        if (r->submod == submod) {
            jappend(b, arr, reason_json(b, r));
        }
    }
    return arr;
}

static json_t *submod_json(json_builder *b, const atea_appraisal *a, const submod_entry *e)
{
    json_t *o = json_object();
    jset(b, o, "ear.status", json_string(atea_ear_status_name(submod_status(a, e))));
    if (e->tvector_set != 0) {
        json_t *tv = json_object();
        for (size_t i = 0; i < TVECTOR_COUNT; i++) {
            if ((e->tvector_set & (1u << i)) != 0) {
                jset(b, tv, tvector_categories[i], json_integer(e->tvector[i]));
            }
        }
        jset(b, o, "ear.trustworthiness-vector", tv);
    }
    jset(b, o, "ear.appraisal-policy-id", jtext(a->policy_id));
    jset(b, o, "atea.platform", json_string(e->platform));
    json_t *claims = json_object();
    for (size_t i = 0; i < a->claim_count; i++) {
        const atea_claim *c = &a->claims[i]->claim;
        if (c->submod == e->name) {
            jset(b, claims, c->name, claim_value_json(c));
        }
    }
    jset(b, o, "atea.claims", claims);
    jset(b, o, "atea.reasons", reasons_json(b, a, e->name));
    return o;
}

atea_err atea_appraisal_to_json(const atea_appraisal *a, int64_t iat, atea_buf *json)
{
    atea_err err = ATEA_OK;
    json_builder b = {0};
    json_t *root = NULL;
    char *text = NULL;
    ATEA_ENSURE(a != NULL && json != NULL, ATEA_ERR_INVALID_ARG);
    root = json_object();
    jset(&b, root, "eat_profile", json_string(EAR_PROFILE));
    jset(&b, root, "iat", json_integer((json_int_t)iat));
    jset(&b, root, "ear.status", json_string(atea_ear_status_name(atea_appraisal_status(a))));
    json_t *vid = json_object();
    jset(&b, vid, "developer", json_string(EAR_DEVELOPER));
    jset(&b, vid, "build", json_string(EAR_BUILD));
    jset(&b, root, "ear.verifier-id", vid);
    if (atea_appraisal_is_simulated(a)) {
        jset(&b, root, "atea.simulated", json_true());
    }
    json_t *submods = json_object();
    for (size_t i = 0; i < a->submod_count; i++) {
        jset(&b, submods, a->submods[i].name, submod_json(&b, a, &a->submods[i]));
    }
    jset(&b, root, "submods", submods);
    jset(&b, root, "atea.reasons", reasons_json(&b, a, NULL));
    ATEA_ENSURE_MSG(!b.failed, ATEA_ERR_NO_MEMORY, "building the appraisal JSON");
    text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    ATEA_ENSURE_ALLOC(text);
    json->data = (uint8_t *)text;
    json->len = strlen(text);
    text = NULL;
out:
    free(text);
    json_decref(root);
    return err;
}
