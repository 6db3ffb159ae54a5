/*
 * Extension lists (RFC 8446 §4.2): `Extension extensions<min..2^16-1>`, each
 * `uint16 extension_type || opaque extension_data<0..2^16-1>`.
 *
 * Strict as picotls' extension_bitmap_testandset: a type may appear once per list ("There MUST NOT
 * be more than one extension of the same type in a given extension block", RFC 8446 §4.2), the
 * count is capped, and the known TLS 1.3 types may appear only in the messages the IANA registry's
 * "TLS 1.3" column lists (CR = CertificateRequest, CT = Certificate). RFC 9261 §4 adds
 * server_name to ClientCertificateRequest only. Unknown types (cmw_attestation has no IANA value)
 * pass here; whether the request offered them is checked by the validator.
 */
#include "ea/msg.h"

#include <stdint.h>
#include <stdio.h>

#include "core/check.h"

enum {
    IN_CR = 1u << ATEA_EA_IN_CERTIFICATE_REQUEST,
    IN_CCR = 1u << ATEA_EA_IN_CLIENT_CERTIFICATE_REQUEST,
    IN_CT = 1u << ATEA_EA_IN_CERTIFICATE,
};

typedef struct ext_rule {
    uint16_t type;
    const char *name;
    unsigned allowed; /* IN_* bits; 0 = a TLS 1.3 type valid in none of these messages */
} ext_rule;

static const ext_rule ext_rules[] = {
    {0, "server_name", IN_CCR},
    {1, "max_fragment_length", 0},
    {5, "status_request", IN_CR | IN_CCR | IN_CT},
    {10, "supported_groups", 0},
    {13, "signature_algorithms", IN_CR | IN_CCR},
    {14, "use_srtp", 0},
    {15, "heartbeat", 0},
    {16, "application_layer_protocol_negotiation", 0},
    {18, "signed_certificate_timestamp", IN_CR | IN_CCR | IN_CT},
    {19, "client_certificate_type", 0},
    {20, "server_certificate_type", 0},
    {21, "padding", 0},
    {27, "compress_certificate", IN_CR | IN_CCR},
    {41, "pre_shared_key", 0},
    {42, "early_data", 0},
    {43, "supported_versions", 0},
    {44, "cookie", 0},
    {45, "psk_key_exchange_modes", 0},
    {47, "certificate_authorities", IN_CR | IN_CCR},
    {48, "oid_filters", IN_CR | IN_CCR},
    {49, "post_handshake_auth", 0},
    {50, "signature_algorithms_cert", IN_CR | IN_CCR},
    {51, "key_share", 0},
};

static const ext_rule *find_rule(uint16_t type)
{
    for (size_t i = 0; i < ATEA_ARRAY_LEN(ext_rules); i++) {
        if (ext_rules[i].type == type) {
            return &ext_rules[i];
        }
    }
    return NULL;
}

const char *atea_ea_ext_name(uint16_t type)
{
    const ext_rule *rule = find_rule(type);
    return rule != NULL ? rule->name : NULL;
}

static const char *where_name(atea_ea_ext_where where)
{
    switch (where) {
    case ATEA_EA_IN_CERTIFICATE_REQUEST:
        return "CertificateRequest";
    case ATEA_EA_IN_CLIENT_CERTIFICATE_REQUEST:
        return "ClientCertificateRequest";
    case ATEA_EA_IN_CERTIFICATE:
        return "Certificate";
    }
    return "?";
}

const atea_ea_ext *atea_ea_exts_find(const atea_ea_ext *ext, size_t n, uint16_t type)
{
    for (size_t i = 0; i < n; i++) {
        if (ext[i].type == type) {
            return &ext[i];
        }
    }
    return NULL;
}

/* The checks for entry i of a list whose entries 0..i-1 passed; `at` is its offset in the input
 * (for the detail), or SIZE_MAX for a list the caller built. */
static atea_err check_one(const atea_ea_ext *ext, size_t i, atea_ea_ext_where where, size_t at)
{
    atea_err err = ATEA_OK;
    uint16_t type = ext[i].type;
    const ext_rule *rule = find_rule(type);
    char pos[48] = "";
    if (at != SIZE_MAX) {
        snprintf(pos, sizeof(pos), " (extension at offset %zu)", at);
    }
    ATEA_ENSURE_MSG(i < ATEA_EA_MAX_EXTENSIONS, ATEA_ERR_EA_TOO_MANY_EXTENSIONS,
                    "extension number %zu%s; at most %u are accepted in one list", i + 1, pos,
                    ATEA_EA_MAX_EXTENSIONS);
    ATEA_ENSURE_MSG(atea_ea_exts_find(ext, i, type) == NULL, ATEA_ERR_EA_DUP_EXTENSION,
                    "extension type %u (0x%04x) appears twice%s", type, type, pos);
    ATEA_ENSURE_MSG(rule == NULL || (rule->allowed & (1u << where)) != 0,
                    ATEA_ERR_EA_EXT_NOT_ALLOWED, "extension %s (%u) is not allowed in a %s%s",
                    rule != NULL ? rule->name : "?", type, where_name(where), pos);
out:
    return err;
}

atea_err atea_ea_exts_check(const atea_ea_ext *ext, size_t n, atea_ea_ext_where where)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(ext != NULL || n == 0, ATEA_ERR_INVALID_ARG);
    for (size_t i = 0; i < n; i++) {
        ATEA_TRY(check_one(ext, i, where, SIZE_MAX));
    }
out:
    return err;
}

atea_err atea_ea_exts_parse(atea_rd *rd, size_t min, atea_ea_ext_where where, atea_ea_exts *out)
{
    atea_err err = ATEA_OK;
    atea_rd list;
    out->n = 0;
    ATEA_TRY(atea_rd_vec(rd, 2, min, 0xffff, &list));
    while (atea_rd_left(&list) > 0) {
        size_t at = atea_rd_pos(&list);
        atea_ea_ext e;
        atea_rd data;
        ATEA_ENSURE_MSG(out->n < ATEA_EA_MAX_EXTENSIONS, ATEA_ERR_EA_TOO_MANY_EXTENSIONS,
                        "extension number %zu (at offset %zu); at most %u are accepted in one "
                        "list",
                        out->n + 1, at, ATEA_EA_MAX_EXTENSIONS);
        ATEA_TRY(atea_rd_u16(&list, &e.type));
        ATEA_TRY(atea_rd_vec(&list, 2, 0, 0xffff, &data));
        e.data.data = data.data;
        e.data.len = data.len;
        out->ext[out->n] = e;
        ATEA_TRY(check_one(out->ext, out->n, where, at));
        out->n++;
    }
out:
    return err;
}

atea_err atea_ea_exts_write(atea_wr *wr, const atea_ea_ext *ext, size_t n, atea_ea_ext_where where)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(atea_ea_exts_check(ext, n, where));
    ATEA_TRY(atea_wr_open_vec(wr, 2));
    for (size_t i = 0; i < n; i++) {
        ATEA_ENSURE(ext[i].data.data != NULL || ext[i].data.len == 0, ATEA_ERR_INVALID_ARG);
        ATEA_TRY(atea_wr_u16(wr, ext[i].type));
        ATEA_TRY(atea_wr_vec(wr, 2, ext[i].data.data, ext[i].data.len));
    }
    ATEA_TRY(atea_wr_close_vec(wr));
out:
    return err;
}
