/*
 * ip_fragment.c - IPv4 reassembly (net/ipv4/ip_fragment.c,
 * net/ipv4/inet_fragment.c).
 *
 * ip_defrag finds (or makes) the queue of (saddr, daddr, id, protocol,
 * user), ip_frag_queue places the fragment by offset - an exact or
 * contained repeat is a duplicate (DUP_FRAG), a partial overlap kills the
 * whole queue (ReasmOverlaps, ReasmFails), as Linux does since 4.19 -
 * and once the first and last fragments and every byte between are in,
 * ip_frag_reasm builds the datagram.  A queue not complete within
 * ipfrag_time seconds expires (ip_expire: ReasmTimeout, ReasmFails,
 * FRAG_REASM_TIMEOUT).  Memory is the sum of the queued skbs' truesize;
 * above ipfrag_high_thresh new fragments are refused (ReasmFails).
 *
 * Departures: the datagram is a new linear skb (the payload is copied,
 * and counted) handed back through ip_defrag's skb pointer, where Linux
 * chains the fragments on the head's frag_list; queues are a list in
 * creation order, not an rhashtable; no ipfrag_max_dist (inet_peer), no
 * eviction down to ipfrag_low_thresh.  ip_expire sends ICMP time
 * exceeded (icmp_send) when the first fragment had arrived.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "net/ipv4/icmp.h"
#include "net/ipv4/route.h"
#include "ip.h"
#include "net/core/net_namespace.h"
#include "sched/sched.h"
#include "sched/timer.h"
#include "engine/world.h"

#define INET_FRAG_FIRST_IN 0x01
#define INET_FRAG_LAST_IN 0x02
#define INET_FRAG_COMPLETE 0x04

struct ipq {
	struct kp_obj kp;           /* not assigned an id; for probes */
	struct list_head list;      /* on frags->queues */
	struct net *net;
	uint32_t saddr, daddr;
	uint16_t id;
	uint8_t protocol;
	uint32_t user;
	uint8_t flags;              /* INET_FRAG_* */
	int len;                    /* datagram payload length, once known */
	int meat;                   /* payload bytes received */
	unsigned int mem;           /* truesize of the queued skbs */
	struct sk_buff_head fragments; /* by offset */
	struct timer_list timer;
	int iif;
	struct net_device *dev;
	unsigned int ihl;           /* of the first fragment */
	unsigned char hdr[60];      /* the first fragment's IP header */
};

struct kp_inet_frags {
	struct list_head queues;    /* struct ipq, oldest first */
	unsigned long mem;
	unsigned int nqueues;
};

/* skb->cb of a queued fragment: after the IP control block */
struct ipfrag_skb_cb {
	struct inet_skb_parm h;
	int offset;
};
#define FRAG_CB(skb) ((struct ipfrag_skb_cb *)((skb)->cb))

static void ipq_free(struct kp_inet_frags *f, struct ipq *q,
		     enum skb_drop_reason reason, bool on_cpu)
{
	struct sk_buff *skb;

	list_del(&q->list);
	f->nqueues--;
	f->mem -= q->mem;
	if (on_cpu) {
		if (timer_pending(&q->timer))
			del_timer(&q->timer);
		while ((skb = __skb_dequeue(&q->fragments)))
			kfree_skb_reason(skb, reason);
	} else if (q->timer.pending) {
		/* teardown: what detach_timer does, without the probe */
		kp_eventq_cancel(&q->timer.base->v.world->events,
				 &q->timer.event);
		list_del_init(&q->timer.entry);
	}
	free(q);
}

static void ipfrag_exit(struct net *net)
{
	struct kp_inet_frags *f = net->ipv4_frags;
	struct ipq *q, *n;

	if (!f)
		return;
	/* the skbs are freed with the stack's other live skbs */
	list_for_each_entry_safe(q, n, &f->queues, list)
		ipq_free(f, q, SKB_DROP_REASON_NOT_SPECIFIED, false);
	free(f);
	net->ipv4_frags = NULL;
}

int kp_ipfrag_init(struct net *net)
{
	struct kp_inet_frags *f;

	if (net->ipv4_frags)
		return 0;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	INIT_LIST_HEAD(&f->queues);
	if (kp_net_register_exit(net, ipfrag_exit)) {
		free(f);
		return -ENOMEM;
	}
	net->ipv4_frags = f;
	return 0;
}

/* inet_frag_kill + ipq_put: the queue is done with. */
static void ipq_kill(struct ipq *q, enum skb_drop_reason reason)
{
	ipq_free(q->net->ipv4_frags, q, reason, true);
}

/* ip_expire: the queue's timer ran out. */
static void ip_expire(unsigned long data)
{
	struct ipq *q = (struct ipq *)data;
	KP_FUNC_ARG(ip_expire, KP_NOOBJ, q->id);
	struct net *net = q->net;

	if (q->flags & INET_FRAG_COMPLETE)
		return;
	__IP_INC_STATS(net, ReasmFails);
	__IP_INC_STATS(net, ReasmTimeout);
	/* Don't send error if the first segment did not arrive; only an
	 * end host sends "Fragment Reassembly Timeout" (RFC 792). */
	if (q->flags & INET_FRAG_FIRST_IN) {
		struct sk_buff *head = skb_peek(&q->fragments);
		if (head && skb_rtable(head) &&
		    skb_rtable(head)->rt_type == RTN_LOCAL)
			icmp_send(head, ICMP_TIME_EXCEEDED, ICMP_EXC_FRAGTIME,
				  0);
	}
	kp_drop_detail(net, SKB_DROP_REASON_FRAG_REASM_TIMEOUT,
		       "id %u: %d of %d bytes after %ld s", ntohs(q->id),
		       q->meat, q->len, net->sysctl.ipfrag_time);
	ipq_kill(q, SKB_DROP_REASON_FRAG_REASM_TIMEOUT);
}

/* ip_find / inet_frag_find: the queue of this datagram, made if new. */
static struct ipq *ip_find(struct net *net, const struct iphdr *iph,
			   uint32_t user)
{
	struct kp_inet_frags *f = net->ipv4_frags;
	struct ipq *q;

	list_for_each_entry(q, &f->queues, list) {
		if (q->saddr == iph->saddr && q->daddr == iph->daddr &&
		    q->id == iph->id && q->protocol == iph->protocol &&
		    q->user == user)
			return q;
	}
	if (!net->sysctl.ipfrag_high_thresh ||
	    f->mem > (unsigned long)net->sysctl.ipfrag_high_thresh)
		return NULL;
	q = calloc(1, sizeof(*q));
	if (!q)
		return NULL;
	q->net = net;
	q->saddr = iph->saddr;
	q->daddr = iph->daddr;
	q->id = iph->id;
	q->protocol = iph->protocol;
	q->user = user;
	skb_queue_head_init(&q->fragments);
	setup_timer(&q->timer, ip_expire, (unsigned long)q);
	mod_timer(&q->timer,
		  jiffies + (unsigned long)net->sysctl.ipfrag_time * HZ);
	list_add_tail(&q->list, &f->queues);
	f->nqueues++;
	return q;
}

/* ip_frag_reasm: every byte is in; build the datagram. */
static int ip_frag_reasm(struct ipq *q, struct sk_buff **pskb)
{
	KP_FUNC_ARG(ip_frag_reasm, KP_NOOBJ, q->len);
	struct net *net = q->net;
	struct sk_buff *head, *frag;
	struct iphdr *iph;
	unsigned int total = q->ihl + (unsigned int)q->len;

	if (total > IP_MAX_MTU) {
		kp_drop_detail(net, SKB_DROP_REASON_PKT_TOO_BIG,
			       "reassembled datagram of %u bytes", total);
		goto out_fail;
	}
	head = alloc_skb(net, total + NET_SKB_PAD);
	if (!head)
		goto out_fail;
	skb_reserve(head, NET_SKB_PAD);
	skb_reset_network_header(head);
	memcpy(skb_put(head, q->ihl), q->hdr, q->ihl);
	skb_put(head, (unsigned int)q->len);
	skb_queue_walk(&q->fragments, frag) {
		skb_copy_bits(frag, 0, head->data + q->ihl + FRAG_CB(frag)->offset,
			      (int)frag->len);
	}
	net->skb.bytes_copied += (uint64_t)q->len;
	frag = skb_peek_tail(&q->fragments);
	head->dev = q->dev;
	head->skb_iif = q->iif;
	head->protocol = ETH_P_IP;
	head->pkt_type = PACKET_HOST;
	head->tstamp = frag->tstamp;
	head->_skb_refdst = frag->_skb_refdst;
	head->transport_header = (uint16_t)(head->network_header + q->ihl);
	iph = ip_hdr(head);
	iph->tot_len = htons((uint16_t)total);
	iph->frag_off = 0;
	ip_send_check(iph);
	memset(IPCB(head), 0, sizeof(struct inet_skb_parm));
	IPCB(head)->iif = q->iif;
	IPCB(head)->flags |= IPSKB_FRAG_COMPLETE;
	IPCB(head)->frag_max_size = (uint16_t)q->ihl; /* unused here */
	kp_skb_where(head, "reassembled", 0);

	__IP_INC_STATS(net, ReasmOKs);
	q->flags |= INET_FRAG_COMPLETE;
	/* the fragments' bytes now live in the datagram */
	{
		struct sk_buff *skb;
		struct kp_inet_frags *f = net->ipv4_frags;
		while ((skb = __skb_dequeue(&q->fragments)))
			consume_skb(skb);
		if (timer_pending(&q->timer))
			del_timer(&q->timer);
		list_del(&q->list);
		f->nqueues--;
		f->mem -= q->mem;
		free(q);
	}
	*pskb = head;
	return 0;

out_fail:
	__IP_INC_STATS(net, ReasmFails);
	ipq_kill(q, SKB_DROP_REASON_NOMEM);
	return -ENOMEM;
}

/* inet_frag_queue_insert: IPFRAG_OK, IPFRAG_DUP, IPFRAG_OVERLAP.  A
 * fragment inside a run of contiguous fragments is a duplicate. */
enum { IPFRAG_OK, IPFRAG_DUP, IPFRAG_OVERLAP };
static int frag_queue_insert(struct ipq *q, struct sk_buff *skb, int offset,
			     int end)
{
	struct sk_buff *cur, *prev = NULL;
	int run_start = -1, run_end = -1;

	skb_queue_walk(&q->fragments, cur) {
		int cs = FRAG_CB(cur)->offset, ce = cs + (int)cur->len;
		if (cs == run_end) {
			run_end = ce;
		} else {
			run_start = cs;
			run_end = ce;
		}
		if (offset >= run_start && end <= run_end)
			return IPFRAG_DUP;
		if (offset < ce && end > cs)
			return IPFRAG_OVERLAP;
		if (cs < offset)
			prev = cur;
	}
	FRAG_CB(skb)->offset = offset;
	if (prev)
		__skb_queue_after(&q->fragments, prev, skb);
	else
		__skb_queue_head(&q->fragments, skb);
	return IPFRAG_OK;
}

static int ip_frag_queue(struct ipq *q, struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	KP_FUNC(ip_frag_queue, skb);
	struct net *net = q->net;
	enum skb_drop_reason reason = SKB_DROP_REASON_NOT_SPECIFIED;
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int ihl = ip_hdrlen(skb);
	int flags, offset, end, err;

	if (q->flags & INET_FRAG_COMPLETE)
		goto drop;
	offset = ntohs(iph->frag_off);
	flags = offset & ~IP_OFFSET;
	offset = (offset & IP_OFFSET) << 3;
	end = offset + (int)(skb->len - (unsigned int)skb_network_offset(skb) -
			     ihl);

	if (!(flags & IP_MF)) {
		/* the last fragment: no bytes beyond it, one end only */
		if (end < q->len ||
		    ((q->flags & INET_FRAG_LAST_IN) && end != q->len)) {
			kp_drop_detail(net, reason,
				       "id %u: last fragment ends at %d, "
				       "datagram has %d", ntohs(q->id), end,
				       q->len);
			goto discard_qp;
		}
		q->flags |= INET_FRAG_LAST_IN;
		q->len = end;
	} else {
		if (end & 7)
			end &= ~7;
		if (end > q->len) {
			if (q->flags & INET_FRAG_LAST_IN) {
				kp_drop_detail(net, reason,
					       "id %u: fragment beyond the "
					       "last one", ntohs(q->id));
				goto discard_qp;
			}
			q->len = end;
		}
	}
	if (end == offset) {
		kp_drop_detail(net, reason, "id %u: empty fragment",
			       ntohs(q->id));
		goto discard_qp;
	}
	if (offset == 0) {
		q->ihl = ihl;
		memcpy(q->hdr, iph, ihl);
	}
	/* keep the payload only */
	skb_pull(skb, (unsigned int)skb_network_offset(skb) + ihl);
	if (pskb_trim_rcsum(skb, (unsigned int)(end - offset)))
		goto discard_qp;

	err = frag_queue_insert(q, skb, offset, end);
	if (err == IPFRAG_DUP) {
		reason = SKB_DROP_REASON_DUP_FRAG;
		kp_drop_detail(net, reason, "id %u: bytes %d-%d already in",
			       ntohs(q->id), offset, end);
		goto drop;
	}
	if (err == IPFRAG_OVERLAP) {
		__IPEXT_INC_STATS(net, ReasmOverlaps);
		kp_drop_detail(net, reason, "id %u: bytes %d-%d overlap",
			       ntohs(q->id), offset, end);
		goto discard_qp;
	}
	q->iif = skb->skb_iif;
	q->dev = skb->dev;
	q->meat += (int)skb->len;
	q->mem += skb->truesize;
	net->ipv4_frags->mem += skb->truesize;
	if (offset == 0)
		q->flags |= INET_FRAG_FIRST_IN;
	kp_skb_where(skb, "ipq fragments", ntohs(q->id));

	if (q->flags == (INET_FRAG_FIRST_IN | INET_FRAG_LAST_IN) &&
	    q->meat == q->len)
		return ip_frag_reasm(q, pskb);
	return -EINPROGRESS;

discard_qp:
	__IP_INC_STATS(net, ReasmFails);
	ipq_kill(q, SKB_DROP_REASON_NOT_SPECIFIED);
drop:
	kfree_skb_reason(skb, reason);
	return -EINVAL;
}

int ip_defrag(struct net *net, struct sk_buff **pskb, uint32_t user)
{
	KP_FUNC(ip_defrag, *pskb);
	struct ipq *q;

	__IP_INC_STATS(net, ReasmReqds);
	if (!net->ipv4_frags && kp_ipfrag_init(net))
		goto fail;
	q = ip_find(net, ip_hdr(*pskb), user);
	if (q)
		return ip_frag_queue(q, pskb);
fail:
	__IP_INC_STATS(net, ReasmFails);
	kp_drop_detail(net, SKB_DROP_REASON_NOT_SPECIFIED,
		       "reassembly memory above ipfrag_high_thresh");
	kfree_skb(*pskb);
	return -ENOMEM;
}
