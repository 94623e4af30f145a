/*
 * bench_tx.c - udp_xhost_pps: UDP across two emulated hosts, in
 * datagrams per wall-clock second.
 *
 * The default world; `udp-server 7000` (blocking recvfrom loop) on
 * server, then `udp-client 10.0.0.2:7000 TX_DGRAMS 18 TX_GAP_US` on
 * client: each
 * datagram goes sendto -> udp_sendmsg -> ip_make_skb -> udp_send_skb ->
 * IP output -> neighbour -> qdisc -> igb TX ring -> wire -> the server's
 * igb RX -> NAPI -> ip_rcv -> udp_rcv -> socket -> recvfrom, and its TX
 * completion frees the skb on the client (sock_wfree).  Boot and the
 * server's start are not timed; the timed run ends when the world is
 * idle.  The trace ring is on (the default 65536 records).  Every
 * datagram must arrive.  The median of KP_BENCH_RUNS runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "ui/out.h"
#include "ui/session.h"

#define TX_DGRAMS 50000
/* 5 us apart (200,000 datagrams per emulated second): a rate the
 * server's udp-server keeps up with; unpaced, its socket overflows and
 * about half is dropped (UdpRcvbufErrors), as on a real pair. */
#define TX_GAP_US 5

struct tx_bench {
	struct kp_strbuf sb;
	struct kp_out out;
	struct kp_session *s;
	int errors;
};

static const char *tx_exec(struct tx_bench *b, const char *line)
{
	kp_strbuf_reset(&b->sb);
	if (kp_session_exec(b->s, line) < 0) {
		fprintf(stderr, "udp_xhost_pps: '%s' failed: %s", line,
			kp_strbuf_str(&b->sb));
		b->errors++;
	}
	return kp_strbuf_str(&b->sb);
}

static long long tx_value(struct tx_bench *b, const char *path)
{
	char line[128];
	snprintf(line, sizeof(line), "print %s", path);
	const char *o = tx_exec(b, line);
	const char *eq = strstr(o, " = ");
	return eq ? strtoll(eq + 3, NULL, 10) : -1;
}

static double udp_xhost_run(void)
{
	struct tx_bench b = { .errors = 0 };
	struct kp_world_config cfg;
	char cmd[128];
	kp_world_config_default(&cfg);
	kp_strbuf_init(&b.sb);
	kp_out_init_strbuf(&b.out, &b.sb);
	b.s = kp_session_new(&cfg, &b.out);
	if (!b.s) {
		kp_strbuf_free(&b.sb);
		return 0;
	}
	b.s->batch = true;
	tx_exec(&b, "run udp-server 7000 0 on server");
	snprintf(cmd, sizeof(cmd),
		 "run udp-client 10.0.0.2:7000 %d 18 %d on client", TX_DGRAMS,
		 TX_GAP_US);

	uint64_t t0 = kp_bench_now_ns();
	tx_exec(&b, cmd);
	uint64_t ns = kp_bench_now_ns() - t0;

	long long sent = tx_value(&b, "client.nstat.UdpOutDatagrams");
	long long got = tx_value(&b, "server.nstat.UdpInDatagrams");
	long long alive = tx_value(&b, "client.skbs.alive");
	if (sent != TX_DGRAMS || got != TX_DGRAMS || alive != 0) {
		fprintf(stderr,
			"udp_xhost_pps: %lld sent, %lld of %d received, %lld "
			"skbs alive on client\n",
			sent, got, TX_DGRAMS, alive);
		b.errors++;
	}
	kp_session_free(b.s);
	kp_strbuf_free(&b.sb);
	if (b.errors || !ns)
		return 0;
	return (double)TX_DGRAMS * 1e9 / (double)ns;
}

void bench_udp_xhost(const struct kp_bench_ctx *ctx)
{
	(void)ctx;
	double v[KP_BENCH_RUNS];
	for (int r = 0; r < KP_BENCH_RUNS; r++)
		v[r] = udp_xhost_run();
	kp_bench_report("udp_xhost_pps", kp_bench_median(v, KP_BENCH_RUNS),
			"datagrams/s");
}
