/* Error codes of the tpm verifier/attester. See atea/error.h for this file's ranges. */
#ifndef ATEA_ERRORS_TPM_H
#define ATEA_ERRORS_TPM_H

#define ATEA_ERRORS_TPM(X)

#endif
