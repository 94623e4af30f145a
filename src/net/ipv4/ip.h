/*
 * ip.h - the IPv4 header and the IPv4 input entry points
 * (include/uapi/linux/ip.h, include/linux/ip.h, include/net/ip.h,
 * include/uapi/linux/in.h, arch/x86/include/asm/checksum_64.h).
 *
 * Addresses are uint32_t in network byte order everywhere (Linux's
 * __be32); tot_len, id, frag_off and check are network order too, as in
 * the packet.  Leaves out IP options processing (ip_rcv_options) and
 * multicast routing.
 */
#ifndef KP_NET_IPV4_IP_H
#define KP_NET_IPV4_IP_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>

#include "net/core/netdevice.h"
#include "net/core/skbuff.h"

/* IP protocols (include/uapi/linux/in.h) */
#ifndef IPPROTO_IP
#define IPPROTO_IP 0
#define IPPROTO_ICMP 1
#define IPPROTO_IGMP 2
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define IPPROTO_GRE 47
#define IPPROTO_ICMPV6 58
#define IPPROTO_SCTP 132
#define IPPROTO_UDPLITE 136
#define IPPROTO_RAW 255
#endif

#define IPVERSION 4
#define MAXTTL 255
#define IPDEFTTL 64

/* frag_off bits (host order, after ntohs) */
#define IP_CE 0x8000     /* congestion */
#define IP_DF 0x4000     /* don't fragment */
#define IP_MF 0x2000     /* more fragments */
#define IP_OFFSET 0x1FFF /* offset, in 8-byte units */

#define IPTOS_TOS_MASK 0x1E
#define IPTOS_ECN_MASK 0x03
#define INET_ECN_NOT_ECT 0
#define INET_ECN_ECT_1 1
#define INET_ECN_ECT_0 2
#define INET_ECN_CE 3
#define INET_ECN_MASK 3

#define IP_MAX_MTU 0xFFFFu

/* Address classes (include/linux/in.h), @addr in network order;
 * INADDR_ANY, INADDR_BROADCAST, INADDR_LOOPBACK (host order) come from
 * <netinet/in.h> with Linux's values. */
static inline bool ipv4_is_loopback(uint32_t addr)
{
	return (addr & htonl(0xff000000)) == htonl(0x7f000000);
}
static inline bool ipv4_is_multicast(uint32_t addr)
{
	return (addr & htonl(0xf0000000)) == htonl(0xe0000000);
}
static inline bool ipv4_is_local_multicast(uint32_t addr)
{
	return (addr & htonl(0xffffff00)) == htonl(0xe0000000);
}
static inline bool ipv4_is_lbcast(uint32_t addr)
{
	return addr == htonl(INADDR_BROADCAST);
}
static inline bool ipv4_is_zeronet(uint32_t addr)
{
	return (addr & htonl(0xff000000)) == htonl(0x00000000);
}
/* The network-order mask of a prefix length (inet_make_mask). */
static inline uint32_t inet_make_mask(int logmask)
{
	if (logmask <= 0)
		return 0;
	if (logmask >= 32)
		return 0xffffffffu;
	return htonl(~((1u << (32 - logmask)) - 1));
}

struct iphdr {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint8_t ihl : 4, version : 4;
#else
	uint8_t version : 4, ihl : 4;
#endif
	uint8_t tos;
	uint16_t tot_len;
	uint16_t id;
	uint16_t frag_off;
	uint8_t ttl;
	uint8_t protocol;
	uint16_t check;
	uint32_t saddr;
	uint32_t daddr;
	/* options follow */
} __attribute__((packed, aligned(2)));

static inline struct iphdr *ip_hdr(const struct sk_buff *skb)
{
	return (struct iphdr *)skb_network_header(skb);
}
static inline unsigned int ip_hdrlen(const struct sk_buff *skb)
{
	return ip_hdr(skb)->ihl * 4u;
}
static inline bool ip_is_fragment(const struct iphdr *iph)
{
	return (iph->frag_off & htons(IP_MF | IP_OFFSET)) != 0;
}

/* Fold a 32-bit one's-complement sum to 16 bits and invert it
 * (csum_fold). */
static inline uint16_t csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* One's-complement sum of @len bytes read as native 16-bit loads, added
 * to @sum (csum_partial): folded with csum_fold it is the Internet
 * checksum in network order. */
static inline uint32_t csum_partial(const void *buf, unsigned int len,
				    uint32_t sum)
{
	const unsigned char *p = buf;
	uint64_t s = sum;
	for (unsigned int i = 0; i + 1 < len; i += 2) {
		uint16_t w;
		__builtin_memcpy(&w, p + i, 2);
		s += w;
	}
	if (len & 1) {
		unsigned char last[2] = { p[len - 1], 0 };
		uint16_t w;
		__builtin_memcpy(&w, last, 2);
		s += w;
	}
	while (s >> 32)
		s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}

/* Checksum of an IP header of @ihl 32-bit words; 0 when the header's own
 * check field is right (asm/checksum_64.h).  Reads the header bytes as
 * they are in memory, so the result is in network order. */
static inline uint16_t ip_fast_csum(const void *iph, unsigned int ihl)
{
	const uint8_t *p = iph;
	uint64_t sum = 0;

	/* 32-bit words into 64 bits: the same ones' complement sum as
	 * 16-bit words (2^16 = 1 mod 0xffff), half the steps */
	for (unsigned int i = 0; i < ihl; i++) {
		uint32_t w;
		__builtin_memcpy(&w, p + 4 * i, 4);
		sum += w;
	}
	sum = (sum & 0xffffffffu) + (sum >> 32);
	sum = (sum & 0xffffffffu) + (sum >> 32);
	return csum_fold((uint32_t)sum);
}

/* Set iph->check (ip_send_check). */
static inline void ip_send_check(struct iphdr *iph)
{
	iph->check = 0;
	iph->check = ip_fast_csum(iph, iph->ihl);
}

/* Per-packet IP control block in skb->cb (struct inet_skb_parm). */
struct inet_skb_parm {
	int iif;
	uint16_t flags;
#define IPSKB_FORWARDED 0x1
#define IPSKB_FRAG_COMPLETE 0x8
	uint16_t frag_max_size;
};
#define IPCB(skb) ((struct inet_skb_parm *)((skb)->cb))

/* ---- input (net/ipv4/ip_input.c) ---- */

/* ip_packet_type.func: registered by inet_init with dev_add_pack. */
int ip_rcv(struct sk_buff *skb, struct net_device *dev,
	   struct packet_type *pt, struct net_device *orig_dev);
int ip_rcv_finish(struct net *net, struct sock *sk, struct sk_buff *skb);
int ip_local_deliver(struct sk_buff *skb);
int ip_local_deliver_finish(struct net *net, struct sock *sk,
			    struct sk_buff *skb);

/* ---- reassembly (net/ipv4/ip_fragment.c) ---- */

enum ip_defrag_users {
	IP_DEFRAG_LOCAL_DELIVER,
	IP_DEFRAG_CALL_RA_CHAIN,
};
/* Queue the fragment *@pskb.  0: *@pskb is now the whole datagram, go on
 * with it; non-zero: kept (or dropped), the caller must not touch it.
 * Departure: Linux morphs the arriving skb into the datagram; kpath
 * builds a new linear skb and hands it back through @pskb. */
int ip_defrag(struct net *net, struct sk_buff **pskb, uint32_t user);
/* Per-stack reassembly state (net->ipv4_frags). 0 or -ENOMEM. */
int kp_ipfrag_init(struct net *net);

#endif
