/* Error codes of the evidence layer. See atea/error.h for the ranges this layer may use. */
#ifndef ATEA_ERRORS_EVIDENCE_H
#define ATEA_ERRORS_EVIDENCE_H

#define ATEA_ERRORS_EVIDENCE(X)

#endif
