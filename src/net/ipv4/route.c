/*
 * route.c - route lookups for received and sent packets and the dst
 * entries they produce (net/ipv4/route.c, include/net/dst.h).
 *
 * ip_route_input_noref -> ip_route_input_slow decides what a received
 * packet is: martian, broadcast, local (dst.input = ip_local_deliver),
 * to forward, or unroutable (dst.input = ip_error, which counts
 * InAddrErrors / InNoRoutes and drops).  Departures: no refcounts -
 * every rtable made stays on the FIB's rt_cache until the stack is freed
 * (a FIB change bumps rt_genid so stale ones are no longer handed out);
 * no multicast routing, no rp_filter, no ICMP redirects; ip_error cannot
 * send ICMP unreachables yet (that needs the transmit path).
 *
 * Output: kp_ip_route_output_key (ip_route_output_key_hash_rcu) and
 * ip_route_output_ports, whose routes send through the transmit path's
 * ip_output (net->fib->ip_output, set by ip_init); rt_nexthop and
 * dst_mtu for ip_finish_output.  No PMTU learning beyond rt_pmtu.
 */
#include "route.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "inetdevice.h"
#include "ip.h"
#include "net/core/net_namespace.h"
#include "net/core/netdevice.h"
#include "sched/host.h"

int dst_input(struct sk_buff *skb)
{
	KP_FUNC(dst_input, skb);
	return skb_dst(skb)->input(skb);
}

/* dst.output of an input route: a received packet cannot be sent on it
 * (ip_rt_bug). */
static int ip_rt_bug(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	kp_drop_detail(skb->net, SKB_DROP_REASON_NOT_SPECIFIED,
		       "ip_rt_bug: output on an input route");
	kfree_skb(skb);
	return 0;
}

/* dst.input of an unreachable route (ip_error): count and drop. */
static int ip_error(struct sk_buff *skb)
{
	struct rtable *rt = skb_rtable(skb);
	struct net *net = skb->net;
	enum skb_drop_reason reason = SKB_DROP_REASON_NOT_SPECIFIED;

	if (!net->sysctl.ip_forward) {
		switch (rt->dst.error) {
		case EHOSTUNREACH:
			reason = SKB_DROP_REASON_IP_INADDRERRORS;
			__IP_INC_STATS(net, InAddrErrors);
			kp_drop_detail(net, reason,
				       "not local and ip_forward=0");
			break;
		case ENETUNREACH:
			reason = SKB_DROP_REASON_IP_INNOROUTES;
			__IPEXT_INC_STATS(net, InNoRoutes);
			kp_drop_detail(net, reason, "no route");
			break;
		}
	} else if (rt->dst.error == ENETUNREACH) {
		reason = SKB_DROP_REASON_IP_INNOROUTES;
		__IPEXT_INC_STATS(net, InNoRoutes);
		/* Linux also sends ICMP net unreachable here (rate
		 * limited): that needs the transmit path. */
		kp_drop_detail(net, reason, "no route (forwarding on)");
	}
	kfree_skb_reason(skb, reason);
	return 0;
}

/* Forwarding lives with the transmit path; until it hooks itself into
 * the FIB, a packet to forward is dropped and says so. */
static int ip_forward_missing(struct sk_buff *skb)
{
	struct kp_fib *fib = skb->net->fib;

	if (fib && fib->ip_forward)
		return fib->ip_forward(skb);
	__IP_INC_STATS(skb->net, InDiscards);
	kp_drop_detail(skb->net, SKB_DROP_REASON_NOT_SPECIFIED,
		       "forwarding not emulated yet");
	kfree_skb(skb);
	return 0;
}

static int ip_output_missing(struct net *net, struct sock *sk,
			     struct sk_buff *skb)
{
	struct kp_fib *fib = net->fib;

	if (fib && fib->ip_output)
		return fib->ip_output(net, sk, skb);
	__IP_INC_STATS(net, OutDiscards);
	kp_drop_detail(net, SKB_DROP_REASON_NOT_SPECIFIED,
		       "ip_output not emulated yet");
	kfree_skb(skb);
	return 0;
}

static bool rt_dst_matches(const struct rtable *rt, int genid,
			   const struct net_device *dev, unsigned int flags,
			   uint16_t type, bool is_input, short error,
			   uint32_t gw)
{
	return rt->rt_genid == genid && rt->dst.dev == dev &&
	       rt->rt_flags == flags && rt->rt_type == type &&
	       rt->rt_is_input == is_input && rt->dst.error == error &&
	       rt->rt_gateway == gw;
}

/*
 * A cached rtable with these properties made since the last FIB change,
 * or a new one (rt_dst_alloc + rt_cache_route).  @hint, when not NULL, is
 * the route's slot for its last dst (Linux's nhc_rth_input and
 * nhc_pcpu_rth_output): tried first, and set to the result.  At most one
 * rtable of the current rt_genid has a given set of properties, so the
 * hint gives the same rtable as the walk of rt_cache.
 */
static struct rtable *rt_dst_get(struct net *net, struct net_device *dev,
				 unsigned int flags, uint16_t type,
				 bool is_input, short error, uint32_t gw,
				 struct rtable **hint)
{
	struct kp_fib *fib = net->fib;
	const int genid = fib->rt_genid;
	struct rtable *rt;

	if (hint && *hint &&
	    rt_dst_matches(*hint, genid, dev, flags, type, is_input, error,
			   gw)) {
		rt = *hint;
		goto found;
	}
	list_for_each_entry(rt, &fib->rt_cache, rt_list) {
		if (rt_dst_matches(rt, genid, dev, flags, type, is_input,
				   error, gw))
			goto cache;
	}
	rt = calloc(1, sizeof(*rt));
	if (!rt)
		return NULL;
	rt->dst.dev = dev;
	rt->dst.error = error;
	rt->rt_genid = genid;
	rt->rt_flags = flags;
	rt->rt_type = type;
	rt->rt_is_input = is_input;
	rt->rt_gateway = gw;
	rt->rt_uses_gateway = gw != 0;
	rt->rt_iif = 0;
	if (is_input) {
		rt->dst.output = ip_rt_bug;
		if (error)
			rt->dst.input = ip_error;
		else if (flags & RTCF_LOCAL)
			rt->dst.input = ip_local_deliver;
		else
			rt->dst.input = ip_forward_missing;
		/* a forwarded packet leaves through ip_output */
		if (!error && !(flags & RTCF_LOCAL))
			rt->dst.output = ip_output_missing;
	} else {
		rt->dst.output = ip_output_missing;
		if (flags & RTCF_LOCAL)
			rt->dst.input = ip_local_deliver;
	}
	list_add_tail(&rt->rt_list, &fib->rt_cache);
cache:
	if (hint)
		*hint = rt;
found:
	rt->dst.__use++;
	rt->dst.lastuse = kp_world_time(net->host->world);
	return rt;
}

static enum skb_drop_reason ip_route_input_slow(struct sk_buff *skb,
						uint32_t daddr, uint32_t saddr,
						uint8_t tos,
						struct net_device *dev)
{
	struct net *net = skb->net;
	struct kp_fib *fib = kp_fib_get(net);
	struct in_device *in_dev = dev ? __in_dev_get_rcu(dev) : NULL;
	struct fib_result res = { 0 };
	struct flowi4 fl4 = { 0 };
	unsigned int flags = 0;
	uint16_t type;
	short error = 0;
	struct rtable *rth;
	struct net_device *rt_dev = dev;
	int err;

	if (!in_dev || !fib) {
		kp_drop_detail(net, SKB_DROP_REASON_NOT_SPECIFIED,
			       "device has no IPv4 configuration");
		return SKB_DROP_REASON_NOT_SPECIFIED;
	}
	fib->in_slow_tot++;

	/* Martians: source never multicast or limited broadcast */
	if (ipv4_is_multicast(saddr) || ipv4_is_lbcast(saddr))
		goto martian_source;
	if (ipv4_is_lbcast(daddr) || (saddr == 0 && daddr == 0))
		goto brd_input;
	if (ipv4_is_zeronet(saddr))
		goto martian_source;
	if (ipv4_is_zeronet(daddr))
		goto martian_destination;
	/* 127/8 is not routed from outside (route_localnet=0) */
	if (ipv4_is_loopback(daddr))
		goto martian_destination;
	if (ipv4_is_loopback(saddr))
		goto martian_source;

	fl4.flowi4_iif = dev->ifindex;
	fl4.flowi4_tos = tos;
	fl4.flowi4_scope = RT_SCOPE_UNIVERSE;
	fl4.daddr = daddr;
	fl4.saddr = saddr;
	err = fib_lookup(net, &fl4, &res);
	if (err != 0) {
		if (!net->sysctl.ip_forward)
			err = -EHOSTUNREACH;
		goto no_route;
	}
	if (res.type == RTN_BROADCAST)
		goto brd_input;
	if (res.type == RTN_LOCAL) {
		/* fib_validate_source: our own address as source */
		if (inet_addr_type(net, saddr) == RTN_LOCAL)
			goto martian_source;
		type = RTN_LOCAL;
		flags |= RTCF_LOCAL;
		if (res.fi && res.fi->dev)
			rt_dev = res.fi->dev;
		goto local_input;
	}
	if (!net->sysctl.ip_forward) {
		err = -EHOSTUNREACH;
		goto no_route;
	}
	if (res.type != RTN_UNICAST)
		goto martian_destination;

	/* make_route (ip_mkroute_input): a route to forward on */
	rth = rt_dst_get(net, res.fi->dev, 0, RTN_UNICAST, true, 0,
			 res.fi->gw, &res.fi->rth_input);
	goto set_dst;

brd_input:
	if (skb->protocol != ETH_P_IP) {
		kp_drop_detail(net, SKB_DROP_REASON_INVALID_PROTO,
			       "broadcast route for a non-IP packet");
		return SKB_DROP_REASON_INVALID_PROTO;
	}
	if (!ipv4_is_zeronet(saddr) &&
	    inet_addr_type(net, saddr) == RTN_LOCAL)
		goto martian_source;
	flags |= RTCF_BROADCAST | RTCF_LOCAL;
	type = RTN_BROADCAST;
	fib->in_brd++;

local_input:
	rth = rt_dst_get(net, rt_dev, flags, type, true, error, 0,
			 res.fi ? &res.fi->rth_input : NULL);
	goto set_dst;

no_route:
	fib->in_no_route++;
	type = RTN_UNREACHABLE;
	error = (short)-err;
	flags = 0;
	goto local_input;

set_dst:
	if (!rth) {
		kp_drop_detail(net, SKB_DROP_REASON_NOMEM, "rt_dst_alloc");
		return SKB_DROP_REASON_NOMEM;
	}
	rth->rt_iif = dev->ifindex;
	skb_dst_set_noref(skb, &rth->dst);
	return SKB_DROP_REASON_NOT_DROPPED_YET;

martian_destination:
	fib->in_martian_dst++;
	kp_drop_detail(net, SKB_DROP_REASON_IP_INVALID_DEST,
		       "martian destination %u.%u.%u.%u",
		       ((uint8_t *)&daddr)[0], ((uint8_t *)&daddr)[1],
		       ((uint8_t *)&daddr)[2], ((uint8_t *)&daddr)[3]);
	return SKB_DROP_REASON_IP_INVALID_DEST;

martian_source:
	fib->in_martian_src++;
	kp_drop_detail(net, SKB_DROP_REASON_IP_INVALID_SOURCE,
		       "martian source %u.%u.%u.%u",
		       ((uint8_t *)&saddr)[0], ((uint8_t *)&saddr)[1],
		       ((uint8_t *)&saddr)[2], ((uint8_t *)&saddr)[3]);
	return SKB_DROP_REASON_IP_INVALID_SOURCE;
}

enum skb_drop_reason ip_route_input_noref(struct sk_buff *skb, uint32_t daddr,
					  uint32_t saddr, uint8_t tos,
					  struct net_device *dev)
{
	KP_FUNC(ip_route_input_noref, skb);

	if (ipv4_is_multicast(daddr)) {
		/* no multicast groups joined, no multicast routing */
		if (skb->net->fib)
			skb->net->fib->in_slow_mc++;
		kp_drop_detail(skb->net, SKB_DROP_REASON_NOT_SPECIFIED,
			       "multicast to a group not joined");
		return SKB_DROP_REASON_NOT_SPECIFIED;
	}
	return ip_route_input_slow(skb, daddr, saddr, tos, dev);
}

/* ip_route_output_key_hash_rcu, without multicast and VRFs. */
int kp_ip_route_output_key(struct net *net, struct flowi4 *fl4,
			   struct rtable **rtp)
{
	struct kp_fib *fib = kp_fib_get(net);
	struct net_device *dev_out = NULL;
	struct fib_result res = { 0 };
	unsigned int flags = 0;
	uint16_t type = RTN_UNICAST;
	uint32_t gw = 0;
	int err;

	*rtp = NULL;
	if (!fib)
		return -ENOMEM;
	fib->out_slow_tot++;
	if (fl4->saddr) {
		if (ipv4_is_multicast(fl4->saddr) ||
		    ipv4_is_lbcast(fl4->saddr) || ipv4_is_zeronet(fl4->saddr))
			return -EINVAL;
		if (inet_addr_type(net, fl4->saddr) != RTN_LOCAL)
			return -EINVAL;
	}
	if (fl4->flowi4_oif) {
		dev_out = dev_get_by_index(net, fl4->flowi4_oif);
		if (!dev_out)
			return -ENODEV;
		if (!__in_dev_get_rcu(dev_out))
			return -ENETUNREACH;
		if (ipv4_is_lbcast(fl4->daddr)) {
			if (!fl4->saddr)
				fl4->saddr = inet_select_addr(dev_out, 0,
							      RT_SCOPE_LINK);
			type = RTN_BROADCAST;
			goto make_route;
		}
	}
	if (!fl4->daddr) {
		fl4->daddr = fl4->saddr;
		if (!fl4->daddr)
			fl4->daddr = fl4->saddr = htonl(INADDR_LOOPBACK);
		dev_out = net->loopback_dev;
		type = RTN_LOCAL;
		goto make_route;
	}
	err = fib_lookup(net, fl4, &res);
	if (err) {
		if (fl4->flowi4_oif && dev_out) {
			/* no route but an interface: assume on-link */
			if (!fl4->saddr)
				fl4->saddr = inet_select_addr(dev_out, 0,
							      RT_SCOPE_LINK);
			type = RTN_UNICAST;
			goto make_route;
		}
		return err == -EAGAIN ? -ENETUNREACH : err;
	}
	type = res.type;
	if (type == RTN_LOCAL) {
		if (!fl4->saddr)
			fl4->saddr = res.fi->prefsrc ? res.fi->prefsrc :
						       fl4->daddr;
		dev_out = net->loopback_dev ? net->loopback_dev : res.fi->dev;
		goto make_route;
	}
	dev_out = res.fi->dev;
	gw = res.fi->gw;
	if (!fl4->saddr)
		fl4->saddr = res.fi->prefsrc ?
				     res.fi->prefsrc :
				     inet_select_addr(dev_out,
						      gw ? gw : fl4->daddr,
						      RT_SCOPE_LINK);

make_route:
	if (!dev_out)
		return -ENETUNREACH;
	if (ipv4_is_lbcast(fl4->daddr))
		type = RTN_BROADCAST;
	if (type == RTN_BROADCAST)
		flags |= RTCF_BROADCAST | RTCF_LOCAL;
	else if (type == RTN_LOCAL)
		flags |= RTCF_LOCAL;
	*rtp = rt_dst_get(net, dev_out, flags, type, false, 0, gw,
			  res.fi ? &res.fi->rth_output : NULL);
	return *rtp ? 0 : -ENOMEM;
}

int ip_route_output_ports(struct net *net, struct flowi4 *fl4,
			  const struct sock *sk, uint32_t daddr,
			  uint32_t saddr, uint16_t dport, uint16_t sport,
			  uint8_t proto, uint8_t tos, int oif,
			  struct rtable **rtp)
{
	KP_FUNC_ARG(ip_route_output_ports, KP_NOOBJ, proto);
	int err;

	(void)sk;
	/* flowi4_init_output */
	memset(fl4, 0, sizeof(*fl4));
	fl4->flowi4_oif = oif;
	fl4->flowi4_tos = tos & IPTOS_TOS_MASK;
	fl4->flowi4_scope = RT_SCOPE_UNIVERSE;
	fl4->flowi4_proto = proto;
	fl4->daddr = daddr;
	fl4->saddr = saddr;
	fl4->fl4_dport = dport;
	fl4->fl4_sport = sport;
	err = kp_ip_route_output_key(net, fl4, rtp);
	if (err == -ENETUNREACH)
		__IP_INC_STATS(net, OutNoRoutes);
	return err;
}

uint32_t rt_nexthop(const struct rtable *rt, uint32_t daddr)
{
	KP_FUNC(rt_nexthop, KP_NOOBJ);
	if (rt->rt_gateway)
		return rt->rt_gateway;
	return daddr;
}

unsigned int dst_mtu(const struct dst_entry *dst)
{
	const struct rtable *rt = (const struct rtable *)dst;
	unsigned int mtu = dst->dev ? dst->dev->mtu : ETH_DATA_LEN;

	if (rt->rt_pmtu && rt->rt_pmtu < mtu)
		mtu = rt->rt_pmtu;
	return mtu;
}
