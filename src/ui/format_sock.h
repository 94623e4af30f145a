/*
 * format_sock.h - formatters shared by the socket and epoll commands.
 */
#ifndef KP_UI_FORMAT_SOCK_H
#define KP_UI_FORMAT_SOCK_H

#include "out.h"
#include "sched/wait.h"

/* "  NAME: N entries" and one line per entry: func, flags, the task or
 * the epitem it belongs to. */
void kp_fmt_waitqueue(struct kp_out *out, const char *name,
		      wait_queue_head_t *q);

#endif
