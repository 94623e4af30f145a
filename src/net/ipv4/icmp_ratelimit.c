/*
 * icmp_ratelimit.c - how often a stack may send ICMP (net/ipv4/icmp.c,
 * with inet_peer's token bucket from net/ipv4/inetpeer.c).  Current
 * Linux's limits: the host-wide token bucket icmp_global_allow
 * (icmp_msgs_per_sec, icmp_msgs_burst, a random 0-2 credits consumed per
 * message; OutRateLimitGlobal) and the per-destination inet_peer bucket
 * icmpv4_xrlim_allow (icmp_ratelimit ms, burst 6; OutRateLimitHost),
 * both only for types in icmp_ratemask, never for PMTU discovery's
 * "fragmentation needed" nor towards loopback.
 *
 * Leaves out: the inet_peer tree and its garbage collection (a list per
 * stack, freed with the stack).
 */
#include "icmp.h"

#include <stdlib.h>

#include "engine/prng.h"
#include "engine/world.h"
#include "icmp_priv.h"
#include "net/core/net_namespace.h"
#include "net/core/netdevice.h"
#include "route.h"
#include "sched/timer.h"

#define XRLIM_BURST_FACTOR 6
/* Linux's jiffies start 5 minutes before wrapping; the buckets compare
 * against stamps that start at 0, so kpath counts from there too. */
#define INITIAL_JIFFIES ((unsigned long)(unsigned int)(-300 * HZ))

static unsigned long icmp_jiffies(void)
{
	return jiffies + INITIAL_JIFFIES;
}

struct inet_peer *inet_getpeer_v4(struct net *net, uint32_t daddr,
				  int create)
{
	struct inet_peer *p;
	list_for_each_entry(p, &net->icmp->peers, list)
		if (p->daddr == daddr)
			return p;
	if (!create)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->daddr = daddr;
	p->rate_tokens = 0;
	/* 60*HZ is arbitrary, but chosen enough high so that the first
	 * calculation of tokens is at its maximum. */
	p->rate_last = icmp_jiffies() - 60 * HZ;
	list_add_tail(&p->list, &net->icmp->peers);
	return p;
}

bool inet_peer_xrlim_allow(struct inet_peer *peer, int timeout)
{
	unsigned long now, token, delta;
	bool rc = false;

	if (!peer)
		return true;
	token = peer->rate_tokens;
	now = icmp_jiffies();
	delta = now - peer->rate_last;
	if (delta) {
		peer->rate_last = now;
		token += delta;
		if (token > XRLIM_BURST_FACTOR * (unsigned long)timeout)
			token = XRLIM_BURST_FACTOR * (unsigned long)timeout;
	}
	if (token >= (unsigned long)timeout) {
		token -= (unsigned long)timeout;
		rc = true;
	}
	peer->rate_tokens = token;
	return rc;
}

bool icmp_global_allow(struct net *net)
{
	struct kp_icmp_net *in = net->icmp;
	uint32_t delta, now, oldstamp;
	int incr;

	if (in->icmp_global_credit > 0)
		return true;
	now = (uint32_t)icmp_jiffies();
	oldstamp = in->icmp_global_stamp;
	delta = now - oldstamp < HZ ? now - oldstamp : HZ;
	if (delta < HZ / 50)
		return false;
	incr = (int)((long)net->sysctl.icmp_msgs_per_sec * delta / HZ);
	if (!incr)
		return false;
	in->icmp_global_stamp = now;
	in->icmp_global_credit += incr;
	if (in->icmp_global_credit > (int)net->sysctl.icmp_msgs_burst)
		in->icmp_global_credit = (int)net->sysctl.icmp_msgs_burst;
	return true;
}

/* One credit in average, random for security reasons (this can make the
 * credit negative, as in Linux). */
static void icmp_global_consume(struct net *net)
{
	int credits = (int)kp_prng_below(&kp_current_world()->prng, 3);
	if (credits)
		net->icmp->icmp_global_credit -= credits;
}

static bool icmpv4_mask_allow(struct net *net, int type, int code)
{
	if (type > NR_ICMP_TYPES)
		return true;
	/* Don't limit PMTU discovery. */
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED)
		return true;
	/* Limit if icmp type is enabled in ratemask. */
	if (!((1 << type) & net->sysctl.icmp_ratemask))
		return true;
	return false;
}

bool icmpv4_global_allow(struct net *net, int type, int code,
			 bool *apply_ratelimit)
{
	if (icmpv4_mask_allow(net, type, code))
		return true;
	if (icmp_global_allow(net)) {
		*apply_ratelimit = true;
		return true;
	}
	__ICMP_INC_STATS(net, OutRateLimitGlobal);
	return false;
}

bool icmpv4_xrlim_allow(struct net *net, struct rtable *rt,
			struct flowi4 *fl4, int type, int code,
			bool apply_ratelimit)
{
	struct net_device *dev = rt->dst.dev;
	int peer_timeout;
	bool rc = true;
	(void)type;
	(void)code;

	if (!apply_ratelimit)
		return true;
	/* icmp_ratelimit is in ms; HZ = 1000 makes that jiffies */
	peer_timeout = (int)msecs_to_jiffies(
		(unsigned int)net->sysctl.icmp_ratelimit);
	if (peer_timeout && !(dev && (dev->flags & IFF_LOOPBACK))) {
		struct inet_peer *peer = inet_getpeer_v4(net, fl4->daddr, 1);
		rc = inet_peer_xrlim_allow(peer, peer_timeout);
	}
	if (!rc)
		__ICMP_INC_STATS(net, OutRateLimitHost);
	else
		icmp_global_consume(net);
	return rc;
}
