/*
 * tcpdump_nd.h - the formatter's inner workings, shaped like tcpdump's
 * netdissect so each printer can follow tcpdump's own printer line by
 * line: a bounded view of the packet (snapend shrinks to the IP total
 * length, as nd_push_snaplen does), checked reads that on running off
 * the captured bytes end the line with " [|proto]" - by longjmp back to
 * kp_tcpdump_format(), exactly as tcpdump's GET_ macros do - and the line
 * being built.  Not for users of the library.
 */
#ifndef KP_CAPTURE_TCPDUMP_ND_H
#define KP_CAPTURE_TCPDUMP_ND_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include "tcpdump_fmt.h"

struct kp_nd {
	struct kp_tcpdump_line *line;
	struct kp_tcpdump_state *state;
	const uint8_t *packet;	/* first byte of the frame */
	const uint8_t *snapend; /* one past the last byte we may read */
	const char *protocol;	/* for " [|protocol]" */
	bool marked;		/* kp_nd_mark() was called */
	jmp_buf early_end;
};

void kp_nd_printf(struct kp_nd *nd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* From here on tcpdump may print something else: exact = len, more. */
void kp_nd_mark(struct kp_nd *nd);
/* " [|protocol]" and the end of the line. */
__attribute__((noreturn)) void kp_nd_trunc(struct kp_nd *nd);
/* The end of the line, printing nothing more. */
__attribute__((noreturn)) void kp_nd_stop(struct kp_nd *nd);

static inline bool kp_nd_ttest(const struct kp_nd *nd, const uint8_t *p,
			       uint32_t len)
{
	return p >= nd->packet && p <= nd->snapend &&
	       len <= (uintptr_t)(nd->snapend - p);
}

static inline uint32_t kp_nd_avail(const struct kp_nd *nd, const uint8_t *p)
{
	return p >= nd->packet && p <= nd->snapend
		       ? (uint32_t)(nd->snapend - p)
		       : 0;
}

static inline void kp_nd_tcheck(struct kp_nd *nd, const uint8_t *p,
				uint32_t len)
{
	if (!kp_nd_ttest(nd, p, len))
		kp_nd_trunc(nd);
}

static inline uint8_t kp_nd_u8(struct kp_nd *nd, const uint8_t *p)
{
	kp_nd_tcheck(nd, p, 1);
	return p[0];
}

static inline uint16_t kp_nd_be16(struct kp_nd *nd, const uint8_t *p)
{
	kp_nd_tcheck(nd, p, 2);
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t kp_nd_be32(struct kp_nd *nd, const uint8_t *p)
{
	kp_nd_tcheck(nd, p, 4);
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t kp_nd_be64(struct kp_nd *nd, const uint8_t *p)
{
	kp_nd_tcheck(nd, p, 8);
	return (uint64_t)kp_nd_be32(nd, p) << 32 | kp_nd_be32(nd, p + 4);
}

/* Shrink the readable bytes to @len from @p (IP total length). */
static inline void kp_nd_push_snaplen(struct kp_nd *nd, const uint8_t *p,
				      uint32_t len)
{
	if (kp_nd_ttest(nd, p, 0) && len < (uintptr_t)(nd->snapend - p))
		nd->snapend = p + len;
}

/* Dotted quad of the 4 bytes at @p (checked), into @buf[16]. */
const char *kp_nd_ipaddr(struct kp_nd *nd, const uint8_t *p, char buf[16]);

/* The printers, each after its tcpdump namesake (print-*.c). */
void kp_nd_arp_print(struct kp_nd *nd, const uint8_t *bp, uint32_t length);
void kp_nd_ip_print(struct kp_nd *nd, const uint8_t *bp, uint32_t length);
void kp_nd_tcp_print(struct kp_nd *nd, const uint8_t *bp, uint32_t length,
		     const uint8_t *ip);
void kp_nd_tcp_options(struct kp_nd *nd, const uint8_t *tp, uint32_t hlen,
		       uint32_t length, uint8_t flags, int rev,
		       uint32_t thseq, uint32_t thack);
bool kp_nd_mptcp_print(struct kp_nd *nd, const uint8_t *cp, uint32_t len,
		       uint8_t flags);
void kp_nd_udp_print(struct kp_nd *nd, const uint8_t *bp, uint32_t length,
		     const uint8_t *ip, bool fragmented);
void kp_nd_icmp_print(struct kp_nd *nd, const uint8_t *bp, uint32_t plen);

/*
 * tcpdump's table of initial sequence numbers (tcp_seq_hash4): look the
 * connection up, record it on SYN or first sight, make seq/ack relative.
 */
void kp_nd_tcp_seq(struct kp_nd *nd, const uint8_t *ip, uint16_t sport,
		   uint16_t dport, uint8_t flags, uint32_t *seq,
		   uint32_t *ack, int *rev, uint32_t *thseq, uint32_t *thack);

#endif
