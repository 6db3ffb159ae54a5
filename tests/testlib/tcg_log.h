/*
 * Builds TCG2 crypto-agile event logs for tests (TCG PC Client PFP §10.2): a Spec ID header with
 * SHA-256 and SHA-384 banks, then TCG_PCR_EVENT2 records whose digests are computed here (each
 * event: u32 index, u32 type, u32 count 2, SHA-384 digest first, then SHA-256, u32 size, data), and
 * the RTMR values a replay of the SHA-384 bank must give (UEFI CC MR index 1..4 = RTMR0..3).
 */
#ifndef ATEA_TEST_TCG_LOG_H
#define ATEA_TEST_TCG_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "atea/types.h"

typedef struct tcg_log {
    uint8_t data[16384];
    size_t len;
    size_t ends[64]; /* offsets where the header and each event end */
    size_t n_ends;
    uint8_t rtmr[4][48]; /* the replay of what was added */
} tcg_log;

/* Start a log: the Spec ID header event. */
void tcg_log_init(tcg_log *log);

/* Add an event measuring data (mr 1..4, or any index for EV_NO_ACTION, which is not replayed);
 * digest (may be NULL) receives its SHA-384. */
void tcg_log_event(tcg_log *log, uint32_t mr, uint32_t type, const void *data, size_t n,
                   uint8_t digest[48]);

/* A log area of area_len bytes: the log, then `pad` bytes (firmware fills with 0xFF). */
atea_buf tcg_log_area(const tcg_log *log, size_t area_len, uint8_t pad);

#endif
