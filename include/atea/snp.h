/*
 * AMD SEV-SNP attestation report verifier (offline).
 *
 * A report (AMD SEV-SNP Firmware ABI spec 56860, ATTESTATION_REPORT, 0x4A0 bytes, little-endian)
 * is signed with ECDSA P-384/SHA-384 over bytes 0x000..0x29F by the chip's VCEK or by a
 * cloud provider's VLEK. atea verifies, offline and at env->now:
 *   1. the layout (VERSION 2, 3 or 5; SIGNATURE_ALGO 1; reserved fields zero);
 *   2. the VCEK -> ASK -> ARK (or VLEK -> ASVK -> ARK) chain (RSASSA-PSS/SHA-384), ending at the
 *      ARK of the report's product (Milan, Genoa, Turin) pinned in the code by the SHA-256 of its
 *      DER; the certificates come from the extended-report certificate table (auxblob) and/or
 *      from files the user names (env->cert_files);
 *   3. that SIGNING_KEY matches the kind of certificate (VCEK or VLEK), that the certificate's AMD
 *      KDS extensions carry the report's REPORTED_TCB and (VCEK) CHIP_ID;
 *   4. the report signature;
 *   5. REPORT_DATA == env->expected_report_data (constant time).
 *
 * Claims (submodule "snp", platform "amd-sev-snp"), all as in the report:
 *   version, guest_svn, vmpl (int); policy (int, raw) and its flags abi_major, abi_minor (int),
 *   smt, migrate_ma, debug, single_socket, cxl_allow, mem_aes_256_xts, rapl_dis,
 *   ciphertext_hiding, page_swap_disable (bool); measurement, host_data, report_data,
 *   family_id, image_id, id_key_digest, author_key_digest, report_id, report_id_ma, chip_id
 *   (bytes); reported_tcb, current_tcb, committed_tcb, launch_tcb (bytes, the 8 raw report bytes)
 *   and the parts reported_tcb_bootloader, _tee, _snp, _microcode (+ _fmc on Turin) and the same
 *   for current_tcb (int); platform_info (int); signing_key ("vcek"/"vlek"); product
 *   ("milan"/"genoa"/"turin").
 * A policy that allows debugging yields debug=true and a WARNING reason ATEA_ERR_SNP_DEBUG; the
 * policy layer decides whether to reject it.
 */
#ifndef ATEA_SNP_H
#define ATEA_SNP_H

#include <stddef.h>
#include <stdint.h>

#include "atea/appraisal.h"
#include "atea/error.h"
#include "atea/types.h"
#include "atea/verify_env.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ATEA_SNP_REPORT_SIZE 0x4A0 /* every report version is exactly this long */
#define ATEA_SNP_SIGNED_SIZE 0x2A0 /* the signature covers report[0..0x29F] */

/* Caps on the extended-report certificate table (auxblob) and certificate files. */
#define ATEA_SNP_CERT_TABLE_MAX_SIZE (64 * 1024)
#define ATEA_SNP_CERT_TABLE_MAX_ENTRIES 16
#define ATEA_SNP_CERT_MAX_SIZE 16384 /* one DER certificate */
#define ATEA_SNP_CERT_FILE_MAX_SIZE 65536
#define ATEA_SNP_MAX_CERTS 16 /* certificates considered in one verification */

/* SIGNING_KEY (signer info bits 4:2). */
typedef enum atea_snp_key {
    ATEA_SNP_KEY_VCEK = 0,
    ATEA_SNP_KEY_VLEK = 1,
} atea_snp_key;

typedef enum atea_snp_product {
    ATEA_SNP_PRODUCT_UNKNOWN = 0,
    ATEA_SNP_PRODUCT_MILAN = 1,
    ATEA_SNP_PRODUCT_GENOA = 2,
    ATEA_SNP_PRODUCT_TURIN = 3,
} atea_snp_product;

/* "milan", "genoa", "turin", "unknown". */
const char *atea_snp_product_name(atea_snp_product product);

/* A TCB_VERSION decoded for its product (evidence-formats 3.2): Milan/Genoa put BOOT_LOADER,
 * TEE, SNP, MICROCODE in bytes 0, 1, 6, 7; Turin puts FMC, BOOT_LOADER, TEE, SNP in bytes 0..3
 * and MICROCODE in byte 7. fmc is 0 before Turin. */
typedef struct atea_snp_tcb {
    uint8_t fmc;
    uint8_t bootloader;
    uint8_t tee;
    uint8_t snp;
    uint8_t microcode;
} atea_snp_tcb;

atea_snp_tcb atea_snp_tcb_decode(const uint8_t raw[8], atea_snp_product product);

/* The fields of a report. Byte arrays are copies; tcb fields are the 8 raw report bytes. */
typedef struct atea_snp_report {
    uint32_t version;
    uint32_t guest_svn;
    uint64_t policy;
    uint8_t family_id[16];
    uint8_t image_id[16];
    uint32_t vmpl;
    uint32_t signature_algo;
    uint8_t current_tcb[8];
    uint64_t platform_info;
    uint32_t signer_info; /* raw; decoded below */
    int author_key_en;
    int mask_chip_key;
    atea_snp_key signing_key;
    uint8_t report_data[64];
    uint8_t measurement[48];
    uint8_t host_data[32];
    uint8_t id_key_digest[48];
    uint8_t author_key_digest[48];
    uint8_t report_id[32];
    uint8_t report_id_ma[32];
    uint8_t reported_tcb[8];
    uint8_t cpuid_fam_id; /* v3+; 0 in v2 */
    uint8_t cpuid_mod_id;
    uint8_t cpuid_step;
    uint8_t chip_id[64];
    uint8_t committed_tcb[8];
    uint8_t current_build, current_minor, current_major;
    uint8_t committed_build, committed_minor, committed_major;
    uint8_t launch_tcb[8];
    uint64_t launch_mit_vector; /* v5; 0 before */
    uint64_t current_mit_vector;
    uint8_t sig_r[72]; /* little-endian, as in the report */
    uint8_t sig_s[72];
} atea_snp_report;

/*
 * Parse exactly ATEA_SNP_REPORT_SIZE bytes. Checks VERSION, SIGNATURE_ALGO, SIGNING_KEY and every
 * reserved field; does not verify anything cryptographic.
 * Errors: ATEA_ERR_INVALID_ARG, ATEA_ERR_TRUNCATED (short input), ATEA_ERR_TRAILING (longer),
 * ATEA_ERR_SNP_VERSION, ATEA_ERR_SNP_SIG_ALGO, ATEA_ERR_SNP_SIGNING_KEY, ATEA_ERR_SNP_RESERVED.
 */
atea_err atea_snp_report_parse(const uint8_t *data, size_t len,
                               atea_snp_report *report) ATEA_MUST_USE;

/* The product from the report's CPUID fields (v3+), UNKNOWN for v2 reports. */
atea_snp_product atea_snp_report_product(const atea_snp_report *report);

/*
 * Certificates (DER, borrowed) that came with the report, as found in the extended-report
 * certificate table. Any may be empty. `ask` holds the ASK or the ASVK (they share a GUID).
 */
typedef struct atea_snp_certs {
    atea_slice vcek;
    atea_slice vlek;
    atea_slice ask;
    atea_slice ark;
} atea_snp_certs;

/*
 * Parse an extended-report certificate table (GHCB spec 56421 4.1.8.1): 24-byte entries
 * {GUID[16], u32 offset, u32 length} ending with an all-zero entry; offsets are relative to the
 * table's start. Entries with unknown GUIDs are skipped; a known GUID twice is an error.
 * Bytes after the last certificate are allowed only if zero (the kernel pads the buffer).
 * Errors: ATEA_ERR_INVALID_ARG, ATEA_ERR_TOO_LARGE (table or entry count over the caps),
 * ATEA_ERR_TRUNCATED (no terminator), ATEA_ERR_SNP_CERT_TABLE (a range outside the table,
 * overlapping the entries, empty or over ATEA_SNP_CERT_MAX_SIZE, a duplicate GUID, non-zero
 * padding).
 */
atea_err atea_snp_cert_table_parse(const uint8_t *table, size_t len,
                                   atea_snp_certs *certs) ATEA_MUST_USE;

/*
 * A verified endorsement key: a VCEK or VLEK whose chain was checked to the pinned ARK of its
 * product at a given time, with its AMD KDS extensions decoded. Create it once and verify many
 * reports of the same chip with it (the chain check dominates the cost of a verification).
 */
typedef struct atea_snp_endorsement atea_snp_endorsement;

/*
 * Find the `key` certificate (VCEK or VLEK) among `certs` (may be NULL) and env->cert_files,
 * and verify its chain to the pinned ARK of its product at env->now.
 * Errors: ATEA_ERR_INVALID_ARG, ATEA_ERR_SNP_NO_CERT, ATEA_ERR_SNP_KEY_MISMATCH (only the other
 * kind of endorsement certificate was supplied), ATEA_ERR_SNP_CERT (unreadable file or
 * certificate, malformed KDS extension), ATEA_ERR_SNP_PRODUCT, ATEA_ERR_SNP_ROOT, the chain
 * verifier's codes (bad signature, expired, ...), ATEA_ERR_TOO_LARGE, ATEA_ERR_NO_MEMORY.
 */
atea_err atea_snp_endorsement_new(const atea_verify_env *env, const atea_snp_certs *certs,
                                  atea_snp_key key,
                                  atea_snp_endorsement **pendorsement) ATEA_MUST_USE;
void atea_snp_endorsement_free(atea_snp_endorsement *endorsement);

atea_snp_product atea_snp_endorsement_product(const atea_snp_endorsement *endorsement);

/*
 * Verify a report with an endorsement made earlier (whose time was checked at creation) and
 * record submodule "snp" with its claims and reasons in `out`.
 * Errors: those of atea_snp_report_parse, ATEA_ERR_SNP_KEY_MISMATCH, ATEA_ERR_SNP_PRODUCT,
 * ATEA_ERR_SNP_TCB_MISMATCH, ATEA_ERR_SNP_CHIP_ID_MISMATCH, ATEA_ERR_SNP_SIGNATURE,
 * ATEA_ERR_SNP_REPORT_DATA, appraisal errors. Every failure is also recorded as a
 * CONTRAINDICATED reason.
 */
atea_err atea_snp_verify_endorsed(const atea_verify_env *env,
                                  const atea_snp_endorsement *endorsement, const uint8_t *report,
                                  size_t len, atea_appraisal *out) ATEA_MUST_USE;

/*
 * The whole verification: parse the report, build the endorsement for its SIGNING_KEY from
 * `certs` (may be NULL) and env->cert_files, verify. Errors: the union of the above.
 */
atea_err atea_snp_verify(const atea_verify_env *env, const uint8_t *report, size_t len,
                         const atea_snp_certs *certs, atea_appraisal *out) ATEA_MUST_USE;

#ifdef __cplusplus
}
#endif
#endif
