/* Reading the CLI's input files: a path or "-" (stdin), binary or hexadecimal text. */
#ifndef ATEA_CLI_INPUT_H
#define ATEA_CLI_INPUT_H

#include <stddef.h>

#include "atea/types.h"

/* Inputs larger than this are refused: no message or evidence atea handles is near it. */
#define ATEA_CLI_MAX_INPUT (16u * 1024u * 1024u)

/* Read path ("-" = stdin) whole, refusing more than max bytes (ATEA_ERR_TOO_LARGE). */
atea_err atea_cli_read_file(const char *path, size_t max, atea_buf *out) ATEA_MUST_USE;

/* Read, and if the content is hexadecimal text (digits, whitespace, ':'), decode it; *was_hex
 * says which. */
atea_err atea_cli_read_input(const char *path, atea_buf *out, int *was_hex) ATEA_MUST_USE;

/* Write buf to path ("-" = stdout), creating it with mode 0644. */
atea_err atea_cli_write_file(const char *path, const uint8_t *data, size_t len) ATEA_MUST_USE;

#endif
