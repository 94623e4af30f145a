/*
 * test_ip_output.c - the IPv4 transmit path on the default two-host world
 * (client 10.0.0.1 -- server 10.0.0.2): raw UDP datagrams built here go
 * ip_local_out -> ... -> ip_finish_output2 -> the neighbour ->
 * dev_queue_xmit -> the igb driver -> the wire, wait in arp_queue while
 * ARP resolves, leave as fragments when over the MTU, are refused with DF
 * set, and come back in through lo for 127.0.0.1.
 */
#include <arpa/inet.h>
#include <errno.h>
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
#include "net/ipv4/ip_output.h"
#include "net/ipv4/route.h"
#include "sched/host.h"
#include "sched/sched.h"
#include "sched/smp.h"

/* What the kernel-side sender saw right after ip_local_out returned. */
struct send_req {
	struct net *net;
	uint32_t daddr;
	unsigned int payload;
	bool df;
	int rc;
	int route_err;
	/* neighbour state right after sending */
	uint8_t nud_after;
	uint32_t queued_after;
};

/* Runs on a host CPU: a UDP datagram (checksum 0) to port 9. */
static void send_udp(void *info)
{
	struct send_req *r = info;
	struct net *net = r->net;
	struct flowi4 fl4;
	struct rtable *rt;
	unsigned int len = 20 + 8 + r->payload;
	struct sk_buff *skb;
	struct iphdr *iph;
	unsigned char *udp;

	r->route_err = ip_route_output_ports(net, &fl4, NULL, r->daddr, 0,
					     htons(9), htons(4000),
					     IPPROTO_UDP, 0, 0, &rt);
	if (r->route_err)
		return;
	skb = alloc_skb(net, 16 + len);
	skb_reserve(skb, 16);
	skb_reset_network_header(skb);
	skb_put(skb, len);
	skb_set_transport_header(skb, 20);
	iph = ip_hdr(skb);
	memset(iph, 0, 20);
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = IPPROTO_UDP;
	iph->frag_off = r->df ? htons(IP_DF) : 0;
	iph->id = htons(77);
	iph->saddr = fl4.saddr;
	iph->daddr = fl4.daddr;
	udp = skb_transport_header(skb);
	uint16_t v = htons(4000);
	memcpy(udp, &v, 2);
	v = htons(9);
	memcpy(udp + 2, &v, 2);
	v = htons((uint16_t)(8 + r->payload));
	memcpy(udp + 4, &v, 2);
	memset(udp + 6, 0, 2);
	for (unsigned int i = 0; i < r->payload; i++)
		udp[8 + i] = (unsigned char)i;
	skb_dst_set_noref(skb, &rt->dst);
	r->rc = ip_local_out(net, NULL, skb);

	struct neighbour *n = net->arp_tbl ?
		neigh_lookup(net->arp_tbl, rt_nexthop(rt, r->daddr), rt->dst.dev) :
		NULL;
	r->nud_after = n ? n->nud_state : 0xff;
	r->queued_after = n ? skb_queue_len(&n->arp_queue) : 0;
}

static void do_send(struct kp_world *w, struct kp_host *h, struct send_req *r)
{
	r->net = h->net;
	kp_host_call(h, 0, send_udp, r, NULL);
	kp_world_set_mode(w, KP_RUN_UNTIL, kp_world_time(w) + 100000000ull);
	kp_world_run(w);
}

static struct neighbour *neigh_of(struct kp_host *h, const char *ip)
{
	struct net_device *dev = dev_get_by_name(h->net, "eth0");
	return neigh_lookup(h->net->arp_tbl, A(ip), dev);
}

KP_TEST(test_lo_is_ifindex_1)
{
	struct kp_world *w = boot();
	struct kp_host *h = kp_host_by_name(w, "server");
	struct net_device *lo = h->net->loopback_dev;
	KP_CHECK(st, lo != NULL);
	if (lo) {
		KP_CHECK_EQ(st, lo->ifindex, 1);
		KP_CHECK_STR(st, lo->name, "lo");
		KP_CHECK_EQ(st, lo->mtu, 65536);
		KP_CHECK(st, lo->flags & IFF_UP);
		KP_CHECK(st, lo->flags & IFF_LOOPBACK);
	}
	KP_CHECK_EQ(st, dev_get_by_name(h->net, "eth0")->ifindex, 2);
	KP_CHECK_EQ(st, inet_addr_type(h->net, A("127.0.0.1")), RTN_LOCAL);
	kp_world_free(w);
}

KP_TEST(test_first_packet_waits_for_arp)
{
	struct kp_world *w = boot();
	struct kp_host *c = kp_host_by_name(w, "client");
	struct kp_host *s = kp_host_by_name(w, "server");
	struct send_req r = { .daddr = A("10.0.0.2"), .payload = 100 };

	do_send(w, c, &r);
	KP_CHECK_EQ(st, r.route_err, 0);
	KP_CHECK_EQ(st, r.rc, 0);
	/* right after sending: resolving, the packet held */
	KP_CHECK_EQ(st, r.nud_after, NUD_INCOMPLETE);
	KP_CHECK_EQ(st, r.queued_after, 1);
	/* 100 ms later: the reply came, the packet left */
	struct neighbour *n = neigh_of(c, "10.0.0.2");
	KP_CHECK(st, n != NULL);
	if (n) {
		KP_CHECK_EQ(st, n->nud_state, NUD_REACHABLE);
		KP_CHECK_EQ(st, skb_queue_len(&n->arp_queue), 0);
		KP_CHECK_EQ(st, n->ha[5], 2); /* server's MAC 02:00:0a:00:00:02 */
	}
	/* the server learned the asker from the request (STALE; DELAY
	 * once its ICMP port unreachable went back through it) */
	struct neighbour *sn = neigh_of(s, "10.0.0.1");
	KP_CHECK(st, sn != NULL);
	if (sn) {
		KP_CHECK(st, sn->nud_state & (NUD_STALE | NUD_DELAY));
		KP_CHECK_EQ(st, sn->ha[5], 1);
	}
	KP_CHECK_EQ(st, c->net->mib[KP_MIB_Ip_OutRequests], 1);
	KP_CHECK_EQ(st, c->net->mib[KP_MIB_Ip_OutTransmits], 1);
	KP_CHECK_EQ(st, s->net->mib[KP_MIB_Ip_InReceives], 1);
	KP_CHECK_EQ(st, s->net->mib[KP_MIB_Udp_NoPorts], 1);

	/* a second packet goes straight out through the cached header */
	struct send_req r2 = { .daddr = A("10.0.0.2"), .payload = 10 };
	do_send(w, c, &r2);
	KP_CHECK_EQ(st, r2.queued_after, 0);
	KP_CHECK_EQ(st, s->net->mib[KP_MIB_Udp_NoPorts], 2);

	/* after reachable_time (15..45 s) without confirmation: STALE */
	kp_world_set_mode(w, KP_RUN_UNTIL, kp_world_time(w) + 50000000000ull);
	kp_world_run(w);
	n = neigh_of(c, "10.0.0.2");
	if (n)
		KP_CHECK_EQ(st, n->nud_state, NUD_STALE);

	/* used again while STALE: DELAY, then a unicast probe; the
	 * server answers, REACHABLE again */
	struct send_req r3 = { .daddr = A("10.0.0.2"), .payload = 10 };
	do_send(w, c, &r3);
	KP_CHECK_EQ(st, r3.nud_after, NUD_DELAY);
	kp_world_set_mode(w, KP_RUN_UNTIL, kp_world_time(w) + 7000000000ull);
	kp_world_run(w);
	n = neigh_of(c, "10.0.0.2");
	if (n)
		KP_CHECK_EQ(st, n->nud_state, NUD_REACHABLE);
	KP_CHECK_EQ(st, s->net->mib[KP_MIB_Udp_NoPorts], 3);
	kp_world_free(w);
}

KP_TEST(test_unanswered_arp_fails)
{
	struct kp_world *w = boot();
	struct kp_host *c = kp_host_by_name(w, "client");
	struct send_req r = { .daddr = A("10.0.0.9"), .payload = 10 };

	do_send(w, c, &r);
	KP_CHECK_EQ(st, r.nud_after, NUD_INCOMPLETE);
	KP_CHECK_EQ(st, r.queued_after, 1);
	/* mcast_solicit 3 requests, 1 s apart, then FAILED */
	kp_world_set_mode(w, KP_RUN_UNTIL, kp_world_time(w) + 5000000000ull);
	kp_world_run(w);
	struct neighbour *n = neigh_of(c, "10.0.0.9");
	KP_CHECK(st, n != NULL);
	if (n) {
		KP_CHECK_EQ(st, n->nud_state, NUD_FAILED);
		/* probes start at ucast_solicit: 3 broadcasts sent */
		KP_CHECK_EQ(st, n->probes, 6);
		KP_CHECK_EQ(st, skb_queue_len(&n->arp_queue), 0);
	}
	KP_CHECK_EQ(st, c->net->drops[SKB_DROP_REASON_NEIGH_FAILED], 1);
	KP_CHECK_EQ(st, c->net->arp_tbl->stats.res_failed, 1);
	kp_world_free(w);
}

KP_TEST(test_big_datagram_fragments)
{
	struct kp_world *w = boot();
	struct kp_host *c = kp_host_by_name(w, "client");
	struct kp_host *s = kp_host_by_name(w, "server");
	struct send_req r = { .daddr = A("10.0.0.2"), .payload = 4000 };

	do_send(w, c, &r);
	/* 4028 bytes of IP payload in 1480-byte pieces: 3 fragments */
	KP_CHECK_EQ(st, c->net->mib[KP_MIB_Ip_FragOKs], 1);
	KP_CHECK_EQ(st, c->net->mib[KP_MIB_Ip_FragCreates], 3);
	KP_CHECK_EQ(st, c->net->mib[KP_MIB_Ip_OutTransmits], 3);
	KP_CHECK_EQ(st, s->net->mib[KP_MIB_Ip_ReasmReqds], 3);
	KP_CHECK_EQ(st, s->net->mib[KP_MIB_Ip_ReasmOKs], 1);
	KP_CHECK_EQ(st, s->net->mib[KP_MIB_Udp_NoPorts], 1);
	kp_world_free(w);
}

KP_TEST(test_df_over_mtu_is_refused)
{
	struct kp_world *w = boot();
	struct kp_host *c = kp_host_by_name(w, "client");
	struct send_req r = { .daddr = A("10.0.0.2"), .payload = 2000,
			      .df = true };

	do_send(w, c, &r);
	KP_CHECK_EQ(st, r.rc, -EMSGSIZE);
	KP_CHECK_EQ(st, c->net->mib[KP_MIB_Ip_FragFails], 1);
	KP_CHECK_EQ(st, c->net->drops[SKB_DROP_REASON_PKT_TOO_BIG], 1);
	/* the frag-needed error went to ourselves (icmp_send) */
	KP_CHECK_EQ(st, c->net->mib[KP_MIB_Icmp_OutDestUnreachs], 1);
	KP_CHECK_EQ(st, c->net->mib[KP_MIB_Ip_FragCreates], 0);
	kp_world_free(w);
}

KP_TEST(test_loopback_delivers_locally)
{
	struct kp_world *w = boot();
	struct kp_host *s = kp_host_by_name(w, "server");
	struct net_device *lo = s->net->loopback_dev;
	struct send_req r = { .daddr = A("127.0.0.1"), .payload = 30000 };

	do_send(w, s, &r);
	KP_CHECK_EQ(st, r.rc, 0);
	KP_CHECK_EQ(st, r.nud_after, NUD_NOARP);
	/* 30028 bytes fit lo's 64 KiB MTU: one packet, no fragments */
	KP_CHECK_EQ(st, s->net->mib[KP_MIB_Ip_FragCreates], 0);
	/* the datagram, and the port unreachable it earns, both over lo */
	KP_CHECK_EQ(st, lo->stats.tx_packets, 2);
	KP_CHECK_EQ(st, lo->stats.rx_packets, 2);
	KP_CHECK_EQ(st, s->net->mib[KP_MIB_Ip_InReceives], 2);
	KP_CHECK_EQ(st, s->net->mib[KP_MIB_Udp_NoPorts], 1);
	KP_CHECK_EQ(st, dev_get_by_name(s->net, "eth0")->stats.tx_packets, 0);
	/* also to our own eth0 address: the local route uses lo */
	struct send_req r2 = { .daddr = A("10.0.0.2"), .payload = 10 };
	do_send(w, s, &r2);
	KP_CHECK_EQ(st, lo->stats.tx_packets, 4);
	KP_CHECK_EQ(st, s->net->mib[KP_MIB_Udp_NoPorts], 2);
	KP_CHECK_EQ(st, s->net->arp_tbl->stats.res_failed, 0);
	kp_world_free(w);
}

KP_TEST(test_no_route)
{
	struct kp_world *w = boot();
	struct kp_host *c = kp_host_by_name(w, "client");
	struct send_req r = { .daddr = A("192.168.7.7"), .payload = 10 };

	do_send(w, c, &r);
	KP_CHECK_EQ(st, r.route_err, -ENETUNREACH);
	KP_CHECK_EQ(st, c->net->mib[KP_MIB_Ip_OutNoRoutes], 1);
	kp_world_free(w);
}

KP_TEST_MAIN(test_lo_is_ifindex_1, test_first_packet_waits_for_arp,
	     test_unanswered_arp_fails, test_big_datagram_fragments,
	     test_df_over_mtu_is_refused, test_loopback_delivers_locally,
	     test_no_route)
