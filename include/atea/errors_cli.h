/* Error codes of the command-line tool (tools/atea). See atea/error.h for the ranges. */
#ifndef ATEA_ERRORS_CLI_H
#define ATEA_ERRORS_CLI_H

#define ATEA_ERRORS_CLI(X)                                                                         \
    X(ATEA_ERR_CLI_FILE, -530, "a file cannot be opened, read or written")                         \
    X(ATEA_ERR_CLI_UNRECOGNISED, -531,                                                             \
      "the input is not a message or evidence format atea recognises")

#endif
