/* Error codes of the verify layer (appraisal result, policy, dispatch, simulated-TEE verifier).
 * See atea/error.h for the ranges this layer may use: -150..-159, -290..-294, -420..-439. */
#ifndef ATEA_ERRORS_VERIFY_H
#define ATEA_ERRORS_VERIFY_H

#define ATEA_ERRORS_VERIFY(X)                                                                      \
    X(ATEA_ERR_APPRAISAL_NO_SUBMOD, -150,                                                          \
      "the appraisal has no submodule of that name; declare it with atea_appraisal_add_submod")    \
    X(ATEA_ERR_APPRAISAL_FULL, -151,                                                               \
      "the appraisal holds the maximum number of submodules, claims or reasons")                   \
    X(ATEA_ERR_APPRAISAL_NAME, -152,                                                               \
      "a submodule, claim or category name is empty, too long or not lowercase ASCII")             \
    X(ATEA_ERR_APPRAISAL_DUPLICATE, -153,                                                          \
      "the submodule or claim was already recorded in this appraisal")                             \
    X(ATEA_ERR_VERIFY_OPTS_VERSION, -154,                                                          \
      "the verifier options carry an unknown version; initialise them with "                       \
      "atea_verify_opts_default")                                                                  \
    X(ATEA_ERR_POLICY_READ, -155, "the policy file cannot be opened or read")                      \
    X(ATEA_ERR_SIM_NOT_ALLOWED, -156,                                                              \
      "simulated-TEE evidence was presented but the verifier was not configured to allow it")      \
    X(ATEA_ERR_POLICY_SYNTAX, -290, "the policy is not valid JSON")                                \
    X(ATEA_ERR_POLICY_UNKNOWN_KEY, -291,                                                           \
      "the policy contains a key atea does not know (a typo?); see docs/POLICY.md")                \
    X(ATEA_ERR_POLICY_VALUE, -292,                                                                 \
      "a policy value has the wrong type or is out of range; see docs/POLICY.md")                  \
    X(ATEA_ERR_SIM_MALFORMED, -293,                                                                \
      "the simulated-TEE evidence is not well-formed (docs/evidence/SIM.md)")                      \
    X(ATEA_ERR_POLICY_TOO_LARGE, -294, "the policy file exceeds the size or count limits")         \
    X(ATEA_ERR_POLICY_REFERENCE_VALUE, -420,                                                       \
      "a claim is not one of the reference values the policy accepts")                             \
    X(ATEA_ERR_POLICY_MIN_VALUE, -421, "a claim is below the minimum value the policy requires")   \
    X(ATEA_ERR_POLICY_DEBUG, -422, "the TEE runs in debug mode, which the policy forbids")         \
    X(ATEA_ERR_POLICY_REQUIRED_CLAIM, -423,                                                        \
      "a claim the policy requires is missing from the evidence")                                  \
    X(ATEA_ERR_POLICY_TCB_STATUS, -424, "the TCB status is not one the policy accepts")            \
    X(ATEA_ERR_POLICY_WARNING, -425,                                                               \
      "the appraisal ended in 'warning', which the policy does not accept")                        \
    X(ATEA_ERR_POLICY_CLAIM_TYPE, -426,                                                            \
      "a claim has a different type than the policy rule about it expects")                        \
    X(ATEA_ERR_EVIDENCE_TYPE_UNKNOWN, -427,                                                        \
      "the evidence type (CMW media type or raw format) is not one atea can verify")               \
    X(ATEA_ERR_EVENTLOG_WITHOUT_QUOTE, -428,                                                       \
      "an event log arrived without the TDX quote it belongs to; send both in one CMW "            \
      "collection {\"quote\", \"eventlog\"}")                                                      \
    X(ATEA_ERR_NOT_AFFIRMED, -429,                                                                 \
      "the evidence was not affirmed: the appraisal lists the reasons")                            \
    X(ATEA_ERR_NOTHING_APPRAISED, -430, "no evidence was appraised, so nothing can be trusted")    \
    X(ATEA_ERR_SIM_NOT_TRUSTED, -431,                                                              \
      "the policy does not trust the simulated TEE or this sim root")                              \
    X(ATEA_ERR_SIM_SIGNATURE, -432,                                                                \
      "the simulated-TEE evidence signature does not verify with its certificate")                 \
    X(ATEA_ERR_SIM_CHAIN, -433, "the sim identity certificate does not chain to the sim root")     \
    X(ATEA_ERR_SIM_NONCE_MISMATCH, -434,                                                           \
      "the sim evidence nonce is not the binder of this connection")                               \
    X(ATEA_ERR_SIM_AIK_HASH_MISMATCH, -435,                                                        \
      "the sim evidence aik_hash is not the hash of this connection's authenticator key")          \
    X(ATEA_ERR_SIMULATED_TEE, -436,                                                                \
      "the evidence comes from atea's simulated TEE, not from a real TEE")                         \
    X(ATEA_ERR_BINDING_MISSING, -437,                                                              \
      "no expected binding (report_data, binder) was given, so freshness cannot be checked")       \
    X(ATEA_ERR_POLICY_PLATFORM, -438,                                                              \
      "the policy does not accept evidence from this platform (list it under \"platforms\")")      \
    X(ATEA_ERR_EAR_SIGNATURE, -439,                                                                \
      "the EAR is not signed by a verifier key the policy trusts (platforms.ear.verifier_key_pem " \
      "or verifier_key_sha256), or its signature does not verify")                                 \
    X(ATEA_ERR_EAR_MALFORMED, -417,                                                                \
      "the EAR is not a compact ES256/ES384 JWS over an EAR claims-set of profile "                \
      "tag:ietf.org,2026:rats/ear#03 (docs/evidence/EAR.md)")                                      \
    X(ATEA_ERR_EAR_NONCE_MISMATCH, -418,                                                           \
      "the EAR eat_nonce is not the binder of this connection (a result issued for another "       \
      "connection)")                                                                               \
    X(ATEA_ERR_EAR_EXPIRED, -419,                                                                  \
      "the EAR is outside its validity period: exp has passed or iat lies in the future")

#endif
