/*
 * tcpdump_ip.c - IPv4 and UDP lines, after tcpdump's ip_print(),
 * ip_demux_print() and udp_print() (print-ip.c, print-ip-demux.c,
 * print-udp.c).  UDP stops where tcpdump would hand the payload to an
 * application decoder; tcpdump_fmt.h says what that means for the line.
 */
#include "tcpdump_nd.h"

#define IP_MF 0x2000
#define IP_OFFMASK 0x1fff
#define IPPROTO_ICMP_ 1
#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17
#define IPPROTO_DCCP_ 33
#define IPPROTO_SCTP_ 132

static void ip_demux_print(struct kp_nd *nd, const uint8_t *bp,
			   uint32_t length, bool fragmented, uint8_t nh,
			   const uint8_t *ip)
{
	switch (nh) {
	case IPPROTO_TCP_:
		kp_nd_tcp_print(nd, bp, length, ip);
		break;
	case IPPROTO_UDP_:
		kp_nd_udp_print(nd, bp, length, ip, fragmented);
		break;
	case IPPROTO_ICMP_:
		kp_nd_icmp_print(nd, bp, length);
		break;
	default:
		/* tcpdump decodes many (GRE, IGMP, ESP, OSPF, ...) */
		kp_nd_mark(nd);
		kp_nd_printf(nd, " ip-proto-%u %u", nh, length);
		break;
	}
}

void kp_nd_ip_print(struct kp_nd *nd, const uint8_t *bp, uint32_t length)
{
	uint32_t hlen, len, off;
	char src[16], dst[16];
	uint8_t vhl, proto;

	nd->protocol = "ip";
	vhl = kp_nd_u8(nd, bp);
	if (vhl >> 4 != 4) {
		if (vhl >> 4 == 6)
			kp_nd_printf(nd, "IP6, wrong link-layer encapsulation");
		else
			kp_nd_printf(nd, "IP%u", vhl >> 4);
		kp_nd_printf(nd, " (invalid)");
		return;
	}
	kp_nd_printf(nd, "IP ");
	kp_nd_tcheck(nd, bp, 20);
	if (length < 20) {
		kp_nd_printf(nd, "truncated-ip %u", length);
		return;
	}
	hlen = (uint32_t)(vhl & 0x0f) * 4;
	if (hlen < 20) {
		kp_nd_printf(nd, "bad-hlen %u", hlen);
		return;
	}
	len = kp_nd_be16(nd, bp + 2);
	if (length < len)
		kp_nd_printf(nd, "truncated-ip - %u bytes missing! ",
			     len - length);
	if (len < hlen) {
		kp_nd_printf(nd, "bad-len %u", len);
		return;
	}
	kp_nd_push_snaplen(nd, bp, len);
	len -= hlen;
	off = kp_nd_be16(nd, bp + 6);
	proto = kp_nd_u8(nd, bp + 9);
	kp_nd_ipaddr(nd, bp + 12, src);
	kp_nd_ipaddr(nd, bp + 16, dst);
	if (off & IP_OFFMASK) {
		/* a later fragment: no transport header to show */
		kp_nd_printf(nd, "%s > %s: ip-proto-%u", src, dst, proto);
		return;
	}
	if (proto == IPPROTO_SCTP_ || proto == IPPROTO_DCCP_)
		kp_nd_mark(nd); /* their printers print the addresses */
	if (proto != IPPROTO_TCP_ && proto != IPPROTO_UDP_ &&
	    proto != IPPROTO_SCTP_ && proto != IPPROTO_DCCP_)
		kp_nd_printf(nd, "%s > %s: ", src, dst);
	if (!kp_nd_ttest(nd, bp, hlen)) {
		kp_nd_printf(nd, " [remaining caplen(%u) < header length(%u)]",
			     kp_nd_avail(nd, bp), hlen);
		kp_nd_trunc(nd);
	}
	ip_demux_print(nd, bp + hlen, len, off & IP_MF, proto, bp);
}

static void udpipaddr_print(struct kp_nd *nd, const uint8_t *ip, int sport,
			    int dport)
{
	char src[16], dst[16];

	kp_nd_ipaddr(nd, ip + 12, src);
	kp_nd_ipaddr(nd, ip + 16, dst);
	if (sport < 0)
		kp_nd_printf(nd, "%s > %s: ", src, dst);
	else
		kp_nd_printf(nd, "%s.%d > %s.%d: ", src, sport, dst, dport);
}

void kp_nd_udp_print(struct kp_nd *nd, const uint8_t *bp, uint32_t length,
		     const uint8_t *ip, bool fragmented)
{
	uint16_t sport, dport;
	uint32_t ulen;

	nd->protocol = "udp";
	if (!kp_nd_ttest(nd, bp + 2, 2)) {
		udpipaddr_print(nd, ip, -1, -1);
		kp_nd_trunc(nd);
	}
	sport = kp_nd_be16(nd, bp);
	dport = kp_nd_be16(nd, bp + 2);
	if (length < 8) {
		udpipaddr_print(nd, ip, sport, dport);
		kp_nd_printf(nd, "truncated-udp %u", length);
		return;
	}
	if (!kp_nd_ttest(nd, bp + 4, 2)) {
		udpipaddr_print(nd, ip, sport, dport);
		kp_nd_trunc(nd);
	}
	ulen = kp_nd_be16(nd, bp + 4);
	if (ulen < 8) {
		udpipaddr_print(nd, ip, sport, dport);
		kp_nd_printf(nd, "truncated-udplength %u", ulen);
		return;
	}
	ulen -= 8;
	length -= 8;
	if (ulen < length)
		length = ulen;
	if (!kp_nd_ttest(nd, bp + 8, 0)) {
		udpipaddr_print(nd, ip, sport, dport);
		kp_nd_trunc(nd);
	}
	udpipaddr_print(nd, ip, sport, dport);
	/* here tcpdump tries its application decoders (DNS, NTP, ...) */
	kp_nd_mark(nd);
	if (ulen > length && !fragmented)
		kp_nd_printf(nd, "UDP, bad length %u > %u", ulen, length);
	else
		kp_nd_printf(nd, "UDP, length %u", ulen);
}
