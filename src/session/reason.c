/* Reason codes (include/atea/reason.h): the registry and the one mapping from atea_err. */
#include "atea/reason.h"

#include "atea/error.h"

/*
 * The only mapping from atea_err to the reason sent to the peer (style.md P3; s2n
 * tls/s2n_alerts.c is the model). Codes of this layer and of the EA layer are listed one by
 * one; the codes of the evidence and verification layers all mean "the evidence does not
 * verify" to the peer (the detail stays local), and are mapped by class in the default branch,
 * as is every code that has no peer-visible meaning (usage, I/O, internal).
 */
uint16_t atea_reason_from_err(atea_err err)
{
    switch (err) {
    case ATEA_OK:
        return ATEA_REASON_NONE;
    /* framing and session protocol */
    case ATEA_ERR_TRUNCATED:
    case ATEA_ERR_TRAILING:
    case ATEA_ERR_VEC_LENGTH:
    case ATEA_ERR_FRAME_MALFORMED:
    case ATEA_ERR_FRAME_TRUNCATED:
    case ATEA_ERR_SESSION_PEER_CLOSED:
        return ATEA_REASON_PROTOCOL;
    case ATEA_ERR_FRAME_UNKNOWN_TYPE:
        return ATEA_REASON_UNKNOWN_FRAME;
    case ATEA_ERR_FRAME_TOO_LARGE:
    case ATEA_ERR_EA_MESSAGE_TOO_LARGE:
        return ATEA_REASON_FRAME_TOO_LARGE;
    case ATEA_ERR_FRAME_UNEXPECTED:
        return ATEA_REASON_UNEXPECTED_FRAME;
    case ATEA_ERR_HELLO_VERSION:
        return ATEA_REASON_VERSION;
    case ATEA_ERR_HELLO_ROLES:
        return ATEA_REASON_ROLES;
    case ATEA_ERR_HELLO_PROFILE:
        return ATEA_REASON_PROFILE;
    case ATEA_ERR_HELLO_FORMATS:
        return ATEA_REASON_NO_COMMON_FORMAT;
    case ATEA_ERR_SESSION_DATA_EARLY:
        return ATEA_REASON_DATA_BEFORE_ATTESTATION;
    case ATEA_ERR_SESSION_UNSOLICITED:
    case ATEA_ERR_EA_UNKNOWN_CONTEXT:
    case ATEA_ERR_EA_UNSOLICITED:
        return ATEA_REASON_UNSOLICITED;
    case ATEA_ERR_SESSION_CONTEXT_REUSED:
    case ATEA_ERR_EA_CONTEXT_REUSED:
    case ATEA_ERR_EA_CONTEXT_ANSWERED:
        return ATEA_REASON_CONTEXT_REUSED;
    case ATEA_ERR_SESSION_TIMEOUT:
        return ATEA_REASON_TIMEOUT;
    /* the authenticator request and the authenticator (RFC 9261) */
    case ATEA_ERR_EA_MSG_TYPE:
    case ATEA_ERR_EA_WRONG_DIRECTION:
    case ATEA_ERR_EA_DUP_EXTENSION:
    case ATEA_ERR_EA_TOO_MANY_EXTENSIONS:
    case ATEA_ERR_EA_NO_SIGALGS:
    case ATEA_ERR_EA_BAD_SIGALGS:
    case ATEA_ERR_EA_EXT_NOT_ALLOWED:
    case ATEA_ERR_EA_EMPTY_CERT_LIST:
    case ATEA_ERR_EA_NO_CONTEXT:
    case ATEA_ERR_EA_SCHEME_INVALID:
    case ATEA_ERR_EA_SCHEME_NOT_OFFERED:
    case ATEA_ERR_EA_SCHEME_KEY_MISMATCH:
    case ATEA_ERR_EA_NO_COMMON_SCHEME:
    case ATEA_ERR_EA_BAD_CMW:
    case ATEA_ERR_EA_CMW_NOT_FIRST:
        return ATEA_REASON_AUTHENTICATOR;
    case ATEA_ERR_EA_BAD_SIGNATURE:
        return ATEA_REASON_BAD_SIGNATURE;
    case ATEA_ERR_EA_BAD_FINISHED:
        return ATEA_REASON_BAD_FINISHED;
    case ATEA_ERR_EA_BAD_CERT:
    case ATEA_ERR_EA_CHAIN:
    case ATEA_ERR_EA_TOO_MANY_CERTS:
    case ATEA_ERR_SPKI_MALFORMED:
        return ATEA_REASON_BAD_CERTIFICATE;
    case ATEA_ERR_EA_UNREQUESTED_EXTENSION:
    case ATEA_ERR_EA_UNREQUESTED_CMW:
        return ATEA_REASON_UNSUPPORTED_EXTENSION;
    case ATEA_ERR_EA_CONTEXT_MISMATCH:
    case ATEA_ERR_CONTEXT_MISMATCH:
        return ATEA_REASON_CONTEXT_MISMATCH;
    case ATEA_ERR_EA_REFUSED:
    case ATEA_ERR_SESSION_REQUEST_NO_CMW:
        return ATEA_REASON_DECLINED;
    case ATEA_ERR_TLS_VERSION:
    case ATEA_ERR_TLS_NOT_READY:
    case ATEA_ERR_TLS_UNKNOWN_SUITE:
        return ATEA_REASON_TLS;
    /* the evidence and its appraisal */
    case ATEA_ERR_SESSION_NO_EVIDENCE:
        return ATEA_REASON_NO_EVIDENCE;
    case ATEA_ERR_BINDER_MISMATCH:
        return ATEA_REASON_BINDER_MISMATCH;
    case ATEA_ERR_AIK_HASH_MISMATCH:
        return ATEA_REASON_KEY_MISMATCH;
    case ATEA_ERR_REPORT_DATA_MISMATCH:
        return ATEA_REASON_REPORT_DATA_MISMATCH;
    case ATEA_ERR_SESSION_NOT_AFFIRMING:
        return ATEA_REASON_POLICY;
    case ATEA_ERR_SESSION_BINDING_UNCHECKED:
        return ATEA_REASON_BINDING_UNCHECKED;
    /* the sender's own resources */
    case ATEA_ERR_NO_MEMORY:
    case ATEA_ERR_SESSION_QUEUE_FULL:
    case ATEA_ERR_SESSION_TOO_MANY_CONTEXTS:
    case ATEA_ERR_EA_TOO_MANY_CONTEXTS:
        return ATEA_REASON_RESOURCE;
    default:
        break;
    }
    /* The evidence layer (attesters: -140..-144, -400..-419) fails on the attester's side. */
    int attester = (err <= -140 && err >= -144) || (err <= -400 && err >= -419);
    if (attester) {
        return ATEA_REASON_ATTESTER_FAILED;
    }
    /* Verification: -4xx, and the decode codes of CMW (-240..-259) and of verification and
     * platform parsing (-290..-299). The peer learns that its evidence failed; the operator
     * reads the detail locally. */
    int cmw_decode = err <= -240 && err >= -259;
    int verify_decode = err <= -290 && err >= -299;
    if (atea_err_class_of(err) == ATEA_ERR_CLASS_EVIDENCE || cmw_decode || verify_decode) {
        return ATEA_REASON_EVIDENCE;
    }
    return ATEA_REASON_INTERNAL;
}

typedef struct reason_entry {
    uint16_t value;
    const char *name;
    const char *message;
} reason_entry;

static const reason_entry reasons[] = {
#define ATEA_X_REASON_ROW(id, value, msg) {(value), #id, (msg)},
    ATEA_REASONS(ATEA_X_REASON_ROW)
#undef ATEA_X_REASON_ROW
};

static const reason_entry *find(uint16_t reason)
{
    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
        if (reasons[i].value == reason) {
            return &reasons[i];
        }
    }
    return NULL;
}

int atea_reason_known(uint16_t reason)
{
    return find(reason) != NULL;
}

const char *atea_reason_name(uint16_t reason)
{
    const reason_entry *e = find(reason);
    return e != NULL ? e->name : "ATEA_REASON_UNKNOWN";
}

const char *atea_reason_message(uint16_t reason)
{
    const reason_entry *e = find(reason);
    if (e == NULL) {
        /* An unregistered value of a known group reads as that group's generic reason. */
        e = find((uint16_t)(reason & 0xff00u));
    }
    return e != NULL ? e->message : "the peer failed for a reason this version does not know";
}
