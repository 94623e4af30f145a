/*
 * format_stop.h - where and why the last run stopped, gdb style:
 *
 *	Breakpoint 1, spawn_ksoftirqd () at kernel/softirq.c
 *	  client cpu0  init[1]  task  t=0.000001280s  #seq 16
 *
 * A step prints the same two lines without "Breakpoint N, "; a finish
 * prints the caller it returned to; an idle world prints "Nothing left to
 * do at t=...".  Shared by the run commands, the lazy start and the TUI's
 * status line.
 */
#ifndef KP_UI_FORMAT_STOP_H
#define KP_UI_FORMAT_STOP_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/world.h"
#include "out.h"

/* A point of execution: a probe hit on a CPU or by a device. */
struct kp_where {
	bool valid;   /* false: not stopped at a probe */
	int probe;
	int host;
	int cpu;      /* -1: a device event */
	uint8_t ctx;
	uint32_t pid;
	uint8_t obj_kind;
	uint32_t obj_id;
	uint64_t arg;
	uint64_t time;
	uint64_t seq;
};

/* Where the last run stopped (the caller's frame after a finish). */
bool kp_stop_where(struct kp_world *w, struct kp_where *where);

/* "spawn_ksoftirqd (arg=3) at kernel/softirq.c" (no newline) */
void kp_fmt_where_func(struct kp_out *out, const struct kp_where *where);
/* "  client cpu0  init[1]  task  t=0.000001280s  #seq 16\n" */
void kp_fmt_where_line(struct kp_out *out, struct kp_world *w,
		       const struct kp_where *where);

/* The whole stop report of the last run.  @interrupted: Ctrl-C stopped
 * it. */
void kp_fmt_stop(struct kp_out *out, struct kp_world *w, bool interrupted);

#endif
