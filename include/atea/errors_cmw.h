/* Error codes of the cmw layer. See atea/error.h for the ranges this layer may use. */
#ifndef ATEA_ERRORS_CMW_H
#define ATEA_ERRORS_CMW_H

#define ATEA_ERRORS_CMW(X)

#endif
