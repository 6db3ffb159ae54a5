/*
 * Compact JWS (RFC 7515 §7.1) for EARs, both directions: split and check a received one, sign a
 * new one. Only ES256 and ES384 (RFC 7518 §3.4) exist here: "none", HMAC and RSA are refused by
 * construction, so that no header can downgrade the check (RFC 8725 §2.1, §3.1). The verifier's
 * public key travels in the "jwk" header (RFC 7515 §4.1.3) and is trusted only if the policy pins
 * the SHA-256 of its SubjectPublicKeyInfo.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "cmw/cmw_internal.h"
#include "core/check.h"
#include "core/rd.h"
#include "core/wr.h"
#include "verify/cose.h"
#include "verify/ear_internal.h"

/* DER SubjectPublicKeyInfo up to the uncompressed point (RFC 5480 §2): SEQUENCE { SEQUENCE {
 * id-ecPublicKey, namedCurve }, BIT STRING 0x00 }, then 0x04 || x || y. */
static const uint8_t spki_p256[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
                                    0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                    0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00};
static const uint8_t spki_p384[] = {0x30, 0x76, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86,
                                    0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b,
                                    0x81, 0x04, 0x00, 0x22, 0x03, 0x62, 0x00};

static const struct {
    ear_alg_info info;
    const uint8_t *spki_prefix;
    size_t spki_prefix_len;
} algs[] = {
    {{ATEA_EAR_ALG_ES256, "ES256", "P-256", NID_X9_62_prime256v1, 32, EVP_sha256},
     spki_p256,
     sizeof(spki_p256)},
    {{ATEA_EAR_ALG_ES384, "ES384", "P-384", NID_secp384r1, 48, EVP_sha384},
     spki_p384,
     sizeof(spki_p384)},
};

#define MAX_SPKI 128
#define MAX_SIG_DER 128

const ear_alg_info *atea__ear_alg_info(atea_ear_alg alg)
{
    for (size_t i = 0; i < ATEA_ARRAY_LEN(algs); i++) {
        if (algs[i].info.alg == alg) {
            return &algs[i].info;
        }
    }
    return NULL;
}

/* The row of an entry returned by atea__ear_alg_info (always one of ours). */
static size_t alg_index(const ear_alg_info *info)
{
    size_t i = 0;
    while (i + 1 < ATEA_ARRAY_LEN(algs) && &algs[i].info != info) {
        i++;
    }
    return i;
}

const ear_alg_info *atea__ear_alg_of_key(EVP_PKEY *key)
{
    char group[64];
    size_t group_len = 0;
    if (key == NULL || EVP_PKEY_get_base_id(key) != EVP_PKEY_EC ||
        EVP_PKEY_get_group_name(key, group, sizeof(group), &group_len) != 1) {
        ERR_clear_error();
        return NULL;
    }
    int nid = OBJ_txt2nid(group);
    for (size_t i = 0; i < ATEA_ARRAY_LEN(algs); i++) {
        if (algs[i].info.curve_nid == nid) {
            return &algs[i].info;
        }
    }
    return NULL;
}

/* ---- receiving ---- */

static int is_b64url(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

/* One part: base64url characters up to '.' or the end. */
static atea_err read_part(atea_rd *rd, const char *what, atea_slice *part)
{
    atea_err err = ATEA_OK;
    size_t start = rd->off;
    size_t n = 0;
    while (n < atea_rd_left(rd) && is_b64url(atea_rd_ptr(rd)[n])) {
        n++;
    }
    ATEA_ENSURE_MSG(n > 0, ATEA_ERR_EAR_MALFORMED, "the JWS %s is empty (offset %zu)", what, start);
    ATEA_TRY(atea_rd_slice(rd, n, part));
out:
    return err;
}

static atea_err read_dot(atea_rd *rd, const char *after)
{
    atea_err err = ATEA_OK;
    uint8_t c = 0;
    ATEA_ENSURE_MSG(atea_rd_left(rd) > 0, ATEA_ERR_EAR_MALFORMED,
                    "the JWS ends after the %s: a compact JWS has three parts "
                    "header.payload.signature (RFC 7515 §7.1)",
                    after);
    ATEA_TRY(atea_rd_u8(rd, &c));
    ATEA_ENSURE_MSG(c == '.', ATEA_ERR_EAR_MALFORMED,
                    "byte 0x%02x at offset %zu after the JWS %s is neither base64url nor '.'", c,
                    rd->off - 1, after);
out:
    return err;
}

atea_err atea__ear_jws_split(const uint8_t *jwt, size_t len, ear_jws *out)
{
    atea_err err = ATEA_OK;
    atea_rd rd;
    ATEA_ENSURE(jwt != NULL && out != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(len <= ATEA_EAR_MAX_JWT, ATEA_ERR_TOO_LARGE, "EAR JWT of %zu bytes exceeds %u",
                    len, ATEA_EAR_MAX_JWT);
    memset(out, 0, sizeof(*out));
    atea_rd_init(&rd, jwt, len);
    ATEA_TRY(read_part(&rd, "header", &out->header_b64));
    ATEA_TRY(read_dot(&rd, "header"));
    ATEA_TRY(read_part(&rd, "payload", &out->payload_b64));
    out->signing_input.data = jwt;
    out->signing_input.len = rd.off;
    ATEA_TRY(read_dot(&rd, "payload"));
    ATEA_TRY(read_part(&rd, "signature", &out->signature_b64));
    /* A fourth part (JWE has five) or any other byte after the signature. */
    ATEA_ENSURE_MSG(atea_rd_end(&rd) == ATEA_OK, ATEA_ERR_EAR_MALFORMED,
                    "%zu bytes follow the JWS signature at offset %zu (a compact JWS has exactly "
                    "three parts)",
                    atea_rd_left(&rd), rd.off);
out:
    return err;
}

atea_err atea__ear_b64_decode(atea_slice text, size_t max, const char *what, atea_buf *out)
{
    atea_err err = ATEA_OK;
    /* Checked before decoding: 4 characters carry 3 bytes. */
    ATEA_ENSURE_MSG(text.len / 4 * 3 <= max, ATEA_ERR_TOO_LARGE,
                    "the JWS %s of %zu base64url characters exceeds %zu bytes", what, text.len,
                    max);
    atea_err e = atea__b64url_decode((const char *)text.data, text.len, out);
    ATEA_ENSURE_MSG(e == ATEA_OK, ATEA_ERR_EAR_MALFORMED, "the JWS %s: %s", what,
                    atea_err_detail(e));
    ATEA_ENSURE_MSG(out->len <= max, ATEA_ERR_TOO_LARGE, "the JWS %s of %zu bytes exceeds %zu",
                    what, out->len, max);
out:
    return err;
}

/* jansson has its own (large) depth limit; the EAR schema needs far less. */
static int json_depth_ok(const json_t *v, unsigned depth)
{
    const char *key;
    json_t *child;
    size_t i;
    if (depth > ATEA_EAR_MAX_DEPTH) {
        return 0;
    }
    if (json_is_object(v)) {
        json_object_foreach((json_t *)v, key, child)
        {
            if (!json_depth_ok(child, depth + 1)) {
                return 0;
            }
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, child)
        {
            if (!json_depth_ok(child, depth + 1)) {
                return 0;
            }
        }
    }
    return 1;
}

atea_err atea__ear_json_object(const atea_buf *text, const char *what, json_t **out)
{
    atea_err err = ATEA_OK;
    json_error_t jerr;
    json_t *v = json_loadb((const char *)text->data, text->len, JSON_REJECT_DUPLICATES, &jerr);
    ATEA_ENSURE_MSG(v != NULL, ATEA_ERR_EAR_MALFORMED, "the JWS %s is not JSON: %s at byte %d",
                    what, jerr.text, jerr.position);
    ATEA_ENSURE_MSG(json_is_object(v), ATEA_ERR_EAR_MALFORMED, "the JWS %s is not a JSON object",
                    what);
    ATEA_ENSURE_MSG(json_depth_ok(v, 1), ATEA_ERR_TOO_LARGE,
                    "the JWS %s nests JSON deeper than %u levels", what, ATEA_EAR_MAX_DEPTH);
    *out = v;
    v = NULL;
out:
    json_decref(v);
    return err;
}

/* A JWK member holding one base64url coordinate of exactly n bytes. */
static atea_err jwk_coordinate(const json_t *jwk, const char *name, size_t n, uint8_t *dst)
{
    atea_err err = ATEA_OK;
    atea_buf b = {0};
    const json_t *v = json_object_get(jwk, name);
    ATEA_ENSURE_MSG(json_is_string(v), ATEA_ERR_EAR_MALFORMED,
                    "the JWS jwk has no \"%s\" coordinate (RFC 7518 §6.2.1)", name);
    atea_slice s = {(const uint8_t *)json_string_value(v), json_string_length(v)};
    ATEA_TRY(atea__ear_b64_decode(s, n, "jwk coordinate", &b));
    ATEA_ENSURE_MSG(b.len == n, ATEA_ERR_EAR_MALFORMED,
                    "the JWS jwk \"%s\" has %zu bytes; the curve needs %zu (RFC 7518 §6.2.1.2)",
                    name, b.len, n);
    memcpy(dst, b.data, n);
out:
    atea_buf_free(&b);
    return err;
}

static int text_is(const json_t *v, const char *s)
{
    return json_is_string(v) && strcmp(json_string_value(v), s) == 0;
}

/* {"kty": "EC", "crv": <alg's curve>, "x", "y"} -> the key and the SHA-256 of its SPKI. */
static atea_err read_jwk(const json_t *jwk, ear_jws_header *h)
{
    atea_err err = ATEA_OK;
    uint8_t spki[MAX_SPKI];
    const ear_alg_info *a = h->alg;
    size_t k = alg_index(a);
    size_t n = algs[k].spki_prefix_len;
    ATEA_ENSURE_MSG(json_is_object(jwk), ATEA_ERR_EAR_MALFORMED,
                    "the JWS header has no \"jwk\" object: atea needs the verifier's public key "
                    "in the header (RFC 7515 §4.1.3) to match it with the policy");
    ATEA_ENSURE_MSG(text_is(json_object_get(jwk, "kty"), "EC"), ATEA_ERR_EAR_MALFORMED,
                    "the JWS jwk is not an EC key (kty \"EC\", RFC 7518 §6.2)");
    ATEA_ENSURE_MSG(text_is(json_object_get(jwk, "crv"), a->crv), ATEA_ERR_EAR_MALFORMED,
                    "the JWS jwk curve is not %s, the curve of alg %s (RFC 7518 §3.4)", a->crv,
                    a->name);
    /* A private key in a header is an issuer's blunder that atea does not silently pass on. */
    ATEA_ENSURE_MSG(json_object_get(jwk, "d") == NULL, ATEA_ERR_EAR_MALFORMED,
                    "the JWS jwk carries a private key (\"d\")");
    memcpy(spki, algs[k].spki_prefix, n);
    spki[n] = 0x04;
    ATEA_TRY(jwk_coordinate(jwk, "x", a->scalar_len, spki + n + 1));
    ATEA_TRY(jwk_coordinate(jwk, "y", a->scalar_len, spki + n + 1 + a->scalar_len));
    size_t spki_len = n + 1 + 2 * a->scalar_len;
    const unsigned char *p = spki;
    /* d2i_PUBKEY checks that the point lies on the curve. */
    h->key = d2i_PUBKEY(NULL, &p, (long)spki_len);
    ATEA_ENSURE_MSG(h->key != NULL && p == spki + spki_len, ATEA_ERR_EAR_MALFORMED,
                    "the JWS jwk point is not on curve %s", a->crv);
    unsigned int md_len = 0;
    ATEA_ENSURE(EVP_Digest(spki, spki_len, h->key_sha256, &md_len, EVP_sha256(), NULL) == 1 &&
                    md_len == 32,
                ATEA_ERR_INTERNAL);
out:
    ERR_clear_error();
    return err;
}

atea_err atea__ear_jws_header_read(const json_t *header, ear_jws_header *h)
{
    atea_err err = ATEA_OK;
    const json_t *alg = json_object_get(header, "alg");
    memset(h, 0, sizeof(*h));
    ATEA_ENSURE_MSG(json_is_string(alg), ATEA_ERR_EAR_MALFORMED,
                    "the JWS header has no \"alg\" text (RFC 7515 §4.1.1)");
    for (size_t i = 0; i < ATEA_ARRAY_LEN(algs); i++) {
        if (strcmp(json_string_value(alg), algs[i].info.name) == 0) {
            h->alg = &algs[i].info;
        }
    }
    ATEA_ENSURE_MSG(h->alg != NULL, ATEA_ERR_EAR_MALFORMED,
                    "JWS alg \"%.40s\" is refused: atea accepts EARs signed with ES256 or ES384 "
                    "only (never none, HMAC or RSA)",
                    json_string_value(alg));
    /* RFC 7515 §4.1.11: a critical extension the recipient does not understand is fatal; atea
     * understands none. */
    ATEA_ENSURE_MSG(json_object_get(header, "crit") == NULL, ATEA_ERR_EAR_MALFORMED,
                    "the JWS header lists critical extensions (crit), which atea does not "
                    "implement");
    const json_t *typ = json_object_get(header, "typ");
    const json_t *kid = json_object_get(header, "kid");
    ATEA_ENSURE_MSG((typ == NULL || json_is_string(typ)) && (kid == NULL || json_is_string(kid)),
                    ATEA_ERR_EAR_MALFORMED, "the JWS header \"typ\" or \"kid\" is not text");
    ATEA_TRY(read_jwk(json_object_get(header, "jwk"), h));
out:
    return err;
}

void atea__ear_jws_header_dispose(ear_jws_header *h)
{
    if (h != NULL) {
        EVP_PKEY_free(h->key);
        h->key = NULL;
    }
}

atea_err atea__ear_jws_check_signature(const ear_jws *jws, const ear_jws_header *h)
{
    atea_err err = ATEA_OK;
    atea_buf sig = {0};
    int valid = 0;
    ATEA_TRY(
        atea__ear_b64_decode(jws->signature_b64, 2 * ATEA_ECDSA_MAX_SCALAR, "signature", &sig));
    /* RFC 7518 §3.4: R || S, each the curve's scalar size; DER is not JWS. */
    ATEA_ENSURE_MSG(sig.len == 2 * h->alg->scalar_len, ATEA_ERR_EAR_MALFORMED,
                    "the %s signature has %zu bytes; it must be R || S of %zu bytes", h->alg->name,
                    sig.len, 2 * h->alg->scalar_len);
    ATEA_TRY(atea__ecdsa_verify_raw(h->key, h->alg->md(), jws->signing_input.data,
                                    jws->signing_input.len, sig.data, sig.data + h->alg->scalar_len,
                                    h->alg->scalar_len, &valid));
    ATEA_ENSURE_MSG(valid, ATEA_ERR_EAR_SIGNATURE,
                    "the %s signature does not verify with the key in the JWS header (the EAR "
                    "was altered)",
                    h->alg->name);
out:
    atea_buf_free(&sig);
    return err;
}

/* ---- issuing ---- */

/* Uncompressed point of key (the bytes after the SPKI prefix), for the JWK. */
static atea_err key_point(EVP_PKEY *key, const ear_alg_info *a, uint8_t *xy)
{
    atea_err err = ATEA_OK;
    unsigned char *der = NULL;
    size_t k = alg_index(a);
    size_t n = algs[k].spki_prefix_len;
    int der_len = i2d_PUBKEY(key, &der);
    ATEA_ENSURE_MSG(der_len == (int)(n + 1 + 2 * a->scalar_len) &&
                        memcmp(der, algs[k].spki_prefix, n) == 0 && der[n] == 0x04,
                    ATEA_ERR_INVALID_ARG, "the EAR signing key is not an uncompressed %s key",
                    a->crv);
    memcpy(xy, der + n + 1, 2 * a->scalar_len);
out:
    OPENSSL_free(der);
    return err;
}

static atea_err b64_member(json_t *obj, const char *name, const uint8_t *data, size_t len)
{
    atea_err err = ATEA_OK;
    atea_wr wr = {0};
    ATEA_TRY(atea_wr_init_growable(&wr, 128, 256));
    ATEA_TRY(atea__b64url_encode(data, len, &wr));
    ATEA_ENSURE(
        json_object_set_new(obj, name,
                            json_stringn((const char *)atea_wr_data(&wr), atea_wr_len(&wr))) == 0,
        ATEA_ERR_NO_MEMORY);
out:
    atea_wr_dispose(&wr);
    return err;
}

/* {"alg", "typ": "JWT", "jwk": {kty, crv, x, y}}, compact. */
static atea_err header_json(EVP_PKEY *key, const ear_alg_info *a, char **text)
{
    atea_err err = ATEA_OK;
    uint8_t xy[2 * ATEA_ECDSA_MAX_SCALAR];
    json_t *h = json_object();
    json_t *jwk = json_object();
    ATEA_ENSURE(h != NULL && jwk != NULL, ATEA_ERR_NO_MEMORY);
    ATEA_TRY(key_point(key, a, xy));
    ATEA_ENSURE(json_object_set_new(jwk, "kty", json_string("EC")) == 0 &&
                    json_object_set_new(jwk, "crv", json_string(a->crv)) == 0,
                ATEA_ERR_NO_MEMORY);
    ATEA_TRY(b64_member(jwk, "x", xy, a->scalar_len));
    ATEA_TRY(b64_member(jwk, "y", xy + a->scalar_len, a->scalar_len));
    ATEA_ENSURE(json_object_set_new(h, "alg", json_string(a->name)) == 0 &&
                    json_object_set_new(h, "typ", json_string("JWT")) == 0 &&
                    json_object_set(h, "jwk", jwk) == 0,
                ATEA_ERR_NO_MEMORY);
    *text = json_dumps(h, JSON_COMPACT | JSON_PRESERVE_ORDER);
    ATEA_ENSURE_ALLOC(*text);
out:
    json_decref(jwk);
    json_decref(h);
    return err;
}

/* ECDSA over msg, as JWS wants it: R || S, each scalar_len bytes (RFC 7518 §3.4). */
static atea_err sign_raw(EVP_PKEY *key, const ear_alg_info *a, const uint8_t *msg, size_t len,
                         uint8_t *sig)
{
    atea_err err = ATEA_OK;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char der[MAX_SIG_DER];
    size_t der_len = sizeof(der);
    ECDSA_SIG *ecdsa = NULL;
    ATEA_ENSURE_ALLOC(md);
    ATEA_ENSURE_MSG(EVP_DigestSignInit(md, NULL, a->md(), NULL, key) == 1 &&
                        EVP_DigestSign(md, der, &der_len, msg, len) == 1,
                    ATEA_ERR_INTERNAL, "OpenSSL could not sign the EAR with %s", a->name);
    const unsigned char *p = der;
    ecdsa = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    ATEA_ENSURE(ecdsa != NULL, ATEA_ERR_INTERNAL);
    ATEA_ENSURE(
        BN_bn2binpad(ECDSA_SIG_get0_r(ecdsa), sig, (int)a->scalar_len) == (int)a->scalar_len &&
            BN_bn2binpad(ECDSA_SIG_get0_s(ecdsa), sig + a->scalar_len, (int)a->scalar_len) ==
                (int)a->scalar_len,
        ATEA_ERR_INTERNAL);
out:
    ERR_clear_error();
    ECDSA_SIG_free(ecdsa);
    EVP_MD_CTX_free(md);
    return err;
}

atea_err atea__ear_jws_sign(const atea_buf *payload, EVP_PKEY *key, const ear_alg_info *a,
                            atea_buf *jwt)
{
    atea_err err = ATEA_OK;
    char *header = NULL;
    atea_wr wr = {0};
    uint8_t sig[2 * ATEA_ECDSA_MAX_SCALAR];
    ATEA_ENSURE_MSG(payload->len <= ATEA_EAR_MAX_PAYLOAD, ATEA_ERR_TOO_LARGE,
                    "the EAR claims-set of %zu bytes exceeds %u", payload->len,
                    ATEA_EAR_MAX_PAYLOAD);
    ATEA_TRY(header_json(key, a, &header));
    ATEA_TRY(atea_wr_init_growable(&wr, 1024, ATEA_EAR_MAX_JWT));
    ATEA_TRY(atea__b64url_encode((const uint8_t *)header, strlen(header), &wr));
    ATEA_TRY(atea_wr_u8(&wr, '.'));
    ATEA_TRY(atea__b64url_encode(payload->data, payload->len, &wr));
    ATEA_TRY(sign_raw(key, a, atea_wr_data(&wr), atea_wr_len(&wr), sig));
    ATEA_TRY(atea_wr_u8(&wr, '.'));
    ATEA_TRY(atea__b64url_encode(sig, 2 * a->scalar_len, &wr));
    ATEA_TRY(atea_wr_u8(&wr, '\0'));
    ATEA_TRY(atea_wr_take(&wr, jwt));
    jwt->len--; /* the NUL is there for printing, not part of the JWT */
out:
    free(header);
    atea_wr_dispose(&wr);
    return err;
}
