/* Error codes of the cmw layer (RATS CMW, RFC 9999). See atea/error.h: range -240..-259. */
#ifndef ATEA_ERRORS_CMW_H
#define ATEA_ERRORS_CMW_H

#define ATEA_ERRORS_CMW(X)                                                                         \
    X(ATEA_ERR_CMW_FORMAT, -240,                                                                   \
      "the input is not a CMW: its first byte starts none of the CMW forms (RFC 9999 §4.6)")       \
    X(ATEA_ERR_CMW_RECORD, -241,                                                                   \
      "a CMW record is not an array of 2 or 3 elements [type, value, ind] (RFC 9999 §3.1)")        \
    X(ATEA_ERR_CMW_TYPE, -242,                                                                     \
      "a CMW record type is neither a valid media type nor a 16-bit CoAP Content-Format")          \
    X(ATEA_ERR_CMW_VALUE, -243,                                                                    \
      "a CMW record value is not a byte string (CBOR) or a base64url text (JSON)")                 \
    X(ATEA_ERR_CMW_IND, -244,                                                                      \
      "a CMW indicator (ind) is not an integer in 1..31 (RFC 9999 §3.1.1)")                        \
    X(ATEA_ERR_CMW_TAG, -245,                                                                      \
      "a CBOR tag is not a CMW tag: its number is outside the TN() range or it wraps no byte "     \
      "string (RFC 9999 §3.2)")                                                                    \
    X(ATEA_ERR_CMW_COLLECTION, -246,                                                               \
      "a CMW collection is not a map of labels to CMWs with at least one entry (RFC 9999 §3.3)")   \
    X(ATEA_ERR_CMW_LABEL, -247,                                                                    \
      "a CMW collection label is not an integer or a text without NUL, or is too long")            \
    X(ATEA_ERR_CMW_DUPLICATE, -248, "a CMW collection (or JSON object) repeats a label")           \
    X(ATEA_ERR_CMW_CTYPE, -249,                                                                    \
      "the collection type __cmwc_t is not an absolute URI or a dotted-decimal OID")               \
    X(ATEA_ERR_CMW_DEPTH, -250, "CMW collections are nested deeper than the limit allows")         \
    X(ATEA_ERR_CMW_ENTRIES, -251,                                                                  \
      "a CMW collection has more entries (or the CMW more nodes) than the limit allows")           \
    X(ATEA_ERR_CMW_JSON, -252,                                                                     \
      "the JSON text is not valid JSON (syntax, encoding, duplicate key or trailing data)")        \
    X(ATEA_ERR_CMW_BASE64URL, -253,                                                                \
      "a JSON CMW value is not unpadded base64url (RFC 4648 §5) or is empty")                      \
    X(ATEA_ERR_CMW_NOT_JSON, -254,                                                                 \
      "this CMW cannot be written as JSON: it holds a CBOR tag, a Content-Format type or an "      \
      "integer label")

#endif
