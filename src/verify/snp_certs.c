/*
 * Where SEV-SNP certificates come from: the extended-report certificate table that the host
 * returns with the report (configfs-tsm auxblob, SNP_GET_EXT_REPORT; GHCB spec 56421 4.1.8.1),
 * and PEM/DER files the user names. Both feed one pool of X509 objects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "core/check.h"
#include "core/rd.h"
#include "verify/chain.h"
#include "verify/snp_internal.h"

#define SNP_GUID_LEN 16
#define SNP_TABLE_ENTRY_LEN 24 /* GUID[16], u32 offset, u32 length */

/* GUIDs in the byte order of their string form, as go-sev-guest and virtee/sev read them. */
static const uint8_t GUID_VCEK[SNP_GUID_LEN] = {0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64,
                                                0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac, 0xcd};
static const uint8_t GUID_VLEK[SNP_GUID_LEN] = {0xa8, 0x07, 0x4b, 0xc2, 0xa2, 0x5a, 0x48, 0x3e,
                                                0xaa, 0xe6, 0x39, 0xc0, 0x45, 0xa0, 0xb8, 0xa1};
static const uint8_t GUID_ASK[SNP_GUID_LEN] = {0x4a, 0xb7, 0xb3, 0x79, 0xbb, 0xac, 0x4f, 0xe4,
                                               0xa0, 0x2f, 0x05, 0xae, 0xf3, 0x27, 0xc7, 0x82};
static const uint8_t GUID_ARK[SNP_GUID_LEN] = {0xc0, 0xb4, 0x06, 0xa4, 0xa8, 0x03, 0x49, 0x52,
                                               0x97, 0x43, 0x3f, 0xb6, 0x01, 0x4c, 0xd0, 0xae};

static int all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++) {
        acc |= p[i];
    }
    return acc == 0;
}

/* The slot of certs a GUID fills, or NULL for a GUID atea does not use. */
static atea_slice *slot_for(atea_snp_certs *certs, const uint8_t *guid)
{
    if (memcmp(guid, GUID_VCEK, SNP_GUID_LEN) == 0) {
        return &certs->vcek;
    }
    if (memcmp(guid, GUID_VLEK, SNP_GUID_LEN) == 0) {
        return &certs->vlek;
    }
    if (memcmp(guid, GUID_ASK, SNP_GUID_LEN) == 0) {
        return &certs->ask;
    }
    if (memcmp(guid, GUID_ARK, SNP_GUID_LEN) == 0) {
        return &certs->ark;
    }
    return NULL;
}

/* One entry's payload: inside the table, after the entries, within the cert cap. */
static atea_err place_entry(const uint8_t *table, size_t len, size_t entries_end, uint32_t offset,
                            uint32_t length, size_t index, atea_slice *slot, size_t *max_end)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE_MSG(length > 0 && length <= ATEA_SNP_CERT_MAX_SIZE, ATEA_ERR_SNP_CERT_TABLE,
                    "entry %zu: certificate length %u outside 1..%d", index, length,
                    ATEA_SNP_CERT_MAX_SIZE);
    ATEA_ENSURE_MSG(offset >= entries_end, ATEA_ERR_SNP_CERT_TABLE,
                    "entry %zu: offset %u points into the entry array (ends at %zu)", index, offset,
                    entries_end);
    ATEA_ENSURE_MSG(
        (size_t)offset <= len && (size_t)length <= len - (size_t)offset, ATEA_ERR_SNP_CERT_TABLE,
        "entry %zu: certificate at %u+%u runs past the %zu-byte table", index, offset, length, len);
    ATEA_ENSURE_MSG(slot->data == NULL, ATEA_ERR_SNP_CERT_TABLE,
                    "entry %zu: the same certificate GUID appears twice", index);
    slot->data = table + offset;
    slot->len = length;
    if ((size_t)offset + length > *max_end) {
        *max_end = (size_t)offset + length;
    }
out:
    return err;
}

atea_err atea_snp_cert_table_parse(const uint8_t *table, size_t len, atea_snp_certs *certs)
{
    atea_err err = ATEA_OK;
    atea_snp_certs found = {{0}};
    atea_rd rd;
    uint32_t offsets[ATEA_SNP_CERT_TABLE_MAX_ENTRIES];
    uint32_t lengths[ATEA_SNP_CERT_TABLE_MAX_ENTRIES];
    const uint8_t *guids[ATEA_SNP_CERT_TABLE_MAX_ENTRIES];
    size_t n = 0;
    ATEA_ENSURE(table != NULL && certs != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(len <= ATEA_SNP_CERT_TABLE_MAX_SIZE, ATEA_ERR_TOO_LARGE,
                    "certificate table is %zu bytes, cap %d", len, ATEA_SNP_CERT_TABLE_MAX_SIZE);
    atea_rd_init(&rd, table, len);
    for (;;) {
        const uint8_t *guid = NULL;
        uint32_t offset = 0;
        uint32_t length = 0;
        ATEA_TRY(atea_rd_bytes(&rd, SNP_GUID_LEN, &guid));
        ATEA_TRY(atea_rd_u32le(&rd, &offset));
        ATEA_TRY(atea_rd_u32le(&rd, &length));
        if (all_zero(guid, SNP_GUID_LEN) && offset == 0 && length == 0) {
            break; /* the terminating all-zero entry */
        }
        ATEA_ENSURE_MSG(n < ATEA_SNP_CERT_TABLE_MAX_ENTRIES, ATEA_ERR_TOO_LARGE,
                        "certificate table has more than %d entries",
                        ATEA_SNP_CERT_TABLE_MAX_ENTRIES);
        guids[n] = guid;
        offsets[n] = offset;
        lengths[n] = length;
        n++;
    }
    size_t entries_end = atea_rd_pos(&rd);
    size_t max_end = entries_end;
    for (size_t i = 0; i < n; i++) {
        atea_slice *slot = slot_for(&found, guids[i]);
        atea_slice ignored = {0};
        ATEA_TRY(place_entry(table, len, entries_end, offsets[i], lengths[i], i,
                             slot != NULL ? slot : &ignored, &max_end));
    }
    /* The kernel sizes auxblob to the last certificate; a fixed-size buffer may be zero-padded.
     * Anything else after the certificates is garbage. */
    ATEA_ENSURE_MSG(all_zero(table + max_end, len - max_end), ATEA_ERR_SNP_CERT_TABLE,
                    "non-zero bytes after the last certificate (offset %zu of %zu)", max_end, len);
    *certs = found;
out:
    return err;
}

atea_err atea__snp_pool_add_der(atea_snp_pool *pool, atea_slice der, const char *what)
{
    atea_err err = ATEA_OK;
    X509 *cert = NULL;
    if (der.len == 0) {
        goto out;
    }
    ATEA_ENSURE_MSG(pool->n < ATEA_SNP_MAX_CERTS, ATEA_ERR_TOO_LARGE,
                    "more than %d SEV-SNP certificates supplied", ATEA_SNP_MAX_CERTS);
    err = atea_chain_parse_der(der.data, der.len, &cert);
    ATEA_ENSURE_MSG(err == ATEA_OK, ATEA_ERR_SNP_CERT, "%s: %s", what, atea_err_detail(err));
    pool->certs[pool->n++] = cert;
    cert = NULL;
out:
    X509_free(cert);
    return err;
}

/* Read a whole file of at most ATEA_SNP_CERT_FILE_MAX_SIZE bytes into buf. */
static atea_err read_small_file(const char *path, uint8_t *buf, size_t cap, size_t *len)
{
    atea_err err = ATEA_OK;
    FILE *f = fopen(path, "rb");
    ATEA_ENSURE_MSG(f != NULL, ATEA_ERR_SNP_CERT, "cannot open certificate file %s", path);
    *len = fread(buf, 1, cap, f);
    ATEA_ENSURE_MSG(!ferror(f), ATEA_ERR_SNP_CERT, "cannot read certificate file %s", path);
    ATEA_ENSURE_MSG(*len < cap, ATEA_ERR_SNP_CERT, "certificate file %s exceeds %zu bytes", path,
                    cap - 1);
out:
    if (f != NULL) {
        fclose(f);
    }
    return err;
}

atea_err atea__snp_pool_add_file(atea_snp_pool *pool, const char *path)
{
    atea_err err = ATEA_OK;
    static const char pem_marker[] = "-----BEGIN";
    /* +1 so that a file of exactly the cap is told apart from a longer one. */
    const size_t cap = ATEA_SNP_CERT_FILE_MAX_SIZE + 1;
    uint8_t *buf = NULL;
    size_t len = 0;
    size_t count = 0;
    ATEA_ENSURE(path != NULL, ATEA_ERR_INVALID_ARG);
    buf = malloc(cap);
    ATEA_ENSURE_ALLOC(buf);
    ATEA_TRY(read_small_file(path, buf, cap, &len));
    /* DER starts with a SEQUENCE (0x30); PEM with "-----BEGIN", maybe after whitespace. */
    size_t lead = 0;
    while (lead < len &&
           (buf[lead] == ' ' || buf[lead] == '\t' || buf[lead] == '\r' || buf[lead] == '\n')) {
        lead++;
    }
    int is_pem = len - lead >= sizeof(pem_marker) - 1 &&
                 memcmp(buf + lead, pem_marker, sizeof(pem_marker) - 1) == 0;
    if (!is_pem) {
        atea_slice der = {buf, len};
        ATEA_ENSURE_MSG(len > 0, ATEA_ERR_SNP_CERT, "certificate file %s is empty", path);
        ATEA_TRY(atea__snp_pool_add_der(pool, der, path));
        goto out;
    }
    ATEA_ENSURE_MSG(pool->n < ATEA_SNP_MAX_CERTS, ATEA_ERR_TOO_LARGE,
                    "more than %d SEV-SNP certificates supplied (at %s)", ATEA_SNP_MAX_CERTS, path);
    err =
        atea_chain_parse_pem(buf, len, pool->certs + pool->n, ATEA_SNP_MAX_CERTS - pool->n, &count);
    if (err == ATEA_ERR_TOO_LARGE) {
        goto out;
    }
    ATEA_ENSURE_MSG(err == ATEA_OK, ATEA_ERR_SNP_CERT, "%s: %s", path, atea_err_detail(err));
    pool->n += count;
out:
    free(buf);
    return err;
}

void atea__snp_pool_dispose(atea_snp_pool *pool)
{
    atea_chain_free_certs(pool->certs, pool->n);
    pool->n = 0;
}

int atea__snp_cert_cn_is(X509 *cert, const char *cn)
{
    char buf[64];
    int n = X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, buf,
                                      (int)sizeof(buf));
    return n > 0 && (size_t)n == strlen(cn) && memcmp(buf, cn, (size_t)n) == 0;
}
