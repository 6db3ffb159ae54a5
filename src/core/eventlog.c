/*
 * TCG2 crypto-agile event log parser (eventlog.h). Layouts, all little-endian:
 *   TCG_PCR_EVENT  (PFP §10.2.1): u32 pcrIndex, u32 eventType, u8 digest[20], u32 eventSize, event
 *   TCG_EfiSpecIdEvent (§10.4.5.1): "Spec ID Event03\0", u32 platformClass, u8 minor, u8 major,
 *       u8 errata, u8 uintnSize, u32 numberOfAlgorithms, {u16 algId, u16 digestSize}[n],
 *       u8 vendorInfoSize, vendorInfo
 *   TCG_PCR_EVENT2 (§10.2.2): u32 pcrIndex, u32 eventType, u32 count, {u16 alg, digest}[count],
 *       u32 eventSize, event
 */
#include "core/eventlog.h"

#include <string.h>

#include "core/check.h"
#include "core/rd.h"

static const uint8_t SPEC_ID_SIGNATURE[16] = "Spec ID Event03";

typedef struct spec_id {
    size_t n;
    uint16_t alg[ATEA_EVENTLOG_MAX_ALGS];
    uint16_t size[ATEA_EVENTLOG_MAX_ALGS];
} spec_id;

static size_t known_digest_size(uint16_t alg)
{
    switch (alg) {
    case ATEA_TPM_ALG_SHA1:
        return 20;
    case ATEA_TPM_ALG_SHA256:
        return 32;
    case ATEA_TPM_ALG_SHA384:
        return 48;
    case ATEA_TPM_ALG_SHA512:
        return 64;
    default:
        return 0;
    }
}

/* u32 length-prefixed event data with the cap. */
static atea_err event_data(atea_rd *rd, atea_slice *data)
{
    atea_err err = ATEA_OK;
    uint32_t size = 0;
    size_t at = atea_rd_pos(rd);
    ATEA_TRY(atea_rd_u32le(rd, &size));
    ATEA_ENSURE_MSG(size <= ATEA_EVENTLOG_MAX_EVENT_DATA, ATEA_ERR_TOO_LARGE,
                    "event data of %u bytes at offset %zu exceeds %d", size, at,
                    ATEA_EVENTLOG_MAX_EVENT_DATA);
    ATEA_TRY(atea_rd_slice(rd, size, data));
out:
    return err;
}

static atea_err parse_spec_id(atea_slice ev, size_t base, spec_id *sid)
{
    atea_err err = ATEA_OK;
    atea_rd rd;
    uint8_t sig[16];
    uint8_t b = 0;
    uint32_t platform_class = 0;
    uint32_t n = 0;
    atea_rd_init(&rd, ev.data, ev.len);
    rd.base = base;
    ATEA_TRY(atea_rd_copy(&rd, sig, sizeof(sig)));
    ATEA_ENSURE_MSG(memcmp(sig, SPEC_ID_SIGNATURE, sizeof(sig)) == 0, ATEA_ERR_EVENTLOG_MALFORMED,
                    "the first event is not a \"Spec ID Event03\" (not a crypto-agile log)");
    ATEA_TRY(atea_rd_u32le(&rd, &platform_class));
    ATEA_TRY(atea_rd_skip(&rd, 3)); /* spec version minor, major, errata */
    ATEA_TRY(atea_rd_u8(&rd, &b));  /* uintnSize */
    ATEA_TRY(atea_rd_u32le(&rd, &n));
    ATEA_ENSURE_MSG(n >= 1 && n <= ATEA_EVENTLOG_MAX_ALGS, ATEA_ERR_EVENTLOG_MALFORMED,
                    "Spec ID event declares %u algorithms (allowed 1..%d)", n,
                    ATEA_EVENTLOG_MAX_ALGS);
    for (uint32_t i = 0; i < n; i++) {
        ATEA_TRY(atea_rd_u16le(&rd, &sid->alg[i]));
        ATEA_TRY(atea_rd_u16le(&rd, &sid->size[i]));
        size_t want = known_digest_size(sid->alg[i]);
        ATEA_ENSURE_MSG(want == 0 || want == sid->size[i], ATEA_ERR_EVENTLOG_MALFORMED,
                        "Spec ID event: algorithm 0x%04x with digest size %u (expected %zu)",
                        sid->alg[i], sid->size[i], want);
        ATEA_ENSURE_MSG(sid->size[i] > 0 && sid->size[i] <= ATEA_EVENTLOG_MAX_DIGEST,
                        ATEA_ERR_EVENTLOG_MALFORMED,
                        "Spec ID event: algorithm 0x%04x with digest size %u", sid->alg[i],
                        sid->size[i]);
    }
    sid->n = n;
    ATEA_TRY(atea_rd_u8(&rd, &b)); /* vendorInfoSize */
    ATEA_TRY(atea_rd_skip(&rd, b));
    ATEA_TRY(atea_rd_end(&rd));
out:
    return err;
}

/* The SHA-1-format first event, which must carry the Spec ID. */
static atea_err parse_header(atea_rd *rd, spec_id *sid)
{
    atea_err err = ATEA_OK;
    uint32_t index = 0;
    uint32_t type = 0;
    atea_slice data;
    ATEA_TRY(atea_rd_u32le(rd, &index));
    ATEA_TRY(atea_rd_u32le(rd, &type));
    ATEA_ENSURE_MSG(index == 0 && type == ATEA_EV_NO_ACTION, ATEA_ERR_EVENTLOG_MALFORMED,
                    "the first event has index %u type 0x%x (expected the EV_NO_ACTION Spec ID "
                    "event)",
                    index, type);
    ATEA_TRY(atea_rd_skip(rd, 20));
    size_t base = atea_rd_pos(rd) + 4;
    ATEA_TRY(event_data(rd, &data));
    ATEA_TRY(parse_spec_id(data, base, sid));
out:
    return err;
}

static size_t bank_size(const spec_id *sid, uint16_t alg)
{
    for (size_t i = 0; i < sid->n; i++) {
        if (sid->alg[i] == alg) {
            return sid->size[i];
        }
    }
    return 0;
}

/* alg ANY_BANK: the caller wants the structure only (the used length), not a digest. */
#define ANY_BANK 0

static atea_err parse_event2(atea_rd *rd, const spec_id *sid, uint16_t alg, atea_eventlog_event *ev)
{
    atea_err err = ATEA_OK;
    uint32_t count = 0;
    memset(ev, 0, sizeof(*ev));
    ev->offset = atea_rd_pos(rd);
    ATEA_TRY(atea_rd_u32le(rd, &ev->index));
    ATEA_TRY(atea_rd_u32le(rd, &ev->type));
    ATEA_TRY(atea_rd_u32le(rd, &count));
    ATEA_ENSURE_MSG(count == sid->n, ATEA_ERR_EVENTLOG_MALFORMED,
                    "event at offset %zu carries %u digests, the log declares %zu banks",
                    ev->offset, count, sid->n);
    for (uint32_t i = 0; i < count; i++) {
        uint16_t a = 0;
        const uint8_t *d = NULL;
        ATEA_TRY(atea_rd_u16le(rd, &a));
        size_t size = bank_size(sid, a);
        ATEA_ENSURE_MSG(size > 0, ATEA_ERR_EVENTLOG_MALFORMED,
                        "event at offset %zu has a digest of undeclared algorithm 0x%04x",
                        ev->offset, a);
        ATEA_TRY(atea_rd_bytes(rd, size, &d));
        if (a == alg || (alg == ANY_BANK && ev->digest == NULL)) {
            ev->digest = d;
            ev->digest_len = size;
        }
    }
    ATEA_ENSURE_MSG(ev->digest != NULL, ATEA_ERR_EVENTLOG_MALFORMED,
                    "event at offset %zu has no digest of algorithm 0x%04x", ev->offset, alg);
    ATEA_TRY(event_data(rd, &ev->data));
out:
    return err;
}

/* The rest of the area is unused: all 0x00 or all 0xFF (or nothing). Stops at the first byte
 * that differs, so checking before every event stays linear. */
static int only_padding(const atea_rd *rd)
{
    const uint8_t *p = atea_rd_ptr(rd);
    size_t n = atea_rd_left(rd);
    if (n == 0) {
        return 1;
    }
    if (p[0] != 0x00 && p[0] != 0xff) {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if (p[i] != p[0]) {
            return 0;
        }
    }
    return 1;
}

/* Header, then events until the padding; *used = where the padding starts. */
static atea_err walk(const uint8_t *log, size_t len, uint16_t alg, atea_eventlog_cb cb, void *user,
                     size_t *count, size_t *used)
{
    atea_err err = ATEA_OK;
    atea_rd rd;
    spec_id sid;
    atea_eventlog_event ev;
    size_t n = 0;
    ATEA_ENSURE(log != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(len <= ATEA_EVENTLOG_MAX_SIZE, ATEA_ERR_TOO_LARGE,
                    "event log of %zu bytes exceeds %d", len, ATEA_EVENTLOG_MAX_SIZE);
    memset(&sid, 0, sizeof(sid));
    atea_rd_init(&rd, log, len);
    ATEA_TRY(parse_header(&rd, &sid));
    ATEA_ENSURE_MSG(alg == ANY_BANK || bank_size(&sid, alg) > 0, ATEA_ERR_EVENTLOG_MALFORMED,
                    "the event log has no digest bank for algorithm 0x%04x", alg);
    while (!only_padding(&rd)) {
        ATEA_ENSURE_MSG(n < ATEA_EVENTLOG_MAX_EVENTS, ATEA_ERR_TOO_LARGE,
                        "more than %d events in the log", ATEA_EVENTLOG_MAX_EVENTS);
        ATEA_TRY(parse_event2(&rd, &sid, alg, &ev));
        if (cb != NULL) {
            ATEA_TRY(cb(user, &ev));
        }
        n++;
    }
    if (count != NULL) {
        *count = n;
    }
    if (used != NULL) {
        *used = atea_rd_pos(&rd);
    }
out:
    return err;
}

atea_err atea_eventlog_parse(const uint8_t *log, size_t len, uint16_t alg, atea_eventlog_cb cb,
                             void *user, size_t *count)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(cb != NULL && alg != ANY_BANK, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(walk(log, len, alg, cb, user, count, NULL));
out:
    return err;
}

atea_err atea_eventlog_used_len(const uint8_t *log, size_t len, size_t *used, size_t *count)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(used != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(walk(log, len, ANY_BANK, NULL, NULL, count, used));
out:
    return err;
}
