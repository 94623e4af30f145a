/*
 * test_capture.c - the capture library with its own fixtures: pcap
 * written with kp_pcap_out and read back with kp_pcap_in (nanosecond
 * stamps, byte offsets), broken files reported by offset, SLL frames
 * turned into Ethernet, the BPF filter, the tcpdump formatter; then in
 * the default world: replay streams a file into the server's NIC (at
 * most 1.5 batches ahead of virtual time), re-addresses frames to the
 * NIC, and the tcpdump tap on ptype_all sees them and writes a pcap.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/bpf.h"
#include "capture/capture_net.h"
#include "capture/decode.h"
#include "capture/linktype.h"
#include "capture/pcap_in.h"
#include "capture/pcap_out.h"
#include "capture/replay.h"
#include "capture/respcmp.h"
#include "capture/tap.h"
#include "capture/tcpdump_fmt.h"
#include "kernel/kernel.h"
#include "frame_util.h"
#include "kp_test.h"
#include "net/core/net_namespace.h"
#include "sched/host.h"
#include "sched/smp.h"

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0xaa };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0xbb };

/* An Ethernet/IPv4/UDP frame with good checksums; returns its length. */
static size_t udp_frame(uint8_t *f, uint32_t saddr, uint32_t daddr,
			uint16_t sport, uint16_t dport, size_t paylen)
{
	memcpy(f, mac_b, 6);
	memcpy(f + 6, mac_a, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	uint8_t *ip = f + 14;
	size_t tot = 20 + 8 + paylen;
	memset(ip, 0, tot);
	ip[0] = 0x45;
	ip[2] = (uint8_t)(tot >> 8);
	ip[3] = (uint8_t)tot;
	ip[8] = 64;
	ip[9] = 17;
	for (int i = 0; i < 4; i++) {
		ip[12 + i] = (uint8_t)(saddr >> (24 - 8 * i));
		ip[16 + i] = (uint8_t)(daddr >> (24 - 8 * i));
	}
	uint16_t c = fu_csum(ip, 20, 0);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	uint8_t *udp = ip + 20;
	udp[0] = (uint8_t)(sport >> 8);
	udp[1] = (uint8_t)sport;
	udp[2] = (uint8_t)(dport >> 8);
	udp[3] = (uint8_t)dport;
	udp[4] = (uint8_t)((8 + paylen) >> 8);
	udp[5] = (uint8_t)(8 + paylen);
	for (size_t i = 0; i < paylen; i++)
		udp[8 + i] = (uint8_t)('a' + i % 26);
	uint32_t ps = (saddr >> 16) + (saddr & 0xffff) + (daddr >> 16) +
		      (daddr & 0xffff) + 17 + (uint32_t)(8 + paylen);
	c = fu_csum(udp, 8 + paylen, ps);
	udp[6] = (uint8_t)(c >> 8);
	udp[7] = (uint8_t)c;
	return 14 + tot;
}

static void tmpname(char *buf, size_t n, const char *what)
{
	snprintf(buf, n, "%s/kp-test-capture-%d-%s.pcap",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid(),
		 what);
}

/* @n UDP frames 10.0.0.1:4000 -> @daddr:@dport, 1 ms apart (+ 7 ns). */
static void write_udp_file(const char *path, int n, uint32_t daddr,
			   uint16_t dport)
{
	struct kp_pcap_out o;
	uint8_t f[128];
	if (kp_pcap_out_open(&o, path, KP_PCAP_NSEC, 0) < 0)
		return;
	for (int i = 0; i < n; i++) {
		size_t len = udp_frame(f, 0x0a000001, daddr, 4000, dport, 18);
		kp_pcap_out_write(&o, 1700000000000000000ull +
					      (uint64_t)i * 1000007u,
				  f, (uint32_t)len, (uint32_t)len);
	}
	kp_pcap_out_close(&o);
}

KP_TEST(pcap_roundtrip_nanoseconds)
{
	char path[256];
	struct kp_pcap_in in;
	struct kp_pcap_frame f;
	uint8_t want[128];
	int n = 0;

	tmpname(path, sizeof(path), "rt");
	write_udp_file(path, 3, 0x0a000002, 9);
	KP_CHECK_EQ(st, kp_pcap_in_open(&in, path), 0);
	size_t len = udp_frame(want, 0x0a000001, 0x0a000002, 4000, 9, 18);
	while (kp_pcap_in_next(&in, &f) == KP_PCAP_FRAME) {
		KP_CHECK_EQ(st, f.number, n + 1);
		KP_CHECK_EQ(st, f.offset, 24 + (uint64_t)n * (16 + len));
		KP_CHECK_EQ(st, f.ts_ns, 1700000000000000000ull +
						 (uint64_t)n * 1000007u);
		KP_CHECK_EQ(st, f.caplen, len);
		KP_CHECK(st, !memcmp(f.data, want, len));
		n++;
	}
	KP_CHECK_EQ(st, n, 3);
	kp_pcap_in_close(&in);
	unlink(path);
}

KP_TEST(broken_files_say_where)
{
	char path[256], bad[256];
	struct kp_pcap_in in;
	struct kp_pcap_frame f;
	int r;

	tmpname(path, sizeof(path), "ok");
	tmpname(bad, sizeof(bad), "trunc");
	write_udp_file(path, 3, 0x0a000002, 9);
	/* cut inside the third record */
	FILE *src = fopen(path, "rb"), *dst = fopen(bad, "wb");
	char buf[4096];
	size_t got = src ? fread(buf, 1, sizeof(buf), src) : 0;
	if (dst)
		fwrite(buf, 1, got > 20 ? got - 20 : 0, dst);
	if (src)
		fclose(src);
	if (dst)
		fclose(dst);
	KP_CHECK_EQ(st, kp_pcap_in_open(&in, bad), 0);
	int frames = 0;
	while ((r = kp_pcap_in_next(&in, &f)) == KP_PCAP_FRAME)
		frames++;
	KP_CHECK_EQ(st, frames, 2);
	KP_CHECK_EQ(st, r, KP_PCAP_BROKEN);
	KP_CHECK(st, strstr(in.error, "frame 3 at byte 176") != NULL);
	if (!strstr(in.error, "frame 3 at byte 176"))
		fprintf(stderr, "error: %s\n", in.error);
	KP_CHECK_EQ(st, kp_pcap_in_next(&in, &f), KP_PCAP_END);
	kp_pcap_in_close(&in);

	FILE *g = fopen(bad, "wb");
	if (g) {
		fputs("garbage, not a capture", g);
		fclose(g);
	}
	KP_CHECK(st, kp_pcap_in_open(&in, bad) < 0);
	KP_CHECK(st, strstr(in.error, "byte 0: bad magic") != NULL);
	KP_CHECK(st, kp_pcap_in_open(&in, "/nonexistent/x.pcap") < 0);
	KP_CHECK(st, strstr(in.error, "cannot open") != NULL);
	unlink(path);
	unlink(bad);
}

KP_TEST(sll_becomes_ethernet)
{
	uint8_t sll[16 + 28], out[16 + 28 + 14];
	uint32_t caplen, wirelen;
	const char *why = NULL;

	memset(sll, 0, sizeof(sll));
	sll[1] = 0;  /* PACKET_HOST */
	sll[5] = 6;  /* address length */
	memcpy(sll + 6, mac_a, 6);
	sll[14] = 0x08; /* protocol IPv4 */
	sll[16] = 0x45;
	KP_CHECK_EQ(st, kp_cap_to_ethernet(KP_DLT_LINUX_SLL, sll, sizeof(sll),
					   sizeof(sll), out, &caplen, &wirelen,
					   &why),
		    0);
	KP_CHECK_EQ(st, caplen, sizeof(sll) - 16 + 14);
	KP_CHECK(st, !memcmp(out + 6, mac_a, 6));
	KP_CHECK_EQ(st, out[12], 0x08);
	KP_CHECK_EQ(st, out[14], 0x45);
	/* too short for its own header: refused with a reason */
	KP_CHECK(st, kp_cap_to_ethernet(KP_DLT_LINUX_SLL, sll, 10, 10, out,
					&caplen, &wirelen, &why) < 0);
	KP_CHECK(st, why != NULL);
}

KP_TEST(bpf_filter_and_tcpdump_line)
{
	struct kp_bpf b;
	uint8_t f[128];
	size_t len = udp_frame(f, 0x0a000001, 0x0a000002, 4000, 9999, 5);

	KP_CHECK_EQ(st, kp_bpf_compile(&b, "udp port 9999", KP_DLT_EN10MB), 0);
	KP_CHECK(st, kp_bpf_match(&b, f, (uint32_t)len, (uint32_t)len));
	kp_bpf_free(&b);
	KP_CHECK_EQ(st, kp_bpf_compile(&b, "tcp", KP_DLT_EN10MB), 0);
	KP_CHECK(st, !kp_bpf_match(&b, f, (uint32_t)len, (uint32_t)len));
	kp_bpf_free(&b);
	KP_CHECK(st, kp_bpf_compile(&b, "udp port", KP_DLT_EN10MB) < 0);
	KP_CHECK(st, strstr(b.error, "udp port") != NULL);

	struct kp_tcpdump_line line;
	kp_tcpdump_format(NULL, 3723000004000ull, f, (uint32_t)len,
			  (uint32_t)len, &line);
	KP_CHECK_STR(st, line.text, "01:02:03.000004 IP 10.0.0.1.4000 > "
				    "10.0.0.2.9999: UDP, length 5");
	kp_tap_add_ether(&line, f, (uint32_t)len, (uint32_t)len);
	KP_CHECK_STR(st, line.text,
		     "01:02:03.000004 02:00:00:00:00:aa > 02:00:00:00:00:bb, "
		     "ethertype IPv4 (0x0800), length 47: 10.0.0.1.4000 > "
		     "10.0.0.2.9999: UDP, length 5");
	/* -v: the IPv4 header, the rest on the next line */
	f[20] = 0x40; /* DF (the header checksum is now wrong: said so) */
	kp_tcpdump_format(NULL, 3723000004000ull, f, (uint32_t)len,
			  (uint32_t)len, &line);
	kp_tcpdump_verbose(&line, f, (uint32_t)len, (uint32_t)len);
	KP_CHECK_STR(st, line.text,
		     "01:02:03.000004 IP (tos 0x0, ttl 64, id 0, offset 0, "
		     "flags [DF], proto UDP (17), length 33, bad cksum 66ca "
		     "(->26ca)!)\n    10.0.0.1.4000 > 10.0.0.2.9999: UDP, "
		     "length 5");
}

struct lines {
	char text[8][200];
	int n;
};

static void collect_line(void *ctx, const char *line)
{
	struct lines *l = ctx;
	if (l->n < 8)
		snprintf(l->text[l->n++], sizeof(l->text[0]), "%s", line);
}

KP_TEST(responses_compare_by_flow)
{
	struct kp_resp_list file = { 0 }, own = { 0 };
	struct kp_resp synack = { .saddr = 0x0a000002, .daddr = 0x0a000001,
				  .sport = 43, .dport = 44188, .proto = 6,
				  .flags = 0x12, .seq = 1000, .ack = 5001 };
	struct kp_resp ack = synack;
	struct lines l = { .n = 0 };

	ack.flags = 0x10;
	ack.seq = 1001;
	ack.ack = 5014;
	/* whatever the ISN, the same relative numbers are no difference */
	file.v = (struct kp_resp[]){ synack, ack };
	file.n = 2;
	struct kp_resp own_synack = synack, own_ack = ack;
	own_synack.seq = 77;
	own_ack.seq = 78;
	own.v = (struct kp_resp[]){ own_synack, own_ack };
	own.n = 2;
	KP_CHECK_EQ(st, kp_resp_compare(&file, &own, collect_line, &l), 0);
	/* kpath answers with a RST, and one more segment */
	struct kp_resp rst = own_synack;
	rst.flags = 0x14;
	own.v = (struct kp_resp[]){ rst, own_ack, own_ack };
	own.n = 3;
	KP_CHECK_EQ(st, kp_resp_compare(&file, &own, collect_line, &l), 2);
	KP_CHECK_STR(st, l.text[0],
		     "flags: file: TCP 10.0.0.2.43 > 10.0.0.1.44188 [S.] seq 0 "
		     "ack 5001 len 0; kpath: TCP 10.0.0.2.43 > 10.0.0.1.44188 "
		     "[R.] seq 0 ack 5001 len 0");
	KP_CHECK(st, !strncmp(l.text[1], "extra: TCP 10.0.0.2.43", 22));
	/* nothing sent at all: everything is missing */
	own.n = 0;
	l.n = 0;
	KP_CHECK_EQ(st, kp_resp_compare(&file, &own, collect_line, &l), 2);
	KP_CHECK(st, !strncmp(l.text[0], "missing: TCP", 12));
}

/* ---- in the default world ---- */

static struct kp_world *booted_world(void)
{
	struct kp_world_config cfg;
	kp_world_config_default(&cfg);
	struct kp_world *w = kp_world_new(&cfg);
	kp_world_set_mode(w, KP_RUN_CONTINUE, 0);
	kp_world_run(w);
	return w;
}

static void run_idle(struct kp_world *w)
{
	for (int i = 0; i < 100; i++) {
		kp_world_set_mode(w, KP_RUN_CONTINUE, 0);
		if (kp_world_run(w) == KP_STOP_IDLE)
			return;
	}
}

KP_TEST(replay_streams_into_the_nic)
{
	char path[256], err[600];
	struct kp_world *w = booted_world();
	struct kp_host *h = kp_host_by_name(w, "server");
	struct kp_replay *r = NULL;
	struct kp_replay_opts o = { .speed = 1 };

	tmpname(path, sizeof(path), "stream");
	/* 1000 frames to 10.0.0.2:9 (nobody listens), 1 ms apart */
	write_udp_file(path, 1000, 0x0a000002, 9);
	KP_CHECK_EQ(st, kp_replay_start(h, "eth0", path, &o, &r, err,
					sizeof(err)),
		    0);
	if (!r) {
		kp_world_free(w);
		return;
	}
	/* 10.5 ms in: ~11 frames arrived, at most 1.5 batches queued */
	uint64_t t0 = r->start_ns;
	kp_world_set_mode(w, KP_RUN_UNTIL, t0 + 10500000);
	kp_world_run(w);
	KP_CHECK(st, !r->done);
	KP_CHECK(st, r->injected <= KP_REPLAY_BATCH * 3 / 2);
	KP_CHECK(st, r->injected >= KP_REPLAY_BATCH / 2);
	KP_CHECK_EQ(st, h->net->mib[KP_MIB_Udp_NoPorts], 11);
	run_idle(w);
	KP_CHECK(st, r->done);
	KP_CHECK_EQ(st, r->read, 1000);
	KP_CHECK_EQ(st, r->injected, 1000);
	KP_CHECK_EQ(st, r->damaged, 0);
	/* re-addressed to the NIC: the stack got every one */
	KP_CHECK_EQ(st, h->net->mib[KP_MIB_Udp_NoPorts], 1000);
	KP_CHECK_EQ(st, h->net->drops[SKB_DROP_REASON_NO_SOCKET], 1000);
	/* the last frame at 999 * 1.000007 ms */
	KP_CHECK_EQ(st, r->end_at, t0 + 999u * 1000007u);
	KP_CHECK_EQ(st, h->net->skb.alive, 0);
	kp_world_free(w);
	unlink(path);
}

KP_TEST(replay_filter_limit_and_speed)
{
	char path[256], err[600];
	struct kp_world *w = booted_world();
	struct kp_host *h = kp_host_by_name(w, "server");
	struct kp_replay *r = NULL;
	struct kp_replay_opts o = { .speed = 1000, .limit = 5,
				    .filter = "udp dst port 9" };

	tmpname(path, sizeof(path), "filt");
	write_udp_file(path, 20, 0x0a000002, 9);
	KP_CHECK_EQ(st, kp_replay_start(h, "eth0", path, &o, &r, err,
					sizeof(err)),
		    0);
	run_idle(w);
	KP_CHECK(st, r && r->done);
	KP_CHECK_EQ(st, r ? r->injected : 0, 5);
	KP_CHECK_EQ(st, r ? r->end_at - r->start_ns : 0, 4000);
	o = (struct kp_replay_opts){ .fast = true, .filter = "tcp" };
	KP_CHECK_EQ(st, kp_replay_start(h, "eth0", path, &o, &r, err,
					sizeof(err)),
		    0);
	run_idle(w);
	KP_CHECK_EQ(st, r->filtered, 20);
	KP_CHECK_EQ(st, r->injected, 0);
	o.filter = "this is not bpf";
	KP_CHECK(st, kp_replay_start(h, "eth0", path, &o, &r, err,
				     sizeof(err)) < 0);
	KP_CHECK(st, strstr(err, "this is not bpf") != NULL);
	kp_world_free(w);
	unlink(path);
}

static int add_tap(void *info)
{
	struct kp_tap *t = info;
	t->active = true;
	dev_add_pack(&t->pt);
	return 0;
}

static void call_add_tap(void *arg)
{
	add_tap(arg);
}

KP_TEST(tap_sees_received_frames)
{
	char path[256], out[256], err[600];
	struct kp_world *w = booted_world();
	struct kp_host *h = kp_host_by_name(w, "server");
	struct net_device *dev = dev_get_by_name(h->net, "eth0");
	struct kp_tap_opts to = { .count = 4, .wfile = out,
				  .filter = "udp" };

	tmpname(path, sizeof(path), "tapin");
	tmpname(out, sizeof(out), "tapout");
	write_udp_file(path, 6, 0x0a000002, 9);
	struct kp_tap *t = kp_tap_create(h->net, dev, &to, err, sizeof(err));
	KP_CHECK(st, t != NULL);
	if (!t) {
		kp_world_free(w);
		return;
	}
	kp_host_call(h, 0, call_add_tap, t, NULL);
	run_idle(w);
	KP_CHECK(st, t->active);
	struct kp_replay *r = NULL;
	struct kp_replay_opts o = { .fast = true };
	kp_replay_start(h, "eth0", path, &o, &r, err, sizeof(err));
	run_idle(w);
	/* -c 4: the tap left ptype_all after four, its file is closed */
	KP_CHECK_EQ(st, t->captured, 4);
	KP_CHECK(st, !t->active);
	KP_CHECK(st, !t->writing);
	KP_CHECK_EQ(st, h->net->skb.alive, 0);
	KP_CHECK_EQ(st, h->net->mib[KP_MIB_Udp_NoPorts], 6);
	struct kp_pcap_in in;
	struct kp_pcap_frame f;
	int n = 0;
	KP_CHECK_EQ(st, kp_pcap_in_open(&in, out), 0);
	while (kp_pcap_in_next(&in, &f) == KP_PCAP_FRAME) {
		/* as received: re-addressed to the server's MAC */
		KP_CHECK(st, !memcmp(f.data, dev->dev_addr, 6));
		n++;
	}
	kp_pcap_in_close(&in);
	KP_CHECK_EQ(st, n, 4);
	kp_world_free(w);
	unlink(path);
	unlink(out);
}

KP_TEST_MAIN(pcap_roundtrip_nanoseconds, broken_files_say_where,
	     sll_becomes_ethernet, bpf_filter_and_tcpdump_line,
	     responses_compare_by_flow,
	     replay_streams_into_the_nic, replay_filter_limit_and_speed,
	     tap_sees_received_frames)
