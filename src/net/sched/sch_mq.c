/*
 * sch_mq.c - mq, the root qdisc of a multiqueue device
 * (net/sched/sch_mq.c): it queues nothing itself; at init it makes one
 * default child (pfifo_fast, parent :N) per TX queue and mq_attach
 * grafts each child onto its netdev_queue, so every TX queue has its own
 * qdisc and lock.  Its dump sums the children's counters, as `tc -s
 * qdisc` shows for "qdisc mq 0: root".
 *
 * Left out: mq's classes (tc class show), offload.
 */
#include "pkt_sched.h"

#include <errno.h>

struct mq_sched {
	struct Qdisc *qdiscs[KP_MAX_QUEUES]; /* until mq_attach */
};

static int mq_init(struct Qdisc *sch)
{
	struct net_device *dev = qdisc_dev(sch);
	struct mq_sched *priv = qdisc_priv(sch);

	if (sch->parent != TC_H_ROOT)
		return -EOPNOTSUPP;
	if (dev->num_tx_queues <= 1) /* !netif_is_multiqueue(dev) */
		return -EOPNOTSUPP;
	for (unsigned int ntx = 0; ntx < dev->num_tx_queues; ntx++) {
		struct netdev_queue *dev_queue = netdev_get_tx_queue(dev, ntx);
		struct Qdisc *qdisc = qdisc_create_dflt(
			dev_queue, &pfifo_fast_ops,
			TC_H_MAKE(TC_H_MAJ(sch->handle), TC_H_MIN(ntx + 1)));
		if (!qdisc)
			return -ENOMEM;
		priv->qdiscs[ntx] = qdisc;
		qdisc->flags |= TCQ_F_ONETXQUEUE | TCQ_F_NOPARENT;
	}
	sch->flags |= TCQ_F_MQROOT;
	return 0;
}

static void mq_destroy(struct Qdisc *sch)
{
	struct mq_sched *priv = qdisc_priv(sch);
	for (unsigned int ntx = 0; ntx < KP_MAX_QUEUES; ntx++) {
		qdisc_destroy(priv->qdiscs[ntx]);
		priv->qdiscs[ntx] = NULL;
	}
}

/* dev_graft_qdisc for each queue: the child sleeps there until
 * dev_activate makes it live. */
static void mq_attach(struct Qdisc *sch)
{
	struct net_device *dev = qdisc_dev(sch);
	struct mq_sched *priv = qdisc_priv(sch);
	for (unsigned int ntx = 0; ntx < dev->num_tx_queues; ntx++) {
		struct netdev_queue *dev_queue = netdev_get_tx_queue(dev, ntx);
		struct Qdisc *old = dev_queue->qdisc_sleeping;
		dev_queue->qdisc_sleeping = priv->qdiscs[ntx];
		dev_queue->qdisc = NULL;
		priv->qdiscs[ntx] = NULL;
		if (old)
			qdisc_destroy(old);
	}
}

static int mq_dump(struct Qdisc *sch, struct kp_qdisc_dump *d)
{
	struct net_device *dev = qdisc_dev(sch);
	sch->q.qlen = 0;
	sch->bstats = (struct gnet_stats_basic_packed){ 0 };
	sch->qstats = (struct gnet_stats_queue){ 0 };
	for (unsigned int ntx = 0; ntx < dev->num_tx_queues; ntx++) {
		struct Qdisc *qdisc = dev->_tx[ntx].qdisc_sleeping;
		if (!qdisc)
			continue;
		sch->q.qlen += qdisc->q.qlen;
		sch->bstats.bytes += qdisc->bstats.bytes;
		sch->bstats.packets += qdisc->bstats.packets;
		sch->qstats.backlog += qdisc->qstats.backlog;
		sch->qstats.drops += qdisc->qstats.drops;
		sch->qstats.requeues += qdisc->qstats.requeues;
		sch->qstats.overlimits += qdisc->qstats.overlimits;
	}
	(void)d;
	return 0;
}

const struct Qdisc_ops mq_qdisc_ops = {
	.id = "mq",
	.priv_size = sizeof(struct mq_sched),
	.init = mq_init,
	.destroy = mq_destroy,
	.attach = mq_attach,
	.dump = mq_dump,
};
