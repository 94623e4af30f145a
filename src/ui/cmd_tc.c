/*
 * cmd_tc.c - `tc qdisc` as iproute2 prints it (tc/tc_qdisc.c print_qdisc,
 * tc/tc_util.c print_tcstats2_attr, q_prio.c for pfifo_fast's options):
 * `tc [-s] qdisc [show] [dev DEV]` and `tc qdisc replace dev DEV root
 * pfifo_fast|noqueue|mq`, which runs qdisc_graft on the host's CPU.
 *
 * Lines end with the trailing blank real tc leaves ("root ", "... 1 1 ",
 * "requeues 0) ").  Left out: classes and filters, -d, -j, handles and
 * parents on the command line, qdisc options, add/change/delete.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "format_net.h"
#include "net/core/net_namespace.h"
#include "net/core/netdevice.h"
#include "net/sched/pkt_sched.h"
#include "sched/host.h"
#include "session.h"

#define TC_MAX_DUMP (KP_MAX_QUEUES + 1)

/* print_tc_classid */
static void tc_classid(char *buf, size_t n, uint32_t h)
{
	if (h == TC_H_ROOT)
		snprintf(buf, n, "root");
	else if (h == TC_H_UNSPEC)
		snprintf(buf, n, "none");
	else if (TC_H_MAJ(h) == 0)
		snprintf(buf, n, ":%x", TC_H_MIN(h));
	else if (TC_H_MIN(h) == 0)
		snprintf(buf, n, "%x:", TC_H_MAJ(h) >> 16);
	else
		snprintf(buf, n, "%x:%x", TC_H_MAJ(h) >> 16, TC_H_MIN(h));
}

/* sprint_size: "0b", "1514b", "15Kb", "2Mb" */
static void tc_size(char *buf, size_t n, uint32_t sz)
{
	const uint32_t kilo = 1024, mega = 1024 * 1024;
	uint64_t m = ((uint64_t)sz + mega / 2) / mega;
	uint64_t k = ((uint64_t)sz + kilo / 2) / kilo;
	int64_t dm = (int64_t)(m * mega) - (int64_t)sz;
	int64_t dk = (int64_t)(k * kilo) - (int64_t)sz;
	if (sz >= mega && (dm < 0 ? -dm : dm) < 1024)
		snprintf(buf, n, "%gMb", (double)m);
	else if (sz >= kilo && (dk < 0 ? -dk : dk) < 16)
		snprintf(buf, n, "%gKb", (double)k);
	else
		snprintf(buf, n, "%ub", sz);
}

static void print_qdisc(struct kp_out *out, const struct net_device *dev,
			const struct kp_qdisc_dump *d, bool show_dev,
			bool stats)
{
	char buf[32];
	kp_printf(out, "qdisc %s %x: ", d->kind, d->handle >> 16);
	if (show_dev)
		kp_printf(out, "dev %s ", dev->name);
	if (d->parent == TC_H_ROOT) {
		kp_puts(out, "root ");
	} else if (d->parent) {
		tc_classid(buf, sizeof(buf), d->parent);
		kp_printf(out, "parent %s ", buf);
	}
	if (d->refcnt != 1)
		kp_printf(out, "refcnt %d ", d->refcnt);
	if (d->has_prio) {
		/* q_prio.c: " %d" per band after "priomap", nothing
		 * after the last one */
		kp_printf(out, "bands %d priomap", d->prio.bands);
		for (int i = 0; i <= TC_PRIO_MAX; i++)
			kp_printf(out, " %u", d->prio.priomap[i]);
	}
	kp_puts(out, "\n");
	if (!stats)
		return;
	kp_printf(out,
		  " Sent %" PRIu64 " bytes %u pkt (dropped %u, overlimits %u "
		  "requeues %u) \n",
		  d->bstats.bytes, d->bstats.packets, d->qstats.drops,
		  d->qstats.overlimits, d->qstats.requeues);
	tc_size(buf, sizeof(buf), d->qstats.backlog);
	kp_printf(out, " backlog %s %up requeues %u\n", buf, d->qstats.qlen,
		  d->qstats.requeues);
}

static void show_dev_qdiscs(struct kp_out *out, struct net_device *dev,
			    bool show_dev, bool stats)
{
	struct kp_qdisc_dump d[TC_MAX_DUMP];
	int n = kp_tc_qdisc_dump(dev, d, TC_MAX_DUMP);
	if (n > TC_MAX_DUMP)
		n = TC_MAX_DUMP;
	for (int i = 0; i < n; i++)
		print_qdisc(out, dev, &d[i], show_dev, stats);
}

struct tc_replace {
	struct net_device *dev;
	char kind[16];
};

static int tc_replace_on_cpu(void *info)
{
	struct tc_replace *r = info;
	return kp_tc_qdisc_replace_root(r->dev, r->kind);
}

static int tc_qdisc_replace(struct kp_session *s, struct kp_out *out,
			    struct kp_host *h, int argc, char **argv)
{
	const char *devname = NULL, *kind = NULL;
	bool root = false;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "dev") && i + 1 < argc)
			devname = argv[++i];
		else if (!strcmp(argv[i], "root"))
			root = true;
		else if (!kind)
			kind = argv[i];
		else
			return kp_cmd_error(s, out, "What is \"%s\"? write 'tc "
						    "qdisc replace dev DEV root "
						    "pfifo_fast|noqueue|mq'",
					    argv[i]);
	}
	if (!devname || !root || !kind)
		return kp_cmd_error(s, out, "write 'tc qdisc replace dev DEV "
					    "root pfifo_fast|noqueue|mq'");
	if (!qdisc_lookup_ops(kind))
		return kp_cmd_error(s, out, "Error: Specified qdisc kind is "
					    "unknown (kpath has pfifo_fast, "
					    "noqueue, mq)");
	struct net_device *dev = kp_net_cmd_dev(s, out, h, devname);
	if (!dev)
		return -ENODEV;
	struct tc_replace *r = calloc(1, sizeof(*r));
	if (!r)
		return kp_cmd_error(s, out, "out of memory");
	r->dev = dev;
	snprintf(r->kind, sizeof(r->kind), "%s", kind);
	return kp_net_rtnl_error(s, out,
				 kp_net_cmd_call(s, out, h, tc_replace_on_cpu, r, free));
}

static int cmd_tc(struct kp_session *s, int argc, char **argv,
		  struct kp_out *out)
{
	struct kp_host *h = kp_net_cmd_host(s, &argc, argv);
	if (!h)
		return -ENOENT;
	bool stats = false;
	int i = 0;
	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "-s") || !strcmp(argv[i], "-stats") ||
		    !strcmp(argv[i], "-statistics"))
			stats = true;
		else
			return KP_CMD_USAGE;
		i++;
	}
	if (i >= argc || strcmp(argv[i], "qdisc"))
		return KP_CMD_USAGE;
	i++;
	if (!h->net)
		return kp_cmd_error(s, out, "%s has no network stack yet",
				    h->name);
	if (i < argc && !strcmp(argv[i], "replace"))
		return tc_qdisc_replace(s, out, h, argc - i - 1, argv + i + 1);
	if (i < argc && (!strcmp(argv[i], "show") || !strcmp(argv[i], "list") ||
			 !strcmp(argv[i], "ls")))
		i++;
	const char *only = NULL;
	if (i + 1 < argc && !strcmp(argv[i], "dev")) {
		only = argv[i + 1];
		i += 2;
	}
	if (i < argc)
		return KP_CMD_USAGE;
	if (only) {
		struct net_device *dev = kp_net_cmd_dev(s, out, h, only);
		if (!dev)
			return -ENODEV;
		show_dev_qdiscs(out, dev, false, stats);
		return 0;
	}
	struct net_device *dev;
	list_for_each_entry(dev, &h->net->dev_base_head, dev_list)
		show_dev_qdiscs(out, dev, true, stats);
	return 0;
}

static void complete_tc(struct kp_session *s, int argc, char **argv,
			struct kp_completions *c)
{
	if (argc == 0) {
		kp_complete_add(c, "-s");
		kp_complete_add(c, "qdisc");
		return;
	}
	const char *last = argv[argc - 1];
	if (!strcmp(last, "-s"))
		kp_complete_add(c, "qdisc");
	else if (!strcmp(last, "qdisc")) {
		kp_complete_add(c, "show");
		kp_complete_add(c, "replace");
	} else if (!strcmp(last, "show") || !strcmp(last, "replace")) {
		kp_complete_add(c, "dev");
	} else if (!strcmp(last, "dev")) {
		kp_complete_net_devs(s, c);
	} else if (!strcmp(last, "root")) {
		kp_complete_add(c, "pfifo_fast");
		kp_complete_add(c, "noqueue");
		kp_complete_add(c, "mq");
	} else if (argc >= 4 && !strcmp(argv[argc - 2], "dev")) {
		kp_complete_add(c, "root");
	}
}

const struct kp_cmd kp_cmd_tc = {
	.name = "tc",
	.aliases = NULL,
	.usage = "tc [HOST] [-s] qdisc [show] [dev DEV] | tc [HOST] qdisc "
		 "replace dev DEV root pfifo_fast|noqueue|mq",
	.summary = "queueing disciplines of the TX queues, with their counters",
	.help = "Lists the qdiscs as 'tc qdisc show' does (HOST defaults to\n"
		"server).  A multiqueue NIC has 'qdisc mq 0: root' and one\n"
		"pfifo_fast child per TX queue ('parent :1', ':2'...); lo has\n"
		"noqueue (dev_queue_xmit calls the driver directly).  With -s:\n"
		"\n"
		"  Sent B bytes P pkt   what left the qdisc for the driver\n"
		"  dropped              queue full (txqueuelen per band):\n"
		"                       SKB_DROP_REASON_QDISC_DROP\n"
		"  requeues             the driver said NETDEV_TX_BUSY or its\n"
		"                       queue was stopped: the skb waits again\n"
		"  backlog Nb Mp        bytes and packets waiting now\n"
		"\n"
		"An mq root shows the sum of its children.  'tc qdisc replace\n"
		"dev DEV root KIND' runs qdisc_graft on the host's CPU: the\n"
		"device's queued packets are dropped and KIND (pfifo_fast,\n"
		"noqueue or mq) takes over every TX queue.  Set the limit with\n"
		"'ip link set DEV txqueuelen N'.\n"
		"\n"
		"Example:\n"
		"  tc -s qdisc show dev eth0\n"
		"  tc qdisc replace dev eth0 root pfifo_fast\n"
		"  tc qdisc show\n"
		"  tc qdisc replace dev eth0 root mq\n",
	.group = "network",
	.flags = 0,
	.complete = complete_tc,
	.handler = cmd_tc,
};
