/*
 * tcpframe.c - building and parsing the TCP/IPv4 frames of a packetdrill
 * run (see tcpframe.h).  Inbound payload bytes are zeros, as packetdrill
 * sends them; inbound SACK blocks get the local ISN added (they ack our
 * data), outbound ones are read as they are.  Left out: IP options,
 * IPv6, GRE/MPLS encapsulation.
 */
#include "tcpframe.h"

#include <arpa/inet.h>
#include <string.h>

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)(p[n - 1] << 8);
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static int build_opts(const struct pd_packet *pk, uint32_t sack_add,
		      uint8_t *o)
{
	int n = 0;
	for (int i = 0; i < pk->nr_opts; i++) {
		const struct pd_tcp_opt *x = &pk->opts[i];
		switch (x->kind) {
		case PD_OPT_NOP:
		case PD_OPT_EOL:
			o[n++] = (uint8_t)x->kind;
			break;
		case PD_OPT_MSS:
			o[n] = 2, o[n + 1] = 4;
			put16(o + n + 2, x->a);
			n += 4;
			break;
		case PD_OPT_WSCALE:
			o[n] = 3, o[n + 1] = 3, o[n + 2] = (uint8_t)x->a;
			n += 3;
			break;
		case PD_OPT_SACKOK:
			o[n] = 4, o[n + 1] = 2;
			n += 2;
			break;
		case PD_OPT_SACK:
			if (n + 2 + 8 * x->nr_blocks > 40)
				return -1;
			o[n] = 5, o[n + 1] = (uint8_t)(2 + 8 * x->nr_blocks);
			for (int b = 0; b < x->nr_blocks; b++) {
				put32(o + n + 2 + 8 * b, x->blocks[b][0] +
							      sack_add);
				put32(o + n + 6 + 8 * b, x->blocks[b][1] +
							      sack_add);
			}
			n += 2 + 8 * x->nr_blocks;
			break;
		case PD_OPT_TS:
			o[n] = 8, o[n + 1] = 10;
			put32(o + n + 2, x->a);
			put32(o + n + 6, x->b);
			n += 10;
			break;
		}
		if (n > 40)
			return -1;
	}
	while (n % 4)
		o[n++] = 0; /* EOL padding */
	return n > 40 ? -1 : n;
}

int pd_opts_len(const struct pd_packet *pk)
{
	uint8_t opts[64];
	return build_opts(pk, 0, opts);
}

int pd_frame_build(struct pd_frame_addr *a, const struct pd_packet *pk,
		   uint32_t seq, uint32_t ack, uint8_t *buf, size_t size)
{
	uint8_t opts[64] = { 0 };
	int olen = build_opts(pk, a->sack_add, opts);
	uint32_t plen = pk->end - pk->seq;
	if (olen < 0 || plen > 1460)
		return -1;
	size_t tcplen = 20 + (size_t)olen + plen;
	size_t total = 14 + 20 + tcplen;
	size_t flen = total < 60 ? 60 : total;
	if (flen > size)
		return -1;
	memset(buf, 0, flen);
	memcpy(buf, a->dst_mac, 6);
	memcpy(buf + 6, a->src_mac, 6);
	put16(buf + 12, 0x0800);
	uint8_t *ip = buf + 14;
	ip[0] = 0x45;
	put16(ip + 2, (uint32_t)(20 + tcplen));
	put16(ip + 4, a->ip_id++); /* consecutive, as GRO wants them */
	ip[6] = 0x40; /* DF */
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, &a->saddr, 4);
	memcpy(ip + 16, &a->daddr, 4);
	put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	uint8_t *th = ip + 20;
	put16(th, a->sport);
	put16(th + 2, a->dport);
	put32(th + 4, seq);
	put32(th + 8, pk->has_ack ? ack : 0);
	th[12] = (uint8_t)(((20 + olen) / 4) << 4);
	th[13] = pk->flags | (pk->has_ack ? 0x10 : 0);
	put16(th + 14, pk->has_win ? pk->win : 65535);
	memcpy(th + 20, opts, (size_t)olen);
	uint32_t sum = csum_add(0, ip + 12, 8);
	sum += 6 + (uint32_t)tcplen;
	sum = csum_add(sum, th, tcplen);
	put16(th + 16, csum_fold(sum));
	return (int)flen;
}

static uint32_t get16(const uint8_t *p)
{
	return (uint32_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return get16(p) << 16 | get16(p + 2);
}

int pd_frame_parse(const uint8_t *f, size_t len, struct pd_seg *s)
{
	memset(s, 0, sizeof(*s));
	if (len < 34 || get16(f + 12) != 0x0800)
		return -1;
	const uint8_t *ip = f + 14;
	size_t ihl = (size_t)(ip[0] & 15) * 4;
	size_t tot = get16(ip + 2);
	if ((ip[0] >> 4) != 4 || ihl < 20 || ip[9] != 6 || tot < ihl + 20 ||
	    14 + tot > len)
		return -1;
	const uint8_t *th = ip + ihl;
	size_t doff = (size_t)(th[12] >> 4) * 4;
	if (doff < 20 || ihl + doff > tot)
		return -1;
	memcpy(&s->saddr, ip + 12, 4);
	memcpy(&s->daddr, ip + 16, 4);
	s->saddr = ntohl(s->saddr);
	s->daddr = ntohl(s->daddr);
	s->sport = (uint16_t)get16(th);
	s->dport = (uint16_t)get16(th + 2);
	s->seq = get32(th + 4);
	s->ack = get32(th + 8);
	s->flags = th[13];
	s->win = (uint16_t)get16(th + 14);
	s->len = (uint32_t)(tot - ihl - doff);
	for (size_t i = 20; i < doff && s->nr_opts < PD_MAX_OPTS;) {
		struct pd_tcp_opt o = { .kind = (enum pd_tcp_opt_kind)th[i] };
		if (th[i] == 0)
			break;
		if (th[i] == 1) {
			s->opts[s->nr_opts++] = o;
			i++;
			continue;
		}
		if (i + 1 >= doff || th[i + 1] < 2 || i + th[i + 1] > doff)
			break;
		if (th[i] == 2 && th[i + 1] == 4)
			o.a = get16(th + i + 2);
		else if (th[i] == 3 && th[i + 1] == 3)
			o.a = th[i + 2];
		else if (th[i] == 8 && th[i + 1] == 10)
			o.a = get32(th + i + 2), o.b = get32(th + i + 6);
		else if (th[i] == 5)
			for (size_t b = i + 2; b + 8 <= i + th[i + 1] &&
					       o.nr_blocks < PD_MAX_SACK;
			     b += 8) {
				o.blocks[o.nr_blocks][0] = get32(th + b);
				o.blocks[o.nr_blocks++][1] = get32(th + b + 4);
			}
		s->opts[s->nr_opts++] = o;
		i += th[i + 1];
	}
	return 0;
}
