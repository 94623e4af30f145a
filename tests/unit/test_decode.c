/*
 * test_decode.c - the bounds-checked frame decoder (src/capture/decode.c,
 * decode_l4.c) on frames built here: good UDP and TCP with options, and
 * each kind of damage named in problems.def that replay reports (IHL,
 * total length, truncations, checksums, option lengths), with the byte
 * offset where it was found.
 */
#include <stdint.h>
#include <string.h>

#include "capture/decode.h"
#include "frame_util.h"
#include "kp_test.h"

/* Ethernet + IPv4 (proto, l4len bytes of payload at f + 34). */
static size_t ipv4(uint8_t *f, uint8_t proto, size_t l4len)
{
	memset(f, 0, 34 + l4len);
	memset(f, 0x02, 12);
	fu_put16(f + 12, 0x0800);
	f[14] = 0x45;
	fu_put16(f + 16, (uint16_t)(20 + l4len));
	f[22] = 64;
	f[23] = proto;
	memcpy(f + 26, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	fu_put16(f + 24, fu_csum(f + 14, 20, 0));
	return 34 + l4len;
}

static void l4_csum(uint8_t *f, size_t l4len, unsigned off)
{
	uint32_t ps = 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + f[23] +
		      (uint32_t)l4len;
	fu_put16(f + 34 + off, 0);
	fu_put16(f + 34 + off, fu_csum(f + 34, l4len, ps));
}

static size_t udp(uint8_t *f, size_t paylen)
{
	size_t len = ipv4(f, 17, 8 + paylen);
	fu_put16(f + 34, 4000);
	fu_put16(f + 36, 53);
	fu_put16(f + 38, (uint16_t)(8 + paylen));
	l4_csum(f, 8 + paylen, 6);
	return len;
}

KP_TEST(good_udp_decodes)
{
	uint8_t f[128];
	struct kp_decoded d;
	size_t len = udp(f, 10);

	KP_CHECK_EQ(st, kp_decode_frame(&d, f, (uint32_t)len, (uint32_t)len),
		    0);
	KP_CHECK(st, d.layers & KP_LAYER_IPV4);
	KP_CHECK(st, d.layers & KP_LAYER_UDP);
	KP_CHECK_EQ(st, d.ip.saddr, 0x0a000001);
	KP_CHECK_EQ(st, d.udp.dport, 53);
	KP_CHECK_EQ(st, d.udp.payload_len, 10);
	KP_CHECK(st, d.ip.csum_ok);
	KP_CHECK(st, d.udp.csum_checked && d.udp.csum_ok);
}

KP_TEST(tcp_options_decode)
{
	uint8_t f[128];
	struct kp_decoded d;
	static const uint8_t opts[] = { 2,  4,	5,  0xb4, 1, 3, 3, 7, 4, 2,
					8,  10, 0,  0,	  0, 1, 0, 0, 0, 2 };
	size_t l4len = 20 + sizeof(opts);
	size_t len = ipv4(f, 6, l4len);

	fu_put16(f + 34, 44188);
	fu_put16(f + 36, 43);
	f[46] = (uint8_t)((l4len / 4) << 4);
	f[47] = 0x02; /* SYN */
	fu_put16(f + 48, 29200);
	memcpy(f + 54, opts, sizeof(opts));
	l4_csum(f, l4len, 16);
	KP_CHECK_EQ(st, kp_decode_frame(&d, f, (uint32_t)len, (uint32_t)len),
		    0);
	KP_CHECK(st, d.layers & KP_LAYER_TCP);
	KP_CHECK_EQ(st, d.tcp.flags, 0x02);
	KP_CHECK(st, d.tcp.has_mss && d.tcp.mss == 1460);
	KP_CHECK(st, d.tcp.has_wscale && d.tcp.wscale == 7);
	KP_CHECK(st, d.tcp.sack_ok);
	KP_CHECK(st, d.tcp.has_ts && d.tcp.ts_val == 1 && d.tcp.ts_ecr == 2);
	KP_CHECK(st, d.tcp.csum_ok);
	/* a bad option length is named with its offset */
	f[55] = 40;
	l4_csum(f, l4len, 16);
	kp_decode_frame(&d, f, (uint32_t)len, (uint32_t)len);
	KP_CHECK(st, kp_decode_has_problem(&d, KP_PROB_TCP_BAD_OPTION));
}

KP_TEST(ip_header_damage_is_named)
{
	uint8_t f[128];
	struct kp_decoded d;
	size_t len = udp(f, 10);
	char buf[200];

	f[14] = 0x44; /* IHL 4 */
	kp_decode_frame(&d, f, (uint32_t)len, (uint32_t)len);
	KP_CHECK(st, kp_decode_has_problem(&d, KP_PROB_IP_BAD_IHL));
	KP_CHECK_EQ(st, d.problems[0].offset, 14);
	kp_problem_format(&d.problems[0], buf, sizeof(buf));
	KP_CHECK_STR(st, buf, "bad IPv4 header length (IHL) at byte 14 "
			      "(IHL 4, at least 5)");
	KP_CHECK_STR(st, kp_problem_name(KP_PROB_IP_BAD_IHL), "IP_BAD_IHL");

	udp(f, 10);
	f[14] = 0x65; /* version 6 */
	kp_decode_frame(&d, f, (uint32_t)len, (uint32_t)len);
	KP_CHECK(st, kp_decode_has_problem(&d, KP_PROB_IP_BAD_VERSION));

	udp(f, 10);
	fu_put16(f + 16, 200); /* total length beyond the frame */
	kp_decode_frame(&d, f, (uint32_t)len, (uint32_t)len);
	KP_CHECK(st, kp_decode_has_problem(&d, KP_PROB_IP_TOTLEN_BEYOND));

	udp(f, 10);
	fu_put16(f + 16, 12); /* smaller than the header */
	kp_decode_frame(&d, f, (uint32_t)len, (uint32_t)len);
	KP_CHECK(st, kp_decode_has_problem(&d, KP_PROB_IP_BAD_TOTLEN));

	udp(f, 10);
	f[24] ^= 0xff; /* header checksum */
	kp_decode_frame(&d, f, (uint32_t)len, (uint32_t)len);
	KP_CHECK(st, kp_decode_has_problem(&d, KP_PROB_IP_BAD_CSUM));
	KP_CHECK(st, !d.ip.csum_ok);
}

KP_TEST(truncation_and_l4_damage_is_named)
{
	uint8_t f[128];
	struct kp_decoded d;
	size_t len = udp(f, 10);

	kp_decode_frame(&d, f, 10, 10);
	KP_CHECK(st, kp_decode_has_problem(&d, KP_PROB_ETH_TRUNCATED));
	kp_decode_frame(&d, f, 30, 30);
	KP_CHECK(st, kp_decode_has_problem(&d, KP_PROB_IP_TRUNCATED));
	/* captured short of the wire: checksums cannot be verified */
	kp_decode_frame(&d, f, (uint32_t)len - 4, (uint32_t)len);
	KP_CHECK(st, kp_decode_has_problem(&d, KP_PROB_FRAME_SHORT));
	KP_CHECK(st, !d.udp.csum_checked);

	udp(f, 10);
	f[50] ^= 1; /* payload byte: the UDP checksum no longer holds */
	kp_decode_frame(&d, f, (uint32_t)len, (uint32_t)len);
	KP_CHECK(st, kp_decode_has_problem(&d, KP_PROB_UDP_BAD_CSUM));

	udp(f, 10);
	fu_put16(f + 38, 60); /* UDP length beyond the datagram */
	kp_decode_frame(&d, f, (uint32_t)len, (uint32_t)len);
	KP_CHECK(st, kp_decode_has_problem(&d, KP_PROB_UDP_BAD_LEN));

	/* TCP with a data offset past the segment */
	len = ipv4(f, 6, 20);
	f[46] = 0xf0;
	kp_decode_frame(&d, f, (uint32_t)len, (uint32_t)len);
	KP_CHECK(st, kp_decode_has_problem(&d, KP_PROB_TCP_BAD_DOFF));
}

KP_TEST(vlan_and_arp)
{
	uint8_t f[128];
	struct kp_decoded d;

	memset(f, 0, sizeof(f));
	memset(f, 0xff, 6);
	memset(f + 6, 0x02, 6);
	fu_put16(f + 12, 0x8100);
	fu_put16(f + 14, 0x0064); /* VLAN 100 */
	fu_put16(f + 16, 0x0806);
	uint8_t *arp = f + 18;
	fu_put16(arp, 1);
	fu_put16(arp + 2, 0x0800);
	arp[4] = 6;
	arp[5] = 4;
	fu_put16(arp + 6, 1);
	memcpy(arp + 14, "\x0a\x00\x00\x01", 4);
	memcpy(arp + 24, "\x0a\x00\x00\x02", 4);
	KP_CHECK_EQ(st, kp_decode_frame(&d, f, 64, 64), 0);
	KP_CHECK_EQ(st, d.eth.nvlan, 1);
	KP_CHECK_EQ(st, d.eth.vlan_tci[0], 100);
	KP_CHECK(st, d.layers & KP_LAYER_ARP);
	KP_CHECK_EQ(st, d.arp.op, 1);
	KP_CHECK_EQ(st, d.arp.tpa, 0x0a000002);
	kp_decode_frame(&d, f, 30, 30);
	KP_CHECK(st, kp_decode_has_problem(&d, KP_PROB_ARP_TRUNCATED));
}

KP_TEST_MAIN(good_udp_decodes, tcp_options_decode, ip_header_damage_is_named,
	     truncation_and_l4_damage_is_named, vlan_and_arp)
