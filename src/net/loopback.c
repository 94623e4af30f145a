/*
 * loopback.c - the loopback device "lo" (drivers/net/loopback.c).
 *
 * Registered on every stack before the NIC drivers probe, so it is
 * ifindex 1 as in Linux.  loopback_xmit turns a sent packet into a
 * received one on the same host: eth_type_trans, then netif_rx onto the
 * CPU's backlog, so same-host traffic takes Linux's path
 * (dev_queue_xmit -> loopback_xmit -> netif_rx -> process_backlog ->
 * ip_rcv, with the sender's route kept as the skb's dst).
 * Leaves out: per-CPU lstats (one set of counters), blackhole_netdev,
 * ethtool ops, GSO (lo's 64 KiB MTU makes it rare).
 */
#include "loopback.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "net/ipv4/arp.h"
#include "sched/sched.h"

#define LOOPBACK_MTU (64 * 1024)

netdev_tx_t loopback_xmit(struct sk_buff *skb, struct net_device *dev)
{
	KP_FUNC(loopback_xmit, skb);
	unsigned int len;

	/* the socket no longer owns it; the dst stays (skb_dst_force) */
	skb_orphan(skb);
	skb->protocol = eth_type_trans(skb, dev);
	len = skb->len;
	if (netif_rx(skb) == NET_RX_SUCCESS) {
		/* dev_lstats_add: lo counts every packet both ways */
		dev->stats.tx_packets++;
		dev->stats.tx_bytes += len;
		dev->stats.rx_packets++;
		dev->stats.rx_bytes += len;
	} else {
		dev->stats.rx_dropped++;
	}
	return NETDEV_TX_OK;
}

static int loopback_dev_open(struct net_device *dev)
{
	netif_carrier_on(dev);
	return 0;
}

static const struct net_device_ops loopback_ops = {
	.ndo_open = loopback_dev_open,
	.ndo_start_xmit = loopback_xmit,
};

/* loopback_setup */
static void loopback_setup(struct net_device *dev)
{
	dev->mtu = LOOPBACK_MTU;
	dev->hard_header_len = ETH_HLEN;
	dev->addr_len = ETH_ALEN;
	dev->type = ARPHRD_LOOPBACK;
	dev->flags = IFF_LOOPBACK;
	memset(dev->dev_addr, 0, ETH_ALEN);
	memset(dev->broadcast, 0, ETH_ALEN);
	dev->tx_queue_len = 1000;
	dev->features = NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_RXCSUM |
			NETIF_F_TSO | NETIF_F_LOOPBACK;
	dev->hw_features = 0;
	dev->netdev_ops = &loopback_ops;
}

static void loopback_net_exit(struct net *net)
{
	struct net_device *dev = net->loopback_dev;

	if (!dev)
		return;
	net->loopback_dev = NULL;
	free_netdev(dev);
}

int loopback_net_init(void)
{
	KP_FUNC0(loopback_net_init);
	struct net_device *dev = alloc_etherdev_mqs(0, 1, 1);
	int err;

	if (!dev)
		return -ENOMEM;
	snprintf(dev->name, sizeof(dev->name), "lo");
	loopback_setup(dev);
	err = register_netdev(dev);
	if (err) {
		free_netdev(dev);
		return err;
	}
	kp_net_register_exit(dev->nd_net, loopback_net_exit);
	return 0;
}
