/* Error codes of the cca verifier/attester. See atea/error.h for this file's ranges. */
#ifndef ATEA_ERRORS_CCA_H
#define ATEA_ERRORS_CCA_H

#define ATEA_ERRORS_CCA(X)

#endif
