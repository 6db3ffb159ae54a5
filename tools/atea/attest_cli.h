/* The attestation option group shared by `atea server`, `atea client` and `atea evidence`, and
 * the objects built from it: the attester of this side and the verifier of the peer. */
#ifndef ATEA_CLI_ATTEST_H
#define ATEA_CLI_ATTEST_H

#include <openssl/evp.h>

#include "atea/evidence.h"
#include "atea/verify.h"
#include "opt.h"

/* Option ids of the group; a command's enum starts its own ids at ATEA_AO_COUNT. */
enum {
    ATEA_AO_ATTEST,
    ATEA_AO_PLATFORM,
    ATEA_AO_VERIFY_PEER,
    ATEA_AO_POLICY,
    ATEA_AO_MUTUAL,
    ATEA_AO_REATTEST_INTERVAL,
    ATEA_AO_CMW_EXT,
    ATEA_AO_EXPORTER_LABEL,
    ATEA_AO_SIM_DIR,
    ATEA_AO_SIM_IDENTITY,
    ATEA_AO_TPM,
    ATEA_AO_PCRS,
    ATEA_AO_TSM_ROOT,
    ATEA_AO_AT,
    ATEA_AO_COLLATERAL,
    ATEA_AO_CERTS,
    ATEA_AO_OPTIONAL,
    ATEA_AO_EAR_KEY,
    ATEA_AO_EAR_POLICY,
    ATEA_AO_EAR_EVIDENCE,
    ATEA_AO_COUNT
};

/* --ear-key: in the attestation group (--platform passport) and in `atea verify`. */
#define ATEA_OPT_EAR_KEY                                                                           \
    {                                                                                              \
        "ear-key", 0, ATEA_OPT_FILE, 0, ATEA_AO_EAR_KEY, "FILE",                                   \
            "EC P-256 or P-384 private key (PEM) that signs EAT Attestation Results (passport "    \
            "model)"                                                                               \
    }

#define ATEA_OPTS_ATTEST_PLATFORM                                                                  \
    {"platform",                                                                                   \
     0,                                                                                            \
     ATEA_OPT_STR,                                                                                 \
     0,                                                                                            \
     ATEA_AO_PLATFORM,                                                                             \
     "NAME",                                                                                       \
     "evidence source: sim (simulated TEE), tpm (TPM 2.0), tsm (Linux configfs-tsm) or passport "  \
     "(an EAR)"},                                                                                  \
        ATEA_OPT_EAR_KEY,                                                                          \
        {"ear-policy",                                                                             \
         0,                                                                                        \
         ATEA_OPT_FILE,                                                                            \
         0,                                                                                        \
         ATEA_AO_EAR_POLICY,                                                                       \
         "FILE",                                                                                   \
         "policy of the local verifier that appraises this side's evidence (--platform "           \
         "passport)"},                                                                             \
        {"ear-evidence",                                                                           \
         0,                                                                                        \
         ATEA_OPT_STR,                                                                             \
         0,                                                                                        \
         ATEA_AO_EAR_EVIDENCE,                                                                     \
         "NAME",                                                                                   \
         "evidence the passport attester has appraised: sim, tpm or tsm (default sim)"},           \
        {"sim-dir",                                                                                \
         0,                                                                                        \
         ATEA_OPT_FILE,                                                                            \
         0,                                                                                        \
         ATEA_AO_SIM_DIR,                                                                          \
         "DIR",                                                                                    \
         "key store of the simulated TEE (default ~/.local/share/atea/sim)"},                      \
        {"sim-identity",                                                                           \
         0,                                                                                        \
         ATEA_OPT_STR,                                                                             \
         0,                                                                                        \
         ATEA_AO_SIM_IDENTITY,                                                                     \
         "NAME",                                                                                   \
         "identity of the simulated TEE to attest as (default \"default\")"},                      \
        {"tpm",                                                                                    \
         0,                                                                                        \
         ATEA_OPT_STR,                                                                             \
         0,                                                                                        \
         ATEA_AO_TPM,                                                                              \
         "TCTI",                                                                                   \
         "TPM to quote with, as a tpm2-tss TCTI (default device:/dev/tpmrm0)"},                    \
        {"pcrs",                                                                                   \
         0,                                                                                        \
         ATEA_OPT_STR,                                                                             \
         0,                                                                                        \
         ATEA_AO_PCRS,                                                                             \
         "SEL",                                                                                    \
         "PCR selection to quote, bank:list (default sha256:0-7)"},                                \
    {                                                                                              \
        "tsm-root", 0, ATEA_OPT_FILE, 0, ATEA_AO_TSM_ROOT, "DIR",                                  \
            "configfs-tsm report directory (default /sys/kernel/config/tsm/report)"                \
    }

#define ATEA_OPTS_VERIFY                                                                           \
    {"policy",                                                                                     \
     0,                                                                                            \
     ATEA_OPT_FILE,                                                                                \
     0,                                                                                            \
     ATEA_AO_POLICY,                                                                               \
     "FILE",                                                                                       \
     "appraisal policy (JSON, docs/POLICY.md) for the peer's or the file's evidence"},             \
        {"at",                                                                                     \
         0,                                                                                        \
         ATEA_OPT_TIME,                                                                            \
         0,                                                                                        \
         ATEA_AO_AT,                                                                               \
         "TIME",                                                                                   \
         "verify certificates and collateral as of TIME instead of now"},                          \
        {"collateral",                                                                             \
         0,                                                                                        \
         ATEA_OPT_FILE,                                                                            \
         0,                                                                                        \
         ATEA_AO_COLLATERAL,                                                                       \
         "DIR",                                                                                    \
         "offline collateral directory (TDX TCB info, QE identity, CRLs)"},                        \
    {                                                                                              \
        "certs", 0, ATEA_OPT_FILE, ATEA_OPT_F_MULTI, ATEA_AO_CERTS, "FILE",                        \
            "extra certificates for evidence chains, e.g. SNP VCEK and ASK/ARK (repeatable)"       \
    }

#define ATEA_OPTS_SESSION_ATTEST                                                                   \
    {"attest",                                                                                     \
     0,                                                                                            \
     ATEA_OPT_BOOL,                                                                                \
     0,                                                                                            \
     ATEA_AO_ATTEST,                                                                               \
     NULL,                                                                                         \
     "this side attests when the peer asks (evidence from --platform)"},                           \
        {"verify-peer",                                                                            \
         0,                                                                                        \
         ATEA_OPT_BOOL,                                                                            \
         0,                                                                                        \
         ATEA_AO_VERIFY_PEER,                                                                      \
         NULL,                                                                                     \
         "require the peer's attestation and appraise it with --policy"},                          \
        {"mutual",                                                                                 \
         0,                                                                                        \
         ATEA_OPT_BOOL,                                                                            \
         0,                                                                                        \
         ATEA_AO_MUTUAL,                                                                           \
         NULL,                                                                                     \
         "both sides attest and both verify (--attest and --verify-peer)"},                        \
        {"optional",                                                                               \
         0,                                                                                        \
         ATEA_OPT_BOOL,                                                                            \
         0,                                                                                        \
         ATEA_AO_OPTIONAL,                                                                         \
         NULL,                                                                                     \
         "let application data flow before the peer's attestation succeeds"},                      \
        {"reattest-interval",                                                                      \
         0,                                                                                        \
         ATEA_OPT_SECS,                                                                            \
         0,                                                                                        \
         ATEA_AO_REATTEST_INTERVAL,                                                                \
         "SECS",                                                                                   \
         "ask the peer to attest again every SECS seconds"},                                       \
        {"cmw-ext",                                                                                \
         0,                                                                                        \
         ATEA_OPT_UNUM,                                                                            \
         0,                                                                                        \
         ATEA_AO_CMW_EXT,                                                                          \
         "N",                                                                                      \
         "extension codepoint of cmw_attestation (default 65280 = 0xFF00)"},                       \
        {"exporter-label",                                                                         \
         0,                                                                                        \
         ATEA_OPT_STR,                                                                             \
         0,                                                                                        \
         ATEA_AO_EXPORTER_LABEL,                                                                   \
         "LABEL",                                                                                  \
         "TLS exporter label of the binder (default \"Attestation\")"},                            \
        ATEA_OPTS_ATTEST_PLATFORM, ATEA_OPTS_VERIFY

/* Build the attester --platform names; for passport, the EAR attester over --ear-evidence,
 * appraised by a local verifier with --ear-policy and signed with --ear-key. Prints the error;
 * returns an exit code (0 = ok). */
int atea_cli_make_attester(const atea_optval *v, atea_attester **pattester);

/* Build the verifier from --policy, --at, --collateral, --certs. Prints the error; returns an
 * exit code. */
int atea_cli_make_verifier(const atea_optval *v, atea_verifier **pverifier);

/* Print an appraisal: one summary line, the reasons with -v, the EAR JSON with --json or -v -v.
 * Warns on stderr when the evidence came from the simulated TEE. */
void atea_cli_print_appraisal(const atea_appraisal *a, int verbose, int json);

/* Decode --report-data: exactly ATEA_REPORT_DATA_LEN bytes of hex. Prints a usage error and
 * returns ATEA_EXIT_USAGE otherwise. */
int atea_cli_parse_report_data(const char *hex, uint8_t out[ATEA_REPORT_DATA_LEN]);

/* Load --ear-key (a PEM private key). Prints the error; returns an exit code. */
int atea_cli_load_ear_key(const char *path, EVP_PKEY **pkey);

/* The default directory of the simulated TEE's key store into buf. */
void atea_cli_default_sim_dir(char *buf, size_t len);

#endif
