/* Internal pieces shared by the files of the cmw layer (not part of the API). */
#ifndef ATEA_CMW_INTERNAL_H
#define ATEA_CMW_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "atea/cmw.h"
#include "core/wr.h"

/* The state of one decode: the limits and how many nodes the tree has so far. */
typedef struct atea__cmw_ctx {
    atea_cmw_limits lim;
    size_t nodes;
} atea__cmw_ctx;

/* Resolve NULL limits to the defaults and check the input size (ATEA_ERR_TOO_LARGE). */
atea_err atea__cmw_ctx_init(atea__cmw_ctx *ctx, const atea_cmw_limits *limits,
                            size_t input_len) ATEA_MUST_USE;

/* Count one more node (ATEA_ERR_CMW_ENTRIES past max_nodes); offset or path for the detail. */
atea_err atea__cmw_count_node(atea__cmw_ctx *ctx, const char *where) ATEA_MUST_USE;

/* Fresh nodes, filled in by the decoders (validated values only). */
atea_err atea__cmw_node_new(atea_cmw_kind kind, atea_cmw **pcmw) ATEA_MUST_USE;
atea_err atea__cmw_set_media_type(atea_cmw *rec, const char *type, size_t len) ATEA_MUST_USE;
atea_err atea__cmw_set_ctype(atea_cmw *coll, const char *ctype, size_t len) ATEA_MUST_USE;

/* Append an entry, taking ownership of child in every case. A text label (text != NULL) is
 * copied; `where` names the place for the detail. Codes: ATEA_ERR_CMW_LABEL,
 * ATEA_ERR_CMW_DUPLICATE, ATEA_ERR_CMW_ENTRIES (more than max_entries), ATEA_ERR_NO_MEMORY. */
atea_err atea__cmw_append(atea_cmw *coll, const char *text, size_t text_len, int64_t num,
                          atea_cmw *child, size_t max_entries, const char *where) ATEA_MUST_USE;

/* ind on the wire: 1..31 (RFC 9999 §3.1.1). */
atea_err atea__cmw_check_ind(uint64_t ind, const char *where) ATEA_MUST_USE;

/* RFC 6838 media type syntax (type/subtype with restricted-name characters, parameters as
 * token=token/quoted-string), at most ATEA_CMW_MAX_TYPE_LEN bytes: ATEA_ERR_CMW_TYPE. */
atea_err atea__cmw_check_media_type(const char *s, size_t len) ATEA_MUST_USE;

/* __cmwc_t: an absolute URI (RFC 3986 §4.3) or a dotted-decimal OID: ATEA_ERR_CMW_CTYPE. */
atea_err atea__cmw_check_ctype(const char *s, size_t len) ATEA_MUST_USE;

/* The label text "__cmwc_t" (RFC 9999 §3.3). */
#define ATEA_CMW_CTYPE_KEY "__cmwc_t"

/* What both writers check at each node they write (depth: the node's collection nesting;
 * *nodes: those written so far, counted here): at most ATEA_CMW_MAX_NODES nodes in all
 * (ATEA_ERR_CMW_ENTRIES); a collection at most ATEA_CMW_MAX_DEPTH deep (ATEA_ERR_CMW_DEPTH) and
 * not empty (ATEA_ERR_CMW_COLLECTION). */
atea_err atea__cmw_check_write_node(const atea_cmw *cmw, unsigned depth,
                                    size_t *nodes) ATEA_MUST_USE;

/* CBOR and JSON halves. */
atea_err atea__cmw_write_cbor(const atea_cmw *cmw, atea_wr *wr, unsigned depth,
                              size_t *nodes) ATEA_MUST_USE;
atea_err atea__cmw_write_json(const atea_cmw *cmw, atea_wr *wr, unsigned depth,
                              size_t *nodes) ATEA_MUST_USE;

/* Strict unpadded base64url (RFC 4648 §5): alphabet A-Z a-z 0-9 - _, no '=', no whitespace, at
 * least one character, unused trailing bits zero. Decodes into a fresh buffer.
 * ATEA_ERR_CMW_BASE64URL with the position of the first bad character. */
atea_err atea__b64url_decode(const char *text, size_t len, atea_buf *out) ATEA_MUST_USE;
atea_err atea__b64url_encode(const uint8_t *data, size_t len, atea_wr *wr) ATEA_MUST_USE;

#endif
