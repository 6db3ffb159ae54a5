/* The session's appraise callback over atea's verifier (atea_session_appraise_verifier): the
 * session stays independent of the verifier's internals (it only knows the callback type), and
 * applications that use atea's verifier need no glue of their own. */
#include "atea/session.h"
#include "atea/verify.h"

atea_err atea_session_appraise_verifier(void *verifier, const uint8_t *cmw, size_t len,
                                        const atea_binding *expected, atea_appraisal *out)
{
    return atea_verify_cmw((atea_verifier *)verifier, cmw, len, expected, out);
}
