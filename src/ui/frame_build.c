/*
 * frame_build.c - Ethernet II + IPv4 + UDP or ICMP echo frames with real
 * checksums (RFC 791, 768, 792), for `inject`.  IPv4 options, when a
 * larger IHL is asked for, are NOPs.  Left out: TCP, fragments, VLANs.
 */
#include "frame_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/csum.h"
#include "net/ipv4/ip.h"

void kp_frame_spec_init(struct kp_frame_spec *spec)
{
	memset(spec, 0, sizeof(*spec));
	spec->l4 = KP_FRAME_UDP;
	spec->tot_len = -1;
	spec->trunc = -1;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

int kp_frame_build(const struct kp_frame_spec *spec, uint8_t *buf,
		   size_t size)
{
	const size_t eth = 14;
	size_t opt = 0;
	if (spec->ihl > 5 && spec->ihl <= 15)
		opt = (size_t)(spec->ihl - 5) * 4;
	size_t iph = 20 + opt;
	size_t l4h = 8; /* UDP and ICMP echo headers are both 8 bytes */
	size_t ip_len = iph + l4h + spec->payload_len;
	size_t len = eth + ip_len;
	if (len > size || ip_len > 65535 || size < 60)
		return -1;
	memset(buf, 0, len < 60 ? 60 : len);

	/* Ethernet */
	memcpy(buf, spec->dst_mac, 6);
	memcpy(buf + 6, spec->src_mac, 6);
	put16(buf + 12, 0x0800);

	/* IPv4 header */
	uint8_t *ip = buf + eth;
	int ihl = spec->ihl ? spec->ihl : 5;
	ip[0] = (uint8_t)(0x40 | (ihl & 0x0f));
	ip[1] = 0;
	put16(ip + 2, (uint16_t)(spec->tot_len >= 0 ? spec->tot_len
						    : (int)ip_len));
	put16(ip + 4, spec->ip_id);
	put16(ip + 6, 0x4000); /* DF */
	ip[8] = spec->ttl ? spec->ttl : 64;
	ip[9] = spec->l4 == KP_FRAME_UDP ? 17 : 1;
	put32(ip + 12, spec->saddr);
	put32(ip + 16, spec->daddr);
	memset(ip + 20, 1, opt); /* NOP options */
	uint16_t ipsum = kp_cap_csum_fold(kp_cap_csum_add(0, ip, iph));
	put16(ip + 10, (uint16_t)(ipsum + (spec->bad_ip_csum ? 1 : 0)));

	/* transport */
	uint8_t *l4 = ip + iph;
	if (spec->payload_len)
		memcpy(l4 + l4h, spec->payload, spec->payload_len);
	size_t l4_len = l4h + spec->payload_len;
	uint16_t sum;
	if (spec->l4 == KP_FRAME_UDP) {
		put16(l4, spec->sport);
		put16(l4 + 2, spec->dport);
		put16(l4 + 4, (uint16_t)l4_len);
		uint32_t s = kp_cap_csum_pseudo(spec->saddr, spec->daddr, 17,
						(uint32_t)l4_len);
		sum = kp_cap_csum_fold(kp_cap_csum_add(s, l4, l4_len));
		if (sum == 0)
			sum = 0xffff; /* 0 means "no checksum" in UDP */
	} else {
		l4[0] = 8; /* echo request */
		l4[1] = 0;
		put16(l4 + 4, spec->icmp_id);
		put16(l4 + 6, spec->icmp_seq);
		sum = kp_cap_csum_fold(kp_cap_csum_add(0, l4, l4_len));
	}
	put16(l4 + (spec->l4 == KP_FRAME_UDP ? 6 : 2),
	      (uint16_t)(sum + (spec->bad_l4_csum ? 1 : 0)));

	if (len < 60)
		len = 60;
	if (spec->trunc >= 0 && (size_t)spec->trunc < len)
		len = (size_t)spec->trunc;
	return (int)len;
}

void kp_frame_set_ip_id(const struct kp_frame_spec *spec, uint8_t *buf,
			uint16_t id)
{
	size_t opt = spec->ihl > 5 && spec->ihl <= 15
			     ? (size_t)(spec->ihl - 5) * 4
			     : 0;
	uint8_t *ip = buf + 14;

	put16(ip + 4, id);
	put16(ip + 10, 0);
	/* the header's checksum anew, 32 bits a step (once a frame of a
	 * burst: the same value kp_frame_build computes) */
	uint16_t ipsum = ntohs(ip_fast_csum(ip, 5 + (unsigned int)opt / 4));
	put16(ip + 10, (uint16_t)(ipsum + (spec->bad_ip_csum ? 1 : 0)));
}

int kp_parse_ipv4(const char *text, uint32_t *addr)
{
	unsigned int a, b, c, d;
	char tail;
	if (sscanf(text, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 ||
	    a > 255 || b > 255 || c > 255 || d > 255)
		return -1;
	*addr = a << 24 | b << 16 | c << 8 | d;
	return 0;
}

int kp_parse_ipv4_port(const char *text, uint32_t *addr, uint16_t *port)
{
	char host[32];
	const char *colon = strrchr(text, ':');
	char *end;
	if (!colon || (size_t)(colon - text) >= sizeof(host))
		return -1;
	memcpy(host, text, (size_t)(colon - text));
	host[colon - text] = '\0';
	unsigned long p = strtoul(colon + 1, &end, 10);
	if (end == colon + 1 || *end || p > 65535)
		return -1;
	if (kp_parse_ipv4(host, addr) < 0)
		return -1;
	*port = (uint16_t)p;
	return 0;
}
