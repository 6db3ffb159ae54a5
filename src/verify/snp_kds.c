/*
 * AMD KDS certificate extensions of a VCEK/VLEK (AMD doc 57230 "VCEK Certificate and KDS
 * Interface", table "VCEK Certificate Extensions"; evidence-formats 3.3 step 5). They tie the
 * certificate to a product, a TCB (the SPL values) and, for a VCEK, a chip (hwID). The values
 * are DER inside the extension's OCTET STRING (INTEGER for SPLs, IA5String for the product name),
 * except hwID, which is the raw CHIP_ID. Each is read through atea_rd.
 */
#include <string.h>

#include <openssl/objects.h>
#include <openssl/x509.h>

#include "core/check.h"
#include "core/rd.h"
#include "verify/snp_internal.h"

#define KDS_ARC "1.3.6.1.4.1.3704.1."
#define DER_INTEGER 0x02
#define DER_IA5STRING 0x16
#define SNP_HWID_LEN 64
#define SNP_HWID_LEN_TURIN 8

typedef enum kds_field {
    KDS_PRODUCT,
    KDS_BL,
    KDS_TEE,
    KDS_SNP,
    KDS_UCODE,
    KDS_FMC,
    KDS_HWID,
    KDS_FIELD_COUNT,
} kds_field;

static const struct {
    const char *oid;
    kds_field field;
} KDS_OIDS[] = {
    {KDS_ARC "2", KDS_PRODUCT}, {KDS_ARC "3.1", KDS_BL},    {KDS_ARC "3.2", KDS_TEE},
    {KDS_ARC "3.3", KDS_SNP},   {KDS_ARC "3.8", KDS_UCODE}, {KDS_ARC "3.9", KDS_FMC},
    {KDS_ARC "4", KDS_HWID},
};

/* A DER INTEGER (short-form length) holding an SPL, 0..255, and nothing after it. */
static atea_err read_spl(const ASN1_OCTET_STRING *value, const char *oid, uint8_t *spl)
{
    atea_err err = ATEA_OK;
    atea_rd rd;
    uint8_t tag = 0;
    uint8_t len = 0;
    uint64_t v = 0;
    atea_rd_init(&rd, ASN1_STRING_get0_data(value), (size_t)ASN1_STRING_length(value));
    ATEA_TRY(atea_rd_u8(&rd, &tag));
    ATEA_TRY(atea_rd_u8(&rd, &len));
    ATEA_ENSURE_MSG(tag == DER_INTEGER && len >= 1 && len <= 2, ATEA_ERR_SNP_CERT,
                    "extension %s: expected a DER INTEGER of 1..2 bytes, got tag 0x%02x length %u",
                    oid, tag, len);
    for (uint8_t i = 0; i < len; i++) {
        uint8_t b = 0;
        ATEA_TRY(atea_rd_u8(&rd, &b));
        ATEA_ENSURE_MSG(i > 0 || len == 1 || b == 0, ATEA_ERR_SNP_CERT,
                        "extension %s: SPL does not fit in 0..255", oid);
        v = (v << 8) | b;
    }
    ATEA_ENSURE_MSG(v <= 0x7F || len == 2, ATEA_ERR_SNP_CERT, "extension %s: negative SPL INTEGER",
                    oid);
    ATEA_TRY(atea_rd_end(&rd));
    *spl = (uint8_t)v;
out:
    return err;
}

static atea_err read_product(const ASN1_OCTET_STRING *value, atea_snp_kds *kds)
{
    atea_err err = ATEA_OK;
    atea_rd rd;
    uint8_t tag = 0;
    uint8_t len = 0;
    const uint8_t *name = NULL;
    atea_rd_init(&rd, ASN1_STRING_get0_data(value), (size_t)ASN1_STRING_length(value));
    ATEA_TRY(atea_rd_u8(&rd, &tag));
    ATEA_TRY(atea_rd_u8(&rd, &len));
    ATEA_ENSURE_MSG(tag == DER_IA5STRING && len > 0 && len < sizeof(kds->product_name),
                    ATEA_ERR_SNP_CERT,
                    "product name extension: expected an IA5String of 1..%zu bytes, got tag "
                    "0x%02x length %u",
                    sizeof(kds->product_name) - 1, tag, len);
    ATEA_TRY(atea_rd_bytes(&rd, len, &name));
    ATEA_TRY(atea_rd_end(&rd));
    for (uint8_t i = 0; i < len; i++) {
        ATEA_ENSURE_MSG(name[i] >= 0x20 && name[i] < 0x7F, ATEA_ERR_SNP_CERT,
                        "product name extension holds a non-printable byte 0x%02x", name[i]);
    }
    memcpy(kds->product_name, name, len);
    kds->product_name[len] = '\0';
    /* "Milan-B0", "Genoa", "Turin": the product is the part before a stepping suffix. */
    size_t base = strcspn(kds->product_name, "-");
    static const struct {
        const char *name;
        atea_snp_product product;
    } products[] = {{"Milan", ATEA_SNP_PRODUCT_MILAN},
                    {"Genoa", ATEA_SNP_PRODUCT_GENOA},
                    {"Turin", ATEA_SNP_PRODUCT_TURIN}};
    for (size_t i = 0; i < ATEA_ARRAY_LEN(products); i++) {
        if (strlen(products[i].name) == base &&
            memcmp(products[i].name, kds->product_name, base) == 0) {
            kds->product = products[i].product;
        }
    }
    ATEA_ENSURE_MSG(kds->product != ATEA_SNP_PRODUCT_UNKNOWN, ATEA_ERR_SNP_PRODUCT,
                    "certificate product name '%s' is not Milan, Genoa or Turin",
                    kds->product_name);
out:
    return err;
}

static atea_err read_field(kds_field field, const char *oid, const ASN1_OCTET_STRING *value,
                           atea_snp_kds *kds)
{
    atea_err err = ATEA_OK;
    size_t len = (size_t)ASN1_STRING_length(value);
    switch (field) {
    case KDS_PRODUCT:
        ATEA_TRY(read_product(value, kds));
        break;
    case KDS_BL:
        ATEA_TRY(read_spl(value, oid, &kds->tcb.bootloader));
        break;
    case KDS_TEE:
        ATEA_TRY(read_spl(value, oid, &kds->tcb.tee));
        break;
    case KDS_SNP:
        ATEA_TRY(read_spl(value, oid, &kds->tcb.snp));
        break;
    case KDS_UCODE:
        ATEA_TRY(read_spl(value, oid, &kds->tcb.microcode));
        break;
    case KDS_FMC:
        ATEA_TRY(read_spl(value, oid, &kds->tcb.fmc));
        kds->has_fmc = 1;
        break;
    case KDS_HWID:
        /* Raw CHIP_ID, not DER-wrapped: 64 bytes, or its first 8 on Turin. */
        ATEA_ENSURE_MSG(len == SNP_HWID_LEN || len == SNP_HWID_LEN_TURIN, ATEA_ERR_SNP_CERT,
                        "hwID extension is %zu bytes, expected 64 (or 8 on Turin)", len);
        memcpy(kds->hwid, ASN1_STRING_get0_data(value), len);
        kds->hwid_len = len;
        break;
    case KDS_FIELD_COUNT:
        ATEA_FAIL(ATEA_ERR_INTERNAL, "bad KDS field");
    }
out:
    return err;
}

atea_err atea__snp_kds_decode(X509 *cert, atea_snp_kds *kds)
{
    atea_err err = ATEA_OK;
    int seen[KDS_FIELD_COUNT] = {0};
    memset(kds, 0, sizeof(*kds));
    int count = X509_get_ext_count(cert);
    for (int i = 0; i < count; i++) {
        X509_EXTENSION *ext = X509_get_ext(cert, i);
        char oid[64];
        int n = OBJ_obj2txt(oid, (int)sizeof(oid), X509_EXTENSION_get_object(ext), 1);
        if (n <= 0 || (size_t)n >= sizeof(oid)) {
            continue; /* not one of ours: KDS OIDs are short */
        }
        for (size_t k = 0; k < ATEA_ARRAY_LEN(KDS_OIDS); k++) {
            if (strcmp(oid, KDS_OIDS[k].oid) != 0) {
                continue;
            }
            kds_field f = KDS_OIDS[k].field;
            ATEA_ENSURE_MSG(!seen[f], ATEA_ERR_SNP_CERT, "extension %s appears twice", oid);
            seen[f] = 1;
            ATEA_TRY(read_field(f, oid, X509_EXTENSION_get_data(ext), kds));
        }
    }
    static const char *const required[] = {[KDS_PRODUCT] = "product name (.2)",
                                           [KDS_BL] = "blSPL (.3.1)",
                                           [KDS_TEE] = "teeSPL (.3.2)",
                                           [KDS_SNP] = "snpSPL (.3.3)",
                                           [KDS_UCODE] = "ucodeSPL (.3.8)"};
    for (size_t f = 0; f < ATEA_ARRAY_LEN(required); f++) {
        ATEA_ENSURE_MSG(seen[f], ATEA_ERR_SNP_CERT, "certificate lacks the AMD KDS extension %s",
                        required[f]);
    }
    ATEA_ENSURE_MSG(kds->product != ATEA_SNP_PRODUCT_TURIN || kds->has_fmc, ATEA_ERR_SNP_CERT,
                    "Turin certificate lacks the fmcSPL extension (.3.9)");
    /* The hwID is compared with CHIP_ID over its own length: only Turin may shorten it. */
    ATEA_ENSURE_MSG(kds->hwid_len != SNP_HWID_LEN_TURIN || kds->product == ATEA_SNP_PRODUCT_TURIN,
                    ATEA_ERR_SNP_CERT,
                    "%s certificate has an %d-byte hwID; only Turin VCEKs shorten it (64 bytes)",
                    kds->product_name, SNP_HWID_LEN_TURIN);
out:
    return err;
}
