/*
 * test_engine.c - the engine's own pieces: event heap order and ties,
 * cancellation, coroutine switches and nesting, PRNG determinism, the
 * trace ring, object ids.
 */
#include <stdint.h>

#include "engine/coro.h"
#include "engine/eventq.h"
#include "engine/ids.h"
#include "engine/prng.h"
#include "engine/probe.h"
#include "engine/trace.h"
#include "kp_test.h"

struct order_log {
	int seen[64];
	int n;
};

static void log_event(struct kp_world *w, void *arg, uint64_t data)
{
	(void)w;
	struct order_log *log = arg;
	log->seen[log->n++] = (int)data;
}

KP_TEST(eventq_orders_by_time_then_queue_order)
{
	struct kp_eventq q;
	struct order_log log = { .n = 0 };
	kp_eventq_init(&q);
	kp_eventq_push(&q, 30, log_event, &log, 1, NULL);
	kp_eventq_push(&q, 10, log_event, &log, 2, NULL);
	kp_eventq_push(&q, 20, log_event, &log, 3, NULL);
	kp_eventq_push(&q, 10, log_event, &log, 4, NULL); /* tie with 2 */
	kp_eventq_push(&q, 10, log_event, &log, 5, NULL); /* tie with 2, 4 */
	struct kp_event ev;
	while (kp_eventq_pop(&q, &ev))
		ev.fn(NULL, ev.arg, ev.data);
	int want[] = { 2, 4, 5, 3, 1 };
	KP_CHECK_EQ(st, log.n, 5);
	for (int i = 0; i < 5; i++)
		KP_CHECK_EQ(st, log.seen[i], want[i]);
	kp_eventq_free(&q);
}

KP_TEST(eventq_cancel_removes_only_that_event)
{
	struct kp_eventq q;
	struct order_log log = { .n = 0 };
	uint32_t handles[40] = { 0 };
	kp_eventq_init(&q);
	/* Pseudo-random times, many of them equal. */
	for (int i = 0; i < 40; i++)
		kp_eventq_push(&q, (uint64_t)((i * 7919) % 13), log_event, &log,
			       (uint64_t)i, &handles[i]);
	for (int i = 0; i < 40; i += 3)
		kp_eventq_cancel(&q, &handles[i]);
	for (int i = 0; i < 40; i += 3)
		KP_CHECK_EQ(st, handles[i], 0);
	uint64_t last_time = 0;
	struct kp_event ev;
	int count = 0;
	while (kp_eventq_pop(&q, &ev)) {
		KP_CHECK(st, ev.time >= last_time);
		KP_CHECK(st, ev.data % 3 != 0);
		last_time = ev.time;
		count++;
	}
	KP_CHECK_EQ(st, count, 40 - 14);
	for (int i = 0; i < 40; i++)
		KP_CHECK_EQ(st, handles[i], 0);
	kp_eventq_free(&q);
}

KP_TEST(eventq_many_events_stay_sorted)
{
	struct kp_eventq q;
	struct kp_prng p;
	kp_eventq_init(&q);
	kp_prng_seed(&p, 7);
	for (int i = 0; i < 10000; i++)
		kp_eventq_push(&q, kp_prng_below(&p, 1000), log_event, NULL,
			       (uint64_t)i, NULL);
	struct kp_event prev = { 0 }, ev;
	bool first = true;
	int n = 0;
	while (kp_eventq_pop(&q, &ev)) {
		if (!first)
			KP_CHECK(st, prev.time < ev.time ||
					     (prev.time == ev.time &&
					      prev.seq < ev.seq));
		prev = ev;
		first = false;
		n++;
	}
	KP_CHECK_EQ(st, n, 10000);
	kp_eventq_free(&q);
}

/* ---- coroutines ---- */

struct ping {
	struct kp_coro main, a, b;
	int trail[16];
	int n;
	struct kp_thread_info *seen_ti;
};

static void coro_b(void *arg)
{
	struct ping *p = arg;
	p->trail[p->n++] = 2;
	kp_coro_switch(&p->b, &p->a); /* back into a, which is nested */
	p->trail[p->n++] = 4;
	kp_coro_switch(&p->b, &p->main);
	for (;;)
		kp_coro_switch(&p->b, &p->main);
}

static int deep(struct ping *p, int n)
{
	/* Use stack so a broken switch would corrupt it. */
	volatile char pad[512];
	pad[0] = (char)n;
	if (n == 0) {
		kp_coro_switch(&p->a, &p->b);
		return pad[0];
	}
	return deep(p, n - 1) + pad[0];
}

static void coro_a(void *arg)
{
	struct ping *p = arg;
	p->seen_ti = kp_current_thread_info();
	p->trail[p->n++] = 1;
	int sum = deep(p, 20); /* switches to b from 20 frames deep */
	p->trail[p->n++] = sum == 210 ? 3 : -1;
	kp_coro_switch(&p->a, &p->b);
	for (;;)
		kp_coro_switch(&p->a, &p->main);
}

KP_TEST(coro_switch_and_nesting)
{
	struct ping p = { .n = 0 };
	kp_coro_init_main(&p.main);
	KP_CHECK_EQ(st, kp_coro_init(&p.a, coro_a, &p), 0);
	KP_CHECK_EQ(st, kp_coro_init(&p.b, coro_b, &p), 0);
	kp_coro_switch(&p.main, &p.a);
	int want[] = { 1, 2, 3, 4 };
	KP_CHECK_EQ(st, p.n, 4);
	for (int i = 0; i < 4; i++)
		KP_CHECK_EQ(st, p.trail[i], want[i]);
	/* thread_info is found from the stack pointer */
	KP_CHECK(st, p.seen_ti == kp_coro_thread_info(&p.a));
	KP_CHECK_EQ(st, (uintptr_t)p.a.stack % KP_STACK_SIZE, 0);
	kp_coro_free(&p.a);
	kp_coro_free(&p.b);
}

KP_TEST(prng_is_deterministic_per_seed)
{
	struct kp_prng a, b, c;
	kp_prng_seed(&a, 42);
	kp_prng_seed(&b, 42);
	kp_prng_seed(&c, 43);
	int differ = 0;
	for (int i = 0; i < 100; i++) {
		uint64_t x = kp_prng_next(&a);
		KP_CHECK_EQ(st, x, kp_prng_next(&b));
		differ += x != kp_prng_next(&c);
		KP_CHECK(st, kp_prng_below(&a, 10) < 10);
		kp_prng_next(&b);
	}
	KP_CHECK(st, differ > 90);
}

KP_TEST(trace_ring_keeps_the_last_records)
{
	struct kp_trace t = { 0 };
	KP_CHECK_EQ(st, kp_trace_init(&t, 4), 0); /* 16 records */
	for (int i = 0; i < 40; i++)
		kp_trace_append(&t)->arg = (uint64_t)i;
	KP_CHECK_EQ(st, t.seq, 40);
	KP_CHECK_EQ(st, kp_trace_available(&t), 16);
	KP_CHECK(st, kp_trace_get(&t, 23) == NULL);
	KP_CHECK(st, kp_trace_get(&t, 40) == NULL);
	KP_CHECK_EQ(st, kp_trace_get(&t, 24)->arg, 24);
	KP_CHECK_EQ(st, kp_trace_get(&t, 39)->seq, 39);
	KP_CHECK_EQ(st, kp_trace_init(&t, 2), -22);
	kp_trace_free(&t);
}

KP_TEST(object_ids_parse_and_count)
{
	struct kp_ids ids = { { 0 } };
	struct kp_obj a, b, c;
	kp_obj_assign(&ids, &a, KP_OBJ_SKB);
	kp_obj_assign(&ids, &b, KP_OBJ_SKB);
	kp_obj_assign(&ids, &c, KP_OBJ_SOCK);
	KP_CHECK_EQ(st, a.id, 1);
	KP_CHECK_EQ(st, b.id, 2);
	KP_CHECK_EQ(st, c.id, 1);
	enum kp_obj_kind kind;
	uint32_t id;
	KP_CHECK_EQ(st, kp_obj_parse("skb#42", &kind, &id), 0);
	KP_CHECK_EQ(st, kind, KP_OBJ_SKB);
	KP_CHECK_EQ(st, id, 42);
	KP_CHECK_EQ(st, kp_obj_parse("sk#3", &kind, &id), 0);
	KP_CHECK_EQ(st, kind, KP_OBJ_SOCK);
	KP_CHECK(st, kp_obj_parse("skb#", &kind, &id) < 0);
	KP_CHECK(st, kp_obj_parse("bogus#1", &kind, &id) < 0);
	KP_CHECK(st, kp_obj_parse("skb#0", &kind, &id) < 0);
}

KP_TEST(probe_catalogue_is_consistent)
{
	KP_CHECK(st, kp_probe_lookup("schedule") >= 0);
	KP_CHECK(st, kp_probe_lookup("no_such_function") < 0);
	for (int i = 0; i < KP_NR_PROBES; i++) {
		KP_CHECK(st, kp_probes[i].name && kp_probes[i].file &&
				     kp_probes[i].desc);
		KP_CHECK_EQ(st, kp_probe_lookup(kp_probes[i].name), i);
	}
}

KP_TEST_MAIN(eventq_orders_by_time_then_queue_order,
	     eventq_cancel_removes_only_that_event,
	     eventq_many_events_stay_sorted, coro_switch_and_nesting,
	     prng_is_deterministic_per_seed, trace_ring_keeps_the_last_records,
	     object_ids_parse_and_count, probe_catalogue_is_consistent)
