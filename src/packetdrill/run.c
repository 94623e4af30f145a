/*
 * run.c - running a packetdrill script (packetdrill's run.c and
 * run_packet.c): events in order, each at its time; inbound packets are
 * put on the wire of the local host's NIC as from the remote end
 * (kp_wire_inject), outbound packets are taken from a ptype_all tap that
 * sees what dev_queue_xmit_nit hands it, system calls run in the
 * packetdrill task (pdtask.c).  The remote end is 10.0.0.99 behind a
 * permanent neighbour entry, so nothing in the world answers for it.
 * Left out: --wire modes, IPv6, remote TS val/ecr mapping, sack blocks,
 * checking the payload bytes, more than one connection.
 */
#include "run.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static double secs(const struct pd_run *r, uint64_t t)
{
	return (double)(t - r->t0) / 1e9;
}

static void collect(void *ctx, const uint8_t *frame, uint32_t len,
		    int pkt_type, uint64_t ts)
{
	struct pd_run *r = ctx;
	struct pd_seg seg;
	if (pkt_type != PACKET_OUTGOING || pd_frame_parse(frame, len, &seg))
		return;
	if (r->nq == PD_OUT_MAX)
		return;
	uint8_t *copy = malloc(len);
	if (!copy)
		return;
	memcpy(copy, frame, len);
	r->q[r->nq++] = (struct pd_outpkt){ copy, len, ts };
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
	while (kp_world_time(r->s->world) < t) {
		int nq = r->nq;
		bool done = r->pt->done;
		enum kp_stop_reason why = kp_session_run(r->s, KP_RUN_UNTIL,
							 t);
		if (why == KP_STOP_UNTIL || why == KP_STOP_IDLE)
			break;
		if (why != KP_STOP_REQUEST) {
			kp_session_report_stop(r->s, r->out);
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

static int field(struct pd_run *r, const char *name, uint64_t want,
		 uint64_t got)
{
	if (want == got)
		return 0;
	snprintf(r->err, sizeof(r->err),
		 "live packet field %s: expected: %" PRIu64 " (0x%" PRIx64
		 ") vs actual: %" PRIu64 " (0x%" PRIx64 ")",
		 name, want, want, got, got);
	return -1;
}

static int check_opts(struct pd_run *r, const struct pd_packet *pk,
		      const struct pd_seg *g)
{
	if (pk->opts_any)
		return 0;
	int n = pk->has_opts ? pk->nr_opts : 0;
	if (field(r, "tcp_option_count", (uint64_t)n, (uint64_t)g->nr_opts))
		return -1;
	for (int i = 0; i < n; i++) {
		const struct pd_tcp_opt *w = &pk->opts[i], *a = &g->opts[i];
		if (field(r, "tcp_option_kind", w->kind, a->kind))
			return -1;
		if ((w->kind == PD_OPT_MSS &&
		     field(r, "tcp_option_mss", w->a, a->a)) ||
		    (w->kind == PD_OPT_WSCALE &&
		     field(r, "tcp_option_wscale", w->a, a->a)) ||
		    (w->kind == PD_OPT_TS &&
		     field(r, "tcp_option_ts_ecr", w->b, a->b)))
			return -1;
	}
	return 0;
}

static int outbound(struct pd_run *r, const struct pd_event *ev,
		    uint64_t when, uint64_t end)
{
	const struct pd_packet *pk = &ev->pkt;
	uint64_t tol = r->o.tolerance_ns;
	if (!r->nq)
		run_until(r, end + tol);
	if (!r->nq) /* late?  look further, to say when it came */
		run_until(r, end + tol + 10 * 1000000000ULL);
	if (!r->nq) {
		snprintf(r->err, sizeof(r->err), "error handling packet: "
			 "timing error: expected outbound packet at %.6f sec "
			 "but none was sent", secs(r, when));
		return -1;
	}
	struct pd_seg g;
	uint64_t ts = r->q[0].ts;
	pd_frame_parse(r->q[0].frame, r->q[0].len, &g);
	pop(r);
	if (r->o.verbose)
		kp_printf(r->out, "%s:%d: outbound at %.6f: flags 0x%02x seq %u "
			  "ack %u len %u win %u\n", r->sc.file, ev->line,
			  secs(r, ts), g.flags, g.seq - r->local_isn, g.ack,
			  g.len, g.win);
	if (ev->time_kind != PD_TIME_ANY &&
	    (ts + tol < when || ts > end + tol)) {
		snprintf(r->err, sizeof(r->err), "error handling packet: "
			 "timing error: expected outbound packet at %.6f sec "
			 "but happened at %.6f sec; tolerance %.6f sec",
			 secs(r, when), secs(r, ts), (double)tol / 1e9);
		return -1;
	}
	if ((pk->flags & 0x02) && !r->have_isn) {
		r->local_isn = g.seq - pk->seq;
		r->have_isn = true;
		if (!r->local_port)
			r->local_port = g.sport;
	}
	uint8_t want_flags = pk->flags;
	int e = field(r, "tcp_flags", want_flags, g.flags);
	if (!e)
		e = field(r, "tcp_src_port", r->local_port, g.sport);
	if (!e)
		e = field(r, "tcp_dst_port", r->remote_port, g.dport);
	if (!e)
		e = field(r, "tcp_seq", pk->seq, g.seq - r->local_isn);
	if (!e)
		e = field(r, "tcp_payload_len", pk->end - pk->seq, g.len);
	if (!e && pk->has_ack)
		e = field(r, "tcp_ack_seq", pk->ack, g.ack);
	if (!e && pk->has_win)
		e = field(r, "tcp_window", pk->win, g.win);
	if (!e)
		e = check_opts(r, pk, &g);
	if (e) {
		char tmp[sizeof(r->err)];
		snprintf(tmp, sizeof(tmp), "%s", r->err);
		snprintf(r->err, sizeof(r->err), "error handling packet: %.400s",
			 tmp);
	}
	return e;
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
	int n = pd_frame_build(&r->in_addr, pk, pk->seq,
			       pk->ack + (r->have_isn ? r->local_isn : 0),
			       buf, sizeof(buf));
	if (n < 0 || kp_wire_inject(r->h, r->o.ifname, buf, (size_t)n,
				    when) < 0) {
		snprintf(r->err, sizeof(r->err), "error handling packet: "
			 "cannot build or inject it");
		return -1;
	}
	/* packetdrill's tun write is processed before the next line: let
	 * the NIC, the interrupt and the softirq take it in */
	run_to(r, when + (r->o.tolerance_ns < 200000 ? r->o.tolerance_ns / 2
						     : 200000), false);
	return 0;
}

static int command(struct pd_run *r, const struct pd_event *ev)
{
	char name[128], line[320];
	if (sscanf(ev->cmd, "sysctl -q %127s", name) == 1 ||
	    sscanf(ev->cmd, "sysctl -w %127s", name) == 1) {
		snprintf(line, sizeof(line), "sysctl %s -q -w %s", r->o.host,
			 name);
		if (kp_session_exec(r->s, line) < 0) {
			snprintf(r->err, sizeof(r->err),
				 "command failed: %s", ev->cmd);
			return -1;
		}
		return 0;
	}
	kp_printf(r->out, "%s:%d: note: ignoring shell command `%s`\n",
		  r->sc.file, ev->line, ev->cmd);
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
			 "sec; tolerance %.6f sec", secs(r, r->pending_end),
			 secs(r, at), (double)tol / 1e9);
		return ev->line;
	}
	return pd_syscall_check(r, ev) < 0 ? ev->line : 0;
}

static int syscall_ev(struct pd_run *r, int i, uint64_t when, uint64_t end)
{
	const struct pd_event *ev = &r->sc.ev[i];
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
		next = end + (uint64_t)(r->sc.ev[i + 1].t * 1e9);
	/* a call takes virtual time too: give it a little before the next
	 * event counts it as blocking */
	uint64_t slack = r->o.tolerance_ns < 500000 ? r->o.tolerance_ns
						    : 500000;
	if (next < when + slack)
		next = when + slack;
	run_until(r, next);
	if (r->pt->done && finish_syscall(r))
		return -1;
	return 0;
}

static int run_events(struct pd_run *r)
{
	for (int i = 0; i < r->sc.nr; i++) {
		const struct pd_event *ev = &r->sc.ev[i];
		uint64_t when;
		if (ev->time_kind == PD_TIME_ABS)
			when = r->t0 + (uint64_t)(ev->t * 1e9);
		else if (ev->time_kind == PD_TIME_REL)
			when = r->last + (uint64_t)(ev->t * 1e9);
		else
			when = r->last;
		uint64_t end = ev->range ? when + (uint64_t)((ev->t_end - ev->t)
							     * 1e9) : when;
		if (ev->range && ev->time_kind == PD_TIME_ABS)
			end = r->t0 + (uint64_t)(ev->t_end * 1e9);
		r->s->line = ev->line;
		if (r->o.verbose)
			kp_printf(r->out, "%s:%d: at %.6f\n", r->sc.file,
				  ev->line, secs(r, when));
		bool out_pkt = ev->kind == PD_PACKET && !ev->pkt.inbound;
		if (!out_pkt) {
			run_until(r, when);
			if (r->nq) {
				struct pd_seg g;
				pd_frame_parse(r->q[0].frame, r->q[0].len, &g);
				snprintf(r->err, sizeof(r->err),
					 "error handling packet: unexpected "
					 "outbound packet at %.6f sec (flags "
					 "0x%02x seq %u)", secs(r, r->q[0].ts),
					 g.flags, g.seq - r->local_isn);
				return ev->line;
			}
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
			e = command(r, ev);
			break;
		}
		if (e < 0)
			return ev->line;
		if (r->pending >= 0 && r->pt->done &&
		    (line = finish_syscall(r)))
			return line;
		r->last = end;
	}
	if (r->pending >= 0) {
		run_until(r, r->pending_end + r->o.tolerance_ns);
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
	int line = run_events(r);
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
	/* let the task go */
	struct pd_call bye = { .op = PD_OP_EXIT };
	if (pd_task_post(r->pt, &bye) == 0)
		run_until(r, kp_world_time(s->world) + 1000000);
out:
	if (r->tap) {
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
