/* Frame tracing for `--msg`: reassembles one direction of the atea frame stream
 * (`uint8 type | uint24 length | body`) and reports each complete frame. The session validates
 * frames; the tracer only observes, so a malformed stream just stops being traced. */
#ifndef ATEA_TRANSPORT_TRACE_H
#define ATEA_TRANSPORT_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "core/wr.h"

typedef void (*atea_trace_fn)(void *user, int sent, const uint8_t *frame, size_t len);

typedef struct atea_trace {
    int sent;
    atea_trace_fn fn;
    void *user;
    atea_wr buf;
    int broken; /* an oversize frame was seen: stop tracing this direction */
} atea_trace;

void atea_trace_init(atea_trace *t, int sent, atea_trace_fn fn, void *user);
void atea_trace_push(atea_trace *t, const uint8_t *data, size_t len);
void atea_trace_dispose(atea_trace *t);

#endif
