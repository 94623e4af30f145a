/*
 * dev.c - network devices and the receive dispatch (net/core/dev.c,
 * net/ethernet/eth.c's alloc_etherdev_mqs).
 *
 * Devices: alloc_etherdev_mqs, register_netdev (ifindex, "eth%d" names,
 * net->dev_base_head), dev_open/dev_close, lookups.  Dispatch: the 3.10
 * netif_receive_skb -> __netif_receive_skb -> __netif_receive_skb_core,
 * which walks ptype_all (taps) and ptype_base[type & 15] with the pt_prev
 * pattern: every handler but the last gets the skb with one more user
 * (deliver_skb), the last one gets the caller's reference.
 *
 * Leaves out: VLAN untagging, rx_handler (bridge, bonding), ingress
 * qdisc, netpoll, timestamps, RCU (lists are changed only by code running
 * atomically between probes), rtnl and notifier chains.  Transmit
 * (dev_queue_xmit) is in dev_xmit.c, qdiscs in src/net/sched/.
 */
#include "netdevice.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_priv.h"
#include "engine/probe.h"
#include "net/sched/pkt_sched.h"
#include "net_namespace.h"
#include "sched/host.h"

/* ---- devices ---- */

struct net_device *alloc_etherdev_mqs(int priv_size, unsigned int txqs,
				      unsigned int rxqs)
{
	if (txqs < 1 || rxqs < 1 || priv_size < 0)
		return NULL;
	if (txqs > KP_MAX_QUEUES)
		txqs = KP_MAX_QUEUES;
	if (rxqs > KP_MAX_QUEUES)
		rxqs = KP_MAX_QUEUES;
	struct net_device *dev = calloc(1, sizeof(*dev));
	if (!dev)
		return NULL;
	if (priv_size) {
		dev->priv = calloc(1, (size_t)priv_size);
		if (!dev->priv) {
			free(dev);
			return NULL;
		}
	}
	struct kp_host *h = current_host();
	dev->host = h;
	dev->nd_net = h->net;
	kp_obj_assign(&h->world->ids, &dev->kp, KP_OBJ_DEV);
	snprintf(dev->name, sizeof(dev->name), "eth%%d");
	/* ether_setup */
	dev->type = 1; /* ARPHRD_ETHER */
	dev->hard_header_len = ETH_HLEN;
	dev->mtu = ETH_DATA_LEN;
	dev->addr_len = ETH_ALEN;
	dev->tx_queue_len = 1000;
	dev->flags = IFF_BROADCAST | IFF_MULTICAST;
	memset(dev->broadcast, 0xff, ETH_ALEN);
	dev->num_tx_queues = dev->real_num_tx_queues = txqs;
	dev->num_rx_queues = dev->real_num_rx_queues = rxqs;
	for (unsigned int i = 0; i < KP_MAX_QUEUES; i++) {
		dev->_tx[i].dev = dev;
		dev->_tx[i].index = i;
		dev->_rx[i].index = i;
	}
	INIT_LIST_HEAD(&dev->napi_list);
	INIT_LIST_HEAD(&dev->dev_list);
	return dev;
}

void free_netdev(struct net_device *dev)
{
	if (!dev)
		return;
	struct napi_struct *n, *tmp;
	list_for_each_entry_safe(n, tmp, &dev->napi_list, dev_list)
		netif_napi_del(n);
	list_del_init(&dev->dev_list);
	dev_shutdown(dev);
	free(dev->priv);
	free(dev);
}

/* dev_alloc_name: "eth%d" becomes the first free eth<N>. */
static int dev_alloc_name(struct net *net, struct net_device *dev)
{
	const char *pct = strstr(dev->name, "%d");
	if (!pct)
		return dev_get_by_name(net, dev->name) ? -EEXIST : 0;
	char fmt[IFNAMSIZ];
	snprintf(fmt, sizeof(fmt), "%s", dev->name);
	for (int i = 0; i < 1000; i++) {
		char name[IFNAMSIZ + 8];
		snprintf(name, sizeof(name), "%.*s%d%s", (int)(pct - dev->name),
			 fmt, i, pct + 2);
		if (strlen(name) >= IFNAMSIZ)
			return -EINVAL;
		if (!dev_get_by_name(net, name)) {
			memcpy(dev->name, name, strlen(name) + 1);
			return 0;
		}
	}
	return -ENFILE;
}

int register_netdev(struct net_device *dev)
{
	struct net *net = dev->nd_net;
	if (!net)
		return -EINVAL;
	int err = dev_alloc_name(net, dev);
	if (err)
		return err;
	dev->ifindex = ++net->ifindex;
	/* register_netdevice turns on the software offloads */
	dev->hw_features |= NETIF_F_GRO;
	dev->features |= NETIF_F_GSO | NETIF_F_GRO;
	if (dev->flags & IFF_LOOPBACK)
		net->loopback_dev = dev;
	list_add_tail(&dev->dev_list, &net->dev_base_head);
	return 0;
}

void unregister_netdev(struct net_device *dev)
{
	dev_close(dev);
	if (dev->nd_net && dev->nd_net->loopback_dev == dev)
		dev->nd_net->loopback_dev = NULL;
	list_del_init(&dev->dev_list);
}

int dev_open(struct net_device *dev)
{
	if (dev->flags & IFF_UP)
		return 0;
	if (dev->netdev_ops && dev->netdev_ops->ndo_open) {
		int err = dev->netdev_ops->ndo_open(dev);
		if (err)
			return err;
	}
	dev->flags |= IFF_UP;
	dev_activate(dev);
	return 0;
}

int dev_close(struct net_device *dev)
{
	if (!(dev->flags & IFF_UP))
		return 0;
	dev->flags &= ~IFF_UP;
	dev_deactivate(dev);
	if (dev->netdev_ops && dev->netdev_ops->ndo_stop)
		dev->netdev_ops->ndo_stop(dev);
	return 0;
}

struct net_device *dev_get_by_name(struct net *net, const char *name)
{
	struct net_device *dev;
	if (!net || !name)
		return NULL;
	list_for_each_entry(dev, &net->dev_base_head, dev_list)
		if (strcmp(dev->name, name) == 0)
			return dev;
	return NULL;
}

struct net_device *dev_get_by_index(struct net *net, int ifindex)
{
	struct net_device *dev;
	if (!net)
		return NULL;
	list_for_each_entry(dev, &net->dev_base_head, dev_list)
		if (dev->ifindex == ifindex)
			return dev;
	return NULL;
}

/* ---- TX queue state (the qdisc side is the transmit issue's) ---- */

void netif_tx_start_all_queues(struct net_device *dev)
{
	KP_FUNC(netif_tx_start_all_queues, dev);
	for (unsigned int i = 0; i < dev->num_tx_queues; i++)
		clear_bit(__QUEUE_STATE_DRV_XOFF, &dev->_tx[i].state);
}

void netif_tx_stop_all_queues(struct net_device *dev)
{
	for (unsigned int i = 0; i < dev->num_tx_queues; i++)
		netif_tx_stop_queue(&dev->_tx[i]);
}

/* The driver has room again: the queue's qdisc runs from NET_TX_SOFTIRQ. */
void netif_tx_wake_queue(struct netdev_queue *txq)
{
	if (test_bit(__QUEUE_STATE_DRV_XOFF, &txq->state)) {
		clear_bit(__QUEUE_STATE_DRV_XOFF, &txq->state);
		__netif_schedule(txq->qdisc);
	}
}

/* ---- packet handlers ---- */

static struct list_head *ptype_head(struct net *net,
				    const struct packet_type *pt)
{
	if (pt->type == ETH_P_ALL)
		return &net->ptype_all;
	return &net->ptype_base[pt->type & (PTYPE_HASH_SIZE - 1)];
}

void dev_add_pack(struct packet_type *pt)
{
	KP_FUNC_ARG(dev_add_pack, KP_NOOBJ, pt->type);
	list_add(&pt->list, ptype_head(current_net(), pt));
}

void dev_remove_pack(struct packet_type *pt)
{
	list_del_init(&pt->list);
}

/* ---- receive dispatch ---- */

static int deliver_skb(struct sk_buff *skb, struct packet_type *pt_prev,
		       struct net_device *orig_dev)
{
	KP_FUNC(deliver_skb, skb);
	skb->users++;
	return pt_prev->func(skb, skb->dev, pt_prev, orig_dev);
}

static int __netif_receive_skb_core(struct sk_buff *skb)
{
	KP_FUNC(__netif_receive_skb_core, skb);
	struct net_device *orig_dev = skb->dev;
	struct net *net = skb->net;
	struct packet_type *ptype, *pt_prev = NULL;
	int ret = NET_RX_DROP;

	skb_reset_network_header(skb);
	if (skb->transport_header == (uint16_t)~0u)
		skb_reset_transport_header(skb);
	skb->mac_len = (uint16_t)(skb->network_header - skb->mac_header);
	skb->skb_iif = skb->dev->ifindex;
	kp_softnet_of(this_cpu())->processed++;
	kp_skb_where(skb, "__netif_receive_skb_core", 0);

	list_for_each_entry(ptype, &net->ptype_all, list) {
		if (!ptype->dev || ptype->dev == skb->dev) {
			if (pt_prev)
				ret = deliver_skb(skb, pt_prev, orig_dev);
			pt_prev = ptype;
		}
	}

	uint16_t type = skb->protocol;
	list_for_each_entry(ptype,
			    &net->ptype_base[type & (PTYPE_HASH_SIZE - 1)],
			    list) {
		if (ptype->type == type &&
		    (!ptype->dev || ptype->dev == skb->dev ||
		     ptype->dev == orig_dev)) {
			if (pt_prev)
				ret = deliver_skb(skb, pt_prev, orig_dev);
			pt_prev = ptype;
		}
	}

	if (pt_prev)
		return pt_prev->func(skb, skb->dev, pt_prev, orig_dev);

	/* current Linux: counted as rx_nohandler, not rx_dropped */
	skb->dev->rx_nohandler++;
	kp_drop_detail(net, SKB_DROP_REASON_UNHANDLED_PROTO,
		       "%s: ethertype 0x%04x", skb->dev->name, type);
	kfree_skb_reason(skb, SKB_DROP_REASON_UNHANDLED_PROTO);
	(void)ret;
	return NET_RX_DROP;
}

int __netif_receive_skb(struct sk_buff *skb)
{
	KP_FUNC(__netif_receive_skb, skb);
	return __netif_receive_skb_core(skb);
}
