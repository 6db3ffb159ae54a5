/* Shared by the TPM verifier's files (src/verify/tpm*.c). */
#ifndef ATEA_VERIFY_TPM_INTERNAL_H
#define ATEA_VERIFY_TPM_INTERNAL_H

#include "atea/appraisal.h"
#include "atea/error.h"

/* Pass `failure` through. If it is not ATEA_OK, first record it (with the thread's failure
 * detail) as a CONTRAINDICATED reason of submodule "tpm", declaring the submodule if needed;
 * the thread's failure context stays that of `failure` even if recording fails. */
atea_err atea__tpm_recorded(atea_appraisal *out, atea_err failure);

#endif
