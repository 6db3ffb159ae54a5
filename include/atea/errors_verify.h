/* Error codes of the verify layer. See atea/error.h for the ranges this layer may use. */
#ifndef ATEA_ERRORS_VERIFY_H
#define ATEA_ERRORS_VERIFY_H

#define ATEA_ERRORS_VERIFY(X)

#endif
