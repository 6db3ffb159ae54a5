/*
 * A fake configfs-tsm for tests (evidence-formats.md §1.4): an atea_tsm_fs that emulates what
 * the kernel does for a report entry under a real temporary directory:
 *   - mkdir creates the entry; its attributes (provider, generation, inblob, outblob, auxblob)
 *     exist only virtually, as configfs attributes do;
 *   - a write to inblob stores it (> 64 bytes: EFBIG) and increments generation;
 *   - outblob is EINVAL before inblob was written, EINVAL for tdx/sev providers unless inblob
 *     was exactly 64 bytes, and otherwise the REAL sample file, read in place on every read;
 *   - auxblob exists for sev_guest only;
 *   - the ACPI CCEL table and its log area (<acpi_tables>/CCEL, <acpi_tables>/data/CCEL) are
 *     served from ccel_table / ccel_data when set, else they do not exist.
 * Fault knobs let tests provoke each error path.
 */
#ifndef ATEA_TEST_FAKE_TSM_H
#define ATEA_TEST_FAKE_TSM_H

#include <stddef.h>
#include <stdint.h>

#include "atea/tsm.h"
#include "atea/types.h"

typedef struct fake_tsm {
    atea_tsm_fs fs; /* put &fake.fs into atea_tsm_opts.fs */
    char root[64];  /* a fresh temporary directory: the configfs root */
    /* configuration */
    const char *provider;        /* text served as `provider` ("tdx_guest\n"), NULL: no file */
    const char *outblob_path;    /* the sample served as `outblob` */
    atea_buf auxblob;            /* served as `auxblob` for sev_guest (owned) */
    unsigned concurrent_writes;  /* extra generation bumps per inblob write (a racing writer) */
    const char *generation_text; /* if set, served instead of the counter */
    char acpi_tables[96];        /* put into atea_tsm_opts.acpi_tables (a virtual path) */
    atea_buf ccel_table;         /* served as <acpi_tables>/CCEL if data != NULL (owned) */
    atea_buf ccel_data;          /* served as <acpi_tables>/data/CCEL if data != NULL (owned) */
    /* observed state */
    char entry[256];         /* path of the entry that exists, "" if none */
    unsigned mkdirs, rmdirs; /* calls */
    unsigned long generation;
    uint8_t inblob[64];
    size_t inblob_len;
    int inblob_written;
} fake_tsm;

/* Create the root directory and the fs table. */
void fake_tsm_init(fake_tsm *f, const char *provider, const char *outblob_path);

/* Remove the root (and a leftover entry) and free auxblob. */
void fake_tsm_dispose(fake_tsm *f);

/* A CCEL ACPI table (include/atea/tsm.h layout) with a valid checksum. */
atea_buf fake_tsm_ccel_table(uint8_t cc_type, uint64_t laml, uint64_t lasa);

/* An SNP extended-report certificate table (GHCB 56421 §4.1.8.1) holding one VCEK (DER file
 * read in place), as the kernel serves it in auxblob. */
atea_buf fake_tsm_snp_cert_table(const char *vcek_der_path);

#endif
