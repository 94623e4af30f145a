/*
 * cmd_ip_addr.c - `ip addr` and `ip route` (iproute2's ip-address(8) and
 * ip-route(8)) on a host's IPv4 configuration (src/net/ipv4/devinet.c,
 * fib.c).  Output in iproute2's format.  Changes run in kernel context
 * on the host's CPU 0 (as the RTNETLINK request would), through
 * kp_net_cmd_call.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "format_net.h"
#include "net/core/net_namespace.h"
#include "net/core/netdevice.h"
#include "net/ipv4/inetdevice.h"
#include "net/ipv4/ip.h"
#include "net/ipv4/route.h"
#include "out.h"
#include "sched/host.h"
#include "session.h"

static const char *ntoa(uint32_t a, char *buf)
{
	inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
	return buf;
}

static void addr_link_line(struct kp_out *out, const struct net_device *dev)
{
	static const struct {
		unsigned int flag;
		const char *name;
	} names[] = {
		{ IFF_LOOPBACK, "LOOPBACK" }, { IFF_BROADCAST, "BROADCAST" },
		{ IFF_MULTICAST, "MULTICAST" }, { IFF_PROMISC, "PROMISC" },
		{ IFF_UP, "UP" }, { IFF_LOWER_UP, "LOWER_UP" },
	};
	bool lo = dev->flags & IFF_LOOPBACK;
	bool up = dev->flags & IFF_UP;
	const char *sep = "";
	char mac[20], brd[20];

	kp_printf(out, "%d: %s: <", dev->ifindex, dev->name);
	if (up && !(dev->flags & IFF_RUNNING) && !lo) {
		kp_puts(out, "NO-CARRIER");
		sep = ",";
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (dev->flags & names[i].flag) {
			kp_printf(out, "%s%s", sep, names[i].name);
			sep = ",";
		}
	}
	kp_printf(out, "> mtu %u qdisc %s state %s group default qlen %u\n",
		  dev->mtu, kp_link_qdisc_name(dev), kp_link_operstate(dev),
		  dev->tx_queue_len);
	kp_fmt_mac(mac, sizeof(mac), dev->dev_addr);
	kp_fmt_mac(brd, sizeof(brd), dev->broadcast);
	kp_printf(out, "    link/%s %s brd %s\n", lo ? "loopback" : "ether",
		  mac, brd);
}

static const char *scope_name(int scope, char *buf)
{
	switch (scope) {
	case RT_SCOPE_UNIVERSE: return "global";
	case RT_SCOPE_SITE: return "site";
	case RT_SCOPE_LINK: return "link";
	case RT_SCOPE_HOST: return "host";
	case RT_SCOPE_NOWHERE: return "nowhere";
	}
	snprintf(buf, 8, "%d", scope);
	return buf;
}

static void addr_show_dev(struct kp_out *out, const struct net_device *dev)
{
	const struct in_device *in_dev = __in_dev_get_rcu(dev);
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], sc[8];

	addr_link_line(out, dev);
	if (!in_dev)
		return;
	for (const struct in_ifaddr *ifa = in_dev->ifa_list; ifa;
	     ifa = ifa->ifa_next) {
		kp_printf(out, "    inet %s/%u ", ntoa(ifa->ifa_local, a),
			  ifa->ifa_prefixlen);
		if (ifa->ifa_broadcast)
			kp_printf(out, "brd %s ", ntoa(ifa->ifa_broadcast, b));
		kp_printf(out, "scope %s ", scope_name(ifa->ifa_scope, sc));
		if (ifa->ifa_flags & IFA_F_SECONDARY)
			kp_puts(out, "secondary ");
		kp_printf(out, "%s\n", ifa->ifa_label);
		kp_puts(out, "       valid_lft forever preferred_lft forever\n");
	}
}

/* ADDR/LEN (LEN defaults to 32) */
static bool parse_prefix(const char *s, uint32_t *addr, int *len)
{
	char buf[40];
	char *slash, *end;
	struct in_addr in;

	if (!strcmp(s, "default")) {
		*addr = 0;
		*len = 0;
		return true;
	}
	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	*len = 32;
	if (slash) {
		*slash++ = '\0';
		long l = strtol(slash, &end, 10);
		if (!*slash || *end || l < 0 || l > 32)
			return false;
		*len = (int)l;
	}
	if (inet_pton(AF_INET, buf, &in) != 1)
		return false;
	*addr = in.s_addr;
	return true;
}

struct addr_change {
	struct net_device *dev;
	uint32_t addr;
	int len;
	bool add;
};

static int addr_change_on_cpu(void *info)
{
	struct addr_change *c = info;
	return c->add ? kp_inet_addr_add(c->dev, c->addr, c->len) :
			kp_inet_addr_del(c->dev, c->addr, c->len);
}

static int cmd_ip_addr(struct kp_session *s, int argc, char **argv,
		       struct kp_out *out)
{
	struct kp_host *h = kp_net_cmd_host(s, &argc, argv);
	struct net_device *dev;

	if (!h || !h->net)
		return kp_cmd_error(s, out, "no network stack on that host");
	if (argc && (!strcmp(argv[0], "add") || !strcmp(argv[0], "del"))) {
		struct addr_change *c;
		uint32_t addr;
		int len;
		if (argc != 4 || strcmp(argv[2], "dev"))
			return kp_cmd_error(s, out, "write 'ip addr %s "
					    "ADDR/LEN dev DEV'", argv[0]);
		if (!parse_prefix(argv[1], &addr, &len))
			return kp_cmd_error(s, out, "'%s' is not ADDR/LEN, "
					    "e.g. 10.0.0.3/24", argv[1]);
		dev = kp_net_cmd_dev(s, out, h, argv[3]);
		if (!dev)
			return -ENODEV;
		c = calloc(1, sizeof(*c));
		if (!c)
			return kp_cmd_error(s, out, "out of memory");
		*c = (struct addr_change){ dev, addr, len, argv[0][0] == 'a' };
		if (!c->add && !strchr(argv[1], '/'))
			c->len = -1;
		return kp_net_rtnl_error(s, out,
				  kp_net_cmd_call(s, out, h, addr_change_on_cpu,
						  c, free));
	}
	int i = 0;
	if (i < argc && (!strcmp(argv[i], "show") || !strcmp(argv[i], "list")))
		i++;
	if (i < argc && !strcmp(argv[i], "dev"))
		i++;
	const char *only = i < argc ? argv[i++] : NULL;
	if (i < argc)
		return KP_CMD_USAGE;
	if (only && !kp_net_cmd_dev(s, out, h, only))
		return -ENODEV;
	list_for_each_entry(dev, &h->net->dev_base_head, dev_list)
		if (!only || !strcmp(dev->name, only))
			addr_show_dev(out, dev);
	return 0;
}

/* ---- ip route ---- */

static const char *const rtn_names[__RTN_MAX] = {
	[RTN_UNSPEC] = "none", [RTN_UNICAST] = "unicast",
	[RTN_LOCAL] = "local", [RTN_BROADCAST] = "broadcast",
	[RTN_ANYCAST] = "anycast", [RTN_MULTICAST] = "multicast",
	[RTN_BLACKHOLE] = "blackhole", [RTN_UNREACHABLE] = "unreachable",
	[RTN_PROHIBIT] = "prohibit", [RTN_THROW] = "throw",
	[RTN_NAT] = "nat", [RTN_XRESOLVE] = "xresolve",
};

static const char *proto_name(int p, char *buf)
{
	switch (p) {
	case RTPROT_UNSPEC: return "unspec";
	case RTPROT_REDIRECT: return "redirect";
	case RTPROT_KERNEL: return "kernel";
	case RTPROT_BOOT: return "boot";
	case RTPROT_STATIC: return "static";
	}
	snprintf(buf, 8, "%d", p);
	return buf;
}

static void route_line(struct kp_out *out, const struct fib_route *r,
		       bool show_table, bool show_dev)
{
	char a[INET_ADDRSTRLEN], pb[8], sc[8];

	if (r->type != RTN_UNICAST)
		kp_printf(out, "%s ", rtn_names[r->type]);
	if (!r->dst_len && !r->dst)
		kp_puts(out, "default ");
	else if (r->dst_len == 32)
		kp_printf(out, "%s ", ntoa(r->dst, a));
	else
		kp_printf(out, "%s/%u ", ntoa(r->dst, a), r->dst_len);
	if (r->gw)
		kp_printf(out, "via %s ", ntoa(r->gw, a));
	/* filtered by "dev DEV", ip leaves the device out */
	if (r->dev && show_dev)
		kp_printf(out, "dev %s ", r->dev->name);
	/* iproute2's print_route: "dev" before "table" */
	if (show_table && r->tb_id != RT_TABLE_MAIN)
		kp_printf(out, "table %s ",
			  r->tb_id == RT_TABLE_LOCAL ? "local" : "default");
	if (r->protocol != RTPROT_BOOT)
		kp_printf(out, "proto %s ", proto_name(r->protocol, pb));
	if (r->scope != RT_SCOPE_UNIVERSE)
		kp_printf(out, "scope %s ", r->scope == RT_SCOPE_UNIVERSE ?
			  "global" : scope_name(r->scope, sc));
	if (r->prefsrc)
		kp_printf(out, "src %s ", ntoa(r->prefsrc, a));
	if (r->priority)
		kp_printf(out, "metric %u ", r->priority);
	kp_puts(out, "\n");
}

/* The order of an RTM_GETROUTE dump: fib_trie walks its leaves by key
 * (the prefix, ascending); in a leaf the aliases are kept longest prefix
 * first (fib_insert_alias orders by fa_slen).  Insertion sort, stable, so
 * routes of one prefix keep the table's order. */
static bool route_before(const struct fib_route *a, const struct fib_route *b)
{
	uint32_t ka = ntohl(a->dst), kb = ntohl(b->dst);

	if (ka != kb)
		return ka < kb;
	return a->dst_len > b->dst_len;
}

static void sort_routes(const struct fib_route **v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		const struct fib_route *x = v[i];
		size_t j = i;

		while (j > 0 && route_before(x, v[j - 1])) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

struct route_change {
	struct fib_route cfg;
	bool add;
};

static int route_change_on_cpu(void *info)
{
	struct route_change *c = info;
	struct net *net = current_net();
	struct fib_table *tb = fib_get_table(net, c->cfg.tb_id);

	if (!tb)
		return -ENOMEM;
	if (c->add && c->cfg.gw && !c->cfg.dev) {
		/* the gateway must be on a link we have a route to */
		struct flowi4 fl4 = { .daddr = c->cfg.gw };
		struct fib_result res;
		if (fib_lookup(net, &fl4, &res) || !res.fi->dev ||
		    res.type != RTN_UNICAST || res.fi->gw)
			return -ENETUNREACH;
		c->cfg.dev = res.fi->dev;
	}
	return c->add ? fib_table_insert(net, tb, &c->cfg) :
			fib_table_delete(net, tb, &c->cfg);
}

static int route_modify(struct kp_session *s, struct kp_out *out,
			struct kp_host *h, int argc, char **argv, bool add)
{
	struct route_change *c = calloc(1, sizeof(*c));
	struct fib_route *cfg;
	int i = 0, len;
	uint32_t addr;
	char *end;

	if (!c)
		return kp_cmd_error(s, out, "out of memory");
	cfg = &c->cfg;
	c->add = add;
	cfg->tb_id = RT_TABLE_MAIN;
	cfg->type = add ? RTN_UNICAST : 0;
	cfg->protocol = add ? RTPROT_BOOT : 0;
	if (i < argc) {
		for (int t = 1; t < __RTN_MAX; t++) {
			if (!strcmp(argv[i], rtn_names[t])) {
				cfg->type = (uint8_t)t;
				i++;
				break;
			}
		}
	}
	if (i >= argc || !parse_prefix(argv[i], &addr, &len)) {
		free(c);
		return kp_cmd_error(s, out, "write 'ip route %s [TYPE] "
				    "PREFIX [via GW] [dev DEV] [src ADDR] "
				    "[metric N] [table main|local]'",
				    add ? "add" : "del");
	}
	i++;
	cfg->dst = addr & inet_make_mask(len);
	cfg->dst_len = (uint8_t)len;
	for (; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];
		struct in_addr in;
		if (!strcmp(k, "via") && inet_pton(AF_INET, v, &in) == 1) {
			cfg->gw = in.s_addr;
		} else if (!strcmp(k, "src") &&
			   inet_pton(AF_INET, v, &in) == 1) {
			cfg->prefsrc = in.s_addr;
		} else if (!strcmp(k, "dev")) {
			cfg->dev = kp_net_cmd_dev(s, out, h, v);
			if (!cfg->dev) {
				free(c);
				return -ENODEV;
			}
		} else if (!strcmp(k, "metric") || !strcmp(k, "priority")) {
			cfg->priority = (uint32_t)strtoul(v, &end, 10);
			if (*end)
				break;
		} else if (!strcmp(k, "table") &&
			   (!strcmp(v, "main") || !strcmp(v, "local"))) {
			cfg->tb_id = v[0] == 'm' ? RT_TABLE_MAIN : RT_TABLE_LOCAL;
		} else if (!strcmp(k, "proto") && !strcmp(v, "static")) {
			cfg->protocol = RTPROT_STATIC;
		} else {
			break;
		}
	}
	if (i < argc) {
		free(c);
		return kp_cmd_error(s, out, "cannot read '%s'; see 'help ip "
				    "route'", argv[i]);
	}
	if (add) {
		if (cfg->type == RTN_UNICAST && !cfg->dev && !cfg->gw) {
			free(c);
			return kp_cmd_error(s, out, "a unicast route needs "
					    "'via GW' or 'dev DEV'");
		}
		if (cfg->type == RTN_LOCAL)
			cfg->scope = RT_SCOPE_HOST;
		else if ((cfg->type == RTN_UNICAST && !cfg->gw) ||
			 cfg->type == RTN_BROADCAST)
			cfg->scope = RT_SCOPE_LINK;
		if (cfg->type == RTN_LOCAL || cfg->type == RTN_BROADCAST)
			cfg->tb_id = RT_TABLE_LOCAL;
	}
	return kp_net_rtnl_error(s, out, kp_net_cmd_call(s, out, h,
						  route_change_on_cpu, c, free));
}

static int cmd_ip_route(struct kp_session *s, int argc, char **argv,
			struct kp_out *out)
{
	struct kp_host *h = kp_net_cmd_host(s, &argc, argv);
	struct fib_table *tbs[2] = { NULL, NULL };
	struct fib_route *r;
	int i = 0;

	if (!h || !h->net)
		return kp_cmd_error(s, out, "no network stack on that host");
	if (argc && (!strcmp(argv[0], "add") || !strcmp(argv[0], "del") ||
		     !strcmp(argv[0], "delete")))
		return route_modify(s, out, h, argc - 1, argv + 1,
				    argv[0][0] == 'a');
	if (i < argc && (!strcmp(argv[i], "show") || !strcmp(argv[i], "list")))
		i++;
	tbs[0] = fib_get_table(h->net, RT_TABLE_MAIN);
	if (i + 1 < argc && !strcmp(argv[i], "table")) {
		if (!strcmp(argv[i + 1], "local")) {
			tbs[0] = fib_get_table(h->net, RT_TABLE_LOCAL);
		} else if (!strcmp(argv[i + 1], "all")) {
			tbs[1] = tbs[0];
			tbs[0] = fib_get_table(h->net, RT_TABLE_LOCAL);
		} else if (strcmp(argv[i + 1], "main")) {
			return kp_cmd_error(s, out, "tables are main, local "
					    "and all");
		}
		i += 2;
	}
	const char *only = NULL;
	if (i + 1 < argc && !strcmp(argv[i], "dev")) {
		only = argv[i + 1];
		i += 2;
	}
	if (i < argc)
		return KP_CMD_USAGE;
	if (only && !kp_net_cmd_dev(s, out, h, only))
		return -ENODEV;
	/* `table all` lists main first, as ip does (it walks ids down
	 * from 255... no: main 254 after local 255); keep main first */
	if (tbs[1]) {
		struct fib_table *t = tbs[0];
		tbs[0] = tbs[1];
		tbs[1] = t;
	}
	for (int t = 0; t < 2; t++) {
		const struct fib_route **v;
		size_t n = 0, k = 0;

		if (!tbs[t])
			continue;
		list_for_each_entry(r, &tbs[t]->routes, list)
			n++;
		v = calloc(n ? n : 1, sizeof(*v));
		if (!v)
			return kp_cmd_error(s, out, "out of memory");
		list_for_each_entry(r, &tbs[t]->routes, list)
			if (!only || (r->dev && !strcmp(r->dev->name, only)))
				v[k++] = r;
		n = k;
		/* the dump walks fib_trie's leaves in key order */
		sort_routes(v, n);
		for (k = 0; k < n; k++)
			route_line(out, v[k], tbs[1] != NULL, !only);
		free(v);
	}
	return 0;
}

/* ip addr and ip route: a verb first, then their words and devices. */
static void complete_ip_verbs(struct kp_session *s, int argc,
			      struct kp_completions *c,
			      const char *const *words)
{
	static const char *const verbs[] = { "show", "add", "del", NULL };
	for (const char *const *w = argc == 0 ? verbs : words; w && *w; w++)
		kp_complete_add(c, *w);
	kp_complete_net_devs(s, c);
}

static void complete_ip_addr(struct kp_session *s, int argc, char **argv,
			     struct kp_completions *c)
{
	(void)argv;
	complete_ip_verbs(s, argc, c, NULL);
}

static void complete_ip_route(struct kp_session *s, int argc, char **argv,
			      struct kp_completions *c)
{
	static const char *const words[] = { "via", "dev", "table", "metric",
					     NULL };
	(void)argv;
	complete_ip_verbs(s, argc, c, words);
}

const struct kp_cmd kp_cmd_ip_addr = {
	.name = "ip addr",
	.aliases = KP_ALIASES("ip address", "ip a"),
	.usage = "ip addr [HOST] [show [DEV] | add|del ADDR/LEN dev DEV]",
	.summary = "IPv4 addresses of a host's devices",
	.help = "Lists the devices and their IPv4 addresses as 'ip addr' does\n"
		"(HOST defaults to server).  'ip addr add 10.0.0.3/24 dev "
		"eth0'\nadds an address and the routes Linux adds with it: "
		"'local\n10.0.0.3' and 'broadcast 10.0.0.255' in the local "
		"table, and\n'10.0.0.0/24 ... scope link src 10.0.0.3' in "
		"main (see 'ip route\nshow table all').  Addresses never "
		"expire.\n"
		"\n"
		"Example:\n"
		"  ip addr show eth0\n"
		"  ip addr client add 10.0.0.3/24 dev eth0\n",
	.group = "network",
	.complete = complete_ip_addr,
	.handler = cmd_ip_addr,
};

const struct kp_cmd kp_cmd_ip_route = {
	.name = "ip route",
	.aliases = KP_ALIASES("ip r", "ip ro"),
	.usage = "ip route [HOST] [show [table main|local|all] [dev DEV] | "
		 "add|del "
		 "[TYPE] PREFIX [via GW] [dev DEV] [src ADDR] [metric N]]",
	.summary = "the routing tables (FIB) of a host",
	.help = "Lists or changes a host's routes as 'ip route' does (HOST\n"
		"defaults to server).  Input routing looks in the local table\n"
		"first (local and broadcast addresses), then main, longest\n"
		"prefix first.  TYPE is unicast (default), local, broadcast,\n"
		"unreachable, blackhole or prohibit.  'show dev DEV' lists\n"
		"the routes through DEV, without the 'dev DEV' words, as ip\n"
		"does.\n"
		"\n"
		"Example:\n"
		"  ip route show table all\n"
		"  ip route show dev eth0\n"
		"  ip route add 192.168.0.0/16 via 10.0.0.1\n"
		"  ip route add unreachable 172.16.0.0/12\n",
	.group = "network",
	.complete = complete_ip_route,
	.handler = cmd_ip_route,
};
