/*
 * sch_generic.c - the generic qdisc machinery (net/sched/sch_generic.c):
 * the transmit loop __qdisc_run -> qdisc_restart -> dequeue_skb ->
 * sch_direct_xmit (HARD_TX_LOCK, dev_hard_start_xmit, dev_requeue_skb on
 * NETDEV_TX_BUSY), the noqueue qdisc, allocation, reset and destruction,
 * and dev_activate/dev_deactivate, which attach the default qdiscs when
 * a device comes up (mq with a pfifo_fast per TX queue on multiqueue
 * devices, pfifo_fast on single-queue ones, noqueue for lo).
 *
 * The loop keeps the 3.10 shape (qdisc_run_begin/__QDISC___STATE_RUNNING,
 * q->gso_skb for the requeued skb) with current Linux's accounting (the
 * requeued skb stays in qlen and backlog; quota dev_tx_weight =
 * dev_weight * dev_weight_tx_bias, 64).  Departures: no RCU - a qdisc
 * that was replaced is reset but its memory stays on dev->kp_qdiscs
 * until free_netdev, so a CPU still holding it finds valid memory; no
 * watchdog (dev_watchdog) and no bulk dequeue.
 */
#include "pkt_sched.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "sched/host.h"
#include "sched/softirq.h"

int qdisc_drop(struct sk_buff *skb, struct Qdisc *sch)
{
	sch->qstats.drops++;
	kfree_skb_reason(skb, SKB_DROP_REASON_QDISC_DROP);
	return NET_XMIT_DROP;
}

/* ---- noqueue: no enqueue, dev_queue_xmit calls the driver ---- */

static struct sk_buff *noop_dequeue(struct Qdisc *qdisc)
{
	(void)qdisc;
	return NULL;
}

const struct Qdisc_ops noqueue_qdisc_ops = {
	.id = "noqueue",
	.dequeue = noop_dequeue,
	.peek = noop_dequeue,
};

/* ---- allocation ---- */

static struct Qdisc *qdisc_alloc(struct netdev_queue *dev_queue,
				 const struct Qdisc_ops *ops)
{
	struct Qdisc *sch = calloc(1, sizeof(*sch));
	if (!sch)
		return NULL;
	if (ops->priv_size) {
		sch->priv = calloc(1, (size_t)ops->priv_size);
		if (!sch->priv) {
			free(sch);
			return NULL;
		}
	}
	sch->ops = ops;
	sch->enqueue = ops->enqueue;
	sch->dequeue = ops->dequeue;
	sch->dev_queue = dev_queue;
	sch->refcnt = 1;
	skb_queue_head_init(&sch->q);
	spin_lock_init(&sch->lock);
	/* kpath: every qdisc of the device stays listed until free_netdev */
	struct net_device *dev = dev_queue->dev;
	sch->kp_next_all = dev->kp_qdiscs;
	dev->kp_qdiscs = sch;
	return sch;
}

struct Qdisc *qdisc_create(struct netdev_queue *dev_queue,
			   const struct Qdisc_ops *ops, uint32_t parentid,
			   uint32_t handle, int *errp)
{
	struct Qdisc *sch = qdisc_alloc(dev_queue, ops);
	if (!sch) {
		*errp = -ENOMEM;
		return NULL;
	}
	sch->parent = parentid;
	sch->handle = handle;
	if (ops->init) {
		int err = ops->init(sch);
		if (err) {
			sch->refcnt = 0; /* dead: freed with the device */
			set_bit(__QDISC_STATE_DEACTIVATED, &sch->state);
			*errp = err;
			return NULL;
		}
	}
	return sch;
}

struct Qdisc *qdisc_create_dflt(struct netdev_queue *dev_queue,
				const struct Qdisc_ops *ops, uint32_t parentid)
{
	int err = 0;
	return qdisc_create(dev_queue, ops, parentid, 0, &err);
}

void qdisc_reset(struct Qdisc *qdisc)
{
	if (qdisc->ops->reset)
		qdisc->ops->reset(qdisc);
	if (qdisc->gso_skb) {
		kfree_skb_reason(qdisc->gso_skb, SKB_DROP_REASON_QUEUE_PURGE);
		qdisc->gso_skb = NULL;
	}
	qdisc->q.qlen = 0;
	qdisc->qstats.backlog = 0;
}

void qdisc_destroy(struct Qdisc *qdisc)
{
	if (!qdisc || (qdisc->flags & TCQ_F_BUILTIN) || --qdisc->refcnt > 0)
		return;
	qdisc_reset(qdisc);
	if (qdisc->ops->destroy)
		qdisc->ops->destroy(qdisc);
	qdisc->enqueue = NULL;
	qdisc->dequeue = noop_dequeue;
	set_bit(__QDISC_STATE_DEACTIVATED, &qdisc->state);
}

void kp_qdisc_free_noskb(struct Qdisc *q)
{
	free(q->priv);
	free(q);
}

/* ---- the transmit loop ---- */

/* The driver said NETDEV_TX_BUSY: keep the skb at the head (still in
 * qlen and backlog) and try again from NET_TX_SOFTIRQ. */
static int dev_requeue_skb(struct sk_buff *skb, struct Qdisc *q)
{
	KP_FUNC(dev_requeue_skb, skb);
	q->gso_skb = skb;
	q->qstats.requeues++;
	qdisc_qstats_backlog_inc(q, skb);
	q->q.qlen++; /* it's still part of the queue */
	kp_skb_where(skb, "qdisc gso_skb", (uint32_t)q->dev_queue->index);
	__netif_schedule(q);
	return 0;
}

static struct sk_buff *dequeue_skb(struct Qdisc *q)
{
	struct sk_buff *skb = q->gso_skb;
	const struct netdev_queue *txq = q->dev_queue;

	if (skb) {
		/* check the reason of requeuing without tx lock first */
		txq = netdev_get_tx_queue(txq->dev, skb->queue_mapping);
		if (!netif_xmit_frozen_or_stopped(txq)) {
			q->gso_skb = NULL;
			qdisc_qstats_backlog_dec(q, skb);
			q->q.qlen--;
		} else {
			skb = NULL;
		}
	} else if (!(q->flags & TCQ_F_ONETXQUEUE) ||
		   !netif_xmit_frozen_or_stopped(txq)) {
		skb = q->dequeue(q);
	}
	return skb;
}

/* HARD_TX_LOCK / HARD_TX_UNLOCK (netdevice.h) */
static void hard_tx_lock(struct netdev_queue *txq)
{
	spin_lock(&txq->_xmit_lock);
	txq->xmit_lock_owner = this_cpu()->id;
}

static void hard_tx_unlock(struct netdev_queue *txq)
{
	txq->xmit_lock_owner = -1;
	spin_unlock(&txq->_xmit_lock);
}

/*
 * Transmit one skb with the qdisc's lock released (it is held on entry
 * and on return).  Returns the qdisc's length when the loop may go on,
 * 0 when it must stop (queue empty, driver queue stopped, requeued).
 */
int sch_direct_xmit(struct sk_buff *skb, struct Qdisc *q,
		    struct net_device *dev, struct netdev_queue *txq,
		    spinlock_t *root_lock)
{
	KP_FUNC(sch_direct_xmit, skb);
	int ret = NETDEV_TX_BUSY;

	/* And release qdisc */
	spin_unlock(root_lock);

	hard_tx_lock(txq);
	if (!netif_xmit_frozen_or_stopped(txq))
		ret = dev_hard_start_xmit(skb, dev, txq);
	hard_tx_unlock(txq);

	spin_lock(root_lock);

	if (dev_xmit_complete(ret)) {
		/* Driver sent out skb successfully or skb was consumed */
		ret = (int)qdisc_qlen(q);
	} else {
		/* Driver returned NETDEV_TX_BUSY - requeue skb */
		ret = dev_requeue_skb(skb, q);
	}
	if (ret && netif_xmit_frozen_or_stopped(txq))
		ret = 0;
	return ret;
}

/* Dequeue one skb and send it; nonzero while there is more to do. */
static int qdisc_restart(struct Qdisc *q)
{
	KP_FUNC(qdisc_restart, q->dev_queue->dev);
	struct sk_buff *skb = dequeue_skb(q);
	if (!skb)
		return 0;
	struct net_device *dev = qdisc_dev(q);
	struct netdev_queue *txq = netdev_get_tx_queue(dev, skb->queue_mapping);
	return sch_direct_xmit(skb, q, dev, txq, qdisc_lock(q));
}

/* Called with the qdisc's lock held and __QDISC___STATE_RUNNING set. */
void __qdisc_run(struct Qdisc *q)
{
	KP_FUNC(__qdisc_run, q->dev_queue->dev);
	struct net *net = qdisc_dev(q)->nd_net;
	long quota = net ? net->sysctl.dev_weight : 64; /* dev_tx_weight */

	while (qdisc_restart(q)) {
		/* Ordered by possible occurrence: postpone processing if
		 * 1. we've exceeded packet quota
		 * 2. another process needs the CPU */
		if (--quota <= 0 || need_resched()) {
			__netif_schedule(q);
			break;
		}
	}
	qdisc_run_end(q);
}

/* ---- attaching qdiscs to a device ---- */

static void attach_one_default_qdisc(struct net_device *dev,
				     struct netdev_queue *dev_queue)
{
	const struct Qdisc_ops *ops = &pfifo_fast_ops;
	if ((dev->priv_flags & IFF_NO_QUEUE) || (dev->flags & IFF_LOOPBACK))
		ops = &noqueue_qdisc_ops;
	struct Qdisc *qdisc = qdisc_create_dflt(dev_queue, ops, TC_H_ROOT);
	if (!qdisc)
		return;
	if (dev->real_num_tx_queues <= 1)
		qdisc->flags |= TCQ_F_ONETXQUEUE;
	dev_queue->qdisc_sleeping = qdisc;
}

static void attach_default_qdiscs(struct net_device *dev)
{
	struct netdev_queue *txq = netdev_get_tx_queue(dev, 0);
	bool noqueue = (dev->priv_flags & IFF_NO_QUEUE) ||
		       (dev->flags & IFF_LOOPBACK);

	for (unsigned int i = 0; i < dev->num_tx_queues; i++) {
		spin_lock_init(&dev->_tx[i]._xmit_lock);
		dev->_tx[i].xmit_lock_owner = -1;
	}
	if (dev->real_num_tx_queues <= 1 || noqueue) {
		for (unsigned int i = 0; i < dev->num_tx_queues; i++)
			attach_one_default_qdisc(dev, &dev->_tx[i]);
		dev->qdisc = txq->qdisc_sleeping;
		if (dev->qdisc)
			dev->qdisc->refcnt++;
	} else {
		struct Qdisc *qdisc =
			qdisc_create_dflt(txq, &mq_qdisc_ops, TC_H_ROOT);
		if (qdisc) {
			qdisc->ops->attach(qdisc);
			dev->qdisc = qdisc;
		}
	}
}

void dev_activate(struct net_device *dev)
{
	KP_FUNC(dev_activate, dev);
	/* No queueing discipline is attached to device; create default one
	 * for devices which need queueing */
	if (!dev->qdisc)
		attach_default_qdiscs(dev);
	/* transition_one_qdisc: the sleeping qdisc goes live */
	for (unsigned int i = 0; i < dev->num_tx_queues; i++) {
		struct netdev_queue *txq = &dev->_tx[i];
		struct Qdisc *q = txq->qdisc_sleeping;
		if (q)
			clear_bit(__QDISC_STATE_DEACTIVATED, &q->state);
		txq->qdisc = q;
	}
}

void dev_deactivate(struct net_device *dev)
{
	KP_FUNC(dev_deactivate, dev);
	/* dev_deactivate_queue: the TX queues get the noop qdisc (NULL)... */
	for (unsigned int i = 0; i < dev->num_tx_queues; i++) {
		struct netdev_queue *txq = &dev->_tx[i];
		struct Qdisc *q = txq->qdisc;
		txq->qdisc = NULL;
		if (q)
			set_bit(__QDISC_STATE_DEACTIVATED, &q->state);
	}
	/* ...and dev_reset_queue drops what the sleeping ones hold.  (Linux
	 * first waits for running qdiscs with synchronize_net; kpath code
	 * between two probes is atomic and the memory stays valid.) */
	for (unsigned int i = 0; i < dev->num_tx_queues; i++) {
		struct Qdisc *q = dev->_tx[i].qdisc_sleeping;
		if (q)
			qdisc_reset(q);
	}
}

void dev_shutdown(struct net_device *dev)
{
	struct Qdisc *q = dev->kp_qdiscs;
	while (q) {
		struct Qdisc *next = q->kp_next_all;
		kp_qdisc_free_noskb(q);
		q = next;
	}
	dev->kp_qdiscs = NULL;
	dev->qdisc = NULL;
	for (unsigned int i = 0; i < KP_MAX_QUEUES; i++)
		dev->_tx[i].qdisc = dev->_tx[i].qdisc_sleeping = NULL;
}
