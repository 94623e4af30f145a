/*
 * test_eventq.c - the event queue (heap plus the side array of CPU
 * resumes): the pop order is exactly (time, queue order) whichever way an
 * event was queued, cancels by handle work in both; the idle world's
 * time is the latest time a CPU reached.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/eventq.h"
#include "engine/prng.h"
#include "engine/probe.h"
#include "kp_test.h"
#include "sched/host.h"
#include "sched/sched.h"

static void nop_event(struct kp_world *w, void *arg, uint64_t data)
{
	(void)w;
	(void)arg;
	(void)data;
}

#define N_EV 4000

struct ref_ev {
	uint64_t time, order;
	bool cancelled, side;
	uint32_t handle;
};

static int ref_cmp(const void *a, const void *b)
{
	const struct ref_ev *x = *(struct ref_ev *const *)a;
	const struct ref_ev *y = *(struct ref_ev *const *)b;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

KP_TEST(side_and_heap_pop_in_time_then_queue_order)
{
	struct kp_eventq q;
	struct kp_prng p;
	struct ref_ev *ev = calloc(N_EV, sizeof(*ev));
	struct ref_ev **sorted = calloc(N_EV, sizeof(*sorted));
	kp_eventq_init(&q);
	kp_prng_seed(&p, 7);
	int n = 0, live = 0, side_live = 0;
	uint64_t now = 0;
	struct kp_event out;
	/* Interleave pushes (few distinct times: many ties), resumes (at
	 * most KP_EVENTQ_SIDE_MAX + 8 at once: some spill to the heap),
	 * cancels and pops, checking each pop against a sorted reference. */
	for (int step = 0; step < 3 * N_EV && n < N_EV; step++) {
		unsigned op = (unsigned)kp_prng_below(&p, 10);
		if (op < 4 || (op < 6 && side_live < KP_EVENTQ_SIDE_MAX + 8)) {
			struct ref_ev *e = &ev[n];
			e->time = now + kp_prng_below(&p, 8);
			e->order = (uint64_t)n;
			e->side = op >= 4;
			if (e->side) {
				kp_eventq_push_resume(&q, e->time, nop_event, e,
						      0, &e->handle);
				side_live++;
			} else {
				kp_eventq_push(&q, e->time, nop_event, e, 0,
					       &e->handle);
			}
			n++;
			live++;
		} else if (op < 7 && n) {
			struct ref_ev *e = &ev[kp_prng_below(&p, (uint64_t)n)];
			if (e->handle) {
				kp_eventq_cancel(&q, &e->handle);
				KP_CHECK_EQ(st, e->handle, 0);
				e->cancelled = true;
				live--;
				side_live -= e->side;
			}
		} else if (live) {
			int m = 0;
			for (int i = 0; i < n; i++)
				if (ev[i].handle)
					sorted[m++] = &ev[i];
			KP_CHECK_EQ(st, m, live);
			KP_CHECK_EQ(st, kp_eventq_len(&q), live);
			qsort(sorted, (size_t)m, sizeof(*sorted), ref_cmp);
			KP_CHECK_EQ(st, kp_eventq_next_time(&q), sorted[0]->time);
			KP_CHECK(st, kp_eventq_pop(&q, &out));
			KP_CHECK(st, out.arg == sorted[0]);
			KP_CHECK_EQ(st, sorted[0]->handle, 0);
			now = out.time;
			live--;
			side_live -= sorted[0]->side;
		}
	}
	while (live) {
		KP_CHECK(st, kp_eventq_pop(&q, &out));
		KP_CHECK(st, out.time >= now);
		now = out.time;
		live--;
	}
	KP_CHECK(st, !kp_eventq_pop(&q, &out));
	KP_CHECK_EQ(st, kp_eventq_next_time(&q), UINT64_MAX);
	kp_eventq_free(&q);
	free(sorted);
	free(ev);
}

KP_TEST(free_clears_handles_of_both_kinds)
{
	struct kp_eventq q;
	uint32_t a = 0, b = 0;
	kp_eventq_init(&q);
	kp_eventq_push(&q, 5, nop_event, NULL, 0, &a);
	kp_eventq_push_resume(&q, 3, nop_event, NULL, 0, &b);
	KP_CHECK(st, a && b);
	KP_CHECK_EQ(st, kp_eventq_next_time(&q), 3);
	kp_eventq_free(&q);
	KP_CHECK_EQ(st, a, 0);
	KP_CHECK_EQ(st, b, 0);
}

/* ---- the idle world's time ---- */

static void teardown_hosts(struct kp_world *w)
{
	for (int i = 0; i < w->nr_hosts; i++)
		kp_host_destroy(w->hosts[i]);
	w->nr_hosts = 0;
}

static const struct kp_world_ops test_world_ops = {
	.teardown = teardown_hosts,
};

static int busy_initcall(void)
{
	/* probes with nothing else queued: the CPU's clock runs ahead of
	 * the last event's time */
	for (int i = 0; i < 1000; i++)
		cond_resched();
	return 0;
}

KP_TEST(idle_time_is_latest_cpu_clock)
{
	const struct kp_initcall calls[] = {
		{ KP_INITCALL_LATE, "busy", busy_initcall },
	};
	struct kp_world *w = calloc(1, sizeof(*w));
	kp_world_init(w, 1, 12);
	w->ops = &test_world_ops;
	struct kp_host_config cfg = { .name = "h", .nr_cpus = 2,
				      .initcalls = calls, .nr_initcalls = 1 };
	struct kp_host *h = kp_host_create(w, &cfg);
	kp_host_power_on(h, 0);
	kp_world_set_mode(w, KP_RUN_CONTINUE, 0);
	KP_CHECK_EQ(st, kp_world_run(w), KP_STOP_IDLE);
	uint64_t latest = 0;
	for (int i = 0; i < h->nr_cpus; i++)
		if (h->cpus[i]->v.clock > latest)
			latest = h->cpus[i]->v.clock;
	KP_CHECK(st, latest > w->now);
	KP_CHECK_EQ(st, kp_world_time_reached(w), latest);
	kp_world_destroy(w);
	free(w);
}

/* A resume queued with a sequence number taken earlier (a CPU that ran
 * device events itself first) goes before events queued since at the
 * same time; events earlier than the heap's head (the near array, more
 * of them than it holds) still pop in (time, queue order) and cancel. */
KP_TEST(early_seq_and_near_events_keep_their_order)
{
	struct kp_eventq q;
	struct kp_event out;
	uint32_t h[10] = { 0 };
	kp_eventq_init(&q);
	kp_eventq_push(&q, 100, nop_event, (void *)100, 0, &h[0]);
	uint64_t early = kp_eventq_take_seq(&q);
	kp_eventq_push(&q, 10, nop_event, (void *)11, 0, &h[1]);
	KP_CHECK_EQ(st, kp_eventq_push_resume_seq(&q, 10, early, nop_event,
						  (void *)10, 0, &h[2]),
		    0);
	/* six more, latest first, each before the heap's head: the near
	 * array fills and gives its latest to the heap */
	for (int i = 0; i < 6; i++)
		kp_eventq_push(&q, (uint64_t)(60 - 10 * i), nop_event,
			       (void *)(uintptr_t)(60 - 10 * i), 0,
			       &h[3 + i]);
	/* cancel t=40 (pushed third of the six) */
	kp_eventq_cancel(&q, &h[5]);
	KP_CHECK_EQ(st, h[5], 0);
	KP_CHECK_EQ(st, kp_eventq_len(&q), 8);
	KP_CHECK_EQ(st, kp_eventq_next_time(&q), 10);
	const uintptr_t want[] = { 10, 11, 10, 20, 30, 50, 60, 100 };
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		KP_CHECK(st, kp_eventq_pop(&q, &out));
		KP_CHECK_EQ(st, (uintptr_t)out.arg, want[i]);
	}
	KP_CHECK(st, !kp_eventq_pop(&q, &out));
	for (int i = 0; i < 10; i++)
		KP_CHECK_EQ(st, h[i], 0);
	kp_eventq_free(&q);
}

KP_TEST_MAIN(side_and_heap_pop_in_time_then_queue_order,
	     free_clears_handles_of_both_kinds, idle_time_is_latest_cpu_clock,
	     early_seq_and_near_events_keep_their_order)
