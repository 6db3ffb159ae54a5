/*
 * Find where a member of a JSON document sits, so that a policy error found after parsing
 * (jansson keeps no positions for values) can still name its line. The document has already been
 * accepted by jansson, so this walker only needs to be bounded, not validating: it reads through
 * atea_rd, never recurses deeper than LOCATE_MAX_DEPTH, and gives up (returning the best line
 * found so far) on anything it does not expect.
 */
#include <stdlib.h>
#include <string.h>

#include "core/rd.h"
#include "verify/policy.h"

#define LOCATE_MAX_DEPTH 32
#define LOCATE_MAX_SEGMENTS 16

typedef struct path_seg {
    const char *key; /* NULL for an array index */
    size_t key_len;
    size_t index;
} path_seg;

static size_t parse_path(const char *path, path_seg *segs, size_t max)
{
    size_t n = 0;
    const char *p = path;
    while (*p != '\0' && n < max) {
        if (*p == '.') {
            p++;
            continue;
        }
        if (*p == '[') {
            char *end = NULL;
            segs[n].key = NULL;
            segs[n].index = (size_t)strtoul(p + 1, &end, 10);
            n++;
            p = (end != NULL && *end == ']') ? end + 1 : p + strlen(p);
            continue;
        }
        size_t len = strcspn(p, ".[");
        segs[n].key = p;
        segs[n].key_len = len;
        n++;
        p += len;
    }
    return n;
}

static void skip_ws(atea_rd *rd)
{
    while (atea_rd_left(rd) > 0) {
        uint8_t c = *atea_rd_ptr(rd);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            return;
        }
        rd->off++;
    }
}

/* Consume a string starting at a quote; raw, raw_len: its bytes between the quotes (escapes kept).
 */
static int skip_string(atea_rd *rd, const uint8_t **raw, size_t *raw_len)
{
    if (atea_rd_left(rd) == 0 || *atea_rd_ptr(rd) != '"') {
        return 0;
    }
    rd->off++;
    size_t start = rd->off;
    while (atea_rd_left(rd) > 0) {
        uint8_t c = *atea_rd_ptr(rd);
        if (c == '\\') {
            if (atea_rd_left(rd) < 2) {
                return 0;
            }
            rd->off += 2;
            continue;
        }
        if (c == '"') {
            *raw = rd->data + start;
            *raw_len = rd->off - start;
            rd->off++;
            return 1;
        }
        rd->off++;
    }
    return 0;
}

static int skip_value(atea_rd *rd, unsigned depth);

static int skip_container(atea_rd *rd, unsigned depth, uint8_t close, int is_object)
{
    rd->off++; /* '{' or '[' */
    for (;;) {
        skip_ws(rd);
        if (atea_rd_left(rd) == 0) {
            return 0;
        }
        uint8_t c = *atea_rd_ptr(rd);
        if (c == close) {
            rd->off++;
            return 1;
        }
        if (c == ',') {
            rd->off++;
            continue;
        }
        if (is_object) {
            const uint8_t *k;
            size_t kl;
            if (!skip_string(rd, &k, &kl)) {
                return 0;
            }
            skip_ws(rd);
            if (atea_rd_left(rd) == 0 || *atea_rd_ptr(rd) != ':') {
                return 0;
            }
            rd->off++;
        }
        if (!skip_value(rd, depth + 1)) {
            return 0;
        }
    }
}

static int skip_value(atea_rd *rd, unsigned depth)
{
    skip_ws(rd);
    if (atea_rd_left(rd) == 0 || depth > LOCATE_MAX_DEPTH) {
        return 0;
    }
    uint8_t c = *atea_rd_ptr(rd);
    if (c == '{') {
        return skip_container(rd, depth, '}', 1);
    }
    if (c == '[') {
        return skip_container(rd, depth, ']', 0);
    }
    if (c == '"') {
        const uint8_t *s;
        size_t sl;
        return skip_string(rd, &s, &sl);
    }
    /* number, true, false, null: up to the next delimiter */
    while (atea_rd_left(rd) > 0) {
        c = *atea_rd_ptr(rd);
        if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            break;
        }
        rd->off++;
    }
    return 1;
}

/* Position the reader on the member named by segs[0] inside the value at the cursor; returns the
 * offset of that member (its key for objects, its value for arrays) or SIZE_MAX. */
static size_t find_member(atea_rd *rd, const path_seg *seg)
{
    skip_ws(rd);
    if (atea_rd_left(rd) == 0) {
        return SIZE_MAX;
    }
    uint8_t open = *atea_rd_ptr(rd);
    int is_object = open == '{';
    if ((is_object && seg->key == NULL) || (!is_object && (open != '[' || seg->key != NULL))) {
        return SIZE_MAX;
    }
    rd->off++;
    for (size_t i = 0;; i++) {
        skip_ws(rd);
        if (atea_rd_left(rd) > 0 && *atea_rd_ptr(rd) == ',') {
            rd->off++;
            skip_ws(rd);
        }
        if (atea_rd_left(rd) == 0 || *atea_rd_ptr(rd) == (is_object ? '}' : ']')) {
            return SIZE_MAX;
        }
        size_t at = rd->off;
        int match = 0;
        if (is_object) {
            const uint8_t *k;
            size_t kl;
            if (!skip_string(rd, &k, &kl)) {
                return SIZE_MAX;
            }
            match = kl == seg->key_len && memcmp(k, seg->key, kl) == 0;
            skip_ws(rd);
            if (atea_rd_left(rd) == 0 || *atea_rd_ptr(rd) != ':') {
                return SIZE_MAX;
            }
            rd->off++;
            skip_ws(rd);
        } else {
            match = i == seg->index;
        }
        if (match) {
            return at;
        }
        if (!skip_value(rd, 1)) {
            return SIZE_MAX;
        }
    }
}

int atea__json_line_of(const char *text, size_t len, const char *path, int *column)
{
    path_seg segs[LOCATE_MAX_SEGMENTS];
    size_t n = parse_path(path, segs, LOCATE_MAX_SEGMENTS);
    atea_rd rd;
    atea_rd_init(&rd, (const uint8_t *)text, len);
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        size_t at = find_member(&rd, &segs[i]);
        if (at == SIZE_MAX) {
            break;
        }
        best = at;
    }
    if (best == SIZE_MAX) {
        if (column != NULL) {
            *column = 0;
        }
        return 0;
    }
    int line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < best; i++) {
        if (text[i] == '\n') {
            line++;
            line_start = i + 1;
        }
    }
    if (column != NULL) {
        *column = (int)(best - line_start) + 1;
    }
    return line;
}
