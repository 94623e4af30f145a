/*
 * test_replay_tcp.c - receiver mode's TCP translation
 * (src/capture/replay_tcp.c): once the file's and kpath's SYN-ACKs are
 * known, a client segment's ack, SACK blocks and timestamp echo move
 * into kpath's sequence and timestamp space with a checksum that still
 * verifies; a segment with no SYN-ACK pair is left alone and counted;
 * a bad checksum stays bad.
 */
#include <stdint.h>
#include <string.h>

#include "capture/decode.h"
#include "capture/replay_tcp.h"
#include "frame_util.h"
#include "kp_test.h"

#define CLIENT 0x0a000001u /* 10.0.0.1:44188 */
#define RECEIVER 0x0a000002u /* 10.0.0.2:43 */

struct seg {
	bool from_client;
	uint8_t flags;
	uint32_t seq, ack, tsval, tsecr;
	uint32_t sack_start, sack_end; /* 0: no SACK block */
};

/* Ethernet + IPv4 + TCP with NOP NOP TS (and NOP NOP SACK) options. */
static size_t build(uint8_t *f, const struct seg *s)
{
	uint32_t src = s->from_client ? CLIENT : RECEIVER;
	uint32_t dst = s->from_client ? RECEIVER : CLIENT;
	size_t optlen = 12 + (s->sack_start ? 12 : 0);
	size_t l4len = 20 + optlen;
	uint8_t *ip = f + 14, *th = f + 34, *o = th + 20;

	memset(f, 0, 34 + l4len);
	memset(f, 0x02, 12);
	fu_put16(f + 12, 0x0800);
	ip[0] = 0x45;
	fu_put16(ip + 2, (uint16_t)(20 + l4len));
	ip[8] = 64;
	ip[9] = 6;
	fu_put32(ip + 12, src);
	fu_put32(ip + 16, dst);
	fu_put16(ip + 10, fu_csum(ip, 20, 0));
	fu_put16(th, s->from_client ? 44188 : 43);
	fu_put16(th + 2, s->from_client ? 43 : 44188);
	fu_put32(th + 4, s->seq);
	fu_put32(th + 8, s->ack);
	th[12] = (uint8_t)((l4len / 4) << 4);
	th[13] = s->flags;
	fu_put16(th + 14, 29200);
	o[0] = 1, o[1] = 1, o[2] = 8, o[3] = 10;
	fu_put32(o + 4, s->tsval);
	fu_put32(o + 8, s->tsecr);
	if (s->sack_start) {
		o[12] = 1, o[13] = 1, o[14] = 5, o[15] = 10;
		fu_put32(o + 16, s->sack_start);
		fu_put32(o + 20, s->sack_end);
	}
	uint32_t ps = (src >> 16) + (src & 0xffff) + (dst >> 16) +
		      (dst & 0xffff) + 6 + (uint32_t)l4len;
	fu_put16(th + 16, fu_csum(th, l4len, ps));
	return 34 + l4len;
}

static void synacks(struct kp_replay_tcpmap *m)
{
	uint8_t f[128];
	struct kp_decoded d;
	struct seg file = { .flags = 0x12, .seq = 1000, .ack = 1,
			    .tsval = 500, .tsecr = 77 };
	struct seg own = { .flags = 0x12, .seq = 7000, .ack = 1,
			   .tsval = 9000, .tsecr = 77 };
	size_t n = build(f, &file);

	kp_decode_frame(&d, f, (uint32_t)n, (uint32_t)n);
	kp_replay_tcp_synack(m, &d, false);
	n = build(f, &own);
	kp_decode_frame(&d, f, (uint32_t)n, (uint32_t)n);
	kp_replay_tcp_synack(m, &d, true);
}

KP_TEST(ack_sack_and_ts_echo_move_with_a_valid_checksum)
{
	struct kp_replay_tcpmap m = { 0 };
	uint8_t f[128];
	struct kp_decoded d;
	struct seg ack = { .from_client = true, .flags = 0x10, .seq = 1,
			   .ack = 1001, .tsval = 78, .tsecr = 500,
			   .sack_start = 1101, .sack_end = 1201 };
	size_t n;

	synacks(&m);
	n = build(f, &ack);
	kp_decode_frame(&d, f, (uint32_t)n, (uint32_t)n);
	KP_CHECK(st, d.tcp.csum_ok);
	KP_CHECK(st, kp_replay_tcp_translate(&m, f, &d));
	kp_decode_frame(&d, f, (uint32_t)n, (uint32_t)n);
	KP_CHECK_EQ(st, d.tcp.ack, 7001);
	KP_CHECK_EQ(st, d.tcp.seq, 1); /* the client's own space: kept */
	KP_CHECK_EQ(st, d.tcp.ts_val, 78);
	KP_CHECK_EQ(st, d.tcp.ts_ecr, 9000);
	KP_CHECK_EQ(st, d.tcp.nsack, 1);
	KP_CHECK_EQ(st, d.tcp.sack[0].start, 7101);
	KP_CHECK_EQ(st, d.tcp.sack[0].end, 7201);
	KP_CHECK(st, d.tcp.csum_checked && d.tcp.csum_ok);
	KP_CHECK_EQ(st, m.translated, 1);
	kp_replay_tcp_free(&m);
}

KP_TEST(no_synack_pair_leaves_the_segment_alone)
{
	struct kp_replay_tcpmap m = { 0 };
	uint8_t f[128], before[128];
	struct kp_decoded d;
	struct seg syn = { .from_client = true, .flags = 0x02, .seq = 0,
			   .tsval = 77 };
	struct seg ack = { .from_client = true, .flags = 0x10, .seq = 1,
			   .ack = 1001, .tsval = 78, .tsecr = 500 };
	size_t n = build(f, &syn);

	kp_decode_frame(&d, f, (uint32_t)n, (uint32_t)n);
	KP_CHECK(st, !kp_replay_tcp_translate(&m, f, &d));
	KP_CHECK_EQ(st, m.untranslated, 0); /* a SYN needs no translation */
	n = build(f, &ack);
	memcpy(before, f, n);
	kp_decode_frame(&d, f, (uint32_t)n, (uint32_t)n);
	KP_CHECK(st, !kp_replay_tcp_translate(&m, f, &d));
	KP_CHECK(st, memcmp(before, f, n) == 0);
	KP_CHECK_EQ(st, m.untranslated, 1);
	kp_replay_tcp_free(&m);
}

KP_TEST(a_bad_checksum_stays_bad)
{
	struct kp_replay_tcpmap m = { 0 };
	uint8_t f[128];
	struct kp_decoded d;
	struct seg ack = { .from_client = true, .flags = 0x10, .seq = 1,
			   .ack = 1001, .tsval = 78, .tsecr = 500 };
	size_t n;

	synacks(&m);
	n = build(f, &ack);
	f[34 + 17] ^= 0x40; /* the capture's offloaded checksum */
	kp_decode_frame(&d, f, (uint32_t)n, (uint32_t)n);
	KP_CHECK(st, !d.tcp.csum_ok);
	KP_CHECK(st, kp_replay_tcp_translate(&m, f, &d));
	kp_decode_frame(&d, f, (uint32_t)n, (uint32_t)n);
	KP_CHECK_EQ(st, d.tcp.ack, 7001);
	KP_CHECK(st, !d.tcp.csum_ok);
	kp_replay_tcp_free(&m);
}

KP_TEST_MAIN(ack_sack_and_ts_echo_move_with_a_valid_checksum,
	     no_synack_pair_leaves_the_segment_alone, a_bad_checksum_stays_bad)
