/*
 * dev_backlog.c - the per-CPU backlog and RPS (net/core/dev.c):
 * netif_receive_skb's RPS steering, netif_rx, enqueue_to_backlog with the
 * netdev_max_backlog limit, process_backlog (the backlog NAPI's poll),
 * get_rps_cpu, and the inter-processor call that makes another CPU poll
 * its backlog (rps_trigger_softirq).
 *
 * Departures: the RPS IPI is sent at once from enqueue_to_backlog (3.10
 * queues it on rps_ipi_list and sends it at the end of net_rx_action);
 * no rps_sock_flow_table (RFS), no flow limit, no input_queue_head
 * counters.  The flow hash of an skb without an RSS hash is kpath's own
 * mix of addresses and ports, not Linux's siphash.
 */
#include <string.h>

#include "core_priv.h"
#include "engine/probe.h"
#include "net_namespace.h"
#include "netdevice.h"
#include "sched/host.h"
#include "sched/irq.h"
#include "sched/smp.h"

static void rps_trigger_softirq(void *data);

/* The RPS CPU mask of the queue @skb came in on, 0 when RPS is off. */
static uint32_t rps_map_of(const struct sk_buff *skb)
{
	const struct net_device *dev = skb->dev;
	if (!dev || !dev->num_rx_queues)
		return 0;
	unsigned int q = skb->queue_mapping;
	if (q >= dev->num_rx_queues)
		q = 0;
	return dev->_rx[q].rps_cpus;
}

static uint32_t flow_mix(uint32_t h, uint32_t v)
{
	h ^= v;
	h *= 0x9e3779b1u;
	return h ^ (h >> 15);
}

/* skb_get_hash: the NIC's RSS hash, else one from the IPv4 flow keys. */
static uint32_t skb_get_hash(struct sk_buff *skb)
{
	if (skb->hash)
		return skb->hash;
	uint32_t h = 0x5bd1e995u;
	if (skb->protocol == ETH_P_IP && skb_headlen(skb) >= 20) {
		const unsigned char *ip = skb->data;
		unsigned int ihl = (ip[0] & 0x0f) * 4u;
		uint32_t saddr, daddr;
		memcpy(&saddr, ip + 12, 4);
		memcpy(&daddr, ip + 16, 4);
		h = flow_mix(flow_mix(flow_mix(h, saddr), daddr), ip[9]);
		bool frag = (ip[6] & 0x3f) || ip[7];
		if (!frag && (ip[9] == 6 || ip[9] == 17) && ihl >= 20 &&
		    skb_headlen(skb) >= ihl + 4) {
			uint32_t ports;
			memcpy(&ports, ip + ihl, 4);
			h = flow_mix(h, ports);
			skb->l4_rxhash = 1;
		}
	}
	skb->hash = h ? h : 1;
	return skb->hash;
}

/* The CPU the flow's hash picks among the queue's rps_cpus, or -1. */
static int get_rps_cpu(struct net_device *dev, struct sk_buff *skb)
{
	KP_FUNC(get_rps_cpu, skb);
	uint32_t map = rps_map_of(skb);
	int cpus[32], len = 0;
	int nr_cpus = current_host()->nr_cpus;
	for (int c = 0; c < nr_cpus && c < 32; c++)
		if (map & (1u << c))
			cpus[len++] = c;
	if (!len)
		return -1;
	uint32_t hash = skb_get_hash(skb);
	return cpus[((uint64_t)hash * (uint32_t)len) >> 32];
}

/* On @cpu's own CPU, in the function-call interrupt: poll the backlog. */
static void rps_trigger_softirq(void *data)
{
	struct softnet_data *sd = data;
	KP_FUNC(rps_trigger_softirq, &sd->backlog);
	____napi_schedule(sd, &sd->backlog);
	sd->received_rps++;
}

static int enqueue_to_backlog(struct sk_buff *skb, int cpu)
{
	KP_FUNC_ARG(enqueue_to_backlog, skb, cpu);
	struct kp_host *h = current_host();
	struct softnet_data *mysd = kp_softnet_of(this_cpu());
	if (cpu < 0 || cpu >= h->nr_cpus)
		cpu = this_cpu()->id;
	struct softnet_data *sd = kp_softnet_of(h->cpus[cpu]);
	struct net *net = skb->net;
	unsigned long flags;

	local_irq_save(flags);
	uint32_t qlen = skb_queue_len(&sd->input_pkt_queue);
	if (qlen <= (uint32_t)net->sysctl.netdev_max_backlog) {
		if (!qlen &&
		    !test_and_set_bit(NAPI_STATE_SCHED, &sd->backlog.state)) {
			/* schedule NAPI for the backlog device */
			if (sd != mysd)
				kp_host_call(h, cpu, rps_trigger_softirq, sd,
					     NULL);
			else
				____napi_schedule(sd, &sd->backlog);
		}
		__skb_queue_tail(&sd->input_pkt_queue, skb);
		kp_skb_where(skb, "input_pkt_queue", (uint32_t)cpu);
		local_irq_restore(flags);
		return NET_RX_SUCCESS;
	}
	sd->dropped++;
	local_irq_restore(flags);
	if (skb->dev)
		skb->dev->rx_dropped++;
	kp_drop_detail(net, SKB_DROP_REASON_CPU_BACKLOG,
		       "cpu%d input_pkt_queue %u > netdev_max_backlog %ld", cpu,
		       qlen, net->sysctl.netdev_max_backlog);
	kfree_skb_reason(skb, SKB_DROP_REASON_CPU_BACKLOG);
	return NET_RX_DROP;
}

int netif_rx(struct sk_buff *skb)
{
	KP_FUNC(netif_rx, skb);
	int cpu = -1;
	if (rps_map_of(skb))
		cpu = get_rps_cpu(skb->dev, skb);
	if (cpu < 0)
		cpu = this_cpu()->id;
	return enqueue_to_backlog(skb, cpu);
}

int netif_receive_skb(struct sk_buff *skb)
{
	KP_FUNC(netif_receive_skb, skb);
	if (!skb->dev) {
		kfree_skb_reason(skb, SKB_DROP_REASON_NOT_SPECIFIED);
		return NET_RX_DROP;
	}
	if (rps_map_of(skb)) {
		int cpu = get_rps_cpu(skb->dev, skb);
		if (cpu >= 0)
			return enqueue_to_backlog(skb, cpu);
	}
	return __netif_receive_skb(skb);
}

int process_backlog(struct napi_struct *napi, int quota)
{
	KP_FUNC_ARG(process_backlog, napi, quota);
	struct softnet_data *sd =
		container_of(napi, struct softnet_data, backlog);
	int work = 0;

	napi->weight = (int)current_net()->sysctl.dev_weight;
	local_irq_disable();
	while (work < quota) {
		struct sk_buff *skb;
		while ((skb = __skb_dequeue(&sd->process_queue)) != NULL) {
			local_irq_enable();
			__netif_receive_skb(skb);
			local_irq_disable();
			if (++work >= quota) {
				local_irq_enable();
				return work;
			}
		}
		uint32_t qlen = skb_queue_len(&sd->input_pkt_queue);
		if (qlen) {
			struct sk_buff *s;
			skb_queue_walk(&sd->input_pkt_queue, s)
				kp_skb_where(s, "process_queue",
					     (uint32_t)sd->cpu_id);
			skb_queue_splice_tail_init(&sd->input_pkt_queue,
						   &sd->process_queue);
		}
		if (qlen < (uint32_t)(quota - work)) {
			/* an inline __napi_complete: both queues will be
			 * empty once process_queue is done */
			list_del_init(&napi->poll_list);
			napi->state = 0;
			napi->cpu = -1;
			quota = work + (int)qlen;
		}
	}
	local_irq_enable();
	return work;
}
