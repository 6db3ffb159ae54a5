/* libFuzzer target for the SEV-SNP verifier's parsers: the extended-report certificate table,
 * the certificates it carries (DER, KDS extensions) and the 0x4A0-byte report, through the
 * public entry point atea_snp_verify. Input: u16le table length || table || report.
 * Deterministic: the time is fixed and no file is read. */
#include <stddef.h>
#include <stdint.h>

#include "atea/appraisal.h"
#include "atea/snp.h"
#include "atea/verify_env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) {
        return 0;
    }
    size_t table_len = (size_t)data[0] | ((size_t)data[1] << 8);
    data += 2;
    size -= 2;
    if (table_len > size) {
        table_len = size;
    }
    atea_snp_certs certs = {{0}};
    int have_certs = 0;
    if (table_len > 0) {
        have_certs = atea_snp_cert_table_parse(data, table_len, &certs) == ATEA_OK;
    }
    atea_snp_report report;
    (void)!atea_snp_report_parse(data + table_len, size - table_len, &report);

    atea_appraisal *a = NULL;
    if (atea_appraisal_new(&a) != ATEA_OK) {
        return 0;
    }
    static const uint8_t binder[64] = {1, 2, 3, 4, 5};
    atea_verify_env env = {.expected_report_data = binder, .now = 1748736000};
    (void)!atea_snp_verify(&env, data + table_len, size - table_len, have_certs ? &certs : NULL, a);
    atea_appraisal_free(a);
    return 0;
}
