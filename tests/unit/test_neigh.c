/*
 * test_neigh.c - the neighbour layer on the default world: the arp_queue
 * limit (unres_qlen_bytes), neigh_update releasing the queue, NOARP
 * entries for broadcast and loopback, flush, and the NUD state names.
 * The kernel side runs on the client's CPU 0 through kp_host_call.
 */
#include <arpa/inet.h>
#include <string.h>

#include "engine/world.h"
#include "kernel/kernel.h"
#include "default_world.h"
#include "kp_test.h"
#include "net/core/neighbour.h"
#include "net/core/net_namespace.h"
#include "net/core/netdevice.h"
#include "net/ipv4/arp.h"
#include "net/ipv4/ip.h"
#include "net/ipv4/route.h"
#include "sched/host.h"
#include "sched/smp.h"

static void run_for(struct kp_world *w, uint64_t ns)
{
	kp_world_set_mode(w, KP_RUN_UNTIL, kp_world_time(w) + ns);
	kp_world_run(w);
}

struct neigh_req {
	struct net *net;
	uint32_t key;
	int npackets;
	unsigned int payload;
	const unsigned char *lladdr; /* neigh_update with it when set */
	int flush;
	/* results */
	uint8_t state;
	uint32_t qlen;
	unsigned int qbytes;
	int flushed;
};

/* An IP packet (no transport) for @key through its neighbour. */
static struct sk_buff *ip_skb(struct net *net, struct net_device *dev,
			      uint32_t key, unsigned int payload)
{
	struct sk_buff *skb = alloc_skb(net, 16 + 20 + payload);
	struct iphdr *iph;

	skb_reserve(skb, 16);
	skb_reset_network_header(skb);
	skb_put(skb, 20 + payload);
	iph = ip_hdr(skb);
	memset(skb->data, 0, 20 + payload);
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = 253; /* experimental: nobody handles it */
	iph->tot_len = htons((uint16_t)(20 + payload));
	iph->saddr = A("10.0.0.1");
	iph->daddr = key;
	ip_send_check(iph);
	skb->protocol = ETH_P_IP;
	skb->dev = dev;
	return skb;
}

static void neigh_work(void *info)
{
	struct neigh_req *r = info;
	struct net_device *dev = dev_get_by_name(r->net, "eth0");
	struct neighbour *n = __neigh_lookup(r->net->arp_tbl, r->key, dev,
					     true);

	for (int i = 0; i < r->npackets; i++)
		neigh_resolve_output(n, ip_skb(r->net, dev, r->key, r->payload));
	if (r->lladdr)
		neigh_update(n, r->lladdr, NUD_REACHABLE,
			     NEIGH_UPDATE_F_OVERRIDE);
	if (r->flush)
		r->flushed = neigh_flush_dev(r->net->arp_tbl, dev);
	n = neigh_lookup(r->net->arp_tbl, r->key, dev);
	r->state = n ? n->nud_state : 0xff;
	r->qlen = n ? skb_queue_len(&n->arp_queue) : 0;
	r->qbytes = n ? n->arp_queue_len_bytes : 0;
}

static void call(struct kp_world *w, struct kp_host *h, struct neigh_req *r)
{
	r->net = h->net;
	kp_host_call(h, 0, neigh_work, r, NULL);
	run_for(w, 1000000); /* 1 ms: the call, not the ARP timers */
}

KP_TEST(test_queue_limit)
{
	struct kp_world *w = boot();
	struct kp_host *c = kp_host_by_name(w, "client");
	struct net *net = c->net;

	/* room for two 1000-byte packets' truesize (1664 each), not
	 * three: the oldest is dropped */
	net->sysctl.neigh_unres_qlen_bytes = 4000;
	struct neigh_req r = { .key = A("10.0.0.9"), .npackets = 3,
			       .payload = 1000 };
	call(w, c, &r);
	KP_CHECK_EQ(st, r.state, NUD_INCOMPLETE);
	KP_CHECK_EQ(st, r.qlen, 2);
	KP_CHECK(st, r.qbytes <= 4000);
	KP_CHECK_EQ(st, net->drops[SKB_DROP_REASON_NEIGH_QUEUEFULL], 3 - r.qlen);
	KP_CHECK_EQ(st, net->arp_tbl->stats.unres_discards, 3 - r.qlen);
	/* one request went out at once */
	KP_CHECK_EQ(st, dev_get_by_name(net, "eth0")->stats.tx_packets, 1);
	kp_world_free(w);
}

KP_TEST(test_update_releases_queue)
{
	struct kp_world *w = boot();
	struct kp_host *c = kp_host_by_name(w, "client");
	struct net_device *eth0 = dev_get_by_name(c->net, "eth0");
	static const unsigned char mac[ETH_ALEN] = { 2, 0, 0x0a, 0, 0, 9 };

	/* two packets wait, then an answer comes (as arp_process would) */
	struct neigh_req r = { .key = A("10.0.0.9"), .npackets = 2,
			       .payload = 10, .lladdr = mac };
	call(w, c, &r);
	KP_CHECK_EQ(st, r.state, NUD_REACHABLE);
	KP_CHECK_EQ(st, r.qlen, 0);
	KP_CHECK_EQ(st, r.qbytes, 0);
	/* the request and both packets */
	KP_CHECK_EQ(st, eth0->stats.tx_packets, 3);
	struct neighbour *n = neigh_lookup(c->net->arp_tbl, A("10.0.0.9"), eth0);
	KP_CHECK(st, n && !memcmp(n->ha, mac, ETH_ALEN));
	/* connected: no more resolution on the way out */
	KP_CHECK(st, n && n->output == neigh_connected_output);
	KP_CHECK_STR(st, neigh_state_name(n ? n->nud_state : 0), "REACHABLE");

	/* flush removes it (and only dynamic entries) */
	struct neigh_req f = { .key = A("10.0.0.255"), .flush = 1 };
	call(w, c, &f);
	KP_CHECK_EQ(st, f.flushed, 1);
	KP_CHECK(st, neigh_lookup(c->net->arp_tbl, A("10.0.0.9"), eth0) == NULL);
	/* the broadcast entry is NOARP with ff:ff:.. and survives */
	KP_CHECK_EQ(st, f.state, NUD_NOARP);
	n = neigh_lookup(c->net->arp_tbl, A("10.0.0.255"), eth0);
	KP_CHECK(st, n && n->ha[0] == 0xff && n->ha[5] == 0xff);
	kp_world_free(w);
}

KP_TEST(test_state_names)
{
	KP_CHECK_STR(st, neigh_state_name(NUD_INCOMPLETE), "INCOMPLETE");
	KP_CHECK_STR(st, neigh_state_name(NUD_STALE), "STALE");
	KP_CHECK_STR(st, neigh_state_name(NUD_DELAY), "DELAY");
	KP_CHECK_STR(st, neigh_state_name(NUD_PROBE), "PROBE");
	KP_CHECK_STR(st, neigh_state_name(NUD_FAILED), "FAILED");
	KP_CHECK_STR(st, neigh_state_name(NUD_NOARP), "NOARP");
	KP_CHECK_STR(st, neigh_state_name(NUD_PERMANENT), "PERMANENT");
	KP_CHECK(st, (NUD_CONNECTED & NUD_STALE) == 0);
	KP_CHECK(st, NUD_VALID & NUD_STALE);
}

KP_TEST_MAIN(test_queue_limit, test_update_releases_queue, test_state_names)
