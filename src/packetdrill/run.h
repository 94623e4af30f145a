/*
 * run.h - running a packetdrill script against kpath (packetdrill's
 * run.c, run_packet.c, run_system_call.c): the local side is a kpath
 * host, the remote side is the script.  See src/packetdrill/README.md.
 */
#ifndef KP_PACKETDRILL_RUN_H
#define KP_PACKETDRILL_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "pdtask.h"
#include "script.h"
#include "tcpframe.h"

struct kp_session;
struct kp_out;
struct kp_host;
struct kp_tap;

struct pd_opts {
	const char *host;        /* "server" */
	const char *ifname;      /* "eth0" */
	uint64_t tolerance_ns;   /* --tolerance_usecs, default 4000 */
	bool verbose;
};

#define PD_OUT_MAX 64
#define PD_MAX_FDS 16

struct pd_outpkt {
	uint8_t *frame;
	uint32_t len;
	uint64_t ts;
};

struct pd_run {
	struct kp_session *s;
	struct kp_out *out;
	struct pd_opts o;
	struct pd_script sc;
	struct kp_host *h;
	struct kp_tap *tap;
	struct pd_task *pt;
	struct pd_frame_addr in_addr;   /* inbound: remote -> local */
	uint16_t local_port, remote_port; /* host order; 0: not known */
	uint32_t local_isn;
	bool have_isn;
	uint64_t t0, last;              /* ns */
	/* outbound frames the tap saw, oldest first */
	struct pd_outpkt q[PD_OUT_MAX];
	int nq;
	/* script fd -> kpath fd */
	int fdmap[PD_MAX_FDS];
	/* a system call still running */
	int pending;                    /* event index or -1 */
	uint64_t pending_end;           /* expected return time */
	char err[512];
};

/* Run @file; 0 passed, 1 failed (the error printed as packetdrill does),
 * or a negative errno when it could not start. */
int pd_run_file(struct kp_session *s, struct kp_out *out, const char *file,
		const struct pd_opts *o);

/* syscalls.c: post the system call of @ev; 0 or -1 with r->err set. */
int pd_syscall_start(struct pd_run *r, const struct pd_event *ev);
/* Check a finished call's result; 0 or -1 with r->err set. */
int pd_syscall_check(struct pd_run *r, const struct pd_event *ev);

#endif
