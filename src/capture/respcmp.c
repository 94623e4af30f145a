/*
 * respcmp.c - receiver mode's comparison of responses (see respcmp.h).
 * Mirrors no kernel file: it is what a tester does with two captures
 * side by side.
 */
#include "respcmp.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kp_resp_add(struct kp_resp_list *l, const struct kp_decoded *d,
		 uint64_t t)
{
	struct kp_resp r = { .t = t };

	if (!(d->layers & KP_LAYER_IPV4))
		return;
	if (l->n >= KP_RESP_MAX) {
		l->dropped++;
		return;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct kp_resp *v = realloc(l->v, cap * sizeof(*v));
		if (!v) {
			l->dropped++;
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	r.saddr = d->ip.saddr;
	r.daddr = d->ip.daddr;
	r.proto = d->ip.protocol;
	r.paylen = d->ip.payload_len;
	if (d->layers & KP_LAYER_TCP) {
		r.sport = d->tcp.sport;
		r.dport = d->tcp.dport;
		r.flags = d->tcp.flags;
		r.seq = d->tcp.seq;
		r.ack = d->tcp.ack;
		r.paylen = d->tcp.payload_len;
	} else if (d->layers & KP_LAYER_UDP) {
		r.sport = d->udp.sport;
		r.dport = d->udp.dport;
		r.paylen = d->udp.payload_len;
	} else if (d->layers & KP_LAYER_ICMP) {
		r.icmp_type = d->icmp.type;
		r.icmp_code = d->icmp.code;
	}
	l->v[l->n++] = r;
}

void kp_resp_free(struct kp_resp_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static void tcp_flags(uint16_t f, char buf[16])
{
	static const char names[] = "FSRP.UEW";
	int n = 0;

	for (int i = 0; i < 8; i++)
		if (f & (1u << i))
			buf[n++] = names[i];
	if (!n)
		buf[n++] = 'n', buf[n++] = 'o', buf[n++] = 'n', buf[n++] = 'e';
	buf[n] = '\0';
}

static const char *ip_str(uint32_t a, char buf[16])
{
	snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, a >> 16 & 255, a >> 8 & 255,
		 a & 255);
	return buf;
}

void kp_resp_format(const struct kp_resp *r, uint32_t isn, char *buf,
		    size_t n)
{
	char s[16], d[16], fl[16];

	if (r->proto == 6) {
		tcp_flags(r->flags, fl);
		snprintf(buf, n,
			 "TCP %s.%u > %s.%u [%s] seq %u ack %u len %u",
			 ip_str(r->saddr, s), r->sport, ip_str(r->daddr, d),
			 r->dport, fl, r->seq - isn, r->ack, r->paylen);
	} else if (r->proto == 17) {
		snprintf(buf, n, "UDP %s.%u > %s.%u len %u",
			 ip_str(r->saddr, s), r->sport, ip_str(r->daddr, d),
			 r->dport, r->paylen);
	} else if (r->proto == 1) {
		snprintf(buf, n, "ICMP %s > %s type %u code %u",
			 ip_str(r->saddr, s), ip_str(r->daddr, d),
			 r->icmp_type, r->icmp_code);
	} else {
		snprintf(buf, n, "proto %u %s > %s len %u", r->proto,
			 ip_str(r->saddr, s), ip_str(r->daddr, d), r->paylen);
	}
}

static bool same_flow(const struct kp_resp *a, const struct kp_resp *b)
{
	return a->proto == b->proto && a->saddr == b->saddr &&
	       a->daddr == b->daddr && a->sport == b->sport &&
	       a->dport == b->dport;
}

/* The first seq of @r's flow in @l: the sender's ISN as far as we can
 * tell (its SYN if we have one). */
static uint32_t flow_isn(const struct kp_resp_list *l, const struct kp_resp *r)
{
	for (size_t i = 0; i < l->n; i++)
		if (same_flow(&l->v[i], r))
			return l->v[i].seq;
	return r->seq;
}

static void say(void (*emit)(void *, const char *), void *ctx,
		const char *what, const char *a, const char *b)
{
	char line[400];

	if (b)
		snprintf(line, sizeof(line), "%s: file: %s; kpath: %s", what,
			 a, b);
	else
		snprintf(line, sizeof(line), "%s: %s", what, a);
	emit(ctx, line);
}

int kp_resp_compare(const struct kp_resp_list *file,
		    const struct kp_resp_list *own,
		    void (*emit)(void *ctx, const char *line), void *ctx)
{
	bool *used = calloc(own->n ? own->n : 1, sizeof(bool));
	char a[160], b[160];
	int diffs = 0;

	if (!used)
		return -1;
	for (size_t i = 0; i < file->n; i++) {
		const struct kp_resp *f = &file->v[i];
		uint32_t fisn = flow_isn(file, f);
		size_t j;
		for (j = 0; j < own->n; j++)
			if (!used[j] && same_flow(f, &own->v[j]))
				break;
		kp_resp_format(f, fisn, a, sizeof(a));
		if (j == own->n) {
			say(emit, ctx, "missing", a, NULL);
			diffs++;
			continue;
		}
		used[j] = true;
		const struct kp_resp *o = &own->v[j];
		uint32_t oisn = flow_isn(own, o);
		kp_resp_format(o, oisn, b, sizeof(b));
		const char *what = NULL;
		if (f->proto == 6 && f->flags != o->flags)
			what = "flags";
		else if (f->proto == 6 && f->seq - fisn != o->seq - oisn)
			what = "seq";
		else if (f->proto == 6 && (f->flags & 0x10) && f->ack != o->ack)
			what = "ack";
		else if (f->paylen != o->paylen)
			what = "length";
		else if (f->proto == 1 && (f->icmp_type != o->icmp_type ||
					   f->icmp_code != o->icmp_code))
			what = "icmp";
		if (what) {
			say(emit, ctx, what, a, b);
			diffs++;
		}
	}
	for (size_t j = 0; j < own->n; j++) {
		if (used[j])
			continue;
		kp_resp_format(&own->v[j], flow_isn(own, &own->v[j]), b,
			       sizeof(b));
		say(emit, ctx, "extra", b, NULL);
		diffs++;
	}
	free(used);
	return diffs;
}
