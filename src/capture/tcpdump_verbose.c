/*
 * tcpdump_verbose.c - what `tcpdump -v` (4.99) adds to the default line:
 * the IPv4 header in parentheses after "IP" with the rest of the line on
 * the next one, indented four spaces (ip_print's vflag branch); the TCP
 * checksum after the flags, verified when the segment was captured whole
 * (tcp_print); ARP's hardware and protocol types (arp_print).
 *
 * The quoted datagram of an ICMP error follows on its own lines, "\n\t"
 * then the inner packet as ip_print prints it at -v (icmp_print's
 * ICMP_ERRTYPE branch): "\tIP (tos 0x0, ... proto UDP (17), length 29)"
 * and "    10.0.0.1.4000 > 10.0.0.2.9999: UDP, length 1".
 *
 * Left out (the line is marked inexact from there, line.more): IPv4
 * options (tcpdump prints ", options (...)" inside the parentheses), a
 * quoted TCP segment past its IP header (tcpdump numbers it with its
 * connection memory), and every -v addition of application protocols.
 * UDP adds nothing at -v (its checksum appears at -vv).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "tcpdump_fmt.h"

static const char *proto_name(uint8_t p)
{
	switch (p) {
	case 1:
		return "ICMP";
	case 2:
		return "IGMP";
	case 6:
		return "TCP";
	case 17:
		return "UDP";
	case 41:
		return "IPv6";
	case 47:
		return "GRE";
	case 50:
		return "ESP";
	case 51:
		return "AH";
	case 132:
		return "SCTP";
	default:
		return "unknown";
	}
}

/* The first problem of @id, or NULL. */
static const struct kp_problem_rec *problem(const struct kp_decoded *d,
					    enum kp_problem id)
{
	for (unsigned i = 0; i < d->nproblems; i++)
		if (d->problems[i].id == id)
			return &d->problems[i];
	return NULL;
}

/* "(tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto UDP (17),
 * length 46)" into @buf; false when tcpdump would print more (options). */
static bool ip_head(const struct kp_decoded *d, char *buf, size_t n)
{
	const struct kp_ipv4_view *ip = &d->ip;
	static const char *const ecn[] = { "", ",ECT(1)", ",ECT(0)", ",CE" };
	char flags[24] = "";
	size_t len;

	if (ip->mf)
		strcat(flags, "+");
	if (ip->df)
		strcat(flags, flags[0] ? ", DF" : "DF");
	if (ip->frag_off & 0x8000)
		strcat(flags, flags[0] ? ", rsvd" : "rsvd");
	len = (size_t)snprintf(buf, n, "(tos 0x%x%s", ip->tos,
			       ecn[ip->tos & 3]);
	if (ip->ttl >= 1 && len < n)
		len += (size_t)snprintf(buf + len, n - len, ", ttl %u",
					ip->ttl);
	if (len < n)
		len += (size_t)snprintf(buf + len, n - len,
					", id %u, offset %u, flags [%s], "
					"proto %s (%u), length %u",
					ip->id, ip->frag_bytes,
					flags[0] ? flags : "none",
					proto_name(ip->protocol), ip->protocol,
					ip->tot_len);
	if (ip->opt_len)
		return false;
	const struct kp_problem_rec *bad = problem(d, KP_PROB_IP_BAD_CSUM);
	if (bad && len < n)
		len += (size_t)snprintf(buf + len, n - len,
					", bad cksum %x (->%x)!", bad->found,
					bad->expected);
	if (len < n)
		snprintf(buf + len, n - len, ")");
	return true;
}

/* Insert @ins at @at in the line (the exact prefix grows with it). */
static void insert(struct kp_tcpdump_line *l, size_t at, const char *ins)
{
	size_t n = strlen(ins);

	if (at > l->len || l->len + n >= sizeof(l->text))
		return;
	memmove(l->text + at + n, l->text + at, l->len - at + 1);
	memcpy(l->text + at, ins, n);
	l->len += n;
	if (l->more && l->exact >= at)
		l->exact += n;
}

static void tcp_cksum(struct kp_tcpdump_line *l, const struct kp_decoded *d)
{
	char buf[64];
	char *flags = strstr(l->text, ": Flags [");
	char *end = flags ? strchr(flags + 9, ']') : NULL;

	if (!end || !d->tcp.csum_checked || d->ip.mf || d->ip.frag_bytes)
		return;
	if (d->tcp.csum_ok) {
		snprintf(buf, sizeof(buf), ", cksum 0x%04x (correct)",
			 d->tcp.check);
	} else {
		const struct kp_problem_rec *p =
			problem(d, KP_PROB_TCP_BAD_CSUM);
		snprintf(buf, sizeof(buf), ", cksum 0x%04x (incorrect -> 0x%04x)",
			 d->tcp.check, p ? p->expected : 0);
	}
	insert(l, (size_t)(end + 1 - l->text), buf);
}

/* Append "\n\t" and the -v lines of the IPv4 datagram an ICMP error
 * quotes (@d decoded @frame): formatted as a frame of its own, the
 * Ethernet header copied, the timestamp cut off. */
static void quoted_datagram(struct kp_tcpdump_line *l,
			    const struct kp_decoded *d, const uint8_t *frame)
{
	uint32_t off = d->icmp.inner_off, eth = d->ip.payload_off - d->ip.hlen;
	uint32_t cap = d->ip.payload_off + d->ip.payload_cap - off;
	uint32_t tot, len;
	struct kp_tcpdump_line in;
	uint8_t *f;
	size_t at;
	char *sp;

	if (off < eth || eth < 14 || cap < 20)
		return;
	tot = (uint32_t)frame[off + 2] << 8 | frame[off + 3];
	/* ip_print is handed the quoted ip_len: no "truncated-ip" */
	len = tot > cap ? tot : cap;
	f = malloc(eth + cap);
	if (!f)
		return;
	memcpy(f, frame, eth);
	memcpy(f + eth, frame + off, cap);
	kp_tcpdump_format(NULL, 0, f, eth + cap, eth + len, &in);
	kp_tcpdump_verbose(&in, f, eth + cap, eth + len);
	free(f);
	sp = strchr(in.text, ' ');
	if (!sp)
		return;
	at = l->len + 2;
	if (l->len + 2 + strlen(sp + 1) >= sizeof(l->text))
		return;
	l->len += (size_t)snprintf(l->text + l->len, sizeof(l->text) - l->len,
				   "\n\t%s", sp + 1);
	size_t skip = (size_t)(sp + 1 - in.text);
	if (in.more) {
		l->more = true;
		l->exact = at + (in.exact > skip ? in.exact - skip : 0);
	} else if (frame[off + 9] == 6) {
		/* tcp_print looks the quoted segment up in its own
		 * connection memory; trust only the IP header line */
		char *nl = strchr(l->text + at, '\n');
		l->more = true;
		l->exact = nl ? (size_t)(nl - l->text) : at;
	}
}

void kp_tcpdump_verbose(struct kp_tcpdump_line *l, const uint8_t *frame,
			uint32_t caplen, uint32_t wirelen)
{
	struct kp_decoded d;
	char head[256];
	char *sp = strchr(l->text, ' ');

	if (!sp)
		return;
	size_t body = (size_t)(sp + 1 - l->text);
	kp_decode_frame(&d, frame, caplen, wirelen);
	if ((d.layers & KP_LAYER_ARP) && !strncmp(l->text + body, "ARP, ", 5)) {
		insert(l, body + 5, "Ethernet (len 6), IPv4 (len 4), ");
		return;
	}
	if (!(d.layers & KP_LAYER_IPV4) || strncmp(l->text + body, "IP ", 3) ||
	    !strncmp(l->text + body + 3, "bad-", 4) || d.ip.hlen < 20)
		return;
	/* "IP truncated-ip - N bytes missing! " comes before the header */
	size_t at = body + 3;
	if (!strncmp(l->text + at, "truncated-ip", 12)) {
		char *bang = strstr(l->text + at, "! ");
		if (!bang)
			return;
		at = (size_t)(bang + 2 - l->text);
	}
	if (d.layers & KP_LAYER_TCP)
		tcp_cksum(l, &d);
	/* not after " [|icmp]": icmp_print ran off the capture first */
	bool quoted = d.layers & KP_LAYER_ICMP && d.icmp.inner_off &&
		      !l->more && !d.ip.mf && !d.ip.frag_bytes &&
		      !strstr(l->text, " [|");
	bool whole = ip_head(&d, head, sizeof(head) - 8);
	strcat(head, "\n    ");
	insert(l, at, head);
	if (!whole && (!l->more || l->exact > at)) {
		l->exact = at;
		l->more = true;
	}
	if (quoted)
		quoted_datagram(l, &d, frame);
}

void kp_tcpdump_ether_quoted(struct kp_tcpdump_line *l)
{
	char *p = strstr(l->text, "\n\tIP (");

	/* with -e, ip_print leaves out "IP " for the quoted datagram too */
	if (!p)
		return;
	size_t at = (size_t)(p + 2 - l->text);
	memmove(l->text + at, l->text + at + 3, l->len - at - 3 + 1);
	l->len -= 3;
	if (l->more && l->exact > at)
		l->exact = l->exact >= at + 3 ? l->exact - 3 : at;
}
