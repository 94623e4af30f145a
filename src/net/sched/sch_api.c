/*
 * sch_api.c - the qdisc side of rtnetlink (net/sched/sch_api.c): the
 * registered kinds (qdisc_lookup_ops), `tc qdisc replace dev DEV root
 * KIND` (tc_modify_qdisc -> qdisc_create -> qdisc_graft) and the dump
 * `tc qdisc show` reads (tc_dump_qdisc: the root, then an mq's children
 * in the order the kernel's qdisc hash gives them, highest queue first).
 *
 * Departures: the automatic handle (8001:, 8002: ...) counts per device,
 * not per kernel; only root replacement, no parent/handle arguments,
 * no options; RCU grace periods are not needed (see sch_generic.c).
 */
#include "pkt_sched.h"

#include <errno.h>
#include <string.h>

#include "engine/probe.h"

static const struct Qdisc_ops *const qdisc_base[] = {
	&pfifo_fast_ops,
	&mq_qdisc_ops,
	&noqueue_qdisc_ops,
};

const struct Qdisc_ops *qdisc_lookup_ops(const char *kind)
{
	for (size_t i = 0; i < sizeof(qdisc_base) / sizeof(qdisc_base[0]); i++)
		if (!strcmp(qdisc_base[i]->id, kind))
			return qdisc_base[i];
	return NULL;
}

/* qdisc_alloc_handle: the next free 8001:, 8002: ... of the device */
static uint32_t qdisc_alloc_handle(struct net_device *dev)
{
	uint32_t handle = TC_H_MAKE(0x80000000u, 0);
	for (struct Qdisc *q = dev->kp_qdiscs; q; q = q->kp_next_all)
		if (TC_H_MAJ(q->handle) >= handle)
			handle = TC_H_MAJ(q->handle);
	return handle + TC_H_MAKE(0x10000u, 0);
}

/* qdisc_graft with parent NULL: @new becomes the device's root, on every
 * TX queue unless it attaches its own children (mq); the old ones go. */
static void qdisc_graft(struct net_device *dev, struct Qdisc *new)
{
	KP_FUNC(qdisc_graft, dev);
	bool up = dev->flags & IFF_UP;
	if (up)
		dev_deactivate(dev);
	if (!new->ops->attach) {
		for (unsigned int i = 0; i < dev->num_tx_queues; i++) {
			struct netdev_queue *dev_queue = &dev->_tx[i];
			struct Qdisc *old = dev_queue->qdisc_sleeping;
			dev_queue->qdisc_sleeping = new;
			dev_queue->qdisc = NULL;
			if (i > 0)
				new->refcnt++;
			qdisc_destroy(old);
		}
	}
	struct Qdisc *old_root = dev->qdisc;
	if (!new->ops->attach)
		new->refcnt++;
	dev->qdisc = new;
	if (new->ops->attach)
		new->ops->attach(new);
	qdisc_destroy(old_root);
	if (up)
		dev_activate(dev);
}

/* tc_modify_qdisc for `replace root`: qdisc_create, then qdisc_graft. */
int kp_tc_qdisc_replace_root(struct net_device *dev, const char *kind)
{
	const struct Qdisc_ops *ops = qdisc_lookup_ops(kind);
	if (!ops)
		return -ENOENT;
	int err = 0;
	struct Qdisc *new = qdisc_create(netdev_get_tx_queue(dev, 0), ops,
					 TC_H_ROOT, qdisc_alloc_handle(dev),
					 &err);
	if (!new)
		return err;
	qdisc_graft(dev, new);
	return 0;
}

static void dump_one(struct Qdisc *q, struct kp_qdisc_dump *d)
{
	memset(d, 0, sizeof(*d));
	d->kind = q->ops->id;
	d->handle = q->handle;
	d->parent = q->parent;
	d->refcnt = q->refcnt;
	if (q->ops->dump)
		q->ops->dump(q, d);
	d->bstats = q->bstats;
	d->qstats = q->qstats;
	d->qstats.qlen = q->q.qlen;
}

int kp_tc_qdisc_dump(struct net_device *dev, struct kp_qdisc_dump *d, int max)
{
	int n = 0;
	struct Qdisc *root = dev->qdisc;
	if (!root) {
		/* noop_qdisc */
		if (max > 0) {
			memset(d, 0, sizeof(*d));
			d->kind = "noop";
			d->parent = TC_H_ROOT;
			d->refcnt = 2;
		}
		return 1;
	}
	if (n < max)
		dump_one(root, &d[n]);
	n++;
	if (!(root->flags & TCQ_F_MQROOT))
		return n;
	for (unsigned int i = dev->real_num_tx_queues; i-- > 0;) {
		struct Qdisc *q = dev->_tx[i].qdisc_sleeping;
		if (!q || q == root)
			continue;
		if (n < max)
			dump_one(q, &d[n]);
		n++;
	}
	return n;
}

const char *kp_dev_qdisc_kind(const struct net_device *dev)
{
	return dev->qdisc ? dev->qdisc->ops->id : "noop";
}
