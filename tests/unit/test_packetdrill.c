/*
 * test_packetdrill.c - the packetdrill script parser (src/packetdrill/
 * parser.c) and the TCP frame builder/parser (tcpframe.c): times, packets
 * with options, system calls with errno, backticks, errors.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

KP_TEST(test_pd_sack_and_ranges)
{
	struct pd_event ev;
	char err[128];
	uint8_t buf[256];
	KP_CHECK_EQ(st, pd_parse_line("+0 < . 1:1(0) ack 1 win 257 <nop,nop,"
				      "sack 1461:2921 4381:5841>", 1, &ev,
				      err, sizeof(err)), 1);
	KP_CHECK_EQ(st, ev.pkt.nr_opts, 3);
	KP_CHECK_EQ(st, ev.pkt.opts[2].kind, PD_OPT_SACK);
	KP_CHECK_EQ(st, ev.pkt.opts[2].nr_blocks, 2);
	KP_CHECK_EQ(st, ev.pkt.opts[2].blocks[1][0], 4381);
	KP_CHECK_EQ(st, ev.pkt.opts[2].blocks[1][1], 5841);
	/* on the wire: edges plus the local ISN, read back as they are */
	struct pd_frame_addr a = { .sport = 1, .dport = 2, .sack_add = 1000 };
	int n = pd_frame_build(&a, &ev.pkt, 1, 1, buf, sizeof(buf));
	KP_CHECK_EQ(st, n, 14 + 20 + 20 + 20); /* 2 nops + 18, padded */
	struct pd_seg g;
	KP_CHECK_EQ(st, pd_frame_parse(buf, (size_t)n, &g), 0);
	KP_CHECK_EQ(st, g.opts[2].nr_blocks, 2);
	KP_CHECK_EQ(st, g.opts[2].blocks[0][0], 2461);
	/* a sack edge without its end is an error */
	KP_CHECK_EQ(st, pd_parse_line("+0 < . 1:1(0) ack 1 <sack 5>", 1, &ev,
				      err, sizeof(err)), -1);
	/* +a~+b: a range whose end is relative too */
	KP_CHECK_EQ(st, pd_parse_line("+0.1~+0.3 read(4, ..., 10) = 10", 1,
				      &ev, err, sizeof(err)), 1);
	KP_CHECK(st, ev.range && ev.end_rel && ev.t_end == 0.3);
}

KP_TEST(test_pd_multiline_and_structs)
{
	struct pd_event ev;
	char err[128], v[64];
	KP_CHECK_EQ(st, pd_parse_line("+0 epoll_ctl(5, EPOLL_CTL_ADD, 4,\n"
				      "   {events=EPOLLIN|EPOLLET, fd=4}) = 0",
				      7, &ev, err, sizeof(err)), 1);
	KP_CHECK_EQ(st, ev.sc.argc, 4);
	KP_CHECK(st, pd_field(ev.sc.args[3], "events", v, sizeof(v)));
	KP_CHECK_STR(st, v, "EPOLLIN|EPOLLET");
	KP_CHECK(st, pd_field(ev.sc.args[3], "fd", v, sizeof(v)));
	KP_CHECK_STR(st, v, "4");
	KP_CHECK(st, !pd_field(ev.sc.args[3], "ptr", v, sizeof(v)));
	KP_CHECK_EQ(st, pd_parse_line("+0 sendmsg(4, {msg_name(...)=..., "
				      "msg_iov(1)=[{iov_base=..., iov_len=50}],"
				      " msg_flags=0}, 0) = 50", 1, &ev, err,
				      sizeof(err)), 1);
	KP_CHECK(st, pd_field(ev.sc.args[1], "iov_len", v, sizeof(v)));
	KP_CHECK_STR(st, v, "50");
	KP_CHECK(st, pd_field(ev.sc.args[1], "msg_flags", v, sizeof(v)));
	KP_CHECK_STR(st, v, "0");
	/* backticks and snippets over several lines */
	KP_CHECK_EQ(st, pd_parse_line("`../common/defaults.sh\nsysctl -q a=1`",
				      3, &ev, err, sizeof(err)), 1);
	KP_CHECK_EQ(st, ev.kind, PD_COMMAND);
	KP_CHECK(st, strchr(ev.cmd, '\n') != NULL);
	KP_CHECK_EQ(st, pd_parse_line("+0 %{ assert tcpi_snd_cwnd == 10 }%", 3,
				      &ev, err, sizeof(err)), 1);
	KP_CHECK_EQ(st, ev.kind, PD_CODE);
	KP_CHECK(st, strstr(ev.cmd, "tcpi_snd_cwnd") != NULL);
	KP_CHECK_EQ(st, pd_parse_line("+0 %{ assert 1", 3, &ev, err,
				      sizeof(err)), -1);
}

KP_TEST(test_pd_file_statements)
{
	char path[] = "/tmp/kpath-pd-test-XXXXXX";
	int fd = mkstemp(path);
	KP_CHECK(st, fd >= 0);
	if (fd < 0)
		return;
	const char text[] =
		"--tolerance_usecs=10000\n"
		"// a comment (with an open bracket\n"
		"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
		"+0 getsockopt(3, SOL_TCP, TCP_INFO,\n"
		"  {tcpi_state=TCP_CLOSE}, // still open\n"
		"  [...]) = 0\n"
		"`sysctl -q x=1\n"
		"sysctl -q y=2`\n"
		"+0 close(3) = 0\n";
	KP_CHECK(st, write(fd, text, sizeof(text) - 1) ==
			     (ssize_t)(sizeof(text) - 1));
	close(fd);
	struct pd_script s;
	char err[256];
	KP_CHECK_EQ(st, pd_parse_file(path, &s, err, sizeof(err)), 0);
	KP_CHECK_EQ(st, s.nr_opts, 1);
	KP_CHECK_STR(st, s.opts[0].name, "tolerance_usecs");
	KP_CHECK_STR(st, s.opts[0].value, "10000");
	KP_CHECK_EQ(st, s.nr, 4);
	if (s.nr == 4) {
		KP_CHECK_EQ(st, s.ev[1].line, 4);
		KP_CHECK_EQ(st, s.ev[1].sc.argc, 5);
		KP_CHECK_EQ(st, s.ev[2].kind, PD_COMMAND);
		KP_CHECK_EQ(st, s.ev[3].line, 9);
	}
	pd_script_free(&s);
	/* an unclosed bracket runs to the end: an error naming its line */
	fd = open(path, O_WRONLY | O_TRUNC);
	KP_CHECK(st, write(fd, "0 close(3\n", 10) == 10);
	close(fd);
	KP_CHECK_EQ(st, pd_parse_file(path, &s, err, sizeof(err)), -1);
	KP_CHECK(st, strstr(err, ":1: unterminated") != NULL);
	unlink(path);
}

KP_TEST_MAIN(test_pd_times, test_pd_packets, test_pd_syscalls,
	     test_pd_frame_roundtrip, test_pd_sack_and_ranges,
	     test_pd_multiline_and_structs, test_pd_file_statements)
