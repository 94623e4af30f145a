/*
 * sch_pfifo_fast.c - pfifo_fast, the default qdisc of a TX queue
 * (net/sched/sch_generic.c): three FIFO bands, band 0 served first;
 * skb->priority picks the band through prio2band (TC_PRIO_INTERACTIVE
 * -> 0, best effort -> 1, bulk -> 2).  Each band holds up to
 * dev->tx_queue_len packets (txqueuelen, as current Linux's per-band
 * rings; 3.10 limited the sum); one more is dropped with
 * SKB_DROP_REASON_QDISC_DROP and NET_XMIT_DROP goes back to the sender.
 *
 * Left out: the lockless skb_array rings and per-CPU stats of current
 * Linux (one lock, one set of counters, as 3.10).
 */
#include "pkt_sched.h"

#include "engine/probe.h"

#define PFIFO_FAST_BANDS 3

/* TC_PRIO_* (skb->priority & TC_PRIO_MAX) -> band */
static const uint8_t prio2band[TC_PRIO_MAX + 1] = { 1, 2, 2, 2, 1, 2, 0, 0,
						     1, 1, 1, 1, 1, 1, 1, 1 };

struct pfifo_fast_priv {
	struct sk_buff_head q[PFIFO_FAST_BANDS];
};

static int pfifo_fast_enqueue(struct sk_buff *skb, struct Qdisc *qdisc)
{
	KP_FUNC_ARG(pfifo_fast_enqueue, skb, skb->priority);
	struct pfifo_fast_priv *priv = qdisc_priv(qdisc);
	int band = prio2band[skb->priority & TC_PRIO_MAX];
	struct sk_buff_head *list = &priv->q[band];

	if (skb_queue_len(list) >= qdisc_dev(qdisc)->tx_queue_len)
		return qdisc_drop(skb, qdisc);
	__skb_queue_tail(list, skb);
	qdisc_qstats_backlog_inc(qdisc, skb);
	qdisc->q.qlen++;
	kp_skb_where(skb, "pfifo_fast band", (uint32_t)band);
	return NET_XMIT_SUCCESS;
}

static struct sk_buff *pfifo_fast_dequeue(struct Qdisc *qdisc)
{
	struct pfifo_fast_priv *priv = qdisc_priv(qdisc);
	for (int band = 0; band < PFIFO_FAST_BANDS; band++) {
		struct sk_buff *skb = __skb_dequeue(&priv->q[band]);
		if (!skb)
			continue;
		qdisc_qstats_backlog_dec(qdisc, skb);
		qdisc_bstats_update(qdisc, skb);
		qdisc->q.qlen--;
		kp_skb_where(skb, "dequeued from pfifo_fast", (uint32_t)band);
		return skb;
	}
	return NULL;
}

static struct sk_buff *pfifo_fast_peek(struct Qdisc *qdisc)
{
	struct pfifo_fast_priv *priv = qdisc_priv(qdisc);
	for (int band = 0; band < PFIFO_FAST_BANDS; band++)
		if (!skb_queue_empty(&priv->q[band]))
			return skb_peek(&priv->q[band]);
	return NULL;
}

static void pfifo_fast_reset(struct Qdisc *qdisc)
{
	struct pfifo_fast_priv *priv = qdisc_priv(qdisc);
	for (int band = 0; band < PFIFO_FAST_BANDS; band++) {
		struct sk_buff *skb;
		while ((skb = __skb_dequeue(&priv->q[band])) != NULL)
			kfree_skb_reason(skb, SKB_DROP_REASON_QUEUE_PURGE);
	}
	qdisc->qstats.backlog = 0;
	qdisc->q.qlen = 0;
}

static int pfifo_fast_init(struct Qdisc *qdisc)
{
	struct pfifo_fast_priv *priv = qdisc_priv(qdisc);
	for (int band = 0; band < PFIFO_FAST_BANDS; band++)
		skb_queue_head_init(&priv->q[band]);
	/* Can by-pass the queue discipline */
	qdisc->flags |= TCQ_F_CAN_BYPASS;
	return 0;
}

static int pfifo_fast_dump(struct Qdisc *qdisc, struct kp_qdisc_dump *d)
{
	(void)qdisc;
	d->has_prio = true;
	d->prio.bands = PFIFO_FAST_BANDS;
	for (int i = 0; i <= TC_PRIO_MAX; i++)
		d->prio.priomap[i] = prio2band[i];
	return 0;
}

const struct Qdisc_ops pfifo_fast_ops = {
	.id = "pfifo_fast",
	.priv_size = sizeof(struct pfifo_fast_priv),
	.enqueue = pfifo_fast_enqueue,
	.dequeue = pfifo_fast_dequeue,
	.peek = pfifo_fast_peek,
	.init = pfifo_fast_init,
	.reset = pfifo_fast_reset,
	.dump = pfifo_fast_dump,
};
