#include "attest_cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "atea/appraisal.h"
#include "atea/ear.h"
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

static int make_passport(const atea_optval *v, atea_attester **pattester);

/* The attester of one evidence source; opt names the option that chose it, for messages. */
static int make_platform(const atea_optval *v, const char *opt, const char *platform,
                         atea_attester **pattester)
{
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
    atea_usagef("%s '%s': expected sim, tpm or tsm%s", opt, platform,
                strcmp(opt, "--platform") == 0 ? " or passport" : "");
    return ATEA_EXIT_USAGE;
}

int atea_cli_make_attester(const atea_optval *v, atea_attester **pattester)
{
    const char *platform = v[ATEA_AO_PLATFORM].set ? v[ATEA_AO_PLATFORM].str : "sim";
    if (strcmp(platform, "passport") == 0) {
        return make_passport(v, pattester);
    }
    return make_platform(v, "--platform", platform, pattester);
}

int atea_cli_load_ear_key(const char *path, EVP_PKEY **pkey)
{
    BIO *bio = BIO_new_file(path, "r");
    *pkey = bio != NULL ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
    BIO_free(bio);
    if (*pkey == NULL) {
        ERR_clear_error();
        atea_errorf("--ear-key %s: cannot read a PEM private key", path);
        return ATEA_EXIT_CONFIG;
    }
    return ATEA_EXIT_OK;
}

/* --platform passport (docs/evidence/EAR.md): the evidence of --ear-evidence, appraised by a
 * local verifier standing in for a verification service, presented as a signed EAR. The wrapper
 * owns what the EAR attester borrows. */
typedef struct cli_passport {
    atea_attester base;
    atea_attester *ear;
    atea_verifier *verifier;
    EVP_PKEY *key;
    atea_ear_local_issuer local;
} cli_passport;

static atea_err passport_attest(atea_attester *self, const atea_binding *b, atea_buf *cmw)
{
    return atea_attester_attest(((cli_passport *)self)->ear, b, cmw);
}

static void passport_free(atea_attester *self)
{
    cli_passport *p = (cli_passport *)self;
    atea_attester_free(p->ear);
    atea_verifier_free(p->verifier);
    EVP_PKEY_free(p->key);
    free(p);
}

static int make_passport(const atea_optval *v, atea_attester **pattester)
{
    const char *inner_name = v[ATEA_AO_EAR_EVIDENCE].set ? v[ATEA_AO_EAR_EVIDENCE].str : "sim";
    atea_attester *inner = NULL;
    atea_verify_opts vo;
    if (!v[ATEA_AO_EAR_KEY].set || !v[ATEA_AO_EAR_POLICY].set) {
        atea_usagef("--platform passport needs --ear-key FILE and --ear-policy FILE");
        return ATEA_EXIT_USAGE;
    }
    cli_passport *p = calloc(1, sizeof(*p));
    if (p == NULL) {
        atea_errorf("out of memory");
        return ATEA_EXIT_INTERNAL;
    }
    p->base.platform = "ear";
    p->base.attest = passport_attest;
    p->base.free = passport_free;
    int rc = atea_cli_load_ear_key(v[ATEA_AO_EAR_KEY].str, &p->key);
    if (rc == ATEA_EXIT_OK) {
        atea_verify_opts_default(&vo);
        vo.policy_file = v[ATEA_AO_EAR_POLICY].str;
        vo.allow_sim = 1; /* the --ear-policy still has to trust the sim root */
        atea_err err = atea_verifier_new(&vo, &p->verifier);
        if (err != ATEA_OK) {
            atea_error_err(err, "cannot load the policy %s", vo.policy_file);
            rc = ATEA_EXIT_CONFIG;
        }
    }
    if (rc == ATEA_EXIT_OK) {
        rc = make_platform(v, "--ear-evidence", inner_name, &inner);
    }
    if (rc == ATEA_EXIT_OK) {
        p->local.verifier = p->verifier;
        p->local.key = p->key;
        atea_ear_issuer issuer = {atea_ear_issue_local, &p->local};
        atea_err err = atea_ear_attester_new(inner, &issuer, 0, &p->ear);
        if (err != ATEA_OK) {
            atea_error_err(err, "cannot set up the passport attester");
            rc = ATEA_EXIT_INTERNAL;
        }
    }
    if (rc != ATEA_EXIT_OK) {
        passport_free(&p->base);
        return rc;
    }
    *pattester = &p->base;
    return ATEA_EXIT_OK;
}

/* The files --collateral and --certs name are read only when evidence arrives (for client and
 * server, after connecting): check now that they can be, so that a wrong path is a configuration
 * error (exit 2) that names the option, not a refused peer. */
static int check_evidence_files(const atea_optval *v)
{
    struct stat st;
    if (v[ATEA_AO_COLLATERAL].set) {
        const char *dir = v[ATEA_AO_COLLATERAL].str;
        if (stat(dir, &st) != 0) {
            atea_errorf("--collateral %s: %s", dir, strerror(errno));
            return ATEA_EXIT_CONFIG;
        }
        if (!S_ISDIR(st.st_mode)) {
            atea_errorf("--collateral %s: not a directory", dir);
            return ATEA_EXIT_CONFIG;
        }
    }
    for (int i = 0; v[ATEA_AO_CERTS].set && i < v[ATEA_AO_CERTS].count; i++) {
        const char *path = v[ATEA_AO_CERTS].strs[i];
        FILE *f = fopen(path, "rb");
        if (f == NULL) {
            atea_errorf("--certs %s: %s", path, strerror(errno));
            return ATEA_EXIT_CONFIG;
        }
        fclose(f);
    }
    return ATEA_EXIT_OK;
}

int atea_cli_make_verifier(const atea_optval *v, atea_verifier **pverifier)
{
    atea_verify_opts vo;
    atea_verify_opts_default(&vo);
    if (!v[ATEA_AO_POLICY].set) {
        atea_usagef("appraising evidence needs --policy FILE (docs/POLICY.md)");
        return ATEA_EXIT_USAGE;
    }
    int rc = check_evidence_files(v);
    if (rc != ATEA_EXIT_OK) {
        return rc;
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
    } else if (atea_appraisal_has_reason(a, ATEA_ERR_SIMULATED_TEE) && st == ATEA_EAR_AFFIRMING) {
        atea_warnf("the EAR appraised the SIMULATED TEE: no real TEE backs it, accepted only "
                   "because the policy trusts the EAR verifier's key");
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
