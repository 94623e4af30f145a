/*
 * values_qdisc.c - value paths that read a device's qdiscs, for `expect`,
 * `print` and `watch`: the counters `tc -s qdisc` prints, of the root
 * qdisc (an mq root sums its children, as tc shows it) or of the qdisc
 * of one TX queue.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net/core/net_namespace.h"
#include "net/core/netdevice.h"
#include "net/sched/pkt_sched.h"
#include "sched/host.h"
#include "session.h"
#include "values.h"

static int qdisc_field(struct kp_value_query *q, const struct kp_qdisc_dump *d,
		       const char *f, struct kp_value *out)
{
	if (!strcmp(f, "kind")) {
		kp_value_str(out, d->kind);
		return 0;
	}
	const struct {
		const char *name;
		int64_t v;
	} fields[] = {
		{ "bytes", (int64_t)d->bstats.bytes },
		{ "packets", d->bstats.packets },
		{ "drops", d->qstats.drops },
		{ "overlimits", d->qstats.overlimits },
		{ "requeues", d->qstats.requeues },
		{ "backlog", d->qstats.backlog },
		{ "qlen", d->qstats.qlen },
		{ "refcnt", d->refcnt },
	};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (!strcmp(f, fields[i].name)) {
			kp_value_int(out, fields[i].v);
			return 0;
		}
	}
	return kp_value_fail(q, "no qdisc field '%s' (kind, bytes, packets, "
				"drops, overlimits, requeues, backlog, qlen, "
				"refcnt)",
			     f);
}

int value_qdisc_root(struct kp_value_query *q, struct kp_value *out)
{
	struct net_device *dev = kp_value_dev(q, 1);
	struct kp_qdisc_dump d[KP_MAX_QUEUES + 1];
	if (!dev)
		return -ESRCH;
	kp_tc_qdisc_dump(dev, d, KP_MAX_QUEUES + 1);
	return qdisc_field(q, &d[0], q->cap[2], out);
}

int value_qdisc_txq(struct kp_value_query *q, struct kp_value *out)
{
	struct net_device *dev = kp_value_dev(q, 1);
	if (!dev)
		return -ESRCH;
	int n = atoi(q->cap[2]);
	if (n < 0 || (unsigned int)n >= dev->real_num_tx_queues)
		return kp_value_fail(q, "%s has no TX queue %d", dev->name, n);
	struct Qdisc *qd = dev->_tx[n].qdisc_sleeping;
	struct kp_qdisc_dump d = { .kind = "noop", .parent = TC_H_ROOT };
	if (qd) {
		d.kind = qd->ops->id;
		d.refcnt = qd->refcnt;
		d.bstats = qd->bstats;
		d.qstats = qd->qstats;
		d.qstats.qlen = qd->q.qlen;
	}
	return qdisc_field(q, &d, q->cap[3], out);
}
