/*
 * bench_tcp.c - TCP through both emulated stacks, trace ring on:
 *
 * tcp_bulk_bps: `tcp-bulk-send` on client writes TCP_BULK_BYTES to
 * `tcp-bulk-recv` on server over the default 1 Gbit/s link (handshake,
 * slow start, delayed ACKs, FIN) - emulated payload bits per wall
 * second.  Boot and the listener are not timed; the run ends when the
 * world is idle (the TIME_WAIT timer included).  The receiver must
 * report every byte.
 *
 * tcp_echo_1k_rps: `reactor-single` (one epoll task) on server, and
 * `tcp-echo-load` on client with TCP_ECHO_CONNS connections, each doing
 * TCP_ECHO_REQS round trips of 64 bytes - requests per wall second.
 * Only the request phase is timed: the load program sleeps 1 us before
 * and after it, and a breakpoint on sys_nanosleep stops there.
 *
 * The medians of KP_BENCH_RUNS runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define TCP_BULK_BYTES 20000000L
#define TCP_ECHO_CONNS 1000
#define TCP_ECHO_REQS 20L

static double tcp_bulk_run(long bytes)
{
	struct kp_bench_world b;
	char want[96];
	if (kp_bench_world_open(&b, "tcp_bulk_bps") < 0)
		return 0;
	kp_bench_exec(&b, "run tcp-bulk-recv 5001 on server");
	uint64_t t0 = kp_bench_now_ns();
	const char *o = kp_bench_exec(
		&b, "run tcp-bulk-send 10.0.0.2 5001 %ld on client", bytes);
	uint64_t ns = kp_bench_now_ns() - t0;
	snprintf(want, sizeof(want), "tcp-bulk-recv: %ld bytes in", bytes);
	kp_bench_want(&b, o, want, "the transfer went wrong");
	return kp_bench_world_rate(&b, (double)bytes * 8, ns);
}

void bench_tcp_bulk(const struct kp_bench_ctx *ctx)
{
	(void)ctx;
	double v[KP_BENCH_RUNS_MAX];
	int runs = kp_bench_runs();
	long bytes = kp_bench_scaled(TCP_BULK_BYTES);
	for (int r = 0; r < runs; r++)
		v[r] = tcp_bulk_run(bytes);
	kp_bench_report("tcp_bulk_bps", kp_bench_median(v, runs), "bit/s");
}

static double tcp_echo_run(long reqs)
{
	struct kp_bench_world b;
	char want[96];
	if (kp_bench_world_open(&b, "tcp_echo_1k_rps") < 0)
		return 0;
	kp_bench_exec(&b, "run reactor-single 7000 0 on server");
	kp_bench_exec(&b, "break sys_nanosleep");
	/* connects, then stops at the mark before the requests */
	kp_bench_exec(&b, "run tcp-echo-load 10.0.0.2 7000 %d %ld on client",
		      TCP_ECHO_CONNS, reqs);
	uint64_t t0 = kp_bench_now_ns();
	const char *o = kp_bench_exec(&b, "continue");
	uint64_t ns = kp_bench_now_ns() - t0;
	kp_bench_want(&b, o, "Breakpoint 1, sys_nanosleep",
		      "no stop after the requests");
	kp_bench_exec(&b, "delete");
	o = kp_bench_exec(&b, "continue");
	snprintf(want, sizeof(want), "tcp-echo-load: %ld requests on %d "
				     "connections",
		 reqs * TCP_ECHO_CONNS, TCP_ECHO_CONNS);
	kp_bench_want(&b, o, want, "the load went wrong");
	return kp_bench_world_rate(&b, (double)(reqs * TCP_ECHO_CONNS), ns);
}

void bench_tcp_echo(const struct kp_bench_ctx *ctx)
{
	(void)ctx;
	double v[KP_BENCH_RUNS_MAX];
	int runs = kp_bench_runs();
	long reqs = kp_bench_scaled(TCP_ECHO_REQS);
	for (int r = 0; r < runs; r++)
		v[r] = tcp_echo_run(reqs);
	kp_bench_report("tcp_echo_1k_rps", kp_bench_median(v, runs), "req/s");
}
