/* Error codes of the session layer. See atea/error.h for the ranges this layer may use. */
#ifndef ATEA_ERRORS_SESSION_H
#define ATEA_ERRORS_SESSION_H

#define ATEA_ERRORS_SESSION(X)

#endif
