/*
 * test_packetdrill.c - the packetdrill script parser (src/packetdrill/
 * parser.c) and the TCP frame builder/parser (tcpframe.c): times, packets
 * with options, system calls with errno, backticks, errors.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "kp_test.h"
#include "packetdrill/script.h"
#include "packetdrill/tcpframe.h"

KP_TEST(test_pd_times)
{
	struct pd_event ev;
	char err[128];
	KP_CHECK_EQ(st, pd_parse_line("+0.25 close(4) = 0", 3, &ev, err,
				      sizeof(err)), 1);
	KP_CHECK_EQ(st, ev.time_kind, PD_TIME_REL);
	KP_CHECK(st, ev.t == 0.25);
	KP_CHECK_EQ(st, ev.line, 3);
	KP_CHECK_EQ(st, pd_parse_line("0.1...0.3 accept(3, ..., ...) = 4",
				      1, &ev, err, sizeof(err)), 1);
	KP_CHECK(st, ev.range && ev.t_end == 0.3);
	KP_CHECK_EQ(st, ev.time_kind, PD_TIME_ABS);
	KP_CHECK_EQ(st, pd_parse_line("0...0.2 accept(3, ..., ...) = 4", 1,
				      &ev, err, sizeof(err)), 1);
	KP_CHECK(st, ev.range && ev.t == 0 && ev.t_end == 0.2);
	KP_CHECK_EQ(st, pd_parse_line("   // only a comment", 1, &ev, err,
				      sizeof(err)), 0);
}

KP_TEST(test_pd_packets)
{
	struct pd_event ev;
	char err[128];
	KP_CHECK_EQ(st, pd_parse_line("+0 < S 0:0(0) win 32792 <mss 1000,"
				      "sackOK,TS val 100 ecr 0,nop,wscale 7>",
				      1, &ev, err, sizeof(err)), 1);
	KP_CHECK_EQ(st, ev.kind, PD_PACKET);
	KP_CHECK(st, ev.pkt.inbound);
	KP_CHECK_EQ(st, ev.pkt.flags, 0x02);
	KP_CHECK_EQ(st, ev.pkt.win, 32792);
	KP_CHECK_EQ(st, ev.pkt.nr_opts, 5);
	KP_CHECK_EQ(st, ev.pkt.opts[0].a, 1000);
	KP_CHECK_EQ(st, ev.pkt.opts[2].kind, PD_OPT_TS);
	KP_CHECK_EQ(st, ev.pkt.opts[2].a, 100);
	KP_CHECK_EQ(st, ev.pkt.opts[4].a, 7);
	KP_CHECK_EQ(st, pd_parse_line("+0 > P. 1:11(10) ack 5 <...>", 1, &ev,
				      err, sizeof(err)), 1);
	KP_CHECK(st, !ev.pkt.inbound && ev.pkt.opts_any && ev.pkt.has_ack);
	KP_CHECK_EQ(st, ev.pkt.flags, 0x18);
	KP_CHECK_EQ(st, ev.pkt.end - ev.pkt.seq, 10);
	/* malformed: length does not match, unknown flag */
	KP_CHECK_EQ(st, pd_parse_line("+0 < . 1:11(5) ack 1", 1, &ev, err,
				      sizeof(err)), -1);
	KP_CHECK_EQ(st, pd_parse_line("+0 < Z 1:1(0)", 1, &ev, err,
				      sizeof(err)), -1);
	KP_CHECK(st, strstr(err, "flag") != NULL);
}

KP_TEST(test_pd_syscalls)
{
	struct pd_event ev;
	char err[128];
	KP_CHECK_EQ(st, pd_parse_line("+0 connect(3, ..., ...) = -1 "
				      "ECONNREFUSED (Connection refused)", 1,
				      &ev, err, sizeof(err)), 1);
	KP_CHECK_EQ(st, ev.kind, PD_SYSCALL);
	KP_CHECK_STR(st, ev.sc.name, "connect");
	KP_CHECK_EQ(st, ev.sc.argc, 3);
	KP_CHECK_EQ(st, ev.sc.ret, -1);
	KP_CHECK_STR(st, ev.sc.err_name, "ECONNREFUSED");
	KP_CHECK_EQ(st, pd_parse_line("+0 setsockopt(3, SOL_SOCKET, "
				      "SO_REUSEADDR, [1], 4) = 0", 1, &ev,
				      err, sizeof(err)), 1);
	KP_CHECK_STR(st, ev.sc.args[3], "[1]");
	KP_CHECK_EQ(st, pd_parse_line("`sysctl -q net.ipv4.tcp_sack=0`", 1,
				      &ev, err, sizeof(err)), 1);
	KP_CHECK_EQ(st, ev.kind, PD_COMMAND);
	KP_CHECK_STR(st, ev.cmd, "sysctl -q net.ipv4.tcp_sack=0");
	KP_CHECK_EQ(st, pd_parse_line("+0 close(4)", 1, &ev, err,
				      sizeof(err)), -1);
}

KP_TEST(test_pd_frame_roundtrip)
{
	struct pd_event ev;
	char err[128];
	uint8_t buf[256];
	struct pd_frame_addr a = { .saddr = htonl(0x0a000063),
				   .daddr = htonl(0x0a000002),
				   .sport = 48879, .dport = 8080 };
	pd_parse_line("0 < S. 5:5(0) ack 1 win 1000 <mss 1460,nop,wscale 7>",
		      1, &ev, err, sizeof(err));
	int n = pd_frame_build(&a, &ev.pkt, 5, 77, buf, sizeof(buf));
	KP_CHECK_EQ(st, n, 14 + 20 + 20 + 8); /* mss 4, nop 1, wscale 3 */
	struct pd_seg g;
	KP_CHECK_EQ(st, pd_frame_parse(buf, (size_t)n, &g), 0);
	KP_CHECK_EQ(st, g.sport, 48879);
	KP_CHECK_EQ(st, g.seq, 5);
	KP_CHECK_EQ(st, g.ack, 77);
	KP_CHECK_EQ(st, g.flags, 0x12);
	KP_CHECK_EQ(st, g.win, 1000);
	KP_CHECK_EQ(st, g.nr_opts, 3);
	KP_CHECK_EQ(st, g.opts[2].a, 7);
	/* a frame cut short is not a segment */
	KP_CHECK_EQ(st, pd_frame_parse(buf, 30, &g), -1);
}

KP_TEST_MAIN(test_pd_times, test_pd_packets, test_pd_syscalls,
	     test_pd_frame_roundtrip)
