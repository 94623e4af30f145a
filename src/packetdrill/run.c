/*
 * run.c - running a packetdrill script (packetdrill's run.c and
 * run_packet.c): events in order, each at its time; inbound packets are
 * put on the wire of the local host's NIC as from the remote end
 * (kp_wire_inject), outbound packets are taken from a ptype_all tap that
 * sees what dev_queue_xmit_nit hands it, system calls run in the
 * packetdrill task (pdtask.c).  The remote end is 10.0.0.99 behind a
 * permanent neighbour entry, so nothing in the world answers for it.
 * Outbound matching is outbound.c, shell lines and snippets shell.c.
 * --on-fail stop leaves the world where the script failed (see
 * leave_stopped).  Left out: --wire modes, IPv6, remote TS val/ecr
 * mapping, checking the payload bytes, more than one connection.
 */
#include "run.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture_net.h"
#include "capture/tap.h"
#include "engine/world.h"
#include "hw/hw.h"
#include "net/core/neighbour.h"
#include "net/core/net_namespace.h"
#include "net/core/netdevice.h"
#include "net/ipv4/arp.h"
#include "net/ipv4/inetdevice.h"
#include "sched/host.h"
#include "ui/cmd.h"
#include "ui/console_out.h"
#include "ui/format_net.h"
#include "ui/session.h"

#define PD_REMOTE_IP 0x0a000063u /* 10.0.0.99 */
#define PD_PORT 8080
#define PD_REMOTE_EPHEMERAL 48879

static const uint8_t remote_mac[6] = { 0x02, 0x00, 0x0a, 0x00, 0x00, 0x63 };

static void collect(void *ctx, const uint8_t *frame, uint32_t len,
		    int pkt_type, uint64_t ts)
{
	struct pd_run *r = ctx;
	struct pd_seg seg;
	if (pkt_type != PACKET_OUTGOING || pd_frame_parse(frame, len, &seg))
		return;
	if (r->nq == PD_OUT_MAX || r->halted)
		return;
	uint8_t *copy = malloc(len);
	if (!copy)
		return;
	memcpy(copy, frame, len);
	r->q[r->nq++] = (struct pd_outpkt){ copy, len, ts };
	if (r->o.on_fail_stop && !pd_precheck(r)) {
		/* a wrong packet: stop this CPU at its next step point, still
		 * in the transmit path (dev_queue_xmit_nit's tap), as a
		 * breakpoint would */
		r->tap_failed = r->halted = true;
		kp_world_set_mode(r->s->world, KP_RUN_STEP, 1);
		return;
	}
	kp_world_request_stop(r->s->world, "packetdrill: packet");
}

static int tap_add(void *info)
{
	struct kp_tap *t = info;
	t->add_pending = false;
	t->active = true;
	dev_add_pack(&t->pt);
	return 0;
}

static int tap_remove(void *info)
{
	struct kp_tap *t = info;
	if (t->active)
		dev_remove_pack(&t->pt);
	t->active = false;
	return 0;
}

static int neigh_add(void *info)
{
	struct pd_run *r = info;
	struct net *net = r->h->net;
	struct net_device *dev = dev_get_by_name(net, r->o.ifname);
	if (!dev || !net->arp_tbl)
		return -ENODEV;
	struct neighbour *n = __neigh_create(net->arp_tbl,
					     htonl(PD_REMOTE_IP), dev, false);
	if (!n)
		return -ENOMEM;
	return neigh_update(n, remote_mac, NUD_PERMANENT,
			    NEIGH_UPDATE_F_OVERRIDE | NEIGH_UPDATE_F_ADMIN);
}

/* Run the world to @t; with @stop_early, return as soon as a packet goes
 * out or the system call returns. */
static void run_to(struct pd_run *r, uint64_t t, bool stop_early)
{
	struct kp_world *w = r->s->world;
	while (kp_world_time(w) < t && !r->halted) {
		int nq = r->nq;
		bool done = r->pt->done;
		enum kp_stop_reason why = kp_session_run(r->s, KP_RUN_UNTIL,
							 t);
		if (why == KP_STOP_UNTIL || why == KP_STOP_IDLE || r->halted)
			break;
		const char *msg = w->stop_ctl.message;
		if (why != KP_STOP_REQUEST || !msg ||
		    strncmp(msg, "packetdrill:", 12) != 0) {
			/* the user's breakpoint, watch, Ctrl-C: the world
			 * stays there and the script ends */
			kp_session_report_stop(r->s, r->out);
			r->halted = true;
			snprintf(r->err, sizeof(r->err), "interrupted (the run "
				 "stopped above); the rest of the script is not "
				 "run");
			break;
		}
		if (stop_early && (r->nq != nq || r->pt->done != done))
			break;
	}
}

static void run_until(struct pd_run *r, uint64_t t)
{
	run_to(r, t, true);
}

static void pop(struct pd_run *r)
{
	free(r->q[0].frame);
	memmove(r->q, r->q + 1, sizeof(r->q[0]) * (size_t)--r->nq);
}

static int outbound(struct pd_run *r, const struct pd_event *ev,
		    uint64_t when, uint64_t end)
{
	uint64_t tol = r->o.tolerance_ns;
	uint64_t limit = end + tol, late = limit + 10 * 1000000000ULL;
	int used = 0;
	enum pd_match m;
	for (;;) {
		m = pd_match_outbound(r, ev, when, end, &used);
		uint64_t now = kp_world_time(r->s->world);
		if (m != PD_MATCH_PARTIAL || r->halted || now >= late)
			break;
		/* nothing yet: wait to the limit, then later to say when it
		 * came; part of a TSO-sized packet: wait for the rest */
		run_until(r, !r->nq && now < limit ? limit : late);
	}
	if (r->halted)
		return -1;
	if (m == PD_MATCH_PARTIAL && r->nq) {
		r->match_final = true;
		m = pd_match_outbound(r, ev, when, end, &used);
		r->match_final = false;
	}
	if (m == PD_MATCH_PARTIAL) {
		snprintf(r->err, sizeof(r->err), "error handling packet: "
			 "timing error: expected outbound packet at %.6f sec "
			 "but none was sent", pd_secs(r, when));
		return -1;
	}
	while (used-- > 0)
		pop(r);
	return m == PD_MATCH_OK ? 0 : -1;
}

static int inbound(struct pd_run *r, const struct pd_event *ev,
		   uint64_t when)
{
	uint8_t buf[2048];
	const struct pd_packet *pk = &ev->pkt;
	if (pk->has_ack && !r->have_isn && !(pk->flags & 0x04)) {
		snprintf(r->err, sizeof(r->err), "error handling packet: "
			 "inbound ACK before the local side's SYN was seen");
		return -1;
	}
	r->in_addr.sport = r->remote_port;
	r->in_addr.dport = r->local_port;
	if (!r->in_addr.dport) {
		snprintf(r->err, sizeof(r->err), "error handling packet: "
			 "the local port is not known yet");
		return -1;
	}
	r->in_addr.sack_add = r->have_isn ? r->local_isn : 0;
	/* packetdrill's tun takes GSO packets; kpath's wire takes frames of
	 * at most 1500 bytes: a longer payload goes as back-to-back
	 * segments (PSH and FIN on the last), which GRO may merge again */
	int olen = pd_opts_len(pk);
	uint32_t room = olen < 0 ? 0 : 1460 - (uint32_t)olen;
	uint32_t total = pk->end - pk->seq, off = 0;
	do {
		struct pd_packet part = *pk;
		uint32_t n = total - off > room ? room : total - off;
		part.seq = pk->seq + off;
		part.end = part.seq + n;
		if (off + n < total)
			part.flags &= (uint8_t)~0x09; /* FIN, PSH */
		int len = room ? pd_frame_build(&r->in_addr, &part, part.seq,
						pk->ack + (r->have_isn ?
							   r->local_isn : 0),
						buf, sizeof(buf))
			       : -1;
		if (len < 0 || kp_wire_inject(r->h, r->o.ifname, buf,
					      (size_t)len, when) < 0) {
			snprintf(r->err, sizeof(r->err), "error handling "
				 "packet: cannot build or inject it");
			return -1;
		}
		off += n;
	} while (off < total);
	/* packetdrill's tun write is processed before the next line: let
	 * the NIC, the interrupt and the softirq take it in - from now, if
	 * checking earlier lines already ran the world past @when */
	uint64_t now = kp_world_time(r->s->world);
	run_to(r, (now > when ? now : when) +
			  (r->o.tolerance_ns < 200000 ? r->o.tolerance_ns / 2
						      : 200000),
	       false);
	return 0;
}

/* A call started earlier has returned: check when and what.  0, or the
 * line of the call after an error. */
static int finish_syscall(struct pd_run *r)
{
	const struct pd_event *ev = &r->sc.ev[r->pending];
	uint64_t tol = r->o.tolerance_ns, at = r->pt->done_at;
	r->pending = -1;
	if (at + tol < r->pending_end || at > r->pending_end + tol) {
		snprintf(r->err, sizeof(r->err), "timing error: expected "
			 "system call return at %.6f sec but happened at %.6f "
			 "sec; tolerance %.6f sec", pd_secs(r, r->pending_end),
			 pd_secs(r, at), (double)tol / 1e9);
		return ev->line;
	}
	return pd_syscall_check(r, ev) < 0 ? ev->line : 0;
}

static int syscall_ev(struct pd_run *r, int i, uint64_t when, uint64_t end)
{
	const struct pd_event *ev = &r->sc.ev[i];
	if (r->pending >= 0) {
		/* the previous call may be just about to return */
		uint64_t slack = kp_world_time(r->s->world) + 500000;
		while (!r->pt->done && !r->halted &&
		       kp_world_time(r->s->world) < slack)
			run_until(r, slack);
		if (r->pt->done) {
			int line = finish_syscall(r);
			if (line) {
				r->fail_line = line;
				return -1;
			}
		}
	}
	if (r->pending >= 0) {
		snprintf(r->err, sizeof(r->err), "a system call is still "
			 "blocking (line %d)", r->sc.ev[r->pending].line);
		return -1;
	}
	if (pd_syscall_start(r, ev) < 0)
		return -1;
	r->pending = i;
	r->pending_end = end;
	/* run until it returns or the next event is due */
	uint64_t next = end + r->o.tolerance_ns;
	if (i + 1 < r->sc.nr && r->sc.ev[i + 1].time_kind == PD_TIME_ABS)
		next = r->t0 + (uint64_t)(r->sc.ev[i + 1].t * 1e9);
	else if (i + 1 < r->sc.nr && r->sc.ev[i + 1].time_kind == PD_TIME_REL)
		next = when + (uint64_t)(r->sc.ev[i + 1].t * 1e9);
	/* a call takes virtual time too: give it a little before the next
	 * event counts it as blocking */
	uint64_t slack = r->o.tolerance_ns < 500000 ? r->o.tolerance_ns
						    : 500000;
	/* from now, if earlier lines already ran the world past @when
	 * (packetdrill's call is synchronous: the next line waits for it) */
	uint64_t now = kp_world_time(r->s->world);
	if (next < (now > when ? now : when) + slack)
		next = (now > when ? now : when) + slack;
	/* segments it sends stop the run early: go on to its return */
	while (!r->pt->done && !r->halted &&
	       kp_world_time(r->s->world) < next)
		run_until(r, next);
	if (r->pt->done && finish_syscall(r))
		return -1;
	return 0;
}

static void event_times(const struct pd_run *r, const struct pd_event *ev,
			uint64_t *when, uint64_t *end)
{
	if (ev->time_kind == PD_TIME_ABS)
		*when = r->t0 + (uint64_t)(ev->t * 1e9);
	else if (ev->time_kind == PD_TIME_REL)
		*when = r->last + (uint64_t)(ev->t * 1e9);
	else
		*when = r->last;
	*end = *when;
	if (!ev->range)
		return;
	if (ev->time_kind == PD_TIME_ABS && !ev->end_rel)
		*end = r->t0 + (uint64_t)(ev->t_end * 1e9);
	else
		*end = *when + (uint64_t)((ev->t_end - ev->t) * 1e9);
}

static int run_events(struct pd_run *r)
{
	for (int i = 0; i < r->sc.nr; i++) {
		const struct pd_event *ev = &r->sc.ev[i];
		uint64_t when, end;
		event_times(r, ev, &when, &end);
		r->s->line = ev->line;
		r->pos = i;
		r->fail_line = 0;
		r->pos_when = when;
		r->pos_end = end;
		if (r->o.verbose)
			kp_printf(r->out, "%s:%d: at %.6f\n", r->sc.file,
				  ev->line, pd_secs(r, when));
		/* packets the host sends meanwhile wait in the queue for
		 * the next outbound line, as in packetdrill's tun: only a
		 * mismatch there is an error */
		bool out_pkt = ev->kind == PD_PACKET && !ev->pkt.inbound;
		if (!out_pkt) {
			run_until(r, when);
			if (r->halted)
				return r->fail_line ? r->fail_line : ev->line;
		}
		int line;
		if (r->pending >= 0 && r->pt->done &&
		    (line = finish_syscall(r)))
			return line;
		int e = 0;
		switch (ev->kind) {
		case PD_PACKET:
			e = ev->pkt.inbound ? inbound(r, ev, when)
					    : outbound(r, ev, when, end);
			break;
		case PD_SYSCALL:
			e = syscall_ev(r, i, when, end);
			break;
		case PD_COMMAND:
			e = pd_command(r, ev->cmd, ev->line);
			break;
		case PD_CODE:
			e = pd_code(r, ev);
			break;
		}
		if (r->halted)
			return r->fail_line ? r->fail_line : ev->line;
		if (e < 0)
			return r->fail_line ? r->fail_line : ev->line;
		if (r->pending >= 0 && r->pt->done &&
		    (line = finish_syscall(r)))
			return line;
		/* packetdrill: the next relative time counts from this
		 * event's start, also for a blocking call's range */
		r->last = when;
	}
	if (r->pending >= 0) {
		run_until(r, r->pending_end + r->o.tolerance_ns);
		if (r->halted)
			return r->fail_line ? r->fail_line
					    : r->sc.ev[r->pending].line;
		int line = r->sc.ev[r->pending].line;
		if (!r->pt->done) {
			snprintf(r->err, sizeof(r->err), "system call did not "
				 "return by the end of the script");
			return line;
		}
		return finish_syscall(r);
	}
	return 0;
}

/* "--name=value" lines at the top of the script. */
static int script_options(struct pd_run *r)
{
	for (int i = 0; i < r->sc.nr_opts; i++) {
		const struct pd_script_opt *o = &r->sc.opts[i];
		if (!strcmp(o->name, "tolerance_usecs")) {
			char *end;
			unsigned long long v = strtoull(o->value, &end, 10);
			if (!o->value[0] || *end || v > 10000000ULL) {
				snprintf(r->err, sizeof(r->err), "bad "
					 "--tolerance_usecs");
				return o->line;
			}
			if (!r->o.tolerance_set)
				r->o.tolerance_ns = v * 1000ULL;
		} else if (!strcmp(o->name, "ip_version")) {
			if (strcmp(o->value, "ipv4")) {
				snprintf(r->err, sizeof(r->err), "kpath runs "
					 "IPv4 scripts only (--ip_version=ipv4)");
				return o->line;
			}
		} else if (r->o.verbose) {
			kp_printf(r->out, "%s:%d: note: option --%s ignored\n",
				  r->sc.file, o->line, o->name);
		}
	}
	return 0;
}

/*
 * --on-fail stop: the world stays where the script failed.  The tap stays
 * on ptype_all, a plain capture tap now (the CPU stopped in it resumes
 * there), back on the host's tap list so the world frees it; the
 * packetdrill task stays too, waiting or blocked in its call.
 */
static void leave_stopped(struct pd_run *r, int line)
{
	struct kp_capture_net *cn = kp_capture_net_get(r->h->net);
	r->stopped = true;
	r->pt->detached = true;
	r->tap->collect = NULL;
	r->tap->collect_ctx = NULL;
	if (cn)
		list_add_tail(&r->tap->list, &cn->taps);
	else if (!r->tap->active)
		kp_tap_free(r->tap);
	if (r->halted && !r->tap_failed)
		kp_printf(r->out, "packetdrill: the script ends at %s:%d; the "
			  "world stays where the run stopped\n", r->sc.file,
			  line);
	else
		kp_printf(r->out, "packetdrill: stopped at %s:%d as it failed; "
			  "the world is left as it was%s\n", r->sc.file, line,
			  r->tap_failed ? ", in the CPU that sent the packet "
					  "(try bt, info frame, show sock)"
					: "");
	if (r->tap_failed)
		kp_session_report_stop(r->s, r->out);
}

int pd_run_file(struct kp_session *s, struct kp_out *out, const char *file,
		const struct pd_opts *o)
{
	struct pd_run *r = calloc(1, sizeof(*r));
	char err[512];
	int ret = 1;
	if (!r)
		return -ENOMEM;
	r->s = s;
	r->out = out;
	r->o = *o;
	r->pending = -1;
	r->last_fd = -1;
	for (int i = 0; i < PD_MAX_FDS; i++)
		r->fdmap[i] = -1;
	if (pd_parse_file(file, &r->sc, err, sizeof(err)) < 0) {
		kp_printf(out, "%s\n", err);
		free(r);
		return 1;
	}
	r->h = kp_host_by_name(s->world, o->host);
	struct net_device *dev = r->h ? dev_get_by_name(r->h->net, o->ifname)
				      : NULL;
	if (!dev) {
		kp_printf(out, "packetdrill: no host %s with device %s\n",
			  o->host, o->ifname);
		pd_script_free(&r->sc);
		free(r);
		return -ENODEV;
	}
	struct in_device *idev = __in_dev_get_rcu(dev);
	if (!idev || !idev->ifa_list) {
		kp_printf(out, "packetdrill: %s has no IPv4 address\n",
			  o->ifname);
		pd_script_free(&r->sc);
		free(r);
		return -ENODEV;
	}
	memcpy(r->in_addr.src_mac, remote_mac, 6);
	memcpy(r->in_addr.dst_mac, dev->dev_addr, 6);
	r->in_addr.saddr = htonl(PD_REMOTE_IP);
	r->in_addr.daddr = idev->ifa_list->ifa_local;
	r->local_port = PD_PORT;
	r->remote_port = PD_REMOTE_EPHEMERAL;
	/* a script whose first call is connect is a client */
	for (int i = 0; i < r->sc.nr; i++) {
		const struct pd_event *ev = &r->sc.ev[i];
		if (ev->kind != PD_SYSCALL)
			continue;
		if (!strcmp(ev->sc.name, "connect")) {
			r->local_port = 0;
			r->remote_port = PD_PORT;
			break;
		}
		if (!strcmp(ev->sc.name, "bind") ||
		    !strcmp(ev->sc.name, "listen"))
			break;
	}
	struct kp_tap_opts to = { .ifname = o->ifname };
	r->tap = kp_tap_create(r->h->net, dev, &to, err, sizeof(err));
	if (!r->tap) {
		kp_printf(out, "packetdrill: %s\n", err);
		goto out;
	}
	list_del_init(&r->tap->list);
	r->tap->collect = collect;
	r->tap->collect_ctx = r;
	r->tap->add_pending = true;
	if (kp_net_cmd_call(s, out, r->h, tap_add, r->tap, NULL) < 0 ||
	    kp_net_cmd_call(s, out, r->h, neigh_add, r, NULL) < 0)
		goto out;
	r->pt = pd_task_start(r->h);
	if (!r->pt)
		goto out;
	kp_session_run(s, KP_RUN_CONTINUE, 0);
	r->t0 = r->last = kp_world_time(s->world);
	const char *save_file = s->file;
	int save_line = s->line;
	s->file = file;
	int line = script_options(r);
	if (!line && pd_init_scripts(r) < 0)
		line = 1;
	if (!line)
		line = run_events(r);
	s->file = save_file;
	s->line = save_line;
	kp_console_flush(s, out);
	if (line) {
		kp_printf(out, "%s:%d: %s\n", file, line, r->err);
	} else {
		ret = 0;
		if (o->verbose)
			kp_printf(out, "packetdrill: %s passed\n", file);
	}
	if (line && (o->on_fail_stop || r->halted)) {
		if (r->halted && !r->tap_failed)
			ret = 2;
		leave_stopped(r, line);
		goto out;
	}
	/* let the task go */
	struct pd_call bye = { .op = PD_OP_EXIT };
	if (pd_task_post(r->pt, &bye) == 0)
		run_until(r, kp_world_time(s->world) + 1000000);
out:
	if (r->tap && !r->stopped) {
		if (r->tap->active)
			kp_net_cmd_call(s, out, r->h, tap_remove, r->tap, NULL);
		if (!r->tap->active)
			kp_tap_free(r->tap);
	}
	while (r->nq)
		pop(r);
	pd_task_put(r->pt);
	pd_script_free(&r->sc);
	free(r);
	return ret;
}
