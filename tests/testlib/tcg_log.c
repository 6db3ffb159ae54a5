/* TCG2 event logs for tests (tests/testlib/tcg_log.h). */
#include "tcg_log.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "atea_test.h"

#define ALG_SHA256 0x000B
#define ALG_SHA384 0x000C
#define EV_NO_ACTION 0x00000003u

static void put(tcg_log *b, const void *p, size_t n)
{
    assert_true(b->len + n <= sizeof(b->data));
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void put32(tcg_log *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put(b, x, 4);
}

static void put16(tcg_log *b, uint16_t v)
{
    uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    put(b, x, 2);
}

static void digest(const EVP_MD *md, const void *p, size_t n, uint8_t *out)
{
    unsigned int len = 0;
    assert_int_equal(EVP_Digest(p, n, out, &len, md, NULL), 1);
}

void tcg_log_init(tcg_log *b)
{
    static const uint8_t zero20[20] = {0};
    static const uint8_t spec_id[] = {
        'S',        'p', 'e', 'c', ' ',        'I', 'D', ' ', 'E', 'v',
        'e',        'n', 't', '0', '3',        0,   0,   0,   0,   0, /* platform class */
        0,          2,   0,   2,                            /* version 2.0, errata 0, uintnSize 2 */
        2,          0,   0,   0,                            /* two algorithms */
        ALG_SHA256, 0,   32,  0,   ALG_SHA384, 0,   48,  0, /* id, digest size */
        0,                                                  /* vendor info size */
    };
    memset(b, 0, sizeof(*b));
    put32(b, 0);
    put32(b, EV_NO_ACTION);
    put(b, zero20, sizeof(zero20));
    put32(b, (uint32_t)sizeof(spec_id));
    put(b, spec_id, sizeof(spec_id));
    b->ends[b->n_ends++] = b->len;
}

void tcg_log_event(tcg_log *b, uint32_t mr, uint32_t type, const void *data, size_t n,
                   uint8_t out[48])
{
    uint8_t d256[32];
    uint8_t d384[48];
    digest(EVP_sha256(), data, n, d256);
    digest(EVP_sha384(), data, n, d384);
    put32(b, mr);
    put32(b, type);
    put32(b, 2);
    put16(b, ALG_SHA384); /* banks in another order than the header: parsers must match ids */
    put(b, d384, 48);
    put16(b, ALG_SHA256);
    put(b, d256, 32);
    put32(b, (uint32_t)n);
    put(b, data, n);
    assert_true(b->n_ends < sizeof(b->ends) / sizeof(b->ends[0]));
    b->ends[b->n_ends++] = b->len;
    if (out != NULL) {
        memcpy(out, d384, 48);
    }
    if (type != EV_NO_ACTION) {
        assert_true(mr >= 1 && mr <= 4);
        uint8_t cat[96];
        memcpy(cat, b->rtmr[mr - 1], 48);
        memcpy(cat + 48, d384, 48);
        digest(EVP_sha384(), cat, sizeof(cat), b->rtmr[mr - 1]);
    }
}

atea_buf tcg_log_area(const tcg_log *b, size_t area_len, uint8_t pad)
{
    atea_buf a = {0};
    assert_true(area_len >= b->len);
    a.len = area_len;
    a.data = malloc(area_len);
    assert_non_null(a.data);
    memcpy(a.data, b->data, b->len);
    memset(a.data + b->len, pad, area_len - b->len);
    return a;
}
