/*
 * world.c - the world's life cycle, the run loop and the engine side of
 * CPUs (resume, yield, halt, kick).
 *
 * The run loop always dispatches the earliest event (time, then queue
 * order).  A CPU is resumed by an event at its clock; it runs until one of
 * its probes finds an earlier event elsewhere, a stop condition, or it goes
 * idle.  So every CPU and device of every host interleaves in virtual time,
 * deterministically.
 */
#include "world.h"

#include <stdlib.h>
#include <string.h>

#include "probe.h"

int kp_world_init(struct kp_world *w, uint64_t seed, unsigned trace_order)
{
	memset(w, 0, sizeof(*w));
	kp_eventq_init(&w->events);
	kp_coro_init_main(&w->engine);
	w->seed = seed;
	kp_prng_seed(&w->prng, seed);
	int err = kp_trace_init(&w->trace, trace_order);
	if (err)
		return err;
	for (int i = 0; i < KP_NR_PROBES; i++)
		w->probe_cost[i] = kp_probes[i].cost_ns;
	w->next_bp_number = 1;
	return 0;
}

void kp_world_destroy(struct kp_world *w)
{
	/* Drop the queued events first: their handles live in CPUs, timers
	 * and devices that the teardown frees. */
	kp_eventq_free(&w->events);
	if (w->ops && w->ops->teardown)
		w->ops->teardown(w);
	kp_break_delete_all(w);
	kp_eventq_free(&w->events);
	kp_trace_free(&w->trace);
	kp_console_free(&w->console);
}

uint64_t kp_world_time(const struct kp_world *w)
{
	const struct kp_stop_ctl *c = &w->stop_ctl;
	if (c->cpu && c->cpu->clock > w->now)
		return c->cpu->clock;
	return w->now;
}

uint64_t kp_world_time_reached(const struct kp_world *w)
{
	uint64_t t = kp_world_time(w);
	return w->reached > t ? w->reached : t;
}

void kp_world_set_mode(struct kp_world *w, enum kp_run_mode mode, uint64_t arg)
{
	struct kp_stop_ctl *c = &w->stop_ctl;
	struct kp_thread_info *at = c->at;

	c->stopped = false;
	c->reason = KP_STOP_NONE;
	c->message = NULL;
	c->bp_number = 0;
	if ((mode == KP_RUN_NEXT || mode == KP_RUN_FINISH) && !at) {
		mode = KP_RUN_STEP; /* not stopped in a CPU: plain step */
		arg = 1;
	}
	c->mode = mode;
	c->probe_check &= (uint8_t)~KP_CHECK_RUNMODE;
	c->exit_check = 0;
	switch (mode) {
	case KP_RUN_STEP:
		c->count = arg ? arg : 1;
		c->probe_check |= KP_CHECK_RUNMODE;
		break;
	case KP_RUN_NEXT:
		/* Stopped on a return we are inside the caller: its next
		 * call is one level deeper than the frame we stand in. */
		c->ti = at;
		c->depth = at->depth + (c->at_exit ? 1 : 0);
		c->probe_check |= KP_CHECK_RUNMODE;
		break;
	case KP_RUN_FINISH:
		/* the innermost frame returns (after a return: the caller) */
		c->ti = at;
		c->depth = at->depth;
		c->exit_check = 1;
		break;
	case KP_RUN_UNTIL:
		c->until = arg;
		c->probe_check |= KP_CHECK_RUNMODE;
		break;
	case KP_RUN_SEQ:
		c->target_seq = arg;
		c->probe_check |= KP_CHECK_RUNMODE;
		break;
	case KP_RUN_CONTINUE:
		break;
	}
}

void kp_world_request_stop(struct kp_world *w, const char *message)
{
	struct kp_stop_ctl *c = &w->stop_ctl;
	if (c->stopped)
		return;
	c->stopped = true;
	c->reason = KP_STOP_REQUEST;
	c->message = message;
	c->cpu = w->running;
	c->at = w->running ? kp_coro_thread_info(w->running->coro) : NULL;
	c->seq = w->trace.seq ? w->trace.seq - 1 : 0;
	c->at_exit = false;
}

static void vcpu_resume(struct kp_world *w, void *arg, uint64_t data);

/* Run one event taken from the queue: the world's clock moves to its
 * time (never back), then its handler runs. */
static inline void world_run_event(struct kp_world *w, uint64_t time,
				   kp_event_fn fn, void *arg, uint64_t data)
{
	if (time > w->now)
		w->now = time;
	fn(w, arg, data);
#ifdef KP_DEBUG
	if (w->ops && w->ops->check)
		w->ops->check(w);
#endif
}

/*
 * A CPU that a probe stopped (step, break, finish...) was in the middle
 * of its turn: without the stop it would have gone on before any other
 * event of the same time.  Its resume event was queued after those, so
 * dispatch it first - stepping through a run must not change the order
 * of that run, or going back (which re-runs without stopping) would land
 * elsewhere.
 */
static void resume_paused(struct kp_world *w)
{
	struct kp_vcpu *v = w->stop_ctl.paused;
	w->stop_ctl.paused = NULL;
	if (!v || !v->resume_handle)
		return;
	/* w->now stays: the CPU's clock ran ahead of it, as it does
	 * within a turn */
	kp_eventq_cancel(&w->events, &v->resume_handle);
	vcpu_resume(w, v, 0);
#ifdef KP_DEBUG
	if (w->ops && w->ops->check)
		w->ops->check(w);
#endif
}

enum kp_stop_reason kp_world_run(struct kp_world *w)
{
	struct kp_stop_ctl *c = &w->stop_ctl;
	struct kp_event ev;

	if (w->nr_hw_pending && kp_probe_hw_pending(w))
		return c->reason;
	resume_paused(w);
	while (!c->stopped) {
		uint64_t t = kp_eventq_next_time(&w->events);
		/* An idle world still reaches the time asked for. */
		if (t == UINT64_MAX && c->mode == KP_RUN_UNTIL &&
		    c->until != UINT64_MAX)
			t = c->until + 1;
		if (t == UINT64_MAX) {
			c->stopped = true;
			c->reason = KP_STOP_IDLE;
			c->cpu = NULL;
			c->at = NULL;
			break;
		}
		if (c->mode == KP_RUN_UNTIL && t > c->until) {
			if (w->now < c->until)
				w->now = c->until;
			c->stopped = true;
			c->reason = KP_STOP_UNTIL;
			c->cpu = NULL;
			c->at = NULL;
			break;
		}
		kp_eventq_pop(&w->events, &ev);
		world_run_event(w, ev.time, ev.fn, ev.arg, ev.data);
	}
	/* a trace file holds every record up to the stop */
	if (w->trace.sink)
		kp_trace_sync(&w->trace);
	return c->reason;
}

/* ---- CPUs ---- */

static void vcpu_resume(struct kp_world *w, void *arg, uint64_t data)
{
	(void)data;
	struct kp_vcpu *v = arg;
	if (v->clock < w->now)
		v->clock = w->now;
	w->running = v;
	kp_coro_switch(&w->engine, v->coro);
	/* back from whichever CPU came last: a yield may have handed the
	 * run over to other CPUs (see kp_vcpu_yield) */
	v = w->running;
	w->running = NULL;
	if (v->clock > w->reached)
		w->reached = v->clock;
}

void kp_vcpu_init(struct kp_vcpu *v, struct kp_world *w,
		  const struct kp_vcpu_ops *ops, uint16_t host_id,
		  uint16_t cpu_id)
{
	memset(v, 0, sizeof(*v));
	v->world = w;
	v->ops = ops;
	v->host_id = host_id;
	v->cpu_id = cpu_id;
	v->halted = true;
	kp_vcpu_set_pid(v, 0);
}

static inline bool ev_first(const struct kp_event *a, uint64_t time,
			    uint64_t seq)
{
	return a->time < time || (a->time == time && a->seq < seq);
}

/*
 * @v gives way and the earliest event is not a CPU's resume but a
 * device's (the wire, a DMA completion, an interrupt throttle timer):
 * run such events here, on @v's stack, as the run loop would run them,
 * instead of queueing @v's resume and switching to the loop and back.
 * @v's resume takes its sequence number now, as it would be queued now,
 * and is only queued if something other than a device event comes
 * before it (another CPU, a stop, the `until` time): the same events in
 * the same order, with the same sequence numbers.
 */
static __attribute__((noinline)) void vcpu_yield_events(struct kp_world *w,
							struct kp_vcpu *v)
{
	struct kp_eventq *q = &w->events;
	struct kp_stop_ctl *c = &w->stop_ctl;
	uint64_t clock = v->clock;
	uint64_t seq = kp_eventq_take_seq(q);
	struct kp_event ev;

	/* what vcpu_resume does when a CPU's turn ends */
	w->running = NULL;
	if (clock > w->reached)
		w->reached = clock;
#ifdef KP_DEBUG
	if (w->ops && w->ops->check)
		w->ops->check(w);
#endif
	for (;;) {
		if (c->stopped)
			break;
		const struct kp_event *e = kp_eventq_first_timed(q);
		bool heap_first = e != NULL;
		if (q->side_len &&
		    (!e || ev_first(&q->side[0], e->time, e->seq))) {
			e = &q->side[0];
			heap_first = false;
		}
		if (!e || !ev_first(e, clock, seq)) {
			/* @v's own resume is the earliest */
			if (c->mode == KP_RUN_UNTIL && clock > c->until)
				break;
			w->running = v;
			return;
		}
		if (c->mode == KP_RUN_UNTIL && e->time > c->until)
			break;
		if (e->fn == vcpu_resume) {
			if (heap_first)
				break; /* a resume that did not fit the side */
			/* another CPU: hand over as vcpu_yield does */
			kp_eventq_pop(q, &ev);
			kp_eventq_push_resume_seq(q, clock, seq, vcpu_resume, v,
						  0, &v->resume_handle);
			struct kp_vcpu *n = ev.arg;
			if (ev.time > w->now)
				w->now = ev.time;
			if (n->clock < w->now)
				n->clock = w->now;
			w->running = n;
			kp_coro_switch(v->coro, n->coro);
			return;
		}
		if (heap_first && q->near_len) {
			/* a device event from the near array, not copied */
			const struct kp_event *ne = kp_eventq_take_near(q);
			world_run_event(w, ne->time, ne->fn, ne->arg, ne->data);
		} else {
			kp_eventq_pop(q, &ev);
			world_run_event(w, ev.time, ev.fn, ev.arg, ev.data);
		}
	}
	kp_eventq_push_resume_seq(q, clock, seq, vcpu_resume, v, 0,
				  &v->resume_handle);
	w->running = v;
	kp_coro_switch(v->coro, &w->engine);
}

/*
 * Give way to an earlier event.  When the run loop's next step would be
 * the resume of a CPU - the common case, CPUs taking turns at probes -
 * switch straight to it instead of through the loop: the same events in
 * the same order (the stop and `until` checks the loop makes come
 * first), one context switch instead of two, no queueing at all when
 * this CPU turns out to be the earliest.
 */
static inline __attribute__((always_inline)) void
vcpu_yield(struct kp_world *w, struct kp_vcpu *v)
{
	struct kp_stop_ctl *c = &w->stop_ctl;
	struct kp_eventq *q = &w->events;
	struct kp_vcpu *n = NULL;
	uint64_t t;
	/*
	 * The common hand-over first: two busy CPUs taking turns.  The
	 * side array's head is another CPU's resume and the earliest
	 * event, and this CPU's resume, the newest, takes its slot (no
	 * other resume due by this CPU's clock).  The slot keeps its fn
	 * (vcpu_resume) and data (0); the rest is kp_eventq_yield_resume's
	 * general case.
	 */
	if (__builtin_expect(!(c->stopped | (c->mode == KP_RUN_UNTIL)) &&
				     q->side_len,
			     1)) {
		struct kp_event *s = q->side;
		uint64_t clock = v->clock;
		t = s->time;
		const struct kp_event *h = kp_eventq_first_timed(q);
		if (t == q->next_time && t <= clock && s->fn == vcpu_resume &&
		    s->arg != v &&
		    !(h && h->time == t && h->seq < s->seq)) {
			n = s->arg;
			if (s->handle)
				*s->handle = 0;
			/* after every resume due by this CPU's clock; the
			 * slot of two CPUs taking turns keeps its fn
			 * (vcpu_resume) and data (0) */
			size_t i = 0, len = q->side_len;
			if (__builtin_expect(len > 1 && s[1].time <= clock, 0)) {
				do {
					s[i] = s[i + 1];
					if (s[i].handle)
						*s[i].handle =
							KP_EVENTQ_SIDE_BIT |
							(uint32_t)(i + 1);
					i++;
				} while (i + 1 < len && s[i + 1].time <= clock);
				s[i].fn = vcpu_resume;
				s[i].data = 0;
			}
			struct kp_event *e = &s[i];
			e->time = clock;
			e->seq = q->next_seq++;
			e->arg = v;
			e->handle = &v->resume_handle;
			v->resume_handle = KP_EVENTQ_SIDE_BIT | (uint32_t)(i + 1);
			uint64_t nt = s[0].time;
			q->next_time = h && h->time < nt ? h->time : nt;
			goto hand_over;
		}
	}
	if (__builtin_expect(!c->stopped, 1))
		n = kp_eventq_yield_resume(
			&w->events, v->clock, vcpu_resume, v,
			&v->resume_handle,
			c->mode == KP_RUN_UNTIL ? c->until : UINT64_MAX, &t);
	if (__builtin_expect(!n, 0)) {
		if (!c->stopped) {
			vcpu_yield_events(w, v);
			return;
		}
		kp_eventq_push_resume(&w->events, v->clock, vcpu_resume, v, 0,
				      &v->resume_handle);
		kp_coro_switch(v->coro, &w->engine);
		return;
	}
hand_over:
	/* what the loop and vcpu_resume do around the event */
#ifdef KP_DEBUG
	if (w->ops && w->ops->check)
		w->ops->check(w);
#endif
	if (v->clock > w->reached)
		w->reached = v->clock;
	if (t > w->now)
		w->now = t;
	if (n->clock < w->now)
		n->clock = w->now;
	if (n == v)
		return; /* this CPU was the earliest after all */
	w->running = n;
	kp_coro_switch(v->coro, n->coro);
}

void kp_vcpu_yield(struct kp_vcpu *v)
{
	vcpu_yield(v->world, v);
}

/*
 * A probe's clock went past an earlier event: give way until @v is the
 * earliest again, then take a pending interrupt.  The probe's slow path
 * in one call, the yield inlined (CPUs taking turns come here at nearly
 * every probe).
 */
void kp_vcpu_catch_up(struct kp_vcpu *v)
{
	struct kp_world *w = v->world;
	while (kp_eventq_next_time(&w->events) < v->clock)
		vcpu_yield(w, v);
	if (v->irq_pending && !v->irqs_disabled)
		v->ops->take_irq(v);
}

void kp_vcpu_halt(struct kp_vcpu *v)
{
	v->halted = true;
	kp_coro_switch(v->coro, &v->world->engine);
}

void kp_vcpu_kick(struct kp_vcpu *v, uint64_t t)
{
	if (!v->halted)
		return;
	v->halted = false;
	if (t > v->clock) {
		v->idle_ns += t - v->clock;
		v->clock = t;
	}
	kp_eventq_push_resume(&v->world->events, v->clock, vcpu_resume, v, 0,
			      &v->resume_handle);
}

void kp_vcpu_start(struct kp_vcpu *v, struct kp_coro *first, uint64_t t)
{
	v->coro = first;
	v->clock = t;
	v->halted = false;
	kp_eventq_push_resume(&v->world->events, t, vcpu_resume, v, 0,
			      &v->resume_handle);
}

/* ---- breakpoints ---- */

int kp_break_add(struct kp_world *w, int probe, bool temporary,
		 char *cond_text, void *cond)
{
	if (w->nr_bps >= KP_MAX_BREAKPOINTS || probe < 0 ||
	    probe >= KP_NR_PROBES)
		return -1;
	struct kp_breakpoint *bp = &w->bps[w->nr_bps++];
	bp->number = w->next_bp_number++;
	bp->probe = (uint16_t)probe;
	bp->temporary = temporary;
	bp->enabled = true;
	bp->hits = 0;
	bp->cond_text = cond_text;
	bp->cond = cond;
	w->bp_count[probe]++;
	return bp->number;
}

struct kp_breakpoint *kp_break_find(struct kp_world *w, int number)
{
	for (int i = 0; i < w->nr_bps; i++)
		if (w->bps[i].number == number)
			return &w->bps[i];
	return NULL;
}

int kp_break_delete(struct kp_world *w, int number)
{
	struct kp_breakpoint *bp = kp_break_find(w, number);
	if (!bp)
		return -1;
	w->bp_count[bp->probe]--;
	free(bp->cond_text);
	if (bp->cond && w->dbg && w->dbg->cond_free)
		w->dbg->cond_free(bp->cond);
	size_t idx = (size_t)(bp - w->bps);
	memmove(bp, bp + 1, (size_t)(w->nr_bps - 1 - (int)idx) * sizeof(*bp));
	w->nr_bps--;
	return 0;
}

void kp_break_delete_all(struct kp_world *w)
{
	while (w->nr_bps)
		kp_break_delete(w, w->bps[0].number);
}
