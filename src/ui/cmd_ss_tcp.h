/*
 * cmd_ss_tcp.h - the TCP part of `ss` (ss -t [-a] [-m] [-i]), called by
 * cmd_ss in cmd_sock.c, and the skmem:(...) line both parts print.
 */
#ifndef KP_UI_CMD_SS_TCP_H
#define KP_UI_CMD_SS_TCP_H

#include <stdbool.h>

#include "out.h"
#include "ss_table.h"

struct kp_host;
struct sock;

/* " skmem:(r,rb,t,tb,f,w,o,bl,d)" of @sk (sock_diag's SK_MEMINFO), the
 * line under a socket that ss -m prints after a tab. */
void kp_ss_skmem(struct kp_out *out, const struct sock *sk);

/* A row of @t per TCP socket of @h (listeners only with @all), with
 * skmem:(...) when @mem and the tcp_info line when @info under it. */
void kp_ss_tcp(struct ss_table *t, struct kp_host *h, bool all, bool mem,
	       bool info);

#endif
