/*
 * test_tcp.c - TCP pieces that need no running world: sequence
 * arithmetic across the 2^32 wrap, the initial window and window scale
 * Linux offers (tcp_select_initial_window: 64240 with wscale 7 for MSS
 * 1460 and the default tcp_rmem, 65160 for 1448), the in-flight count
 * that must not underflow, the control block fitting skb->cb, and the
 * congestion-control arithmetic of Reno (slow start to ssthresh, then
 * one segment per window).  The end-to-end behaviour (handshake, data,
 * FIN, RST, loss recovery) is pinned by tests/scenarios/tcp/.
 */
#include <stdlib.h>
#include <string.h>

#include "kp_test.h"
#include "net/core/net_namespace.h"
#include "net/ipv4/tcp.h"

KP_TEST(sequence_numbers_wrap)
{
	KP_CHECK(st, before(0xfffffff0u, 0x10u));
	KP_CHECK(st, after(0x10u, 0xfffffff0u));
	KP_CHECK(st, !before(5u, 5u));
	KP_CHECK(st, between(0x2u, 0xfffffffeu, 0x5u));
	KP_CHECK(st, !between(0x6u, 0xfffffffeu, 0x5u));
}

static struct sock *fake_tcp_sock(struct net *net)
{
	struct tcp_sock *tp = calloc(1, sizeof(*tp));
	tp->inet_conn.icsk_inet.sk.sk_net = net;
	return &tp->inet_conn.icsk_inet.sk;
}

KP_TEST(initial_window_is_linuxs)
{
	struct net *net = calloc(1, sizeof(*net));
	net->sysctl.tcp_rmem_max = 6291456;
	struct sock *sk = fake_tcp_sock(net);
	uint32_t wnd = 0, clamp = 0;
	uint8_t ws = 0;

	/* connect: half of tcp_rmem[1] (131072), MSS 1460 */
	tcp_select_initial_window(sk, 65536, 1460, &wnd, &clamp, 1, &ws, 0);
	KP_CHECK_EQ(st, wnd, 64240u);
	KP_CHECK_EQ(st, ws, 7);
	KP_CHECK_EQ(st, clamp, 65535u << 7);

	/* SYN-ACK to a peer with timestamps: MSS 1448 */
	wnd = clamp = 0;
	tcp_select_initial_window(sk, 65536, 1448, &wnd, &clamp, 1, &ws, 0);
	KP_CHECK_EQ(st, wnd, 65160u);

	/* no window scaling: at most 65535, no scale */
	wnd = clamp = 0;
	tcp_select_initial_window(sk, 1 << 20, 1460, &wnd, &clamp, 0, &ws, 0);
	KP_CHECK_EQ(st, ws, 0);
	KP_CHECK(st, wnd <= 65535u);
	KP_CHECK_EQ(st, clamp, 65535u);
	free(sk);
	free(net);
}

KP_TEST(in_flight_never_underflows)
{
	struct tcp_sock tp;
	memset(&tp, 0, sizeof(tp));
	tp.packets_out = 10;
	tp.lost_out = 10;
	tp.sacked_out = 3; /* duplicate ACKs counted after an RTO */
	tp.retrans_out = 1;
	KP_CHECK_EQ(st, tcp_packets_in_flight(&tp), 1u);
	tp.lost_out = 2;
	tp.sacked_out = 3;
	KP_CHECK_EQ(st, tcp_packets_in_flight(&tp), 6u);
}

KP_TEST(control_block_fits)
{
	KP_CHECK(st, sizeof(struct tcp_skb_cb) <=
			     sizeof(((struct sk_buff *)0)->cb));
}

KP_TEST(reno_slow_start_then_linear)
{
	struct tcp_sock tp;
	memset(&tp, 0, sizeof(tp));
	tp.snd_cwnd = 10;
	tp.snd_ssthresh = 16;
	tp.snd_cwnd_clamp = ~0u;
	tp.max_packets_out = 10;
	KP_CHECK(st, tcp_in_slow_start(&tp));
	KP_CHECK(st, tcp_is_cwnd_limited(&tp));
	/* 10 segments acked: +6 to ssthresh, 4 left over */
	KP_CHECK_EQ(st, tcp_slow_start(&tp, 10), 4u);
	KP_CHECK_EQ(st, tp.snd_cwnd, 16u);
	KP_CHECK(st, !tcp_in_slow_start(&tp));
	/* congestion avoidance: one more per cwnd acked */
	tcp_cong_avoid_ai(&tp, tp.snd_cwnd, 15);
	KP_CHECK_EQ(st, tp.snd_cwnd, 16u);
	tcp_cong_avoid_ai(&tp, tp.snd_cwnd, 1);
	KP_CHECK_EQ(st, tp.snd_cwnd, 17u);
	/* not limited by cwnd in slow start: no growth wanted */
	tp.snd_cwnd = 10;
	tp.max_packets_out = 2;
	KP_CHECK(st, !tcp_is_cwnd_limited(&tp));
}

KP_TEST_MAIN(sequence_numbers_wrap, initial_window_is_linuxs,
	     in_flight_never_underflows, control_block_fits,
	     reno_slow_start_then_linear)
