/*
 * core.c - running the netfilter hooks (net/netfilter/core.c).
 *
 * nf_hook_slow walks what is registered at a hook, in priority order
 * (raw -300, mangle -150, filter 0), and stops at the first DROP.
 * Departure: the only hook functions are the iptables tables
 * (ipt_do_table); no conntrack, no NF_QUEUE.
 */
#include "netfilter.h"

#include <errno.h>

#include "engine/probe.h"
#include "net/ipv4/netfilter/ip_tables.h"

bool kp_nf_hook_active(const struct net *net, unsigned int hook)
{
	const struct kp_nf *nf = net ? net->nf : NULL;

	if (!nf || hook >= NF_INET_NUMHOOKS)
		return false;
	for (int i = 0; i < KP_IPT_NR_TABLES; i++) {
		const struct xt_table *t = &nf->tables[i];
		if (t->registered && (t->valid_hooks & (1u << hook)))
			return true;
	}
	return false;
}

int nf_hook_slow(struct sk_buff *skb, struct nf_hook_state *state)
{
	KP_FUNC_ARG(nf_hook_slow, skb, state->hook);
	struct kp_nf *nf = state->net->nf;

	for (int i = 0; i < KP_IPT_NR_TABLES; i++) {
		struct xt_table *t = &nf->tables[i];
		if (!t->registered || !(t->valid_hooks & (1u << state->hook)))
			continue;
		if (ipt_do_table(skb, state, t) == NF_DROP) {
			kp_drop_detail(state->net,
				       SKB_DROP_REASON_NETFILTER_DROP,
				       "iptables -t %s chain %s", t->name,
				       t->chains[state->hook].name);
			kfree_skb_reason(skb, SKB_DROP_REASON_NETFILTER_DROP);
			return -EPERM;
		}
	}
	return 1;
}
