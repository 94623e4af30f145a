/*
 * eth.c - Ethernet receive helper (net/ethernet/eth.c): eth_type_trans
 * sets the mac header, pulls the 14-byte header, classifies the frame by
 * its destination (PACKET_HOST, BROADCAST, MULTICAST, OTHERHOST) and
 * returns the EtherType (host byte order in kpath).
 *
 * Leaves out: DSA tags, 802.2/802.3 frames beyond naming them
 * (ETH_P_802_3 for raw IPX, else ETH_P_802_2), header_ops.  A frame too
 * short for an Ethernet header is not pulled; it gets protocol 0, for
 * which no packet_type exists, so the core drops it as UNHANDLED_PROTO.
 */
#include <string.h>

#include "engine/probe.h"
#include "net/core/netdevice.h"

#define ETH_P_802_3 0x0001
#define ETH_P_802_2 0x0004
#define ETH_P_802_3_MIN 0x0600

uint16_t eth_type_trans(struct sk_buff *skb, struct net_device *dev)
{
	KP_FUNC(eth_type_trans, skb);
	skb->dev = dev;
	skb_reset_mac_header(skb);
	if (skb_headlen(skb) < ETH_HLEN) {
		skb->protocol = 0;
		return 0;
	}
	const struct ethhdr *eth = (const struct ethhdr *)skb->data;
	__skb_pull(skb, ETH_HLEN);

	if (memcmp(eth->h_dest, dev->dev_addr, ETH_ALEN)) {
		if (eth->h_dest[0] & 1) {
			if (!memcmp(eth->h_dest, dev->broadcast, ETH_ALEN))
				skb->pkt_type = PACKET_BROADCAST;
			else
				skb->pkt_type = PACKET_MULTICAST;
		} else {
			skb->pkt_type = PACKET_OTHERHOST;
		}
	}

	uint16_t proto = (uint16_t)(((const unsigned char *)&eth->h_proto)[0]
				    << 8 |
				    ((const unsigned char *)&eth->h_proto)[1]);
	if (proto < ETH_P_802_3_MIN) {
		/* raw 802.3 (Novell IPX) starts with 0xFFFF */
		if (skb_headlen(skb) >= 2 && skb->data[0] == 0xff &&
		    skb->data[1] == 0xff)
			proto = ETH_P_802_3;
		else
			proto = ETH_P_802_2;
	}
	skb->protocol = proto;
	return proto;
}
