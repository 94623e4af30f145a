/*
 * format_net.c - the receive path on screen: /proc/net/softnet_stat
 * (net/core/net-procfs.c), /proc/interrupts (kernel/irq/proc.c and
 * arch/x86/kernel/irq.c), /proc/net/snmp and /proc/net/netstat
 * (net/ipv4/proc.c), /proc/net/dev, and kpath's own views: drops,
 * poll_list, softnet, one skb.
 *
 * Left out: /proc/net/snmp6 and the MPTcpExt line of netstat (no IPv6,
 * no MPTCP); softnet_stat prints the 13 columns of Linux 4.x-6.8, not the
 * two queue-length columns 6.9 appended.
 */
#include "format_net.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/decode.h"
#include "hw/nic_view.h"
#include "net/core/net_namespace.h"
#include "net/core/netdevice.h"
#include "net/core/skbuff.h"
#include "net/ipv4/arp.h"
#include "net/ipv4/icmp.h"
#include "net/sched/pkt_sched.h"
#include "sched/host.h"
#include "sched/smp.h"

/* ---- counters ---- */

int64_t kp_net_mib_value(const struct net *net, int mib)
{
	if (mib == KP_MIB_Ip_Forwarding)
		return net->sysctl.ip_forward ? 1 : 2;
	if (mib == KP_MIB_Ip_DefaultTTL)
		return net->sysctl.ip_default_ttl;
	if (mib == KP_MIB_Tcp_MaxConn && !net->mib[mib])
		return -1; /* tcp_mib_init: no limit */
	/* tcp_mib_init's other constants: RFC 2698's "other" algorithm,
	 * TCP_RTO_MIN and TCP_RTO_MAX in ms */
	if (mib == KP_MIB_Tcp_RtoAlgorithm && !net->mib[mib])
		return 1;
	if (mib == KP_MIB_Tcp_RtoMin && !net->mib[mib])
		return 200;
	if (mib == KP_MIB_Tcp_RtoMax && !net->mib[mib])
		return 120000;
	if (net->mib[mib])
		return (int64_t)net->mib[mib];
	/* Linux derives the per-type Icmp columns from IcmpMsg */
	bool out;
	int type = icmp_mib_type(mib, &out);
	if (type < 0)
		return 0;
	return (int64_t)(out ? net->icmpmsg_out[type] : net->icmpmsg_in[type]);
}

void kp_dev_get_stats(const struct net_device *dev,
		      struct rtnl_link_stats64 *stats)
{
	*stats = dev->stats;
	stats->rx_dropped += dev->rx_dropped;
	stats->tx_dropped += dev->tx_dropped;
	stats->rx_nohandler += dev->rx_nohandler;
}

int kp_ethtool_stats(struct net_device *dev, char **names, uint64_t **vals)
{
	const struct ethtool_ops *ops = dev->ethtool_ops;
	*names = NULL;
	*vals = NULL;
	if (!ops || !ops->get_sset_count || !ops->get_strings ||
	    !ops->get_ethtool_stats)
		return 0;
	int n = ops->get_sset_count(dev);
	if (n <= 0)
		return 0;
	*names = calloc((size_t)n, ETH_GSTRING_LEN);
	*vals = calloc((size_t)n, sizeof(uint64_t));
	if (!*names || !*vals) {
		free(*names);
		free(*vals);
		*names = NULL;
		*vals = NULL;
		return 0;
	}
	ops->get_strings(dev, *names);
	ops->get_ethtool_stats(dev, *vals);
	for (int i = 0; i < n; i++)
		(*names)[i * ETH_GSTRING_LEN + ETH_GSTRING_LEN - 1] = '\0';
	return n;
}

int kp_ethtool_stat(struct net_device *dev, const char *name, uint64_t *val)
{
	char *names;
	uint64_t *vals;
	int n = kp_ethtool_stats(dev, &names, &vals), ret = -ENOENT;
	for (int i = 0; i < n; i++) {
		if (strcmp(names + i * ETH_GSTRING_LEN, name) == 0) {
			*val = vals[i];
			ret = 0;
			break;
		}
	}
	free(names);
	free(vals);
	return ret;
}

const char *kp_link_qdisc_name(const struct net_device *dev)
{
	if (dev->qdisc) /* dev_activate attached it (IFLA_QDISC) */
		return kp_dev_qdisc_kind(dev);
	/* a device that never came up through dev_open: noop_qdisc, which
	 * a loopback device keeps no queue in place of once up */
	if (!(dev->flags & IFF_UP))
		return "noop";
	if (dev->type == ARPHRD_LOOPBACK || (dev->flags & IFF_LOOPBACK))
		return "noqueue";
	return dev->real_num_tx_queues > 1 ? "mq" : "fq_codel";
}

const char *kp_link_operstate(const struct net_device *dev)
{
	if (!(dev->flags & IFF_UP))
		return "DOWN";
	if (dev->flags & IFF_LOOPBACK)
		return "UNKNOWN"; /* lo reports no carrier state */
	return dev->flags & IFF_LOWER_UP ? "UP" : "DOWN";
}

void kp_fmt_mac(char *buf, size_t size, const unsigned char *a)
{
	snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2],
		 a[3], a[4], a[5]);
}

/* ---- /proc/net/softnet_stat ---- */

void kp_fmt_softnet_stat(struct kp_out *out, struct kp_host *h)
{
	for (int c = 0; c < h->nr_cpus; c++) {
		struct softnet_data *sd = kp_softnet_of(h->cpus[c]);
		if (!sd)
			continue;
		unsigned int qlen = skb_queue_len(&sd->input_pkt_queue) +
				    skb_queue_len(&sd->process_queue);
		kp_printf(out,
			  "%08x %08x %08x %08x %08x %08x %08x %08x %08x "
			  "%08x %08x %08x %08x\n",
			  sd->processed, sd->dropped, sd->time_squeeze, 0u,
			  0u, 0u, 0u, 0u, sd->cpu_collision, sd->received_rps,
			  sd->flow_limit_count, qlen, (unsigned int)c);
	}
}

/* ---- /proc/interrupts ---- */

/* PCI MSI vectors of the first device function number from 524288
 * (bus 1, device 0) on x86 with interrupt remapping. */
#define KP_MSI_HWIRQ_BASE 524288

void kp_fmt_proc_interrupts(struct kp_out *out, struct kp_host *h)
{
	const int prec = 3; /* nr_irqs < 1000 */
	int msi = 0;

	kp_printf(out, "%*s", prec + 8, "");
	for (int c = 0; c < h->nr_cpus; c++)
		kp_printf(out, "CPU%-8d", c);
	kp_puts(out, "\n");
	for (int i = 0; i < KP_NR_IRQS; i++) {
		const struct irq_desc *d = &h->irq_desc[i];
		uint64_t any = 0;
		if (i == LOCAL_TIMER_IRQ || i == CALL_FUNCTION_IRQ)
			continue;
		for (int c = 0; c < h->nr_cpus; c++)
			any |= d->count[c];
		if (!d->handler && !any)
			continue;
		kp_printf(out, "%*d: ", prec, i);
		for (int c = 0; c < h->nr_cpus; c++)
			kp_printf(out, "%10" PRIu64 " ", d->count[c]);
		kp_printf(out, " %8s %*d-%-8s", "IR-PCI-MSI", prec,
			  KP_MSI_HWIRQ_BASE + msi++, "edge");
		if (d->handler)
			kp_printf(out, "  %s", d->name);
		kp_puts(out, "\n");
	}
	/* arch_show_interrupts: the APIC timer and the function-call IPI */
	kp_printf(out, "%*s: ", prec, "LOC");
	for (int c = 0; c < h->nr_cpus; c++)
		kp_printf(out, "%10" PRIu64 " ",
			  h->irq_desc[LOCAL_TIMER_IRQ].count[c]);
	kp_puts(out, "  Local timer interrupts\n");
	kp_printf(out, "%*s: ", prec, "CAL");
	for (int c = 0; c < h->nr_cpus; c++)
		kp_printf(out, "%10" PRIu64 " ",
			  h->irq_desc[CALL_FUNCTION_IRQ].count[c]);
	kp_puts(out, "  Function call interrupts\n");
}

/* ---- /proc/net/snmp, /proc/net/netstat ---- */

/* "Group: Name Name..." then "Group: v v..." for the counters of
 * @group, in snmp.def order. */
static void snmp_group(struct kp_out *out, const struct net *net,
		       const char *group)
{
	kp_printf(out, "%s:", group);
	for (int i = 0; i < KP_MIB_MAX; i++)
		if (strcmp(kp_mib_info[i].group, group) == 0)
			kp_printf(out, " %s", kp_mib_info[i].name);
	kp_printf(out, "\n%s:", group);
	for (int i = 0; i < KP_MIB_MAX; i++)
		if (strcmp(kp_mib_info[i].group, group) == 0)
			kp_printf(out, " %" PRId64, kp_net_mib_value(net, i));
	kp_puts(out, "\n");
}

/* IcmpMsg: the nonzero types, In before Out, 16 to a line pair. */
static void snmp_icmpmsg(struct kp_out *out, const struct net *net)
{
	int type[512], n = 0;
	for (int i = 0; i < 512; i++) {
		uint64_t v = i < 256 ? net->icmpmsg_in[i]
				     : net->icmpmsg_out[i - 256];
		if (v)
			type[n++] = i;
	}
	for (int start = 0; start < n; start += 16) {
		int end = start + 16 < n ? start + 16 : n;
		kp_puts(out, "IcmpMsg:");
		for (int j = start; j < end; j++)
			kp_printf(out, " %sType%d", type[j] & 0x100 ? "Out" : "In",
				  type[j] & 0xff);
		kp_puts(out, "\nIcmpMsg:");
		for (int j = start; j < end; j++) {
			int t = type[j];
			uint64_t v = t < 256 ? net->icmpmsg_in[t]
					     : net->icmpmsg_out[t - 256];
			kp_printf(out, " %" PRIu64, v);
		}
		kp_puts(out, "\n");
	}
}

void kp_fmt_proc_snmp(struct kp_out *out, const struct net *net)
{
	snmp_group(out, net, "Ip");
	snmp_group(out, net, "Icmp");
	snmp_icmpmsg(out, net);
	snmp_group(out, net, "Tcp");
	snmp_group(out, net, "Udp");
	snmp_group(out, net, "UdpLite");
}

void kp_fmt_proc_netstat(struct kp_out *out, const struct net *net)
{
	snmp_group(out, net, "TcpExt");
	snmp_group(out, net, "IpExt");
}

void kp_fmt_proc_net_dev(struct kp_out *out, struct net *net)
{
	struct net_device *dev;
	struct rtnl_link_stats64 s;

	kp_puts(out, "Inter-|   Receive                                      "
		     "          |  Transmit\n"
		     " face |bytes    packets errs drop fifo frame compressed "
		     "multicast|bytes    packets errs drop fifo colls carrier "
		     "compressed\n");
	list_for_each_entry(dev, &net->dev_base_head, dev_list) {
		kp_dev_get_stats(dev, &s);
		kp_printf(out,
			  "%6s: %7" PRIu64 " %7" PRIu64 " %4" PRIu64
			  " %4" PRIu64 " %4" PRIu64 " %5" PRIu64 " %10" PRIu64
			  " %9" PRIu64 " %8" PRIu64 " %7" PRIu64 " %4" PRIu64
			  " %4" PRIu64 " %4" PRIu64 " %5" PRIu64 " %7" PRIu64
			  " %10" PRIu64 "\n",
			  dev->name, s.rx_bytes, s.rx_packets, s.rx_errors,
			  s.rx_dropped + s.rx_missed_errors, s.rx_fifo_errors,
			  s.rx_length_errors + s.rx_over_errors +
				  s.rx_crc_errors + s.rx_frame_errors,
			  s.rx_compressed, s.multicast, s.tx_bytes,
			  s.tx_packets, s.tx_errors, s.tx_dropped,
			  s.tx_fifo_errors, s.collisions,
			  s.tx_carrier_errors + s.tx_aborted_errors +
				  s.tx_window_errors + s.tx_heartbeat_errors,
			  s.tx_compressed);
	}
}

/* ---- show drops ---- */

void kp_fmt_drops(struct kp_out *out, struct kp_host *h)
{
	const struct net *net = h->net;
	int n = 0;

	kp_printf(out, "%s: skbs allocated %" PRIu64 ", consumed %" PRIu64
		       ", dropped %" PRIu64 ", alive %" PRIu64 "\n",
		  h->name, net->skb.allocated, net->skb.consumed,
		  net->skb.dropped, net->skb.alive);
	for (int r = 0; r < SKB_DROP_REASON_MAX; r++) {
		if (!net->drops[r])
			continue;
		if (!n++)
			kp_printf(out, "%-24s %8s  %s\n", "REASON", "COUNT",
				  "LAST DROP");
		kp_printf(out, "%-24s %8" PRIu64 "  %s\n",
			  kp_drop_reason_name((enum skb_drop_reason)r),
			  net->drops[r],
			  net->drop_detail[r][0]
				  ? net->drop_detail[r]
				  : kp_drop_reason_desc(
					    (enum skb_drop_reason)r));
	}
	if (!n)
		kp_puts(out, "No drops.\n");
}

/* ---- show poll_list, show softnet ---- */

static void fmt_napi(struct kp_out *out, const struct napi_struct *n)
{
	kp_printf(out, "    napi#%u %-14s weight %-3d state %s%s  polls %" PRIu64
		       " packets %" PRIu64 "%s\n",
		  n->kp.id, n->name, n->weight,
		  test_bit(NAPI_STATE_SCHED, &n->state) ? "SCHED" : "-",
		  test_bit(NAPI_STATE_DISABLE, &n->state) ? ",DISABLE" : "",
		  n->polls, n->packets, n->gro_count ? " (GRO held)" : "");
}

void kp_fmt_poll_list(struct kp_out *out, struct kp_host *h, int cpu)
{
	for (int c = 0; c < h->nr_cpus; c++) {
		struct softnet_data *sd = kp_softnet_of(h->cpus[c]);
		const struct napi_struct *n;
		int count = 0;
		if ((cpu >= 0 && c != cpu) || !sd)
			continue;
		list_for_each_entry(n, &sd->poll_list, poll_list)
			count++;
		kp_printf(out, "%s cpu%d poll_list: %d NAPI instance%s%s\n",
			  h->name, c, count, count == 1 ? "" : "s",
			  (h->cpus[c]->softirq_pending & (1u << NET_RX_SOFTIRQ))
				  ? ", NET_RX pending"
				  : "");
		list_for_each_entry(n, &sd->poll_list, poll_list)
			fmt_napi(out, n);
		if (skb_queue_len(&sd->input_pkt_queue) ||
		    skb_queue_len(&sd->process_queue))
			kp_printf(out, "    input_pkt_queue %u, process_queue "
				       "%u\n",
				  skb_queue_len(&sd->input_pkt_queue),
				  skb_queue_len(&sd->process_queue));
	}
}

void kp_fmt_softnet(struct kp_out *out, struct kp_host *h)
{
	kp_printf(out, "%-4s %10s %8s %12s %8s %10s %12s %8s\n", "CPU",
		  "processed", "dropped", "time_squeeze", "rps", "input_q",
		  "process_q", "polling");
	for (int c = 0; c < h->nr_cpus; c++) {
		struct softnet_data *sd = kp_softnet_of(h->cpus[c]);
		const struct napi_struct *n;
		int polling = 0;
		if (!sd)
			continue;
		list_for_each_entry(n, &sd->poll_list, poll_list)
			polling++;
		kp_printf(out, "cpu%-1d %10u %8u %12u %8u %10u %12u %8d\n", c,
			  sd->processed, sd->dropped, sd->time_squeeze,
			  sd->received_rps, skb_queue_len(&sd->input_pkt_queue),
			  skb_queue_len(&sd->process_queue), polling);
	}
	kp_printf(out, "netdev_budget %ld, netdev_budget_usecs %ld, "
		       "netdev_max_backlog %ld, dev_weight %ld\n",
		  h->net->sysctl.netdev_budget,
		  h->net->sysctl.netdev_budget_usecs,
		  h->net->sysctl.netdev_max_backlog, h->net->sysctl.dev_weight);
}

/* ---- show ring ---- */

static int ring_view(struct net_device *dev, bool rx, int q,
		     struct kp_ring_view *v)
{
	int n = kp_nic_ring_count(dev, rx, q);
	if (n < 0)
		return n;
	memset(v, 0, sizeof(*v));
	v->desc = calloc(n ? (size_t)n : 1, sizeof(*v->desc));
	if (!v->desc)
		return -ENOMEM;
	int ret = rx ? kp_nic_rx_ring_view(dev, q, v)
		     : kp_nic_tx_ring_view(dev, q, v);
	if (ret < 0)
		free(v->desc);
	return ret;
}

int kp_ring_free(struct net_device *dev, bool rx, int q)
{
	struct kp_ring_view v;
	int ret = ring_view(dev, rx, q, &v), n = 0;
	if (ret < 0)
		return ret;
	for (uint32_t i = 0; i < v.count; i++)
		if (rx ? v.desc[i].owner == KP_DESC_DEVICE && !v.desc[i].dd
		       : v.desc[i].owner == KP_DESC_DRIVER && !v.desc[i].dd)
			n++;
	free(v.desc);
	return n;
}

int kp_fmt_ring(struct kp_out *out, struct net_device *dev, bool rx, int q)
{
	struct kp_ring_view v;
	int ret = ring_view(dev, rx, q, &v);
	if (ret < 0)
		return ret;
	kp_printf(out, "%s %s ring %d: %u descriptors, next_to_use %u "
		       "next_to_clean %u, %s %u %s %u, in DMA %u, irq %u\n",
		  dev->name, rx ? "rx" : "tx", q, v.count, v.next_to_use,
		  v.next_to_clean, rx ? "RDH" : "TDH", v.head,
		  rx ? "RDT" : "TDT", v.tail, v.in_dma, v.irq);
	kp_printf(out, "  packets %" PRIu64 " bytes %" PRIu64 " drops %" PRIu64
		       "\n",
		  v.packets, v.bytes, v.drops);
	for (uint32_t i = 0; i < v.count; i += 64) {
		kp_printf(out, "  %4u ", i);
		for (uint32_t j = i; j < i + 64 && j < v.count; j++) {
			const struct kp_desc_view *d = &v.desc[j];
			kp_puts(out, d->in_dma ? "*"
				     : d->dd   ? "D"
				     : d->owner == KP_DESC_DEVICE ? "."
								  : "-");
		}
		kp_puts(out, "\n");
	}
	int held = 0;
	for (uint32_t i = 0; i < v.count; i++) {
		if (!v.desc[i].skb_id || !v.desc[i].dd)
			continue;
		if (!held++)
			kp_puts(out, "  done, waiting for the driver:");
		if (held <= 16)
			kp_printf(out, " [%u] skb#%u len %u", i,
				  v.desc[i].skb_id, v.desc[i].length);
	}
	if (held)
		kp_printf(out, "%s\n", held > 16 ? " ..." : "");
	kp_puts(out, "  (. the device's, D done, * in DMA, - the driver's)\n");
	free(v.desc);
	return 0;
}

/* ---- show skb ---- */

static void fmt_ip(char *buf, size_t size, uint32_t a)
{
	snprintf(buf, size, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff,
		 (a >> 8) & 0xff, a & 0xff);
}

static void fmt_decoded(struct kp_out *out, const struct kp_decoded *d)
{
	char a[20], b[20];
	if (d->layers & KP_LAYER_ETH) {
		kp_fmt_mac(a, sizeof(a), d->eth.src);
		kp_fmt_mac(b, sizeof(b), d->eth.dst);
		kp_printf(out, "  eth   %s > %s type 0x%04x\n", a, b,
			  d->eth.proto);
	}
	if (d->layers & KP_LAYER_IPV4) {
		fmt_ip(a, sizeof(a), d->ip.saddr);
		fmt_ip(b, sizeof(b), d->ip.daddr);
		kp_printf(out, "  ip    %s > %s proto %u ttl %u ihl %u "
			       "tot_len %u id %u check 0x%04x%s\n",
			  a, b, d->ip.protocol, d->ip.ttl, d->ip.hlen / 4,
			  d->ip.tot_len, d->ip.id, d->ip.check,
			  d->ip.csum_ok ? "" : " (bad)");
	}
	if (d->layers & KP_LAYER_UDP)
		kp_printf(out, "  udp   %u > %u len %u check 0x%04x%s\n",
			  d->udp.sport, d->udp.dport, d->udp.len, d->udp.check,
			  d->udp.csum_checked && !d->udp.csum_ok ? " (bad)"
								 : "");
	if (d->layers & KP_LAYER_TCP)
		kp_printf(out, "  tcp   %u > %u seq %u ack %u flags 0x%02x "
			       "win %u\n",
			  d->tcp.sport, d->tcp.dport, d->tcp.seq, d->tcp.ack,
			  d->tcp.flags, d->tcp.window);
	if (d->layers & KP_LAYER_ICMP)
		kp_printf(out, "  icmp  type %u code %u id %u seq %u%s\n",
			  d->icmp.type, d->icmp.code, d->icmp.id, d->icmp.seq,
			  d->icmp.csum_checked && !d->icmp.csum_ok ? " (bad)"
								   : "");
	for (unsigned int i = 0; i < d->nproblems; i++) {
		char line[160];
		kp_problem_format(&d->problems[i], line, sizeof(line));
		kp_printf(out, "  problem: %s\n", line);
	}
}

void kp_fmt_skb(struct kp_out *out, const struct sk_buff *skb)
{
	unsigned int data_off = (unsigned int)(skb->data - skb->head);
	kp_printf(out, "skb#%u len %u data_len %u truesize %u users %d "
		       "protocol 0x%04x dev %s\n",
		  skb->kp.id, skb->len, skb->data_len, skb->truesize,
		  skb->users, skb->protocol, skb->dev ? skb->dev->name : "-");
	if (skb->kp_where)
		kp_printf(out, "  where %s", skb->kp_where);
	else
		kp_puts(out, "  where -");
	kp_printf(out, "  born at trace #%" PRIu64 "\n", skb->kp_born_seq);
	kp_printf(out, "  head..end %u bytes, data at +%u, tail at +%u, "
		       "headroom %u\n",
		  skb->end, data_off, skb->tail, skb_headroom(skb));
	kp_printf(out, "  mac_header %d network_header %d "
		       "transport_header %d\n",
		  skb->mac_header == 0xffff ? -1 : (int)skb->mac_header,
		  skb->network_header == 0xffff ? -1 : (int)skb->network_header,
		  skb->transport_header == 0xffff ? -1
						  : (int)skb->transport_header);

	/* decode from the Ethernet header when it is still in the buffer,
	 * else from the IPv4 header */
	struct kp_decoded d;
	memset(&d, 0, sizeof(d));
	if (skb->mac_header != 0xffff && skb->mac_header <= skb->tail &&
	    skb->mac_header <= data_off) {
		uint32_t n = skb->tail - skb->mac_header;
		kp_decode_frame(&d, skb->head + skb->mac_header, n, n);
		fmt_decoded(out, &d);
	} else if (skb->protocol == ETH_P_IP && data_off < skb->tail) {
		uint32_t off = skb->network_header != 0xffff &&
					       skb->network_header < skb->tail
				       ? skb->network_header
				       : data_off;
		uint32_t n = skb->tail - off;
		kp_decode_ipv4(&d, skb->head + off, n, n);
		fmt_decoded(out, &d);
	}
	unsigned int n = skb->tail > data_off ? skb->tail - data_off : 0;
	if (n > 64)
		n = 64;
	for (unsigned int i = 0; i < n; i += 16) {
		kp_printf(out, "  %04x:", i);
		for (unsigned int j = i; j < i + 16 && j < n; j++)
			kp_printf(out, "%s%02x", j % 2 ? "" : " ",
				  skb->data[j]);
		kp_puts(out, "\n");
	}
}
