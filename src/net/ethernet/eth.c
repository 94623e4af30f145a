/*
 * eth.c - Ethernet helpers (net/ethernet/eth.c).  Receive: eth_type_trans
 * sets the mac header, pulls the 14-byte header, classifies the frame by
 * its destination (PACKET_HOST, BROADCAST, MULTICAST, OTHERHOST) and
 * returns the EtherType (host byte order in kpath).  Transmit:
 * eth_header pushes the header the neighbour layer asks for,
 * eth_header_cache fills a neighbour's hh_cache.
 *
 * Leaves out: DSA tags, 802.2/802.3 frames beyond naming them
 * (ETH_P_802_3 for raw IPX, else ETH_P_802_2), header_ops.  A frame too
 * short for an Ethernet header is not pulled; it gets protocol 0, for
 * which no packet_type exists, so the core drops it as UNHANDLED_PROTO.
 */
#include <arpa/inet.h>
#include <string.h>

#include "engine/probe.h"
#include "eth.h"
#include "net/core/neighbour.h"
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

int eth_header(struct sk_buff *skb, struct net_device *dev, uint16_t type,
	       const void *daddr, const void *saddr, unsigned int len)
{
	(void)len;
	struct ethhdr *eth = (struct ethhdr *)skb_push(skb, ETH_HLEN);
	eth->h_proto = htons(type);
	memcpy(eth->h_source, saddr ? saddr : dev->dev_addr, ETH_ALEN);
	/* Anyway, the loopback device should never use this function... */
	if (dev->flags & IFF_LOOPBACK) {
		memset(eth->h_dest, 0, ETH_ALEN);
		return ETH_HLEN;
	}
	if (daddr) {
		memcpy(eth->h_dest, daddr, ETH_ALEN);
		return ETH_HLEN;
	}
	memset(eth->h_dest, 0, ETH_ALEN);
	return -ETH_HLEN;
}

int eth_header_cache(const struct net_device *dev, const unsigned char *daddr,
		     struct hh_cache *hh, uint16_t type)
{
	/* the header sits at the end of hh_data (HH_DATA_OFF) */
	struct ethhdr *eth =
		(struct ethhdr *)(hh->hh_data + sizeof(hh->hh_data) - ETH_HLEN);
	eth->h_proto = htons(type);
	memcpy(eth->h_source, dev->dev_addr, ETH_ALEN);
	memcpy(eth->h_dest, daddr, ETH_ALEN);
	hh->hh_len = ETH_HLEN;
	return 0;
}

int dev_hard_header(struct sk_buff *skb, struct net_device *dev,
		    uint16_t type, const void *daddr, const void *saddr,
		    unsigned int len)
{
	if (!dev_has_header(dev))
		return 0;
	return eth_header(skb, dev, type, daddr, saddr, len);
}
