/*
 * configfs-tsm reports as CMW (profile.md §5, include/atea/tsm.h) and the attester object that
 * produces them for a binding.
 */
#include <stdlib.h>
#include <string.h>

#include "atea/cmw.h"
#include "atea/tsm.h"
#include "core/check.h"
#include "evidence/tsm_internal.h"

/* SNP: a collection, so that the certificate table (VCEK/VLEK, ASK, ARK) the host supplied
 * travels with the report and the relying party needs no network (evidence-formats.md §3.5). */
static atea_err snp_collection(const atea_tsm_report *r, atea_cmw **pcmw)
{
    atea_err err = ATEA_OK;
    atea_cmw *coll = NULL;
    atea_cmw *rec = NULL;
    ATEA_TRY(atea_cmw_new_collection(NULL, &coll));
    ATEA_TRY(atea_cmw_new_record(atea_cmw_media_type_name(ATEA_CMW_MT_SNP_REPORT), r->outblob.data,
                                 r->outblob.len, ATEA_CMW_IND_EVIDENCE, &rec));
    ATEA_TRY(atea_cmw_add(coll, ATEA_TSM_SNP_LABEL_REPORT, rec));
    if (r->auxblob.len > 0) {
        rec = NULL;
        ATEA_TRY(atea_cmw_new_record(ATEA_TSM_SNP_MT_CERTS, r->auxblob.data, r->auxblob.len,
                                     ATEA_CMW_IND_ENDORSEMENTS, &rec));
        ATEA_TRY(atea_cmw_add(coll, ATEA_TSM_SNP_LABEL_CERTS, rec));
    }
    *pcmw = coll;
    coll = NULL;
out:
    atea_cmw_free(coll);
    return err;
}

/* TDX with a CC event log: one collection, so that the verifier replays the log against the
 * RTMRs of the quote it came with (docs/evidence/TDX.md "Event log"). */
static atea_err tdx_collection(const atea_tsm_report *r, atea_cmw **pcmw)
{
    atea_err err = ATEA_OK;
    atea_cmw *coll = NULL;
    atea_cmw *rec = NULL;
    ATEA_TRY(atea_cmw_new_collection(NULL, &coll));
    ATEA_TRY(atea_cmw_new_record(atea_cmw_media_type_name(ATEA_CMW_MT_TDX_QUOTE), r->outblob.data,
                                 r->outblob.len, ATEA_CMW_IND_EVIDENCE, &rec));
    ATEA_TRY(atea_cmw_add(coll, ATEA_TSM_TDX_LABEL_QUOTE, rec));
    rec = NULL;
    ATEA_TRY(atea_cmw_new_record(atea_cmw_media_type_name(ATEA_CMW_MT_TCG2_EVENTLOG),
                                 r->eventlog.data, r->eventlog.len, ATEA_CMW_IND_EVIDENCE, &rec));
    ATEA_TRY(atea_cmw_add(coll, ATEA_TSM_TDX_LABEL_EVENTLOG, rec));
    *pcmw = coll;
    coll = NULL;
out:
    atea_cmw_free(coll);
    return err;
}

atea_err atea_tsm_report_to_cmw(const atea_tsm_report *r, atea_buf *out)
{
    atea_err err = ATEA_OK;
    atea_cmw *cmw = NULL;
    ATEA_ENSURE(r != NULL && out != NULL && r->outblob.len > 0, ATEA_ERR_INVALID_ARG);
    switch (r->provider) {
    case ATEA_TSM_PROVIDER_TDX:
        if (r->eventlog.len > 0) {
            ATEA_TRY(tdx_collection(r, &cmw));
            break;
        }
        ATEA_TRY(atea_cmw_new_record(atea_cmw_media_type_name(ATEA_CMW_MT_TDX_QUOTE),
                                     r->outblob.data, r->outblob.len, ATEA_CMW_IND_EVIDENCE, &cmw));
        break;
    case ATEA_TSM_PROVIDER_CCA:
        ATEA_TRY(atea_cmw_new_record(atea_cmw_media_type_name(ATEA_CMW_MT_CCA_TOKEN),
                                     r->outblob.data, r->outblob.len, ATEA_CMW_IND_EVIDENCE, &cmw));
        break;
    case ATEA_TSM_PROVIDER_SNP:
        ATEA_TRY(snp_collection(r, &cmw));
        break;
    }
    ATEA_ENSURE_MSG(cmw != NULL, ATEA_ERR_INVALID_ARG, "provider %d", (int)r->provider);
    ATEA_TRY(atea_cmw_encode_cbor(cmw, out));
out:
    atea_cmw_free(cmw);
    return err;
}

typedef struct tsm_attester {
    atea_attester base; /* first: the pointers convert */
    atea_tsm_opts opts;
    atea_tsm_fs fs;
    char *root;
    char *entry_name;
    char *acpi_tables;
} tsm_attester;

static atea_err tsm_attest(atea_attester *self, const atea_binding *binding, atea_buf *cmw)
{
    atea_err err = ATEA_OK;
    atea_tsm_report r;
    memset(&r, 0, sizeof(r));
    ATEA_ENSURE(self != NULL && binding != NULL && cmw != NULL, ATEA_ERR_INVALID_ARG);
    const tsm_attester *t = (const tsm_attester *)self;
    /* REPORTDATA / REPORT_DATA / realm challenge = report_data (profile.md §3). */
    ATEA_TRY(atea_tsm_get_report(&t->opts, binding->report_data, ATEA_REPORT_DATA_LEN, &r));
    ATEA_TRY(atea_tsm_report_to_cmw(&r, cmw));
out:
    atea_tsm_report_dispose(&r);
    return err;
}

static void tsm_free(atea_attester *self)
{
    tsm_attester *t = (tsm_attester *)self;
    free(t->root);
    free(t->entry_name);
    free(t->acpi_tables);
    free(t);
}

atea_err atea_tsm_attester_new(const atea_tsm_opts *opts, atea_attester **pattester)
{
    atea_err err = ATEA_OK;
    tsm_attester *t = NULL;
    ATEA_ENSURE(opts != NULL && pattester != NULL, ATEA_ERR_INVALID_ARG);
    t = calloc(1, sizeof(*t));
    ATEA_ENSURE_ALLOC(t);
    t->base.platform = "tsm";
    t->base.attest = tsm_attest;
    t->base.free = tsm_free;
    ATEA_TRY(atea__tsm_opts_lift(opts, &t->opts));
    opts = &t->opts; /* the strings below are copied from the lifted struct */
    t->acpi_tables =
        strdup(opts->acpi_tables != NULL ? opts->acpi_tables : ATEA_TSM_DEFAULT_ACPI_TABLES);
    ATEA_ENSURE_ALLOC(t->acpi_tables);
    t->opts.acpi_tables = t->acpi_tables;
    t->root = strdup(opts->root != NULL ? opts->root : ATEA_TSM_DEFAULT_ROOT);
    ATEA_ENSURE_ALLOC(t->root);
    t->opts.root = t->root;
    if (opts->entry_name != NULL) {
        t->entry_name = strdup(opts->entry_name);
        ATEA_ENSURE_ALLOC(t->entry_name);
        t->opts.entry_name = t->entry_name;
    }
    if (opts->fs != NULL) {
        t->fs = *opts->fs;
        t->opts.fs = &t->fs;
    }
    *pattester = &t->base;
    t = NULL;
out:
    if (t != NULL) {
        tsm_free(&t->base);
    }
    return err;
}
