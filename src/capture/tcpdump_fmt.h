/*
 * tcpdump_fmt.h - one frame as the one line `tcpdump -n` (4.99, run with
 * TZ=UTC) prints for it: timestamp, then ARP, IPv4 with ICMP, UDP, TCP
 * (flags, relative seq/ack, window, urg, options: mss, nop, wscale,
 * sackOK, sack, TS, eol, md5, tcp-ao, uto, mptcp, tfo, unknown), and
 * tcpdump's problem lines ("IP truncated-ip - 1 bytes missing! ...",
 * "IP bad-hlen 16", "[bad hdr length ...]", " [|tcp]").
 *
 * Where the line stops.  tcpdump goes on to decode application protocols
 * (DNS, NTP, AFS, DHCP, TFTP, ISAKMP, SSH, HTTP, ...), other EtherTypes
 * and other IP protocols.  We do not: line.exact says how much of our
 * line is tcpdump's, and line.more that tcpdump may print something else
 * from there on.  Precisely:
 *   - ARP, ICMP, TCP without payload, non-first fragments, tcpdump's own
 *     problem lines: the whole line, nothing more.
 *   - TCP with payload: the whole line up to "length N"; tcpdump may
 *     append an application decode (": HTTP...", " 17177+ A? ...").
 *   - UDP: up to "SRC.PORT > DST.PORT: "; after that we print tcpdump's
 *     generic "UDP, length N" (or "UDP, bad length N > M"), which is what
 *     tcpdump prints when no application decoder claims the ports.
 *   - other IP protocols: up to "SRC > DST:" (just "IP " for SCTP/DCCP),
 *     then tcpdump's generic " ip-proto-N LEN".
 *   - IPv6, other EtherTypes and 802.3/LLC frames: the timestamp.
 * kp_tcpdump_line_matches() applies exactly this rule to a real line.
 *
 * tcpdump prints sequence numbers relative to the first it saw on a
 * connection once it has seen one with ACK; that memory lives in a
 * struct kp_tcpdump_state the caller owns (one per capture, as tcpdump
 * keeps one per run).  Pass NULL for absolute numbers (tcpdump -S).
 * -v is tcpdump_verbose.c, -e tap.c (kp_tap_add_ether).  Left out: -vv,
 * -x, name resolution, IPv6 beyond its first word.
 */
#ifndef KP_CAPTURE_TCPDUMP_FMT_H
#define KP_CAPTURE_TCPDUMP_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KP_TCPDUMP_LINE_MAX 1024

struct kp_tcpdump_flow;

struct kp_tcpdump_state {
	struct kp_tcpdump_flow *flows; /* open addressing, grows */
	size_t cap, count;
};

struct kp_tcpdump_line {
	char text[KP_TCPDUMP_LINE_MAX];
	size_t len;
	size_t exact; /* text[0..exact) is exactly what tcpdump prints */
	bool more;    /* tcpdump may print differently from text + exact */
};

void kp_tcpdump_state_init(struct kp_tcpdump_state *st);
void kp_tcpdump_state_free(struct kp_tcpdump_state *st);

/* Format one Ethernet frame captured at @ts_ns (ns since the epoch). */
void kp_tcpdump_format(struct kp_tcpdump_state *st, uint64_t ts_ns,
		       const uint8_t *frame, uint32_t caplen, uint32_t wirelen,
		       struct kp_tcpdump_line *line);

/*
 * tcpdump -v: turn a line made by kp_tcpdump_format from the same frame
 * into what tcpdump -v prints (tcpdump_verbose.c): for IPv4, the header
 * in parentheses and the rest on a second line ("\n    "), the TCP
 * checksum; for ARP, the address types.
 */
void kp_tcpdump_verbose(struct kp_tcpdump_line *line, const uint8_t *frame,
			uint32_t caplen, uint32_t wirelen);

/*
 * After -e has been added to a -v line (kp_tap_add_ether): the quoted
 * datagram of an ICMP error loses its "IP " as the outer line did
 * ("\n\t(tos 0x0, ..."), as tcpdump -e -v prints it.
 */
void kp_tcpdump_ether_quoted(struct kp_tcpdump_line *line);

#define KP_TCPDUMP_TS_MAX 24
/*
 * "HH:MM:SS.uuuuuu" of the UTC day, as tcpdump prints it, or tcpdump's
 * "[Error converting time]" for seconds with bit 31 set (after 2038).
 */
void kp_tcpdump_ts(uint64_t ts_ns, char buf[KP_TCPDUMP_TS_MAX]);

/*
 * Does @theirs (one line of tcpdump output, no newline) agree with @ours
 * on the comparable part?  Equal when !ours->more; otherwise the first
 * ours->exact bytes agree and, where we stopped at "length N", tcpdump's
 * number ends there too; if tcpdump printed its generic "UDP, ..." the
 * rest must be equal as well.
 */
bool kp_tcpdump_line_matches(const struct kp_tcpdump_line *ours,
			     const char *theirs);

#endif
