/* Error codes of the evidence layer (attester interface, simulated TEE, configfs-tsm).
 * See atea/error.h for the ranges this layer may use: -140..-144, -400..-419. */
#ifndef ATEA_ERRORS_EVIDENCE_H
#define ATEA_ERRORS_EVIDENCE_H

#define ATEA_ERRORS_EVIDENCE(X)                                                                    \
    X(ATEA_ERR_EVIDENCE_OPTS_VERSION, -140,                                                        \
      "the attester options carry an unknown version; initialise them with the _default function") \
    X(ATEA_ERR_SIM_IDENTITY_NAME, -141,                                                            \
      "a sim identity name must be 1..32 characters of [a-z0-9_-]")                                \
    X(ATEA_ERR_TSM_INBLOB_SIZE, -142,                                                              \
      "configfs-tsm inblob must be exactly 64 bytes (the report_data)")                            \
    X(ATEA_ERR_TSM_ROOT, -143,                                                                     \
      "the configfs-tsm report directory does not exist; is this a confidential VM with "          \
      "configfs mounted (/sys/kernel/config/tsm/report)?")                                         \
    X(ATEA_ERR_SIM_STORE, -400,                                                                    \
      "the sim directory or one of its key/certificate files cannot be created or read")           \
    X(ATEA_ERR_SIM_KEY_PERMISSIONS, -401,                                                          \
      "a sim private key file is accessible by other users; chmod 600 it")                         \
    X(ATEA_ERR_SIM_KEY_CORRUPT, -402,                                                              \
      "a sim key or certificate file cannot be parsed; delete the sim directory to start over")    \
    X(ATEA_ERR_SIM_CRYPTO, -403, "OpenSSL failed to create a sim key, certificate or signature")   \
    X(ATEA_ERR_TSM_PROVIDER_MISSING, -404,                                                         \
      "the configfs-tsm report entry has no provider: no TEE guest driver is loaded")              \
    X(ATEA_ERR_TSM_PROVIDER_UNKNOWN, -405,                                                         \
      "the configfs-tsm provider is not one atea knows (tdx_guest, sev_guest, arm_cca_guest)")     \
    X(ATEA_ERR_TSM_GENERATION, -406,                                                               \
      "another process used the report entry concurrently (generation moved unexpectedly)")        \
    X(ATEA_ERR_TSM_IO, -407, "a configfs-tsm file operation failed")                               \
    X(ATEA_ERR_TSM_OUTBLOB, -408, "the configfs-tsm outblob is empty or larger than allowed")      \
    X(ATEA_ERR_TSM_AUXBLOB, -409, "the configfs-tsm auxblob is larger than allowed")               \
    X(ATEA_ERR_TSM_GENERATION_FORMAT, -410,                                                        \
      "the configfs-tsm generation file does not hold a decimal number")                           \
    X(ATEA_ERR_TSM_CCEL_TABLE, -411,                                                               \
      "the ACPI CCEL table is not a TDX event-log table (signature, length, CC type or log area)") \
    X(ATEA_ERR_TSM_EVENTLOG, -412,                                                                 \
      "the CCEL event log cannot be read, is larger than allowed, or is not a TCG2 log")

#endif
