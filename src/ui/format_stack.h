/*
 * format_stack.h - shadow call stacks as gdb shows them (`bt`):
 *
 *	#0  __raise_softirq_irqoff (arg=3) at kernel/softirq.c
 *	  <IRQ>
 *	#1  ...
 *	  </IRQ>
 *	#4  kernel_init () at init/main.c
 *	  [task init pid 1 on server cpu0]
 *
 * Innermost frame first; <IRQ>/<SOFTIRQ> brackets mark the frames an
 * interrupt or softirq nested on the stack, as a Linux oops does.  Shared
 * by `bt`, the stop report and the TUI's call-stack pane.
 */
#ifndef KP_UI_FORMAT_STACK_H
#define KP_UI_FORMAT_STACK_H

#include "engine/world.h"
#include "out.h"

/* "udp_rcv (skb#3) at net/ipv4/udp.c" (no newline) */
void kp_fmt_frame(struct kp_out *out, const struct kp_frame *f);
/* "#N  " + kp_fmt_frame + newline */
void kp_fmt_frame_line(struct kp_out *out, int num, const struct kp_frame *f);
/* Every frame of @ti with context markers, then the task line. */
void kp_fmt_stack(struct kp_out *out, struct kp_world *w,
		  const struct kp_thread_info *ti);

#endif
