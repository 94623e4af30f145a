/*
 * decode.c - Ethernet, 802.1Q, ARP and IPv4 for the decoded view; the
 * transport layers are in decode_l4.c.  Every read is checked against
 * caplen; lengths from headers are checked against the wire length.
 */
#include "decode.h"

#include <stdio.h>
#include <string.h>

#include "csum.h"
#include "decode_priv.h"

#define ETH_HLEN 14
#define ETH_P_IP 0x0800
#define ETH_P_ARP 0x0806
#define IP_MF 0x2000
#define IP_DF 0x4000
#define IP_OFFMASK 0x1fff
#define IPOPT_EOL 0
#define IPOPT_NOP 1
#define IPOPT_RR 7
#define IPOPT_TS 68
#define IPOPT_LSRR 131
#define IPOPT_SSRR 137
#define IPOPT_RA 148
#define IPPROTO_ICMP_ 1
#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17

static const struct {
	const char *name, *desc, *detail;
} problem_table[] = {
#define KP_PROBLEM(name, desc, detail) { #name, desc, detail },
#include "problems.def"
#undef KP_PROBLEM
};

const char *kp_problem_name(enum kp_problem id)
{
	return (unsigned int)id < KP_PROB__COUNT ? problem_table[id].name
						 : "?";
}

const char *kp_problem_desc(enum kp_problem id)
{
	return (unsigned int)id < KP_PROB__COUNT ? problem_table[id].desc
						 : "?";
}

int kp_problem_format(const struct kp_problem_rec *p, char *buf, size_t n)
{
	char detail[64];

	if ((unsigned int)p->id >= KP_PROB__COUNT)
		return snprintf(buf, n, "unknown problem %d", (int)p->id);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(detail, sizeof(detail), problem_table[p->id].detail, p->found,
		 p->expected);
#pragma GCC diagnostic pop
	return snprintf(buf, n, "%s at byte %u (%s)", problem_table[p->id].desc,
			p->offset, detail);
}

void kp_decode_problem(struct kp_decoded *d, enum kp_problem id,
		       uint32_t offset, uint32_t found, uint32_t expected)
{
	struct kp_problem_rec *p;

	if (d->nproblems >= KP_DECODE_MAX_PROBLEMS)
		return;
	p = &d->problems[d->nproblems++];
	p->id = id;
	p->offset = offset;
	p->found = found;
	p->expected = expected;
}

bool kp_decode_has_problem(const struct kp_decoded *d, enum kp_problem id)
{
	for (unsigned int i = 0; i < d->nproblems; i++)
		if (d->problems[i].id == id)
			return true;
	return false;
}

static void decode_arp(struct kp_decoded *d, uint32_t off)
{
	struct kp_arp_view *a = &d->arp;
	const uint8_t *p = d->frame + off;
	uint32_t cap = d->caplen - off;

	a->off = off;
	if (cap < 8) {
		kp_decode_problem(d, KP_PROB_ARP_TRUNCATED, off, cap, 8);
		return;
	}
	a->hrd = kp_get16(p);
	a->pro = kp_get16(p + 2);
	a->hln = p[4];
	a->pln = p[5];
	a->op = kp_get16(p + 6);
	d->layers |= KP_LAYER_ARP;
	if (a->hln != 6 || a->pln != 4 || a->pro != ETH_P_IP) {
		kp_decode_problem(d, KP_PROB_ARP_UNSUPPORTED, off, a->hrd,
				  a->pro);
		return;
	}
	if (cap < 28) {
		kp_decode_problem(d, KP_PROB_ARP_TRUNCATED, off, cap, 28);
		return;
	}
	memcpy(a->sha, p + 8, 6);
	a->spa = kp_get32(p + 14);
	memcpy(a->tha, p + 18, 6);
	a->tpa = kp_get32(p + 24);
}

/* Option-specific rules (RFC 791, RFC 2113); false if malformed. */
static bool ip_option_ok(const uint8_t *p, uint32_t len)
{
	switch (p[0]) {
	case IPOPT_RR:
	case IPOPT_LSRR:
	case IPOPT_SSRR:
		return len >= 3 && (len - 3) % 4 == 0 && p[2] >= 4;
	case IPOPT_TS:
		if (len < 4 || p[2] < 5)
			return false;
		/* timestamps only: 4 bytes a hop; with addresses: 8 */
		return (len - 4) % ((p[3] & 0x0f) == 0 ? 4 : 8) == 0;
	case IPOPT_RA:
		return len == 4;
	}
	return true;
}

static void decode_ip_options(struct kp_decoded *d)
{
	const uint8_t *p = d->frame + d->ip.opt_off;
	uint32_t left = d->ip.opt_len, len;

	while (left > 0) {
		if (p[0] == IPOPT_EOL)
			return;
		if (p[0] == IPOPT_NOP) {
			p++;
			left--;
			continue;
		}
		len = left >= 2 ? p[1] : 0;
		if (len < 2 || len > left || !ip_option_ok(p, len)) {
			kp_decode_problem(d, KP_PROB_IP_BAD_OPTION,
					  (uint32_t)(p - d->frame), p[0], len);
			return;
		}
		p += len;
		left -= len;
	}
}

static void decode_l4(struct kp_decoded *d)
{
	if (d->ip.frag_bytes) /* a later fragment: no transport header */
		return;
	switch (d->ip.protocol) {
	case IPPROTO_TCP_:
		kp_decode_tcp(d);
		break;
	case IPPROTO_UDP_:
		kp_decode_udp(d);
		break;
	case IPPROTO_ICMP_:
		kp_decode_icmp(d);
		break;
	}
}

/* The IPv4 header at @off; the rest of the frame is the datagram. */
static void decode_ip(struct kp_decoded *d, uint32_t off)
{
	struct kp_ipv4_view *ip = &d->ip;
	const uint8_t *p = d->frame + off;
	uint32_t cap = d->caplen - off;
	uint32_t wire = d->wirelen > off ? d->wirelen - off : 0;
	uint32_t len;

	ip->off = off;
	if (cap < 1 || (p[0] >> 4) != 4) {
		if (cap < 1)
			kp_decode_problem(d, KP_PROB_IP_TRUNCATED, off, cap, 20);
		else
			kp_decode_problem(d, KP_PROB_IP_BAD_VERSION, off,
					  p[0] >> 4, 4);
		return;
	}
	if (cap < 20) {
		kp_decode_problem(d, KP_PROB_IP_TRUNCATED, off, cap, 20);
		return;
	}
	ip->version = 4;
	ip->hlen = (uint32_t)(p[0] & 0x0f) * 4;
	ip->tos = p[1];
	ip->tot_len = kp_get16(p + 2);
	ip->id = kp_get16(p + 4);
	ip->frag_off = kp_get16(p + 6);
	ip->df = ip->frag_off & IP_DF;
	ip->mf = ip->frag_off & IP_MF;
	ip->frag_bytes = (uint32_t)(ip->frag_off & IP_OFFMASK) * 8;
	ip->ttl = p[8];
	ip->protocol = p[9];
	ip->check = kp_get16(p + 10);
	ip->saddr = kp_get32(p + 12);
	ip->daddr = kp_get32(p + 16);
	d->layers |= KP_LAYER_IPV4;
	if (ip->hlen < 20) {
		kp_decode_problem(d, KP_PROB_IP_BAD_IHL, off, ip->hlen / 4, 5);
		return;
	}
	if (ip->hlen > cap) {
		kp_decode_problem(d, KP_PROB_IP_TRUNCATED, off, cap, ip->hlen);
		return;
	}
	ip->opt_off = off + 20;
	ip->opt_len = ip->hlen - 20;
	if (kp_cap_csum_fold(kp_cap_csum_add(0, p, ip->hlen)) == 0) {
		ip->csum_ok = true;
	} else {
		uint32_t sum = kp_cap_csum_add(0, p, 10);
		sum = kp_cap_csum_add(sum, p + 12, ip->hlen - 12);
		kp_decode_problem(d, KP_PROB_IP_BAD_CSUM, off + 10, ip->check,
				  kp_cap_csum_fold(sum));
	}
	decode_ip_options(d);
	if (ip->tot_len < ip->hlen) {
		kp_decode_problem(d, KP_PROB_IP_BAD_TOTLEN, off + 2,
				  ip->tot_len, ip->hlen);
		return;
	}
	len = ip->tot_len;
	if (len > wire) {
		kp_decode_problem(d, KP_PROB_IP_TOTLEN_BEYOND, off + 2, len,
				  wire);
		len = wire < ip->hlen ? ip->hlen : wire;
	}
	ip->payload_off = off + ip->hlen;
	ip->payload_len = len - ip->hlen;
	ip->payload_cap = cap - ip->hlen < ip->payload_len ? cap - ip->hlen
							   : ip->payload_len;
	decode_l4(d);
}

static void decode_begin(struct kp_decoded *d, const uint8_t *frame,
			 uint32_t caplen, uint32_t wirelen)
{
	memset(d, 0, sizeof(*d));
	d->frame = frame;
	d->caplen = caplen;
	d->wirelen = wirelen;
	if (caplen > wirelen) {
		kp_decode_problem(d, KP_PROB_FRAME_LEN, 0, caplen, wirelen);
		d->wirelen = caplen;
	} else if (caplen < wirelen) {
		kp_decode_problem(d, KP_PROB_FRAME_SHORT, caplen, caplen,
				  wirelen);
	}
}

unsigned int kp_decode_ipv4(struct kp_decoded *d, const uint8_t *pkt,
			    uint32_t caplen, uint32_t wirelen)
{
	decode_begin(d, pkt, caplen, wirelen);
	decode_ip(d, 0);
	return d->nproblems;
}

static bool is_vlan(uint16_t proto)
{
	return proto == 0x8100 || proto == 0x88a8 || proto == 0x9100 ||
	       proto == 0x9200;
}

unsigned int kp_decode_frame(struct kp_decoded *d, const uint8_t *frame,
			     uint32_t caplen, uint32_t wirelen)
{
	struct kp_eth_view *eth = &d->eth;
	uint32_t off = ETH_HLEN;

	decode_begin(d, frame, caplen, wirelen);
	if (caplen < ETH_HLEN) {
		kp_decode_problem(d, KP_PROB_ETH_TRUNCATED, 0, caplen,
				  ETH_HLEN);
		return d->nproblems;
	}
	memcpy(eth->dst, frame, 6);
	memcpy(eth->src, frame + 6, 6);
	eth->proto = kp_get16(frame + 12);
	d->layers |= KP_LAYER_ETH;
	while (is_vlan(eth->proto) && eth->nvlan < KP_DECODE_MAX_VLANS) {
		if (caplen - off < 4) {
			kp_decode_problem(d, KP_PROB_VLAN_TRUNCATED, off,
					  caplen - off, 4);
			return d->nproblems;
		}
		eth->vlan_tci[eth->nvlan++] = kp_get16(frame + off);
		eth->proto = kp_get16(frame + off + 2);
		off += 4;
	}
	eth->hlen = off;
	if (eth->proto == ETH_P_ARP)
		decode_arp(d, off);
	else if (eth->proto == ETH_P_IP)
		decode_ip(d, off);
	return d->nproblems;
}
