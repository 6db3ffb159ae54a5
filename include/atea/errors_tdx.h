/* Error codes of the tdx verifier/attester. See atea/error.h for this file's ranges. */
#ifndef ATEA_ERRORS_TDX_H
#define ATEA_ERRORS_TDX_H

#define ATEA_ERRORS_TDX(X)

#endif
