/*
 * tcpdump_seq.c - relative sequence numbers, after the tcp_seq_hash4
 * table in tcpdump's tcp_print().  A connection is keyed by its two
 * addresses and ports in a fixed order (the one with the higher port -
 * or, ports equal, the higher address - second), so both directions
 * share one entry; the entry is (re)written on first sight and on every
 * SYN, and otherwise subtracted.  Only segments with ACK take part.  The
 * table is an open-addressing hash owned by struct kp_tcpdump_state;
 * tcpdump never forgets a connection and neither does this.
 */
#include <stdlib.h>
#include <string.h>

#include "tcpdump_nd.h"

#define TH_SYN 0x02
#define MIN_CAP 64

struct kp_tcpdump_flow {
	uint32_t src, dst, port; /* the key; port = sport << 16 | dport */
	uint32_t seq, ack;
	bool used;
};

void kp_tcpdump_state_init(struct kp_tcpdump_state *st)
{
	memset(st, 0, sizeof(*st));
}

void kp_tcpdump_state_free(struct kp_tcpdump_state *st)
{
	free(st->flows);
	memset(st, 0, sizeof(*st));
}

static size_t flow_hash(uint32_t src, uint32_t dst, uint32_t port)
{
	uint64_t h = (uint64_t)src * 0x9e3779b97f4a7c15u;

	h ^= (h >> 29) + (uint64_t)dst * 0xbf58476d1ce4e5b9u;
	h ^= (h >> 31) + (uint64_t)port * 0x94d049bb133111ebu;
	return (size_t)(h ^ (h >> 32));
}

static struct kp_tcpdump_flow *flow_slot(struct kp_tcpdump_flow *flows,
					 size_t cap, uint32_t src,
					 uint32_t dst, uint32_t port)
{
	size_t i = flow_hash(src, dst, port) & (cap - 1);

	while (flows[i].used && (flows[i].src != src || flows[i].dst != dst ||
				 flows[i].port != port))
		i = (i + 1) & (cap - 1);
	return &flows[i];
}

static bool flows_grow(struct kp_tcpdump_state *st)
{
	size_t cap = st->cap ? st->cap * 2 : MIN_CAP;
	struct kp_tcpdump_flow *flows = calloc(cap, sizeof(*flows));

	if (!flows)
		return false;
	for (size_t i = 0; i < st->cap; i++) {
		const struct kp_tcpdump_flow *f = &st->flows[i];
		if (f->used)
			*flow_slot(flows, cap, f->src, f->dst, f->port) = *f;
	}
	free(st->flows);
	st->flows = flows;
	st->cap = cap;
	return true;
}

void kp_nd_tcp_seq(struct kp_nd *nd, const uint8_t *ip, uint16_t sport,
		   uint16_t dport, uint8_t flags, uint32_t *seq,
		   uint32_t *ack, int *rev, uint32_t *thseq, uint32_t *thack)
{
	struct kp_tcpdump_state *st = nd->state;
	uint32_t saddr = kp_nd_be32(nd, ip + 12);
	uint32_t daddr = kp_nd_be32(nd, ip + 16);
	uint32_t src, dst, port;
	struct kp_tcpdump_flow *f;

	*rev = sport > dport || (sport == dport && saddr > daddr);
	if (*rev) {
		src = daddr;
		dst = saddr;
		port = (uint32_t)dport << 16 | sport;
	} else {
		src = saddr;
		dst = daddr;
		port = (uint32_t)sport << 16 | dport;
	}
	if (!st)
		return; /* absolute numbers, like tcpdump -S */
	if (st->count + 1 > st->cap / 2 && !flows_grow(st))
		return;
	f = flow_slot(st->flows, st->cap, src, dst, port);
	if (!f->used || (flags & TH_SYN)) {
		if (!f->used)
			st->count++;
		f->used = true;
		f->src = src;
		f->dst = dst;
		f->port = port;
		if (*rev) {
			f->ack = *seq;
			f->seq = *ack - 1;
		} else {
			f->seq = *seq;
			f->ack = *ack - 1;
		}
	} else if (*rev) {
		*seq -= f->ack;
		*ack -= f->seq;
	} else {
		*seq -= f->seq;
		*ack -= f->ack;
	}
	*thseq = f->seq;
	*thack = f->ack;
}
