/*
 * arp.h - ARP for IPv4 (include/net/arp.h, include/uapi/linux/if_arp.h).
 *
 * The arp_tbl of a stack is net->arp_tbl (struct neigh_table, see
 * net/core/neighbour.h), created by arp_init.
 */
#ifndef KP_NET_IPV4_ARP_H
#define KP_NET_IPV4_ARP_H

#include <stdint.h>

#include "net/core/neighbour.h"
#include "net/core/net_namespace.h"
#include "net/core/netdevice.h"

/* ARP protocol hardware identifiers (dev->type) */
#define ARPHRD_ETHER 1
#define ARPHRD_LOOPBACK 772

/* ARP opcodes */
#define ARPOP_REQUEST 1
#define ARPOP_REPLY 2

struct arphdr {
	uint16_t ar_hrd; /* format of hardware address, network order */
	uint16_t ar_pro; /* format of protocol address */
	uint8_t ar_hln;  /* length of hardware address */
	uint8_t ar_pln;  /* length of protocol address */
	uint16_t ar_op;  /* ARP opcode */
	/* then: sender hw, sender ip, target hw, target ip */
} __attribute__((packed));

static inline struct arphdr *arp_hdr(const struct sk_buff *skb)
{
	return (struct arphdr *)skb_network_header(skb);
}

/* Bytes of an Ethernet/IPv4 ARP packet after the link header (28). */
#define ARP_HDR_LEN (sizeof(struct arphdr) + 2 * (ETH_ALEN + 4))

/* fs_initcall part of inet_init: the arp_tbl of the current host and the
 * ETH_P_ARP packet_type (arp_rcv). */
void arp_init(void);

/* Build and send an ARP packet (dev_queue_xmit).  @dest_hw NULL:
 * broadcast; @src_hw NULL: dev->dev_addr; @target_hw NULL: zeros. */
void arp_send(int type, int ptype, uint32_t dest_ip, struct net_device *dev,
	      uint32_t src_ip, const unsigned char *dest_hw,
	      const unsigned char *src_hw, const unsigned char *target_hw);

/* The ETH_P_ARP packet_type's func. */
int arp_rcv(struct sk_buff *skb, struct net_device *dev,
	    struct packet_type *pt, struct net_device *orig_dev);

/* The IPv4 neighbour of @key on @dev, or NULL (no stats, no probe
 * side effects beyond the step point). */
struct neighbour *__ipv4_neigh_lookup_noref(struct net_device *dev,
					    uint32_t key);

/* The arp_tbl of @net (NULL before arp_init). */
static inline struct neigh_table *arp_tbl_of(const struct net *net)
{
	return net->arp_tbl;
}

#endif
