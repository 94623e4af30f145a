/*
 * test_qdisc.c - device-layer transmit on the default world: a kernel
 * thread on the client builds Ethernet frames by hand and calls
 * dev_queue_xmit.  Checks the default qdiscs (mq + pfifo_fast per TX
 * queue), that frames cross the wire to the server, that a burst bigger
 * than the TX ring stops the driver queue, fills the qdisc backlog and
 * drains after TX completion wakes the queue (tx_queue_0_restart), that
 * a small txqueuelen makes pfifo_fast drop (QDISC_DROP, NET_XMIT_DROP),
 * and that tc's replace/dump and the taps on transmit work.
 */
#include <stdlib.h>
#include <string.h>

#include "hw/hw.h"
#include "kernel/kernel.h"
#include "default_world.h"
#include "kp_test.h"
#include "net/core/net_namespace.h"
#include "net/sched/pkt_sched.h"
#include "sched/host.h"
#include "sched/smp.h"

static void run(struct kp_world *w)
{
	kp_world_set_mode(w, KP_RUN_CONTINUE, 0);
	kp_world_run(w);
}

static uint64_t stat_by_name(struct net_device *dev, const char *name)
{
	int n = dev->ethtool_ops->get_sset_count(dev);
	char *names = calloc((size_t)n, ETH_GSTRING_LEN);
	uint64_t *vals = calloc((size_t)n, sizeof(*vals));
	uint64_t v = ~0ull;
	dev->ethtool_ops->get_strings(dev, names);
	dev->ethtool_ops->get_ethtool_stats(dev, vals);
	for (int i = 0; i < n; i++)
		if (!strcmp(names + i * ETH_GSTRING_LEN, name))
			v = vals[i];
	free(names);
	free(vals);
	return v;
}

/* What the sending thread does and saw. */
struct burst {
	struct net_device *dev;   /* client eth0 */
	unsigned char dst[ETH_ALEN];
	int count, len;
	unsigned int priority;
	int sent_ok, dropped, other_rc;
	unsigned int max_qlen;     /* largest qdisc backlog seen, packets */
	bool saw_stopped;          /* the driver stopped TX queue 0 */
};

static void burst_thread(void *arg)
{
	struct burst *b = arg;
	struct net *net = b->dev->nd_net;
	for (int i = 0; i < b->count; i++) {
		struct sk_buff *skb = alloc_skb(net, (unsigned int)b->len + 64);
		if (!skb) {
			b->other_rc++;
			continue;
		}
		skb_reserve(skb, 32);
		unsigned char *p = skb_put(skb, (unsigned int)b->len);
		memset(p, 0, (size_t)b->len);
		memcpy(p, b->dst, ETH_ALEN);
		memcpy(p + ETH_ALEN, b->dev->dev_addr, ETH_ALEN);
		p[12] = 0x88; /* ETH_P_802_EX1: local experimental */
		p[13] = 0xb5;
		p[14] = (unsigned char)i;
		skb->dev = b->dev;
		skb->priority = b->priority;
		int rc = dev_queue_xmit(skb);
		if (rc == NET_XMIT_SUCCESS)
			b->sent_ok++;
		else if (rc == NET_XMIT_DROP)
			b->dropped++;
		else
			b->other_rc++;
		struct netdev_queue *txq = netdev_get_tx_queue(b->dev, 0);
		if (netif_tx_queue_stopped(txq))
			b->saw_stopped = true;
		if (txq->qdisc && txq->qdisc->q.qlen > b->max_qlen)
			b->max_qlen = txq->qdisc->q.qlen;
	}
}

static void start_burst(void *info)
{
	struct burst *b = info;
	struct task_struct *t =
		kp_task_create(b->dev->host, "txburst", burst_thread, b, 0,
			       true);
	if (t)
		wake_up_process(t);
}

struct fixture {
	struct kp_world *w;
	struct kp_host *client, *server;
	struct net_device *cdev, *sdev;
};

static bool setup(struct fixture *f)
{
	f->w = boot();
	f->client = kp_host_by_name(f->w, "client");
	f->server = kp_host_by_name(f->w, "server");
	f->cdev = f->client ? dev_get_by_name(f->client->net, "eth0") : NULL;
	f->sdev = f->server ? dev_get_by_name(f->server->net, "eth0") : NULL;
	return f->cdev && f->sdev;
}

static void send_burst(struct fixture *f, struct burst *b, int count,
		       int len)
{
	memset(b, 0, sizeof(*b));
	b->dev = f->cdev;
	memcpy(b->dst, f->sdev->dev_addr, ETH_ALEN);
	b->count = count;
	b->len = len;
	kp_host_call(f->client, 0, start_burst, b, NULL);
	run(f->w);
}

KP_TEST(test_default_qdiscs)
{
	struct fixture f;
	KP_CHECK(st, setup(&f));
	if (!f.cdev)
		goto out;
	struct Qdisc *root = f.cdev->qdisc;
	KP_CHECK(st, root != NULL);
	if (!root)
		goto out;
	KP_CHECK_STR(st, root->ops->id, "mq");
	KP_CHECK_STR(st, kp_dev_qdisc_kind(f.cdev), "mq");
	struct kp_qdisc_dump d[KP_MAX_QUEUES + 1];
	int n = kp_tc_qdisc_dump(f.cdev, d, KP_MAX_QUEUES + 1);
	KP_CHECK_EQ(st, n, 1 + (int)f.cdev->real_num_tx_queues);
	KP_CHECK_STR(st, d[0].kind, "mq");
	KP_CHECK_EQ(st, d[0].parent, TC_H_ROOT);
	KP_CHECK_STR(st, d[1].kind, "pfifo_fast");
	/* highest queue first, as the kernel's qdisc hash gives them */
	KP_CHECK_EQ(st, d[1].parent, f.cdev->real_num_tx_queues);
	KP_CHECK_EQ(st, d[n - 1].parent, 1);
	KP_CHECK(st, d[1].has_prio);
	KP_CHECK_EQ(st, d[1].prio.bands, 3);
	KP_CHECK_EQ(st, d[1].prio.priomap[6], 0);
	KP_CHECK_EQ(st, d[1].prio.priomap[0], 1);
	KP_CHECK_EQ(st, d[1].prio.priomap[1], 2);
	for (unsigned int i = 0; i < f.cdev->real_num_tx_queues; i++) {
		struct Qdisc *q = f.cdev->_tx[i].qdisc;
		KP_CHECK(st, q && q == f.cdev->_tx[i].qdisc_sleeping);
		KP_CHECK(st, q && (q->flags & TCQ_F_ONETXQUEUE));
	}
out:
	kp_world_free(f.w);
}

KP_TEST(test_frames_reach_peer)
{
	struct fixture f;
	struct burst b;
	KP_CHECK(st, setup(&f));
	if (!f.cdev)
		goto out;
	uint64_t rx0 = stat_by_name(f.sdev, "rx_packets");
	send_burst(&f, &b, 5, 100);
	KP_CHECK_EQ(st, b.sent_ok, 5);
	KP_CHECK_EQ(st, b.other_rc, 0);
	KP_CHECK_EQ(st, stat_by_name(f.sdev, "rx_packets") - rx0, 5);
	KP_CHECK_EQ(st, stat_by_name(f.cdev, "tx_packets"), 5);
	/* an empty qdisc is bypassed, but its bstats still count */
	struct Qdisc *q0 = f.cdev->_tx[0].qdisc;
	KP_CHECK_EQ(st, q0->bstats.packets, 5);
	KP_CHECK_EQ(st, q0->bstats.bytes, 500);
	KP_CHECK_EQ(st, q0->q.qlen, 0);
	struct kp_qdisc_dump d[KP_MAX_QUEUES + 1];
	kp_tc_qdisc_dump(f.cdev, d, KP_MAX_QUEUES + 1);
	KP_CHECK_EQ(st, d[0].bstats.packets, 5); /* mq sums its children */
	KP_CHECK_EQ(st, kp_net_check_skbs(f.client->net, NULL, 0), 0);
out:
	kp_world_free(f.w);
}

KP_TEST(test_burst_stops_queue_and_drains)
{
	struct fixture f;
	struct burst b;
	KP_CHECK(st, setup(&f));
	if (!f.cdev)
		goto out;
	uint64_t rx0 = stat_by_name(f.sdev, "rx_packets");
	send_burst(&f, &b, 600, 1000);
	KP_CHECK_EQ(st, b.sent_ok, 600);
	KP_CHECK(st, b.saw_stopped);
	KP_CHECK(st, b.max_qlen > 100); /* the backlog filled */
	KP_CHECK(st, stat_by_name(f.cdev, "tx_queue_0_restart") > 0);
	KP_CHECK_EQ(st, stat_by_name(f.cdev, "tx_queue_0_packets"), 600);
	KP_CHECK_EQ(st, stat_by_name(f.sdev, "rx_packets") - rx0, 600);
	struct Qdisc *q0 = f.cdev->_tx[0].qdisc;
	KP_CHECK_EQ(st, q0->q.qlen, 0); /* drained */
	KP_CHECK_EQ(st, q0->qstats.backlog, 0);
	KP_CHECK_EQ(st, q0->qstats.drops, 0);
	KP_CHECK_EQ(st, q0->bstats.packets, 600);
	KP_CHECK(st, !netif_tx_queue_stopped(&f.cdev->_tx[0]));
	/* the empty qdisc met a stopped queue: sch_direct_xmit requeued */
	KP_CHECK(st, q0->qstats.requeues >= 1);
	KP_CHECK_EQ(st, kp_net_check_skbs(f.client->net, NULL, 0), 0);
out:
	kp_world_free(f.w);
}

KP_TEST(test_small_txqueuelen_drops)
{
	struct fixture f;
	struct burst b;
	KP_CHECK(st, setup(&f));
	if (!f.cdev)
		goto out;
	f.cdev->tx_queue_len = 20;
	uint64_t drops0 = f.client->net->drops[SKB_DROP_REASON_QDISC_DROP];
	uint64_t rx0 = stat_by_name(f.sdev, "rx_packets");
	send_burst(&f, &b, 600, 1000);
	struct Qdisc *q0 = f.cdev->_tx[0].qdisc;
	KP_CHECK(st, b.dropped > 0);
	KP_CHECK_EQ(st, b.sent_ok + b.dropped, 600);
	KP_CHECK_EQ(st, (int)q0->qstats.drops, b.dropped);
	KP_CHECK_EQ(st, (int)(f.client->net->drops[SKB_DROP_REASON_QDISC_DROP] -
			      drops0),
		    b.dropped);
	/* 20 in the band, plus the one the driver handed back (requeue) */
	KP_CHECK(st, b.max_qlen >= 20 && b.max_qlen <= 21);
	KP_CHECK_EQ(st, (int)(stat_by_name(f.sdev, "rx_packets") - rx0),
		    b.sent_ok);
	KP_CHECK_EQ(st, kp_net_check_skbs(f.client->net, NULL, 0), 0);
out:
	kp_world_free(f.w);
}

static int replace_root(void *info)
{
	struct net_device *dev = info;
	return kp_tc_qdisc_replace_root(dev, "pfifo_fast");
}

static void replace_on_cpu(void *info)
{
	replace_root(info);
}

KP_TEST(test_replace_root_pfifo_fast)
{
	struct fixture f;
	struct burst b;
	KP_CHECK(st, setup(&f));
	if (!f.cdev)
		goto out;
	kp_host_call(f.client, 0, replace_on_cpu, f.cdev, NULL);
	run(f.w);
	struct Qdisc *root = f.cdev->qdisc;
	KP_CHECK_STR(st, root->ops->id, "pfifo_fast");
	KP_CHECK_EQ(st, root->handle, 0x80010000u);
	KP_CHECK_EQ(st, root->refcnt, (int)f.cdev->num_tx_queues + 1);
	KP_CHECK(st, f.cdev->_tx[1].qdisc == root);
	struct kp_qdisc_dump d[KP_MAX_QUEUES + 1];
	KP_CHECK_EQ(st, kp_tc_qdisc_dump(f.cdev, d, KP_MAX_QUEUES + 1), 1);
	uint64_t rx0 = stat_by_name(f.sdev, "rx_packets");
	send_burst(&f, &b, 300, 1000);
	KP_CHECK_EQ(st, b.sent_ok, 300);
	KP_CHECK_EQ(st, stat_by_name(f.sdev, "rx_packets") - rx0, 300);
	KP_CHECK_EQ(st, root->bstats.packets, 300);
	KP_CHECK_EQ(st, kp_net_check_skbs(f.client->net, NULL, 0), 0);
out:
	kp_world_free(f.w);
}

/* A tap on transmit (ptype_all) sees each frame once, PACKET_OUTGOING. */
struct tap_count {
	struct packet_type pt;
	int seen, outgoing;
};

static int tap_rcv(struct sk_buff *skb, struct net_device *dev,
		   struct packet_type *pt, struct net_device *orig_dev)
{
	struct tap_count *t = pt->af_packet_priv;
	(void)dev;
	(void)orig_dev;
	t->seen++;
	if (skb->pkt_type == PACKET_OUTGOING && skb->data[12] == 0x88)
		t->outgoing++;
	consume_skb(skb);
	return 0;
}

static void add_tap(void *info)
{
	struct tap_count *t = info;
	dev_add_pack(&t->pt);
}

static void del_tap(void *info)
{
	struct tap_count *t = info;
	dev_remove_pack(&t->pt);
}

KP_TEST(test_tap_sees_outgoing)
{
	struct fixture f;
	struct burst b;
	struct tap_count t = { 0 };
	KP_CHECK(st, setup(&f));
	if (!f.cdev)
		goto out;
	t.pt.type = ETH_P_ALL;
	t.pt.func = tap_rcv;
	t.pt.af_packet_priv = &t;
	t.pt.name = "test";
	kp_host_call(f.client, 0, add_tap, &t, NULL);
	run(f.w);
	send_burst(&f, &b, 3, 80);
	KP_CHECK_EQ(st, t.outgoing, 3);
	kp_host_call(f.client, 0, del_tap, &t, NULL);
	run(f.w);
	KP_CHECK_EQ(st, kp_net_check_skbs(f.client->net, NULL, 0), 0);
out:
	kp_world_free(f.w);
}

KP_TEST_MAIN(test_default_qdiscs, test_frames_reach_peer,
	     test_burst_stops_queue_and_drains, test_small_txqueuelen_drops,
	     test_replace_root_pfifo_fast, test_tap_sees_outgoing)
