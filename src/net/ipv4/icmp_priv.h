/*
 * icmp_priv.h - what the ICMP files share among themselves and nobody
 * else uses: the message being built (struct icmp_bxm, as in
 * net/ipv4/icmp.c), sending it (icmp_send.c), the rate limits
 * (icmp_ratelimit.c), the per-type counters (icmp_mib.c) and whether a
 * type is an error message (icmp.c's icmp_pointers).
 */
#ifndef KP_NET_IPV4_ICMP_PRIV_H
#define KP_NET_IPV4_ICMP_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "icmp.h"

struct flowi4;
struct net;
struct rtable;
struct sock;

/* What an ICMP message is built from (struct icmp_bxm). */
struct icmp_bxm {
	struct sk_buff *skb; /* the packet quoted or echoed */
	int offset;          /* where its quoted bytes start, from data */
	int data_len;
	int head_len;
	struct icmphdr icmph;
};

/* icmp.c: icmp_pointers[type].error - the type is an error message (or
 * unknown below NR_ICMP_TYPES), never answered with another error. */
bool icmp_type_is_error(int type);

/* icmp_send.c: the message (header + quoted bytes) into one buffer,
 * checksummed, then ip_make_skb + ip_send_skb on the ICMP socket. */
void icmp_push_reply(struct sock *sk, struct icmp_bxm *icmp_param,
		     struct flowi4 *fl4, struct rtable *rt);

/* icmp_ratelimit.c: the host-wide bucket, for types in icmp_ratemask;
 * sets *apply_ratelimit when the per-destination one applies too. */
bool icmpv4_global_allow(struct net *net, int type, int code,
			 bool *apply_ratelimit);
/* ... the per-destination bucket (none towards loopback). */
bool icmpv4_xrlim_allow(struct net *net, struct rtable *rt,
			struct flowi4 *fl4, int type, int code,
			bool apply_ratelimit);

/* icmp_mib.c: the Icmp In* counter of @type, or -1. */
int icmp_in_mib(uint8_t type);

#endif
