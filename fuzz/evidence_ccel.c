/*
 * libFuzzer target for the configfs-tsm attester's CCEL reading (src/evidence/tsm_ccel.c): the
 * ACPI table parse, the log-area size checks and the used-length walk of the TCG2 log
 * (src/core/eventlog.c). Input: the first ATEA_TSM_CCEL_TABLE_LEN bytes are served as the table
 * (fewer: the table is that short), the rest as the log area, from memory. Deterministic.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "atea/tsm.h"
#include "evidence/tsm_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct input {
    const uint8_t *table;
    size_t table_len;
    const uint8_t *area;
    size_t area_len;
} input;

static int serve(const uint8_t *p, size_t n, uint8_t *buf, size_t cap, size_t *len)
{
    *len = n < cap ? n : cap;
    if (*len > 0) {
        memcpy(buf, p, *len);
    }
    return n > cap ? -EFBIG : 0;
}

static int fuzz_read(void *user, const char *path, uint8_t *buf, size_t cap, size_t *len)
{
    const input *in = user;
    if (strcmp(path, "/acpi/CCEL") == 0) {
        return serve(in->table, in->table_len, buf, cap, len);
    }
    if (strcmp(path, "/acpi/data/CCEL") == 0) {
        return serve(in->area, in->area_len, buf, cap, len);
    }
    *len = 0;
    return -ENOENT;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input in;
    in.table = data;
    in.table_len = size < ATEA_TSM_CCEL_TABLE_LEN ? size : ATEA_TSM_CCEL_TABLE_LEN;
    in.area = data + in.table_len;
    in.area_len = size - in.table_len;
    atea_tsm_fs fs = {.user = &in, .read = fuzz_read};
    atea_tsm_opts opts;
    atea_tsm_opts_default(&opts);
    opts.acpi_tables = "/acpi";
    opts.fs = &fs;
    atea_buf log = {0};
    (void)atea__tsm_read_ccel(&opts, &fs, &log);
    atea_buf_free(&log);
    return 0;
}
