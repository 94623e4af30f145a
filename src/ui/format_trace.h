/*
 * format_trace.h - trace records as text, in the style of ftrace's
 * function_graph tracer:
 *
 *  0.000001130 client cpu0 task    init-1           |  kernel_init() {
 *  0.000001230 client cpu0 task    init-1           |    do_one_initcall() {
 *  0.000001280 client cpu0 task    init-1           |      spawn_ksoftirqd();
 *
 * Records only mark function entries, so a call shows as `f() {` when the
 * next record of the same stack is deeper, `f();` otherwise, and `}`
 * lines close calls when a later record of that stack is shallower.
 * A stack is one task's (its interrupts nest on it) or a device's.
 * Shared by `trace` and the TUI's trace pane.
 */
#ifndef KP_UI_FORMAT_TRACE_H
#define KP_UI_FORMAT_TRACE_H

#include <stdint.h>

#include "engine/world.h"
#include "out.h"

/* The header line (starts with '#'). */
void kp_fmt_trace_header(struct kp_out *out);
/* Records [first, end) of @w's trace, those still in the ring. */
void kp_fmt_trace_range(struct kp_out *out, struct kp_world *w,
			uint64_t first, uint64_t end);
/* The header and the last @count records. */
void kp_fmt_trace_last(struct kp_out *out, struct kp_world *w,
		       uint64_t count);

#endif
