/*
 * test_skb.c - sk_buffs: alloc/reserve/put/push/pull, clones sharing
 * data, copies, frag_list chains (copy_bits, may_pull, trim), queues,
 * freeing with reasons and the conservation invariant; the stack's
 * tables (sysctls, MIB names, drop reasons).
 */
#include <errno.h>

#include "kp_test.h"
#include "net_fixture.h"

/* A one's-complement sum folded to 16 bits. */
static uint16_t fold16(uint64_t x)
{
	while (x >> 16)
		x = (x & 0xffff) + (x >> 16);
	return (uint16_t)x;
}

static struct kp_test_state *cur;
static struct sk_buff *leftover;

static int skb_basics(void)
{
	struct kp_test_state *st = cur;
	struct net *net = current_net();

	struct sk_buff *skb = alloc_skb(net, 100);
	KP_CHECK(st, skb != NULL);
	KP_CHECK_EQ(st, skb->end, 128);
	KP_CHECK_EQ(st, skb->truesize, SKB_TRUESIZE(128));
	KP_CHECK_EQ(st, skb->users, 1);
	KP_CHECK_EQ(st, skb->kp.kind, KP_OBJ_SKB);
	KP_CHECK(st, kp_skb_find(net, skb->kp.id) == skb);
	skb_reserve(skb, 16);
	KP_CHECK_EQ(st, skb_headroom(skb), 16);
	memcpy(skb_put(skb, 20), "abcdefghijklmnopqrst", 20);
	KP_CHECK_EQ(st, skb->len, 20);
	KP_CHECK_EQ(st, skb_tailroom(skb), 128 - 36);
	memcpy(skb_push(skb, 4), "HDR:", 4);
	KP_CHECK_EQ(st, skb->len, 24);
	KP_CHECK(st, memcmp(skb->data, "HDR:abc", 7) == 0);
	KP_CHECK(st, skb_pull(skb, 4) != NULL);
	KP_CHECK(st, skb_pull(skb, 100) == NULL);
	KP_CHECK_EQ(st, skb->len, 20);

	/* clone: same bytes, one more dataref; freeing both frees once */
	struct sk_buff *c = skb_clone(skb);
	KP_CHECK(st, c && c->data == skb->data && c->kp.id != skb->kp.id);
	KP_CHECK_EQ(st, skb_shinfo(skb)->dataref, 2);
	KP_CHECK(st, c->cloned && skb->cloned);
	KP_CHECK_EQ(st, skb_unclone(c), 0);
	KP_CHECK(st, c->data != skb->data);
	KP_CHECK(st, memcmp(c->data, skb->data, 20) == 0);
	KP_CHECK_EQ(st, skb_shinfo(skb)->dataref, 1);
	KP_CHECK_EQ(st, net->skb.alive, 2);

	/* skb_get: two users, the first free only drops a reference */
	skb_get(skb);
	kfree_skb_reason(skb, SKB_DROP_REASON_NO_SOCKET);
	KP_CHECK_EQ(st, net->skb.alive, 2);
	KP_CHECK_EQ(st, net->drops[SKB_DROP_REASON_NO_SOCKET], 0);
	kfree_skb_reason(skb, SKB_DROP_REASON_NO_SOCKET);
	KP_CHECK_EQ(st, net->drops[SKB_DROP_REASON_NO_SOCKET], 1);
	consume_skb(c);
	KP_CHECK_EQ(st, net->skb.alive, 0);
	KP_CHECK_EQ(st, net->skb.allocated, 2);
	KP_CHECK_EQ(st, net->skb.consumed, 1);
	KP_CHECK_EQ(st, net->skb.dropped, 1);

	/* a head with two segments on its frag_list */
	struct sk_buff *h = alloc_skb(net, 64);
	memcpy(skb_put(h, 10), "0123456789", 10);
	struct sk_buff *s1 = alloc_skb(net, 64), *s2 = alloc_skb(net, 64);
	memcpy(skb_put(s1, 5), "ABCDE", 5);
	memcpy(skb_put(s2, 5), "FGHIJ", 5);
	s1->next = s2;
	skb_shinfo(h)->frag_list = s1;
	h->len += 10;
	h->data_len += 10;
	char buf[32] = { 0 };
	KP_CHECK_EQ(st, skb_copy_bits(h, 8, buf, 9), 0);
	KP_CHECK(st, memcmp(buf, "89ABCDEFG", 9) == 0);
	KP_CHECK_EQ(st, skb_copy_bits(h, 15, buf, 6), -EFAULT);
	struct sk_buff *cp = skb_copy(h);
	KP_CHECK(st, cp && !skb_is_nonlinear(cp) && cp->len == 20);
	KP_CHECK(st, memcmp(cp->data, "0123456789ABCDEFGHIJ", 20) == 0);
	/* checksum over segments equals the one over the linear copy (as
	 * one's-complement sums: only the folded value is defined, as with
	 * Linux's __wsum) */
	KP_CHECK_EQ(st, fold16(skb_checksum(h, 3, 16, 0)),
		    fold16(skb_checksum(cp, 3, 16, 0)));
	KP_CHECK_EQ(st, fold16(skb_checksum(h, 0, 20, 0)),
		    fold16(fx_sum(cp->data, 20, 0)));
	consume_skb(cp);
	/* pskb_may_pull past the head linearizes (segments consumed) */
	KP_CHECK(st, pskb_may_pull(h, 12));
	KP_CHECK(st, !skb_is_nonlinear(h) && h->len == 20);
	KP_CHECK(st, memcmp(h->data, "0123456789ABCDEFGHIJ", 20) == 0);
	KP_CHECK(st, !pskb_may_pull(h, 21));
	KP_CHECK_EQ(st, pskb_trim(h, 7), 0);
	KP_CHECK_EQ(st, h->len, 7);
	KP_CHECK_EQ(st, net->skb.alive, 1);
	/* freeing a head drops its segments with the same reason */
	struct sk_buff *s3 = alloc_skb(net, 8);
	skb_put(s3, 8);
	skb_shinfo(h)->frag_list = s3;
	h->len += 8;
	h->data_len += 8;
	kfree_skb_reason(h, SKB_DROP_REASON_IP_CSUM);
	KP_CHECK_EQ(st, net->drops[SKB_DROP_REASON_IP_CSUM], 2);

	/* queues */
	struct sk_buff_head q;
	skb_queue_head_init(&q);
	for (int i = 0; i < 3; i++)
		__skb_queue_tail(&q, alloc_skb(net, 10));
	struct sk_buff_head q2;
	skb_queue_head_init(&q2);
	__skb_queue_head(&q2, alloc_skb(net, 10));
	skb_queue_splice_tail_init(&q, &q2);
	KP_CHECK_EQ(st, skb_queue_len(&q2), 4);
	KP_CHECK(st, skb_queue_empty(&q));
	struct sk_buff *first = __skb_dequeue(&q2);
	consume_skb(first);
	__skb_queue_purge_reason(&q2, SKB_DROP_REASON_QUEUE_PURGE);
	KP_CHECK_EQ(st, net->drops[SKB_DROP_REASON_QUEUE_PURGE], 3);
	KP_CHECK_EQ(st, net->skb.alive, 0);

	char why[160];
	KP_CHECK_EQ(st, kp_net_check_skbs(net, why, sizeof(why)), 0);
	/* left alive on purpose: teardown frees it */
	leftover = alloc_skb(net, 1500);
	return 0;
}

KP_TEST(skb_alloc_clone_free_accounting)
{
	cur = st;
	struct kp_world *w = fx_run(skb_basics, 1);
	struct net *net = fx_net(w);
	KP_CHECK_EQ(st, net->skb.alive, 1);
	KP_CHECK(st, leftover && leftover->kp_born_seq > 0);
	char why[160];
	KP_CHECK_EQ(st, kp_net_check_skbs(net, why, sizeof(why)), 0);
	/* a broken count is reported */
	net->skb.alive++;
	KP_CHECK(st, kp_net_check_skbs(net, why, sizeof(why)) != 0);
	KP_CHECK(st, strstr(why, "allocated") != NULL);
	net->skb.alive--;
	fx_free(w); /* frees the leftover skb (ASan checks) */
}

static int nothing(void)
{
	return 0;
}

KP_TEST(net_tables)
{
	struct kp_world *w = fx_run(nothing, 1);
	struct net *net = fx_net(w);
	const struct kp_sysctl_info *si =
		kp_sysctl_lookup("net.core.netdev_budget");
	KP_CHECK(st, si != NULL);
	KP_CHECK_EQ(st, kp_sysctl_get(net, si), 300);
	KP_CHECK_EQ(st, kp_sysctl_set(net, si, 600), 0);
	KP_CHECK_EQ(st, net->sysctl.netdev_budget, 600);
	KP_CHECK_EQ(st, kp_sysctl_set(net, si, -1), -EINVAL);
	KP_CHECK_EQ(st, net->sysctl.netdev_budget, 600);
	KP_CHECK(st, kp_sysctl_lookup("net/core/netdev_max_backlog") ==
			     kp_sysctl_lookup("net.core.netdev_max_backlog"));
	KP_CHECK_EQ(st, net->sysctl.netdev_max_backlog, 1000);
	KP_CHECK(st, kp_sysctl_lookup("net.core.nope") == NULL);
	int udp = kp_mib_lookup("UdpNoPorts");
	KP_CHECK(st, udp >= 0);
	KP_CHECK_STR(st, kp_mib_info[udp].group, "Udp");
	KP_CHECK_STR(st, kp_mib_info[udp].name, "NoPorts");
	KP_CHECK_EQ(st, kp_mib_lookup("IpInReceives"), KP_MIB_Ip_InReceives);
	KP_CHECK_EQ(st, kp_mib_lookup("Bogus"), -1);
	KP_CHECK_STR(st, kp_drop_reason_name(SKB_DROP_REASON_CPU_BACKLOG),
		     "CPU_BACKLOG");
	KP_CHECK_STR(st, kp_drop_reason_name(SKB_DROP_REASON_MAX), "UNKNOWN");
	kp_drop_detail(net, SKB_DROP_REASON_NO_SOCKET, "port %d", 9);
	KP_CHECK_STR(st, net->drop_detail[SKB_DROP_REASON_NO_SOCKET], "port 9");
	/* every CPU got its softnet_data and backlog NAPI */
	struct softnet_data *sd = fx_sd(w, 0);
	KP_CHECK(st, sd && sd->backlog.poll != NULL);
	KP_CHECK_STR(st, sd->backlog.name, "backlog/0");
	KP_CHECK_EQ(st, sd->backlog.weight, 64);
	KP_CHECK(st, w->hosts[0]->softirq_vec[NET_RX_SOFTIRQ].action != NULL);
	fx_free(w);
}

KP_TEST_MAIN(skb_alloc_clone_free_accounting, net_tables)
