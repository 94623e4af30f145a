/*
 * skbuff.h - struct sk_buff and its queues (include/linux/skbuff.h,
 * net/core/skbuff.c).
 *
 * An skb holds real bytes: head..end is one malloc'd buffer, data..tail
 * the bytes in use, and the header offsets point into it, so checksums,
 * decoding and pcap output work on what the emulated kernel really built.
 * As on 64-bit Linux, tail and end are offsets from head
 * (NET_SKBUFF_DATA_USES_OFFSET).
 *
 * Departures from Linux: no page fragments - a driver copies what Linux
 * would attach as a page frag into the linear area (the copy is counted);
 * GRO chains merged segments on skb_shinfo(skb)->frag_list.  Every skb
 * belongs to one host's network stack (skb->net) for accounting: each one
 * ends in consume_skb() or kfree_skb_reason() with a named reason.
 */
#ifndef KP_NET_CORE_SKBUFF_H
#define KP_NET_CORE_SKBUFF_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/ids.h"
#include "engine/list.h"
#include "dropreason.h"

struct net;
struct net_device;
struct sock;
struct dst_entry;

typedef unsigned int sk_buff_data_t;

/* skb->ip_summed */
#define CHECKSUM_NONE 0
#define CHECKSUM_UNNECESSARY 1
#define CHECKSUM_COMPLETE 2
#define CHECKSUM_PARTIAL 3

/* skb->pkt_type, as include/uapi/linux/if_packet.h */
#define PACKET_HOST 0
#define PACKET_BROADCAST 1
#define PACKET_MULTICAST 2
#define PACKET_OTHERHOST 3
#define PACKET_OUTGOING 4
#define PACKET_LOOPBACK 5

/* What SKB_TRUESIZE adds to the data size (64-bit Linux, cache-aligned
 * struct sk_buff and struct skb_shared_info). */
#define SKB_DATA_ALIGN(x) (((x) + 63u) & ~63u)
#define KP_SKB_STRUCT_SIZE 256u
#define KP_SKB_SHINFO_SIZE 320u
#define SKB_TRUESIZE(x) ((x) + KP_SKB_STRUCT_SIZE + KP_SKB_SHINFO_SIZE)

struct sk_buff_head {
	/* first two members as in struct sk_buff: next, prev */
	struct sk_buff *next;
	struct sk_buff *prev;
	uint32_t qlen;
	/* the lock of Linux's queue: sockets take it through their own */
};

struct skb_shared_info {
	uint16_t gso_size;
	uint16_t gso_segs;
	uint16_t gso_type;
	struct sk_buff *frag_list; /* GRO-merged segments, in order */
	int dataref;               /* owners of the data (clones) */
	uint8_t kp_cache;          /* kpath: the buffer's size class + 1, or
				    * 0 if malloc'd to measure (skbuff.c) */
};

struct sk_buff {
	/* first two members as in struct sk_buff_head */
	struct sk_buff *next;
	struct sk_buff *prev;
	struct kp_obj kp;          /* skb#N */

	uint64_t tstamp;           /* ns, virtual time of arrival */
	struct sock *sk;
	struct net_device *dev;
	struct dst_entry *_skb_refdst; /* route, not reference counted */
	struct net *net;           /* the host stack that accounts for it */
	void (*destructor)(struct sk_buff *skb);

	char cb[48];               /* per-layer control block */

	unsigned int len;          /* bytes in the skb, frag_list included */
	unsigned int data_len;     /* of len, bytes on frag_list */
	uint16_t mac_len;
	uint16_t queue_mapping;    /* RX: queue it came in on; TX: queue */
	uint8_t cloned : 1, ip_summed : 2, pkt_type : 3, peeked : 1,
		l4_rxhash : 1;
	uint8_t nohdr : 1, gro_merged : 1;
	uint16_t protocol;         /* ETH_P_*, host byte order in kpath */
	uint32_t hash;             /* RSS hash from the NIC */
	uint32_t priority;
	uint32_t mark;
	int skb_iif;               /* ifindex it arrived on */
	uint32_t csum;
	uint16_t transport_header; /* offsets from head; ~0 = unset */
	uint16_t network_header;
	uint16_t mac_header;
	uint16_t napi_id;

	sk_buff_data_t tail;
	sk_buff_data_t end;
	unsigned char *head;
	unsigned char *data;
	unsigned int truesize;
	int users;                 /* references to this sk_buff */

	/* kpath: where it is now, for `show skb` and the TUI (static text,
	 * set by the function that holds it: "ring eth0 rx 0", "sk#3
	 * sk_receive_queue", ...) */
	const char *kp_where;
	uint32_t kp_where_id;
	uint64_t kp_born_seq;      /* trace seq at allocation */
	struct list_head kp_alive; /* on net->skb_alive */
	struct skb_shared_info *shinfo;
};

static inline struct skb_shared_info *skb_shinfo(const struct sk_buff *skb)
{
	return skb->shinfo;
}

/* Allocation and freeing.  @net is the stack that accounts for it. */
struct sk_buff *alloc_skb(struct net *net, unsigned int size);
struct sk_buff *__netdev_alloc_skb(struct net_device *dev, unsigned int len);
/* napi_alloc_skb / netdev_alloc_skb_ip_align: NET_IP_ALIGN reserved */
struct sk_buff *netdev_alloc_skb_ip_align(struct net_device *dev,
					  unsigned int len);
#define NET_SKB_PAD 64
#define NET_IP_ALIGN 2

/* Drop: counted under @reason in the stack's drop table. */
void kfree_skb_reason(struct sk_buff *skb, enum skb_drop_reason reason);
static inline void kfree_skb(struct sk_buff *skb)
{
	kfree_skb_reason(skb, SKB_DROP_REASON_NOT_SPECIFIED);
}
/* Normal end of life: delivered, transmitted, merged. */
void consume_skb(struct sk_buff *skb);
/* Drops every skb of a frag_list chain (GRO). */
void kfree_skb_list(struct sk_buff *segs, enum skb_drop_reason reason);

struct sk_buff *skb_clone(struct sk_buff *skb);
struct sk_buff *skb_copy(const struct sk_buff *skb);
/* Make the data private (copy it when shared with a clone).  0 or
 * -ENOMEM. */
int skb_unclone(struct sk_buff *skb);
static inline struct sk_buff *skb_get(struct sk_buff *skb)
{
	skb->users++;
	return skb;
}
static inline bool skb_shared(const struct sk_buff *skb)
{
	return skb->users != 1;
}

/* Data area */
static inline unsigned char *skb_tail_pointer(const struct sk_buff *skb)
{
	return skb->head + skb->tail;
}
static inline unsigned char *skb_end_pointer(const struct sk_buff *skb)
{
	return skb->head + skb->end;
}
static inline unsigned int skb_headlen(const struct sk_buff *skb)
{
	return skb->len - skb->data_len;
}
static inline unsigned int skb_headroom(const struct sk_buff *skb)
{
	return (unsigned int)(skb->data - skb->head);
}
static inline int skb_tailroom(const struct sk_buff *skb)
{
	return skb->data_len ? 0 : (int)(skb->end - skb->tail);
}
static inline bool skb_is_nonlinear(const struct sk_buff *skb)
{
	return skb->data_len != 0;
}
/* skb_over_panic/skb_under_panic: a put or push past the buffer is a
 * kernel bug; kpath prints the skb and aborts (skbuff_data.c). */
void __attribute__((noreturn))
skb_panic(const struct sk_buff *skb, unsigned int len, const char *msg);
/* skb_reserve, skb_put, skb_push and skb_pull are inline, as in Linux's
 * skbuff.h: a datagram passes about ten of them, and a call cost as much
 * as the move. */
static inline void skb_reserve(struct sk_buff *skb, int len)
{
	if (len < 0 || skb->tail + (unsigned)len > skb->end)
		skb_panic(skb, (unsigned)len, "skb_reserve");
	skb->data += len;
	skb->tail += (unsigned)len;
}
static inline unsigned char *skb_put(struct sk_buff *skb, unsigned int len)
{
	unsigned char *tmp = skb_tail_pointer(skb);
	if (skb_is_nonlinear(skb) || len > skb->end - skb->tail)
		skb_panic(skb, len, "skb_over_panic");
	skb->tail += len;
	skb->len += len;
	return tmp;
}
static inline unsigned char *skb_push(struct sk_buff *skb, unsigned int len)
{
	if (len > skb_headroom(skb))
		skb_panic(skb, len, "skb_under_panic");
	skb->data -= len;
	skb->len += len;
	return skb->data;
}
static inline unsigned char *__skb_pull(struct sk_buff *skb, unsigned int len)
{
	skb->len -= len;
	return skb->data += len;
}
static inline unsigned char *skb_pull(struct sk_buff *skb, unsigned int len)
{
	if (len > skb_headlen(skb))
		return NULL;
	return __skb_pull(skb, len);
}
/* Make the first @len bytes linear; false if the skb is shorter.
 * Inline, as in Linux: the bytes are nearly always linear already, and
 * the IP and UDP receive paths ask several times a packet;
 * kp_pskb_pull_tail (skbuff.c) linearizes the rest. */
bool kp_pskb_pull_tail(struct sk_buff *skb, unsigned int len);
static inline bool pskb_may_pull(struct sk_buff *skb, unsigned int len)
{
	if (len <= skb_headlen(skb))
		return true;
	return kp_pskb_pull_tail(skb, len);
}
/* Cut the skb to @len bytes (frag_list included).  0 or -ENOMEM. */
int pskb_trim(struct sk_buff *skb, unsigned int len);
int pskb_trim_rcsum(struct sk_buff *skb, unsigned int len);
/* Copy @len bytes from @offset (frag_list included) to @to; 0 or
 * -EFAULT when the skb is shorter. */
int skb_copy_bits(const struct sk_buff *skb, int offset, void *to, int len);
/* Internet checksum over @len bytes from @offset, folded into @csum. */
uint32_t skb_checksum(const struct sk_buff *skb, int offset, int len,
		      uint32_t csum);

/* Header offsets */
static inline void skb_reset_mac_header(struct sk_buff *skb)
{
	skb->mac_header = (uint16_t)(skb->data - skb->head);
}
static inline void skb_reset_network_header(struct sk_buff *skb)
{
	skb->network_header = (uint16_t)(skb->data - skb->head);
}
static inline void skb_reset_transport_header(struct sk_buff *skb)
{
	skb->transport_header = (uint16_t)(skb->data - skb->head);
}
static inline void skb_set_network_header(struct sk_buff *skb, int offset)
{
	skb->network_header = (uint16_t)(skb->data - skb->head + offset);
}
static inline void skb_set_transport_header(struct sk_buff *skb, int offset)
{
	skb->transport_header = (uint16_t)(skb->data - skb->head + offset);
}
static inline unsigned char *skb_mac_header(const struct sk_buff *skb)
{
	return skb->head + skb->mac_header;
}
static inline unsigned char *skb_network_header(const struct sk_buff *skb)
{
	return skb->head + skb->network_header;
}
static inline unsigned char *skb_transport_header(const struct sk_buff *skb)
{
	return skb->head + skb->transport_header;
}
static inline int skb_network_offset(const struct sk_buff *skb)
{
	return (int)(skb_network_header(skb) - skb->data);
}
static inline int skb_transport_offset(const struct sk_buff *skb)
{
	return (int)(skb_transport_header(skb) - skb->data);
}

/* Route */
static inline struct dst_entry *skb_dst(const struct sk_buff *skb)
{
	return skb->_skb_refdst;
}
static inline void skb_dst_set(struct sk_buff *skb, struct dst_entry *dst)
{
	skb->_skb_refdst = dst;
}
void skb_dst_set_noref(struct sk_buff *skb, struct dst_entry *dst);
static inline void skb_dst_drop(struct sk_buff *skb)
{
	skb->_skb_refdst = NULL;
}

/* Owner */
void skb_orphan(struct sk_buff *skb);

/* Where it is now, for display (@where is static text). */
static inline void kp_skb_where(struct sk_buff *skb, const char *where,
				uint32_t id)
{
	skb->kp_where = where;
	skb->kp_where_id = id;
}

/* Queues (the unlocked __skb_* forms; callers hold the owner's lock) */
static inline void __skb_queue_head_init(struct sk_buff_head *list)
{
	list->prev = list->next = (struct sk_buff *)list;
	list->qlen = 0;
}
#define skb_queue_head_init __skb_queue_head_init
static inline bool skb_queue_empty(const struct sk_buff_head *list)
{
	return list->next == (const struct sk_buff *)list;
}
static inline uint32_t skb_queue_len(const struct sk_buff_head *list)
{
	return list->qlen;
}
static inline struct sk_buff *skb_peek(const struct sk_buff_head *list)
{
	struct sk_buff *skb = list->next;
	return skb == (const struct sk_buff *)list ? NULL : skb;
}
static inline struct sk_buff *skb_peek_tail(const struct sk_buff_head *list)
{
	struct sk_buff *skb = list->prev;
	return skb == (const struct sk_buff *)list ? NULL : skb;
}
void __skb_queue_tail(struct sk_buff_head *list, struct sk_buff *newsk);
void __skb_queue_head(struct sk_buff_head *list, struct sk_buff *newsk);
void __skb_queue_after(struct sk_buff_head *list, struct sk_buff *prev,
		       struct sk_buff *newsk);
struct sk_buff *__skb_dequeue(struct sk_buff_head *list);
void __skb_unlink(struct sk_buff *skb, struct sk_buff_head *list);
/* Move every skb of @list to the tail of @head; @list ends empty. */
void skb_queue_splice_tail_init(struct sk_buff_head *list,
				struct sk_buff_head *head);
/* Free every skb of the queue (consume_skb when reason is 0). */
void __skb_queue_purge_reason(struct sk_buff_head *list,
			      enum skb_drop_reason reason);
#define skb_queue_walk(queue, skb)                                            \
	for (skb = (queue)->next; skb != (struct sk_buff *)(queue);           \
	     skb = skb->next)
#define skb_queue_walk_safe(queue, skb, tmp)                                  \
	for (skb = (queue)->next, tmp = skb->next;                            \
	     skb != (struct sk_buff *)(queue); skb = tmp, tmp = skb->next)

/* Look up a live skb by id (for `show skb`), or NULL. */
struct sk_buff *kp_skb_find(struct net *net, uint32_t id);

#endif
