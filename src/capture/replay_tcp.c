/*
 * replay_tcp.c - receiver mode's TCP translation (see replay_tcp.h).
 * Mirrors no kernel file.
 */
#include "replay_tcp.h"

#include <stdlib.h>
#include <string.h>

#define TCP_FLAG_SYN 0x02
#define TCP_FLAG_ACK 0x10
#define TCPOPT_EOL 0
#define TCPOPT_NOP 1
#define TCPOPT_SACK 5
#define TCPOPT_TIMESTAMP 8

static struct kp_replay_tcpconn *
conn_find(struct kp_replay_tcpmap *m, uint32_t caddr, uint16_t cport,
	  uint32_t saddr, uint16_t sport, bool create)
{
	for (size_t i = 0; i < m->n; i++) {
		struct kp_replay_tcpconn *c = &m->v[i];
		if (c->caddr == caddr && c->cport == cport &&
		    c->saddr == saddr && c->sport == sport)
			return c;
	}
	if (!create)
		return NULL;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 8;
		struct kp_replay_tcpconn *v = realloc(m->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		m->v = v;
		m->cap = cap;
	}
	struct kp_replay_tcpconn *c = &m->v[m->n++];
	memset(c, 0, sizeof(*c));
	c->caddr = caddr;
	c->cport = cport;
	c->saddr = saddr;
	c->sport = sport;
	return c;
}

void kp_replay_tcp_synack(struct kp_replay_tcpmap *m,
			  const struct kp_decoded *d, bool own)
{
	if (!(d->layers & KP_LAYER_TCP) ||
	    (d->tcp.flags & (TCP_FLAG_SYN | TCP_FLAG_ACK)) !=
		    (TCP_FLAG_SYN | TCP_FLAG_ACK))
		return;
	/* the receiver sent it: the client is the destination */
	struct kp_replay_tcpconn *c =
		conn_find(m, d->ip.daddr, d->tcp.dport, d->ip.saddr,
			  d->tcp.sport, true);
	if (!c)
		return;
	if (own) {
		c->own_isn = d->tcp.seq;
		c->own_tsval = d->tcp.ts_val;
		c->own_ts = d->tcp.has_ts;
		c->have_own = true;
	} else {
		c->file_isn = d->tcp.seq;
		c->file_tsval = d->tcp.ts_val;
		c->file_ts = d->tcp.has_ts;
		c->have_file = true;
	}
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m') for one 16-bit word. */
static void csum_replace16(uint8_t *check, uint16_t from, uint16_t to)
{
	uint32_t sum = (uint16_t)~((uint32_t)check[0] << 8 | check[1]);
	sum += (uint16_t)~from;
	sum += to;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	uint16_t hc = (uint16_t)~sum;
	check[0] = (uint8_t)(hc >> 8);
	check[1] = (uint8_t)hc;
}

/* Move the 32-bit field at @p by @delta, keeping @check right. */
static void shift32(uint8_t *p, uint32_t delta, uint8_t *check)
{
	uint32_t from = get32(p), to = from + delta;
	put32(p, to);
	csum_replace16(check, (uint16_t)(from >> 16), (uint16_t)(to >> 16));
	csum_replace16(check, (uint16_t)from, (uint16_t)to);
}

/* The SACK blocks and the timestamp echo in the options of the TCP
 * header at @th (@doff bytes, all captured). */
static void shift_options(uint8_t *th, uint32_t doff, uint32_t seq_delta,
			  uint32_t ts_delta, bool shift_ts)
{
	uint8_t *check = th + 16;
	uint32_t i = 20;

	while (i < doff) {
		uint8_t kind = th[i];
		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= doff)
			break;
		uint8_t len = th[i + 1];
		if (len < 2 || i + len > doff)
			break; /* damaged options: leave the rest alone */
		if (kind == TCPOPT_SACK)
			for (uint32_t b = 2; b + 8 <= len; b += 8) {
				shift32(th + i + b, seq_delta, check);
				shift32(th + i + b + 4, seq_delta, check);
			}
		else if (kind == TCPOPT_TIMESTAMP && len == 10 && shift_ts &&
			 get32(th + i + 6) != 0)
			shift32(th + i + 6, ts_delta, check);
		i += len;
	}
}

bool kp_replay_tcp_translate(struct kp_replay_tcpmap *m, uint8_t *frame,
			     const struct kp_decoded *d)
{
	if (!(d->layers & KP_LAYER_TCP))
		return false;
	struct kp_replay_tcpconn *c =
		conn_find(m, d->ip.saddr, d->tcp.sport, d->ip.daddr,
			  d->tcp.dport, false);
	if (!c || !c->have_file || !c->have_own) {
		if (!(d->tcp.flags & TCP_FLAG_SYN) ||
		    (d->tcp.flags & TCP_FLAG_ACK))
			m->untranslated++;
		return false;
	}
	uint32_t doff = d->tcp.doff;
	if (doff < 20 || d->tcp.off + doff > d->caplen)
		return false;
	uint8_t *th = frame + d->tcp.off;
	uint32_t seq_delta = c->own_isn - c->file_isn;
	if (d->tcp.flags & TCP_FLAG_ACK)
		shift32(th + 8, seq_delta, th + 16);
	shift_options(th, doff, seq_delta, c->own_tsval - c->file_tsval,
		      c->file_ts && c->own_ts);
	m->translated++;
	return true;
}

void kp_replay_tcp_free(struct kp_replay_tcpmap *m)
{
	free(m->v);
	memset(m, 0, sizeof(*m));
}
