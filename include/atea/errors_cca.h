/* Error codes of the Arm CCA verifier (src/verify/cca*.c, src/verify/cose*.c). See atea/error.h
 * for this file's range: -475..-489. Malformed CBOR also uses the core codes
 * (ATEA_ERR_TRUNCATED, ATEA_ERR_TRAILING, ATEA_ERR_TOO_LARGE, ATEA_ERR_CBOR_*). */
#ifndef ATEA_ERRORS_CCA_H
#define ATEA_ERRORS_CCA_H

#define ATEA_ERRORS_CCA(X)                                                                         \
    X(ATEA_ERR_CCA_FORMAT, -475,                                                                   \
      "the input is not an Arm CCA token collection (CBOR tag 399 or 907 with a platform and a "   \
      "realm token)")                                                                              \
    X(ATEA_ERR_CCA_COSE, -476, "a CCA token is not a well-formed COSE_Sign1 (RFC 9052 4.2)")       \
    X(ATEA_ERR_CCA_COSE_ALG, -477,                                                                 \
      "a CCA token's COSE algorithm is not ES256/ES384/ES512 or does not match its key's curve")   \
    X(ATEA_ERR_CCA_REALM_SIGNATURE, -478,                                                          \
      "the CCA realm token signature does not verify with the realm attestation key (RAK)")        \
    X(ATEA_ERR_CCA_PLATFORM_SIGNATURE, -479,                                                       \
      "the CCA platform token signature does not verify with the trusted CPAK")                    \
    X(ATEA_ERR_CCA_NO_CPAK, -480,                                                                  \
      "no CCA platform attestation key (CPAK) is configured, so the platform token cannot be "     \
      "verified; add the platform's CPAK to the policy")                                           \
    X(ATEA_ERR_CCA_CPAK, -481,                                                                     \
      "the configured CPAK file cannot be read or is not an EC public key in PEM")                 \
    X(ATEA_ERR_CCA_CLAIM, -482,                                                                    \
      "a CCA token claim is missing, repeated, or has the wrong type or size")                     \
    X(ATEA_ERR_CCA_RAK, -483,                                                                      \
      "the realm public key (RAK, claim 44237) is not a valid EC point or COSE_Key")               \
    X(ATEA_ERR_CCA_HASH_ALG, -484,                                                                 \
      "a CCA hash algorithm claim names an algorithm atea does not know (sha-256, sha-384, "       \
      "sha-512)")                                                                                  \
    X(ATEA_ERR_CCA_PLATFORM_CHALLENGE, -485,                                                       \
      "the platform token challenge is not the hash of the realm attestation key: the two tokens " \
      "do not belong together")                                                                    \
    X(ATEA_ERR_CCA_REALM_CHALLENGE, -486,                                                          \
      "the realm challenge does not match the binder for this connection")                         \
    X(ATEA_ERR_CCA_LIFECYCLE, -487,                                                                \
      "the CCA platform lifecycle state is not 'secured' (debug, provisioning or decommissioned)") \
    X(ATEA_ERR_CCA_SW_COMPONENT, -488,                                                             \
      "a CCA platform software component entry is malformed (claim 2399)")

#endif
