/*
 * gro.c - Generic Receive Offload (net/core/dev.c in 3.10, net/core/gro.c
 * today; net/ipv4/af_inet.c inet_gro_receive, net/ipv4/tcp_offload.c
 * tcp_gro_receive).
 *
 * napi_gro_receive -> skb_gro_reset_offset -> dev_gro_receive, which
 * compares the skb with the ones this NAPI holds (napi->gro_list, newest
 * first, at most MAX_GRO_SKBS flows) and either merges it into one of
 * them, holds it as the start of a new flow, or passes it up now
 * (GRO_NORMAL -> napi_skb_finish -> netif_receive_skb).  Held skbs go up
 * from napi_gro_flush (napi_complete, and net_rx_action for old ones)
 * through napi_gro_complete.
 *
 * Only TCP over IPv4 is merged, with Linux's rules: same device and MAC
 * header, same addresses, ports, TOS, TTL; no IP options or fragments;
 * consecutive IP ids and sequence numbers; same ACK, flags word (window
 * included) and TCP options; no segment longer than the first (mss);
 * under 64 KB in all.  A short segment or PSH/URG/RST/SYN/FIN ends the
 * flow after it; CWR or any difference flushes before it.
 *
 * Departure: merged segments are chained, headers pulled, on the head's
 * skb_shinfo()->frag_list (Linux uses page frags first); the head's IP
 * tot_len and checksum are rewritten at completion, its TCP checksum
 * becomes the pseudo-header sum as in Linux, and ip_summed becomes
 * CHECKSUM_UNNECESSARY (Linux: CHECKSUM_PARTIAL, which 3.10's
 * skb_csum_unnecessary() also accepted).
 */
#include <arpa/inet.h>
#include <string.h>

#include "core_priv.h"
#include "engine/probe.h"
#include "net/ipv4/ip.h"
#include "net_namespace.h"
#include "netdevice.h"
#include "sched/sched.h"

#define MAX_GRO_SKBS 8
#define SKB_GSO_TCPV4 1

/* TCP header bytes used here (include/uapi/linux/tcp.h) */
#define TCPH_MIN 20
#define TCPHDR_FIN 0x01
#define TCPHDR_SYN 0x02
#define TCPHDR_RST 0x04
#define TCPHDR_PSH 0x08
#define TCPHDR_URG 0x20
#define TCPHDR_CWR 0x80

/* NAPI_GRO_CB(skb): GRO's use of skb->cb while it holds or inspects. */
struct napi_gro_cb {
	struct sk_buff *last;   /* last segment of the frag_list */
	unsigned long age;      /* jiffies when held */
	uint32_t data_offset;   /* skb_gro_offset */
	uint16_t count;         /* segments merged into this one */
	uint16_t hdr_len;       /* IP + TCP header bytes */
	uint8_t same_flow;
	uint8_t flush;
};
#define NAPI_GRO_CB(skb) ((struct napi_gro_cb *)(skb)->cb)
_Static_assert(sizeof(struct napi_gro_cb) <= sizeof(((struct sk_buff *)0)->cb),
	       "napi_gro_cb fits in skb->cb");

static gro_result_t napi_skb_finish(gro_result_t ret, struct sk_buff *skb);

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* csum_tcpudp_nofold: the pseudo header's sum. */
static uint32_t tcp_pseudo_sum(const struct iphdr *iph, unsigned int len)
{
	unsigned char ph[12];
	memcpy(ph, &iph->saddr, 4);
	memcpy(ph + 4, &iph->daddr, 4);
	ph[8] = 0;
	ph[9] = IPPROTO_TCP;
	ph[10] = (unsigned char)(len >> 8);
	ph[11] = (unsigned char)len;
	return csum_partial(ph, sizeof(ph), 0);
}

/* ---- completion and flush ---- */

static void napi_gro_complete(struct sk_buff *skb)
{
	KP_FUNC_ARG(napi_gro_complete, skb, NAPI_GRO_CB(skb)->count);
	struct napi_gro_cb *cb = NAPI_GRO_CB(skb);
	if (cb->count == 1) {
		skb_shinfo(skb)->gso_size = 0;
	} else {
		/* inet_gro_complete + tcp4_gro_complete */
		struct iphdr *iph = ip_hdr(skb);
		unsigned int nhoff = (unsigned int)skb_network_offset(skb);
		unsigned int thoff = (unsigned int)skb_transport_offset(skb);
		iph->tot_len = htons((uint16_t)(skb->len - nhoff));
		ip_send_check(iph);
		unsigned char *th = skb_transport_header(skb);
		uint16_t check = (uint16_t)~csum_fold(
			tcp_pseudo_sum(iph, skb->len - thoff));
		memcpy(th + 16, &check, 2);
		skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
		skb_shinfo(skb)->gso_segs = cb->count;
		skb->ip_summed = CHECKSUM_UNNECESSARY;
		skb->gro_merged = 1;
	}
	memset(skb->cb, 0, sizeof(skb->cb));
	netif_receive_skb(skb);
}

void napi_gro_flush(struct napi_struct *napi, bool flush_old)
{
	KP_FUNC_ARG(napi_gro_flush, napi, flush_old);
	struct sk_buff *skb, *prev = NULL;

	/* scan the list and build the reverse chain: oldest goes first */
	for (skb = napi->gro_list; skb; skb = skb->next) {
		skb->prev = prev;
		prev = skb;
	}
	for (skb = prev; skb; skb = prev) {
		skb->next = NULL;
		if (flush_old && NAPI_GRO_CB(skb)->age == jiffies)
			return;
		prev = skb->prev;
		skb->prev = NULL;
		napi->gro_count--;
		if (skb == napi->gro_list)
			napi->gro_list = NULL;
		napi_gro_complete(skb);
	}
	napi->gro_list = NULL;
}

void kp_gro_discard(struct napi_struct *napi)
{
	/* called while the stack is alive; net_dev_exit clears gro_list
	 * before the skbs die with the stack */
	struct sk_buff *skb = napi->gro_list;
	napi->gro_list = NULL;
	napi->gro_count = 0;
	while (skb) {
		struct sk_buff *next = skb->next;
		skb->next = skb->prev = NULL;
		kp_skb_free_noprobe(skb, SKB_DROP_REASON_NOT_SPECIFIED);
		skb = next;
	}
}

/* ---- receive ---- */

static void skb_gro_reset_offset(struct sk_buff *skb)
{
	KP_FUNC(skb_gro_reset_offset, skb);
	memset(skb->cb, 0, sizeof(skb->cb));
	NAPI_GRO_CB(skb)->data_offset = 0;
}

/* gro_list_prepare: same device, same MAC header. */
static void gro_list_prepare(struct napi_struct *napi, struct sk_buff *skb)
{
	for (struct sk_buff *p = napi->gro_list; p; p = p->next) {
		bool same = p->dev == skb->dev && p->mac_len == skb->mac_len;
		if (same && skb->mac_len)
			same = memcmp(skb_mac_header(p), skb_mac_header(skb),
				      skb->mac_len) == 0;
		NAPI_GRO_CB(p)->same_flow = same;
		NAPI_GRO_CB(p)->flush = 0;
	}
}

/* skb_gro_receive, frag_list form: chain @skb (headers pulled) on @p. */
static int skb_gro_receive(struct sk_buff *p, struct sk_buff *skb,
			   unsigned int hdr_len)
{
	unsigned int len = skb->len - hdr_len;
	if (p->len + len >= 65536)
		return -1;
	__skb_pull(skb, hdr_len);
	struct napi_gro_cb *pcb = NAPI_GRO_CB(p);
	if (!skb_shinfo(p)->frag_list)
		skb_shinfo(p)->frag_list = skb;
	else
		pcb->last->next = skb;
	skb->next = NULL;
	pcb->last = skb;
	pcb->count++;
	p->data_len += len;
	p->len += len;
	p->truesize += skb->truesize;
	NAPI_GRO_CB(skb)->same_flow = 1;
	kp_skb_where(skb, "frag_list", p->kp.id);
	return 0;
}

/*
 * inet_gro_receive + tcp4_gro_receive + tcp_gro_receive in one: returns
 * the held skb that must be completed now (pp), or NULL; sets the CB's
 * same_flow (merged) and flush (pass up, do not hold).
 */
static struct sk_buff *inet_tcp_gro_receive(struct napi_struct *napi,
					    struct sk_buff *skb)
{
	struct napi_gro_cb *cb = NAPI_GRO_CB(skb);
	unsigned int hlen = skb_headlen(skb);
	const unsigned char *ip = skb->data;

	cb->flush = 1;
	if (hlen < 20 || ip[0] != 0x45)
		return NULL; /* not IPv4, or IP options */
	struct iphdr *iph = (struct iphdr *)skb->data;
	if (ip_fast_csum(iph, 5))
		return NULL;
	if (iph->protocol != IPPROTO_TCP)
		return NULL;
	unsigned int tot_len = ntohs(iph->tot_len);
	uint16_t id = ntohs(iph->id);
	bool ipflush = tot_len != skb->len ||
		       (ntohs(iph->frag_off) & ~IP_DF) != 0;

	for (struct sk_buff *p = napi->gro_list; p; p = p->next) {
		if (!NAPI_GRO_CB(p)->same_flow)
			continue;
		const struct iphdr *iph2 = ip_hdr(p);
		if (iph->protocol != iph2->protocol ||
		    iph->saddr != iph2->saddr || iph->daddr != iph2->daddr) {
			NAPI_GRO_CB(p)->same_flow = 0;
			continue;
		}
		/* all fields must match except length and checksum */
		NAPI_GRO_CB(p)->flush |=
			(iph->ttl != iph2->ttl) | (iph->tos != iph2->tos) |
			((uint16_t)(ntohs(iph2->id) + NAPI_GRO_CB(p)->count) !=
			 id);
		NAPI_GRO_CB(p)->flush |= ipflush;
	}
	skb_set_network_header(skb, 0);
	skb_set_transport_header(skb, 20);

	/* tcp_gro_receive */
	if (hlen < 20 + TCPH_MIN)
		return NULL;
	const unsigned char *th = ip + 20;
	unsigned int thlen = (th[12] >> 4) * 4u;
	if (thlen < TCPH_MIN || hlen < 20 + thlen || tot_len < 20 + thlen)
		return NULL;
	/* tcp4_gro_receive: a bad checksum is TCP's to drop, not merged */
	if (!ipflush && skb->ip_summed == CHECKSUM_NONE) {
		uint32_t sum = tcp_pseudo_sum(iph, tot_len - 20);
		if (csum_fold(skb_checksum(skb, 20, (int)(tot_len - 20), sum)))
			return NULL;
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	}
	cb->flush = ipflush;
	cb->hdr_len = (uint16_t)(20 + thlen);
	unsigned int len = skb->len - cb->hdr_len;
	uint8_t flags = th[13];
	unsigned int mss = 1;
	struct sk_buff *p, **head = &napi->gro_list, **pp = NULL;
	bool flush;

	for (; (p = *head) != NULL; head = &p->next) {
		if (!NAPI_GRO_CB(p)->same_flow)
			continue;
		if (memcmp(th, skb_transport_header(p), 4)) {
			NAPI_GRO_CB(p)->same_flow = 0;
			continue;
		}
		goto found;
	}
	goto out_check_final;

found:;
	const unsigned char *th2 = skb_transport_header(p);
	flush = NAPI_GRO_CB(p)->flush;
	flush |= (flags & TCPHDR_CWR) != 0;
	/* the flag word (offset, flags, window), minus CWR/FIN/PSH */
	flush |= ((get32(th + 12) ^ get32(th2 + 12)) &
		  ~(uint32_t)((TCPHDR_CWR | TCPHDR_FIN | TCPHDR_PSH) << 16)) != 0;
	flush |= get32(th + 8) != get32(th2 + 8); /* ack_seq */
	flush |= memcmp(th + TCPH_MIN, th2 + TCPH_MIN, thlen - TCPH_MIN) != 0;
	mss = skb_shinfo(p)->gso_size;
	flush |= (len - 1) >= mss;
	flush |= get32(th2 + 4) + (p->len - NAPI_GRO_CB(p)->hdr_len) !=
		 get32(th + 4);
	if (flush || skb_gro_receive(p, skb, cb->hdr_len)) {
		mss = 1;
		goto out_check_final;
	}
	/* the merged flow carries FIN/PSH of its segments */
	skb_transport_header(p)[13] |= flags & (TCPHDR_FIN | TCPHDR_PSH);

out_check_final:
	flush = len < mss;
	flush |= (flags & (TCPHDR_URG | TCPHDR_PSH | TCPHDR_RST | TCPHDR_SYN |
			   TCPHDR_FIN)) != 0;
	if (p && (!cb->same_flow || flush))
		pp = head;
	cb->flush |= flush;
	return pp ? *pp : NULL;
}

static gro_result_t dev_gro_receive(struct napi_struct *napi,
				    struct sk_buff *skb)
{
	KP_FUNC(dev_gro_receive, skb);
	if (!skb->dev || !(skb->dev->features & NETIF_F_GRO))
		return GRO_NORMAL;
	if (skb_shinfo(skb)->gso_size || skb_shinfo(skb)->frag_list ||
	    skb->protocol != ETH_P_IP)
		return GRO_NORMAL;

	skb->mac_len = (uint16_t)(skb->data - skb_mac_header(skb));
	if (skb->mac_header == (uint16_t)~0u)
		skb->mac_len = 0;
	gro_list_prepare(napi, skb);
	struct sk_buff *done = inet_tcp_gro_receive(napi, skb);
	struct napi_gro_cb *cb = NAPI_GRO_CB(skb);
	bool same_flow = cb->same_flow;
	gro_result_t ret = GRO_MERGED;

	if (done) {
		struct sk_buff **pp = &napi->gro_list;
		while (*pp != done)
			pp = &(*pp)->next;
		*pp = done->next;
		done->next = NULL;
		napi->gro_count--;
		napi_gro_complete(done);
	}
	if (same_flow)
		return ret;
	if (cb->flush || napi->gro_count >= MAX_GRO_SKBS)
		return GRO_NORMAL;

	napi->gro_count++;
	cb->count = 1;
	cb->age = jiffies;
	cb->last = NULL;
	skb_shinfo(skb)->gso_size = (uint16_t)(skb->len - cb->hdr_len);
	skb->next = napi->gro_list;
	skb->prev = NULL;
	napi->gro_list = skb;
	kp_skb_where(skb, "gro_list", napi->kp.id);
	return GRO_HELD;
}

static gro_result_t napi_skb_finish(gro_result_t ret, struct sk_buff *skb)
{
	/* a merged skb may already be gone with its flow (PSH) */
	struct sk_buff *obj = ret == GRO_MERGED ? NULL : skb;
	KP_FUNC_ARG(napi_skb_finish, obj, ret);
	switch (ret) {
	case GRO_NORMAL:
		memset(skb->cb, 0, sizeof(skb->cb));
		if (netif_receive_skb(skb))
			ret = GRO_DROP;
		break;
	case GRO_DROP:
		kfree_skb(skb);
		break;
	case GRO_MERGED_FREE:
		consume_skb(skb);
		break;
	case GRO_HELD:
	case GRO_MERGED:
		break;
	}
	return ret;
}

gro_result_t napi_gro_receive(struct napi_struct *napi, struct sk_buff *skb)
{
	KP_FUNC(napi_gro_receive, skb);
	skb_gro_reset_offset(skb);
	return napi_skb_finish(dev_gro_receive(napi, skb), skb);
}
