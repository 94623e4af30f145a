/*
 * loopback.h - the loopback device (drivers/net/loopback.c).
 */
#ifndef KP_NET_LOOPBACK_H
#define KP_NET_LOOPBACK_H

#include "net/core/netdevice.h"

/* Initcall (before device drivers, so lo is ifindex 1): register "lo"
 * on the current host's stack (loopback_net_init).  0 or -ENOMEM. */
int loopback_net_init(void);

/* lo's ndo_start_xmit: the packet comes back in through netif_rx. */
netdev_tx_t loopback_xmit(struct sk_buff *skb, struct net_device *dev);

#endif
