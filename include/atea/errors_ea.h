/* Error codes of the ea layer. See atea/error.h for the ranges this layer may use. */
#ifndef ATEA_ERRORS_EA_H
#define ATEA_ERRORS_EA_H

#define ATEA_ERRORS_EA(X)

#endif
