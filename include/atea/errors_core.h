/* Error codes of the core layer (bounded reader/writer, memory, hex). See atea/error.h. */
#ifndef ATEA_ERRORS_CORE_H
#define ATEA_ERRORS_CORE_H

#define ATEA_ERRORS_CORE(X)                                                                        \
    X(ATEA_ERR_INVALID_ARG, -100, "an argument is NULL, out of range or inconsistent")             \
    X(ATEA_ERR_BAD_STATE, -101, "the object is not in a state that allows this call")              \
    X(ATEA_ERR_WANT_READ, -102, "more input is needed; call again when it arrives")                \
    X(ATEA_ERR_WANT_WRITE, -103, "output is pending; send it and call again")                      \
    X(ATEA_ERR_BUFFER_TOO_SMALL, -104, "the output buffer is too small for the result")            \
    X(ATEA_ERR_NESTING, -105, "too many length-prefixed vectors are open at once")                 \
    X(ATEA_ERR_TRUNCATED, -200, "the input ends before the structure it encodes does")             \
    X(ATEA_ERR_TRAILING, -201, "unexpected bytes follow the end of the structure")                 \
    X(ATEA_ERR_VEC_LENGTH, -202, "a length-prefixed vector is shorter or longer than allowed")     \
    X(ATEA_ERR_TOO_LARGE, -203, "the input exceeds a size limit")                                  \
    X(ATEA_ERR_BAD_HEX, -204, "the text is not valid hexadecimal")                                 \
    X(ATEA_ERR_DER_MALFORMED, -205,                                                                \
      "the certificate is not well-formed DER X.509 (see the detail for the field)")               \
    X(ATEA_ERR_CBOR_MALFORMED, -206,                                                               \
      "the CBOR data is not well-formed (reserved value, misplaced break or bad string chunk)")    \
    X(ATEA_ERR_CBOR_TYPE, -207,                                                                    \
      "a CBOR item has a type, form or value range that the structure does not allow")             \
    X(ATEA_ERR_CBOR_DEPTH, -208, "CBOR items are nested deeper than the limit allows")             \
    X(ATEA_ERR_CBOR_UTF8, -209, "a CBOR text string is not valid UTF-8")                           \
    X(ATEA_ERR_NO_MEMORY, -900, "out of memory")                                                   \
    X(ATEA_ERR_INTERNAL, -901, "internal error in atea (please report it)")

#endif
