/*
 * console_out.h - printing the world's console (what emulated programs
 * wrote with u_printf) after a command ran the world, one line each:
 *
 *	[server udp-server/4] udp-server: 2 bytes from 10.0.0.1:4000: hi
 *
 * The lines go through the command's output, so `expect output contains`
 * sees them.
 */
#ifndef KP_UI_CONSOLE_OUT_H
#define KP_UI_CONSOLE_OUT_H

#include "out.h"

struct kp_session;

/* Print the console lines not printed yet; returns how many. */
int kp_console_flush(struct kp_session *s, struct kp_out *out);

#endif
