/*
 * tcpdump_tcp.c - the TCP line, after tcpdump's tcp_print() (print-tcp.c):
 * ports, flags, relative sequence numbers, window, urgent pointer, the
 * options (tcpdump_tcpopt.c) and the payload length.  Stops where tcpdump
 * hands the payload to an application decoder.
 */
#include "tcpdump_nd.h"

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PUSH 0x08
#define TH_ACK 0x10
#define TH_URG 0x20

/* tcpdump's bittok2str_nosep(tcp_flag_values, "none", flags) */
static void print_flags(struct kp_nd *nd, uint8_t flags)
{
	static const char names[8] = { 'F', 'S', 'R', 'P', '.', 'U', 'E', 'W' };
	char buf[9];
	int n = 0;

	for (int i = 0; i < 8; i++)
		if (flags & (1u << i))
			buf[n++] = names[i];
	buf[n] = '\0';
	kp_nd_printf(nd, "Flags [%s]", n ? buf : "none");
}

void kp_nd_tcp_print(struct kp_nd *nd, const uint8_t *bp, uint32_t length,
		     const uint8_t *ip)
{
	uint32_t hlen, seq, ack, thseq = 0, thack = 0;
	uint16_t sport, dport, win, urp;
	char src[16], dst[16];
	uint8_t flags;
	int rev = 0;

	nd->protocol = "tcp";
	kp_nd_ipaddr(nd, ip + 12, src);
	kp_nd_ipaddr(nd, ip + 16, dst);
	if (!kp_nd_ttest(nd, bp + 2, 2)) {
		kp_nd_printf(nd, "%s > %s:", src, dst);
		kp_nd_trunc(nd);
	}
	sport = kp_nd_be16(nd, bp);
	dport = kp_nd_be16(nd, bp + 2);
	kp_nd_printf(nd, "%s.%u > %s.%u: ", src, sport, dst, dport);
	kp_nd_tcheck(nd, bp, 20);
	hlen = (uint32_t)(kp_nd_u8(nd, bp + 12) >> 4) * 4;
	if (hlen < 20) {
		kp_nd_printf(nd, " tcp %u [bad hdr length %u - too short, < 20]",
			     length - hlen, hlen);
		return;
	}
	seq = kp_nd_be32(nd, bp + 4);
	ack = kp_nd_be32(nd, bp + 8);
	win = kp_nd_be16(nd, bp + 14);
	urp = kp_nd_be16(nd, bp + 18);
	flags = kp_nd_u8(nd, bp + 13);
	print_flags(nd, flags);
	if (flags & TH_ACK)
		kp_nd_tcp_seq(nd, ip, sport, dport, flags, &seq, &ack, &rev,
			      &thseq, &thack);
	if (hlen > length) {
		kp_nd_printf(nd, " [bad hdr length %u - too long, > %u]", hlen,
			     length);
		return;
	}
	length -= hlen;
	if (length > 0 || (flags & (TH_SYN | TH_FIN | TH_RST))) {
		kp_nd_printf(nd, ", seq %u", seq);
		if (length > 0)
			kp_nd_printf(nd, ":%u", seq + length);
	}
	if (flags & TH_ACK)
		kp_nd_printf(nd, ", ack %u", ack);
	kp_nd_printf(nd, ", win %u", win);
	if (flags & TH_URG)
		kp_nd_printf(nd, ", urg %u", urp);
	if (hlen > 20)
		kp_nd_tcp_options(nd, bp, hlen, length, flags, rev, thseq,
				  thack);
	kp_nd_printf(nd, ", length %u", length);
	if (length == 0)
		return;
	if (!kp_nd_ttest(nd, bp, hlen)) {
		kp_nd_printf(nd, " [remaining caplen(%u) < header length(%u)]",
			     kp_nd_avail(nd, bp), hlen);
		kp_nd_trunc(nd);
	}
	/* here tcpdump tries its application decoders (HTTP, DNS, SSH...) */
	kp_nd_mark(nd);
}
