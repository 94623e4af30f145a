/*
 * inet_protocol.h - the IPv4 transport-protocol table
 * (include/net/protocol.h, net/ipv4/protocol.c).
 *
 * Each host's stack has its own table, net->inet_protos[], filled by
 * inet_init; ip_local_deliver_finish calls inet_protos[protocol]->handler.
 * Linux uses RCU and cmpxchg here; one emulated CPU runs at a time, so a
 * plain store does.
 */
#ifndef KP_NET_IPV4_INET_PROTOCOL_H
#define KP_NET_IPV4_INET_PROTOCOL_H

#include <stdint.h>

struct sk_buff;

struct net_protocol {
	int (*handler)(struct sk_buff *skb);
	/* ICMP error about a packet of this protocol (@info: mtu, ...) */
	void (*err_handler)(struct sk_buff *skb, uint32_t info);
	unsigned int no_policy : 1, netns_ok : 1;
};

/* On current_net(): 0, or -1 if the slot is taken (as Linux). */
int inet_add_protocol(const struct net_protocol *prot, unsigned char protocol);
/* 0, or -1 if @prot was not the registered one. */
int inet_del_protocol(const struct net_protocol *prot, unsigned char protocol);

#endif
