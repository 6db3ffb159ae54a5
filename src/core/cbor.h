/*
 * atea_cbor: a small pull-style CBOR decoder (RFC 8949) on top of atea_rd, and a matching encoder
 * on top of atea_wr. Internal to atea (CMW, COSE_Sign1 for Arm CCA, the simulated TEE evidence).
 *
 * The decoder never allocates. It reads one item head at a time; strings come back as slices
 * borrowed from the input. Every declared length or count is checked against the bytes that
 * remain before it is used, so a hostile "2^64 elements" costs nothing. Limits:
 *   - max_depth (default ATEA_CBOR_MAX_DEPTH): nesting that atea_cbor_skip / atea_cbor_read_raw
 *     follow (arrays, maps and tags each add one level);
 *   - max_items (default ATEA_CBOR_MAX_ITEMS): a budget of item heads over the decoder's life,
 *     which bounds the work any input can cause.
 *
 * Decisions (RFC 8949 §3, §4.2, §5.3):
 *   - Non-minimal ("preferred serialization" violations) heads are ACCEPTED and read by value:
 *     CMW (RFC 9999) does not require deterministic encoding, and a value is never misread
 *     because the argument is always assembled from exactly the bytes the head declares.
 *   - Reserved additional information 28..30 is malformed (§3), as is a break (0xff) where no
 *     indefinite-length item is open, a two-byte simple value below 32 (§3.3) and an
 *     indefinite-length integer or tag.
 *   - Text strings must be valid UTF-8 (§5.3.1): no overlong forms, no surrogates, <= U+10FFFF.
 *   - Floats (major 7, additional information 25..27) are well-formed: atea_cbor_skip passes
 *     over them, but no reader returns one (ATEA_ERR_CBOR_TYPE): atea's formats have none.
 *   - Indefinite-length byte and text strings are skipped (chunks validated, §3.2.3) but cannot be
 *     read as one slice (ATEA_ERR_CBOR_TYPE). Indefinite-length arrays and maps are
 *     supported through atea_cbor_read_array_head / atea_cbor_read_map_head + atea_cbor_at_break.
 */
#ifndef ATEA_CORE_CBOR_H
#define ATEA_CORE_CBOR_H

#include <stddef.h>
#include <stdint.h>

#include "atea/types.h"
#include "core/rd.h"
#include "core/wr.h"

/* Default nesting limit for skip/raw (arrays, maps and tags each count one level). */
#define ATEA_CBOR_MAX_DEPTH 16
/* Hard upper bound for a caller-chosen max_depth: skip recurses, so the stack stays small. */
#define ATEA_CBOR_DEPTH_LIMIT 64
/* Default budget of item heads one decoder may read. */
#define ATEA_CBOR_MAX_ITEMS 65536

/* Major types (RFC 8949 §3.1). */
typedef enum atea_cbor_major {
    ATEA_CBOR_UINT = 0,
    ATEA_CBOR_NEGINT = 1,
    ATEA_CBOR_BSTR = 2,
    ATEA_CBOR_TSTR = 3,
    ATEA_CBOR_ARRAY = 4,
    ATEA_CBOR_MAP = 5,
    ATEA_CBOR_TAG = 6,
    ATEA_CBOR_SIMPLE = 7, /* false, true, null, undefined, other simple values, floats, break */
} atea_cbor_major;

/* Simple values (RFC 8949 §3.3). */
#define ATEA_CBOR_FALSE 20
#define ATEA_CBOR_TRUE 21
#define ATEA_CBOR_NULL 22
#define ATEA_CBOR_UNDEFINED 23

/* One decoded item head. */
typedef struct atea_cbor_head {
    atea_cbor_major major;
    uint8_t info;    /* additional information, 0..31 */
    int indefinite;  /* 1 for additional information 31 (indefinite length, or break) */
    int is_break;    /* 1 for the break stop code 0xff */
    uint64_t arg;    /* value, length, count, tag number or simple value (0 if indefinite) */
    size_t offset;   /* absolute offset of the head's first byte */
    size_t head_len; /* 1, 2, 3, 5 or 9 */
} atea_cbor_head;

typedef struct atea_cbor_rd {
    atea_rd rd;
    unsigned max_depth;
    size_t max_items;
    size_t items_left;
} atea_cbor_rd;

/* A decoder over data[0..len) with the default limits. */
void atea_cbor_rd_init(atea_cbor_rd *c, const uint8_t *data, size_t len);

/* As atea_cbor_rd_init with explicit limits. ATEA_ERR_INVALID_ARG if max_depth exceeds
 * ATEA_CBOR_DEPTH_LIMIT or max_items is 0. */
atea_err atea_cbor_rd_init_limits(atea_cbor_rd *c, const uint8_t *data, size_t len,
                                  unsigned max_depth, size_t max_items) ATEA_MUST_USE;

static inline size_t atea_cbor_left(const atea_cbor_rd *c)
{
    return atea_rd_left(&c->rd);
}

/* Absolute offset of the next item (for error details). */
static inline size_t atea_cbor_pos(const atea_cbor_rd *c)
{
    return atea_rd_pos(&c->rd);
}

/* ATEA_OK if every byte has been consumed, ATEA_ERR_TRAILING otherwise. */
atea_err atea_cbor_end(const atea_cbor_rd *c) ATEA_MUST_USE;

/* Decode the next head without consuming it. Does not charge the item budget.
 * Codes: ATEA_ERR_TRUNCATED, ATEA_ERR_CBOR_MALFORMED. */
atea_err atea_cbor_peek(const atea_cbor_rd *c, atea_cbor_head *h) ATEA_MUST_USE;

/* The major type of the next item (peek). Codes as atea_cbor_peek. */
atea_err atea_cbor_peek_type(const atea_cbor_rd *c, atea_cbor_major *major) ATEA_MUST_USE;

/* Consume the next head. A length (string) or count (array, map) must fit the bytes that remain
 * (each element takes at least one byte). Codes: ATEA_ERR_TRUNCATED, ATEA_ERR_CBOR_MALFORMED,
 * ATEA_ERR_TOO_LARGE (item budget spent). */
atea_err atea_cbor_read_head(atea_cbor_rd *c, atea_cbor_head *h) ATEA_MUST_USE;

/* Major type 0. ATEA_ERR_CBOR_TYPE for anything else. */
atea_err atea_cbor_read_uint(atea_cbor_rd *c, uint64_t *v) ATEA_MUST_USE;

/* Major type 0 or 1 as a signed value; ATEA_ERR_CBOR_TYPE if it does not fit int64_t. */
atea_err atea_cbor_read_int(atea_cbor_rd *c, int64_t *v) ATEA_MUST_USE;

/* Definite-length byte / text string, borrowed from the input. Text is checked to be UTF-8
 * (ATEA_ERR_CBOR_UTF8). Indefinite-length strings: ATEA_ERR_CBOR_TYPE. */
atea_err atea_cbor_read_bstr(atea_cbor_rd *c, atea_slice *s) ATEA_MUST_USE;
atea_err atea_cbor_read_tstr(atea_cbor_rd *c, atea_slice *s) ATEA_MUST_USE;

/* Read a byte string and open its content as a decoder with the same limits and remaining item
 * budget ("bytes .cbor T", e.g. a COSE payload). Offsets in errors stay absolute. */
atea_err atea_cbor_open_bstr(atea_cbor_rd *c, atea_cbor_rd *sub) ATEA_MUST_USE;

/* Definite-length array / map heads: *n elements (pairs for a map) follow. Indefinite length:
 * ATEA_ERR_CBOR_TYPE (use the _head variants). */
atea_err atea_cbor_read_array(atea_cbor_rd *c, size_t *n) ATEA_MUST_USE;
atea_err atea_cbor_read_map(atea_cbor_rd *c, size_t *n) ATEA_MUST_USE;

/* Array / map heads of either kind: *indefinite = 1 means elements follow until a break, which
 * the caller detects with atea_cbor_at_break (and consumes with atea_cbor_read_break). */
atea_err atea_cbor_read_array_head(atea_cbor_rd *c, size_t *n, int *indefinite) ATEA_MUST_USE;
atea_err atea_cbor_read_map_head(atea_cbor_rd *c, size_t *n, int *indefinite) ATEA_MUST_USE;

/* 1 if the next byte is the break stop code (0xff), 0 otherwise (including at the end). */
int atea_cbor_at_break(const atea_cbor_rd *c);

/* Consume a break. ATEA_ERR_CBOR_TYPE if the next item is not one. */
atea_err atea_cbor_read_break(atea_cbor_rd *c) ATEA_MUST_USE;

/* Tag head (major 6): the tag number; the tagged item follows. */
atea_err atea_cbor_read_tag(atea_cbor_rd *c, uint64_t *tag) ATEA_MUST_USE;

/* false/true. ATEA_ERR_CBOR_TYPE for anything else. */
atea_err atea_cbor_read_bool(atea_cbor_rd *c, int *v) ATEA_MUST_USE;

/* null. ATEA_ERR_CBOR_TYPE for anything else. */
atea_err atea_cbor_read_null(atea_cbor_rd *c) ATEA_MUST_USE;

/* A simple value 0..255 (not a float, not a break): false=20, true=21, null=22, undefined=23.
 * Floats: ATEA_ERR_CBOR_TYPE. */
atea_err atea_cbor_read_simple(atea_cbor_rd *c, uint8_t *v) ATEA_MUST_USE;

/* Skip one complete item, nested content included, within max_depth.
 * Codes: ATEA_ERR_TRUNCATED, ATEA_ERR_CBOR_MALFORMED, ATEA_ERR_CBOR_DEPTH, ATEA_ERR_CBOR_UTF8,
 * ATEA_ERR_TOO_LARGE. On failure the cursor is left where it was. */
atea_err atea_cbor_skip(atea_cbor_rd *c) ATEA_MUST_USE;

/* Skip one complete item and return its exact encoded bytes (COSE Sig_structure needs the
 * protected header and payload as they appear on the wire). Codes as atea_cbor_skip. */
atea_err atea_cbor_read_raw(atea_cbor_rd *c, atea_slice *raw) ATEA_MUST_USE;

/* Validate that the whole input is exactly one well-formed item within the limits. */
atea_err atea_cbor_check_one(const uint8_t *data, size_t len) ATEA_MUST_USE;

/* 1 if s[0..len) is well-formed UTF-8 (RFC 3629), 0 otherwise. */
int atea_utf8_valid(const uint8_t *s, size_t len);

/*
 * Encoder. Heads use the shortest form (RFC 8949 §4.2.1 preferred serialization), so output is
 * deterministic for definite-length items. A failed write leaves the writer unchanged.
 */
atea_err atea_cbor_wr_head(atea_wr *wr, atea_cbor_major major, uint64_t arg) ATEA_MUST_USE;
atea_err atea_cbor_wr_uint(atea_wr *wr, uint64_t v) ATEA_MUST_USE;
atea_err atea_cbor_wr_int(atea_wr *wr, int64_t v) ATEA_MUST_USE;
atea_err atea_cbor_wr_bstr(atea_wr *wr, const uint8_t *p, size_t n) ATEA_MUST_USE;
/* Text must be UTF-8 (ATEA_ERR_INVALID_ARG otherwise). */
atea_err atea_cbor_wr_tstr(atea_wr *wr, const char *p, size_t n) ATEA_MUST_USE;
/* NUL-terminated text. */
atea_err atea_cbor_wr_tstr_z(atea_wr *wr, const char *s) ATEA_MUST_USE;
atea_err atea_cbor_wr_array(atea_wr *wr, size_t n) ATEA_MUST_USE;
atea_err atea_cbor_wr_map(atea_wr *wr, size_t n) ATEA_MUST_USE;
atea_err atea_cbor_wr_tag(atea_wr *wr, uint64_t tag) ATEA_MUST_USE;
atea_err atea_cbor_wr_bool(atea_wr *wr, int v) ATEA_MUST_USE;
atea_err atea_cbor_wr_null(atea_wr *wr) ATEA_MUST_USE;

#endif
