/*
 * The simulated TEE's key store (docs/evidence/SIM.md): <dir>/root.key, root.crt and
 * <dir>/identities/<name>.key, .crt. Private keys are created 0600 with O_EXCL (never through a
 * file another user prepared) and refused when group or others can read them: a sim root key is
 * only a test credential, but a relying party that trusts it must be able to rely on it staying
 * private to its owner.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "atea/sim.h"
#include "core/check.h"
#include "evidence/sim_store.h"

#define SIM_PATH_MAX 4096
#define SIM_CERT_DAYS 3650
#define SIM_SERIAL_BITS 127

static atea_err check_identity_name(const char *name)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(name != NULL, ATEA_ERR_INVALID_ARG);
    size_t len = strnlen(name, ATEA_SIM_MAX_IDENTITY_NAME + 1);
    ATEA_ENSURE_MSG(len >= 1 && len <= ATEA_SIM_MAX_IDENTITY_NAME, ATEA_ERR_SIM_IDENTITY_NAME,
                    "identity name of %zu%s bytes", len,
                    len > ATEA_SIM_MAX_IDENTITY_NAME ? " or more" : "");
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        ATEA_ENSURE_MSG(ok, ATEA_ERR_SIM_IDENTITY_NAME, "identity '%.32s': byte 0x%02x at %zu",
                        name, (unsigned char)c, i);
    }
out:
    return err;
}

static atea_err join(char *out, const char *dir, const char *a, const char *b)
{
    atea_err err = ATEA_OK;
    int n = snprintf(out, SIM_PATH_MAX, "%s/%s%s", dir, a, b);
    ATEA_ENSURE_MSG(n > 0 && n < SIM_PATH_MAX, ATEA_ERR_SIM_STORE, "path under %.64s too long",
                    dir);
out:
    return err;
}

static atea_err ensure_dir(const char *path)
{
    atea_err err = ATEA_OK;
    struct stat st;
    if (mkdir(path, 0700) != 0) {
        ATEA_ENSURE_MSG(errno == EEXIST, ATEA_ERR_SIM_STORE, "mkdir %s: %s", path, strerror(errno));
        ATEA_ENSURE_MSG(stat(path, &st) == 0 && S_ISDIR(st.st_mode), ATEA_ERR_SIM_STORE,
                        "%s exists and is not a directory", path);
    }
out:
    return err;
}

/* 1 if path exists (as anything), 0 if not; other stat failures are errors. */
static atea_err exists(const char *path, int *yes)
{
    atea_err err = ATEA_OK;
    struct stat st;
    *yes = stat(path, &st) == 0;
    ATEA_ENSURE_MSG(*yes || errno == ENOENT, ATEA_ERR_SIM_STORE, "stat %s: %s", path,
                    strerror(errno));
out:
    return err;
}

static atea_err read_key(const char *path, EVP_PKEY **pkey)
{
    atea_err err = ATEA_OK;
    FILE *f = fopen(path, "r");
    struct stat st;
    ATEA_ENSURE_MSG(f != NULL, ATEA_ERR_SIM_STORE, "open %s: %s", path, strerror(errno));
    ATEA_ENSURE_MSG(fstat(fileno(f), &st) == 0, ATEA_ERR_SIM_STORE, "stat %s", path);
    ATEA_ENSURE_MSG((st.st_mode & 077) == 0, ATEA_ERR_SIM_KEY_PERMISSIONS,
                    "%s has mode %03o; run chmod 600 %s", path, (unsigned)(st.st_mode & 0777),
                    path);
    *pkey = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    ATEA_ENSURE_MSG(*pkey != NULL, ATEA_ERR_SIM_KEY_CORRUPT, "%s holds no PEM private key", path);
out:
    if (f != NULL) {
        fclose(f);
    }
    return err;
}

/* Create `path` exclusively with `mode` and write a PEM object with `write_pem`. */
static atea_err write_new_file(const char *path, mode_t mode, int (*write_pem)(FILE *, void *),
                               void *obj)
{
    atea_err err = ATEA_OK;
    FILE *f = NULL;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
    ATEA_ENSURE_MSG(fd >= 0, ATEA_ERR_SIM_STORE, "create %s: %s", path, strerror(errno));
    f = fdopen(fd, "w");
    if (f == NULL) {
        close(fd);
    }
    ATEA_ENSURE_MSG(f != NULL, ATEA_ERR_SIM_STORE, "fdopen %s", path);
    ATEA_ENSURE_MSG(write_pem(f, obj) == 1, ATEA_ERR_SIM_STORE, "write %s", path);
out:
    if (f != NULL && fclose(f) != 0 && err == ATEA_OK) {
        err = atea__err_set(ATEA_ERR_SIM_STORE, __FILE__, __LINE__, "close %s", path);
    }
    return err;
}

static int write_key_pem(FILE *f, void *key)
{
    return PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
}

static int write_cert_pem(FILE *f, void *cert)
{
    return PEM_write_X509(f, cert);
}

static atea_err load_or_create_key(const char *path, EVP_PKEY **pkey)
{
    atea_err err = ATEA_OK;
    EVP_PKEY *key = NULL;
    int have = 0;
    ATEA_TRY(exists(path, &have));
    if (!have) {
        key = EVP_EC_gen("P-256");
        ATEA_ENSURE_MSG(key != NULL, ATEA_ERR_SIM_CRYPTO, "P-256 key generation");
        ATEA_TRY(write_new_file(path, 0600, write_key_pem, key));
        *pkey = key;
        key = NULL;
        goto out;
    }
    ATEA_TRY(read_key(path, pkey));
out:
    EVP_PKEY_free(key);
    return err;
}

static atea_err add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
    atea_err err = ATEA_OK;
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    ATEA_ENSURE_MSG(ext != NULL && X509_add_ext(cert, ext, -1) == 1, ATEA_ERR_SIM_CRYPTO,
                    "extension %s", value);
out:
    X509_EXTENSION_free(ext);
    return err;
}

/* A certificate for `key`, signed by issuer_key (self-signed when issuer is NULL). */
static atea_err make_cert(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key,
                          int64_t now, X509 **pcert)
{
    atea_err err = ATEA_OK;
    X509 *cert = X509_new();
    BIGNUM *serial = BN_new();
    time_t t = now != 0 ? (time_t)now : time(NULL);
    ATEA_ENSURE_ALLOC(cert);
    ATEA_ENSURE_ALLOC(serial);
    ATEA_ENSURE(BN_rand(serial, SIM_SERIAL_BITS, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1 &&
                    BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert)) != NULL,
                ATEA_ERR_SIM_CRYPTO);
    X509_NAME *name = X509_get_subject_name(cert);
    ATEA_ENSURE(X509_set_version(cert, 2) == 1 &&
                    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                               (const unsigned char *)"atea simulated TEE", -1, -1,
                                               0) == 1 &&
                    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn,
                                               -1, -1, 0) == 1 &&
                    X509_set_issuer_name(cert, issuer != NULL ? X509_get_subject_name(issuer)
                                                              : name) == 1 &&
                    X509_time_adj_ex(X509_getm_notBefore(cert), 0, -3600, &t) != NULL &&
                    X509_time_adj_ex(X509_getm_notAfter(cert), SIM_CERT_DAYS, 0, &t) != NULL &&
                    X509_set_pubkey(cert, key) == 1,
                ATEA_ERR_SIM_CRYPTO);
    X509 *ext_issuer = issuer != NULL ? issuer : cert;
    if (issuer == NULL) {
        ATEA_TRY(add_ext(cert, ext_issuer, NID_basic_constraints, "critical,CA:TRUE"));
        ATEA_TRY(add_ext(cert, ext_issuer, NID_key_usage, "critical,keyCertSign"));
    } else {
        ATEA_TRY(add_ext(cert, ext_issuer, NID_basic_constraints, "critical,CA:FALSE"));
        ATEA_TRY(add_ext(cert, ext_issuer, NID_key_usage, "critical,digitalSignature"));
    }
    ATEA_ENSURE_MSG(X509_sign(cert, issuer_key, EVP_sha256()) > 0, ATEA_ERR_SIM_CRYPTO,
                    "signing certificate %s", cn);
    *pcert = cert;
    cert = NULL;
out:
    BN_free(serial);
    X509_free(cert);
    return err;
}

static atea_err load_or_create_cert(const char *path, const char *cn, EVP_PKEY *key, X509 *issuer,
                                    EVP_PKEY *issuer_key, int64_t now, X509 **pcert)
{
    atea_err err = ATEA_OK;
    X509 *cert = NULL;
    FILE *f = NULL;
    int have = 0;
    ATEA_TRY(exists(path, &have));
    if (!have) {
        ATEA_TRY(make_cert(cn, key, issuer, issuer_key, now, &cert));
        ATEA_TRY(write_new_file(path, 0644, write_cert_pem, cert));
    } else {
        f = fopen(path, "r");
        ATEA_ENSURE_MSG(f != NULL, ATEA_ERR_SIM_STORE, "open %s: %s", path, strerror(errno));
        cert = PEM_read_X509(f, NULL, NULL, NULL);
        ATEA_ENSURE_MSG(cert != NULL, ATEA_ERR_SIM_KEY_CORRUPT, "%s holds no PEM certificate",
                        path);
    }
    /* The certificate must belong to the key next to it and to the issuer above it. */
    ATEA_ENSURE_MSG(X509_check_private_key(cert, key) == 1, ATEA_ERR_SIM_KEY_CORRUPT,
                    "%s does not match its private key", path);
    ATEA_ENSURE_MSG(X509_verify(cert, issuer_key) == 1, ATEA_ERR_SIM_KEY_CORRUPT,
                    "%s is not signed by the current sim root; delete %s", path, path);
    *pcert = cert;
    cert = NULL;
out:
    if (f != NULL) {
        fclose(f);
    }
    X509_free(cert);
    return err;
}

static atea_err cert_der(X509 *cert, atea_buf *out)
{
    atea_err err = ATEA_OK;
    unsigned char *der = NULL;
    int len = i2d_X509(cert, &der);
    ATEA_ENSURE_MSG(len > 0 && (size_t)len <= ATEA_SIM_MAX_CERT, ATEA_ERR_SIM_CRYPTO,
                    "certificate DER of %d bytes", len);
    ATEA_TRY(atea_buf_set(out, der, (size_t)len));
out:
    OPENSSL_free(der);
    return err;
}

atea_err atea__sim_identity_load(const char *dir, const char *name, int64_t now, sim_identity *out)
{
    atea_err err = ATEA_OK;
    char path[SIM_PATH_MAX];
    char cn[64];
    EVP_PKEY *root_key = NULL;
    X509 *root = NULL;
    X509 *cert = NULL;
    sim_identity id = {0};
    ATEA_ENSURE(dir != NULL && out != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(check_identity_name(name));
    ATEA_TRY(ensure_dir(dir));
    ATEA_TRY(join(path, dir, "root.key", ""));
    ATEA_TRY(load_or_create_key(path, &root_key));
    ATEA_TRY(join(path, dir, "root.crt", ""));
    ATEA_TRY(load_or_create_cert(path, "atea sim root", root_key, NULL, root_key, now, &root));
    ATEA_TRY(join(path, dir, "identities", ""));
    ATEA_TRY(ensure_dir(path));
    ATEA_TRY(join(path, dir, "identities/", name));
    ATEA_ENSURE_MSG(strlen(path) + 5 < sizeof(path), ATEA_ERR_SIM_STORE, "path too long");
    strcat(path, ".key");
    ATEA_TRY(load_or_create_key(path, &id.key));
    path[strlen(path) - 4] = '\0';
    strcat(path, ".crt");
    (void)snprintf(cn, sizeof(cn), "atea sim identity %s", name);
    ATEA_TRY(load_or_create_cert(path, cn, id.key, root, root_key, now, &cert));
    ATEA_TRY(cert_der(cert, &id.cert_der));
    ATEA_TRY(cert_der(root, &id.root_cert_der));
    *out = id;
    memset(&id, 0, sizeof(id));
out:
    atea__sim_identity_dispose(&id);
    X509_free(cert);
    X509_free(root);
    EVP_PKEY_free(root_key);
    return err;
}

void atea__sim_identity_dispose(sim_identity *id)
{
    EVP_PKEY_free(id->key);
    id->key = NULL;
    atea_buf_free(&id->cert_der);
    atea_buf_free(&id->root_cert_der);
}

atea_err atea__sim_cert_spki_sha256(const atea_buf *der, uint8_t digest[32])
{
    atea_err err = ATEA_OK;
    const unsigned char *p = der->data;
    unsigned char *spki = NULL;
    X509 *cert = d2i_X509(NULL, &p, (long)der->len);
    ATEA_ENSURE(cert != NULL, ATEA_ERR_SIM_KEY_CORRUPT);
    int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &spki);
    ATEA_ENSURE(len > 0, ATEA_ERR_SIM_CRYPTO);
    ATEA_ENSURE(EVP_Digest(spki, (size_t)len, digest, NULL, EVP_sha256(), NULL) == 1,
                ATEA_ERR_SIM_CRYPTO);
out:
    OPENSSL_free(spki);
    X509_free(cert);
    return err;
}
