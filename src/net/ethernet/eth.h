/*
 * eth.h - building Ethernet headers on transmit (include/linux/
 * etherdevice.h, include/linux/netdevice.h: dev_hard_header).
 *
 * kpath's net_device has no header_ops pointer: every device with a
 * hard_header_len of ETH_HLEN (Ethernet and loopback) uses eth_header,
 * as both do in Linux (eth_header_ops).
 */
#ifndef KP_NET_ETHERNET_ETH_H
#define KP_NET_ETHERNET_ETH_H

#include <stdint.h>

#include "net/core/netdevice.h"

struct hh_cache;

/* Push an Ethernet header: @type (host order), destination @daddr (NULL:
 * left zero, to be filled), source @saddr (NULL: dev->dev_addr).
 * Returns ETH_HLEN, or -ETH_HLEN when the destination is still unknown
 * (Linux's convention). */
int eth_header(struct sk_buff *skb, struct net_device *dev, uint16_t type,
	       const void *daddr, const void *saddr, unsigned int len);
/* Fill @hh with the header to @daddr for @type (eth_header_cache). */
int eth_header_cache(const struct net_device *dev, const unsigned char *daddr,
		     struct hh_cache *hh, uint16_t type);

/* header_ops->create of @dev: eth_header, or 0 for devices without a
 * link-layer header. */
int dev_hard_header(struct sk_buff *skb, struct net_device *dev,
		    uint16_t type, const void *daddr, const void *saddr,
		    unsigned int len);
/* Does @dev build link-layer headers (dev->header_ops != NULL)? */
static inline int dev_has_header(const struct net_device *dev)
{
	return dev->hard_header_len == ETH_HLEN;
}

#endif
