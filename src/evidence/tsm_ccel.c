/*
 * The TDX CC event log for the configfs-tsm attester (include/atea/tsm.h).
 *
 * ACPI 6.5 §5.2.34 (CCEL) and Linux include/acpi/actbl2.h struct acpi_table_ccel, little-endian:
 *   0  char signature[4] "CCEL"    4  u32 length (of the table)    8  u8 revision, u8 checksum,
 *   10 oem_id[6], oem_table_id[8], u32 oem_revision, creator_id[4], u32 creator_revision
 *   36 u8 cc_type (2 = TDX)  37 u8 cc_subtype  38 u16 reserved
 *   40 u64 log_area_minimum_length (LAML)  48 u64 log_area_start_address (LASA)   = 56 bytes
 * Linux (drivers/acpi/sysfs.c, acpi_ccel_data_init) publishes the area as tables/data/CCEL only
 * when LAML and LASA are non-zero, with a size of exactly LAML. Firmware fills the unused part of
 * the area with 0xFF, so the area is mostly padding: only the used part is sent (it must fit in
 * the CMW of the cmw_attestation extension).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "core/eventlog.h"
#include "core/rd.h"
#include "evidence/tsm_internal.h"

#define ACPI_HEADER_REST 28 /* revision .. creator_revision, after signature and length */

typedef struct ccel_table {
    uint8_t cc_type;
    uint8_t cc_subtype;
    uint64_t laml;
    uint64_t lasa;
} ccel_table;

static atea_err parse_table(const uint8_t *data, size_t len, const char *path, ccel_table *t)
{
    atea_err err = ATEA_OK;
    atea_rd rd;
    uint8_t sig[4];
    uint32_t length = 0;
    uint16_t reserved = 0;
    ATEA_ENSURE_MSG(len == ATEA_TSM_CCEL_TABLE_LEN, ATEA_ERR_TSM_CCEL_TABLE,
                    "%s has %zu bytes, a CCEL table has %d", path, len, ATEA_TSM_CCEL_TABLE_LEN);
    atea_rd_init(&rd, data, len);
    ATEA_TRY(atea_rd_copy(&rd, sig, sizeof(sig)));
    ATEA_ENSURE_MSG(memcmp(sig, "CCEL", 4) == 0, ATEA_ERR_TSM_CCEL_TABLE,
                    "%s: signature is not \"CCEL\"", path);
    ATEA_TRY(atea_rd_u32le(&rd, &length));
    ATEA_ENSURE_MSG(length == len, ATEA_ERR_TSM_CCEL_TABLE,
                    "%s: the table's length field says %u bytes, the file has %zu", path, length,
                    len);
    ATEA_TRY(atea_rd_skip(&rd, ACPI_HEADER_REST));
    ATEA_TRY(atea_rd_u8(&rd, &t->cc_type));
    ATEA_TRY(atea_rd_u8(&rd, &t->cc_subtype));
    ATEA_TRY(atea_rd_u16le(&rd, &reserved));
    ATEA_TRY(atea_rd_u64le(&rd, &t->laml));
    ATEA_TRY(atea_rd_u64le(&rd, &t->lasa));
    ATEA_TRY(atea_rd_end(&rd));
    ATEA_ENSURE_MSG(t->cc_type == ATEA_TSM_CCEL_TYPE_TDX, ATEA_ERR_TSM_CCEL_TABLE,
                    "%s: CC type %u is not TDX (%d)", path, t->cc_type, ATEA_TSM_CCEL_TYPE_TDX);
    ATEA_ENSURE_MSG(
        t->laml > 0 && t->laml <= ATEA_TSM_MAX_CCEL_AREA && t->lasa != 0, ATEA_ERR_TSM_CCEL_TABLE,
        "%s: log area of %llu bytes at 0x%llx (needs 1..%u bytes at a non-zero "
        "address)",
        path, (unsigned long long)t->laml, (unsigned long long)t->lasa, ATEA_TSM_MAX_CCEL_AREA);
out:
    return err;
}

/* The whole file into buf[0..cap); *absent = 1 (ATEA_OK) if it does not exist. */
static atea_err read_file(const atea_tsm_fs *fs, const char *path, uint8_t *buf, size_t cap,
                          atea_err too_large, size_t *len, int *absent)
{
    atea_err err = ATEA_OK;
    int rc = fs->read(fs->user, path, buf, cap, len);
    *absent = rc == -ENOENT;
    if (*absent) {
        goto out;
    }
    ATEA_ENSURE_MSG(rc != -EFBIG, too_large, "%s is larger than %zu bytes", path, cap);
    ATEA_ENSURE_MSG(rc == 0, ATEA_ERR_TSM_IO, "read %s: %s", path, strerror(-rc));
out:
    return err;
}

/* The used part of the area; a parse failure is the attester's (ATEA_ERR_TSM_EVENTLOG). */
static atea_err used_part(const uint8_t *area, size_t len, const char *path, size_t *used,
                          size_t *events)
{
    atea_err err = ATEA_OK;
    atea_err parsed = atea_eventlog_used_len(area, len, used, events);
    if (parsed != ATEA_OK) {
        char detail[sizeof(atea_err_last()->detail)];
        snprintf(detail, sizeof(detail), "%s", atea_err_detail(parsed));
        ATEA_FAIL(ATEA_ERR_TSM_EVENTLOG, "%s: %s (%s)", path, detail, atea_err_name(parsed));
    }
out:
    return err;
}

atea_err atea__tsm_read_ccel(const atea_tsm_opts *opts, const atea_tsm_fs *fs, atea_buf *log)
{
    atea_err err = ATEA_OK;
    char path[ATEA_TSM_MAX_PATH + 16];
    uint8_t table[ATEA_TSM_CCEL_TABLE_LEN + 1];
    uint8_t *area = NULL;
    size_t len = 0;
    size_t used = 0;
    size_t events = 0;
    int absent = 0;
    ccel_table t;
    const char *dir = opts->acpi_tables != NULL ? opts->acpi_tables : ATEA_TSM_DEFAULT_ACPI_TABLES;
    ATEA_ENSURE_MSG(strlen(dir) < ATEA_TSM_MAX_PATH, ATEA_ERR_INVALID_ARG,
                    "ACPI tables path too long");
    (void)snprintf(path, sizeof(path), "%s/CCEL", dir);
    /* one byte more than a table: a longer file is reported by its length, not as EFBIG */
    ATEA_TRY(read_file(fs, path, table, sizeof(table), ATEA_ERR_TSM_CCEL_TABLE, &len, &absent));
    if (absent) {
        atea_logf(&opts->log, ATEA_LOG_DEBUG, "tsm: no %s: the quote goes without an event log",
                  path);
        goto out;
    }
    ATEA_TRY(parse_table(table, len, path, &t));
    (void)snprintf(path, sizeof(path), "%s/data/CCEL", dir);
    area = malloc((size_t)t.laml);
    ATEA_ENSURE_ALLOC(area);
    ATEA_TRY(read_file(fs, path, area, (size_t)t.laml, ATEA_ERR_TSM_EVENTLOG, &len, &absent));
    if (absent) {
        atea_logf(&opts->log, ATEA_LOG_WARN, "tsm: CCEL table but no %s: no event log", path);
        goto out;
    }
    ATEA_ENSURE_MSG(len == t.laml, ATEA_ERR_TSM_EVENTLOG,
                    "%s has %zu bytes, the CCEL table's log area has %llu", path, len,
                    (unsigned long long)t.laml);
    ATEA_TRY(used_part(area, len, path, &used, &events));
    ATEA_TRY(atea_buf_set(log, area, used));
    atea_logf(&opts->log, ATEA_LOG_DEBUG, "tsm: CCEL: %zu events in %zu of %zu bytes", events, used,
              len);
out:
    free(area);
    return err;
}
