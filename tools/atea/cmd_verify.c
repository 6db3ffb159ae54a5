/* atea verify: appraise a CMW or raw evidence file against a policy and an expected
 * report_data; print the appraisal (EAR-shaped JSON); exit 0 only when the policy accepts. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "atea/appraisal.h"
#include "atea/ear.h"
#include "atea/verify.h"
#include "attest_cli.h"
#include "cli.h"
#include "input.h"
#include "msg.h"

enum { V_REPORT_DATA = ATEA_AO_COUNT, V_VERBOSE, V_QUIET, V_COUNT };

static const atea_opt options[] = {
    ATEA_OPTS_VERIFY,
    {"report-data", 0, ATEA_OPT_HEX, 0, V_REPORT_DATA, "HEX",
     "the 64 bytes (128 hex digits) the evidence must commit to"},
    {"verbose", 'v', ATEA_OPT_COUNT, 0, V_VERBOSE, NULL, "say more (repeat for more detail)"},
    {"quiet", 'q', ATEA_OPT_BOOL, 0, V_QUIET, NULL, "print only errors"},
    ATEA_OPT_EAR_KEY,
};

static const atea_cmd_spec spec = {
    .name = "verify",
    .synopsis = "--policy FILE --report-data HEX [--at TIME] [--ear-key FILE] [options] FILE|-",
    .summary = "Appraise evidence (a CMW, or a raw TDX quote, SNP report, CCA token or sim "
               "evidence, recognised automatically) against a policy and the report_data it must "
               "be bound to. Prints the appraisal as EAR-shaped JSON on stdout; exits 0 only when "
               "the policy accepts it, 4 when it does not. With --ear-key, prints the appraisal as "
               "a signed EAT Attestation Result (JWT) instead.",
    .opts = options,
    .nopts = sizeof(options) / sizeof(options[0]),
    .nvals = V_COUNT,
    .min_args = 1,
    .max_args = 1,
};

/* --ear-key: the appraisal as a signed EAR (passport model, docs/evidence/EAR.md) on stdout,
 * with the report_data as its eat_nonce. */
static int print_ear(const atea_optval *v, const atea_appraisal *a, const atea_binding *b)
{
    EVP_PKEY *key = NULL;
    atea_buf jwt = {0};
    int rc = atea_cli_load_ear_key(v[ATEA_AO_EAR_KEY].str, &key);
    if (rc != ATEA_EXIT_OK) {
        return rc;
    }
    int64_t now = v[ATEA_AO_AT].set ? v[ATEA_AO_AT].time : (int64_t)time(NULL);
    atea_err err =
        atea_ear_sign(a, b->report_data, sizeof(b->report_data), key, ATEA_EAR_ALG_AUTO, now, &jwt);
    if (err != ATEA_OK) {
        atea_error_err(err, "cannot issue an EAR with %s", v[ATEA_AO_EAR_KEY].str);
        rc = ATEA_EXIT_CONFIG;
    } else {
        fwrite(jwt.data, 1, jwt.len, stdout);
        fputc('\n', stdout);
        fflush(stdout);
    }
    atea_buf_free(&jwt);
    EVP_PKEY_free(key);
    return rc;
}

int atea_cmd_verify(int argc, char **argv)
{
    atea_optval v[V_COUNT];
    int first = 0;
    int rc = atea_opt_parse_command(&spec, argc, argv, v, &first);
    if (rc != ATEA_OPT_CONTINUE) {
        return rc;
    }
    atea_binding binding;
    memset(&binding, 0, sizeof(binding));
    const atea_binding *expected = NULL;
    if (v[V_REPORT_DATA].set) {
        if (atea_cli_parse_report_data(v[V_REPORT_DATA].str, binding.report_data) != ATEA_EXIT_OK) {
            return ATEA_EXIT_USAGE;
        }
        expected = &binding;
    } else if (v[ATEA_AO_EAR_KEY].set) {
        atea_usagef("--ear-key needs --report-data: the EAR echoes it as its eat_nonce");
        return ATEA_EXIT_USAGE;
    } else {
        atea_warnf("no --report-data: the evidence's binding is not checked (the appraisal "
                   "says so)");
    }
    atea_verifier *verifier = NULL;
    rc = atea_cli_make_verifier(v, &verifier);
    if (rc != ATEA_EXIT_OK) {
        return rc;
    }
    atea_buf in = {0};
    atea_appraisal *a = NULL;
    int was_hex = 0;
    atea_err err = atea_cli_read_input(argv[first], &in, &was_hex);
    if (err != ATEA_OK) {
        atea_error_err(err, "%s", argv[first]);
        rc = ATEA_EXIT_CONFIG;
        goto done;
    }
    err = atea_appraisal_new(&a);
    if (err != ATEA_OK) {
        atea_error_err(err, "appraisal");
        rc = ATEA_EXIT_INTERNAL;
        goto done;
    }
    err = atea_verify_raw(verifier, in.data, in.len, expected, a);
    if (v[ATEA_AO_EAR_KEY].set) {
        int ear_rc = print_ear(v, a, &binding);
        if (ear_rc != ATEA_EXIT_OK) {
            rc = ear_rc;
            goto done;
        }
        if (v[V_VERBOSE].count > 0) {
            atea_cli_print_appraisal(a, 1, 0);
        }
    } else if (!(v[V_QUIET].set && v[V_QUIET].flag)) {
        atea_cli_print_appraisal(a, 2, 1);
        if (v[V_VERBOSE].count > 0) {
            atea_cli_print_appraisal(a, 1, 0);
        }
    }
    if (err != ATEA_OK) {
        atea_error_err(err, "%s is not accepted", argv[first]);
        rc = atea_err_class_of(err) == ATEA_ERR_CLASS_DECODE ? ATEA_EXIT_PROTOCOL
                                                             : ATEA_EXIT_REFUSED;
        goto done;
    }
    rc = ATEA_EXIT_OK;
done:
    atea_appraisal_free(a);
    atea_buf_free(&in);
    atea_verifier_free(verifier);
    return rc;
}
