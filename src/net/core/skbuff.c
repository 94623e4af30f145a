/*
 * skbuff.c - allocating, freeing, cloning and copying sk_buffs, and
 * reallocating their data (skb_unclone, linearizing for pskb_may_pull,
 * pskb_trim) (net/core/skbuff.c).  Editing and reading the bytes
 * (skb_copy_bits, skb_checksum; skb_put/push/pull/reserve are inline in
 * skbuff.h) is in skbuff_data.c, the queues in skbuff_queue.c.
 *
 * The data buffer is one malloc: head..end for the bytes, then the
 * skb_shared_info, as Linux places it at skb_end_pointer().  Clones share
 * it (dataref); the sk_buff itself is freed when users reaches 0.  Every
 * sk_buff is on its stack's skb_alive list from alloc to free, and counted
 * in net->skb, so packets in = consumed + dropped + alive at any time.
 *
 * Freed sk_buffs and data buffers wait in a per-net cache (struct
 * kp_skb_cache) for the next alloc_skb, in the spirit of skbuff_head_cache
 * and napi_alloc_cache; a data buffer is rounded up to its size class,
 * skb->end and truesize stay what was asked for.
 *
 * Leaves out: page frags (kpath copies into the linear area), fclones,
 * skb extensions, pfmemalloc.
 */
#include "skbuff.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_priv.h"
#include "engine/probe.h"
#include "net_namespace.h"
#include "netdevice.h"

#define SHINFO_ALIGNED SKB_DATA_ALIGN((unsigned)sizeof(struct skb_shared_info))

static void skb_account_new(struct net *net, struct sk_buff *skb)
{
	struct kp_world *w = kp_net_world(net);
	skb->net = net;
	kp_obj_assign(&w->ids, &skb->kp, KP_OBJ_SKB);
	skb->kp_born_seq = w->trace.seq;
	net->skb.allocated++;
	net->skb.alive++;
	list_add_tail(&skb->kp_alive, &net->skb_alive);
}

/* ---- the per-net cache ---- */

/* Data bytes (before the shared info) of each buffer size class. */
static const unsigned int buf_class_size[KP_SKB_CACHE_CLASSES] = {
	512, 2048, 4096,
};

static int buf_class(unsigned int size)
{
	for (int c = 0; c < KP_SKB_CACHE_CLASSES; c++)
		if (size <= buf_class_size[c])
			return c;
	return -1;
}

/* A data buffer of @size bytes followed by its shared info. */
static unsigned char *skb_data_alloc(struct net *net, unsigned int size,
				     struct skb_shared_info **shinfo)
{
	struct kp_skb_cache *kc = &net->skb_cache;
	int c = buf_class(size);
	unsigned char *data;
	if (c >= 0 && kc->bufs[c]) {
		data = kc->bufs[c];
		kc->bufs[c] = *(void **)data;
		kc->nr_bufs[c]--;
	} else {
		data = malloc((size_t)(c >= 0 ? buf_class_size[c] : size) +
			      SHINFO_ALIGNED);
		if (!data)
			return NULL;
	}
	*shinfo = (struct skb_shared_info *)(data + size);
	memset(*shinfo, 0, sizeof(**shinfo));
	(*shinfo)->dataref = 1;
	(*shinfo)->kp_cache = (uint8_t)(c + 1);
	return data;
}

static void skb_data_free(struct net *net, unsigned char *head,
			  const struct skb_shared_info *sh)
{
	struct kp_skb_cache *kc = &net->skb_cache;
	int c = sh->kp_cache - 1; /* sh lives in head: read it first */
	if (c < 0 || c >= KP_SKB_CACHE_CLASSES ||
	    kc->nr_bufs[c] >= KP_SKB_CACHE_MAX) {
		free(head);
		return;
	}
	*(void **)head = kc->bufs[c];
	kc->bufs[c] = head;
	kc->nr_bufs[c]++;
}

/* An sk_buff, not cleared. */
static struct sk_buff *skb_head_alloc(struct net *net)
{
	struct kp_skb_cache *kc = &net->skb_cache;
	struct sk_buff *skb = kc->heads;
	if (!skb)
		return malloc(sizeof(*skb));
	kc->heads = *(void **)skb;
	kc->nr_heads--;
	return skb;
}

static void skb_head_free(struct net *net, struct sk_buff *skb)
{
	struct kp_skb_cache *kc = &net->skb_cache;
	if (kc->nr_heads >= KP_SKB_CACHE_MAX) {
		free(skb);
		return;
	}
	*(void **)skb = kc->heads;
	kc->heads = skb;
	kc->nr_heads++;
}

static void skb_cache_drain(struct net *net)
{
	struct kp_skb_cache *kc = &net->skb_cache;
	while (kc->heads) {
		void *next = *(void **)kc->heads;
		free(kc->heads);
		kc->heads = next;
	}
	for (int c = 0; c < KP_SKB_CACHE_CLASSES; c++) {
		while (kc->bufs[c]) {
			void *next = *(void **)kc->bufs[c];
			free(kc->bufs[c]);
			kc->bufs[c] = next;
		}
		kc->nr_bufs[c] = 0;
	}
	kc->nr_heads = 0;
}

struct sk_buff *alloc_skb(struct net *net, unsigned int size)
{
	if (!net || size > 0x7fff0000u)
		return NULL;
	size = SKB_DATA_ALIGN(size);
	struct sk_buff *skb = skb_head_alloc(net);
	if (!skb)
		return NULL;
	memset(skb, 0, sizeof(*skb));
	skb->head = skb_data_alloc(net, size, &skb->shinfo);
	if (!skb->head) {
		skb_head_free(net, skb);
		return NULL;
	}
	skb->data = skb->head;
	skb->tail = 0;
	skb->end = size;
	skb->truesize = SKB_TRUESIZE(size);
	skb->users = 1;
	skb->mac_header = skb->network_header = skb->transport_header =
		(uint16_t)~0u;
	skb_account_new(net, skb);
	return skb;
}

struct sk_buff *__netdev_alloc_skb(struct net_device *dev, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(dev->nd_net, len + NET_SKB_PAD);
	if (!skb)
		return NULL;
	skb_reserve(skb, NET_SKB_PAD);
	skb->dev = dev;
	return skb;
}

struct sk_buff *netdev_alloc_skb_ip_align(struct net_device *dev,
					  unsigned int len)
{
	struct sk_buff *skb = __netdev_alloc_skb(dev, len + NET_IP_ALIGN);
	if (skb)
		skb_reserve(skb, NET_IP_ALIGN);
	return skb;
}

/* ---- freeing ---- */

static void skb_release_data(struct sk_buff *skb,
			     enum skb_drop_reason reason)
{
	struct skb_shared_info *sh = skb->shinfo;
	if (--sh->dataref > 0)
		return;
	struct sk_buff *list = sh->frag_list;
	sh->frag_list = NULL;
	skb_data_free(skb->net, skb->head, sh);
	if (reason == SKB_DROP_REASON_CONSUMED) {
		while (list) {
			struct sk_buff *next = list->next;
			list->next = NULL;
			consume_skb(list);
			list = next;
		}
	} else {
		kfree_skb_list(list, reason);
	}
}

/* skb_release_all + kfree_skbmem: the last user is gone.  The destructor
 * (sock_wfree -> sk_write_space) and the frag_list frees pass probes, so
 * the world may be checked in between: the skb is counted consumed or
 * dropped in the same atomic step that takes it off skb_alive. */
static void __kfree_skb(struct sk_buff *skb, enum skb_drop_reason reason)
{
	struct net *net = skb->net;
	if (skb->destructor)
		skb->destructor(skb);
	skb->destructor = NULL;
	skb_dst_drop(skb);
	if (reason == SKB_DROP_REASON_CONSUMED) {
		net->skb.consumed++;
	} else {
		net->drops[reason]++;
		net->skb.dropped++;
	}
	list_del(&skb->kp_alive);
	net->skb.alive--;
	skb_release_data(skb, reason);
	skb_head_free(net, skb);
}

void kfree_skb_reason(struct sk_buff *skb, enum skb_drop_reason reason)
{
	if (!skb)
		return;
	if (reason == SKB_DROP_REASON_CONSUMED) {
		consume_skb(skb);
		return;
	}
	if ((unsigned)reason >= SKB_DROP_REASON_MAX ||
	    reason == SKB_DROP_REASON_NOT_DROPPED_YET)
		reason = SKB_DROP_REASON_NOT_SPECIFIED;
	/* Linux's trace point is kfree_skb (the reason is its argument);
	 * the function is kfree_skb_reason, hence no name check here */
	struct kp_frame *__kp_frame __attribute__((cleanup(kp_probe_exit),
						   unused)) =
		kp_probe_enter(KP_P_kfree_skb, &skb->kp, (uint64_t)reason);
	if (--skb->users > 0)
		return;
	__kfree_skb(skb, reason);
}

void consume_skb(struct sk_buff *skb)
{
	if (!skb)
		return;
	KP_FUNC(consume_skb, skb);
	if (--skb->users > 0)
		return;
	__kfree_skb(skb, SKB_DROP_REASON_CONSUMED);
}

void kfree_skb_list(struct sk_buff *segs, enum skb_drop_reason reason)
{
	while (segs) {
		struct sk_buff *next = segs->next;
		segs->next = NULL;
		kfree_skb_reason(segs, reason);
		segs = next;
	}
}

void kp_skb_free_noprobe(struct sk_buff *skb, enum skb_drop_reason reason)
{
	if (!skb || --skb->users > 0)
		return;
	struct net *net = skb->net;
	net->drops[reason]++;
	net->skb.dropped++;
	if (skb->destructor)
		skb->destructor(skb);
	struct skb_shared_info *sh = skb->shinfo;
	if (--sh->dataref == 0) {
		struct sk_buff *list = sh->frag_list;
		skb_data_free(net, skb->head, sh);
		while (list) {
			struct sk_buff *next = list->next;
			list->next = NULL;
			kp_skb_free_noprobe(list, reason);
			list = next;
		}
	}
	list_del(&skb->kp_alive);
	net->skb.alive--;
	skb_head_free(net, skb);
}

void kp_skb_free_all(struct net *net)
{
	while (!list_empty(&net->skb_alive)) {
		struct sk_buff *skb = list_first_entry(&net->skb_alive,
						       struct sk_buff, kp_alive);
		list_del(&skb->kp_alive);
		/* frag_list members are on skb_alive themselves */
		if (--skb->shinfo->dataref == 0)
			free(skb->head);
		net->skb.alive--;
		net->skb.dropped++;
		free(skb);
	}
	skb_cache_drain(net);
}

/* ---- clones and copies ---- */

struct sk_buff *skb_clone(struct sk_buff *skb)
{
	KP_FUNC(skb_clone, skb);
	struct sk_buff *n = skb_head_alloc(skb->net);
	if (!n)
		return NULL;
	*n = *skb;
	n->next = n->prev = NULL;
	n->sk = NULL;
	n->destructor = NULL;
	n->users = 1;
	n->cloned = 1;
	n->nohdr = 0;
	skb->cloned = 1;
	skb->shinfo->dataref++;
	skb_account_new(skb->net, n);
	return n;
}

static void copy_skb_header(struct sk_buff *n, const struct sk_buff *old)
{
	n->tstamp = old->tstamp;
	n->dev = old->dev;
	n->_skb_refdst = old->_skb_refdst;
	memcpy(n->cb, old->cb, sizeof(n->cb));
	n->mac_len = old->mac_len;
	n->queue_mapping = old->queue_mapping;
	n->ip_summed = old->ip_summed;
	n->pkt_type = old->pkt_type;
	n->protocol = old->protocol;
	n->hash = old->hash;
	n->l4_rxhash = old->l4_rxhash;
	n->priority = old->priority;
	n->mark = old->mark;
	n->skb_iif = old->skb_iif;
	n->csum = old->csum;
	n->napi_id = old->napi_id;
	n->mac_header = old->mac_header;
	n->network_header = old->network_header;
	n->transport_header = old->transport_header;
	n->shinfo->gso_size = old->shinfo->gso_size;
	n->shinfo->gso_segs = old->shinfo->gso_segs;
	n->shinfo->gso_type = old->shinfo->gso_type;
}

struct sk_buff *skb_copy(const struct sk_buff *skb)
{
	unsigned int headroom = skb_headroom(skb);
	struct sk_buff *n = alloc_skb(skb->net, headroom + skb->len);
	if (!n)
		return NULL;
	skb_reserve(n, (int)headroom);
	skb_put(n, skb->len);
	/* the headroom too: a copy keeps the headers pushed later */
	memcpy(n->head, skb->head, headroom);
	if (skb_copy_bits(skb, 0, n->data, (int)skb->len)) {
		n->users = 1;
		n->net->skb.dropped++;
		n->net->skb.alive--;
		list_del(&n->kp_alive);
		skb_data_free(n->net, n->head, n->shinfo);
		skb_head_free(n->net, n);
		return NULL;
	}
	skb->net->skb.bytes_copied += headroom + skb->len;
	copy_skb_header(n, skb);
	return n;
}

/* pskb_expand_head(skb, 0, 0): private copy of a shared data buffer. */
int skb_unclone(struct sk_buff *skb)
{
	struct skb_shared_info *old = skb->shinfo, *sh;
	if (!skb->cloned || old->dataref == 1) {
		skb->cloned = 0;
		return 0;
	}
	unsigned char *data = skb_data_alloc(skb->net, skb->end, &sh);
	if (!data)
		return -ENOMEM;
	memcpy(data, skb->head, skb->end);
	skb->net->skb.bytes_copied += skb->end;
	sh->gso_size = old->gso_size;
	sh->gso_segs = old->gso_segs;
	sh->gso_type = old->gso_type;
	/* skb_clone_fraglist: both buffers now hold the segments */
	sh->frag_list = old->frag_list;
	for (struct sk_buff *f = sh->frag_list; f; f = f->next)
		skb_get(f);
	old->dataref--;
	skb->data = data + (skb->data - skb->head);
	skb->head = data;
	skb->shinfo = sh;
	skb->cloned = 0;
	skb->nohdr = 0;
	return 0;
}

/* ---- linearize and trim ---- */

/* Bring every byte into the linear area (skb_linearize): a new buffer
 * with the same headroom, the frag_list segments consumed. */
static int skb_linearize_all(struct sk_buff *skb)
{
	struct skb_shared_info *sh;
	unsigned int headroom = skb_headroom(skb);
	unsigned int tailroom = skb->data_len ? 0 : skb->end - skb->tail;
	unsigned int size = SKB_DATA_ALIGN(headroom + skb->len + tailroom);
	unsigned char *data = skb_data_alloc(skb->net, size, &sh);
	if (!data)
		return -ENOMEM;
	memcpy(data, skb->head, headroom);
	if (skb_copy_bits(skb, 0, data + headroom, (int)skb->len)) {
		skb_data_free(skb->net, data, sh);
		return -EFAULT;
	}
	skb->net->skb.bytes_copied += skb->len;
	struct skb_shared_info *old = skb->shinfo;
	sh->gso_size = old->gso_size;
	sh->gso_segs = old->gso_segs;
	sh->gso_type = old->gso_type;
	if (--old->dataref == 0) {
		struct sk_buff *list = old->frag_list;
		skb_data_free(skb->net, skb->head, old);
		while (list) {
			struct sk_buff *next = list->next;
			list->next = NULL;
			consume_skb(list);
			list = next;
		}
	}
	skb->head = data;
	skb->shinfo = sh;
	skb->data = data + headroom;
	skb->data_len = 0;
	skb->tail = headroom + skb->len;
	skb->end = size;
	skb->truesize = SKB_TRUESIZE(size);
	skb->cloned = 0;
	skb->nohdr = 0;
	return 0;
}

bool kp_pskb_pull_tail(struct sk_buff *skb, unsigned int len)
{
	if (len > skb->len)
		return false;
	return skb_linearize_all(skb) == 0;
}

int pskb_trim(struct sk_buff *skb, unsigned int len)
{
	if (len >= skb->len)
		return 0;
	if (skb->data_len) {
		int err = skb_linearize_all(skb);
		if (err)
			return err;
	} else if (skb->cloned) {
		int err = skb_unclone(skb);
		if (err)
			return err;
	}
	skb->len = len;
	skb->tail = (unsigned int)(skb->data - skb->head) + len;
	return 0;
}

int pskb_trim_rcsum(struct sk_buff *skb, unsigned int len)
{
	if (len < skb->len && skb->ip_summed == CHECKSUM_COMPLETE)
		skb->ip_summed = CHECKSUM_NONE;
	return pskb_trim(skb, len);
}

/* ---- route and owner ---- */

void skb_dst_set_noref(struct sk_buff *skb, struct dst_entry *dst)
{
	KP_FUNC(skb_dst_set_noref, skb);
	skb->_skb_refdst = dst;
}

void skb_orphan(struct sk_buff *skb)
{
	if (skb->destructor)
		skb->destructor(skb);
	skb->destructor = NULL;
	skb->sk = NULL;
}

/* ---- kpath's views ---- */

struct sk_buff *kp_skb_find(struct net *net, uint32_t id)
{
	struct sk_buff *skb;
	if (!net)
		return NULL;
	list_for_each_entry(skb, &net->skb_alive, kp_alive)
		if (skb->kp.id == id)
			return skb;
	return NULL;
}

int kp_net_check_skbs(const struct net *net, char *why, size_t n)
{
	const struct kp_skb_acct *a = &net->skb;
	if (a->allocated != a->consumed + a->dropped + a->alive) {
		snprintf(why, n,
			 "skbs: allocated %llu != consumed %llu + dropped %llu "
			 "+ alive %llu",
			 (unsigned long long)a->allocated,
			 (unsigned long long)a->consumed,
			 (unsigned long long)a->dropped,
			 (unsigned long long)a->alive);
		return -1;
	}
	size_t len = list_count(&net->skb_alive);
	if (len != a->alive) {
		snprintf(why, n, "skbs: %zu on skb_alive but alive = %llu",
			 len, (unsigned long long)a->alive);
		return -1;
	}
	return 0;
}
