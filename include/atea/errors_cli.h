/* Error codes of the cli layer. See atea/error.h for the ranges this layer may use. */
#ifndef ATEA_ERRORS_CLI_H
#define ATEA_ERRORS_CLI_H

#define ATEA_ERRORS_CLI(X)

#endif
