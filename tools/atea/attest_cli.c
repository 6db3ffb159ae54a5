#include "attest_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "atea/appraisal.h"
#include "atea/sim.h"
#include "atea/tpm.h"
#include "atea/tsm.h"
#include "cli.h"
#include "msg.h"

void atea_cli_default_sim_dir(char *buf, size_t len)
{
    const char *data = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (data != NULL && data[0] != '\0') {
        snprintf(buf, len, "%s/atea/sim", data);
    } else {
        snprintf(buf, len, "%s/.local/share/atea/sim", home != NULL ? home : ".");
    }
}

int atea_cli_make_attester(const atea_optval *v, atea_attester **pattester)
{
    const char *platform = v[ATEA_AO_PLATFORM].set ? v[ATEA_AO_PLATFORM].str : "sim";
    atea_err err;
    if (strcmp(platform, "sim") == 0) {
        char dir[4096];
        atea_sim_opts so;
        atea_sim_opts_default(&so);
        if (v[ATEA_AO_SIM_DIR].set) {
            snprintf(dir, sizeof(dir), "%s", v[ATEA_AO_SIM_DIR].str);
        } else {
            atea_cli_default_sim_dir(dir, sizeof(dir));
        }
        so.dir = dir;
        if (v[ATEA_AO_SIM_IDENTITY].set) {
            so.identity = v[ATEA_AO_SIM_IDENTITY].str;
        }
        err = atea_sim_attester_new(&so, pattester);
        if (err != ATEA_OK) {
            atea_error_err(err, "cannot set up the simulated TEE in %s", dir);
            return ATEA_EXIT_CONFIG;
        }
        atea_warnf("attesting with the SIMULATED TEE: this is not a real TEE");
        return ATEA_EXIT_OK;
    }
    if (strcmp(platform, "tpm") == 0) {
        atea_tpm_attester_opts to;
        atea_tpm_attester_opts_default(&to);
        to.tcti = v[ATEA_AO_TPM].set ? v[ATEA_AO_TPM].str : "device:/dev/tpmrm0";
        if (v[ATEA_AO_PCRS].set) {
            to.pcrs = v[ATEA_AO_PCRS].str;
        }
        err = atea_tpm_attester_new(&to, pattester);
        if (err != ATEA_OK) {
            atea_error_err(err, "cannot use the TPM at %s", to.tcti);
            return ATEA_EXIT_CONFIG;
        }
        return ATEA_EXIT_OK;
    }
    if (strcmp(platform, "tsm") == 0) {
        atea_tsm_opts to;
        atea_tsm_opts_default(&to);
        if (v[ATEA_AO_TSM_ROOT].set) {
            to.root = v[ATEA_AO_TSM_ROOT].str;
        }
        err = atea_tsm_attester_new(&to, pattester);
        if (err != ATEA_OK) {
            atea_error_err(err, "cannot use configfs-tsm at %s", to.root);
            return ATEA_EXIT_CONFIG;
        }
        return ATEA_EXIT_OK;
    }
    atea_usagef("--platform '%s': expected sim, tpm or tsm", platform);
    return ATEA_EXIT_USAGE;
}

int atea_cli_make_verifier(const atea_optval *v, atea_verifier **pverifier)
{
    atea_verify_opts vo;
    atea_verify_opts_default(&vo);
    if (!v[ATEA_AO_POLICY].set) {
        atea_usagef("appraising evidence needs --policy FILE (docs/POLICY.md)");
        return ATEA_EXIT_USAGE;
    }
    vo.policy_file = v[ATEA_AO_POLICY].str;
    vo.now = v[ATEA_AO_AT].set ? v[ATEA_AO_AT].time : 0;
    vo.collateral_dir = v[ATEA_AO_COLLATERAL].set ? v[ATEA_AO_COLLATERAL].str : NULL;
    vo.cert_files = v[ATEA_AO_CERTS].strs;
    vo.cert_file_count = v[ATEA_AO_CERTS].set ? (size_t)v[ATEA_AO_CERTS].count : 0;
    vo.allow_sim = 1; /* the policy still has to trust the sim root explicitly */
    atea_err err = atea_verifier_new(&vo, pverifier);
    if (err != ATEA_OK) {
        atea_error_err(err, "cannot load the policy %s", vo.policy_file);
        return ATEA_EXIT_CONFIG;
    }
    return ATEA_EXIT_OK;
}

void atea_cli_print_appraisal(const atea_appraisal *a, int verbose, int json)
{
    atea_ear_status st = atea_appraisal_status(a);
    if (json || verbose > 1) {
        atea_buf out = {0};
        if (atea_appraisal_to_json(a, (int64_t)time(NULL), &out) == ATEA_OK) {
            fwrite(out.data, 1, out.len, stdout);
            fputc('\n', stdout);
        }
        atea_buf_free(&out);
        if (json) {
            fflush(stdout);
            goto warn;
        }
    }
    printf("appraisal: %s", atea_ear_status_name(st));
    for (size_t i = 0; i < atea_appraisal_submod_count(a); i++) {
        printf("%s%s (%s)", i == 0 ? ": " : ", ", atea_appraisal_submod_name(a, i),
               atea_appraisal_submod_platform(a, i));
    }
    printf("\n");
    if (verbose > 0) {
        for (size_t i = 0; i < atea_appraisal_reason_count(a); i++) {
            const atea_appraisal_reason *r = atea_appraisal_reason_at(a, i);
            printf("  [%s] %s: %s (%s)\n", atea_ear_status_name(r->tier), r->submod, r->message,
                   atea_err_name(r->code));
        }
    }
    fflush(stdout);
warn:
    if (atea_appraisal_is_simulated(a) && st == ATEA_EAR_AFFIRMING) {
        atea_warnf("the evidence comes from the SIMULATED TEE: not a real TEE, accepted only "
                   "because the policy trusts the sim root");
    }
}

int atea_cli_parse_report_data(const char *hex, uint8_t out[ATEA_REPORT_DATA_LEN])
{
    atea_buf rd = {0};
    atea_err err = atea_hex_decode(hex, strlen(hex), &rd);
    int ok = err == ATEA_OK && rd.len == ATEA_REPORT_DATA_LEN;
    if (ok) {
        memcpy(out, rd.data, rd.len);
    } else {
        atea_usagef("--report-data must be exactly %d bytes (%d hex digits), not %zu",
                    ATEA_REPORT_DATA_LEN, 2 * ATEA_REPORT_DATA_LEN, rd.len);
    }
    atea_buf_free(&rd);
    return ok ? ATEA_EXIT_OK : ATEA_EXIT_USAGE;
}
