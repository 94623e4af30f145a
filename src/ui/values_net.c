/*
 * values_net.c - value paths that read a host's network stack, for
 * `expect` and `print`: MIB counters by nstat name, device and driver
 * counters, softnet_data, drop reasons, sysctls, skb accounting, rings.
 * All values are absolute (nstat's history does not apply).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "format_net.h"
#include "net/core/net_namespace.h"
#include "net/core/netdevice.h"
#include "sched/host.h"
#include "session.h"
#include "values.h"

struct net *kp_value_net(struct kp_value_query *q)
{
	struct kp_host *h = kp_value_host(q, 0);
	if (!h)
		return NULL;
	if (!h->net) {
		kp_value_fail(q, "%s has no network stack yet", h->name);
		return NULL;
	}
	return h->net;
}

struct net_device *kp_value_dev(struct kp_value_query *q, int i)
{
	struct net *net = kp_value_net(q);
	struct net_device *dev;
	if (!net)
		return NULL;
	list_for_each_entry(dev, &net->dev_base_head, dev_list)
		if (strcmp(dev->name, q->cap[i]) == 0)
			return dev;
	kp_value_fail(q, "no device '%s' on %s (see 'ip link')", q->cap[i],
		      q->cap[0]);
	return NULL;
}

int value_net_nstat(struct kp_value_query *q, struct kp_value *out)
{
	struct net *net = kp_value_net(q);
	const char *name = q->cap[1];
	int type;
	char dir[4];
	if (!net)
		return -ESRCH;
	int mib = kp_mib_lookup(name);
	if (mib >= 0) {
		kp_value_int(out, kp_net_mib_value(net, mib));
		return 0;
	}
	if (sscanf(name, "IcmpMsg%3[InOut]Type%d", dir, &type) == 2 &&
	    type >= 0 && type < 256 &&
	    (!strcmp(dir, "In") || !strcmp(dir, "Out"))) {
		kp_value_int(out, (int64_t)(dir[0] == 'I'
						    ? net->icmpmsg_in[type]
						    : net->icmpmsg_out[type]));
		return 0;
	}
	return kp_value_fail(q, "no counter '%s' (see 'nstat -az')", name);
}

int value_net_ethtool(struct kp_value_query *q, struct kp_value *out)
{
	struct net_device *dev = kp_value_dev(q, 1);
	uint64_t v;
	if (!dev)
		return -ESRCH;
	if (kp_ethtool_stat(dev, q->cap[2], &v) < 0)
		return kp_value_fail(q, "%s has no statistic '%s' (see "
					"'ethtool -S %s')",
				     dev->name, q->cap[2], dev->name);
	kp_value_int(out, (int64_t)v);
	return 0;
}

int value_net_dev(struct kp_value_query *q, struct kp_value *out)
{
	struct net_device *dev = kp_value_dev(q, 1);
	struct rtnl_link_stats64 s;
	const char *f;
	if (!dev)
		return -ESRCH;
	kp_dev_get_stats(dev, &s);
	f = q->cap[2];
#define DEV_FIELD(name)                                                       \
	if (strcmp(f, #name) == 0) {                                          \
		kp_value_int(out, (int64_t)s.name);                           \
		return 0;                                                     \
	}
	DEV_FIELD(rx_packets) DEV_FIELD(tx_packets) DEV_FIELD(rx_bytes)
	DEV_FIELD(tx_bytes) DEV_FIELD(rx_errors) DEV_FIELD(tx_errors)
	DEV_FIELD(rx_dropped) DEV_FIELD(tx_dropped) DEV_FIELD(multicast)
	DEV_FIELD(collisions) DEV_FIELD(rx_length_errors)
	DEV_FIELD(rx_over_errors) DEV_FIELD(rx_crc_errors)
	DEV_FIELD(rx_frame_errors) DEV_FIELD(rx_fifo_errors)
	DEV_FIELD(rx_missed_errors) DEV_FIELD(tx_fifo_errors)
	DEV_FIELD(tx_carrier_errors) DEV_FIELD(rx_nohandler)
#undef DEV_FIELD
	if (strcmp(f, "mtu") == 0) {
		kp_value_int(out, dev->mtu);
		return 0;
	}
	if (strcmp(f, "up") == 0) {
		kp_value_int(out, (dev->flags & IFF_UP) != 0);
		return 0;
	}
	if (strcmp(f, "ifindex") == 0) {
		kp_value_int(out, dev->ifindex);
		return 0;
	}
	return kp_value_fail(q, "no device field '%s' (rx_packets, "
				"rx_dropped, rx_missed_errors, mtu, up, ...)",
			     f);
}

int value_net_softnet(struct kp_value_query *q, struct kp_value *out)
{
	struct kp_host *h = kp_value_host(q, 0);
	struct kp_cpu *cpu = h ? kp_value_cpu(q, h, 1) : NULL;
	struct softnet_data *sd = cpu ? kp_softnet_of(cpu) : NULL;
	const char *f = q->cap[2];
	if (!cpu)
		return -ESRCH;
	if (!sd)
		return kp_value_fail(q, "%s has no softnet_data yet", h->name);
	if (!strcmp(f, "processed"))
		kp_value_int(out, sd->processed);
	else if (!strcmp(f, "dropped"))
		kp_value_int(out, sd->dropped);
	else if (!strcmp(f, "time_squeeze"))
		kp_value_int(out, sd->time_squeeze);
	else if (!strcmp(f, "received_rps"))
		kp_value_int(out, sd->received_rps);
	else if (!strcmp(f, "flow_limit_count"))
		kp_value_int(out, sd->flow_limit_count);
	else if (!strcmp(f, "cpu_collision"))
		kp_value_int(out, sd->cpu_collision);
	else if (!strcmp(f, "backlog"))
		kp_value_int(out, skb_queue_len(&sd->input_pkt_queue) +
					  skb_queue_len(&sd->process_queue));
	else if (!strcmp(f, "poll_list")) {
		int n = 0;
		struct napi_struct *napi;
		list_for_each_entry(napi, &sd->poll_list, poll_list)
			n++;
		kp_value_int(out, n);
	} else
		return kp_value_fail(q, "no softnet field '%s' (processed, "
					"dropped, time_squeeze, received_rps, "
					"backlog, poll_list)",
				     f);
	return 0;
}

int value_net_drops(struct kp_value_query *q, struct kp_value *out)
{
	struct net *net = kp_value_net(q);
	if (!net)
		return -ESRCH;
	for (int r = 0; r < SKB_DROP_REASON_MAX; r++) {
		if (strcmp(kp_drop_reason_name((enum skb_drop_reason)r),
			   q->cap[1]) == 0) {
			kp_value_int(out, (int64_t)net->drops[r]);
			return 0;
		}
	}
	return kp_value_fail(q, "no drop reason '%s' (NO_SOCKET, IP_CSUM, "
				"CPU_BACKLOG, ... as 'show drops' names them)",
			     q->cap[1]);
}

static int sysctl_value(struct kp_value_query *q, struct kp_value *out,
			const char *prefix)
{
	struct net *net = kp_value_net(q);
	char name[128];
	if (!net)
		return -ESRCH;
	snprintf(name, sizeof(name), "%s.%s", prefix, q->cap[1]);
	const struct kp_sysctl_info *si = kp_sysctl_lookup(name);
	if (!si)
		return kp_value_fail(q, "no sysctl '%s' (see 'sysctl -a')",
				     name);
	kp_value_int(out, kp_sysctl_get(net, si));
	return 0;
}

int value_net_sysctl_core(struct kp_value_query *q, struct kp_value *out)
{
	return sysctl_value(q, out, "net.core");
}

int value_net_sysctl_ipv4(struct kp_value_query *q, struct kp_value *out)
{
	return sysctl_value(q, out, "net.ipv4");
}

int value_net_skbs(struct kp_value_query *q, struct kp_value *out)
{
	struct net *net = kp_value_net(q);
	const char *f = q->cap[1];
	if (!net)
		return -ESRCH;
	if (!strcmp(f, "alive"))
		kp_value_int(out, (int64_t)net->skb.alive);
	else if (!strcmp(f, "allocated"))
		kp_value_int(out, (int64_t)net->skb.allocated);
	else if (!strcmp(f, "consumed"))
		kp_value_int(out, (int64_t)net->skb.consumed);
	else if (!strcmp(f, "dropped"))
		kp_value_int(out, (int64_t)net->skb.dropped);
	else if (!strcmp(f, "bytes_copied"))
		kp_value_int(out, (int64_t)net->skb.bytes_copied);
	else
		return kp_value_fail(q, "no skb count '%s' (alive, "
					"allocated, consumed, dropped, "
					"bytes_copied)",
				     f);
	return 0;
}

int value_net_irq(struct kp_value_query *q, struct kp_value *out)
{
	struct kp_host *h = kp_value_host(q, 0);
	struct kp_cpu *cpu = h ? kp_value_cpu(q, h, 2) : NULL;
	if (!cpu)
		return -ESRCH;
	for (int i = 0; i < KP_NR_IRQS; i++) {
		const char *name = i == LOCAL_TIMER_IRQ ? "LOC"
				   : i == 1		? "CAL"
							: h->irq_desc[i].name;
		if (strcmp(name, q->cap[1]) == 0) {
			kp_value_int(out,
				     (int64_t)h->irq_desc[i].count[cpu->id]);
			return 0;
		}
	}
	return kp_value_fail(q, "no interrupt '%s' on %s (LOC, CAL, or a "
				"name in 'cat /proc/interrupts')",
			     q->cap[1], h->name);
}

static int ring_value(struct kp_value_query *q, struct kp_value *out, bool rx)
{
	struct net_device *dev = kp_value_dev(q, 1);
	if (!dev)
		return -ESRCH;
	int qn = atoi(q->cap[2]);
	int n = kp_ring_free(dev, rx, qn);
	if (n < 0)
		return kp_value_fail(q, "%s has no %s ring %d (not igb, down, "
					"or no such queue)",
				     dev->name, rx ? "rx" : "tx", qn);
	kp_value_int(out, n);
	return 0;
}

int value_net_ring_rx_free(struct kp_value_query *q, struct kp_value *out)
{
	return ring_value(q, out, true);
}

int value_net_ring_tx_free(struct kp_value_query *q, struct kp_value *out)
{
	return ring_value(q, out, false);
}
