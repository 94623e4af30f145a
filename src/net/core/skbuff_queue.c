/*
 * skbuff_queue.c - the unlocked sk_buff_head operations
 * (include/linux/skbuff.h's __skb_queue_*, net/core/skbuff.c's
 * skb_queue_purge): a circular doubly linked list whose head looks like
 * an skb's first two members.  Leaves out the locked skb_queue_* forms:
 * callers hold their owner's lock (socket lock, softnet irq-off).
 */
#include "skbuff.h"

static void __skb_insert(struct sk_buff *newsk, struct sk_buff *prev,
			 struct sk_buff *next, struct sk_buff_head *list)
{
	newsk->next = next;
	newsk->prev = prev;
	next->prev = newsk;
	prev->next = newsk;
	list->qlen++;
}

void __skb_queue_tail(struct sk_buff_head *list, struct sk_buff *newsk)
{
	__skb_insert(newsk, list->prev, (struct sk_buff *)list, list);
}

void __skb_queue_head(struct sk_buff_head *list, struct sk_buff *newsk)
{
	__skb_insert(newsk, (struct sk_buff *)list, list->next, list);
}

void __skb_queue_after(struct sk_buff_head *list, struct sk_buff *prev,
		       struct sk_buff *newsk)
{
	__skb_insert(newsk, prev, prev->next, list);
}

void __skb_unlink(struct sk_buff *skb, struct sk_buff_head *list)
{
	list->qlen--;
	struct sk_buff *next = skb->next, *prev = skb->prev;
	skb->next = skb->prev = NULL;
	next->prev = prev;
	prev->next = next;
}

struct sk_buff *__skb_dequeue(struct sk_buff_head *list)
{
	struct sk_buff *skb = skb_peek(list);
	if (skb)
		__skb_unlink(skb, list);
	return skb;
}

void skb_queue_splice_tail_init(struct sk_buff_head *list,
				struct sk_buff_head *head)
{
	if (skb_queue_empty(list))
		return;
	struct sk_buff *first = list->next, *last = list->prev;
	struct sk_buff *at = head->prev;
	first->prev = at;
	at->next = first;
	last->next = (struct sk_buff *)head;
	head->prev = last;
	head->qlen += list->qlen;
	__skb_queue_head_init(list);
}

void __skb_queue_purge_reason(struct sk_buff_head *list,
			      enum skb_drop_reason reason)
{
	struct sk_buff *skb;
	while ((skb = __skb_dequeue(list)) != NULL) {
		if (reason == SKB_DROP_REASON_NOT_DROPPED_YET ||
		    reason == SKB_DROP_REASON_CONSUMED)
			consume_skb(skb);
		else
			kfree_skb_reason(skb, reason);
	}
}

