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
	bool tolerance_set;      /* given: the script's own does not count */
	bool verbose;
	/* --on-fail stop: leave the world stopped where the script failed
	 * (a wrong outbound packet: in the CPU that sends it) */
	bool on_fail_stop;
	const char *init_scripts; /* --init_scripts=FILE[,FILE]: shell
				   * files read before the script */
};

#define PD_OUT_MAX 64
#define PD_MAX_FDS 16

struct pd_outpkt {
	uint8_t *frame;
	uint32_t len;
	uint64_t ts;
};

#define PD_MAX_VARS 16

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
	int last_fd;                    /* script fd of the last call */
	/* where the run is, for checking packets as they go out */
	int pos;                        /* event being run */
	uint64_t pos_when, pos_end;
	/* --on-fail stop: a packet failed in the tap */
	bool tap_failed;
	/* the world stopped for good: tap_failed, or the user's breakpoint
	 * or watch or Ctrl-C during the run */
	bool halted;
	int fail_line;
	bool stopped;                   /* the world is left stopped */
	bool match_final;               /* no more segments will come */
	int include_depth;              /* .sh files sourced by commands */
	/* integer variables the %{ }% snippets set (cwnd = 58, x += 1) */
	struct pd_var {
		char name[32];
		long v;
	} vars[PD_MAX_VARS];
	int nvars;
	char err[512];
};

/* outbound.c: match the queued outbound frames against event @i (an
 * outbound packet expected between @when and @end), several TSO-sized
 * segments against one expected packet if need be. */
enum pd_match { PD_MATCH_OK, PD_MATCH_PARTIAL, PD_MATCH_FAIL };
enum pd_match pd_match_outbound(struct pd_run *r, const struct pd_event *ev,
				uint64_t when, uint64_t end, int *used);
/* Check what the tap has queued against the script from r->pos on:
 * false, with r->err and r->fail_line set, if it already fails. */
bool pd_precheck(struct pd_run *r);
double pd_secs(const struct pd_run *r, uint64_t t);

/* shell.c: a backtick command (sysctls, sourced .sh files) and a
 * %{ }% snippet (tcpi_ asserts); 0 or -1 with r->err set. */
int pd_command(struct pd_run *r, const char *text, int line);
int pd_code(struct pd_run *r, const struct pd_event *ev);
int pd_init_scripts(struct pd_run *r);

/* syscalls.c helpers shared with shell.c */
int pd_expr(struct pd_run *r, const char *text, long *v);
int pd_errno_by_name(const char *name);
struct pd_tcp_info;
bool pd_tcp_info_field(const struct pd_tcp_info *ti, const char *name,
		       long *v);

/* Run @file; 0 passed, 1 failed (the error printed as packetdrill does),
 * 2 ended early because the user's breakpoint, watch or Ctrl-C stopped
 * the run (the world stays there), or a negative errno when it could not
 * start. */
int pd_run_file(struct kp_session *s, struct kp_out *out, const char *file,
		const struct pd_opts *o);

/* syscalls.c: post the system call of @ev; 0 or -1 with r->err set. */
int pd_syscall_start(struct pd_run *r, const struct pd_event *ev);
/* Check a finished call's result; 0 or -1 with r->err set. */
int pd_syscall_check(struct pd_run *r, const struct pd_event *ev);

#endif
