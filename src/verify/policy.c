/*
 * Loading an atea policy (include/atea/policy.h, docs/POLICY.md). Strict by design: a policy is a
 * security decision, so an unknown key, a wrong type or an empty list is an error that names the
 * line and the JSON path, never something silently ignored.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "atea/ear.h"
#include "core/check.h"
#include "verify/policy.h"

#define POLICY_VERSION 1
#define MAX_PATH_LEN 4096
#define MAX_PEM_FILE (64u * 1024u)

static const struct {
    const char *key;
    const char *platform;
} platform_table[POLICY_PLATFORM_COUNT] = {
    [POLICY_TDX] = {"tdx", "intel-tdx"}, [POLICY_SNP] = {"snp", "amd-sev-snp"},
    [POLICY_CCA] = {"cca", "arm-cca"},   [POLICY_TPM] = {"tpm", "tpm2"},
    [POLICY_SIM] = {"sim", "sim"},       [POLICY_EAR] = {"ear", "ear"},
};

const char *atea__policy_platform_key(policy_platform p)
{
    return platform_table[p].key;
}

const char *atea__policy_platform_name(policy_platform p)
{
    return platform_table[p].platform;
}

typedef struct load_ctx {
    const char *text;
    size_t len;
    const char *name;
    const char *base_dir;
    atea_policy_diag *diag;
    char path[160];
} load_ctx;

/* ---- diagnostics: every semantic error carries the line of the member and its JSON path ---- */

static atea_err policy_fail(load_ctx *ctx, atea_err code, const char *fmt, ...) ATEA_PRINTF(3, 4);

static atea_err policy_fail(load_ctx *ctx, atea_err code, const char *fmt, ...)
{
    char msg[240];
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    int column = 0;
    int line = atea__json_line_of(ctx->text, ctx->len, ctx->path, &column);
    if (ctx->diag != NULL) {
        ctx->diag->line = line;
        ctx->diag->column = column;
        (void)snprintf(ctx->diag->path, sizeof(ctx->diag->path), "%s", ctx->path);
    }
    return atea__err_set(code, __FILE__, __LINE__, "%s:%d: %s: %s", ctx->name, line, ctx->path,
                         msg);
}

static size_t path_push_key(load_ctx *ctx, const char *key)
{
    size_t mark = strlen(ctx->path);
    (void)snprintf(ctx->path + mark, sizeof(ctx->path) - mark, "%s%s", mark > 0 ? "." : "", key);
    return mark;
}

static size_t path_push_index(load_ctx *ctx, size_t i)
{
    size_t mark = strlen(ctx->path);
    (void)snprintf(ctx->path + mark, sizeof(ctx->path) - mark, "[%zu]", i);
    return mark;
}

static void path_pop(load_ctx *ctx, size_t mark)
{
    ctx->path[mark] = '\0';
}

/* ---- typed readers ---- */

static atea_err read_bool(load_ctx *ctx, const json_t *v, int *out)
{
    atea_err err = ATEA_OK;
    if (!json_is_boolean(v)) {
        ATEA_TRY(policy_fail(ctx, ATEA_ERR_POLICY_VALUE, "expected true or false"));
    }
    *out = json_is_true(v);
out:
    return err;
}

static atea_err read_int(load_ctx *ctx, const json_t *v, int64_t *out)
{
    atea_err err = ATEA_OK;
    if (!json_is_integer(v)) {
        ATEA_TRY(policy_fail(ctx, ATEA_ERR_POLICY_VALUE, "expected an integer"));
    }
    *out = (int64_t)json_integer_value(v);
out:
    return err;
}

static atea_err read_text(load_ctx *ctx, const json_t *v, size_t max, const char **out)
{
    atea_err err = ATEA_OK;
    if (!json_is_string(v)) {
        ATEA_TRY(policy_fail(ctx, ATEA_ERR_POLICY_VALUE, "expected a string"));
    }
    size_t len = json_string_length(v);
    if (len == 0 || len > max || strlen(json_string_value(v)) != len) {
        ATEA_TRY(policy_fail(ctx, ATEA_ERR_POLICY_VALUE, "expected a string of 1..%zu bytes", max));
    }
    *out = json_string_value(v);
out:
    return err;
}

static atea_err read_claim_name(load_ctx *ctx, const char *name,
                                char out[ATEA_APPRAISAL_MAX_NAME + 1])
{
    atea_err err = ATEA_OK;
    if (!atea_appraisal_name_valid(name)) {
        ATEA_TRY(policy_fail(ctx, ATEA_ERR_POLICY_VALUE,
                             "'%.64s' is not a claim name (lowercase [a-z0-9_.-], 1..%d bytes)",
                             name, ATEA_APPRAISAL_MAX_NAME));
    }
    memcpy(out, name, strlen(name) + 1);
out:
    return err;
}

/* A list (JSON array) of 1..max entries. */
static atea_err check_list(load_ctx *ctx, const json_t *v, size_t max)
{
    atea_err err = ATEA_OK;
    if (!json_is_array(v)) {
        ATEA_TRY(policy_fail(ctx, ATEA_ERR_POLICY_VALUE, "expected a list [ ... ]"));
    }
    if (json_array_size(v) == 0) {
        ATEA_TRY(policy_fail(ctx, ATEA_ERR_POLICY_VALUE,
                             "the list is empty: remove the key or give at least one value"));
    }
    if (json_array_size(v) > max) {
        ATEA_TRY(policy_fail(ctx, ATEA_ERR_POLICY_TOO_LARGE, "%zu entries, at most %zu allowed",
                             json_array_size(v), max));
    }
out:
    return err;
}

/* An object (JSON map) of at most max members. */
static atea_err check_object(load_ctx *ctx, const json_t *v, size_t max)
{
    atea_err err = ATEA_OK;
    if (!json_is_object(v)) {
        ATEA_TRY(policy_fail(ctx, ATEA_ERR_POLICY_VALUE, "expected an object { ... }"));
    }
    if (json_object_size(v) > max) {
        ATEA_TRY(policy_fail(ctx, ATEA_ERR_POLICY_TOO_LARGE, "%zu members, at most %zu allowed",
                             json_object_size(v), max));
    }
out:
    return err;
}

/* Only regular files: a policy naming /dev/zero or a FIFO must fail, not hang. */
static atea_err read_file_capped(const char *path, size_t cap, atea_buf *out)
{
    atea_err err = ATEA_OK;
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL;
    struct stat st;
    ATEA_ENSURE_MSG(f != NULL, ATEA_ERR_POLICY_READ, "%s: %s", path, strerror(errno));
    ATEA_ENSURE_MSG(fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode), ATEA_ERR_POLICY_READ,
                    "%s is not a regular file", path);
    data = malloc(cap + 1);
    ATEA_ENSURE_ALLOC(data);
    size_t n = fread(data, 1, cap + 1, f);
    ATEA_ENSURE_MSG(!ferror(f), ATEA_ERR_POLICY_READ, "%s: read error", path);
    ATEA_ENSURE_MSG(n <= cap, ATEA_ERR_POLICY_TOO_LARGE, "%s is larger than %zu bytes", path, cap);
    out->data = data;
    out->len = n;
    data = NULL;
out:
    free(data);
    if (f != NULL) {
        fclose(f);
    }
    return err;
}

/* Relative names in a policy are relative to the policy file, not the working directory. */
static atea_err resolve_path(load_ctx *ctx, const char *name, char *out, size_t out_size)
{
    atea_err err = ATEA_OK;
    int n;
    if (name[0] == '/' || ctx->base_dir == NULL || ctx->base_dir[0] == '\0') {
        n = snprintf(out, out_size, "%s", name);
    } else {
        n = snprintf(out, out_size, "%s/%s", ctx->base_dir, name);
    }
    if (n < 0 || (size_t)n >= out_size) {
        ATEA_TRY(policy_fail(ctx, ATEA_ERR_POLICY_VALUE, "file name too long"));
    }
out:
    return err;
}

/* SHA-256 of the SubjectPublicKeyInfo in a PEM file holding a certificate or a public key. */
static atea_err pem_spki_sha256(load_ctx *ctx, const char *file, uint8_t digest[32])
{
    atea_err err = ATEA_OK;
    atea_buf pem = {0};
    BIO *bio = NULL;
    X509 *cert = NULL;
    EVP_PKEY *key = NULL;
    unsigned char *der = NULL;
    if (read_file_capped(file, MAX_PEM_FILE, &pem) != ATEA_OK) {
        ATEA_TRY(policy_fail(ctx, ATEA_ERR_POLICY_READ, "cannot read %s: %s", file,
                             atea_err_last()->detail));
    }
    bio = BIO_new_mem_buf(pem.data, (int)pem.len);
    ATEA_ENSURE_ALLOC(bio);
    cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
    if (cert != NULL) {
        key = X509_get_pubkey(cert);
    } else {
        (void)BIO_reset(bio);
        key = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
    }
    if (key == NULL) {
        ATEA_TRY(policy_fail(ctx, ATEA_ERR_POLICY_READ, "%s holds no PEM certificate or public key",
                             file));
    }
    int der_len = i2d_PUBKEY(key, &der);
    ATEA_ENSURE(der_len > 0, ATEA_ERR_NO_MEMORY);
    unsigned int md_len = 0;
    ATEA_ENSURE(EVP_Digest(der, (size_t)der_len, digest, &md_len, EVP_sha256(), NULL) == 1 &&
                    md_len == 32,
                ATEA_ERR_INTERNAL);
out:
    OPENSSL_free(der);
    EVP_PKEY_free(key);
    X509_free(cert);
    BIO_free(bio);
    atea_buf_free(&pem);
    return err;
}

/* ---- rule sections ---- */

static atea_err read_ref_value(load_ctx *ctx, const json_t *v, policy_value *pv)
{
    atea_err err = ATEA_OK;
    if (json_is_string(v)) {
        const char *text = NULL;
        ATEA_TRY(read_text(ctx, v, 2 * ATEA_POLICY_MAX_VALUE_LEN, &text));
        pv->text = strdup(text);
        ATEA_ENSURE_ALLOC(pv->text);
        pv->kind = POLICY_VALUE_TEXT;
        /* Hex or not is decided when compared: "UpToDate" is text, "1a2b" may be either. */
        if (atea_hex_decode(text, strlen(text), &pv->bytes) != ATEA_OK) {
            pv->bytes.data = NULL;
            pv->bytes.len = 0;
        }
    } else if (json_is_integer(v)) {
        pv->kind = POLICY_VALUE_INT;
        pv->i = (int64_t)json_integer_value(v);
    } else if (json_is_boolean(v)) {
        pv->kind = POLICY_VALUE_BOOL;
        pv->i = json_is_true(v);
    } else {
        ATEA_TRY(policy_fail(ctx, ATEA_ERR_POLICY_VALUE,
                             "a reference value must be a string (hex for bytes), an integer or a "
                             "boolean"));
    }
out:
    return err;
}

static atea_err read_refs(load_ctx *ctx, const json_t *obj, policy_platform_rules *r)
{
    atea_err err = ATEA_OK;
    const char *claim;
    const json_t *list;
    ATEA_TRY(check_object(ctx, obj, ATEA_POLICY_MAX_RULES));
    json_object_foreach((json_t *)obj, claim, list)
    {
        size_t mark = path_push_key(ctx, claim);
        policy_ref_rule *rule = &r->refs[r->ref_count];
        ATEA_TRY(read_claim_name(ctx, claim, rule->claim));
        ATEA_TRY(check_list(ctx, list, ATEA_POLICY_MAX_VALUES));
        rule->values = calloc(json_array_size(list), sizeof(*rule->values));
        ATEA_ENSURE_ALLOC(rule->values);
        r->ref_count++;
        for (size_t i = 0; i < json_array_size(list); i++) {
            size_t imark = path_push_index(ctx, i);
            ATEA_TRY(read_ref_value(ctx, json_array_get(list, i), &rule->values[i]));
            rule->count++;
            path_pop(ctx, imark);
        }
        path_pop(ctx, mark);
    }
out:
    return err;
}

static atea_err read_mins(load_ctx *ctx, const json_t *obj, policy_platform_rules *r)
{
    atea_err err = ATEA_OK;
    const char *claim;
    const json_t *v;
    ATEA_TRY(check_object(ctx, obj, ATEA_POLICY_MAX_RULES));
    json_object_foreach((json_t *)obj, claim, v)
    {
        size_t mark = path_push_key(ctx, claim);
        policy_min_rule *rule = &r->mins[r->min_count];
        ATEA_TRY(read_claim_name(ctx, claim, rule->claim));
        ATEA_TRY(read_int(ctx, v, &rule->min));
        r->min_count++;
        path_pop(ctx, mark);
    }
out:
    return err;
}

static atea_err read_required(load_ctx *ctx, const json_t *list, policy_platform_rules *r)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(check_list(ctx, list, ATEA_POLICY_MAX_RULES));
    for (size_t i = 0; i < json_array_size(list); i++) {
        size_t mark = path_push_index(ctx, i);
        const char *name = NULL;
        ATEA_TRY(read_text(ctx, json_array_get(list, i), ATEA_APPRAISAL_MAX_NAME + 1, &name));
        ATEA_TRY(read_claim_name(ctx, name, r->required[r->required_count]));
        r->required_count++;
        path_pop(ctx, mark);
    }
out:
    return err;
}

static atea_err read_tcb_statuses(load_ctx *ctx, const json_t *list, policy_platform_rules *r)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(check_list(ctx, list, ATEA_POLICY_MAX_RULES));
    r->has_tcb_statuses = 1;
    for (size_t i = 0; i < json_array_size(list); i++) {
        size_t mark = path_push_index(ctx, i);
        const char *status = NULL;
        ATEA_TRY(read_text(ctx, json_array_get(list, i), ATEA_APPRAISAL_MAX_CLAIM_STR, &status));
        r->tcb_statuses[r->tcb_count] = strdup(status);
        ATEA_ENSURE_ALLOC(r->tcb_statuses[r->tcb_count]);
        r->tcb_count++;
        path_pop(ctx, mark);
    }
out:
    return err;
}

static atea_err add_anchor(load_ctx *ctx, policy_platform_rules *r, const uint8_t digest[32])
{
    atea_err err = ATEA_OK;
    if (r->anchor_count >= ATEA_POLICY_MAX_ANCHORS) {
        ATEA_TRY(policy_fail(ctx, ATEA_ERR_POLICY_TOO_LARGE, "more than %d trust anchors",
                             ATEA_POLICY_MAX_ANCHORS));
    }
    memcpy(r->anchors + 32 * r->anchor_count, digest, 32);
    r->anchor_count++;
out:
    return err;
}

/* A list of SHA-256 digests of SubjectPublicKeyInfo DER, in hex. */
static atea_err read_hash_anchors(load_ctx *ctx, const json_t *list, policy_platform_rules *r)
{
    atea_err err = ATEA_OK;
    atea_buf digest = {0};
    ATEA_TRY(check_list(ctx, list, ATEA_POLICY_MAX_ANCHORS));
    for (size_t i = 0; i < json_array_size(list); i++) {
        size_t mark = path_push_index(ctx, i);
        const char *hex = NULL;
        ATEA_TRY(read_text(ctx, json_array_get(list, i), 256, &hex));
        if (atea_hex_decode(hex, strlen(hex), &digest) != ATEA_OK || digest.len != 32) {
            ATEA_TRY(policy_fail(ctx, ATEA_ERR_POLICY_VALUE,
                                 "expected 64 hex digits (a SHA-256 of the key's DER "
                                 "SubjectPublicKeyInfo)"));
        }
        ATEA_TRY(add_anchor(ctx, r, digest.data));
        atea_buf_free(&digest);
        path_pop(ctx, mark);
    }
out:
    atea_buf_free(&digest);
    return err;
}

static atea_err read_pem_anchors(load_ctx *ctx, const json_t *list, policy_platform_rules *r)
{
    atea_err err = ATEA_OK;
    char file[MAX_PATH_LEN];
    ATEA_TRY(check_list(ctx, list, ATEA_POLICY_MAX_ANCHORS));
    for (size_t i = 0; i < json_array_size(list); i++) {
        size_t mark = path_push_index(ctx, i);
        const char *name = NULL;
        uint8_t digest[32];
        ATEA_TRY(read_text(ctx, json_array_get(list, i), MAX_PATH_LEN - 1, &name));
        ATEA_TRY(resolve_path(ctx, name, file, sizeof(file)));
        ATEA_TRY(pem_spki_sha256(ctx, file, digest));
        ATEA_TRY(add_anchor(ctx, r, digest));
        path_pop(ctx, mark);
    }
out:
    return err;
}

static atea_err read_cpak(load_ctx *ctx, const json_t *v, policy_platform_rules *r)
{
    atea_err err = ATEA_OK;
    char file[MAX_PATH_LEN];
    uint8_t digest[32];
    const char *name = NULL;
    ATEA_TRY(read_text(ctx, v, MAX_PATH_LEN - 1, &name));
    ATEA_TRY(resolve_path(ctx, name, file, sizeof(file)));
    /* Parse it now, so that a wrong path fails at load time with a line, not at first use. */
    ATEA_TRY(pem_spki_sha256(ctx, file, digest));
    free(r->cpak_pem);
    r->cpak_pem = strdup(file);
    ATEA_ENSURE_ALLOC(r->cpak_pem);
out:
    return err;
}

/* EAR signature algorithms the relying party accepts: "ES256", "ES384" (include/atea/ear.h). */
static atea_err read_ear_algs(load_ctx *ctx, const json_t *list, policy_platform_rules *r)
{
    atea_err err = ATEA_OK;
    static const struct {
        const char *name;
        atea_ear_alg alg;
    } names[] = {{"ES256", ATEA_EAR_ALG_ES256}, {"ES384", ATEA_EAR_ALG_ES384}};
    ATEA_TRY(check_list(ctx, list, ATEA_ARRAY_LEN(names)));
    for (size_t i = 0; i < json_array_size(list); i++) {
        size_t mark = path_push_index(ctx, i);
        const char *name = NULL;
        size_t k = 0;
        ATEA_TRY(read_text(ctx, json_array_get(list, i), 16, &name));
        while (k < ATEA_ARRAY_LEN(names) && strcmp(names[k].name, name) != 0) {
            k++;
        }
        if (k == ATEA_ARRAY_LEN(names)) {
            ATEA_TRY(policy_fail(ctx, ATEA_ERR_POLICY_VALUE,
                                 "EAR algorithm '%s' is not ES256 or ES384", name));
        }
        r->ear_algs |= ATEA_EAR_ALG_BIT(names[k].alg);
        path_pop(ctx, mark);
    }
out:
    return err;
}

/* ---- platforms ---- */

/* Keys that only some platforms take; anywhere else they are an error with a pointed message. */
static atea_err read_platform_specific(load_ctx *ctx, policy_platform which, const char *key,
                                       const json_t *v, policy_platform_rules *r)
{
    atea_err err = ATEA_OK;
    if (which == POLICY_SIM && strcmp(key, "trusted") == 0) {
        ATEA_TRY(read_bool(ctx, v, &r->trusted));
    } else if (which == POLICY_SIM && strcmp(key, "root_sha256") == 0) {
        ATEA_TRY(read_hash_anchors(ctx, v, r));
    } else if (which == POLICY_SIM && strcmp(key, "root_pem") == 0) {
        ATEA_TRY(read_pem_anchors(ctx, v, r));
    } else if (which == POLICY_TPM && strcmp(key, "ak_spki_sha256") == 0) {
        ATEA_TRY(read_hash_anchors(ctx, v, r));
    } else if (which == POLICY_CCA && strcmp(key, "cpak_pem") == 0) {
        ATEA_TRY(read_cpak(ctx, v, r));
    } else if (which == POLICY_EAR && strcmp(key, "verifier_key_sha256") == 0) {
        ATEA_TRY(read_hash_anchors(ctx, v, r));
    } else if (which == POLICY_EAR && strcmp(key, "verifier_key_pem") == 0) {
        ATEA_TRY(read_pem_anchors(ctx, v, r));
    } else if (which == POLICY_EAR && strcmp(key, "algorithms") == 0) {
        ATEA_TRY(read_ear_algs(ctx, v, r));
    } else if ((which == POLICY_TDX || which == POLICY_SNP) &&
               (strstr(key, "root") != NULL || strstr(key, "anchor") != NULL ||
                strstr(key, "cert") != NULL)) {
        ATEA_TRY(policy_fail(ctx, ATEA_ERR_POLICY_UNKNOWN_KEY,
                             "unknown key '%s': %s vendor roots are pinned in atea and cannot be "
                             "replaced; a policy can only restrict (reference_values, "
                             "minimum_values, required_claims, tcb_statuses, debug_forbidden)",
                             key, platform_table[which].key));
    } else {
        ATEA_TRY(policy_fail(ctx, ATEA_ERR_POLICY_UNKNOWN_KEY,
                             "unknown key '%s' for platform %s (docs/POLICY.md lists the keys)",
                             key, platform_table[which].key));
    }
out:
    return err;
}

static atea_err read_platform(load_ctx *ctx, policy_platform which, const json_t *obj,
                              policy_platform_rules *r)
{
    atea_err err = ATEA_OK;
    const char *key;
    const json_t *v;
    ATEA_TRY(check_object(ctx, obj, ATEA_POLICY_MAX_RULES));
    r->listed = 1;
    json_object_foreach((json_t *)obj, key, v)
    {
        size_t mark = path_push_key(ctx, key);
        if (strcmp(key, "reference_values") == 0) {
            ATEA_TRY(read_refs(ctx, v, r));
        } else if (strcmp(key, "minimum_values") == 0) {
            ATEA_TRY(read_mins(ctx, v, r));
        } else if (strcmp(key, "required_claims") == 0) {
            ATEA_TRY(read_required(ctx, v, r));
        } else if (strcmp(key, "tcb_statuses") == 0) {
            ATEA_TRY(read_tcb_statuses(ctx, v, r));
        } else if (strcmp(key, "debug_forbidden") == 0) {
            ATEA_TRY(read_bool(ctx, v, &r->debug_forbidden));
        } else {
            ATEA_TRY(read_platform_specific(ctx, which, key, v, r));
        }
        path_pop(ctx, mark);
    }
    /* Trusting the simulator must name the exact root: "trust any sim" is never a policy. */
    if (which == POLICY_SIM && r->trusted && r->anchor_count == 0) {
        ATEA_TRY(policy_fail(ctx, ATEA_ERR_POLICY_VALUE,
                             "sim.trusted is true but neither root_sha256 nor root_pem names the "
                             "sim root to trust"));
    }
out:
    return err;
}

static atea_err read_platforms(load_ctx *ctx, const json_t *obj, atea_policy *p)
{
    atea_err err = ATEA_OK;
    const char *key;
    const json_t *v;
    ATEA_TRY(check_object(ctx, obj, POLICY_PLATFORM_COUNT));
    p->lists_platforms = 1;
    json_object_foreach((json_t *)obj, key, v)
    {
        size_t mark = path_push_key(ctx, key);
        size_t which = 0;
        while (which < POLICY_PLATFORM_COUNT && strcmp(platform_table[which].key, key) != 0) {
            which++;
        }
        if (which == POLICY_PLATFORM_COUNT) {
            ATEA_TRY(policy_fail(ctx, ATEA_ERR_POLICY_UNKNOWN_KEY,
                                 "unknown platform '%s' (tdx, snp, cca, tpm, sim, ear)", key));
        }
        ATEA_TRY(read_platform(ctx, (policy_platform)which, v, &p->platforms[which]));
        path_pop(ctx, mark);
    }
out:
    return err;
}

static atea_err read_root(load_ctx *ctx, const json_t *root, atea_policy *p)
{
    atea_err err = ATEA_OK;
    const char *key;
    const json_t *v;
    ATEA_TRY(check_object(ctx, root, 16));
    json_object_foreach((json_t *)root, key, v)
    {
        size_t mark = path_push_key(ctx, key);
        const char *text = NULL;
        int64_t version = 0;
        if (strcmp(key, "version") == 0) {
            ATEA_TRY(read_int(ctx, v, &version));
            if (version != POLICY_VERSION) {
                ATEA_TRY(policy_fail(ctx, ATEA_ERR_POLICY_VALUE,
                                     "policy version %lld is not supported (this atea reads %d)",
                                     (long long)version, POLICY_VERSION));
            }
        } else if (strcmp(key, "id") == 0) {
            ATEA_TRY(read_text(ctx, v, ATEA_APPRAISAL_MAX_POLICY_ID, &text));
            memcpy(p->id, text, strlen(text) + 1);
        } else if (strcmp(key, "description") == 0) {
            ATEA_TRY(read_text(ctx, v, 4096, &text));
        } else if (strcmp(key, "accept_warning") == 0) {
            ATEA_TRY(read_bool(ctx, v, &p->accept_warning));
        } else if (strcmp(key, "debug_forbidden") == 0) {
            ATEA_TRY(read_bool(ctx, v, &p->debug_forbidden));
        } else if (strcmp(key, "platforms") == 0) {
            ATEA_TRY(read_platforms(ctx, v, p));
        } else {
            ATEA_TRY(policy_fail(ctx, ATEA_ERR_POLICY_UNKNOWN_KEY,
                                 "unknown key '%s' (version, id, description, accept_warning, "
                                 "debug_forbidden, platforms)",
                                 key));
        }
        path_pop(ctx, mark);
    }
out:
    return err;
}

/* ---- lifecycle ---- */

static atea_err policy_alloc(const char *source, atea_policy **pp)
{
    atea_err err = ATEA_OK;
    atea_policy *p = calloc(1, sizeof(*p));
    ATEA_ENSURE_ALLOC(p);
    p->debug_forbidden = 1;
    for (size_t i = 0; i < POLICY_PLATFORM_COUNT; i++) {
        p->platforms[i].debug_forbidden = -1;
    }
    (void)snprintf(p->source, sizeof(p->source), "%s", source);
    *pp = p;
out:
    return err;
}

atea_err atea_policy_new_default(atea_policy **ppolicy)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(ppolicy != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(policy_alloc("the default policy", ppolicy));
    (void)snprintf((*ppolicy)->id, sizeof((*ppolicy)->id), "atea:default-policy");
out:
    return err;
}

void atea_policy_free(atea_policy *p)
{
    if (p == NULL) {
        return;
    }
    for (size_t i = 0; i < POLICY_PLATFORM_COUNT; i++) {
        policy_platform_rules *r = &p->platforms[i];
        for (size_t j = 0; j < r->ref_count; j++) {
            for (size_t k = 0; k < r->refs[j].count; k++) {
                free(r->refs[j].values[k].text);
                atea_buf_free(&r->refs[j].values[k].bytes);
            }
            free(r->refs[j].values);
        }
        for (size_t j = 0; j < r->tcb_count; j++) {
            free(r->tcb_statuses[j]);
        }
        free(r->cpak_pem);
    }
    free(p);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

atea_err atea_policy_load_mem(const char *json, size_t len, const char *name, const char *base_dir,
                              atea_policy **ppolicy, atea_policy_diag *diag)
{
    atea_err err = ATEA_OK;
    atea_policy *p = NULL;
    json_t *root = NULL;
    load_ctx ctx = {.text = json, .len = len, .name = name, .base_dir = base_dir, .diag = diag};
    ATEA_ENSURE(json != NULL && ppolicy != NULL, ATEA_ERR_INVALID_ARG);
    if (ctx.name == NULL) {
        ctx.name = "policy";
    }
    if (diag != NULL) {
        memset(diag, 0, sizeof(*diag));
    }
    ATEA_ENSURE_MSG(len <= ATEA_POLICY_MAX_BYTES, ATEA_ERR_POLICY_TOO_LARGE,
                    "%s is %zu bytes, at most %u allowed", ctx.name, len, ATEA_POLICY_MAX_BYTES);
    json_error_t jerr;
    root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        if (diag != NULL) {
            diag->line = jerr.line;
            diag->column = jerr.column;
        }
        ATEA_FAIL(ATEA_ERR_POLICY_SYNTAX, "%s:%d:%d: %s", ctx.name, jerr.line, jerr.column,
                  jerr.text);
    }
    ATEA_TRY(policy_alloc(ctx.name, &p));
    ATEA_TRY(read_root(&ctx, root, p));
    if (p->id[0] == '\0') {
        (void)snprintf(p->id, sizeof(p->id), "file:%s", base_name(ctx.name));
    }
    *ppolicy = p;
    p = NULL;
out:
    json_decref(root);
    atea_policy_free(p);
    return err;
}

atea_err atea_policy_load_file(const char *path, atea_policy **ppolicy, atea_policy_diag *diag)
{
    atea_err err = ATEA_OK;
    atea_buf text = {0};
    char dir[MAX_PATH_LEN];
    ATEA_ENSURE(path != NULL && ppolicy != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(strlen(path) < sizeof(dir), ATEA_ERR_POLICY_READ, "policy path too long");
    ATEA_TRY(read_file_capped(path, ATEA_POLICY_MAX_BYTES, &text));
    memcpy(dir, path, strlen(path) + 1);
    char *slash = strrchr(dir, '/');
    if (slash != NULL) {
        *slash = '\0';
    }
    ATEA_TRY(atea_policy_load_mem((const char *)text.data, text.len, base_name(path),
                                  slash != NULL ? (dir[0] != '\0' ? dir : "/") : NULL, ppolicy,
                                  diag));
out:
    atea_buf_free(&text);
    return err;
}

/* ---- accessors ---- */

const char *atea_policy_id(const atea_policy *p)
{
    return p != NULL ? p->id : "";
}

int atea_policy_accepts_warning(const atea_policy *p)
{
    return p != NULL && p->accept_warning;
}

int atea_policy_platform_allowed(const atea_policy *p, const char *platform)
{
    for (size_t i = 0; p != NULL && platform != NULL && i < POLICY_PLATFORM_COUNT; i++) {
        if (strcmp(platform_table[i].key, platform) != 0) {
            continue;
        }
        const policy_platform_rules *r = &p->platforms[i];
        if (i == POLICY_SIM) {
            return r->trusted;
        }
        return !p->lists_platforms || r->listed;
    }
    return 0;
}

static int anchor_listed(const policy_platform_rules *r, const uint8_t digest[32])
{
    for (size_t i = 0; i < r->anchor_count; i++) {
        if (memcmp(r->anchors + 32 * i, digest, 32) == 0) {
            return 1;
        }
    }
    return 0;
}

int atea_policy_sim_root_trusted(const atea_policy *p, const uint8_t spki_sha256[32])
{
    return p != NULL && spki_sha256 != NULL && p->platforms[POLICY_SIM].trusted &&
           anchor_listed(&p->platforms[POLICY_SIM], spki_sha256);
}

const uint8_t *atea_policy_tpm_ak_sha256(const atea_policy *p, size_t *count)
{
    if (p == NULL || p->platforms[POLICY_TPM].anchor_count == 0) {
        if (count != NULL) {
            *count = 0;
        }
        return NULL;
    }
    if (count != NULL) {
        *count = p->platforms[POLICY_TPM].anchor_count;
    }
    return p->platforms[POLICY_TPM].anchors;
}

const char *atea_policy_cca_cpak_pem(const atea_policy *p)
{
    return p != NULL ? p->platforms[POLICY_CCA].cpak_pem : NULL;
}

atea_err atea_policy_ear_trust(const atea_policy *p, atea_ear_trust *trust)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(p != NULL && trust != NULL, ATEA_ERR_INVALID_ARG);
    const policy_platform_rules *r = &p->platforms[POLICY_EAR];
    trust->key_sha256 = r->anchor_count > 0 ? r->anchors : NULL;
    trust->count = r->anchor_count;
    trust->algs = r->ear_algs;
out:
    return err;
}
