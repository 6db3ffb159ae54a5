/* Error codes of the snp verifier/attester. See atea/error.h for this file's ranges. */
#ifndef ATEA_ERRORS_SNP_H
#define ATEA_ERRORS_SNP_H

#define ATEA_ERRORS_SNP(X)

#endif
