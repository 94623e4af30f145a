/*
 * pkt_sched.h - running qdiscs and attaching them to devices
 * (include/net/pkt_sched.h, net/sched/sch_generic.c, sch_api.c).
 */
#ifndef KP_NET_SCHED_PKT_SCHED_H
#define KP_NET_SCHED_PKT_SCHED_H

#include "sch_generic.h"

extern const struct Qdisc_ops pfifo_fast_ops;
extern const struct Qdisc_ops mq_qdisc_ops;
extern const struct Qdisc_ops noqueue_qdisc_ops;

/* dev_xmit.c: taps (dev_queue_xmit_nit), then ops->ndo_start_xmit */
int dev_hard_start_xmit(struct sk_buff *skb, struct net_device *dev,
			struct netdev_queue *txq);

/* dev_xmit.c: append @q to this CPU's output_queue, raise NET_TX */
void __netif_reschedule(struct Qdisc *q);

/* sch_generic.c: the transmit loop */
int sch_direct_xmit(struct sk_buff *skb, struct Qdisc *q,
		    struct net_device *dev, struct netdev_queue *txq,
		    spinlock_t *root_lock);
void __qdisc_run(struct Qdisc *q);
static inline void qdisc_run(struct Qdisc *q)
{
	if (qdisc_run_begin(q))
		__qdisc_run(q);
}

/* sch_generic.c: life of qdiscs.  qdisc_create_dflt: a new qdisc of
 * @ops on @dev_queue under @parentid; NULL on ENOMEM or init failure. */
struct Qdisc *qdisc_create_dflt(struct netdev_queue *dev_queue,
				const struct Qdisc_ops *ops,
				uint32_t parentid);
/* The same with a handle (tc's "8001:"); *errp = -ENOMEM or init's
 * error (-EOPNOTSUPP: mq on a single-queue device) on NULL. */
struct Qdisc *qdisc_create(struct netdev_queue *dev_queue,
			   const struct Qdisc_ops *ops, uint32_t parentid,
			   uint32_t handle, int *errp);
/* Drops every queued skb (probes: runs on a CPU). */
void qdisc_reset(struct Qdisc *q);
/* One reference less; at zero: reset, ops->destroy, free. */
void qdisc_destroy(struct Qdisc *q);
/* Frees @q (and an mq's children) without touching skbs: host teardown,
 * after the stack freed every skb. */
void kp_qdisc_free_noskb(struct Qdisc *q);

/* Device up/down (dev_open/dev_close): attach the default qdiscs (mq +
 * pfifo_fast per queue, pfifo_fast, noqueue for IFF_NO_QUEUE/lo) and
 * make them live; dev_deactivate parks them and drops their packets. */
void dev_activate(struct net_device *dev);
void dev_deactivate(struct net_device *dev);
/* free_netdev: forget the qdiscs without probes. */
void dev_shutdown(struct net_device *dev);

/* sch_api.c: `tc qdisc replace dev DEV root KIND` (qdisc_graft), and
 * the dump `tc qdisc show` prints, in tc's order.  KIND: pfifo_fast,
 * noqueue, mq.  0 or -EINVAL / -EOPNOTSUPP / -ENOMEM. */
int kp_tc_qdisc_replace_root(struct net_device *dev, const char *kind);
const struct Qdisc_ops *qdisc_lookup_ops(const char *kind);
/* Fills up to @max entries; returns how many there are. */
int kp_tc_qdisc_dump(struct net_device *dev, struct kp_qdisc_dump *d,
		     int max);
/* The root qdisc's kind for `ip link` ("noop" when none). */
const char *kp_dev_qdisc_kind(const struct net_device *dev);

#endif
