/* Internal interfaces between the configfs-tsm files (tsm.c, tsm_ccel.c, tsm_attester.c). */
#ifndef ATEA_EVIDENCE_TSM_INTERNAL_H
#define ATEA_EVIDENCE_TSM_INTERNAL_H

#include "atea/tsm.h"

/*
 * Lift a caller's options of any known version to the current struct (style.md P6): the fields
 * an older version lacks take their defaults, and nothing beyond the caller's struct is read.
 * Returns ATEA_ERR_INVALID_ARG, ATEA_ERR_EVIDENCE_OPTS_VERSION.
 */
atea_err atea__tsm_opts_lift(const atea_tsm_opts *in, atea_tsm_opts *out) ATEA_MUST_USE;

/*
 * Read the TDX CC event log (include/atea/tsm.h): the CCEL table under opts->acpi_tables, then
 * its log area, of which the used part goes to *log. No table or no log area: *log stays empty
 * and ATEA_OK. Errors: ATEA_ERR_TSM_CCEL_TABLE, ATEA_ERR_TSM_EVENTLOG, ATEA_ERR_TSM_IO,
 * ATEA_ERR_NO_MEMORY.
 */
atea_err atea__tsm_read_ccel(const atea_tsm_opts *opts, const atea_tsm_fs *fs,
                             atea_buf *log) ATEA_MUST_USE;

#endif
