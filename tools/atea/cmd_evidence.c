/* atea evidence: produce evidence bound to a given report_data, wrapped in a CMW. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atea/evidence.h"
#include "attest_cli.h"
#include "cli.h"
#include "input.h"
#include "msg.h"

enum { E_REPORT_DATA = ATEA_AO_COUNT, E_OUT, E_HEX, E_COUNT };

static const atea_opt options[] = {
    ATEA_OPTS_ATTEST_PLATFORM,
    {"report-data", 0, ATEA_OPT_HEX, 0, E_REPORT_DATA, "HEX",
     "the 64 bytes (128 hex digits) the evidence must commit to"},
    {"out", 'o', ATEA_OPT_FILE, 0, E_OUT, "FILE", "write the CMW to FILE (default: stdout)"},
    {"hex", 0, ATEA_OPT_BOOL, 0, E_HEX, NULL, "write hexadecimal text instead of binary"},
};

static const atea_cmd_spec spec = {
    .name = "evidence",
    .synopsis = "--platform sim|tpm|tsm|passport --report-data HEX [-o FILE] [options]",
    .summary = "Produce attestation evidence whose user data is the given 64-byte report_data, "
               "wrapped in a RATS CMW (CBOR), from the simulated TEE, a TPM 2.0, or the Linux "
               "configfs-tsm interface of a TDX, SEV-SNP or CCA guest; or, with passport, an EAT "
               "Attestation Result about that evidence, signed with --ear-key.",
    .opts = options,
    .nopts = sizeof(options) / sizeof(options[0]),
    .nvals = E_COUNT,
    .min_args = 0,
    .max_args = 0,
};

int atea_cmd_evidence(int argc, char **argv)
{
    atea_optval v[E_COUNT];
    int first = 0;
    int rc = atea_opt_parse_command(&spec, argc, argv, v, &first);
    if (rc != ATEA_OPT_CONTINUE) {
        return rc;
    }
    if (!v[E_REPORT_DATA].set) {
        atea_usagef("missing --report-data HEX (64 bytes)");
        return ATEA_EXIT_USAGE;
    }
    atea_binding binding;
    memset(&binding, 0, sizeof(binding));
    if (atea_cli_parse_report_data(v[E_REPORT_DATA].str, binding.report_data) != ATEA_EXIT_OK) {
        return ATEA_EXIT_USAGE;
    }
    const char *out = v[E_OUT].set ? v[E_OUT].str : "-";
    int hex = v[E_HEX].set && v[E_HEX].flag;
    if (!hex && strcmp(out, "-") == 0 && isatty(STDOUT_FILENO)) {
        atea_usagef("refusing to write binary CMW to a terminal: use -o FILE or --hex");
        return ATEA_EXIT_USAGE;
    }
    atea_attester *attester = NULL;
    rc = atea_cli_make_attester(v, &attester);
    if (rc != ATEA_EXIT_OK) {
        return rc;
    }
    atea_buf cmw = {0};
    atea_err err = atea_attester_attest(attester, &binding, &cmw);
    if (err != ATEA_OK) {
        atea_error_err(err, "producing %s evidence", attester->platform);
        /* Nothing was refused: the local evidence source (configfs-tsm, the TPM, the sim store)
         * failed, a configuration or I/O error (docs/cli/EXIT-CODES.md). */
        rc = atea_err_class_of(err) == ATEA_ERR_CLASS_INTERNAL ? ATEA_EXIT_INTERNAL
                                                               : ATEA_EXIT_CONFIG;
        goto done;
    }
    if (hex) {
        char *text = malloc(2 * cmw.len + 2);
        if (text == NULL || atea_hex_encode(cmw.data, cmw.len, text, 2 * cmw.len + 1) != ATEA_OK) {
            free(text);
            atea_errorf("out of memory");
            rc = ATEA_EXIT_INTERNAL;
            goto done;
        }
        size_t n = strlen(text);
        text[n] = '\n';
        err = atea_cli_write_file(out, (const uint8_t *)text, n + 1);
        free(text);
    } else {
        err = atea_cli_write_file(out, cmw.data, cmw.len);
    }
    if (err != ATEA_OK) {
        atea_error_err(err, "writing the evidence");
        rc = ATEA_EXIT_CONFIG;
        goto done;
    }
    rc = ATEA_EXIT_OK;
done:
    atea_buf_free(&cmw);
    atea_attester_free(attester);
    return rc;
}
