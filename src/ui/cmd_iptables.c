/*
 * cmd_iptables.c - `iptables` (iptables(8), legacy output format) on a
 * host's tables (src/net/ipv4/netfilter).  Parsing and applying live in
 * ipt_cmd.c; this file prints -L and -S the way iptables does
 * (print_header, print_firewall, xtables_print_num) and runs changes in
 * kernel context on the host's CPU 0, as the setsockopt would.
 * Departures: no name resolution (-L without -n prints "anywhere" for
 * 0.0.0.0/0 and numbers otherwise), ports always numeric.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "format_net.h"
#include "net/ipv4/netfilter/ip_tables.h"
#include "out.h"
#include "sched/host.h"
#include "session.h"

#define FMT(tab, notab) ((format) & FMT_NOTABLE ? (notab) : (tab))

/* xtables_print_num */
static void print_num(struct kp_out *out, uint64_t number,
		      unsigned int format)
{
	unsigned long long n = (unsigned long long)number;
	static const char units[] = "KMGT";

	if (!(format & FMT_KILOMEGAGIGA)) {
		kp_printf(out, FMT("%8llu ", "%llu "), n);
		return;
	}
	if (n <= 99999) {
		kp_printf(out, FMT("%5llu ", "%llu "), n);
		return;
	}
	for (int u = 0; u < 4; u++) {
		n = (n + 500) / 1000;
		if (n <= 9999 || u == 3) {
			kp_printf(out, FMT("%4llu%c ", "%llu%c "), n, units[u]);
			return;
		}
	}
}

static void print_header(struct kp_out *out, unsigned int format,
			 const struct xt_chain *c)
{
	kp_printf(out, "Chain %s (policy %s", c->name,
		  c->policy == NF_DROP ? "DROP" : "ACCEPT");
	if (!(format & FMT_NOCOUNTS)) {
		kp_puts(out, " ");
		print_num(out, c->counters.pcnt, format | FMT_NOTABLE);
		kp_puts(out, "packets, ");
		print_num(out, c->counters.bcnt, format | FMT_NOTABLE);
		kp_puts(out, "bytes");
	}
	kp_puts(out, ")\n");
	if (format & FMT_LINENUMBERS)
		kp_printf(out, FMT("%-4s ", "%s "), "num");
	if (!(format & FMT_NOCOUNTS)) {
		if (format & FMT_KILOMEGAGIGA) {
			kp_printf(out, FMT("%5s ", "%s "), "pkts");
			kp_printf(out, FMT("%5s ", "%s "), "bytes");
		} else {
			kp_printf(out, FMT("%8s ", "%s "), "pkts");
			kp_printf(out, FMT("%10s ", "%s "), "bytes");
		}
	}
	kp_printf(out, FMT("%-9s ", "%s "), "target");
	kp_puts(out, " prot ");
	if (format & FMT_OPTIONS)
		kp_puts(out, "opt");
	if (format & FMT_VIA) {
		kp_printf(out, FMT(" %-6s ", "%s "), "in");
		kp_printf(out, FMT("%-6s ", "%s "), "out");
	}
	kp_printf(out, FMT(" %-19s ", "%s "), "source");
	kp_printf(out, FMT(" %-19s ", " %s "), "destination");
	kp_puts(out, "\n");
}

static void addr_str(char *buf, size_t n, uint32_t addr, uint32_t mask,
		     unsigned int format)
{
	char a[INET_ADDRSTRLEN];
	int cidr = __builtin_popcount(mask);

	if (!mask && !(format & FMT_NUMERIC)) {
		snprintf(buf, n, "anywhere");
		return;
	}
	inet_ntop(AF_INET, &addr, a, sizeof(a));
	if (cidr == 32)
		snprintf(buf, n, "%s", a);
	else
		snprintf(buf, n, "%s/%d", a, cidr);
}

static void print_ports(struct kp_out *out, const char *name,
			const uint16_t *pts, bool inv)
{
	if (pts[0] == 0 && pts[1] == 0xffff && !inv)
		return;
	if (pts[0] == pts[1])
		kp_printf(out, " %s:%s%u", name, inv ? "!" : "", pts[0]);
	else
		kp_printf(out, " %ss:%s%u:%u", name, inv ? "!" : "", pts[0],
			  pts[1]);
}

static void print_iface(struct kp_out *out, const char *name, bool inv,
			unsigned int format, const char *fmt_tab,
			const char *fmt_notab)
{
	char iface[IFNAMSIZ + 2];
	snprintf(iface, sizeof(iface), "%s%s", inv ? "!" : "",
		 name[0] ? name : format & FMT_NUMERIC ? "*" : "any");
	kp_printf(out, FMT(fmt_tab, fmt_notab), iface);
}

static void print_firewall(struct kp_out *out, const struct ipt_rule *r,
			   unsigned int num, unsigned int format)
{
	const struct ipt_ip *ip = &r->ip;
	const char *pname = ipt_proto_name(ip->proto);
	char buf[48];

	if (format & FMT_LINENUMBERS)
		kp_printf(out, FMT("%-4u ", "%u "), num);
	if (!(format & FMT_NOCOUNTS)) {
		print_num(out, r->counters.pcnt, format);
		print_num(out, r->counters.bcnt, format);
	}
	kp_printf(out, FMT("%-9s ", "%s "), ipt_target_name(r->target));
	kp_puts(out, ip->invflags & IPT_INV_PROTO ? "!" : " ");
	if (pname)
		kp_printf(out, FMT("%-5s", "%s "), pname);
	else
		kp_printf(out, FMT("%-5u", "%u "), ip->proto);
	if (format & FMT_OPTIONS) {
		if (format & FMT_NOTABLE)
			kp_puts(out, "opt ");
		kp_puts(out, "-- ");
	}
	if (format & FMT_VIA) {
		print_iface(out, ip->iniface, ip->invflags & IPT_INV_VIA_IN,
			    format, " %-6s ", "in %s ");
		print_iface(out, ip->outiface, ip->invflags & IPT_INV_VIA_OUT,
			    format, "%-6s ", "out %s ");
	}
	kp_puts(out, ip->invflags & IPT_INV_SRCIP ? "!" : " ");
	addr_str(buf, sizeof(buf), ip->src, ip->smsk, format);
	kp_printf(out, FMT("%-19s ", "%s "), buf);
	kp_puts(out, ip->invflags & IPT_INV_DSTIP ? "!" : " ");
	addr_str(buf, sizeof(buf), ip->dst, ip->dmsk, format);
	kp_printf(out, FMT("%-19s ", "-> %s"), buf);
	if (format & FMT_NOTABLE)
		kp_puts(out, "  ");
	if (r->has_ports) {
		kp_printf(out, " %s", pname ? pname : "?");
		print_ports(out, "spt", r->spts,
			    r->port_invflags & XT_TCP_INV_SRCPT);
		print_ports(out, "dpt", r->dpts,
			    r->port_invflags & XT_TCP_INV_DSTPT);
	}
	kp_puts(out, "\n");
}

static void list_table(struct kp_out *out, struct xt_table *t,
		       const struct ipt_cmd *cmd)
{
	bool found = false;

	for (int h = 0; h < NF_INET_NUMHOOKS; h++) {
		struct xt_chain *c = &t->chains[h];
		struct ipt_rule *r;
		unsigned int num = 0;
		if (!(t->valid_hooks & (1u << h)) ||
		    (cmd->chain && strcmp(cmd->chain, c->name)))
			continue;
		if (found)
			kp_puts(out, "\n");
		found = true;
		print_header(out, cmd->format, c);
		list_for_each_entry(r, &c->rules, list)
			print_firewall(out, r, ++num, cmd->format);
	}
}

/* " [!] -s ADDR/MASK" of a rule, when it has a mask. */
static void rule_addr(struct kp_out *out, const char *opt, uint32_t addr,
		      uint32_t mask, bool inv)
{
	char a[48];
	if (!mask)
		return;
	addr_str(a, sizeof(a), addr, mask, FMT_NUMERIC);
	if (!strchr(a, '/'))
		strcat(a, "/32");
	kp_printf(out, "%s %s %s", inv ? " !" : "", opt, a);
}

/* -S: the rules as iptables commands (iptables-save style). */
static void list_rules(struct kp_out *out, struct xt_table *t,
		       const struct ipt_cmd *cmd)
{
	for (int h = 0; h < NF_INET_NUMHOOKS; h++) {
		struct xt_chain *c = &t->chains[h];
		if (!(t->valid_hooks & (1u << h)) ||
		    (cmd->chain && strcmp(cmd->chain, c->name)))
			continue;
		kp_printf(out, "-P %s %s\n", c->name,
			  c->policy == NF_DROP ? "DROP" : "ACCEPT");
	}
	for (int h = 0; h < NF_INET_NUMHOOKS; h++) {
		struct xt_chain *c = &t->chains[h];
		struct ipt_rule *r;
		if (!(t->valid_hooks & (1u << h)) ||
		    (cmd->chain && strcmp(cmd->chain, c->name)))
			continue;
		list_for_each_entry(r, &c->rules, list) {
			const struct ipt_ip *ip = &r->ip;
			const char *pn = ipt_proto_name(ip->proto);
			kp_printf(out, "-A %s", c->name);
			rule_addr(out, "-s", ip->src, ip->smsk,
				  ip->invflags & IPT_INV_SRCIP);
			rule_addr(out, "-d", ip->dst, ip->dmsk,
				  ip->invflags & IPT_INV_DSTIP);
			if (ip->iniface[0])
				kp_printf(out, "%s -i %s",
					  ip->invflags & IPT_INV_VIA_IN ? " !" : "",
					  ip->iniface);
			if (ip->outiface[0])
				kp_printf(out, "%s -o %s",
					  ip->invflags & IPT_INV_VIA_OUT ? " !" : "",
					  ip->outiface);
			if (ip->proto) {
				kp_printf(out, "%s -p ",
					  ip->invflags & IPT_INV_PROTO ? " !" : "");
				if (pn)
					kp_puts(out, pn);
				else
					kp_printf(out, "%u", ip->proto);
			}
			if (r->has_ports) {
				kp_printf(out, " -m %s", pn ? pn : "tcp");
				for (int p = 0; p < 2; p++) {
					const uint16_t *pts = p ? r->dpts : r->spts;
					bool inv = r->port_invflags &
						   (p ? XT_TCP_INV_DSTPT :
							XT_TCP_INV_SRCPT);
					if (pts[0] == 0 && pts[1] == 0xffff)
						continue;
					kp_printf(out, "%s --%s %u", inv ? " !" : "",
						  p ? "dport" : "sport", pts[0]);
					if (pts[1] != pts[0])
						kp_printf(out, ":%u", pts[1]);
				}
			}
			if (r->target != IPT_TARGET_NONE)
				kp_printf(out, " -j %s", ipt_target_name(r->target));
			kp_puts(out, "\n");
		}
	}
}

struct ipt_call {
	struct ipt_cmd cmd;
	char err[160];
};

static int ipt_apply_on_cpu(void *info)
{
	struct ipt_call *c = info;
	return ipt_apply(current_net(), &c->cmd, c->err, sizeof(c->err));
}

static int cmd_iptables(struct kp_session *s, int argc, char **argv,
			struct kp_out *out)
{
	struct kp_host *h = kp_net_cmd_host(s, &argc, argv);
	struct ipt_call *c;
	int ret;

	if (!h || !h->net)
		return kp_cmd_error(s, out, "no network stack on that host");
	c = calloc(1, sizeof(*c));
	if (!c)
		return kp_cmd_error(s, out, "out of memory");
	if (ipt_parse(argc, argv, &c->cmd, c->err, sizeof(c->err))) {
		ret = kp_cmd_error(s, out, "iptables: %s", c->err);
		free(c);
		return ret;
	}
	struct xt_table *t = xt_find_table(h->net, c->cmd.table);
	if (!t) {
		ret = kp_cmd_error(s, out, "iptables: table '%s' does not "
				   "exist (filter, raw, mangle)",
				   c->cmd.table);
		free(c);
		return ret;
	}
	if (c->cmd.chain && !xt_find_chain(t, c->cmd.chain)) {
		ret = kp_cmd_error(s, out, "iptables: No chain/target/match "
				   "by that name (chains of %s: see "
				   "'iptables -t %s -L').", t->name, t->name);
		free(c);
		return ret;
	}
	if (c->cmd.op == IPT_OP_LIST || c->cmd.op == IPT_OP_LIST_RULES) {
		if (c->cmd.op == IPT_OP_LIST)
			list_table(out, t, &c->cmd);
		else
			list_rules(out, t, &c->cmd);
		/* listing loads the table, as the module would load */
		xt_table_register(t);
		if (!c->cmd.zero_after_list) {
			free(c);
			return 0;
		}
	}
	ret = kp_net_cmd_call(s, out, h, ipt_apply_on_cpu, c, free);
	if (ret == -EINPROGRESS || ret >= 0)
		return 0;
	if (ret == -EINVAL)
		return kp_cmd_error(s, out, "iptables: Bad rule or index (does "
				    "a matching rule exist?  'iptables -L "
				    "--line-numbers' numbers them).");
	return kp_cmd_error(s, out, "iptables: %s", strerror(-ret));
}

static void complete_iptables(struct kp_session *s, int argc, char **argv,
			      struct kp_completions *c)
{
	static const char *const words[] = {
		"-A", "-I", "-D", "-P", "-F", "-L", "-S", "-Z", "-t", "-v",
		"-n", "-x", "-p", "-s", "-d", "-i", "-o", "--sport", "--dport",
		"-j", "INPUT", "FORWARD", "OUTPUT", "PREROUTING", "ACCEPT",
		"DROP", "RETURN", "tcp", "udp", "icmp", "filter", "raw",
		"mangle", "--line-numbers",
	};
	(void)argc;
	(void)argv;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		kp_complete_add(c, words[i]);
	kp_complete_hosts(s, c);
}

const struct kp_cmd kp_cmd_iptables = {
	.name = "iptables",
	.usage = "iptables [HOST] [-t TABLE] -A|-I|-D CHAIN RULE -j TARGET | "
		 "-P CHAIN POLICY | -F [CHAIN] | -L [CHAIN] [-v] [-n] [-x] | "
		 "-S | -Z",
	.summary = "IPv4 packet filter rules and their counters",
	.help = "Changes and lists a host's netfilter rules as iptables does\n"
		"(HOST defaults to server).  Tables: filter (INPUT, FORWARD,\n"
		"OUTPUT), raw (PREROUTING, OUTPUT), mangle (all five hooks).\n"
		"A RULE matches with [!] -p PROTO, -s ADDR[/LEN], -d ADDR[/LEN],\n"
		"-i DEV, -o DEV, --sport P[:P], --dport P[:P]; targets are\n"
		"ACCEPT, DROP and RETURN.  Each rule and chain policy counts\n"
		"packets and bytes: -L -v shows them, -Z zeroes them.  A table\n"
		"hooks into the stack when first used (nf_hook_slow then runs\n"
		"at its hooks), as its module would load.  A DROP frees the\n"
		"packet with SKB_DROP_REASON_NETFILTER_DROP.\n"
		"\n"
		"Example:\n"
		"  iptables -A INPUT -p udp --dport 9000 -j DROP\n"
		"  iptables -L -v -n\n",
	.group = "network",
	.complete = complete_iptables,
	.handler = cmd_iptables,
};
