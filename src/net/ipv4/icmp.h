/*
 * icmp.h - ICMP for IPv4 (include/uapi/linux/icmp.h, include/net/icmp.h):
 * input and echo replies in icmp.c, icmp_send in icmp_send.c, rate limits
 * in icmp_ratelimit.c, per-type counters in icmp_mib.c.
 */
#ifndef KP_NET_IPV4_ICMP_H
#define KP_NET_IPV4_ICMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/list.h"

#include "inet_protocol.h"
#include "net/core/skbuff.h"

struct net;

#define ICMP_ECHOREPLY 0
#define ICMP_DEST_UNREACH 3
#define ICMP_SOURCE_QUENCH 4
#define ICMP_REDIRECT 5
#define ICMP_ECHO 8
#define ICMP_TIME_EXCEEDED 11
#define ICMP_PARAMETERPROB 12
#define ICMP_TIMESTAMP 13
#define ICMP_TIMESTAMPREPLY 14
#define ICMP_INFO_REQUEST 15
#define ICMP_INFO_REPLY 16
#define ICMP_ADDRESS 17
#define ICMP_ADDRESSREPLY 18
#define NR_ICMP_TYPES 18

/* ICMP_DEST_UNREACH codes */
#define ICMP_NET_UNREACH 0
#define ICMP_HOST_UNREACH 1
#define ICMP_PROT_UNREACH 2
#define ICMP_PORT_UNREACH 3
#define ICMP_FRAG_NEEDED 4
#define ICMP_PKT_FILTERED 13
/* ICMP_TIME_EXCEEDED codes */
#define ICMP_EXC_TTL 0
#define ICMP_EXC_FRAGTIME 1

struct icmphdr {
	uint8_t type;
	uint8_t code;
	uint16_t checksum;
	union {
		struct {
			uint16_t id;
			uint16_t sequence;
		} echo;
		uint32_t gateway;
		struct {
			uint16_t __unused;
			uint16_t mtu;
		} frag;
	} un;
} __attribute__((packed, aligned(2)));

static inline struct icmphdr *icmp_hdr(const struct sk_buff *skb)
{
	return (struct icmphdr *)skb_transport_header(skb);
}

/* A remote host's rate-limit state (struct inet_peer,
 * include/net/inetpeer.h): kept per stack, found by address. */
struct inet_peer {
	struct list_head list; /* on kp_icmp_net.peers, by creation */
	uint32_t daddr;        /* network order */
	unsigned long rate_tokens;
	unsigned long rate_last; /* jiffies */
};

/* The ICMP state of a stack (Linux: net->ipv4.icmp_sk, the global
 * icmp_msgs_per_sec bucket, net->ipv4.peers, ping_table). */
struct kp_icmp_net {
	struct sock *icmp_sk;     /* kernel socket that sends ICMP */
	int icmp_global_credit;   /* token bucket of icmp_global_allow */
	uint32_t icmp_global_stamp; /* jiffies of the last refill */
	struct list_head peers;   /* struct inet_peer */
	struct list_head ping_table; /* ping sockets, by sk_node */
	uint16_t ping_next_port;  /* ping_get_port's search start */
};

/* The ICMP handler registered by inet_init (sockets team). */
extern const struct net_protocol icmp_protocol;

int icmp_rcv(struct sk_buff *skb);
/* icmp_err_convert: the errno of each ICMP_DEST_UNREACH code, and
 * whether it is fatal (a hard error for a connected socket). */
struct icmp_err {
	int errno_;
	int fatal;
};
#define ICMP_NR_UNREACH_CODES 16
extern const struct icmp_err icmp_err_convert[ICMP_NR_UNREACH_CODES];

/* Send an ICMP error about @skb_in (a received packet with its IP
 * header at skb_network_header, or one being sent) back to its source:
 * Linux's icmp_send / __icmp_send.  @info is network order (for
 * ICMP_FRAG_NEEDED: htonl(mtu)).  Never answers errors, fragments other
 * than the first, broadcasts; rate limited by icmp_global_allow and the
 * per-destination icmpv4_xrlim_allow.  Does not free @skb_in. */
void icmp_send(struct sk_buff *skb_in, int type, int code, uint32_t info);
#define __icmp_send(skb, type, code, info) icmp_send(skb, type, code, info)

/* inet_init: the stack's ICMP socket and rate-limit state. */
int icmp_init(void);
/* Token bucket of icmp_msgs_per_sec / icmp_msgs_burst. */
bool icmp_global_allow(struct net *net);
/* Per-destination token bucket (net/ipv4/inetpeer.c). */
bool inet_peer_xrlim_allow(struct inet_peer *peer, int timeout);
struct inet_peer *inet_getpeer_v4(struct net *net, uint32_t daddr,
				  int create);
/* IcmpOutMsgs and IcmpMsg OutTypeN (and the Icmp Out* of the type). */
void icmp_out_count(struct net *net, unsigned char type);
/* The message type of a per-type Icmp counter (KP_MIB_Icmp_InEchos is
 * ICMP_ECHO, *out false), or -1 for other counters (icmpmibmap). */
int icmp_mib_type(int mib, bool *out);
/* The Internet checksum of @len bytes, as stored in the checksum field
 * (csum_fold(csum_partial(data, len, 0))). */
uint16_t kp_icmp_csum(const void *data, size_t len);

#endif
