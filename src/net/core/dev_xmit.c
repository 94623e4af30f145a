/*
 * dev_xmit.c - the device layer of transmit (net/core/dev.c):
 * dev_queue_xmit -> __dev_queue_xmit (pick the TX queue, run its qdisc,
 * or call the driver directly for noqueue devices such as lo) ->
 * __dev_xmit_skb (the empty-qdisc bypass to sch_direct_xmit, else
 * enqueue + __qdisc_run) -> dev_hard_start_xmit (dev_queue_xmit_nit gives
 * each ptype_all tap a PACKET_OUTGOING clone, then ndo_start_xmit), and
 * __netif_schedule, which puts a qdisc on this CPU's output_queue for
 * NET_TX_SOFTIRQ (net_tx_action in dev_napi.c runs it again).
 *
 * The 3.10 shape; current Linux's results (noop drops count tx_dropped
 * and return NET_XMIT_CN).  Left out: GSO segmentation, checksum help
 * (the NIC does it), XPS and sk_tx_queue_mapping, the qdisc busylock,
 * the xmit recursion limit, egress hooks (tc filters, netfilter egress).
 * The flow hash of locally made skbs is jhash over the IPv4 addresses
 * and ports with a fixed seed (Linux: a random seed per boot).
 */
#include <errno.h>
#include <string.h>

#include "engine/probe.h"
#include "net/sched/pkt_sched.h"
#include "net_namespace.h"
#include "netdevice.h"
#include "sched/host.h"
#include "sched/irq.h"
#include "sched/softirq.h"

/* ---- picking the TX queue ---- */

static inline uint32_t rol32(uint32_t w, unsigned int s)
{
	return (w << s) | (w >> (32 - s));
}

/* jhash_3words (include/linux/jhash.h, Bob Jenkins' lookup3 final mix) */
static uint32_t jhash_3words(uint32_t a, uint32_t b, uint32_t c,
			     uint32_t initval)
{
	a += 0xdeadbeef + (3u << 2) + initval;
	b += 0xdeadbeef + (3u << 2) + initval;
	c += 0xdeadbeef + (3u << 2) + initval;
	c ^= b;
	c -= rol32(b, 14);
	a ^= c;
	a -= rol32(c, 11);
	b ^= a;
	b -= rol32(a, 25);
	c ^= b;
	c -= rol32(b, 16);
	a ^= c;
	a -= rol32(c, 4);
	b ^= a;
	b -= rol32(a, 14);
	c ^= b;
	c -= rol32(b, 24);
	return c;
}

#define KP_FLOW_HASH_SEED 0x6b706174u /* Linux: hashrnd, random per boot */

/* skb_get_hash for a frame whose data is the Ethernet header: the IPv4
 * addresses, protocol and (unfragmented TCP/UDP) ports. */
static uint32_t skb_get_hash(struct sk_buff *skb)
{
	if (skb->hash)
		return skb->hash;
	const uint8_t *d = skb->data;
	unsigned int len = skb_headlen(skb);
	if (len < ETH_HLEN + 20 || d[12] != 0x08 || d[13] != 0x00)
		return 0;
	const uint8_t *ip = d + ETH_HLEN;
	unsigned int ihl = (ip[0] & 0x0f) * 4u;
	if ((ip[0] >> 4) != 4 || ihl < 20 || len < ETH_HLEN + ihl)
		return 0;
	uint32_t saddr, daddr, ports = 0;
	memcpy(&saddr, ip + 12, 4);
	memcpy(&daddr, ip + 16, 4);
	bool frag = (ip[6] & 0x3f) || ip[7]; /* MF or offset */
	if (!frag && (ip[9] == 6 || ip[9] == 17) &&
	    len >= ETH_HLEN + ihl + 4)
		memcpy(&ports, ip + ihl, 4);
	uint32_t hash = jhash_3words(saddr, daddr ^ ip[9], ports,
				     KP_FLOW_HASH_SEED);
	if (!hash)
		hash = 1;
	skb->hash = hash;
	return hash;
}

/* skb_tx_hash: spread flows over the real TX queues */
static uint16_t skb_tx_hash(const struct net_device *dev, struct sk_buff *skb)
{
	uint32_t qcount = dev->real_num_tx_queues;
	if (qcount <= 1)
		return 0;
	/* reciprocal_scale */
	return (uint16_t)(((uint64_t)skb_get_hash(skb) * qcount) >> 32);
}

static struct netdev_queue *netdev_pick_tx(struct net_device *dev,
					   struct sk_buff *skb)
{
	uint16_t queue_index = 0;
	if (dev->real_num_tx_queues != 1) {
		const struct net_device_ops *ops = dev->netdev_ops;
		if (ops && ops->ndo_select_queue)
			queue_index = ops->ndo_select_queue(dev, skb);
		else
			queue_index = skb_tx_hash(dev, skb);
		if (queue_index >= dev->real_num_tx_queues)
			queue_index = 0;
	}
	skb->queue_mapping = queue_index;
	return netdev_get_tx_queue(dev, queue_index);
}

/* ---- NET_TX_SOFTIRQ scheduling ---- */

void __netif_reschedule(struct Qdisc *q)
{
	unsigned long flags;
	local_irq_save(flags);
	struct softnet_data *sd = kp_softnet_of(this_cpu());
	struct Qdisc **tailp = &sd->output_queue;
	while (*tailp)
		tailp = &(*tailp)->next_sched; /* output_queue_tailp */
	q->next_sched = NULL;
	*tailp = q;
	raise_softirq_irqoff(NET_TX_SOFTIRQ);
	local_irq_restore(flags);
}

void __netif_schedule(struct Qdisc *q)
{
	if (!q)
		return; /* noop qdisc: the device is down */
	KP_FUNC(__netif_schedule, q->dev_queue->dev);
	if (!test_and_set_bit(__QDISC_STATE_SCHED, &q->state))
		__netif_reschedule(q);
}

/* ---- down to the driver ---- */

/* Every ptype_all tap (tcpdump) of the device gets a clone with
 * pkt_type PACKET_OUTGOING, data at the MAC header. */
static void dev_queue_xmit_nit(struct sk_buff *skb, struct net_device *dev)
{
	KP_FUNC(dev_queue_xmit_nit, skb);
	struct net *net = dev->nd_net;
	struct packet_type *ptype, *pt_prev = NULL;
	struct sk_buff *skb2 = NULL;

	list_for_each_entry(ptype, &net->ptype_all, list) {
		if (ptype->dev && ptype->dev != dev)
			continue;
		if (pt_prev) {
			skb2->users++;
			pt_prev->func(skb2, skb->dev, pt_prev, skb->dev);
			pt_prev = ptype;
			continue;
		}
		skb2 = skb_clone(skb);
		if (!skb2)
			break;
		skb2->tstamp = local_clock(); /* net_timestamp_set */
		skb_reset_mac_header(skb2);
		if (skb2->network_header == (uint16_t)~0u ||
		    skb_network_header(skb2) < skb2->data ||
		    skb_network_header(skb2) > skb_tail_pointer(skb2))
			skb_set_network_header(skb2, ETH_HLEN);
		skb2->transport_header = skb2->network_header;
		skb2->pkt_type = PACKET_OUTGOING;
		kp_skb_where(skb2, "dev_queue_xmit_nit", 0);
		pt_prev = ptype;
	}
	if (pt_prev)
		pt_prev->func(skb2, skb->dev, pt_prev, skb->dev);
}

int dev_hard_start_xmit(struct sk_buff *skb, struct net_device *dev,
			struct netdev_queue *txq)
{
	KP_FUNC_ARG(dev_hard_start_xmit, skb, skb->len);
	const struct net_device_ops *ops = dev->netdev_ops;

	if (!list_empty(&dev->nd_net->ptype_all))
		dev_queue_xmit_nit(skb, dev);
	kp_skb_where(skb, "ndo_start_xmit", txq->index);
	int rc = ops->ndo_start_xmit(skb, dev);
	if (rc == NETDEV_TX_OK)
		txq->trans_start = local_clock(); /* txq_trans_update */
	return rc;
}

static int __dev_xmit_skb(struct sk_buff *skb, struct Qdisc *q,
			  struct net_device *dev, struct netdev_queue *txq)
{
	KP_FUNC(__dev_xmit_skb, skb);
	spinlock_t *root_lock = qdisc_lock(q);
	int rc;

	spin_lock(root_lock);
	if (test_bit(__QDISC_STATE_DEACTIVATED, &q->state)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_QDISC_DROP);
		rc = NET_XMIT_DROP;
	} else if ((q->flags & TCQ_F_CAN_BYPASS) && !qdisc_qlen(q) &&
		   qdisc_run_begin(q)) {
		/* This is a work-conserving queue; there are no old skbs
		 * waiting to be sent out; and the qdisc is not running -
		 * xmit the skb directly. */
		qdisc_bstats_update(q, skb);
		if (sch_direct_xmit(skb, q, dev, txq, root_lock))
			__qdisc_run(q);
		else
			qdisc_run_end(q);
		rc = NET_XMIT_SUCCESS;
	} else {
		rc = q->enqueue(skb, q) & NET_XMIT_MASK;
		if (qdisc_run_begin(q))
			__qdisc_run(q);
	}
	spin_unlock(root_lock);
	return rc;
}

static int __dev_queue_xmit(struct sk_buff *skb)
{
	KP_FUNC(__dev_queue_xmit, skb);
	struct net_device *dev = skb->dev;
	int rc;

	skb_reset_mac_header(skb);
	/* Disable soft irqs for various locks below.  Also stops preemption
	 * for RCU. */
	local_bh_disable();
	struct netdev_queue *txq = netdev_pick_tx(dev, skb);
	struct Qdisc *q = txq->qdisc;
	kp_skb_where(skb, "__dev_queue_xmit", txq->index);

	if (q && q->enqueue) {
		rc = __dev_xmit_skb(skb, q, dev, txq);
		goto out;
	}
	if (!q) {
		/* noop_qdisc: the device is down (noop_enqueue) */
		dev->tx_dropped++;
		kp_drop_detail(dev->nd_net, SKB_DROP_REASON_QDISC_DROP,
			       "%s: noop qdisc (device down)", dev->name);
		kfree_skb_reason(skb, SKB_DROP_REASON_QDISC_DROP);
		rc = NET_XMIT_CN;
		goto out;
	}

	/* The device has no queue.  Common case for software devices:
	 * loopback, all the sorts of tunnels... */
	if (dev->flags & IFF_UP) {
		int cpu = this_cpu()->id;
		if (txq->xmit_lock_owner != cpu) {
			spin_lock(&txq->_xmit_lock);
			txq->xmit_lock_owner = cpu;
			if (!netif_xmit_frozen_or_stopped(txq)) {
				rc = dev_hard_start_xmit(skb, dev, txq);
				if (dev_xmit_complete(rc)) {
					txq->xmit_lock_owner = -1;
					spin_unlock(&txq->_xmit_lock);
					goto out;
				}
			}
			txq->xmit_lock_owner = -1;
			spin_unlock(&txq->_xmit_lock);
			kp_drop_detail(dev->nd_net,
				       SKB_DROP_REASON_NOT_SPECIFIED,
				       "Virtual device %s asks to queue packet!",
				       dev->name);
		} else {
			kp_drop_detail(dev->nd_net,
				       SKB_DROP_REASON_NOT_SPECIFIED,
				       "Dead loop on virtual device %s, fix it "
				       "urgently!",
				       dev->name);
		}
	} else {
		kp_drop_detail(dev->nd_net, SKB_DROP_REASON_NOT_SPECIFIED,
			       "%s is down", dev->name);
	}
	rc = -ENETDOWN;
	dev->tx_dropped++; /* dev_core_stats_tx_dropped_inc */
	kfree_skb_reason(skb, SKB_DROP_REASON_NOT_SPECIFIED);
out:
	local_bh_enable();
	return rc;
}

int dev_queue_xmit(struct sk_buff *skb)
{
	KP_FUNC(dev_queue_xmit, skb);
	if (!skb->dev || !skb->dev->netdev_ops ||
	    !skb->dev->netdev_ops->ndo_start_xmit) {
		kfree_skb_reason(skb, SKB_DROP_REASON_NOT_SPECIFIED);
		return -EINVAL;
	}
	return __dev_queue_xmit(skb);
}
