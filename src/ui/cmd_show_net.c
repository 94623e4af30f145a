/*
 * cmd_show_net.c - kpath's own views of the receive path: show drops,
 * show poll_list, show softnet, show skb (the formatting is in
 * format_net.c, shared with the TUI); and the helpers every network tool
 * command uses to pick a host and a device.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "engine/ids.h"
#include "format_net.h"
#include "net/core/net_namespace.h"
#include "net/core/netdevice.h"
#include "net/core/skbuff.h"
#include "sched/host.h"
#include "sched/smp.h"
#include "session.h"

/* ---- helpers ---- */

struct kp_host *kp_net_cmd_host(struct kp_session *s, int *argc, char **argv)
{
	struct kp_world *w = s->world;
	for (int i = 0; i < *argc; i++) {
		struct kp_host *h = kp_host_by_name(w, argv[i]);
		if (!h)
			continue;
		for (int j = i; j < *argc; j++)
			argv[j] = argv[j + 1];
		(*argc)--;
		return h;
	}
	struct kp_host *h = kp_host_by_name(w, "server");
	return h ? h : (w->nr_hosts ? w->hosts[0] : NULL);
}

struct net_device *kp_net_cmd_dev(struct kp_session *s, struct kp_out *out,
				  struct kp_host *h, const char *name)
{
	struct net_device *dev;
	if (h->net) {
		list_for_each_entry(dev, &h->net->dev_base_head, dev_list)
			if (strcmp(dev->name, name) == 0)
				return dev;
	}
	kp_session_print_location(s, out);
	kp_printf(out, "No device '%s' on %s; the devices are", name, h->name);
	int n = 0;
	if (h->net)
		list_for_each_entry(dev, &h->net->dev_base_head, dev_list)
			kp_printf(out, "%s %s", n++ ? "," : "", dev->name);
	kp_puts(out, n ? " (see 'ip link')\n" : " none yet\n");
	return NULL;
}

/* The call in flight: owned by the command and by the CPU's queue, freed
 * by whichever lets go last. */
struct net_call {
	int (*fn)(void *info);
	void *info;
	void (*info_free)(void *info);
	struct kp_world *w;
	bool done;
	int ret;
	int refs;
};

static void net_call_put(void *arg)
{
	struct net_call *c = arg;
	if (--c->refs)
		return;
	if (c->info_free)
		c->info_free(c->info);
	free(c);
}

static void net_call_on_cpu(void *arg)
{
	struct net_call *c = arg;
	c->ret = c->fn(c->info);
	c->done = true;
	kp_world_request_stop(c->w, "network tool command done");
}

int kp_net_cmd_call(struct kp_session *s, struct kp_out *out,
		    struct kp_host *h, int (*fn)(void *info), void *info,
		    void (*info_free)(void *info))
{
	struct net_call *c = calloc(1, sizeof(*c));
	if (!c) {
		if (info_free)
			info_free(info);
		return kp_cmd_error(s, out, "out of memory");
	}
	*c = (struct net_call){ .fn = fn, .info = info,
				.info_free = info_free, .w = s->world,
				.refs = 2 };
	int ret = kp_host_call(h, 0, net_call_on_cpu, c, net_call_put);
	if (ret < 0) {
		/* kp_host_call let go of its reference already */
		net_call_put(c);
		return kp_cmd_error(s, out, "could not reach %s's CPU 0 (%d)",
				    h->name, ret);
	}
	enum kp_stop_reason why = kp_session_run(s, KP_RUN_CONTINUE, 0);
	bool done = c->done;
	int result = c->ret;
	net_call_put(c);
	if (done)
		return result;
	if (why != KP_STOP_IDLE)
		kp_session_report_stop(s, out);
	kp_puts(out, "(the command completes when the run goes on)\n");
	return -EINPROGRESS;
}

int kp_net_rtnl_error(struct kp_session *s, struct kp_out *out, int ret)
{
	if (ret >= 0 || ret == -EINPROGRESS)
		return 0;
	return kp_cmd_error(s, out, "RTNETLINK answers: %s", strerror(-ret));
}

void kp_complete_net_devs(struct kp_session *s, struct kp_completions *c)
{
	struct kp_world *w = s->world;
	kp_complete_hosts(s, c);
	for (int i = 0; i < w->nr_hosts; i++) {
		struct net *net = w->hosts[i]->net;
		struct net_device *dev;
		if (net)
			list_for_each_entry(dev, &net->dev_base_head, dev_list)
				kp_complete_add(c, dev->name);
	}
}

static void complete_hosts(struct kp_session *s, int argc, char **argv,
			   struct kp_completions *c)
{
	(void)argc;
	(void)argv;
	kp_complete_hosts(s, c);
}

static bool has_net(struct kp_session *s, struct kp_out *out,
		    struct kp_host *h)
{
	if (h && h->net)
		return true;
	kp_cmd_error(s, out, "%s has no network stack yet",
		     h ? h->name : "the world");
	return false;
}

/* ---- show drops ---- */

/* A `show` of one host's stack: [HOST], then @fmt prints it. */
static int show_host_net(struct kp_session *s, int argc, char **argv,
			 struct kp_out *out,
			 void (*fmt)(struct kp_out *out, struct kp_host *h))
{
	struct kp_host *h = kp_net_cmd_host(s, &argc, argv);
	if (argc)
		return KP_CMD_USAGE;
	if (!has_net(s, out, h))
		return -ENOENT;
	fmt(out, h);
	return 0;
}

static int cmd_show_drops(struct kp_session *s, int argc, char **argv,
			  struct kp_out *out)
{
	return show_host_net(s, argc, argv, out, kp_fmt_drops);
}

const struct kp_cmd kp_cmd_show_drops = {
	.name = "show drops",
	.aliases = NULL,
	.usage = "show drops [HOST]",
	.summary = "dropped packets by drop reason, and the skb accounting",
	.help = "Every skb ends consumed or dropped with a named reason\n"
		"(enum skb_drop_reason: NO_SOCKET, IP_CSUM, CPU_BACKLOG...).\n"
		"The first line is the host's skb accounting: allocated =\n"
		"consumed + dropped + alive.  Then one line per reason that\n"
		"dropped something, with the count and what the last drop of\n"
		"that reason was.  The counters behind the drops are in\n"
		"'nstat', 'ethtool -S' and 'ip -s link'.  HOST defaults to\n"
		"server.\n"
		"\n"
		"Example:\n"
		"  inject server udp 10.0.0.1:5000 > 10.0.0.2:9 badsum\n"
		"  continue\n"
		"  show drops server\n",
	.group = "network",
	.flags = 0,
	.complete = complete_hosts,
	.handler = cmd_show_drops,
};

/* ---- show poll_list ---- */

static int cmd_show_poll_list(struct kp_session *s, int argc, char **argv,
			      struct kp_out *out)
{
	struct kp_host *h = kp_net_cmd_host(s, &argc, argv);
	int cpu = -1;
	if (argc > 1)
		return KP_CMD_USAGE;
	if (argc == 1) {
		char *end;
		const char *p = argv[0];
		if (strncmp(p, "cpu", 3) == 0)
			p += 3;
		cpu = (int)strtol(p, &end, 10);
		if (end == p || *end || cpu < 0 || cpu >= h->nr_cpus)
			return kp_cmd_error(s, out, "No CPU '%s' on %s: write "
						    "cpu0..cpu%d",
					    argv[0], h->name, h->nr_cpus - 1);
	}
	if (!has_net(s, out, h))
		return -ENOENT;
	kp_fmt_poll_list(out, h, cpu);
	return 0;
}

static void complete_poll_list(struct kp_session *s, int argc, char **argv,
			       struct kp_completions *c)
{
	(void)argc;
	(void)argv;
	kp_complete_hosts(s, c);
	for (int i = 0; i < KP_MAX_CPUS; i++) {
		char word[16];
		snprintf(word, sizeof(word), "cpu%d", i);
		kp_complete_add(c, word);
	}
}

const struct kp_cmd kp_cmd_show_poll_list = {
	.name = "show poll_list",
	.aliases = KP_ALIASES("show napi"),
	.usage = "show poll_list [HOST] [cpuN]",
	.summary = "the NAPI instances waiting on each CPU's poll_list",
	.help = "A NIC's interrupt handler does not process packets: it\n"
		"puts the queue's napi_struct on this CPU's\n"
		"softnet_data.poll_list (napi_schedule) and raises NET_RX.\n"
		"net_rx_action then polls the list in order, each instance\n"
		"up to its weight, until the list is empty or the budget\n"
		"(net.core.netdev_budget) runs out.  Shows, per CPU, the\n"
		"instances on the list with their NAPI state, weight, and\n"
		"how often they were polled; and the backlog queues of\n"
		"netif_rx/RPS when they hold packets.\n"
		"\n"
		"Example:\n"
		"  break napi_schedule\n"
		"  continue\n"
		"  finish\n"
		"  show poll_list server cpu0\n",
	.group = "network",
	.flags = 0,
	.complete = complete_poll_list,
	.handler = cmd_show_poll_list,
};

/* ---- show softnet ---- */

static int cmd_show_softnet(struct kp_session *s, int argc, char **argv,
			    struct kp_out *out)
{
	return show_host_net(s, argc, argv, out, kp_fmt_softnet);
}

const struct kp_cmd kp_cmd_show_softnet = {
	.name = "show softnet",
	.aliases = NULL,
	.usage = "show softnet [HOST]",
	.summary = "per-CPU softnet_data: processed, dropped, time_squeeze",
	.help = "The counters of /proc/net/softnet_stat by name, one line\n"
		"per CPU: packets processed by net_rx_action, packets\n"
		"dropped because the backlog (input_pkt_queue) was full,\n"
		"time_squeeze (net_rx_action stopped with work left: budget\n"
		"or time exhausted), packets steered here by RPS, the\n"
		"lengths of the backlog queues and how many NAPI instances\n"
		"wait on the poll_list; then the sysctls that bound it.\n"
		"\n"
		"Example:\n"
		"  sysctl -w net.core.netdev_budget=2\n"
		"  show softnet server\n",
	.group = "network",
	.flags = 0,
	.complete = complete_hosts,
	.handler = cmd_show_softnet,
};

/* ---- show skb ---- */

static int cmd_show_skb(struct kp_session *s, int argc, char **argv,
			struct kp_out *out)
{
	struct kp_world *w = s->world;
	struct kp_host *only = kp_host_by_name(w, argc ? argv[0] : "");
	enum kp_obj_kind kind;
	uint32_t id;
	char *end;

	if (only) {
		argc--;
		argv++;
	}
	if (argc != 1)
		return KP_CMD_USAGE;
	if (kp_obj_parse(argv[0], &kind, &id) == 0) {
		if (kind != KP_OBJ_SKB)
			return kp_cmd_error(s, out, "%s is not an skb; write "
						    "skb#N or N",
					    argv[0]);
	} else {
		unsigned long v = strtoul(argv[0], &end, 10);
		if (end == argv[0] || *end || !v)
			return kp_cmd_error(s, out, "write an skb id: skb#N "
						    "or N (see 'trace')");
		id = (uint32_t)v;
	}
	for (int i = 0; i < w->nr_hosts; i++) {
		struct kp_host *h = w->hosts[i];
		if ((only && h != only) || !h->net)
			continue;
		struct sk_buff *skb = kp_skb_find(h->net, id);
		if (skb) {
			kp_printf(out, "%s ", h->name);
			kp_fmt_skb(out, skb);
			return 0;
		}
	}
	return kp_cmd_error(s, out, "No live skb#%u: it was freed or never "
				    "existed ('show drops' counts the freed)",
			    id);
}

const struct kp_cmd kp_cmd_show_skb = {
	.name = "show skb",
	.aliases = NULL,
	.usage = "show skb [HOST] ID",
	.summary = "one live skb: where it is, its fields and its bytes",
	.help = "Looks up a live sk_buff by id (skb#N, as the trace and\n"
		"the stop report name it) and shows where it is now (a ring,\n"
		"a backlog, a socket queue), len, truesize, the header\n"
		"offsets, its headers decoded from the real bytes (with any\n"
		"problem: bad checksum, bad IHL...) and the first bytes in\n"
		"hex.  Freed skbs are gone; 'show drops' counts them.\n"
		"\n"
		"Example:\n"
		"  break ip_rcv\n"
		"  continue\n"
		"  show skb 1\n",
	.group = "network",
	.flags = 0,
	.complete = complete_hosts,
	.handler = cmd_show_skb,
};

/* ---- show ring ---- */

static int cmd_show_ring(struct kp_session *s, int argc, char **argv,
			 struct kp_out *out)
{
	struct kp_host *h = kp_net_cmd_host(s, &argc, argv);
	char *end;
	if (argc < 1 || argc > 3)
		return KP_CMD_USAGE;
	if (!has_net(s, out, h))
		return -ENOENT;
	struct net_device *dev = kp_net_cmd_dev(s, out, h, argv[0]);
	if (!dev)
		return -ENODEV;
	bool rx = argc < 2 || strcmp(argv[1], "tx") != 0;
	if (argc >= 2 && strcmp(argv[1], "rx") && strcmp(argv[1], "tx"))
		return KP_CMD_USAGE;
	long q = argc == 3 ? strtol(argv[2], &end, 10) : 0;
	if (argc == 3 && (end == argv[2] || *end || q < 0))
		return KP_CMD_USAGE;
	int ret = kp_fmt_ring(out, dev, rx, (int)q);
	if (ret == -ENODEV)
		return kp_cmd_error(s, out, "%s has no rings to show (not an "
					    "igb NIC, or down: 'ip link set "
					    "%s up')",
				    dev->name, dev->name);
	if (ret < 0)
		return kp_cmd_error(s, out, "%s has no %s queue %ld (see "
					    "'ethtool -l %s')",
				    dev->name, rx ? "rx" : "tx", q, dev->name);
	return 0;
}

static void complete_show_ring(struct kp_session *s, int argc, char **argv,
			       struct kp_completions *c)
{
	(void)argv;
	if (argc == 1) {
		kp_complete_add(c, "rx");
		kp_complete_add(c, "tx");
	} else if (argc == 0) {
		kp_complete_net_devs(s, c);
	}
}

const struct kp_cmd kp_cmd_show_ring = {
	.name = "show ring",
	.aliases = NULL,
	.usage = "show ring [HOST] DEV [rx|tx] [Q]",
	.summary = "a NIC queue's descriptor ring: who owns each slot",
	.help = "Shows RX (default) or TX queue Q (default 0) of DEV as the\n"
		"driver and the device share it: next_to_use/next_to_clean\n"
		"(the driver's), RDH/RDT (the device's head and tail), and\n"
		"one character per descriptor: '.' posted to the device and\n"
		"empty, 'D' written back (done) and waiting for the driver's\n"
		"igb_clean_rx_irq, '*' being DMAed, '-' the driver's.  When\n"
		"no '.' is left the NIC drops arriving frames and counts\n"
		"rx_missed_errors (ethtool -S, 'missed' in ip -s link).\n"
		"\n"
		"Example:\n"
		"  ethtool -G eth0 rx 64\n"
		"  inject server udp 10.0.0.1:5000 > 10.0.0.2:9 count 100\n"
		"  until 20us\n"
		"  show ring eth0 rx 0\n",
	.group = "network",
	.flags = 0,
	.complete = complete_show_ring,
	.handler = cmd_show_ring,
};
