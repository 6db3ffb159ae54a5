#include "transport/trace.h"

#include <string.h>

#include "atea/frame.h"

/* The largest frame the session accepts, plus its header. */
#define TRACE_MAX ((1u << 24) + 4u)

void atea_trace_init(atea_trace *t, int sent, atea_trace_fn fn, void *user)
{
    memset(t, 0, sizeof(*t));
    t->sent = sent;
    t->fn = fn;
    t->user = user;
    if (atea_wr_init_growable(&t->buf, 0, TRACE_MAX) != ATEA_OK) {
        t->broken = 1;
    }
}

void atea_trace_push(atea_trace *t, const uint8_t *data, size_t len)
{
    if (t->fn == NULL || t->broken) {
        return;
    }
    if (atea_wr_bytes(&t->buf, data, len) != ATEA_OK) {
        t->broken = 1;
        return;
    }
    const uint8_t *p = atea_wr_data(&t->buf);
    size_t n = atea_wr_len(&t->buf);
    size_t off = 0;
    while (n - off >= 4) {
        size_t body = (size_t)p[off + 1] << 16 | (size_t)p[off + 2] << 8 | p[off + 3];
        if (n - off < 4 + body) {
            break;
        }
        t->fn(t->user, t->sent, p + off, 4 + body);
        off += 4 + body;
    }
    if (off > 0) {
        memmove(t->buf.data, p + off, n - off);
        t->buf.len = n - off;
    }
}

void atea_trace_dispose(atea_trace *t)
{
    atea_wr_dispose(&t->buf);
}
