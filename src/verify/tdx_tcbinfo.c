/*
 * Content of the TDX TCB info v3 and TD QE identity v2 documents (Intel PCS API v4; field names
 * as in Intel's SGX/TDX DCAP "TCB Info" and "Enclave Identity" schemas), read with jansson after
 * tdx_json.c has located the signed bytes. Every count is capped; every required field checked.
 */
#include <string.h>

#include <jansson.h>

#include "core/check.h"
#include "verify/tdx_internal.h"

static atea_err get_field(json_t *obj, const char *key, json_t **val)
{
    atea_err err = ATEA_OK;
    *val = json_object_get(obj, key);
    ATEA_ENSURE_MSG(*val != NULL, ATEA_ERR_TDX_BAD_COLLATERAL, "collateral lacks \"%s\"", key);
out:
    return err;
}

static atea_err get_int(json_t *obj, const char *key, int64_t min, int64_t max, int64_t *v)
{
    atea_err err = ATEA_OK;
    json_t *val = NULL;
    ATEA_TRY(get_field(obj, key, &val));
    ATEA_ENSURE_MSG(json_is_integer(val), ATEA_ERR_TDX_BAD_COLLATERAL,
                    "collateral \"%s\" is not an integer", key);
    *v = (int64_t)json_integer_value(val);
    ATEA_ENSURE_MSG(*v >= min && *v <= max, ATEA_ERR_TDX_BAD_COLLATERAL,
                    "collateral \"%s\" = %lld outside %lld..%lld", key, (long long)*v,
                    (long long)min, (long long)max);
out:
    return err;
}

static atea_err get_str(json_t *obj, const char *key, const char **s)
{
    atea_err err = ATEA_OK;
    json_t *val = NULL;
    ATEA_TRY(get_field(obj, key, &val));
    ATEA_ENSURE_MSG(json_is_string(val), ATEA_ERR_TDX_BAD_COLLATERAL,
                    "collateral \"%s\" is not a string", key);
    *s = json_string_value(val);
out:
    return err;
}

/* A hex string of exactly n bytes. */
static atea_err get_hex(json_t *obj, const char *key, uint8_t *out, size_t n)
{
    atea_err err = ATEA_OK;
    const char *s = NULL;
    atea_buf b = {0};
    ATEA_TRY(get_str(obj, key, &s));
    ATEA_ENSURE_MSG(strlen(s) == 2 * n, ATEA_ERR_TDX_BAD_COLLATERAL,
                    "collateral \"%s\" has %zu hex digits (expected %zu)", key, strlen(s), 2 * n);
    err = atea_hex_decode(s, 2 * n, &b);
    ATEA_ENSURE_MSG(err == ATEA_OK, ATEA_ERR_TDX_BAD_COLLATERAL, "collateral \"%s\" is not hex",
                    key);
    memcpy(out, b.data, n);
out:
    atea_buf_free(&b);
    return err;
}

static atea_err get_time(json_t *obj, const char *key, int64_t *t)
{
    atea_err err = ATEA_OK;
    const char *s = NULL;
    ATEA_TRY(get_str(obj, key, &s));
    ATEA_TRY(atea__tdx_parse_time(s, t));
out:
    return err;
}

static atea_err get_array(json_t *obj, const char *key, size_t min, size_t max, json_t **arr)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(get_field(obj, key, arr));
    ATEA_ENSURE_MSG(json_is_array(*arr), ATEA_ERR_TDX_BAD_COLLATERAL,
                    "collateral \"%s\" is not an array", key);
    size_t n = json_array_size(*arr);
    ATEA_ENSURE_MSG(n >= min && n <= max,
                    n > max ? ATEA_ERR_TOO_LARGE : ATEA_ERR_TDX_BAD_COLLATERAL,
                    "collateral \"%s\" has %zu entries (allowed %zu..%zu)", key, n, min, max);
out:
    return err;
}

/* sgxtcbcomponents / tdxtcbcomponents: exactly 16 objects with an "svn" 0..255. */
static atea_err get_components(json_t *tcb, const char *key, uint8_t comp[16])
{
    atea_err err = ATEA_OK;
    json_t *arr = NULL;
    int64_t svn = 0;
    ATEA_TRY(get_array(tcb, key, 16, 16, &arr));
    for (size_t i = 0; i < 16; i++) {
        json_t *c = json_array_get(arr, i);
        ATEA_ENSURE_MSG(json_is_object(c), ATEA_ERR_TDX_BAD_COLLATERAL,
                        "collateral \"%s\"[%zu] is not an object", key, i);
        ATEA_TRY(get_int(c, "svn", 0, 255, &svn));
        comp[i] = (uint8_t)svn;
    }
out:
    return err;
}

/* tcbStatus and the optional advisoryIDs of a level. */
static atea_err get_status(json_t *lvl, tdx_tcb_level *out)
{
    atea_err err = ATEA_OK;
    const char *s = NULL;
    json_t *adv = json_object_get(lvl, "advisoryIDs");
    ATEA_TRY(get_str(lvl, "tcbStatus", &s));
    ATEA_TRY(atea__tdx_tcb_status_parse(s, &out->status));
    if (adv != NULL) {
        ATEA_TRY(get_array(lvl, "advisoryIDs", 0, TDX_MAX_ADVISORIES, &adv));
        for (size_t i = 0; i < json_array_size(adv); i++) {
            const char *id = json_string_value(json_array_get(adv, i));
            ATEA_ENSURE_MSG(id != NULL && strlen(id) > 0 && strlen(id) < TDX_ADVISORY_ID_MAX,
                            ATEA_ERR_TDX_BAD_COLLATERAL,
                            "advisoryIDs[%zu] is not a string of 1..%d characters", i,
                            TDX_ADVISORY_ID_MAX - 1);
            memcpy(out->advisories.ids[i], id, strlen(id) + 1);
        }
        out->advisories.count = json_array_size(adv);
    }
out:
    return err;
}

/* Platform level: {"tcb": {sgxtcbcomponents, pcesvn, tdxtcbcomponents}, tcbDate, tcbStatus}. */
static atea_err get_platform_level(json_t *lvl, tdx_tcb_level *out)
{
    atea_err err = ATEA_OK;
    json_t *tcb = NULL;
    int64_t pcesvn = 0;
    ATEA_ENSURE_MSG(json_is_object(lvl), ATEA_ERR_TDX_BAD_COLLATERAL,
                    "a tcbLevel is not an object");
    ATEA_TRY(get_field(lvl, "tcb", &tcb));
    ATEA_TRY(get_components(tcb, "sgxtcbcomponents", out->sgx_comp));
    ATEA_TRY(get_components(tcb, "tdxtcbcomponents", out->tdx_comp));
    ATEA_TRY(get_int(tcb, "pcesvn", 0, 65535, &pcesvn));
    out->pcesvn = (uint16_t)pcesvn;
    ATEA_TRY(get_status(lvl, out));
out:
    return err;
}

/* Identity level (QE identity, TDX module identity): {"tcb": {"isvsvn"}, tcbDate, tcbStatus}. */
static atea_err get_isv_level(json_t *lvl, tdx_tcb_level *out)
{
    atea_err err = ATEA_OK;
    json_t *tcb = NULL;
    int64_t isvsvn = 0;
    ATEA_ENSURE_MSG(json_is_object(lvl), ATEA_ERR_TDX_BAD_COLLATERAL,
                    "a tcbLevel is not an object");
    ATEA_TRY(get_field(lvl, "tcb", &tcb));
    ATEA_TRY(get_int(tcb, "isvsvn", 0, 65535, &isvsvn));
    out->isvsvn = (uint16_t)isvsvn;
    ATEA_TRY(get_status(lvl, out));
out:
    return err;
}

static atea_err get_isv_levels(json_t *obj, tdx_tcb_level *levels, size_t max, size_t *count)
{
    atea_err err = ATEA_OK;
    json_t *arr = NULL;
    ATEA_TRY(get_array(obj, "tcbLevels", 1, max, &arr));
    for (size_t i = 0; i < json_array_size(arr); i++) {
        ATEA_TRY(get_isv_level(json_array_get(arr, i), &levels[i]));
    }
    *count = json_array_size(arr);
out:
    return err;
}

/* tdxModule {mrsigner, attributes, attributesMask} (+ id and tcbLevels in tdxModuleIdentities). */
static atea_err get_module(json_t *m, int with_levels, tdx_module_identity *out)
{
    atea_err err = ATEA_OK;
    const char *id = NULL;
    ATEA_ENSURE_MSG(json_is_object(m), ATEA_ERR_TDX_BAD_COLLATERAL,
                    "a TDX module identity is not an object");
    ATEA_TRY(get_hex(m, "mrsigner", out->mrsigner, sizeof(out->mrsigner)));
    ATEA_TRY(get_hex(m, "attributes", out->attributes, sizeof(out->attributes)));
    ATEA_TRY(get_hex(m, "attributesMask", out->attributes_mask, sizeof(out->attributes_mask)));
    if (with_levels) {
        ATEA_TRY(get_str(m, "id", &id));
        ATEA_ENSURE_MSG(strlen(id) < sizeof(out->id), ATEA_ERR_TDX_BAD_COLLATERAL,
                        "TDX module identity id '%.20s' is too long", id);
        memcpy(out->id, id, strlen(id) + 1);
        ATEA_TRY(get_isv_levels(m, out->levels, TDX_MAX_MODULE_LEVELS, &out->level_count));
    }
out:
    return err;
}

atea_err atea__tdx_parse_tcb_info(json_t *obj, tdx_tcb_info *info)
{
    atea_err err = ATEA_OK;
    const char *id = NULL;
    int64_t version = 0;
    json_t *arr = NULL;
    json_t *module = NULL;
    memset(info, 0, sizeof(*info));
    ATEA_TRY(get_str(obj, "id", &id));
    ATEA_ENSURE_MSG(strcmp(id, "TDX") == 0, ATEA_ERR_TDX_BAD_COLLATERAL,
                    "TCB info id '%.16s' (expected \"TDX\": an SGX TCB info was supplied?)", id);
    ATEA_TRY(get_int(obj, "version", 0, 1000, &version));
    ATEA_ENSURE_MSG(version == 3, ATEA_ERR_TDX_BAD_COLLATERAL,
                    "TCB info version %lld (only 3 is supported)", (long long)version);
    ATEA_TRY(get_time(obj, "issueDate", &info->issue_date));
    ATEA_TRY(get_time(obj, "nextUpdate", &info->next_update));
    ATEA_TRY(get_hex(obj, "fmspc", info->fmspc, sizeof(info->fmspc)));
    ATEA_TRY(get_hex(obj, "pceId", info->pceid, sizeof(info->pceid)));
    ATEA_TRY(
        get_int(obj, "tcbEvaluationDataNumber", 0, INT32_MAX, &info->tcb_evaluation_data_number));
    ATEA_TRY(get_field(obj, "tdxModule", &module));
    ATEA_TRY(get_module(module, 0, &info->module));
    if (json_object_get(obj, "tdxModuleIdentities") != NULL) {
        ATEA_TRY(get_array(obj, "tdxModuleIdentities", 0, TDX_MAX_MODULE_IDENTITIES, &arr));
        for (size_t i = 0; i < json_array_size(arr); i++) {
            ATEA_TRY(get_module(json_array_get(arr, i), 1, &info->module_identities[i]));
        }
        info->module_identity_count = json_array_size(arr);
    }
    ATEA_TRY(get_array(obj, "tcbLevels", 1, TDX_MAX_TCB_LEVELS, &arr));
    for (size_t i = 0; i < json_array_size(arr); i++) {
        ATEA_TRY(get_platform_level(json_array_get(arr, i), &info->levels[i]));
    }
    info->level_count = json_array_size(arr);
out:
    return err;
}

atea_err atea__tdx_parse_qe_identity(json_t *obj, tdx_qe_identity *qe)
{
    atea_err err = ATEA_OK;
    const char *id = NULL;
    int64_t version = 0;
    int64_t prodid = 0;
    uint8_t misc[4];
    uint8_t misc_mask[4];
    memset(qe, 0, sizeof(*qe));
    ATEA_TRY(get_str(obj, "id", &id));
    ATEA_ENSURE_MSG(strcmp(id, "TD_QE") == 0, ATEA_ERR_TDX_BAD_COLLATERAL,
                    "QE identity id '%.16s' (expected \"TD_QE\": an SGX QE identity?)", id);
    ATEA_TRY(get_int(obj, "version", 0, 1000, &version));
    ATEA_ENSURE_MSG(version == 2, ATEA_ERR_TDX_BAD_COLLATERAL,
                    "QE identity version %lld (only 2 is supported)", (long long)version);
    ATEA_TRY(get_time(obj, "issueDate", &qe->issue_date));
    ATEA_TRY(get_time(obj, "nextUpdate", &qe->next_update));
    /* MISCSELECT is a big-endian hex rendering of the u32 (Intel's schema). */
    ATEA_TRY(get_hex(obj, "miscselect", misc, sizeof(misc)));
    ATEA_TRY(get_hex(obj, "miscselectMask", misc_mask, sizeof(misc_mask)));
    qe->miscselect =
        (uint32_t)misc[0] << 24 | (uint32_t)misc[1] << 16 | (uint32_t)misc[2] << 8 | misc[3];
    qe->miscselect_mask = (uint32_t)misc_mask[0] << 24 | (uint32_t)misc_mask[1] << 16 |
                          (uint32_t)misc_mask[2] << 8 | misc_mask[3];
    ATEA_TRY(get_hex(obj, "attributes", qe->attributes, sizeof(qe->attributes)));
    ATEA_TRY(get_hex(obj, "attributesMask", qe->attributes_mask, sizeof(qe->attributes_mask)));
    ATEA_TRY(get_hex(obj, "mrsigner", qe->mrsigner, sizeof(qe->mrsigner)));
    ATEA_TRY(get_int(obj, "isvprodid", 0, 65535, &prodid));
    qe->isvprodid = (uint16_t)prodid;
    ATEA_TRY(get_isv_levels(obj, qe->levels, TDX_MAX_MODULE_LEVELS, &qe->level_count));
out:
    return err;
}

atea_err atea__tdx_tcb_info_from_json(const uint8_t *doc, size_t len, tdx_tcb_info *info,
                                      tdx_signed_json *sj)
{
    atea_err err = ATEA_OK;
    json_t *root = NULL;
    json_t *obj = NULL;
    ATEA_TRY(atea__tdx_json_signed(doc, len, "tcbInfo", sj, &root, &obj));
    ATEA_TRY(atea__tdx_parse_tcb_info(obj, info));
out:
    json_decref(root);
    return err;
}
