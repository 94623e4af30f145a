/*
 * bench_engine.c - probe_ns, switch_ns, event_ns, boot_ms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "engine/coro.h"
#include "engine/eventq.h"
#include "engine/prng.h"
#include "engine/probe.h"
#include "sched/host.h"
#include "sched/sched.h"

/* ---- probe_ns: cond_resched() in a loop on an emulated CPU ---- */

#define PROBE_LOOPS 20000000

static double probe_result_ns;

static int probe_loop(void)
{
	uint64_t t0 = kp_bench_now_ns();
	for (int i = 0; i < PROBE_LOOPS; i++)
		cond_resched();
	probe_result_ns = (double)(kp_bench_now_ns() - t0) / PROBE_LOOPS;
	return 0;
}

static void teardown(struct kp_world *w)
{
	for (int i = 0; i < w->nr_hosts; i++)
		kp_host_destroy(w->hosts[i]);
}

static const struct kp_world_ops bench_ops = { .teardown = teardown };

void bench_probe(const struct kp_bench_ctx *ctx)
{
	(void)ctx;
	const struct kp_initcall calls[] = {
		{ KP_INITCALL_LATE, "probe_loop", probe_loop },
	};
	double v[KP_BENCH_RUNS];
	for (int r = 0; r < KP_BENCH_RUNS; r++) {
		struct kp_world w;
		kp_world_init(&w, 1, 16);
		w.ops = &bench_ops;
		struct kp_host_config cfg = { .name = "bench", .nr_cpus = 1,
					      .initcalls = calls,
					      .nr_initcalls = 1 };
		kp_host_power_on(kp_host_create(&w, &cfg), 0);
		kp_world_set_mode(&w, KP_RUN_CONTINUE, 0);
		kp_world_run(&w);
		v[r] = probe_result_ns;
		kp_world_destroy(&w);
	}
	kp_bench_report("probe_ns", kp_bench_median(v, KP_BENCH_RUNS), "ns");
}

/* ---- switch_ns: two coroutines ping-pong ---- */

#define SWITCHES 10000000

struct pingpong {
	struct kp_coro main, a, b;
	long left;
};

static void pong(void *arg)
{
	struct pingpong *p = arg;
	for (;;) {
		if (--p->left <= 0)
			kp_coro_switch(&p->b, &p->main);
		kp_coro_switch(&p->b, &p->a);
	}
}

static void ping(void *arg)
{
	struct pingpong *p = arg;
	for (;;)
		kp_coro_switch(&p->a, &p->b);
}

void bench_switch(const struct kp_bench_ctx *ctx)
{
	(void)ctx;
	double v[KP_BENCH_RUNS];
	for (int r = 0; r < KP_BENCH_RUNS; r++) {
		struct pingpong p = { .left = SWITCHES / 2 };
		kp_coro_init_main(&p.main);
		kp_coro_init(&p.a, ping, &p);
		kp_coro_init(&p.b, pong, &p);
		uint64_t t0 = kp_bench_now_ns();
		kp_coro_switch(&p.main, &p.a);
		v[r] = (double)(kp_bench_now_ns() - t0) / SWITCHES;
		kp_coro_free(&p.a);
		kp_coro_free(&p.b);
	}
	kp_bench_report("switch_ns", kp_bench_median(v, KP_BENCH_RUNS), "ns");
}

/* ---- event_ns: push + pop with 10,000 queued ---- */

static void nop_event(struct kp_world *w, void *arg, uint64_t data)
{
	(void)w;
	(void)arg;
	(void)data;
}

void bench_event(const struct kp_bench_ctx *ctx)
{
	(void)ctx;
	const int queued = 10000, ops = 2000000;
	double v[KP_BENCH_RUNS];
	for (int r = 0; r < KP_BENCH_RUNS; r++) {
		struct kp_eventq q;
		struct kp_prng p;
		struct kp_event ev;
		kp_eventq_init(&q);
		kp_prng_seed(&p, 3);
		uint64_t *delta = malloc((size_t)ops * sizeof(*delta));
		for (int i = 0; i < queued; i++)
			kp_eventq_push(&q, kp_prng_below(&p, 1000000), nop_event,
				       NULL, 0, NULL);
		/* draw the times first: the PRNG is not what is measured */
		for (int i = 0; i < ops; i++)
			delta[i] = kp_prng_below(&p, 1000000);
		uint64_t t0 = kp_bench_now_ns();
		for (int i = 0; i < ops; i++) {
			kp_eventq_pop(&q, &ev);
			kp_eventq_push(&q, ev.time + delta[i], nop_event, NULL,
				       0, NULL);
		}
		v[r] = (double)(kp_bench_now_ns() - t0) / ops;
		free(delta);
		kp_eventq_free(&q);
	}
	kp_bench_report("event_ns", kp_bench_median(v, KP_BENCH_RUNS), "ns");
}

/* ---- boot_ms: `kpath --batch -c quit` wall time ---- */

void bench_boot(const struct kp_bench_ctx *ctx)
{
	double v[KP_BENCH_RUNS * 2 + 1];
	int n = KP_BENCH_RUNS * 2 + 1;
	for (int r = 0; r < n; r++) {
		uint64_t t0 = kp_bench_now_ns();
		pid_t pid = fork();
		if (pid == 0) {
			if (!freopen("/dev/null", "w", stdout))
				_exit(127);
			execl(ctx->kpath, ctx->kpath, "--batch", "-c", "quit",
			      (char *)NULL);
			_exit(127);
		}
		int status = 0;
		waitpid(pid, &status, 0);
		v[r] = (double)(kp_bench_now_ns() - t0) / 1e6;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "bench: %s --batch -c quit failed\n",
				ctx->kpath);
			return;
		}
	}
	kp_bench_report("boot_ms", kp_bench_median(v, n), "ms");
}
