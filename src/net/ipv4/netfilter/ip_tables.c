/*
 * ip_tables.c - IPv4 packet filtering tables: rule matching and chain
 * traversal (net/ipv4/netfilter/ip_tables.c: ipt_do_table, ip_packet_match;
 * net/netfilter/xt_tcpudp.c: port matches; iptable_filter.c,
 * iptable_raw.c, iptable_mangle.c: the built-in tables).
 *
 * Departure: a table's hooks are registered the first time the table is
 * changed (as its module would load then), so an untouched stack runs no
 * netfilter code at all.
 */
#include "ip_tables.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net/core/net_namespace.h"
#include "net/ipv4/ip.h"

static const char *const hook_chain_names[NF_INET_NUMHOOKS] = {
	[NF_INET_PRE_ROUTING] = "PREROUTING",
	[NF_INET_LOCAL_IN] = "INPUT",
	[NF_INET_FORWARD] = "FORWARD",
	[NF_INET_LOCAL_OUT] = "OUTPUT",
	[NF_INET_POST_ROUTING] = "POSTROUTING",
};

#define HOOK(h) (1u << (h))

static const struct {
	const char *name;
	unsigned int valid_hooks;
} builtin_tables[KP_IPT_NR_TABLES] = {
	[KP_IPT_RAW] = { "raw",
			 HOOK(NF_INET_PRE_ROUTING) | HOOK(NF_INET_LOCAL_OUT) },
	[KP_IPT_MANGLE] = { "mangle",
			    HOOK(NF_INET_PRE_ROUTING) | HOOK(NF_INET_LOCAL_IN) |
				    HOOK(NF_INET_FORWARD) |
				    HOOK(NF_INET_LOCAL_OUT) |
				    HOOK(NF_INET_POST_ROUTING) },
	[KP_IPT_FILTER] = { "filter", HOOK(NF_INET_LOCAL_IN) |
					      HOOK(NF_INET_FORWARD) |
					      HOOK(NF_INET_LOCAL_OUT) },
};

static void kp_nf_exit(struct net *net)
{
	struct kp_nf *nf = net->nf;

	if (!nf)
		return;
	for (int t = 0; t < KP_IPT_NR_TABLES; t++) {
		for (int h = 0; h < NF_INET_NUMHOOKS; h++) {
			struct ipt_rule *r, *n;
			list_for_each_entry_safe(r, n,
						 &nf->tables[t].chains[h].rules,
						 list) {
				list_del(&r->list);
				free(r);
			}
		}
	}
	free(nf);
	net->nf = NULL;
}

struct kp_nf *kp_nf_get(struct net *net)
{
	struct kp_nf *nf;

	if (!net)
		return NULL;
	if (net->nf)
		return net->nf;
	nf = calloc(1, sizeof(*nf));
	if (!nf)
		return NULL;
	for (int t = 0; t < KP_IPT_NR_TABLES; t++) {
		struct xt_table *tb = &nf->tables[t];
		tb->name = builtin_tables[t].name;
		tb->valid_hooks = builtin_tables[t].valid_hooks;
		for (int h = 0; h < NF_INET_NUMHOOKS; h++) {
			tb->chains[h].name = hook_chain_names[h];
			tb->chains[h].policy = NF_ACCEPT;
			INIT_LIST_HEAD(&tb->chains[h].rules);
		}
	}
	if (kp_net_register_exit(net, kp_nf_exit)) {
		free(nf);
		return NULL;
	}
	net->nf = nf;
	return nf;
}

struct xt_table *xt_find_table(struct net *net, const char *name)
{
	struct kp_nf *nf = kp_nf_get(net);

	if (!nf)
		return NULL;
	for (int t = 0; t < KP_IPT_NR_TABLES; t++)
		if (!strcmp(nf->tables[t].name, name))
			return &nf->tables[t];
	return NULL;
}

struct xt_chain *xt_find_chain(struct xt_table *t, const char *name)
{
	for (int h = 0; h < NF_INET_NUMHOOKS; h++)
		if ((t->valid_hooks & HOOK(h)) && !strcmp(t->chains[h].name, name))
			return &t->chains[h];
	return NULL;
}

void xt_table_register(struct xt_table *t)
{
	t->registered = true;
}

/* ifname_compare: "" matches any, "eth+" any name starting with "eth". */
static bool iface_match(const char *rule, const struct net_device *dev)
{
	size_t n = strlen(rule);

	if (!n)
		return true;
	if (!dev)
		return false;
	if (rule[n - 1] == '+')
		return !strncmp(rule, dev->name, n - 1);
	return !strcmp(rule, dev->name);
}

#define FWINV(bool_, invflg) ((bool_) ^ !!(ipinfo->invflags & (invflg)))

/* ip_packet_match */
static bool ip_packet_match(const struct iphdr *ip,
			    const struct net_device *in,
			    const struct net_device *out,
			    const struct ipt_ip *ipinfo)
{
	if (FWINV((ip->saddr & ipinfo->smsk) != ipinfo->src, IPT_INV_SRCIP) ||
	    FWINV((ip->daddr & ipinfo->dmsk) != ipinfo->dst, IPT_INV_DSTIP))
		return false;
	if (FWINV(!iface_match(ipinfo->iniface, in), IPT_INV_VIA_IN))
		return false;
	if (FWINV(!iface_match(ipinfo->outiface, out), IPT_INV_VIA_OUT))
		return false;
	if (ipinfo->proto &&
	    FWINV(ip->protocol != ipinfo->proto, IPT_INV_PROTO))
		return false;
	return true;
}

static bool port_match(uint16_t min, uint16_t max, uint16_t port, bool inv)
{
	return (port >= min && port <= max) ^ inv;
}

/* tcp_mt / udp_mt: ports of the first fragment only.  *hotdrop when the
 * header is cut short, as Linux. */
static bool ports_match(const struct sk_buff *skb, const struct iphdr *ip,
			const struct ipt_rule *r, bool *hotdrop)
{
	uint16_t ports[2];

	if (ntohs(ip->frag_off) & IP_OFFSET)
		return false;
	if (skb_copy_bits(skb, skb_network_offset(skb) + ip->ihl * 4, ports,
			  sizeof(ports))) {
		*hotdrop = true;
		return false;
	}
	return port_match(r->spts[0], r->spts[1], ntohs(ports[0]),
			  r->port_invflags & XT_TCP_INV_SRCPT) &&
	       port_match(r->dpts[0], r->dpts[1], ntohs(ports[1]),
			  r->port_invflags & XT_TCP_INV_DSTPT);
}

unsigned int ipt_do_table(struct sk_buff *skb,
			  const struct nf_hook_state *state,
			  struct xt_table *t)
{
	struct xt_chain *chain = &t->chains[state->hook];
	const struct iphdr *ip = ip_hdr(skb);
	struct ipt_rule *r;
	bool hotdrop = false;

	list_for_each_entry(r, &chain->rules, list) {
		if (!ip_packet_match(ip, state->in, state->out, &r->ip))
			continue;
		if (r->has_ports && !ports_match(skb, ip, r, &hotdrop)) {
			if (hotdrop)
				return NF_DROP;
			continue;
		}
		r->counters.pcnt++;
		r->counters.bcnt += skb->len;
		switch (r->target) {
		case IPT_TARGET_NONE:
			continue;
		case IPT_TARGET_ACCEPT:
			return NF_ACCEPT;
		case IPT_TARGET_DROP:
			return NF_DROP;
		case IPT_TARGET_RETURN:
			goto policy; /* RETURN from a built-in chain */
		}
	}
policy:
	chain->counters.pcnt++;
	chain->counters.bcnt += skb->len;
	return (unsigned int)chain->policy;
}
