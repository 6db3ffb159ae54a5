/* A fake configfs-tsm (tests/testlib/fake_tsm.h). */
#include "fake_tsm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atea_test.h"

/* The attribute name if path is <entry>/<name> of the existing entry, else NULL. */
static const char *attribute(const fake_tsm *f, const char *path)
{
    size_t n = strlen(f->entry);
    if (n == 0 || strncmp(path, f->entry, n) != 0 || path[n] != '/') {
        return NULL;
    }
    return path + n + 1;
}

static int fake_mkdir(void *user, const char *path)
{
    fake_tsm *f = user;
    f->mkdirs++;
    if (mkdir(path, 0700) != 0) {
        return -errno;
    }
    snprintf(f->entry, sizeof(f->entry), "%s", path);
    f->generation = 0;
    f->inblob_len = 0;
    f->inblob_written = 0;
    return 0;
}

static int fake_rmdir(void *user, const char *path)
{
    fake_tsm *f = user;
    f->rmdirs++;
    if (rmdir(path) != 0) {
        return -errno;
    }
    if (strcmp(path, f->entry) == 0) {
        f->entry[0] = '\0';
    }
    return 0;
}

static int serve(const void *data, size_t len, uint8_t *buf, size_t cap, size_t *out)
{
    if (len > cap) {
        return -EFBIG;
    }
    if (len > 0) {
        memcpy(buf, data, len);
    }
    *out = len;
    return 0;
}

/* The sample file, read in place (never copied into the repository). */
static int serve_file(const char *path, uint8_t *buf, size_t cap, size_t *out)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        return -EIO;
    }
    size_t n = fread(buf, 1, cap, fp);
    int more = fgetc(fp) != EOF;
    fclose(fp);
    *out = n;
    return more ? -EFBIG : 0;
}

static int is_tdx_or_snp(const fake_tsm *f)
{
    return f->provider != NULL &&
           (strcmp(f->provider, "tdx_guest\n") == 0 || strcmp(f->provider, "sev_guest\n") == 0);
}

/* <acpi_tables>/CCEL and <acpi_tables>/data/CCEL: NULL if path is neither. */
static const atea_buf *acpi_file(const fake_tsm *f, const char *path)
{
    size_t n = strlen(f->acpi_tables);
    if (strncmp(path, f->acpi_tables, n) != 0) {
        return NULL;
    }
    if (strcmp(path + n, "/CCEL") == 0) {
        return &f->ccel_table;
    }
    if (strcmp(path + n, "/data/CCEL") == 0) {
        return &f->ccel_data;
    }
    return NULL;
}

static int fake_read(void *user, const char *path, uint8_t *buf, size_t cap, size_t *len)
{
    fake_tsm *f = user;
    const char *name = attribute(f, path);
    const atea_buf *acpi = acpi_file(f, path);
    char text[32];
    *len = 0;
    if (acpi != NULL) {
        return acpi->data == NULL ? -ENOENT : serve(acpi->data, acpi->len, buf, cap, len);
    }
    if (name == NULL) {
        return -ENOENT;
    }
    if (strcmp(name, "provider") == 0) {
        return f->provider == NULL ? -ENOENT
                                   : serve(f->provider, strlen(f->provider), buf, cap, len);
    }
    if (strcmp(name, "generation") == 0) {
        if (f->generation_text != NULL) {
            return serve(f->generation_text, strlen(f->generation_text), buf, cap, len);
        }
        snprintf(text, sizeof(text), "%lu\n", f->generation);
        return serve(text, strlen(text), buf, cap, len);
    }
    if (strcmp(name, "outblob") == 0) {
        /* report.c: EINVAL without inblob; tdx/sev providers insist on 64 bytes */
        if (!f->inblob_written || (is_tdx_or_snp(f) && f->inblob_len != 64)) {
            return -EINVAL;
        }
        return serve_file(f->outblob_path, buf, cap, len);
    }
    if (strcmp(name, "auxblob") == 0) {
        if (f->provider == NULL || strcmp(f->provider, "sev_guest\n") != 0) {
            return -ENOENT; /* hidden for TDX */
        }
        return serve(f->auxblob.data, f->auxblob.len, buf, cap, len);
    }
    return -ENOENT;
}

static int fake_write(void *user, const char *path, const uint8_t *data, size_t len)
{
    fake_tsm *f = user;
    const char *name = attribute(f, path);
    if (name == NULL || strcmp(name, "inblob") != 0) {
        return -EACCES;
    }
    if (len > sizeof(f->inblob)) {
        return -EFBIG;
    }
    memcpy(f->inblob, data, len);
    f->inblob_len = len;
    f->inblob_written = 1;
    f->generation += 1 + f->concurrent_writes;
    return 0;
}

void fake_tsm_init(fake_tsm *f, const char *provider, const char *outblob_path)
{
    memset(f, 0, sizeof(*f));
    strcpy(f->root, "/tmp/atea-faketsm-XXXXXX");
    if (mkdtemp(f->root) == NULL) {
        fail_msg("mkdtemp failed");
    }
    f->provider = provider;
    f->outblob_path = outblob_path;
    snprintf(f->acpi_tables, sizeof(f->acpi_tables), "%s-acpi/tables", f->root);
    f->fs.user = f;
    f->fs.mkdir = fake_mkdir;
    f->fs.rmdir = fake_rmdir;
    f->fs.read = fake_read;
    f->fs.write = fake_write;
}

void fake_tsm_dispose(fake_tsm *f)
{
    if (f->entry[0] != '\0') {
        (void)rmdir(f->entry);
    }
    (void)rmdir(f->root);
    atea_buf_free(&f->auxblob);
    atea_buf_free(&f->ccel_table);
    atea_buf_free(&f->ccel_data);
}

static void put_le(uint8_t *p, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

atea_buf fake_tsm_ccel_table(uint8_t cc_type, uint64_t laml, uint64_t lasa)
{
    atea_buf t = {0};
    t.len = ATEA_TSM_CCEL_TABLE_LEN;
    t.data = calloc(1, t.len);
    assert_non_null(t.data);
    memcpy(t.data, "CCEL", 4);
    put_le(t.data + 4, t.len, 4);
    t.data[8] = 1; /* revision */
    memcpy(t.data + 10, "ATEAT ", 6);
    memcpy(t.data + 16, "FAKECCEL", 8);
    t.data[36] = cc_type;
    put_le(t.data + 40, laml, 8);
    put_le(t.data + 48, lasa, 8);
    uint8_t sum = 0;
    for (size_t i = 0; i < t.len; i++) {
        sum = (uint8_t)(sum + t.data[i]);
    }
    t.data[9] = (uint8_t)(0x100 - sum); /* ACPI: all bytes sum to zero */
    return t;
}

atea_buf fake_tsm_snp_cert_table(const char *vcek_der_path)
{
    /* VCEK GUID 63da758d-e664-4564-adc5-f4b93be8accd, bytes in string order (§3.5). */
    static const uint8_t vcek_guid[16] = {0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64,
                                          0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac, 0xcd};
    atea_buf cert = atea_test_read_file(vcek_der_path);
    const size_t header = 2 * 24; /* one entry + the all-zero terminator */
    atea_buf table = {0};
    table.len = header + cert.len;
    table.data = calloc(1, table.len);
    assert_non_null(table.data);
    memcpy(table.data, vcek_guid, 16);
    uint32_t off = (uint32_t)header;
    uint32_t len = (uint32_t)cert.len;
    for (int i = 0; i < 4; i++) { /* little-endian u32 offset, length */
        table.data[16 + i] = (uint8_t)(off >> (8 * i));
        table.data[20 + i] = (uint8_t)(len >> (8 * i));
    }
    memcpy(table.data + header, cert.data, cert.len);
    atea_buf_free(&cert);
    return table;
}
