/*
 * cmd_ss_tcp.h - the TCP part of `ss` (ss -t [-a] [-m] [-i]): called by
 * cmd_ss in cmd_sock.c.
 */
#ifndef KP_UI_CMD_SS_TCP_H
#define KP_UI_CMD_SS_TCP_H

#include <stdbool.h>

#include "out.h"

struct kp_host;

/* One line per TCP socket of @h (listeners first, as ss), with
 * skmem:(...) when @mem and the tcp_info line when @info. */
void kp_ss_tcp(struct kp_out *out, struct kp_host *h, bool all, bool mem,
	       bool info);

#endif
