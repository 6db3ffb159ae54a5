/*
 * TCG2 crypto-agile event log parser (TCG PC Client Platform Firmware Profile, §10.2.1
 * TCG_PCR_EVENT, §10.2.2 TCG_PCR_EVENT2, §10.4.5.1 TCG_EfiSpecIdEvent), used for the TDX CCEL
 * (UEFI 2.10 §38.4, ACPI CCEL table) and usable for TPM logs. Internal (not installed). It sits in
 * core because two layers read the format: the configfs-tsm attester finds the used part of the
 * CCEL area (src/evidence/tsm_ccel.c) and the TDX verifier replays it (src/verify/tdx_eventlog.c).
 */
#ifndef ATEA_CORE_EVENTLOG_H
#define ATEA_CORE_EVENTLOG_H

#include <stddef.h>
#include <stdint.h>

#include "atea/error.h"
#include "atea/types.h"

/* Caps. A CCEL area is 64 KiB..a few MiB; the largest events are EFI variables (db, KEK). */
#define ATEA_EVENTLOG_MAX_SIZE (4 * 1024 * 1024)
#define ATEA_EVENTLOG_MAX_EVENTS 8192
#define ATEA_EVENTLOG_MAX_EVENT_DATA (256 * 1024)
#define ATEA_EVENTLOG_MAX_ALGS 8
#define ATEA_EVENTLOG_MAX_DIGEST 64

/* TCG algorithm identifiers (TCG Algorithm Registry). */
#define ATEA_TPM_ALG_SHA1 0x0004
#define ATEA_TPM_ALG_SHA256 0x000B
#define ATEA_TPM_ALG_SHA384 0x000C
#define ATEA_TPM_ALG_SHA512 0x000D

/* Event types used here (PFP §10.4.1). */
#define ATEA_EV_NO_ACTION 0x00000003u
#define ATEA_EV_EVENT_TAG 0x00000006u
#define ATEA_EV_IPL 0x0000000Du
#define ATEA_EV_EFI_BOOT_SERVICES_APPLICATION 0x80000003u

typedef struct atea_eventlog_event {
    size_t offset;  /* of the event in the log */
    uint32_t index; /* PCR index, or CC MR index in a CCEL */
    uint32_t type;
    const uint8_t *digest; /* the digest of the requested bank */
    size_t digest_len;
    atea_slice data; /* the event data */
} atea_eventlog_event;

/* Called for every TCG_PCR_EVENT2 (not for the Spec ID header). A failure stops the parse. */
typedef atea_err (*atea_eventlog_cb)(void *user, const atea_eventlog_event *ev);

/*
 * Parse log[0..len): the Spec ID header event, then TCG_PCR_EVENT2 records up to the end or to
 * padding. The log ends where an event would start whose bytes are all 0x00 or all 0xFF, and
 * from there to the end of the area every byte must be that same value (the unused part of a
 * CCEL area, which firmware fills with 0xFF; anything else there is malformed, not ignored).
 * `alg` selects the digest bank passed to cb; it must be declared in the header. *count =
 * events seen (may be NULL). Returns ATEA_ERR_EVENTLOG_MALFORMED (header, unknown algorithm,
 * digest count, bank absent), ATEA_ERR_TRUNCATED, ATEA_ERR_TOO_LARGE (caps), or cb's failure.
 */
atea_err atea_eventlog_parse(const uint8_t *log, size_t len, uint16_t alg, atea_eventlog_cb cb,
                             void *user, size_t *count) ATEA_MUST_USE;

/*
 * The used part of a log area: *used = the offset where the padding starts (the end of the last
 * event, or of the Spec ID header if there is no event), so that log[0..*used) is the whole log
 * without the unused space. Every event is parsed as by atea_eventlog_parse (any digest bank);
 * *count (may be NULL) = events seen. Returns the codes of atea_eventlog_parse.
 */
atea_err atea_eventlog_used_len(const uint8_t *log, size_t len, size_t *used,
                                size_t *count) ATEA_MUST_USE;

#endif
