/*
 * sch_generic.h - struct Qdisc and struct Qdisc_ops (include/net/
 * sch_generic.h): a queueing discipline sits between dev_queue_xmit and
 * the driver, one per TX queue (netdev_queue->qdisc), with its queue
 * length, byte backlog and the counters `tc -s qdisc` prints.
 *
 * Left out: classes and filters (tcf), size tables, rate estimators,
 * per-CPU stats and lockless (TCQ_F_NOLOCK) qdiscs, RCU.  A qdisc's lock
 * is the kpath spinlock in the struct (Linux: q->q.lock).
 */
#ifndef KP_NET_SCHED_SCH_GENERIC_H
#define KP_NET_SCHED_SCH_GENERIC_H

#include <stdbool.h>
#include <stdint.h>

#include "net/core/netdevice.h"
#include "net/core/skbuff.h"
#include "sched/spinlock.h"

/* Handles (include/uapi/linux/pkt_sched.h) */
#define TC_H_MAJ_MASK 0xFFFF0000u
#define TC_H_MIN_MASK 0x0000FFFFu
#define TC_H_MAJ(h) ((h) & TC_H_MAJ_MASK)
#define TC_H_MIN(h) ((h) & TC_H_MIN_MASK)
#define TC_H_MAKE(maj, min) (((maj) & TC_H_MAJ_MASK) | ((min) & TC_H_MIN_MASK))
#define TC_H_UNSPEC 0u
#define TC_H_ROOT 0xFFFFFFFFu

#define TC_PRIO_MAX 15

/* q->flags */
#define TCQ_F_BUILTIN 1
#define TCQ_F_INGRESS 2
#define TCQ_F_CAN_BYPASS 4 /* empty: skip enqueue/dequeue */
#define TCQ_F_MQROOT 8
#define TCQ_F_ONETXQUEUE 0x10 /* dequeue only while its txq runs */
#define TCQ_F_NOPARENT 0x40

/* q->state */
enum qdisc_state_t {
	__QDISC_STATE_SCHED,       /* on a CPU's output_queue */
	__QDISC_STATE_DEACTIVATED, /* device going down */
};
/* q->__state (3.10): one CPU runs the qdisc at a time */
enum qdisc___state_t {
	__QDISC___STATE_RUNNING = 1,
};

struct gnet_stats_basic_packed {
	uint64_t bytes;
	uint32_t packets;
};

struct gnet_stats_queue {
	uint32_t qlen;
	uint32_t backlog; /* bytes */
	uint32_t drops;
	uint32_t requeues;
	uint32_t overlimits;
};

/* tc_prio_qopt: what `tc` prints after "bands" (pfifo_fast, prio) */
struct tc_prio_qopt {
	int bands;
	uint8_t priomap[TC_PRIO_MAX + 1];
};

struct Qdisc;

/* What a qdisc's dump gives `tc qdisc show` (the netlink attributes). */
struct kp_qdisc_dump {
	const char *kind;
	uint32_t handle, parent;
	int refcnt;
	bool has_prio;
	struct tc_prio_qopt prio;
	struct gnet_stats_basic_packed bstats;
	struct gnet_stats_queue qstats;
};

struct Qdisc_ops {
	const char *id; /* "pfifo_fast" */
	int priv_size;
	int (*enqueue)(struct sk_buff *skb, struct Qdisc *sch);
	struct sk_buff *(*dequeue)(struct Qdisc *sch);
	struct sk_buff *(*peek)(struct Qdisc *sch);
	int (*init)(struct Qdisc *sch);
	/* frees every queued skb (device down, replace) */
	void (*reset)(struct Qdisc *sch);
	/* frees what init allocated (children); queued skbs are gone */
	void (*destroy)(struct Qdisc *sch);
	/* mq: give each TX queue its child */
	void (*attach)(struct Qdisc *sch);
	/* fill the options and (mq) the summed stats */
	int (*dump)(struct Qdisc *sch, struct kp_qdisc_dump *d);
};

struct Qdisc {
	int (*enqueue)(struct sk_buff *skb, struct Qdisc *sch); /* NULL:
								   noqueue */
	struct sk_buff *(*dequeue)(struct Qdisc *sch);
	unsigned int flags; /* TCQ_F_* */
	const struct Qdisc_ops *ops;
	uint32_t handle;
	uint32_t parent;
	int refcnt;         /* tc's "refcnt" (tcm_info) */
	struct netdev_queue *dev_queue;
	struct Qdisc *next_sched; /* on softnet_data.output_queue */
	struct sk_buff *gso_skb;  /* requeued by the driver's BUSY */
	unsigned long state;      /* __QDISC_STATE_* */
	unsigned int __state;     /* __QDISC___STATE_RUNNING */
	struct sk_buff_head q;    /* q.qlen: packets queued */
	spinlock_t lock;          /* qdisc_lock() */
	struct gnet_stats_basic_packed bstats;
	struct gnet_stats_queue qstats;
	void *priv;               /* qdisc_priv(): ops->priv_size bytes */
	struct Qdisc *kp_next_all; /* on dev->kp_qdiscs */
};

static inline void *qdisc_priv(struct Qdisc *q)
{
	return q->priv;
}
static inline struct net_device *qdisc_dev(const struct Qdisc *q)
{
	return q->dev_queue->dev;
}
static inline spinlock_t *qdisc_lock(struct Qdisc *q)
{
	return &q->lock;
}
static inline unsigned int qdisc_qlen(const struct Qdisc *q)
{
	return q->q.qlen;
}
static inline unsigned int qdisc_pkt_len(const struct sk_buff *skb)
{
	return skb->len;
}
static inline bool qdisc_is_running(const struct Qdisc *q)
{
	return q->__state & __QDISC___STATE_RUNNING;
}
static inline bool qdisc_run_begin(struct Qdisc *q)
{
	if (qdisc_is_running(q))
		return false;
	q->__state |= __QDISC___STATE_RUNNING;
	return true;
}
static inline void qdisc_run_end(struct Qdisc *q)
{
	q->__state &= ~__QDISC___STATE_RUNNING;
}
static inline void qdisc_bstats_update(struct Qdisc *sch,
				       const struct sk_buff *skb)
{
	sch->bstats.bytes += qdisc_pkt_len(skb);
	sch->bstats.packets++;
}
static inline void qdisc_qstats_backlog_inc(struct Qdisc *sch,
					    const struct sk_buff *skb)
{
	sch->qstats.backlog += qdisc_pkt_len(skb);
}
static inline void qdisc_qstats_backlog_dec(struct Qdisc *sch,
					    const struct sk_buff *skb)
{
	sch->qstats.backlog -= qdisc_pkt_len(skb);
}

/* qdisc_drop: the skb dies with SKB_DROP_REASON_QDISC_DROP, counted in
 * qstats.drops; NET_XMIT_DROP goes back to the sender. */
int qdisc_drop(struct sk_buff *skb, struct Qdisc *sch);

/* TX queue stopped by the driver (or the stack)? */
static inline bool netif_xmit_frozen_or_stopped(const struct netdev_queue *txq)
{
	return txq->state & ((1ul << __QUEUE_STATE_DRV_XOFF) |
			     (1ul << __QUEUE_STATE_STACK_XOFF));
}

#endif
