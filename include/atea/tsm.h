/*
 * configfs-tsm attester (Linux 6.7+, evidence-formats.md §1.1): one kernel interface for Intel
 * TDX, AMD SEV-SNP and Arm CCA guests. For each report atea
 *   1. creates a report entry:     mkdir <root>/<entry>
 *   2. reads `provider`            (tdx_guest / sev_guest / arm_cca_guest) and `generation`
 *   3. writes the 64-byte inblob   (one write, committed on close)
 *   4. reads `outblob` (and, for SNP, `auxblob`: the certificate table)
 *   5. reads `generation` again:   it must have moved by exactly one (our write), otherwise
 *                                  another process used the entry (ATEA_ERR_TSM_GENERATION)
 *   6. removes the entry:          rmdir
 * and wraps the result in the CMW of profile.md §5 (docs/evidence/TSM.md):
 *   tdx_guest      record  application/vnd.intel.tdx.quote, ind 4; or, when the guest exposes a
 *                  CC event log (ACPI CCEL), collection
 *                  { "quote":    record application/vnd.intel.tdx.quote (ind 4),
 *                    "eventlog": record application/vnd.tcg.tcg2-eventlog (ind 4) }
 *   sev_guest      collection { "report": record application/vnd.amd.sev-snp.report (ind 4),
 *                               "certs":  record application/vnd.amd.sev-snp.certificates }
 *                  ("certs" only when the host supplied a certificate table)
 *   arm_cca_guest  record  application/eat-collection; profile="http://arm.com/CCA-SSD/1.0.0"
 *
 * The CCEL (ACPI 6.5 §5.2.34; Linux drivers/acpi/sysfs.c) is two files: the table
 * <acpi_tables>/CCEL (ACPI header, CC type 2 = TDX, subtype, reserved, u64 log area minimum length
 * LAML, u64 log area start address LASA: 56 bytes) and the log area <acpi_tables>/data/CCEL
 * (exactly LAML bytes). Only the used part of the area is sent: the TCG2 log ends at the first
 * all-0xFF / all-0x00 event, and the rest of the area must be that padding (src/core/eventlog.h).
 *
 * File operations (configfs and the ACPI files) go through atea_tsm_fs so that tests can emulate
 * the kernel (tests/testlib/fake_tsm.[ch]); NULL means the real file system.
 */
#ifndef ATEA_TSM_H
#define ATEA_TSM_H

#include <stddef.h>
#include <stdint.h>

#include "atea/error.h"
#include "atea/evidence.h"
#include "atea/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ATEA_TSM_DEFAULT_ROOT "/sys/kernel/config/tsm/report"
#define ATEA_TSM_INBLOB_LEN 64             /* TDX and SNP require exactly 64 bytes */
#define ATEA_TSM_MAX_OUTBLOB (64u * 1024u) /* real quotes are ~5-8 KiB, SNP reports 1184 B */
#define ATEA_TSM_MAX_AUXBLOB (64u * 1024u) /* = ATEA_SNP_CERT_TABLE_MAX_SIZE */
#define ATEA_TSM_MAX_SMALL_FILE 64         /* provider, generation */
#define ATEA_TSM_MAX_PATH 512
#define ATEA_TSM_DEFAULT_ACPI_TABLES "/sys/firmware/acpi/tables"
#define ATEA_TSM_CCEL_TABLE_LEN 56                  /* struct acpi_table_ccel */
#define ATEA_TSM_CCEL_TYPE_TDX 2                    /* ACPI 6.5 Table 5.159, CC Type */
#define ATEA_TSM_MAX_CCEL_AREA (4u * 1024u * 1024u) /* LAML cap (= the verifier's log cap) */

/* The TDX collection (a quote and the CC event log that explains its RTMRs). */
#define ATEA_TSM_TDX_LABEL_QUOTE "quote"
#define ATEA_TSM_TDX_LABEL_EVENTLOG "eventlog"

/* The SNP collection (profile.md §5: "collection with the certificate table"). */
#define ATEA_TSM_SNP_LABEL_REPORT "report"
#define ATEA_TSM_SNP_LABEL_CERTS "certs"
#define ATEA_TSM_SNP_MT_CERTS "application/vnd.amd.sev-snp.certificates"

typedef enum atea_tsm_provider {
    ATEA_TSM_PROVIDER_TDX = 1, /* "tdx_guest" */
    ATEA_TSM_PROVIDER_SNP = 2, /* "sev_guest" */
    ATEA_TSM_PROVIDER_CCA = 3, /* "arm_cca_guest" */
} atea_tsm_provider;

/* File operations on the configfs tree. Each returns 0 or a negative errno. */
typedef struct atea_tsm_fs {
    void *user;
    int (*mkdir)(void *user, const char *path);
    int (*rmdir)(void *user, const char *path);
    /* Read the whole file into buf[0..cap); -EFBIG if it holds more than cap bytes. */
    int (*read)(void *user, const char *path, uint8_t *buf, size_t cap, size_t *len);
    /* Write the whole of data in one write and commit it (close). */
    int (*write)(void *user, const char *path, const uint8_t *data, size_t len);
} atea_tsm_fs;

#define ATEA_TSM_OPTS_V1 1u
#define ATEA_TSM_OPTS_V2 2u /* appends acpi_tables, no_eventlog */
#define ATEA_TSM_OPTS_VERSION ATEA_TSM_OPTS_V2

typedef struct atea_tsm_opts {
    unsigned version;
    const char *root;       /* default ATEA_TSM_DEFAULT_ROOT */
    const char *entry_name; /* report entry name; NULL: "atea-<pid>-<counter>" */
    const atea_tsm_fs *fs;  /* NULL: the real file system */
    atea_log log;
    /* V2. Where the ACPI tables are (CCEL and data/CCEL); NULL: ATEA_TSM_DEFAULT_ACPI_TABLES. */
    const char *acpi_tables;
    /* V2. 1: never attach the event log (the plain quote record, as V1 did). Default 0. */
    int no_eventlog;
} atea_tsm_opts;

void atea_tsm_opts_default_versioned(unsigned version, atea_tsm_opts *opts);
#define atea_tsm_opts_default(opts) atea_tsm_opts_default_versioned(ATEA_TSM_OPTS_VERSION, (opts))

typedef struct atea_tsm_report {
    atea_tsm_provider provider;
    atea_buf outblob;
    atea_buf auxblob;  /* SNP only; may be empty */
    atea_buf eventlog; /* TDX only: the used part of the CCEL log area; empty if there is none */
} atea_tsm_report;

/*
 * Steps 1-6 above with inblob = report_data. Errors: ATEA_ERR_INVALID_ARG,
 * ATEA_ERR_EVIDENCE_OPTS_VERSION, ATEA_ERR_TSM_INBLOB_SIZE (inblob_len != 64),
 * ATEA_ERR_TSM_ROOT (root missing), ATEA_ERR_TSM_IO (mkdir/read/write/rmdir failed: the detail has
 * the path and errno text), ATEA_ERR_TSM_PROVIDER_MISSING, ATEA_ERR_TSM_PROVIDER_UNKNOWN,
 * ATEA_ERR_TSM_GENERATION_FORMAT, ATEA_ERR_TSM_GENERATION, ATEA_ERR_TSM_OUTBLOB (empty or over
 * ATEA_TSM_MAX_OUTBLOB), ATEA_ERR_TSM_AUXBLOB, ATEA_ERR_NO_MEMORY. The entry is removed on
 * every path once created.
 * For tdx_guest (unless no_eventlog) the CCEL is read too: absent table or log area = no event
 * log (not an error); ATEA_ERR_TSM_CCEL_TABLE (the table is not 56 bytes, signature, length
 * field, CC type not TDX, LAML 0 or over ATEA_TSM_MAX_CCEL_AREA, LASA 0), ATEA_ERR_TSM_EVENTLOG
 * (the area is not LAML bytes, unreadable, or not a TCG2 log: the detail has the parser's).
 */
atea_err atea_tsm_get_report(const atea_tsm_opts *opts, const uint8_t *inblob, size_t inblob_len,
                             atea_tsm_report *report) ATEA_MUST_USE;

void atea_tsm_report_dispose(atea_tsm_report *report);

/* The CBOR CMW for a report (table above; the TDX collection when report->eventlog is not
 * empty). Errors: ATEA_ERR_INVALID_ARG, CMW codes (ATEA_ERR_TOO_LARGE when the log and quote
 * exceed ATEA_CMW_MAX_INPUT). */
atea_err atea_tsm_report_to_cmw(const atea_tsm_report *report, atea_buf *cmw) ATEA_MUST_USE;

/* An attester (platform "tsm") whose attest() runs atea_tsm_get_report with
 * binding->report_data and returns atea_tsm_report_to_cmw. Options are copied.
 * Errors: ATEA_ERR_INVALID_ARG, ATEA_ERR_EVIDENCE_OPTS_VERSION, ATEA_ERR_NO_MEMORY. */
atea_err atea_tsm_attester_new(const atea_tsm_opts *opts, atea_attester **pattester) ATEA_MUST_USE;

/* "tdx_guest" etc.; NULL for an unknown value. */
const char *atea_tsm_provider_name(atea_tsm_provider provider);

#ifdef __cplusplus
}
#endif
#endif
