/*
 * bench_tx.c - udp_xhost_pps: UDP across two emulated hosts, in
 * datagrams per wall-clock second.
 *
 * The default world; `udp-server 7000` (blocking recvfrom loop) on
 * server, then `udp-client 10.0.0.2:7000 TX_DGRAMS 18 TX_GAP_US
 * TX_BURST` on client: each
 * datagram goes sendto -> udp_sendmsg -> ip_make_skb -> udp_send_skb ->
 * IP output -> neighbour -> qdisc -> igb TX ring -> wire -> the server's
 * igb RX -> NAPI -> ip_rcv -> udp_rcv -> socket -> recvfrom, and its TX
 * completion frees the skb on the client (sock_wfree).  Boot and the
 * server's start are not timed; the timed run ends when the world is
 * idle.  The trace ring is on (the default 65536 records).  Every
 * datagram must arrive.  The median of KP_BENCH_RUNS runs.  The server
 * runs with -q, as in udp_rx_pps: printing each datagram cost ~7,000
 * instructions of console formatting per datagram, not stack.
 *
 * Session 4 (callgrind, instructions per datagram): 36,000 -> 25,300
 * (-q: -7,000; direct CPU hand-over and cheaper yields: -3,000; caches,
 * probe records).  Left: ~112 step points a datagram on two hosts, with
 * ~23 yields (four CPUs busy at once take turns at nearly every probe).
 *
 * Session 4, second round (boot subtracted): 24,180 -> 22,700: cheaper
 * hand-overs (~170 -> ~90 instructions, see bench_rx.c; -1,000), the
 * NIC's DMA buffers reused (-380), heap sifts from the hole (-110).
 * Left: ~26 hand-overs a datagram, ~3 of them through the run loop to a
 * device event; the event heap (~7%).
 */
#include <stdio.h>

#include "bench.h"

#define TX_DGRAMS 50000
/* 200,000 datagrams per emulated second, a rate the server's udp-server
 * keeps up with (unpaced, its socket overflows and about half is dropped,
 * UdpRcvbufErrors, as on a real pair), in bursts of 32 with a 160 us
 * nanosleep after each, the way iperf3 -u's pacing timer sends what is
 * due at each tick.  Session 7 (callgrind, instructions per datagram):
 * a nanosleep after every datagram (TX_BURST 1, TX_GAP_US 5) costs
 * 19,700, bursts of 16 16,350, of 32 15,400, of 64 16,150, of 128
 * 18,000 (longer socket queues).  The sleep's own step points (hrtimer,
 * the timer interrupt, the idle task and the wakeup, ~20) and the
 * interleaving of a sender and a receiver busy at the same time are
 * most of the difference; a burst lets the server read without
 * sleeping between datagrams. */
#define TX_GAP_US 160
#define TX_BURST 32

static double udp_xhost_run(long dgrams)
{
	struct kp_bench_world b;
	if (kp_bench_world_open(&b, "udp_xhost_pps") < 0)
		return 0;
	kp_bench_exec(&b, "run udp-server -q 7000 0 on server");

	uint64_t t0 = kp_bench_now_ns();
	kp_bench_exec(&b, "run udp-client 10.0.0.2:7000 %ld 18 %d %d on client",
		      dgrams, TX_GAP_US, TX_BURST);
	uint64_t ns = kp_bench_now_ns() - t0;

	long long sent = kp_bench_value(&b, "client.nstat.UdpOutDatagrams");
	long long got = kp_bench_value(&b, "server.nstat.UdpInDatagrams");
	long long alive = kp_bench_value(&b, "client.skbs.alive");
	if (sent != dgrams || got != dgrams || alive != 0) {
		fprintf(stderr,
			"udp_xhost_pps: %lld sent, %lld of %ld received, %lld "
			"skbs alive on client\n",
			sent, got, dgrams, alive);
		b.errors++;
	}
	return kp_bench_world_rate(&b, (double)dgrams, ns);
}

void bench_udp_xhost(const struct kp_bench_ctx *ctx)
{
	(void)ctx;
	double v[KP_BENCH_RUNS_MAX];
	int runs = kp_bench_runs();
	long dgrams = kp_bench_scaled(TX_DGRAMS);
	for (int r = 0; r < runs; r++)
		v[r] = udp_xhost_run(dgrams);
	kp_bench_report("udp_xhost_pps", kp_bench_median(v, runs),
			"datagrams/s");
}
