/*
 * tcpdump_fmt.c - the formatter's entry point, after tcpdump's
 * pretty_print_packet() and ether_print(): the timestamp, the checks of
 * the capture header, Ethernet and 802.1Q, and the dispatch to ARP and
 * IPv4.  The line is built in struct kp_tcpdump_line; a printer that runs
 * out of captured bytes longjmps back here (see tcpdump_nd.h).
 */
#include "tcpdump_fmt.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tcpdump_nd.h"

#define ETHERTYPE_IP 0x0800
#define ETHERTYPE_ARP 0x0806
#define ETHERTYPE_REVARP 0x8035
#define ETHERTYPE_IPV6 0x86dd
#define MAX_ETHERNET_LENGTH_VAL 1500
#define MAXIMUM_SNAPLEN 262144u

void kp_nd_printf(struct kp_nd *nd, const char *fmt, ...)
{
	struct kp_tcpdump_line *l = nd->line;
	size_t room = sizeof(l->text) - l->len;
	va_list ap;
	int n;

	if (room <= 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->text + l->len, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len += (size_t)n < room ? (size_t)n : room - 1;
}

void kp_nd_mark(struct kp_nd *nd)
{
	if (nd->line->more)
		return;
	nd->line->exact = nd->line->len;
	nd->line->more = true;
}

void kp_nd_trunc(struct kp_nd *nd)
{
	kp_nd_printf(nd, " [|%s]", nd->protocol);
	longjmp(nd->early_end, 1);
}

void kp_nd_stop(struct kp_nd *nd)
{
	longjmp(nd->early_end, 1);
}

const char *kp_nd_ipaddr(struct kp_nd *nd, const uint8_t *p, char buf[16])
{
	kp_nd_tcheck(nd, p, 4);
	snprintf(buf, 16, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
	return buf;
}

void kp_tcpdump_ts(uint64_t ts_ns, char buf[KP_TCPDUMP_TS_MAX])
{
	uint64_t sec = ts_ns / 1000000000u;
	unsigned int usec = (unsigned int)(ts_ns % 1000000000u / 1000u);
	unsigned int tod = (unsigned int)(sec % 86400u);

	/* tcpdump takes the seconds as a signed 32-bit time */
	if ((uint32_t)sec & 0x80000000u) {
		snprintf(buf, KP_TCPDUMP_TS_MAX, "[Error converting time]");
		return;
	}
	snprintf(buf, KP_TCPDUMP_TS_MAX, "%02u:%02u:%02u.%06u", tod / 3600,
		 tod / 60 % 60, tod % 60, usec);
}

static bool is_vlan(uint16_t type)
{
	return type == 0x8100 || type == 0x88a8 || type == 0x9100 ||
	       type == 0x9200;
}

/* Other EtherTypes: tcpdump's words for one it does not know. */
static void ether_unknown(struct kp_nd *nd, const uint8_t *frame,
			  uint16_t type, uint32_t length)
{
	const uint8_t *s = frame + 6, *d = frame;

	kp_nd_mark(nd);
	kp_nd_printf(nd,
		     "%02x:%02x:%02x:%02x:%02x:%02x > "
		     "%02x:%02x:%02x:%02x:%02x:%02x, ethertype Unknown (0x%04x), "
		     "length %u: ",
		     s[0], s[1], s[2], s[3], s[4], s[5], d[0], d[1], d[2], d[3],
		     d[4], d[5], type, length);
}

static void ether_print(struct kp_nd *nd, const uint8_t *p, uint32_t length,
			uint32_t caplen)
{
	const uint8_t *frame = p;
	uint32_t frame_len = length;
	uint16_t type;

	nd->protocol = "ether";
	if (caplen < 14 || length < 14)
		kp_nd_trunc(nd);
	type = kp_nd_be16(nd, p + 12);
	p += 14;
	length -= 14;
	caplen -= 14;
	while (is_vlan(type)) {
		nd->protocol = "vlan";
		if (caplen < 4 || length < 4) {
			kp_nd_mark(nd);
			kp_nd_trunc(nd);
		}
		type = kp_nd_be16(nd, p + 2);
		p += 4;
		length -= 4;
		caplen -= 4;
	}
	if (type <= MAX_ETHERNET_LENGTH_VAL) {
		kp_nd_mark(nd);
		kp_nd_printf(nd, "802.3 LLC, length %u", length);
		return;
	}
	switch (type) {
	case ETHERTYPE_IP:
		kp_nd_ip_print(nd, p, length);
		break;
	case ETHERTYPE_ARP:
	case ETHERTYPE_REVARP:
		kp_nd_arp_print(nd, p, length);
		break;
	case ETHERTYPE_IPV6:
		kp_nd_mark(nd);
		kp_nd_printf(nd, "IP6 (not decoded), length %u", length);
		break;
	default:
		ether_unknown(nd, frame, type, frame_len);
		break;
	}
}

/* tcpdump refuses impossible capture headers before printing anything. */
static bool invalid_header(struct kp_nd *nd, uint32_t caplen, uint32_t len)
{
	bool bad = false;

	if (caplen == 0) {
		kp_nd_printf(nd, "[Invalid header: caplen==0");
		bad = true;
	}
	if (len == 0 || len < caplen) {
		kp_nd_printf(nd, "%s", bad ? "," : "[Invalid header:");
		if (len == 0)
			kp_nd_printf(nd, " len==0");
		else
			kp_nd_printf(nd, " len(%u) < caplen(%u)", len, caplen);
		bad = true;
	}
	if (caplen > MAXIMUM_SNAPLEN) {
		kp_nd_printf(nd, "%s caplen(%u) > %u",
			     bad ? "," : "[Invalid header:", caplen,
			     MAXIMUM_SNAPLEN);
		bad = true;
	}
	if (bad)
		kp_nd_printf(nd, "]");
	return bad;
}

/* setjmp() here, in a frame whose locals are not touched afterwards. */
__attribute__((noinline)) static void print_packet(struct kp_nd *nd,
						   uint32_t caplen,
						   uint32_t wirelen)
{
	if (setjmp(nd->early_end) == 0)
		ether_print(nd, nd->packet, wirelen, caplen);
}

void kp_tcpdump_format(struct kp_tcpdump_state *st, uint64_t ts_ns,
		       const uint8_t *frame, uint32_t caplen, uint32_t wirelen,
		       struct kp_tcpdump_line *line)
{
	struct kp_nd nd = {
		.line = line,
		.state = st,
		.packet = frame,
		.snapend = frame + caplen,
		.protocol = "ether",
	};
	char ts[KP_TCPDUMP_TS_MAX];

	line->len = 0;
	line->text[0] = '\0';
	line->exact = 0;
	line->more = false;
	if (!invalid_header(&nd, caplen, wirelen)) {
		kp_tcpdump_ts(ts_ns, ts);
		kp_nd_printf(&nd, "%s ", ts);
		print_packet(&nd, caplen, wirelen);
	}
	if (!line->more)
		line->exact = line->len;
}

bool kp_tcpdump_line_matches(const struct kp_tcpdump_line *ours,
			     const char *theirs)
{
	const char *rest_ours = ours->text + ours->exact;
	const char *rest;

	if (!strcmp(ours->text, theirs))
		return true;
	if (!ours->more || strncmp(ours->text, theirs, ours->exact))
		return false;
	rest = theirs + ours->exact;
	/* stopped after "length N": tcpdump's N must end there too */
	if (!*rest_ours)
		return !isdigit((unsigned char)*rest);
	/* tcpdump's generic words, where no decoder claimed the packet */
	if (!strncmp(rest, "UDP, ", 5) || !strncmp(rest, " ip-proto-", 10) ||
	    strstr(rest, ", ethertype Unknown ("))
		return !strcmp(rest, rest_ours);
	return true;
}
