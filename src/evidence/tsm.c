/*
 * configfs-tsm attester (include/atea/tsm.h, docs/evidence/TSM.md, evidence-formats.md §1.1).
 * The kernel commits inblob on close() and ignores the write callback's error, so success of the
 * write proves nothing: the generation counter, read before and after, is the only evidence that
 * the outblob we read answers our inblob and nobody else's.
 */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "atea/cmw.h"
#include "atea/tsm.h"
#include "core/check.h"
#include "core/rd.h"
#include "evidence/tsm_internal.h"

/* ---- the real file system ---- */

static int posix_mkdir(void *user, const char *path)
{
    (void)user;
    return mkdir(path, 0700) == 0 ? 0 : -errno;
}

static int posix_rmdir(void *user, const char *path)
{
    (void)user;
    return rmdir(path) == 0 ? 0 : -errno;
}

/* configfs serves attributes through read(); stat sizes mean nothing, so read to EOF. */
static int posix_read(void *user, const char *path, uint8_t *buf, size_t cap, size_t *len)
{
    (void)user;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -errno;
    }
    size_t have = 0;
    int rc = 0;
    for (;;) {
        uint8_t extra;
        ssize_t n = have < cap ? read(fd, buf + have, cap - have) : read(fd, &extra, 1);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            rc = -errno;
            break;
        }
        if (n == 0) {
            break;
        }
        if (have == cap) {
            rc = -EFBIG;
            break;
        }
        have += (size_t)n;
    }
    close(fd);
    *len = have;
    return rc;
}

/* One write() of the whole blob, then close(), which is where configfs commits it (and where
 * newer kernels report the error). */
static int posix_write(void *user, const char *path, const uint8_t *data, size_t len)
{
    (void)user;
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        return -errno;
    }
    ssize_t n = write(fd, data, len);
    int rc = n < 0 ? -errno : ((size_t)n != len ? -EIO : 0);
    if (close(fd) != 0 && rc == 0) {
        rc = -errno;
    }
    return rc;
}

static const atea_tsm_fs posix_fs = {
    .user = NULL,
    .mkdir = posix_mkdir,
    .rmdir = posix_rmdir,
    .read = posix_read,
    .write = posix_write,
};

/* ---- the protocol ---- */

static const struct {
    atea_tsm_provider provider;
    const char *name;
} providers[] = {
    {ATEA_TSM_PROVIDER_TDX, "tdx_guest"},
    {ATEA_TSM_PROVIDER_SNP, "sev_guest"},
    {ATEA_TSM_PROVIDER_CCA, "arm_cca_guest"},
};

const char *atea_tsm_provider_name(atea_tsm_provider provider)
{
    for (size_t i = 0; i < ATEA_ARRAY_LEN(providers); i++) {
        if (providers[i].provider == provider) {
            return providers[i].name;
        }
    }
    return NULL;
}

void atea_tsm_opts_default_versioned(unsigned version, atea_tsm_opts *opts)
{
    if (opts == NULL) {
        return;
    }
    /* a V1 caller's struct ends before the V2 fields */
    memset(opts, 0,
           version == ATEA_TSM_OPTS_V1 ? offsetof(atea_tsm_opts, acpi_tables) : sizeof(*opts));
    opts->version = version;
    opts->root = ATEA_TSM_DEFAULT_ROOT;
    if (version >= ATEA_TSM_OPTS_V2) {
        opts->acpi_tables = ATEA_TSM_DEFAULT_ACPI_TABLES;
    }
}

atea_err atea__tsm_opts_lift(const atea_tsm_opts *in, atea_tsm_opts *out)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(in != NULL && out != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(in->version == ATEA_TSM_OPTS_V1 || in->version == ATEA_TSM_OPTS_V2,
                    ATEA_ERR_EVIDENCE_OPTS_VERSION, "atea_tsm_opts version %u", in->version);
    atea_tsm_opts_default(out);
    memcpy(out, in,
           in->version == ATEA_TSM_OPTS_V1 ? offsetof(atea_tsm_opts, acpi_tables) : sizeof(*out));
    out->version = ATEA_TSM_OPTS_VERSION;
out:
    return err;
}

typedef struct tsm_entry {
    const atea_tsm_fs *fs;
    const atea_log *log;
    char dir[ATEA_TSM_MAX_PATH];
    char path[ATEA_TSM_MAX_PATH + 32];
} tsm_entry;

static const char *attr(tsm_entry *e, const char *name)
{
    (void)snprintf(e->path, sizeof(e->path), "%s/%s", e->dir, name);
    return e->path;
}

static atea_err read_small(tsm_entry *e, const char *name, char *buf, size_t *len)
{
    atea_err err = ATEA_OK;
    int rc = e->fs->read(e->fs->user, attr(e, name), (uint8_t *)buf, ATEA_TSM_MAX_SMALL_FILE, len);
    ATEA_ENSURE_MSG(rc == 0, ATEA_ERR_TSM_IO, "read %s: %s", e->path, strerror(-rc));
    buf[*len] = '\0';
out:
    return err;
}

static atea_err read_provider(tsm_entry *e, atea_tsm_provider *provider)
{
    atea_err err = ATEA_OK;
    char text[ATEA_TSM_MAX_SMALL_FILE + 1];
    size_t len = 0;
    int rc = e->fs->read(e->fs->user, attr(e, "provider"), (uint8_t *)text, ATEA_TSM_MAX_SMALL_FILE,
                         &len);
    ATEA_ENSURE_MSG(rc != -ENOENT && !(rc == 0 && len == 0), ATEA_ERR_TSM_PROVIDER_MISSING,
                    "%s is missing or empty", e->path);
    ATEA_ENSURE_MSG(rc == 0, ATEA_ERR_TSM_IO, "read %s: %s", e->path, strerror(-rc));
    text[len] = '\0';
    if (len > 0 && text[len - 1] == '\n') {
        text[--len] = '\0';
    }
    for (size_t i = 0; i < ATEA_ARRAY_LEN(providers); i++) {
        if (strcmp(text, providers[i].name) == 0) {
            *provider = providers[i].provider;
            goto out;
        }
    }
    ATEA_FAIL(ATEA_ERR_TSM_PROVIDER_UNKNOWN, "provider '%.32s'", text);
out:
    return err;
}

/* `generation` is "%lu\n" (drivers/virt/coco/guest/report.c). */
static atea_err read_generation(tsm_entry *e, uint64_t *gen)
{
    atea_err err = ATEA_OK;
    char text[ATEA_TSM_MAX_SMALL_FILE + 1];
    size_t len = 0;
    atea_rd rd;
    uint8_t c = 0;
    ATEA_TRY(read_small(e, "generation", text, &len));
    atea_rd_init(&rd, (const uint8_t *)text, len);
    *gen = 0;
    size_t digits = 0;
    while (atea_rd_left(&rd) > 0 && *atea_rd_ptr(&rd) >= '0' && *atea_rd_ptr(&rd) <= '9') {
        ATEA_TRY(atea_rd_u8(&rd, &c));
        ATEA_ENSURE_MSG(*gen <= (UINT64_MAX - 9) / 10, ATEA_ERR_TSM_GENERATION_FORMAT,
                        "%s: value overflows", e->path);
        *gen = *gen * 10 + (uint64_t)(c - '0');
        digits++;
    }
    if (atea_rd_left(&rd) == 1 && *atea_rd_ptr(&rd) == '\n') {
        ATEA_TRY(atea_rd_u8(&rd, &c));
    }
    ATEA_ENSURE_MSG(digits > 0 && atea_rd_left(&rd) == 0, ATEA_ERR_TSM_GENERATION_FORMAT,
                    "%s holds '%.20s'", e->path, text);
out:
    return err;
}

/* A binary attribute of at most cap bytes into a fresh buffer; ENOENT = empty if optional. */
static atea_err read_blob(tsm_entry *e, const char *name, size_t cap, atea_err too_large,
                          int optional, atea_buf *out)
{
    atea_err err = ATEA_OK;
    size_t len = 0;
    uint8_t *buf = malloc(cap);
    ATEA_ENSURE_ALLOC(buf);
    int rc = e->fs->read(e->fs->user, attr(e, name), buf, cap, &len);
    if (optional && rc == -ENOENT) {
        len = 0;
        rc = 0;
    }
    ATEA_ENSURE_MSG(rc != -EFBIG, too_large, "%s is larger than %zu bytes", e->path, cap);
    ATEA_ENSURE_MSG(rc == 0, ATEA_ERR_TSM_IO, "read %s: %s", e->path, strerror(-rc));
    ATEA_TRY(atea_buf_set(out, buf, len));
out:
    free(buf);
    return err;
}

static atea_err make_entry_dir(const atea_tsm_opts *opts, tsm_entry *e)
{
    atea_err err = ATEA_OK;
    char name[64];
    const char *root = opts->root != NULL ? opts->root : ATEA_TSM_DEFAULT_ROOT;
    if (opts->entry_name != NULL) {
        ATEA_ENSURE_MSG(strlen(opts->entry_name) < sizeof(name) &&
                            strchr(opts->entry_name, '/') == NULL && opts->entry_name[0] != '\0' &&
                            opts->entry_name[0] != '.',
                        ATEA_ERR_INVALID_ARG, "entry name '%.64s'", opts->entry_name);
        (void)snprintf(name, sizeof(name), "%s", opts->entry_name);
    } else {
        /* One entry per request (evidence-formats.md §1.1): a random name avoids collisions
         * without shared state. */
        uint8_t rnd[8];
        ATEA_ENSURE(RAND_bytes(rnd, sizeof(rnd)) == 1, ATEA_ERR_INTERNAL);
        (void)snprintf(name, sizeof(name), "atea-%ld-%02x%02x%02x%02x%02x%02x%02x%02x",
                       (long)getpid(), rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6],
                       rnd[7]);
    }
    int n = snprintf(e->dir, sizeof(e->dir), "%s/%s", root, name);
    ATEA_ENSURE_MSG(n > 0 && (size_t)n < sizeof(e->dir), ATEA_ERR_INVALID_ARG,
                    "configfs-tsm root path too long");
    int rc = e->fs->mkdir(e->fs->user, e->dir);
    ATEA_ENSURE_MSG(rc != -ENOENT, ATEA_ERR_TSM_ROOT, "%s does not exist", root);
    ATEA_ENSURE_MSG(rc == 0, ATEA_ERR_TSM_IO, "mkdir %s: %s", e->dir, strerror(-rc));
out:
    return err;
}

/* Steps 2-5 of include/atea/tsm.h on an entry that exists. */
static atea_err run_entry(tsm_entry *e, const uint8_t *inblob, atea_tsm_report *r)
{
    atea_err err = ATEA_OK;
    uint64_t before = 0;
    uint64_t after = 0;
    ATEA_TRY(read_provider(e, &r->provider));
    ATEA_TRY(read_generation(e, &before));
    int rc = e->fs->write(e->fs->user, attr(e, "inblob"), inblob, ATEA_TSM_INBLOB_LEN);
    ATEA_ENSURE_MSG(rc == 0, ATEA_ERR_TSM_IO, "write %s: %s", e->path, strerror(-rc));
    ATEA_TRY(read_blob(e, "outblob", ATEA_TSM_MAX_OUTBLOB, ATEA_ERR_TSM_OUTBLOB, 0, &r->outblob));
    ATEA_ENSURE_MSG(r->outblob.len > 0, ATEA_ERR_TSM_OUTBLOB, "%s is empty", e->path);
    if (r->provider == ATEA_TSM_PROVIDER_SNP) {
        ATEA_TRY(
            read_blob(e, "auxblob", ATEA_TSM_MAX_AUXBLOB, ATEA_ERR_TSM_AUXBLOB, 1, &r->auxblob));
    }
    ATEA_TRY(read_generation(e, &after));
    ATEA_ENSURE_MSG(after == before + 1, ATEA_ERR_TSM_GENERATION,
                    "generation went from %llu to %llu around our single write to %s; another "
                    "process used the report entry concurrently, retry",
                    (unsigned long long)before, (unsigned long long)after, e->dir);
out:
    return err;
}

atea_err atea_tsm_get_report(const atea_tsm_opts *caller_opts, const uint8_t *inblob,
                             size_t inblob_len, atea_tsm_report *report)
{
    atea_err err = ATEA_OK;
    tsm_entry e;
    int created = 0;
    atea_tsm_report r;
    atea_tsm_opts lifted;
    const atea_tsm_opts *opts = &lifted;
    memset(&r, 0, sizeof(r));
    ATEA_ENSURE(caller_opts != NULL && report != NULL && inblob != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea__tsm_opts_lift(caller_opts, &lifted));
    /* TDX and SNP reject anything but 64 bytes, and only when outblob is read (§1.1): say so
     * before touching the kernel. */
    ATEA_ENSURE_MSG(inblob_len == ATEA_TSM_INBLOB_LEN, ATEA_ERR_TSM_INBLOB_SIZE,
                    "inblob of %zu bytes", inblob_len);
    e.fs = opts->fs != NULL ? opts->fs : &posix_fs;
    e.log = &opts->log;
    ATEA_TRY(make_entry_dir(opts, &e));
    created = 1;
    ATEA_TRY(run_entry(&e, inblob, &r));
    /* The CC event log explains the quote's RTMRs (evidence-formats.md §2.5 A.7). */
    if (r.provider == ATEA_TSM_PROVIDER_TDX && !opts->no_eventlog) {
        ATEA_TRY(atea__tsm_read_ccel(opts, e.fs, &r.eventlog));
    }
    atea_logf(&opts->log, ATEA_LOG_DEBUG,
              "tsm: %s report of %zu bytes (auxblob %zu, event log %zu) from %s",
              atea_tsm_provider_name(r.provider), r.outblob.len, r.auxblob.len, r.eventlog.len,
              e.dir);
    *report = r;
    memset(&r, 0, sizeof(r));
out:
    if (created) {
        int rc = e.fs->rmdir(e.fs->user, e.dir);
        if (rc != 0) {
            atea_logf(&caller_opts->log, ATEA_LOG_WARN, "tsm: rmdir %s: %s", e.dir, strerror(-rc));
        }
    }
    atea_tsm_report_dispose(&r);
    return err;
}

void atea_tsm_report_dispose(atea_tsm_report *report)
{
    if (report != NULL) {
        atea_buf_free(&report->outblob);
        atea_buf_free(&report->auxblob);
        atea_buf_free(&report->eventlog);
    }
}
