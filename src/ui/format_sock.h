/*
 * format_sock.h - formatters shared by the socket and epoll commands.
 */
#ifndef KP_UI_FORMAT_SOCK_H
#define KP_UI_FORMAT_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "out.h"
#include "sched/wait.h"

/* "  NAME: N entries" and one line per entry: func, flags, the task or
 * the epitem it belongs to. */
void kp_fmt_waitqueue(struct kp_out *out, const char *name,
		      wait_queue_head_t *q);

/* An epoll event mask as "EPOLLIN|EPOLLET" ("IN|ET" when @brief, for
 * the TUI), "0" for none (cmd_ep.c). */
void kp_fmt_epoll_events(char *buf, size_t size, uint32_t ev, bool brief);

#endif
