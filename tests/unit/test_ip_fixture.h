/*
 * test_ip_fixture.h - a one-host world for the IPv4 unit tests: a stack
 * (struct net) with one Ethernet device "eth0" that is up and has
 * 10.0.0.2/24, a fake UDP handler that records and consumes what it is
 * given, and a builder of IPv4 packets as skbs.  The test body runs as
 * a late initcall, in the init task, so probes work.  (Test state is
 * file-scope: tests are not the product, and initcalls take no
 * argument.)
 */
#ifndef TEST_IP_FIXTURE_H
#define TEST_IP_FIXTURE_H

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "net/core/netdevice.h"
#include "net/core/skbuff.h"
#include "net/ipv4/inet_protocol.h"
#include "net/ipv4/inetdevice.h"
#include "net/ipv4/ip.h"
#include "net/ipv4/route.h"
#include "sched/host.h"
#include "sched/sched.h"
#include "sched/softirq.h"

static struct {
	struct net_device *dev;
	int delivered;
	unsigned int last_len;
	unsigned char last_payload[2048];
} fx;

static int fake_udp_rcv(struct sk_buff *skb)
{
	fx.delivered++;
	fx.last_len = skb->len;
	if (skb->len <= sizeof(fx.last_payload))
		skb_copy_bits(skb, 0, fx.last_payload, (int)skb->len);
	consume_skb(skb);
	return 0;
}

static const struct net_protocol fake_udp_protocol = {
	.handler = fake_udp_rcv,
};

static inline uint32_t A(const char *s)
{
	struct in_addr a;
	inet_pton(AF_INET, s, &a);
	return a.s_addr;
}

/* Sets up the device and addresses; call first in the test initcall. */
static void fx_setup(void)
{
	struct net *net = current_net();
	fx.dev = alloc_etherdev_mqs(0, 1, 1);
	register_netdev(fx.dev);
	dev_open(fx.dev);
	kp_inet_addr_add(fx.dev, A("10.0.0.2"), 24);
	inet_add_protocol(&fake_udp_protocol, IPPROTO_UDP);
	(void)net;
}

struct fx_pkt {
	const char *src, *dst;
	uint8_t proto;
	unsigned int payload;   /* bytes after the IP header */
	uint16_t id, frag_off;  /* frag_off host order: IP_MF | offset/8 */
	int ihl;                /* 0: 5 */
	int version;            /* 0: 4 */
	int tot_len;            /* 0: right */
	bool badsum;
	unsigned int pad;       /* extra bytes after tot_len */
	unsigned int trunc;     /* cut the skb to this many bytes */
	int pkt_type;
	uint8_t fill;           /* payload byte value base */
};

static struct sk_buff *fx_build(const struct fx_pkt *p)
{
	struct net *net = current_net();
	unsigned int ihl = p->ihl ? (unsigned)p->ihl : 5;
	unsigned int hl = ihl * 4 < 20 ? 20 : ihl * 4;
	unsigned int len = hl + p->payload;
	struct sk_buff *skb = alloc_skb(net, len + p->pad + 128);
	skb_reserve(skb, 64);
	skb_reset_network_header(skb);
	unsigned char *d = skb_put(skb, len + p->pad);
	memset(d, 0, len + p->pad);
	struct iphdr *iph = (struct iphdr *)d;
	iph->version = (uint8_t)(p->version ? p->version : 4);
	iph->ihl = (uint8_t)ihl;
	iph->tot_len = htons((uint16_t)(p->tot_len ? p->tot_len : (int)len));
	iph->id = htons(p->id);
	iph->frag_off = htons(p->frag_off);
	iph->ttl = 64;
	iph->protocol = p->proto ? p->proto : IPPROTO_UDP;
	iph->saddr = A(p->src ? p->src : "10.0.0.1");
	iph->daddr = A(p->dst ? p->dst : "10.0.0.2");
	for (unsigned int i = 0; i < p->payload; i++)
		d[hl + i] = (unsigned char)(p->fill + i);
	iph->check = 0;
	iph->check = ip_fast_csum(iph, ihl < 5 ? 5 : ihl);
	if (p->badsum)
		iph->check ^= 0x1234;
	if (p->trunc)
		pskb_trim(skb, p->trunc);
	skb->dev = fx.dev;
	skb->protocol = ETH_P_IP;
	skb->pkt_type = (uint8_t)p->pkt_type;
	skb->skb_iif = fx.dev->ifindex;
	return skb;
}

static inline int fx_rcv(const struct fx_pkt *p)
{
	struct sk_buff *skb = fx_build(p);
	return ip_rcv(skb, fx.dev, NULL, fx.dev);
}

static void fx_teardown_hosts(struct kp_world *w)
{
	for (int i = 0; i < w->nr_hosts; i++)
		kp_host_destroy(w->hosts[i]);
	w->nr_hosts = 0;
}

static const struct kp_world_ops fx_world_ops = {
	.teardown = fx_teardown_hosts,
};

static void fx_net_free(struct kp_host *h)
{
	struct net_device *dev, *n;
	struct net *net = h->net;
	list_for_each_entry_safe(dev, n, &net->dev_base_head, dev_list)
		free_netdev(dev);
	kp_net_free(net); /* the exits free in_devices, routes, queues */
	h->net = NULL;
}

static struct kp_world *fx_run(int (*body)(void))
{
	static struct kp_initcall calls[2];
	calls[0] = (struct kp_initcall){ KP_INITCALL_EARLY, "spawn_ksoftirqd",
					 spawn_ksoftirqd };
	calls[1] = (struct kp_initcall){ KP_INITCALL_LATE, "test", body };
	memset(&fx, 0, sizeof(fx));
	struct kp_world *w = calloc(1, sizeof(*w));
	kp_world_init(w, 1, 12);
	w->ops = &fx_world_ops;
	struct kp_host_config cfg = { .name = "h", .nr_cpus = 1,
				      .initcalls = calls, .nr_initcalls = 2 };
	struct kp_host *h = kp_host_create(w, &cfg);
	h->net = kp_net_create(h);
	h->net_free = fx_net_free;
	kp_host_power_on(h, 0);
	kp_world_set_mode(w, KP_RUN_CONTINUE, 0);
	kp_world_run(w);
	return w;
}

static inline struct net *fx_net(struct kp_world *w)
{
	return w->hosts[0]->net;
}

static void fx_free(struct kp_world *w)
{
	kp_world_destroy(w);
	free(w);
}

#endif
