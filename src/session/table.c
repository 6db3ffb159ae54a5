/*
 * The state x frame table (style.md P4, after s2n tls13_state_machine[]): which frame type is
 * legal in which phase, and its handler. A NULL cell is a protocol error
 * (ATEA_ERR_FRAME_UNEXPECTED). Finer per-direction checks (is a request outstanding? does the
 * RESULT answer our authenticator?) are in the handlers, which fail with
 * ATEA_ERR_SESSION_UNSOLICITED.
 *
 *                 HELLO   REQUEST  AUTHENTICATOR  RESULT  ERROR   DATA
 *   WAIT_HELLO    hello   -        -              -       error   -
 *   OPEN          -       request  authenticator  result  error   data
 *   CLOSED        -       -        -              -       -       -
 *
 * In WAIT_HELLO the peer has not told us its roles and profile yet, so nothing but its HELLO
 * (or its ERROR) can be understood. A second HELLO is refused: roles and profile are fixed for
 * the connection.
 */
#include "session_internal.h"

static const session_handler table[PHASE_COUNT][ATEA_FRAME_TYPE_MAX + 1] = {
    [PHASE_WAIT_HELLO] =
        {
            [ATEA_FRAME_HELLO] = atea__session_recv_hello,
            [ATEA_FRAME_ERROR] = atea__session_recv_error,
        },
    [PHASE_OPEN] =
        {
            [ATEA_FRAME_REQUEST] = atea__session_recv_request,
            [ATEA_FRAME_AUTHENTICATOR] = atea__session_recv_authenticator,
            [ATEA_FRAME_RESULT] = atea__session_recv_result,
            [ATEA_FRAME_ERROR] = atea__session_recv_error,
            [ATEA_FRAME_DATA] = atea__session_recv_data,
        },
    [PHASE_CLOSED] = {0},
};

session_handler atea__session_handler(session_phase phase, unsigned frame_type)
{
    if ((unsigned)phase >= PHASE_COUNT || frame_type > ATEA_FRAME_TYPE_MAX) {
        return NULL;
    }
    return table[phase][frame_type];
}
