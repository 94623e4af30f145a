/*
 * cmd_ip_neigh.c - `ip neigh` (iproute2's ip-neighbour(8)) on a host's
 * ARP table (src/net/core/neighbour.c, src/net/ipv4/arp.c).
 *
 * `ip neigh [HOST] [show] [dev DEV] [nud all]` prints one line per
 * entry in iproute2 6.1's format: "10.0.0.1 dev eth0 lladdr
 * 02:00:0a:00:00:01 REACHABLE ", "10.0.0.9 dev eth0 FAILED " (each field
 * and the state followed by a blank), without "dev eth0" when filtered
 * by device;
 * like ip, NOARP entries (loopback) are hidden unless `nud all`.  `ip neigh [HOST] flush [dev DEV | all]`
 * removes the dynamic entries, in kernel context on the host's CPU 0
 * (as RTM_DELNEIGH would).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "format_net.h"
#include "net/core/neighbour.h"
#include "net/core/net_namespace.h"
#include "out.h"
#include "sched/host.h"
#include "session.h"

/* As iproute2 6.1's print_neigh: each field followed by a blank - "DST ",
 * "dev DEV " unless filtered by device, "lladdr ADDR " when known, then
 * "STATE " (a trailing blank, as ip prints it). */
static void neigh_line(struct kp_out *out, const struct neighbour *n,
		       bool show_dev)
{
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &n->primary_key, ip, sizeof(ip));
	kp_printf(out, "%s ", ip);
	if (show_dev)
		kp_printf(out, "dev %s ", n->dev->name);
	if (n->nud_state & NUD_VALID)
		kp_printf(out, "lladdr %02x:%02x:%02x:%02x:%02x:%02x ",
			  n->ha[0], n->ha[1], n->ha[2], n->ha[3], n->ha[4],
			  n->ha[5]);
	kp_printf(out, "%s \n", neigh_state_name(n->nud_state));
}

struct neigh_flush_req {
	struct neigh_table *tbl;
	struct net_device *dev;
};

static int neigh_flush_on_cpu(void *info)
{
	struct neigh_flush_req *r = info;

	return neigh_flush_dev(r->tbl, r->dev);
}

static int cmd_ip_neigh(struct kp_session *s, int argc, char **argv,
			struct kp_out *out)
{
	struct kp_host *h = kp_net_cmd_host(s, &argc, argv);
	struct net_device *dev = NULL;
	struct neigh_table *tbl;
	struct neighbour *n;
	bool flush = false, all = false;
	int i = 0;

	if (!h || !h->net)
		return kp_cmd_error(s, out, "no network stack on that host");
	tbl = h->net->arp_tbl;
	if (i < argc && (!strcmp(argv[i], "show") || !strcmp(argv[i], "list")))
		i++;
	else if (i < argc && !strcmp(argv[i], "flush")) {
		flush = true;
		i++;
	}
	while (i < argc) {
		if (!strcmp(argv[i], "dev") && i + 1 < argc) {
			dev = kp_net_cmd_dev(s, out, h, argv[i + 1]);
			if (!dev)
				return -ENODEV;
			i += 2;
		} else if (!strcmp(argv[i], "nud") && i + 1 < argc &&
			   !strcmp(argv[i + 1], "all")) {
			all = true;
			i += 2;
		} else if (flush && !strcmp(argv[i], "all")) {
			i++;
		} else {
			return KP_CMD_USAGE;
		}
	}
	if (!tbl)
		return 0; /* before arp_init: nothing yet */
	if (flush) {
		struct neigh_flush_req *r = calloc(1, sizeof(*r));
		if (!r)
			return kp_cmd_error(s, out, "out of memory");
		r->tbl = tbl;
		r->dev = dev;
		int rc = kp_net_cmd_call(s, out, h, neigh_flush_on_cpu, r, free);
		return rc < 0 && rc != -EINPROGRESS ? rc : 0;
	}
	list_for_each_entry(n, &tbl->entries, list) {
		if (dev && n->dev != dev)
			continue;
		if (!all && (n->nud_state & NUD_NOARP))
			continue;
		if (!all && n->nud_state == NUD_NONE)
			continue;
		neigh_line(out, n, dev == NULL);
	}
	return 0;
}

static void complete_ip_neigh(struct kp_session *s, int argc, char **argv,
			      struct kp_completions *c)
{
	(void)argv;
	if (argc == 0) {
		kp_complete_add(c, "show");
		kp_complete_add(c, "flush");
	} else {
		kp_complete_add(c, "dev");
		kp_complete_add(c, "nud");
	}
	kp_complete_net_devs(s, c);
}

const struct kp_cmd kp_cmd_ip_neigh = {
	.name = "ip neigh",
	.aliases = KP_ALIASES("ip neighbour", "ip neighbor", "ip n"),
	.usage = "ip neigh [HOST] [show [dev DEV] [nud all] | flush [dev DEV | all]]",
	.summary = "the ARP table (neighbours) of a host",
	.help = "Lists the host's neighbour entries as 'ip neigh' does (HOST\n"
		"defaults to server): address, device, link-layer address "
		"once\nknown, and the NUD state - INCOMPLETE while ARP "
		"requests go out,\nREACHABLE after a reply, STALE once "
		"reachable_time passed\n(net.ipv4.neigh.default.*), then "
		"DELAY, PROBE, or FAILED.\nNOARP entries (lo) show with "
		"'nud all'.  'ip neigh flush' removes\nthe dynamic entries.\n"
		"\n"
		"Example:\n"
		"  ip neigh client\n"
		"  ip neigh flush dev eth0\n",
	.group = "network",
	.complete = complete_ip_neigh,
	.handler = cmd_ip_neigh,
};
