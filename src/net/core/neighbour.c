/*
 * neighbour.c - the neighbour layer's state machine (net/core/neighbour.c).
 *
 * An entry starts NONE; the first packet makes it INCOMPLETE (queued on
 * arp_queue, a solicitation sent every retrans_time, mcast_solicit of
 * them before FAILED, which drops the queue with NEIGH_FAILED).  A reply
 * makes it REACHABLE and releases the queue through n->output; after
 * reachable_time without confirmation it goes STALE; a packet through a
 * STALE entry moves it to DELAY, delay_first_probe_time later to PROBE
 * (unicast solicitations), then REACHABLE again or FAILED.
 *
 * Leaves out: garbage collection (neigh_periodic_work, gc_thresh*),
 * proxy queues, NTF_ROUTER, netlink events, refcounts (entries live until
 * flushed or the stack is freed), the per-neighbour seqlock.
 */
#include "neighbour.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/eventq.h"
#include "engine/probe.h"
#include "engine/world.h"
#include "net/core/net_namespace.h"
#include "net/ethernet/eth.h"
#include "sched/host.h"

static struct kp_world *tbl_world(const struct neigh_table *tbl)
{
	return tbl->net->host->world;
}

unsigned long neigh_retrans_time(const struct net *net)
{
	return msecs_to_jiffies((unsigned int)net->sysctl.neigh_retrans_time_ms);
}

static unsigned long neigh_delay_probe_time(const struct net *net)
{
	return (unsigned long)net->sysctl.neigh_delay_first_probe_time * HZ;
}

/* neigh_rand_reach_time: uniform in [base/2, 3*base/2), re-drawn every
 * 300 s like neigh_periodic_work does; from the world's PRNG. */
unsigned long neigh_reachable_time(struct neigh_table *tbl)
{
	unsigned long base = msecs_to_jiffies(
		(unsigned int)tbl->net->sysctl.neigh_base_reachable_time_ms);
	unsigned long now = jiffies;

	if (!tbl->reachable_time || now - tbl->last_rand >= 300ul * HZ) {
		tbl->last_rand = now;
		tbl->reachable_time =
			base ? (base >> 1) + kp_prng_below(&tbl_world(tbl)->prng,
							   base)
			     : 0;
	}
	return tbl->reachable_time;
}

void neigh_table_init(struct net *net, struct neigh_table *tbl, int family,
		      const char *id, int (*constructor)(struct neighbour *))
{
	memset(tbl, 0, sizeof(*tbl));
	tbl->family = family;
	tbl->id = id;
	tbl->net = net;
	tbl->constructor = constructor;
	INIT_LIST_HEAD(&tbl->entries);
}

static void neigh_del_timer(struct neighbour *n)
{
	if (timer_pending(&n->timer))
		del_timer(&n->timer);
}

static void neigh_add_timer(struct neighbour *n, unsigned long when)
{
	mod_timer(&n->timer, when);
}

/* Drop what waits on arp_queue (neigh_invalidate / __skb_queue_purge). */
static void neigh_purge_queue(struct neighbour *n, enum skb_drop_reason r)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(&n->arp_queue)) != NULL)
		kfree_skb_reason(skb, r);
	n->arp_queue_len_bytes = 0;
}

/* Free @n.  On a CPU (flush) through del_timer and kfree_skb; at stack
 * teardown (@on_cpu false) without probes: the timer's event is
 * cancelled and the queued skbs are left to kp_skb_free_all. */
static void neigh_destroy(struct neighbour *n, bool on_cpu)
{
	n->dead = 1;
	if (on_cpu) {
		neigh_del_timer(n);
		neigh_purge_queue(n, SKB_DROP_REASON_NEIGH_DEAD);
	} else if (n->timer.pending) {
		kp_eventq_cancel(&n->timer.base->v.world->events,
				 &n->timer.event);
		list_del_init(&n->timer.entry);
		n->timer.pending = false;
	}
	list_del(&n->list);
	n->tbl->entries_count--;
	n->tbl->stats.destroys++;
	free(n);
}

void neigh_table_clear(struct neigh_table *tbl)
{
	struct neighbour *n, *tmp;

	list_for_each_entry_safe(n, tmp, &tbl->entries, list)
		neigh_destroy(n, false);
}

struct neighbour *neigh_lookup(struct neigh_table *tbl, uint32_t key,
			       const struct net_device *dev)
{
	struct neighbour *n;

	tbl->stats.lookups++;
	list_for_each_entry(n, &tbl->entries, list) {
		if (n->primary_key == key && n->dev == dev) {
			tbl->stats.hits++;
			return n;
		}
	}
	return NULL;
}

static void neigh_timer_handler(unsigned long data);

struct neighbour *__neigh_create(struct neigh_table *tbl, uint32_t key,
				 struct net_device *dev, bool want_ref)
{
	KP_FUNC(__neigh_create, dev);
	struct neighbour *n;

	(void)want_ref;
	list_for_each_entry(n, &tbl->entries, list)
		if (n->primary_key == key && n->dev == dev)
			return n; /* someone created it first */
	n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	kp_obj_assign(&tbl_world(tbl)->ids, &n->kp, KP_OBJ_NEIGH);
	n->tbl = tbl;
	n->dev = dev;
	n->primary_key = key;
	n->nud_state = NUD_NONE;
	n->output = neigh_blackhole;
	n->updated = n->used = jiffies;
	__skb_queue_head_init(&n->arp_queue);
	setup_timer(&n->timer, neigh_timer_handler, (unsigned long)n);
	if (tbl->constructor && tbl->constructor(n) < 0) {
		free(n);
		return NULL;
	}
	/* confirmed in the past so a new entry is not taken as reachable */
	n->confirmed = jiffies - (neigh_reachable_time(tbl) << 1);
	list_add_tail(&n->list, &tbl->entries);
	tbl->entries_count++;
	tbl->stats.allocs++;
	return n;
}

struct neighbour *__neigh_lookup(struct neigh_table *tbl, uint32_t key,
				 struct net_device *dev, bool creat)
{
	struct neighbour *n = neigh_lookup(tbl, key, dev);

	if (n || !creat)
		return n;
	return __neigh_create(tbl, key, dev, true);
}

/* neigh_probe: one solicitation, about the newest queued packet. */
static void neigh_probe(struct neighbour *n)
{
	struct sk_buff *skb = skb_peek_tail(&n->arp_queue);

	if (n->ops && n->ops->solicit)
		n->ops->solicit(n, skb);
	n->probes++;
}

static int neigh_max_probes(const struct neighbour *n)
{
	const struct net *net = n->tbl->net;
	long max = net->sysctl.neigh_ucast_solicit +
		   net->sysctl.neigh_app_solicit;

	if (!(n->nud_state & NUD_PROBE))
		max += net->sysctl.neigh_mcast_solicit;
	return (int)max;
}

/* Resolution failed: report and drop everything queued. */
static void neigh_invalidate(struct neighbour *n)
{
	struct sk_buff *skb;

	n->tbl->stats.res_failed++;
	while ((skb = __skb_dequeue(&n->arp_queue)) != NULL) {
		if (n->ops && n->ops->error_report)
			n->ops->error_report(n, skb);
		kp_drop_detail(n->tbl->net, SKB_DROP_REASON_NEIGH_FAILED,
			       "no ARP reply from %u.%u.%u.%u",
			       ((uint8_t *)&n->primary_key)[0],
			       ((uint8_t *)&n->primary_key)[1],
			       ((uint8_t *)&n->primary_key)[2],
			       ((uint8_t *)&n->primary_key)[3]);
		kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_FAILED);
	}
	n->arp_queue_len_bytes = 0;
}

static void neigh_suspect(struct neighbour *n)
{
	n->output = n->ops->output;
}

static void neigh_connect(struct neighbour *n)
{
	n->output = n->ops->connected_output;
}

static void neigh_timer_handler(unsigned long data)
{
	struct neighbour *n = (struct neighbour *)data;
	KP_FUNC_ARG(neigh_timer_handler, n, n->nud_state);
	struct net *net = n->tbl->net;
	unsigned long now = jiffies, next = now + HZ;
	uint8_t state = n->nud_state;

	if (!(state & NUD_IN_TIMER) || n->dead)
		return;
	if (state & NUD_REACHABLE) {
		unsigned long reach = neigh_reachable_time(n->tbl);
		if ((long)(now - (n->confirmed + reach)) <= 0) {
			next = n->confirmed + reach;
		} else if ((long)(now - (n->used +
					 neigh_delay_probe_time(net))) <= 0) {
			n->nud_state = NUD_DELAY;
			n->updated = now;
			neigh_suspect(n);
			next = now + neigh_delay_probe_time(net);
		} else {
			n->nud_state = NUD_STALE;
			n->updated = now;
			neigh_suspect(n);
		}
	} else if (state & NUD_DELAY) {
		if ((long)(now - (n->confirmed +
				  neigh_delay_probe_time(net))) <= 0) {
			n->nud_state = NUD_REACHABLE;
			n->updated = now;
			neigh_connect(n);
			next = n->confirmed + neigh_reachable_time(n->tbl);
		} else {
			n->nud_state = NUD_PROBE;
			n->updated = now;
			n->probes = 0;
			next = now + neigh_retrans_time(net);
		}
	} else {
		/* NUD_PROBE | NUD_INCOMPLETE */
		next = now + neigh_retrans_time(net);
	}

	if ((n->nud_state & (NUD_INCOMPLETE | NUD_PROBE)) &&
	    n->probes >= neigh_max_probes(n)) {
		/* output stays neigh_resolve_output: the next packet starts
		 * a new resolution (__neigh_event_send) */
		n->nud_state = NUD_FAILED;
		n->updated = now;
		neigh_invalidate(n);
		return;
	}
	if (n->nud_state & NUD_IN_TIMER) {
		if ((long)(next - (now + HZ / 100)) < 0)
			next = now + HZ / 100;
		neigh_add_timer(n, next);
	}
	if (n->nud_state & (NUD_INCOMPLETE | NUD_PROBE))
		neigh_probe(n);
}

int __neigh_event_send(struct neighbour *n, struct sk_buff *skb)
{
	struct net *net = n->tbl->net;
	unsigned long now = jiffies;
	bool immediate_probe = false;
	int rc = 0;

	if (n->nud_state & (NUD_CONNECTED | NUD_DELAY | NUD_PROBE))
		return 0;
	if (n->dead) {
		if (skb) {
			kp_drop_detail(net, SKB_DROP_REASON_NEIGH_DEAD,
				       "neighbour entry removed");
			kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_DEAD);
		}
		return 1;
	}
	if (!(n->nud_state & (NUD_STALE | NUD_INCOMPLETE))) {
		if (net->sysctl.neigh_mcast_solicit +
		    net->sysctl.neigh_app_solicit) {
			n->probes = (int)net->sysctl.neigh_ucast_solicit;
			neigh_del_timer(n);
			n->nud_state = NUD_INCOMPLETE;
			n->updated = now;
			unsigned long rt = neigh_retrans_time(net);
			neigh_add_timer(n, now + (rt > HZ / 100 ? rt : HZ / 100));
			immediate_probe = true;
		} else {
			n->nud_state = NUD_FAILED;
			n->updated = now;
			if (skb) {
				kp_drop_detail(net, SKB_DROP_REASON_NEIGH_FAILED,
					       "mcast_solicit and app_solicit are 0");
				kfree_skb_reason(skb,
						 SKB_DROP_REASON_NEIGH_FAILED);
			}
			return 1;
		}
	} else if (n->nud_state & NUD_STALE) {
		neigh_del_timer(n);
		n->nud_state = NUD_DELAY;
		n->updated = now;
		neigh_add_timer(n, now + neigh_delay_probe_time(net));
	}

	if (n->nud_state == NUD_INCOMPLETE) {
		if (skb) {
			unsigned long limit =
				(unsigned long)net->sysctl.neigh_unres_qlen_bytes;
			while (n->arp_queue_len_bytes + skb->truesize > limit) {
				struct sk_buff *buff =
					__skb_dequeue(&n->arp_queue);
				if (!buff)
					break;
				n->arp_queue_len_bytes -= buff->truesize;
				n->tbl->stats.unres_discards++;
				kp_drop_detail(net, SKB_DROP_REASON_NEIGH_QUEUEFULL,
					       "arp_queue over unres_qlen_bytes");
				kfree_skb_reason(buff,
						 SKB_DROP_REASON_NEIGH_QUEUEFULL);
			}
			if (n->arp_queue_len_bytes + skb->truesize > limit) {
				/* alone bigger than the limit */
				n->tbl->stats.unres_discards++;
				kp_drop_detail(net, SKB_DROP_REASON_NEIGH_QUEUEFULL,
					       "packet over unres_qlen_bytes");
				kfree_skb_reason(skb,
						 SKB_DROP_REASON_NEIGH_QUEUEFULL);
			} else {
				kp_skb_where(skb, "arp_queue", n->kp.id);
				__skb_queue_tail(&n->arp_queue, skb);
				n->arp_queue_len_bytes += skb->truesize;
			}
		}
		rc = 1;
	}
	if (immediate_probe)
		neigh_probe(n);
	return rc;
}

int neigh_update(struct neighbour *n, const unsigned char *lladdr,
		 uint8_t new, uint32_t flags)
{
	KP_FUNC_ARG(neigh_update, n, new);
	uint8_t old = n->nud_state;
	unsigned long now = jiffies;
	struct net_device *dev = n->dev;

	if (!(flags & NEIGH_UPDATE_F_ADMIN) &&
	    (old & (NUD_NOARP | NUD_PERMANENT)))
		return -EPERM;
	if (n->dead)
		return -ENOENT;

	if (!(new & NUD_VALID)) {
		neigh_del_timer(n);
		if (old & NUD_CONNECTED)
			neigh_suspect(n);
		n->nud_state = new;
		n->updated = now;
		if ((old & (NUD_INCOMPLETE | NUD_PROBE)) && new == NUD_FAILED)
			neigh_invalidate(n);
		return 0;
	}

	/* Compare new lladdr with the cached one */
	if (!lladdr) {
		if (!(old & NUD_VALID))
			return -EINVAL; /* nothing to resolve to */
		lladdr = n->ha;
	} else if ((old & NUD_VALID) && !memcmp(lladdr, n->ha, ETH_ALEN)) {
		lladdr = n->ha;
	}

	if (new & NUD_CONNECTED)
		n->confirmed = now;

	if (old & NUD_VALID) {
		if (lladdr != n->ha && !(flags & NEIGH_UPDATE_F_OVERRIDE)) {
			/* a different address without override: keep ours,
			 * but doubt it */
			if (old & NUD_CONNECTED) {
				lladdr = n->ha;
				new = NUD_STALE;
			} else {
				return 0;
			}
		} else if (lladdr == n->ha && new == NUD_STALE &&
			   !(flags & NEIGH_UPDATE_F_ADMIN)) {
			new = old; /* same address: nothing learned */
		}
	}

	if (new != old) {
		neigh_del_timer(n);
		if (new & NUD_PROBE)
			n->probes = 0;
		if (new & NUD_IN_TIMER)
			neigh_add_timer(n, now + ((new & NUD_REACHABLE) ?
							  neigh_reachable_time(
								  n->tbl) :
							  0));
		n->nud_state = new;
		n->updated = now;
	}
	if (lladdr != n->ha) {
		memcpy(n->ha, lladdr, ETH_ALEN);
		n->updated = now;
		n->hh.hh_len = 0; /* header changed: rebuild the cache */
		if (!(new & NUD_CONNECTED))
			n->confirmed = now - (neigh_reachable_time(n->tbl) << 1);
	}
	if (new == old)
		return 0;
	if (new & NUD_CONNECTED)
		neigh_connect(n);
	else
		neigh_suspect(n);

	if (!(old & NUD_VALID)) {
		/* resolved: send what waited */
		struct sk_buff *skb;
		while ((new & NUD_VALID) &&
		       (skb = __skb_dequeue(&n->arp_queue)) != NULL) {
			n->arp_queue_len_bytes -= skb->truesize;
			n->output(n, skb);
		}
		neigh_purge_queue(n, SKB_DROP_REASON_NEIGH_DEAD);
	}
	(void)dev;
	return 0;
}

struct neighbour *neigh_event_ns(struct neigh_table *tbl,
				 const unsigned char *lladdr, uint32_t key,
				 struct net_device *dev)
{
	struct neighbour *n = __neigh_lookup(tbl, key, dev, lladdr || !dev->addr_len);

	if (n)
		neigh_update(n, lladdr, NUD_STALE, NEIGH_UPDATE_F_OVERRIDE);
	return n;
}

/* neigh_hh_init: cache the header once the neighbour is resolved. */
static void neigh_hh_init(struct neighbour *n, uint16_t type)
{
	if (!n->hh.hh_len && dev_has_header(n->dev))
		eth_header_cache(n->dev, n->ha, &n->hh, type);
}

int neigh_resolve_output(struct neighbour *n, struct sk_buff *skb)
{
	KP_FUNC(neigh_resolve_output, skb);
	struct net_device *dev = n->dev;

	if (neigh_event_send(n, skb))
		return 0; /* queued (or dropped) until resolved */
	neigh_hh_init(n, skb->protocol);
	if (dev_hard_header(skb, dev, skb->protocol, n->ha, NULL, skb->len) <
	    0) {
		kp_drop_detail(n->tbl->net, SKB_DROP_REASON_NOT_SPECIFIED,
			       "dev_hard_header failed");
		kfree_skb(skb);
		return -EINVAL;
	}
	return dev_queue_xmit(skb);
}

int neigh_connected_output(struct neighbour *n, struct sk_buff *skb)
{
	if (dev_hard_header(skb, n->dev, skb->protocol, n->ha, NULL,
			    skb->len) < 0) {
		kfree_skb(skb);
		return -EINVAL;
	}
	return dev_queue_xmit(skb);
}

int neigh_direct_output(struct neighbour *n, struct sk_buff *skb)
{
	(void)n;
	return dev_queue_xmit(skb);
}

int neigh_blackhole(struct neighbour *n, struct sk_buff *skb)
{
	kp_drop_detail(n->tbl->net, SKB_DROP_REASON_NEIGH_FAILED,
		       "neighbour in state %s",
		       neigh_state_name(n->nud_state));
	kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_FAILED);
	return -ENETDOWN;
}

int neigh_hh_output(const struct hh_cache *hh, struct sk_buff *skb)
{
	unsigned char *h = skb_push(skb, hh->hh_len);

	memcpy(h, hh->hh_data + sizeof(hh->hh_data) - hh->hh_len, hh->hh_len);
	return dev_queue_xmit(skb);
}

int dst_neigh_output(struct dst_entry *dst, struct neighbour *n,
		     struct sk_buff *skb)
{
	KP_FUNC(dst_neigh_output, skb);
	(void)dst;
	n->used = jiffies;
	if ((n->nud_state & NUD_CONNECTED) && n->hh.hh_len)
		return neigh_hh_output(&n->hh, skb);
	return n->output(n, skb);
}

int neigh_flush_dev(struct neigh_table *tbl, struct net_device *dev)
{
	struct neighbour *n, *tmp;
	int count = 0;

	list_for_each_entry_safe(n, tmp, &tbl->entries, list) {
		if (dev && n->dev != dev)
			continue;
		if (n->nud_state & (NUD_PERMANENT | NUD_NOARP))
			continue;
		neigh_destroy(n, true);
		count++;
	}
	return count;
}

const char *neigh_state_name(uint8_t s)
{
	switch (s) {
	case NUD_NONE: return "NONE";
	case NUD_INCOMPLETE: return "INCOMPLETE";
	case NUD_REACHABLE: return "REACHABLE";
	case NUD_STALE: return "STALE";
	case NUD_DELAY: return "DELAY";
	case NUD_PROBE: return "PROBE";
	case NUD_FAILED: return "FAILED";
	case NUD_NOARP: return "NOARP";
	case NUD_PERMANENT: return "PERMANENT";
	}
	return "UNKNOWN";
}
