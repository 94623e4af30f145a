/*
 * netfilter.h - netfilter hooks (include/linux/netfilter.h,
 * include/uapi/linux/netfilter.h).
 *
 * NF_HOOK runs the hook's registered tables (nf_hook_slow) and, when
 * they accept the packet, the continuation okfn.  As in Linux, a hook
 * with nothing registered costs nothing and okfn is called at once: the
 * iptables tables register their hooks when first used (as the
 * iptable_filter module loads on the first `iptables` command).
 * Leaves out: conntrack, NAT, queueing to user space, nftables.
 */
#ifndef KP_NET_NETFILTER_NETFILTER_H
#define KP_NET_NETFILTER_NETFILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "net/core/net_namespace.h"
#include "net/core/skbuff.h"

struct net_device;
struct sock;

enum {
	NFPROTO_UNSPEC = 0,
	NFPROTO_INET = 1,
	NFPROTO_IPV4 = 2,
	NFPROTO_ARP = 3,
	NFPROTO_IPV6 = 10,
};

enum nf_inet_hooks {
	NF_INET_PRE_ROUTING,
	NF_INET_LOCAL_IN,
	NF_INET_FORWARD,
	NF_INET_LOCAL_OUT,
	NF_INET_POST_ROUTING,
	NF_INET_NUMHOOKS
};

/* Verdicts */
#define NF_DROP 0
#define NF_ACCEPT 1
#define NF_STOLEN 2
#define NF_QUEUE 3
#define NF_REPEAT 4
#define NF_STOP 5

typedef int (*nf_okfn_t)(struct net *net, struct sock *sk,
			 struct sk_buff *skb);

struct nf_hook_state {
	uint8_t hook;
	uint8_t pf;
	struct net_device *in;
	struct net_device *out;
	struct sock *sk;
	struct net *net;
	nf_okfn_t okfn;
};

/* Run the tables of @state->hook.  1: accepted, the caller runs okfn;
 * -EPERM: dropped (freed with SKB_DROP_REASON_NETFILTER_DROP). */
int nf_hook_slow(struct sk_buff *skb, struct nf_hook_state *state);

/* Is anything registered at this IPv4 hook of @net? */
bool kp_nf_hook_active(const struct net *net, unsigned int hook);

static inline int nf_hook(uint8_t pf, unsigned int hook, struct net *net,
			  struct sock *sk, struct sk_buff *skb,
			  struct net_device *indev, struct net_device *outdev,
			  nf_okfn_t okfn)
{
	struct nf_hook_state state = {
		.hook = (uint8_t)hook,
		.pf = pf,
		.in = indev,
		.out = outdev,
		.sk = sk,
		.net = net,
		.okfn = okfn,
	};

	if (pf != NFPROTO_IPV4 || !kp_nf_hook_active(net, hook))
		return 1;
	return nf_hook_slow(skb, &state);
}

static inline int NF_HOOK(uint8_t pf, unsigned int hook, struct net *net,
			  struct sock *sk, struct sk_buff *skb,
			  struct net_device *in, struct net_device *out,
			  nf_okfn_t okfn)
{
	int ret = nf_hook(pf, hook, net, sk, skb, in, out, okfn);
	if (ret == 1)
		ret = okfn(net, sk, skb);
	return ret;
}

#endif
