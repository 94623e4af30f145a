/*
 * probe.c - the probe catalogue and the slow path of a probe: stopping,
 * breakpoints, taking interrupts, yielding to earlier events.
 */
#include "probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct kp_probe_info kp_probes[KP_NR_PROBES] = {
#define KP_PROBE(name, file, layer, cost, desc)                               \
	[KP_P_##name] = { #name, file, KP_LAYER_##layer, cost, desc },
#include "probes.def"
#undef KP_PROBE
};

_Static_assert(KP_NR_PROBES <= KP_NR_PROBES_MAX, "raise KP_NR_PROBES_MAX");

static const char *const layer_names[KP_LAYER_NR] = {
	[KP_LAYER_BOOT] = "boot",       [KP_LAYER_SCHED] = "sched",
	[KP_LAYER_IRQ] = "irq",         [KP_LAYER_SOFTIRQ] = "softirq",
	[KP_LAYER_TIMER] = "timer",     [KP_LAYER_HW] = "hw",
	[KP_LAYER_DRIVER] = "driver",   [KP_LAYER_DEV] = "dev",
	[KP_LAYER_GRO] = "gro",         [KP_LAYER_SKB] = "skb",
	[KP_LAYER_IP] = "ip",           [KP_LAYER_NETFILTER] = "netfilter",
	[KP_LAYER_ROUTE] = "route",     [KP_LAYER_NEIGH] = "neigh",
	[KP_LAYER_ICMP] = "icmp",       [KP_LAYER_UDP] = "udp",
	[KP_LAYER_TCP] = "tcp",         [KP_LAYER_SOCK] = "sock",
	[KP_LAYER_SYSCALL] = "syscall", [KP_LAYER_EPOLL] = "epoll",
	[KP_LAYER_USER] = "user",
};

const char *kp_layer_name(enum kp_layer layer)
{
	return (unsigned)layer < KP_LAYER_NR ? layer_names[layer] : "?";
}

int kp_probe_lookup(const char *name)
{
	for (int i = 0; i < KP_NR_PROBES; i++)
		if (strcmp(kp_probes[i].name, name) == 0)
			return i;
	return -1;
}

void kp_probe_overflow(struct kp_thread_info *ti, enum kp_probe_id id)
{
	fprintf(stderr, "kpath: shadow stack overflow at %s (depth %u)\n",
		kp_probes[id].name, ti->depth);
	abort();
}

void kp_probe_name_mismatch(enum kp_probe_id id, const char *func)
{
	fprintf(stderr, "kpath: KP_FUNC(%s) used in %s()\n", kp_probes[id].name,
		func);
	abort();
}

static void record_stop_at(struct kp_world *w, enum kp_stop_reason reason,
			   struct kp_vcpu *v, struct kp_thread_info *ti,
			   uint64_t seq)
{
	struct kp_stop_ctl *c = &w->stop_ctl;
	c->stopped = true;
	c->reason = reason;
	c->cpu = v;
	c->at = ti;
	c->seq = seq;
	c->at_exit = false;
}

static void record_stop(struct kp_world *w, enum kp_stop_reason reason,
			struct kp_vcpu *v, struct kp_thread_info *ti)
{
	record_stop_at(w, reason, v, ti, w->trace.seq ? w->trace.seq - 1 : 0);
}

/* Breakpoints on @probe; true if one asks to stop. */
static bool check_breakpoints(struct kp_world *w, int probe,
			      const struct kp_vcpu *v, const struct kp_obj *obj)
{
	for (int i = 0; i < w->nr_bps; i++) {
		struct kp_breakpoint *bp = &w->bps[i];
		if (bp->probe != probe || !bp->enabled)
			continue;
		if (bp->cond && w->dbg && w->dbg->cond_eval &&
		    !w->dbg->cond_eval(w, bp->cond, v, obj))
			continue;
		bp->hits++;
		w->stop_ctl.bp_number = bp->number;
		if (bp->temporary)
			kp_break_delete(w, bp->number);
		return true;
	}
	return false;
}

/* @written: trace records written up to and including this probe's. */
static enum kp_stop_reason run_mode_stop(struct kp_world *w,
					 struct kp_thread_info *ti,
					 const struct kp_vcpu *v,
					 uint64_t written)
{
	struct kp_stop_ctl *c = &w->stop_ctl;
	switch (c->mode) {
	case KP_RUN_STEP:
		return --c->count == 0 ? KP_STOP_STEP : KP_STOP_NONE;
	case KP_RUN_NEXT:
		if (ti && ti == c->ti && ti->depth <= c->depth)
			return KP_STOP_STEP;
		return KP_STOP_NONE;
	case KP_RUN_UNTIL:
		return v && v->clock >= c->until ? KP_STOP_UNTIL : KP_STOP_NONE;
	case KP_RUN_SEQ:
		return written > c->target_seq ? KP_STOP_SEQ : KP_STOP_NONE;
	default:
		return KP_STOP_NONE;
	}
}

/* The stop decision shared by CPU probes and device events. */
static enum kp_stop_reason should_stop(struct kp_world *w, int probe,
				       struct kp_thread_info *ti,
				       const struct kp_vcpu *v,
				       const struct kp_obj *obj,
				       uint64_t written)
{
	struct kp_stop_ctl *c = &w->stop_ctl;
	if (c->stopped)
		return KP_STOP_NONE;
	if (w->bp_count[probe] && check_breakpoints(w, probe, v, obj))
		return KP_STOP_BREAKPOINT;
	enum kp_stop_reason r = KP_STOP_NONE;
	if (c->probe_check & KP_CHECK_RUNMODE)
		r = run_mode_stop(w, ti, v, written);
	if (r == KP_STOP_NONE && (c->probe_check & KP_CHECK_WATCH) && w->dbg &&
	    w->dbg->watch_check && w->dbg->watch_check(w))
		r = KP_STOP_REQUEST;
	return r;
}

/* A trace file to write or a stop to look at: the rarer half. */
static __attribute__((noinline)) void
probe_slow_checks(struct kp_thread_info *ti, struct kp_vcpu *v,
		  enum kp_probe_id id, const struct kp_obj *obj)
{
	struct kp_world *w = v->world;
	if (kp_trace_must_flush(&w->trace, w->trace.seq - 1))
		kp_trace_flush(&w->trace);
	/* Most slow paths are only an earlier event elsewhere: look at
	 * stops only when something asks for them. */
	if (w->stop_ctl.probe_check | w->bp_count[id]) {
		enum kp_stop_reason r =
			should_stop(w, id, ti, v, obj, w->trace.seq);
		if (r != KP_STOP_NONE) {
			record_stop(w, r, v, ti);
			w->stop_ctl.paused = v;
			kp_vcpu_yield(v);
		}
	}
}

void kp_probe_slow(enum kp_probe_id id, const struct kp_obj *obj)
{
	struct kp_thread_info *ti = kp_current_thread_info();
	struct kp_vcpu *v = ti->cpu;
	struct kp_world *w = v->world;
	if (__builtin_expect(kp_trace_must_flush(&w->trace, w->trace.seq - 1) |
				     w->stop_ctl.probe_check | w->bp_count[id],
			     0))
		probe_slow_checks(ti, v, id, obj);
	/* Let every CPU and device with an earlier action run first. */
	kp_vcpu_catch_up(v);
}

void kp_probe_exit_slow(void)
{
	struct kp_thread_info *ti = kp_current_thread_info();
	struct kp_vcpu *v = ti->cpu;
	struct kp_world *w = v->world;
	struct kp_stop_ctl *c = &w->stop_ctl;
	if (c->stopped || c->mode != KP_RUN_FINISH || ti != c->ti ||
	    ti->depth >= c->depth)
		return;
	record_stop(w, KP_STOP_FINISH, v, ti);
	c->at_exit = true;
	c->paused = v;
	kp_vcpu_yield(v);
}

void kp_probe_hw(struct kp_world *w, int probe, uint16_t host,
		 const struct kp_obj *obj, uint64_t arg)
{
	/* the record's words built in registers and stored at once */
	uint64_t head = kp_frame_head((enum kp_probe_id)probe, KP_CTX_HW, obj);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t where = (uint64_t)(uint8_t)host | 0xffull << 8 | 1ull << 16 |
			 (uint64_t)KP_TRF_HW << 24;
#else
	struct kp_trace_rec at = { .host = (uint8_t)host, .cpu = 0xff,
				   .depth = 1, .flags = KP_TRF_HW };
	uint64_t where = at.where;
#endif
	struct kp_trace_rec *r = kp_trace_append(&w->trace);
	__builtin_memcpy(&r->call, &head, sizeof(head));
	r->time = w->now;
	r->where = where;
	r->arg = arg;
	if (kp_trace_must_flush(&w->trace, r->seq))
		kp_trace_flush(&w->trace);
	if (w->stop_ctl.stopped) {
		/* The event runs on past the stop: keep this step point for
		 * the next run to look at. */
		if (w->nr_hw_pending < KP_HW_PENDING_MAX) {
			struct kp_hw_pending *p =
				&w->hw_pending[w->nr_hw_pending++];
			p->seq = r->seq;
			p->probe = (uint16_t)probe;
			p->has_obj = obj != NULL;
			p->obj = obj ? *obj : (struct kp_obj){ .id = 0 };
		}
		return;
	}
	if (!(w->stop_ctl.probe_check | w->bp_count[probe]))
		return;
	enum kp_stop_reason reason =
		should_stop(w, probe, NULL, NULL, obj, w->trace.seq);
	if (reason != KP_STOP_NONE)
		record_stop(w, reason, NULL, NULL);
}

bool kp_probe_hw_pending(struct kp_world *w)
{
	struct kp_stop_ctl *c = &w->stop_ctl;
	while (w->hw_pending_next < w->nr_hw_pending && !c->stopped) {
		const struct kp_hw_pending *p =
			&w->hw_pending[w->hw_pending_next++];
		enum kp_stop_reason reason = KP_STOP_NONE;
		if (c->probe_check | w->bp_count[p->probe])
			reason = should_stop(w, p->probe, NULL, NULL,
					     p->has_obj ? &p->obj : NULL,
					     p->seq + 1);
		if (reason != KP_STOP_NONE)
			record_stop_at(w, reason, NULL, NULL, p->seq);
	}
	if (w->hw_pending_next >= w->nr_hw_pending)
		w->nr_hw_pending = w->hw_pending_next = 0;
	return c->stopped;
}
