/*
 * bench_rx.c - udp_rx_pps: UDP receive through the whole emulated path,
 * in emulated frames per wall-clock second.
 *
 * The default world (client, server, igb eth0 with two queues), a
 * blocking reader (`udp-server`) on server port 7000, and RX_FRAMES UDP
 * frames injected on server's wire at RX_RATE frames per emulated second
 * - a rate the emulated server sustains, so every frame goes NIC > DMA >
 * MSI-X > NAPI > GRO > ip_rcv > udp_rcv > socket > recvfrom and none is
 * missed or dropped.  Frames are injected RX_BATCH at a time, each batch
 * run to the end before the next, so memory stays small.  The trace ring
 * is on (the default 65536 records), as in interactive use.  Boot and
 * starting the reader are not timed.  The median of KP_BENCH_RUNS runs.
 *
 * The reader is `udp-server -q`: it prints nothing per datagram, so the
 * figure is the receive path, not the console (printing every datagram
 * costs about 6,500 instructions a frame, formatted twice).
 *
 * Measured (2026-11, 2 shared cores): ~320,000 frames/s, target 1,000,000.
 * Per frame: ~50 step points, ~9 CPU yields, ~27,000 instructions
 * (callgrind) before the perf work of wave 2; after it ~21,500 with a
 * printing reader and ~15,000 with -q.  What went: the event heap for
 * CPU resumes (a side array now), the probes' reloads, the bitwise
 * Toeplitz hash (a table), malloc per console line.  Left: the probes
 * (~20%), the heap for wire/DMA events, malloc/free of skbs (~5%).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "ui/out.h"
#include "ui/session.h"

#define RX_FRAMES 200000
#define RX_BATCH 100
#define RX_RATE 200000

struct rx_bench {
	struct kp_strbuf sb;
	struct kp_out out;
	struct kp_session *s;
	int errors;
};

static const char *rx_exec(struct rx_bench *b, const char *line)
{
	kp_strbuf_reset(&b->sb);
	if (kp_session_exec(b->s, line) < 0) {
		fprintf(stderr, "udp_rx_pps: '%s' failed: %s", line,
			kp_strbuf_str(&b->sb));
		b->errors++;
	}
	return kp_strbuf_str(&b->sb);
}

/* A value as `print` shows it ("NAME = N"), or -1. */
static long long rx_value(struct rx_bench *b, const char *path)
{
	char line[128];
	snprintf(line, sizeof(line), "print %s", path);
	const char *o = rx_exec(b, line);
	const char *eq = strstr(o, " = ");
	return eq ? strtoll(eq + 3, NULL, 10) : -1;
}

/* Frames per wall second of one run, or 0 if the run went wrong. */
static double udp_rx_run(void)
{
	struct rx_bench b = { .errors = 0 };
	struct kp_world_config cfg;
	char inject[160];
	kp_world_config_default(&cfg);
	kp_strbuf_init(&b.sb);
	kp_out_init_strbuf(&b.out, &b.sb);
	b.s = kp_session_new(&cfg, &b.out);
	if (!b.s) {
		kp_strbuf_free(&b.sb);
		return 0;
	}
	b.s->batch = true;
	rx_exec(&b, "run udp-server -q 7000 on server");
	snprintf(inject, sizeof(inject),
		 "inject server udp 10.0.0.1:4000 > 10.0.0.2:7000 len 18 "
		 "count %d rate %d",
		 RX_BATCH, RX_RATE);

	uint64_t t0 = kp_bench_now_ns();
	for (int i = 0; i < RX_FRAMES / RX_BATCH && !b.errors; i++) {
		rx_exec(&b, inject);
		rx_exec(&b, "continue");
	}
	uint64_t ns = kp_bench_now_ns() - t0;

	/* every frame must have gone the whole way */
	long long delivered = rx_value(&b, "server.nstat.UdpInDatagrams");
	long long missed = rx_value(&b, "server.ethtool.eth0.rx_missed_errors");
	long long alive = rx_value(&b, "server.skbs.alive");
	if (delivered != RX_FRAMES || missed != 0 || alive != 0) {
		fprintf(stderr,
			"udp_rx_pps: %lld of %d frames delivered, %lld missed, "
			"%lld skbs alive\n",
			delivered, RX_FRAMES, missed, alive);
		b.errors++;
	}
	kp_session_free(b.s);
	kp_strbuf_free(&b.sb);
	if (b.errors || !ns)
		return 0;
	return (double)RX_FRAMES * 1e9 / (double)ns;
}

void bench_udp_rx(const struct kp_bench_ctx *ctx)
{
	(void)ctx;
	double v[KP_BENCH_RUNS];
	for (int r = 0; r < KP_BENCH_RUNS; r++)
		v[r] = udp_rx_run();
	kp_bench_report("udp_rx_pps", kp_bench_median(v, KP_BENCH_RUNS),
			"frames/s");
}
