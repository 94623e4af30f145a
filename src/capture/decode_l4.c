/*
 * decode_l4.c - TCP (with its options), UDP and ICMP for the decoded
 * view, and their checksums.  Called by decode.c once the IPv4 header
 * checked out and the datagram is the first (or only) fragment.  A
 * checksum is verified only when the whole datagram was captured and
 * it is not a fragment.
 */
#include <string.h>

#include "csum.h"
#include "decode_priv.h"

#define TCPOPT_EOL 0
#define TCPOPT_NOP 1
#define TCPOPT_MSS 2
#define TCPOPT_WSCALE 3
#define TCPOPT_SACK_PERM 4
#define TCPOPT_SACK 5
#define TCPOPT_TIMESTAMP 8

#define ICMP_ECHOREPLY 0
#define ICMP_DEST_UNREACH 3
#define ICMP_SOURCE_QUENCH 4
#define ICMP_REDIRECT 5
#define ICMP_ECHO 8
#define ICMP_TIME_EXCEEDED 11
#define ICMP_PARAMETERPROB 12
#define ICMP_TIMESTAMP 13
#define ICMP_ADDRESSREPLY 18
#define ICMP_FRAG_NEEDED 4
#define ICMP_EXT_ECHO 42
#define ICMP_EXT_ECHOREPLY 43

static bool whole_datagram(const struct kp_decoded *d)
{
	return !d->ip.mf && !d->ip.frag_bytes &&
	       d->ip.payload_cap == d->ip.payload_len;
}

/* Transport checksum over the IP payload: 0 when it verifies. */
static uint16_t l4_csum(const struct kp_decoded *d, uint32_t len)
{
	uint32_t sum = kp_cap_csum_pseudo(d->ip.saddr, d->ip.daddr,
					  d->ip.protocol, len);

	return kp_cap_csum_fold(
		kp_cap_csum_add(sum, d->frame + d->ip.payload_off, len));
}

/* What the checksum field should hold: computed with the field zeroed. */
static uint16_t expected_csum(const struct kp_decoded *d, uint32_t len,
			      uint32_t field, bool pseudo)
{
	const uint8_t *p = d->frame + d->ip.payload_off;
	uint32_t sum = 0;

	if (pseudo)
		sum = kp_cap_csum_pseudo(d->ip.saddr, d->ip.daddr,
					 d->ip.protocol, len);
	sum = kp_cap_csum_add(sum, p, field);
	sum = kp_cap_csum_add(sum, p + field + 2, len - field - 2);
	return kp_cap_csum_fold(sum);
}

static void tcp_option(struct kp_decoded *d, const uint8_t *o, uint32_t len)
{
	struct kp_tcp_view *t = &d->tcp;

	switch (o[0]) {
	case TCPOPT_MSS:
		if (len != 4)
			goto bad;
		t->has_mss = true;
		t->mss = kp_get16(o + 2);
		return;
	case TCPOPT_WSCALE:
		if (len != 3)
			goto bad;
		t->has_wscale = true;
		t->wscale = o[2];
		return;
	case TCPOPT_SACK_PERM:
		if (len != 2)
			goto bad;
		t->sack_ok = true;
		return;
	case TCPOPT_SACK:
		if ((len - 2) % 8)
			goto bad;
		for (uint32_t i = 2; i < len; i += 8) {
			if (t->nsack >= KP_DECODE_MAX_SACK)
				goto bad;
			t->sack[t->nsack].start = kp_get32(o + i);
			t->sack[t->nsack].end = kp_get32(o + i + 4);
			t->nsack++;
		}
		return;
	case TCPOPT_TIMESTAMP:
		if (len != 10)
			goto bad;
		t->has_ts = true;
		t->ts_val = kp_get32(o + 2);
		t->ts_ecr = kp_get32(o + 6);
		return;
	default:
		t->nunknown++;
		return;
	}
bad:
	kp_decode_problem(d, KP_PROB_TCP_BAD_OPTION,
			  (uint32_t)(o - d->frame), o[0], len);
}

static void tcp_options(struct kp_decoded *d)
{
	const uint8_t *o = d->frame + d->tcp.off + 20;
	uint32_t left = d->tcp.doff - 20, len;

	while (left > 0) {
		if (o[0] == TCPOPT_EOL)
			return;
		if (o[0] == TCPOPT_NOP) {
			o++;
			left--;
			continue;
		}
		len = left >= 2 ? o[1] : 0;
		if (len < 2 || len > left) {
			kp_decode_problem(d, KP_PROB_TCP_BAD_OPTION,
					  (uint32_t)(o - d->frame), o[0], len);
			return;
		}
		tcp_option(d, o, len);
		o += len;
		left -= len;
	}
}

void kp_decode_tcp(struct kp_decoded *d)
{
	struct kp_tcp_view *t = &d->tcp;
	uint32_t off = d->ip.payload_off, len = d->ip.payload_len;
	const uint8_t *p = d->frame + off;

	t->off = off;
	if (d->ip.payload_cap < 20) {
		kp_decode_problem(d, KP_PROB_TCP_TRUNCATED, off,
				  d->ip.payload_cap, 20);
		return;
	}
	t->sport = kp_get16(p);
	t->dport = kp_get16(p + 2);
	t->seq = kp_get32(p + 4);
	t->ack = kp_get32(p + 8);
	t->doff = (uint32_t)(p[12] >> 4) * 4;
	t->flags = (uint16_t)((p[12] & 1) << 8 | p[13]);
	t->window = kp_get16(p + 14);
	t->check = kp_get16(p + 16);
	t->urg_ptr = kp_get16(p + 18);
	d->layers |= KP_LAYER_TCP;
	if (t->doff < 20 || t->doff > len) {
		kp_decode_problem(d, KP_PROB_TCP_BAD_DOFF, off + 12,
				  t->doff / 4, len);
		return;
	}
	if (t->doff > d->ip.payload_cap) {
		kp_decode_problem(d, KP_PROB_TCP_TRUNCATED, off,
				  d->ip.payload_cap, t->doff);
		return;
	}
	tcp_options(d);
	t->payload_off = off + t->doff;
	t->payload_len = len - t->doff;
	if (!whole_datagram(d))
		return;
	t->csum_checked = true;
	t->csum_ok = l4_csum(d, len) == 0;
	if (!t->csum_ok)
		kp_decode_problem(d, KP_PROB_TCP_BAD_CSUM, off + 16, t->check,
				  expected_csum(d, len, 16, true));
}

void kp_decode_udp(struct kp_decoded *d)
{
	struct kp_udp_view *u = &d->udp;
	uint32_t off = d->ip.payload_off, len = d->ip.payload_len;
	const uint8_t *p = d->frame + off;

	u->off = off;
	if (d->ip.payload_cap < 8) {
		kp_decode_problem(d, KP_PROB_UDP_TRUNCATED, off,
				  d->ip.payload_cap, 8);
		return;
	}
	u->sport = kp_get16(p);
	u->dport = kp_get16(p + 2);
	u->len = kp_get16(p + 4);
	u->check = kp_get16(p + 6);
	d->layers |= KP_LAYER_UDP;
	/* a first fragment carries less than the datagram's UDP length */
	if (u->len < 8 || (u->len > len && !d->ip.mf)) {
		kp_decode_problem(d, KP_PROB_UDP_BAD_LEN, off + 4, u->len,
				  len);
		return;
	}
	u->payload_off = off + 8;
	u->payload_len = (u->len < len ? u->len : len) - 8u;
	if (!u->check || !whole_datagram(d))
		return;
	u->csum_checked = true;
	u->csum_ok = l4_csum(d, u->len) == 0;
	if (!u->csum_ok)
		kp_decode_problem(d, KP_PROB_UDP_BAD_CSUM, off + 6, u->check,
				  expected_csum(d, u->len, 6, true));
}

/*
 * The extension structure at @ext in an ICMP message of @len bytes
 * (RFC 4884): a 4-byte header of version 2, then objects of 4 bytes or
 * more that end exactly at the end of the message.
 */
static void icmp_extensions(struct kp_decoded *d, uint32_t ext, uint32_t len)
{
	const uint8_t *p = d->frame + d->icmp.off;
	uint32_t at, olen;

	if (ext + 4 > len || (p[ext] >> 4) != 2) {
		kp_decode_problem(d, KP_PROB_ICMP_BAD_EXT, d->icmp.off + ext,
				  0, len > ext ? len - ext : 0);
		return;
	}
	for (at = ext + 4; at < len; at += olen) {
		olen = len - at >= 2 ? kp_get16(p + at) : 0;
		if (olen < 4 || olen > len - at) {
			kp_decode_problem(d, KP_PROB_ICMP_BAD_EXT,
					  d->icmp.off + at, olen, len - at);
			return;
		}
	}
}

static void icmp_check_extensions(struct kp_decoded *d)
{
	struct kp_icmp_view *c = &d->icmp;
	const uint8_t *p = d->frame + c->off;
	uint32_t words;

	if (c->type == ICMP_EXT_ECHO || c->type == ICMP_EXT_ECHOREPLY) {
		icmp_extensions(d, 8, c->len);
		return;
	}
	if (c->type != ICMP_DEST_UNREACH && c->type != ICMP_TIME_EXCEEDED &&
	    c->type != ICMP_PARAMETERPROB)
		return;
	words = p[5]; /* RFC 4884 length of the quoted datagram, 0: none */
	if (words)
		icmp_extensions(d, 8 + words * 4, c->len);
}

static bool icmp_is_error(uint8_t type)
{
	return type == ICMP_DEST_UNREACH || type == ICMP_SOURCE_QUENCH ||
	       type == ICMP_REDIRECT || type == ICMP_TIME_EXCEEDED ||
	       type == ICMP_PARAMETERPROB;
}

void kp_decode_icmp(struct kp_decoded *d)
{
	struct kp_icmp_view *c = &d->icmp;
	uint32_t off = d->ip.payload_off, len = d->ip.payload_len;
	const uint8_t *p = d->frame + off;

	c->off = off;
	c->len = len;
	if (d->ip.payload_cap < 8) {
		kp_decode_problem(d, KP_PROB_ICMP_TRUNCATED, off,
				  d->ip.payload_cap, 8);
		return;
	}
	c->type = p[0];
	c->code = p[1];
	c->check = kp_get16(p + 2);
	d->layers |= KP_LAYER_ICMP;
	if (c->type == ICMP_ECHO || c->type == ICMP_ECHOREPLY ||
	    (c->type >= ICMP_TIMESTAMP && c->type <= ICMP_ADDRESSREPLY)) {
		c->id = kp_get16(p + 4);
		c->seq = kp_get16(p + 6);
	} else if (c->type == ICMP_REDIRECT) {
		c->gateway = kp_get32(p + 4);
	} else if (c->type == ICMP_DEST_UNREACH &&
		   c->code == ICMP_FRAG_NEEDED) {
		c->mtu = kp_get16(p + 6);
	}
	if (icmp_is_error(c->type) && d->ip.payload_cap >= 8 + 20)
		c->inner_off = off + 8;
	if (!whole_datagram(d))
		return;
	icmp_check_extensions(d);
	c->csum_checked = true;
	c->csum_ok = kp_cap_csum_fold(kp_cap_csum_add(0, p, len)) == 0;
	if (!c->csum_ok)
		kp_decode_problem(d, KP_PROB_ICMP_BAD_CSUM, off + 2, c->check,
				  expected_csum(d, len, 2, false));
}
