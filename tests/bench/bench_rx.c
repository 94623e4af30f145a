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
 * Toeplitz hash (a table), malloc per console line.
 *
 * Session 4 (callgrind, instructions per frame, 20,000 frames):
 * 16,400 -> 11,100: yields hand the CPU over directly and skip the stop
 * checks nobody asked for (-1,000), 1,000 frames per inject command
 * instead of 100 (command dispatch costs ~200,000 instructions a line:
 * -1,800), skb and wire-frame caches (-1,100), one wire event per port
 * instead of one per frame, the probe record built once (-500), the
 * NIC's checksum 8 bytes a step.  Left: probes (~27%: ~55 instructions
 * each), yields (~7 a frame, ~170 instructions each), the stack itself.
 *
 * Session 4, second round (boot subtracted): 10,690 -> 10,210.  A
 * hand-over between two busy CPUs went from ~170 to ~90 instructions
 * (kp_eventq_yield_resume inline and in place, the probe's slow path one
 * call with the yield inlined, the coroutine switch inline): -330; the
 * NIC's DMA operations reuse their buffers instead of malloc/free: -100;
 * the event heap sifts from the hole (no parking copy): -60.
 * The number of hand-overs (~8.3 a frame) is what the order of the run
 * asks for: the softirq CPU and the reader's CPU overlap in virtual time
 * and a CPU runs exactly until its clock passes the other's, so every
 * hand-over puts two records of different CPUs in time order.  Also left:
 * `inject` building and checksumming each frame (src/ui, src/capture:
 * ~650 a frame).
 *
 * Session 5 (callgrind, SCALE=10 minus SCALE=100, instructions a frame,
 * every trace byte-identical): 9,908 -> ~8,740.  A CPU that gives way
 * to a device event runs it itself instead of switching to the run
 * loop and back (-70); the thread_info from the stack pointer, not the
 * frame address (-120); the probe written for few live registers, its
 * slow path finding its own thread (-550); a "near" array in front of
 * the event heap for the device events (-120); the return's stop flag
 * through thread_info->world (-140); the common hand-over written out
 * in place, the RSS hash of the last flow kept, the NIC checksum with
 * end-around carries, kp_probe_hw storing whole words (-200).  Left:
 * ~49 probes a frame (~50 instructions each plus ~6 at the return),
 * ~7 hand-overs (~100 each with the switch), routing (fib_table_lookup
 * twice a frame, ~350), inject (~600).
 */
#include <stdio.h>

#include "bench.h"

#define RX_FRAMES 200000
#define RX_BATCH 1000
#define RX_RATE 200000

/* Frames per wall second of one run, or 0 if the run went wrong. */
static double udp_rx_run(long frames)
{
	struct kp_bench_world b;
	if (kp_bench_world_open(&b, "udp_rx_pps") < 0)
		return 0;
	kp_bench_exec(&b, "run udp-server -q 7000 on server");

	uint64_t t0 = kp_bench_now_ns();
	for (long i = 0; i < frames / RX_BATCH && !b.errors; i++) {
		kp_bench_exec(&b,
			      "inject server udp 10.0.0.1:4000 > "
			      "10.0.0.2:7000 len 18 count %d rate %d",
			      RX_BATCH, RX_RATE);
		kp_bench_exec(&b, "continue");
	}
	uint64_t ns = kp_bench_now_ns() - t0;

	/* every frame must have gone the whole way */
	long long delivered = kp_bench_value(&b, "server.nstat.UdpInDatagrams");
	long long missed =
		kp_bench_value(&b, "server.ethtool.eth0.rx_missed_errors");
	long long alive = kp_bench_value(&b, "server.skbs.alive");
	if (delivered != frames || missed != 0 || alive != 0) {
		fprintf(stderr,
			"udp_rx_pps: %lld of %ld frames delivered, %lld missed, "
			"%lld skbs alive\n",
			delivered, frames, missed, alive);
		b.errors++;
	}
	return kp_bench_world_rate(&b, (double)frames, ns);
}

void bench_udp_rx(const struct kp_bench_ctx *ctx)
{
	(void)ctx;
	double v[KP_BENCH_RUNS_MAX];
	int runs = kp_bench_runs();
	/* whole batches */
	long frames = kp_bench_scaled(RX_FRAMES / RX_BATCH) * RX_BATCH;
	for (int r = 0; r < runs; r++)
		v[r] = udp_rx_run(frames);
	kp_bench_report("udp_rx_pps", kp_bench_median(v, runs), "frames/s");
}
