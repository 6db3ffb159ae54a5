/*
 * The TDX collateral object: TCB info, QE identity, their signing chain, PCK and root CRLs
 * (Intel PCS v4, evidence-formats.md §2.5 B), loaded from memory or from a directory, and the
 * cache of verified PCK chains. Signatures and chains are checked once, at load; validity
 * windows are checked at each verification's time (tdx.c), so one loaded object serves many
 * verifications.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/stat.h>

#include <jansson.h>

#include "core/check.h"
#include "core/rd.h"
#include "verify/chain.h"
#include "verify/tdx_internal.h"

#define INDEX_MAX_BYTES 4096
#define NAME_MAX_LEN 255

atea_err atea_tdx_collateral_new(atea_tdx_collateral **pcoll)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(pcoll != NULL, ATEA_ERR_INVALID_ARG);
    *pcoll = calloc(1, sizeof(**pcoll));
    ATEA_ENSURE_ALLOC(*pcoll);
out:
    return err;
}

void atea__tdx_pck_entry_clear(tdx_pck_cache_entry *e)
{
    X509_free(e->leaf);
    EVP_PKEY_free(e->leaf_key);
    EVP_PKEY_free(e->ak);
    memset(e, 0, sizeof(*e));
}

static void cache_clear(atea_tdx_collateral *c)
{
    for (size_t i = 0; i < TDX_PCK_CACHE_SLOTS; i++) {
        atea__tdx_pck_entry_clear(&c->cache[i]);
    }
    c->cache_next = 0;
}

static void collateral_reset(atea_tdx_collateral *c)
{
    cache_clear(c);
    X509_CRL_free(c->pck_crl);
    X509_CRL_free(c->root_crl);
    memset(c, 0, sizeof(*c));
}

void atea_tdx_collateral_free(atea_tdx_collateral *coll)
{
    if (coll != NULL) {
        collateral_reset(coll);
        free(coll);
    }
}

static atea_err asn1_time_epoch(const ASN1_TIME *t, int64_t *out)
{
    atea_err err = ATEA_OK;
    struct tm tm;
    ATEA_ENSURE_MSG(t != NULL && ASN1_TIME_to_tm(t, &tm) == 1, ATEA_ERR_CHAIN_MALFORMED_CERT,
                    "unreadable ASN.1 time");
    *out = (int64_t)timegm(&tm);
out:
    return err;
}

atea_err atea__tdx_crl_window(const X509_CRL *crl, tdx_window *w)
{
    atea_err err = ATEA_OK;
    const ASN1_TIME *next = X509_CRL_get0_nextUpdate(crl);
    ATEA_ENSURE_MSG(next != NULL, ATEA_ERR_CHAIN_CRL, "the CRL has no nextUpdate");
    ATEA_TRY(asn1_time_epoch(X509_CRL_get0_lastUpdate(crl), &w->from));
    ATEA_TRY(asn1_time_epoch(next, &w->until));
    w->present = 1;
out:
    return err;
}

/* TCB-Info-Issuer-Chain: the TCB Signing certificate chains to the pinned Intel root. Its
 * validity window is kept for verification time (Intel renews the certificate with the same
 * key, so a document may be newer than the certificate, README of the samples). */
static atea_err load_signing_chain(atea_tdx_collateral *c, atea_slice pem, X509 **signer)
{
    atea_err err = ATEA_OK;
    X509 *certs[ATEA_CHAIN_MAX_CERTS] = {0};
    size_t n = 0;
    atea_chain_opts opts = {0};
    ATEA_TRY(atea_chain_parse_pem(pem.data, pem.len, certs, ATEA_CHAIN_MAX_CERTS, &n));
    ATEA_TRY(asn1_time_epoch(X509_get0_notBefore(certs[0]), &c->signing_cert.from));
    ATEA_TRY(asn1_time_epoch(X509_get0_notAfter(certs[0]), &c->signing_cert.until));
    c->signing_cert.present = 1;
    opts.root_pins = &atea__tdx_intel_root_pin;
    opts.root_pin_count = 1;
    opts.now = c->signing_cert.from;
    opts.flags = ATEA_CHAIN_SOFT_CERT_TIME | ATEA_CHAIN_SOFT_CRL_TIME;
    opts.crls = c->root_crl != NULL ? &c->root_crl : NULL;
    opts.crl_count = c->root_crl != NULL ? 1 : 0;
    opts.what = "TCB signing chain";
    ATEA_TRY(atea_chain_verify(certs, n, &opts, NULL));
    *signer = certs[0];
    certs[0] = NULL;
out:
    atea_chain_free_certs(certs, n);
    return err;
}

/* One signed JSON document: its raw span, signature and parsed tree. */
typedef struct signed_doc {
    const char *key;  /* "tcbInfo" / "enclaveIdentity" */
    const char *what; /* for messages */
    tdx_signed_json sj;
    json_t *root;
    json_t *obj;
} signed_doc;

/* Verify the document's signature with the TCB signing certificate's key. */
static atea_err check_doc_signature(const signed_doc *d, X509 *signer)
{
    atea_err err = ATEA_OK;
    int valid = 0;
    ATEA_ENSURE_MSG(signer != NULL, ATEA_ERR_TDX_COLLATERAL_MISSING,
                    "%s is present but the TCB signing chain is not: its signature cannot be "
                    "checked",
                    d->what);
    ATEA_TRY(atea__tdx_p256_verify(X509_get0_pubkey(signer), d->sj.signature, d->sj.body.data,
                                   d->sj.body.len, &valid));
    ATEA_ENSURE_MSG(valid, ATEA_ERR_TDX_COLLATERAL_SIGNATURE,
                    "the signature of %s (over %zu bytes of \"%s\") does not verify with the "
                    "Intel SGX TCB Signing certificate",
                    d->what, d->sj.body.len, d->key);
out:
    return err;
}

/* Syntax first (so a corrupt file is reported as such whatever else is missing), then the
 * signing chain and signatures, then the content. */
static atea_err load_documents(atea_tdx_collateral *c, const atea_tdx_collateral_bytes *b,
                               X509 *signer)
{
    atea_err err = ATEA_OK;
    signed_doc docs[2] = {{.key = "tcbInfo", .what = "the TCB info"},
                          {.key = "enclaveIdentity", .what = "the QE identity"}};
    const atea_slice *src[2] = {&b->tcb_info, &b->qe_identity};
    for (size_t i = 0; i < 2; i++) {
        if (src[i]->data != NULL) {
            ATEA_TRY(atea__tdx_json_signed(src[i]->data, src[i]->len, docs[i].key, &docs[i].sj,
                                           &docs[i].root, &docs[i].obj));
        }
    }
    for (size_t i = 0; i < 2; i++) {
        if (docs[i].root != NULL) {
            ATEA_TRY(check_doc_signature(&docs[i], signer));
        }
    }
    if (docs[0].root != NULL) {
        ATEA_TRY(atea__tdx_parse_tcb_info(docs[0].obj, &c->tcb_info));
        c->has_tcb_info = 1;
    }
    if (docs[1].root != NULL) {
        ATEA_TRY(atea__tdx_parse_qe_identity(docs[1].obj, &c->qe_identity));
        c->has_qe_identity = 1;
    }
out:
    json_decref(docs[0].root);
    json_decref(docs[1].root);
    return err;
}

atea_err atea_tdx_collateral_load(atea_tdx_collateral *coll, const atea_tdx_collateral_bytes *b)
{
    atea_err err = ATEA_OK;
    X509 *signer = NULL;
    ATEA_ENSURE(coll != NULL && b != NULL, ATEA_ERR_INVALID_ARG);
    collateral_reset(coll);
    if (b->root_crl.data != NULL) {
        ATEA_TRY(atea_chain_parse_crl(b->root_crl.data, b->root_crl.len, &coll->root_crl));
        ATEA_TRY(atea__tdx_crl_window(coll->root_crl, &coll->root_crl_window));
    }
    if (b->pck_crl.data != NULL) {
        ATEA_TRY(atea_chain_parse_crl(b->pck_crl.data, b->pck_crl.len, &coll->pck_crl));
        ATEA_TRY(atea__tdx_crl_window(coll->pck_crl, &coll->pck_crl_window));
    }
    if (b->tcb_signing_chain.data != NULL) {
        ATEA_TRY(load_signing_chain(coll, b->tcb_signing_chain, &signer));
    }
    ATEA_TRY(load_documents(coll, b, signer));
out:
    X509_free(signer);
    if (err != ATEA_OK && coll != NULL) {
        collateral_reset(coll);
    }
    return err;
}

/* ---- directory loading ---- */

typedef struct name_set {
    char names[5][NAME_MAX_LEN + 1];
} name_set;

static const char *const INDEX_KEYS[5] = {"tcb_info", "qe_identity", "tcb_signing_chain", "pck_crl",
                                          "root_crl"};
static const char *const DEFAULT_NAMES[5] = {
    "tcb_info.json", "qe_identity.json", "tcb_signing_chain.pem", "pck_crl.der", "root_crl.der"};

/* Read dir/name whole (at most ATEA_TDX_MAX_COLLATERAL_FILE bytes); *present = 0 if absent. */
static atea_err read_file(const char *dir, const char *name, size_t cap, atea_buf *out,
                          int *present)
{
    atea_err err = ATEA_OK;
    char path[4096];
    FILE *f = NULL;
    *present = 0;
    ATEA_ENSURE_MSG(strchr(name, '/') == NULL && strcmp(name, "..") != 0, ATEA_ERR_INVALID_ARG,
                    "collateral file name '%s' must not contain '/'", name);
    int n = snprintf(path, sizeof(path), "%s/%s", dir, name);
    ATEA_ENSURE_MSG(n > 0 && (size_t)n < sizeof(path), ATEA_ERR_INVALID_ARG,
                    "collateral path too long");
    f = fopen(path, "rb");
    if (f == NULL && errno == ENOENT) {
        goto out;
    }
    ATEA_ENSURE_MSG(f != NULL, ATEA_ERR_TDX_BAD_COLLATERAL, "cannot open %s: %s", path,
                    strerror(errno));
    out->data = malloc(cap + 1);
    ATEA_ENSURE_ALLOC(out->data);
    out->len = fread(out->data, 1, cap + 1, f);
    ATEA_ENSURE_MSG(!ferror(f), ATEA_ERR_TDX_BAD_COLLATERAL, "cannot read %s", path);
    ATEA_ENSURE_MSG(out->len <= cap, ATEA_ERR_TOO_LARGE, "%s is larger than %zu bytes", path, cap);
    *present = 1;
out:
    if (f != NULL) {
        fclose(f);
    }
    if (err != ATEA_OK) {
        atea_buf_free(out);
    }
    return err;
}

static atea_slice trim(atea_slice s)
{
    while (s.len > 0 && (s.data[0] == ' ' || s.data[0] == '\t' || s.data[0] == '\r')) {
        s.data++;
        s.len--;
    }
    while (s.len > 0 &&
           (s.data[s.len - 1] == ' ' || s.data[s.len - 1] == '\t' || s.data[s.len - 1] == '\r')) {
        s.len--;
    }
    return s;
}

/* The next line of rd, without its '\n'. */
static atea_err next_line(atea_rd *rd, atea_slice *line)
{
    atea_err err = ATEA_OK;
    const uint8_t *nl = memchr(atea_rd_ptr(rd), '\n', atea_rd_left(rd));
    ATEA_TRY(
        atea_rd_slice(rd, nl != NULL ? (size_t)(nl - atea_rd_ptr(rd)) : atea_rd_left(rd), line));
    if (nl != NULL) {
        ATEA_TRY(atea_rd_skip(rd, 1));
    }
out:
    return err;
}

/* A file name from the index: printable, no '/', at most NAME_MAX_LEN bytes. */
static atea_err index_name(atea_slice v, size_t lineno, char out[NAME_MAX_LEN + 1])
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE_MSG(v.len > 0 && v.len <= NAME_MAX_LEN, ATEA_ERR_TDX_BAD_COLLATERAL,
                    "%s line %zu: file name of %zu characters (1..%d)", ATEA_TDX_COLLATERAL_INDEX,
                    lineno, v.len, NAME_MAX_LEN);
    for (size_t i = 0; i < v.len; i++) {
        ATEA_ENSURE_MSG(v.data[i] >= 0x20 && v.data[i] != 0x7f && v.data[i] != '/',
                        ATEA_ERR_TDX_BAD_COLLATERAL,
                        "%s line %zu: the file name has a control character or '/'",
                        ATEA_TDX_COLLATERAL_INDEX, lineno);
    }
    memcpy(out, v.data, v.len);
    out[v.len] = '\0';
out:
    return err;
}

/* One index line "key = name" (or blank / "# comment"). */
static atea_err index_line(atea_slice line, size_t lineno, name_set *names)
{
    atea_err err = ATEA_OK;
    atea_rd rd;
    atea_slice key;
    atea_slice value;
    line = trim(line);
    if (line.len == 0 || line.data[0] == '#') {
        goto out;
    }
    const uint8_t *eq = memchr(line.data, '=', line.len);
    ATEA_ENSURE_MSG(eq != NULL, ATEA_ERR_TDX_BAD_COLLATERAL,
                    "%s line %zu: expected 'key = file name'", ATEA_TDX_COLLATERAL_INDEX, lineno);
    atea_rd_init(&rd, line.data, line.len);
    ATEA_TRY(atea_rd_slice(&rd, (size_t)(eq - line.data), &key));
    ATEA_TRY(atea_rd_skip(&rd, 1));
    ATEA_TRY(atea_rd_slice(&rd, atea_rd_left(&rd), &value));
    key = trim(key);
    for (size_t i = 0; i < 5; i++) {
        if (key.len == strlen(INDEX_KEYS[i]) && memcmp(key.data, INDEX_KEYS[i], key.len) == 0) {
            ATEA_TRY(index_name(trim(value), lineno, names->names[i]));
            goto out;
        }
    }
    ATEA_FAIL(ATEA_ERR_TDX_BAD_COLLATERAL, "%s line %zu: unknown key '%.*s'",
              ATEA_TDX_COLLATERAL_INDEX, lineno, (int)(key.len < 40 ? key.len : 40),
              (const char *)key.data);
out:
    return err;
}

static atea_err read_index(const char *dir, name_set *names)
{
    atea_err err = ATEA_OK;
    atea_buf idx = {0};
    atea_rd rd;
    atea_slice line;
    int present = 0;
    ATEA_TRY(read_file(dir, ATEA_TDX_COLLATERAL_INDEX, INDEX_MAX_BYTES, &idx, &present));
    if (!present) {
        goto out;
    }
    atea_rd_init(&rd, idx.data, idx.len);
    for (size_t lineno = 1; atea_rd_left(&rd) > 0; lineno++) {
        ATEA_TRY(next_line(&rd, &line));
        ATEA_TRY(index_line(line, lineno, names));
    }
out:
    atea_buf_free(&idx);
    return err;
}

/* Absent files mean "not checked" (a WARNING), but the directory itself must exist: a mistyped
 * path would otherwise silently turn off revocation and TCB status checks. */
static atea_err check_dir(const char *dir)
{
    atea_err err = ATEA_OK;
    struct stat st;
    ATEA_ENSURE_MSG(stat(dir, &st) == 0, ATEA_ERR_TDX_BAD_COLLATERAL, "collateral directory %s: %s",
                    dir, strerror(errno));
    ATEA_ENSURE_MSG(S_ISDIR(st.st_mode), ATEA_ERR_TDX_BAD_COLLATERAL,
                    "collateral directory %s is not a directory", dir);
out:
    return err;
}

static atea_err resolve_names(const char *dir, const atea_tdx_collateral_files *files,
                              name_set *names)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(check_dir(dir));
    for (size_t i = 0; i < 5; i++) {
        memcpy(names->names[i], DEFAULT_NAMES[i], strlen(DEFAULT_NAMES[i]) + 1);
    }
    ATEA_TRY(read_index(dir, names));
    if (files != NULL) {
        const char *explicit_names[5] = {files->tcb_info, files->qe_identity,
                                         files->tcb_signing_chain, files->pck_crl, files->root_crl};
        for (size_t i = 0; i < 5; i++) {
            if (explicit_names[i] != NULL) {
                ATEA_ENSURE_MSG(strlen(explicit_names[i]) <= NAME_MAX_LEN, ATEA_ERR_INVALID_ARG,
                                "collateral file name too long");
                memcpy(names->names[i], explicit_names[i], strlen(explicit_names[i]) + 1);
            }
        }
    }
out:
    return err;
}

atea_err atea_tdx_collateral_load_dir(atea_tdx_collateral *coll, const char *dir,
                                      const atea_tdx_collateral_files *files)
{
    atea_err err = ATEA_OK;
    name_set names;
    atea_buf bufs[5] = {{0}};
    atea_slice *slots[5];
    atea_tdx_collateral_bytes bytes;
    memset(&bytes, 0, sizeof(bytes));
    slots[0] = &bytes.tcb_info;
    slots[1] = &bytes.qe_identity;
    slots[2] = &bytes.tcb_signing_chain;
    slots[3] = &bytes.pck_crl;
    slots[4] = &bytes.root_crl;
    ATEA_ENSURE(coll != NULL && dir != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(resolve_names(dir, files, &names));
    for (size_t i = 0; i < 5; i++) {
        int present = 0;
        ATEA_TRY(read_file(dir, names.names[i], ATEA_TDX_MAX_COLLATERAL_FILE, &bufs[i], &present));
        if (present) {
            slots[i]->data = bufs[i].data;
            slots[i]->len = bufs[i].len;
        }
    }
    ATEA_TRY(atea_tdx_collateral_load(coll, &bytes));
out:
    for (size_t i = 0; i < 5; i++) {
        atea_buf_free(&bufs[i]);
    }
    return err;
}
