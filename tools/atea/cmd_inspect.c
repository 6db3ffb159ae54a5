/* atea inspect: decode an RFC 9261 message, a CMW or raw evidence into a readable dump, and say
 * precisely what is malformed (as `openssl asn1parse` does for DER). */
#include <stdio.h>
#include <string.h>

#include "atea/ea.h"
#include "atea/profile.h"
#include "cli.h"
#include "inspect.h"
#include "input.h"
#include "msg.h"
#include "opt.h"

enum { I_TYPE, I_CMW_EXT, I_COUNT };

static const atea_opt options[] = {
    {"type", 't', ATEA_OPT_STR, 0, I_TYPE, "TYPE",
     "what the input is: auto (default), ea, cmw, tdx, snp, snp-cert-table, cca, sim, "
     "tpm-collection"},
    {"cmw-ext", 0, ATEA_OPT_UNUM, 0, I_CMW_EXT, "N",
     "extension codepoint of cmw_attestation (default 65280 = 0xFF00)"},
};

static const atea_cmd_spec spec = {
    .name = "inspect",
    .synopsis = "[options] [FILE|-]",
    .summary = "Decode an RFC 9261 authenticator request or authenticator, a CMW, or raw TEE "
               "evidence (binary or hex; default: stdin) into a readable dump. Malformed input is "
               "decoded up to the fault, which is named with its offset.",
    .opts = options,
    .nopts = sizeof(options) / sizeof(options[0]),
    .nvals = I_COUNT,
    .min_args = 0,
    .max_args = 1,
};

int atea_cmd_inspect(int argc, char **argv)
{
    atea_optval v[I_COUNT];
    int first = 0;
    int rc = atea_opt_parse_command(&spec, argc, argv, v, &first);
    if (rc != ATEA_OPT_CONTINUE) {
        return rc;
    }
    const char *path = first < argc ? argv[first] : "-";
    uint16_t cmw_ext = ATEA_DEFAULT_CMW_EXT;
    if (v[I_CMW_EXT].set) {
        if (v[I_CMW_EXT].num > 0xffff) {
            atea_usagef("--cmw-ext %llu is not a 16-bit extension type",
                        (unsigned long long)v[I_CMW_EXT].num);
            return ATEA_EXIT_USAGE;
        }
        cmw_ext = (uint16_t)v[I_CMW_EXT].num;
    }
    atea_inspect_kind kind;
    int detect = 1;
    if (v[I_TYPE].set && atea_inspect_kind_from_name(v[I_TYPE].str, &kind, &detect) != 0) {
        atea_usagef("--type '%s': expected auto, ea, cmw, tdx, snp, snp-cert-table, cca, sim or "
                    "tpm-collection",
                    v[I_TYPE].str);
        return ATEA_EXIT_USAGE;
    }

    atea_buf in = {0};
    atea_buf text = {0};
    int was_hex = 0;
    atea_err err = atea_cli_read_input(path, &in, &was_hex);
    if (err != ATEA_OK) {
        atea_error_err(err, "%s", path);
        return ATEA_EXIT_CONFIG;
    }
    if (detect) {
        kind = atea_inspect_detect(in.data, in.len);
    }
    printf("%s: %zu bytes (%s), %s\n", strcmp(path, "-") == 0 ? "stdin" : path, in.len,
           was_hex ? "hex" : "binary", atea_inspect_kind_name(kind));
    err = atea_inspect_dump(kind, in.data, in.len, cmw_ext, &text);
    if (text.len > 0) {
        fwrite(text.data, 1, text.len, stdout);
    }
    if (err != ATEA_OK) {
        atea_error_err(err, "malformed %s", atea_inspect_kind_name(kind));
        rc = ATEA_EXIT_PROTOCOL;
    } else {
        rc = ATEA_EXIT_OK;
    }
    atea_buf_free(&text);
    atea_buf_free(&in);
    return rc;
}
