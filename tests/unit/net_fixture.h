/*
 * net_fixture.h - a one-host world for the net/core unit tests: its
 * initcalls are spawn_ksoftirqd, net_dev_init and the test's own, which
 * runs on CPU 0 in kernel_init's task; the world then runs until nothing
 * is left to do.  Also builds Ethernet/IPv4/TCP frames into skbs.
 * (Static functions: each test binary includes it once.)
 */
#ifndef KP_TEST_NET_FIXTURE_H
#define KP_TEST_NET_FIXTURE_H

#include <arpa/inet.h>
#include <string.h>

#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "net/core/netdevice.h"
#include "net/core/skbuff.h"
#include "sched/host.h"
#include "sched/sched.h"
#include "sched/softirq.h"

static void fx_teardown(struct kp_world *w)
{
	for (int i = 0; i < w->nr_hosts; i++)
		kp_host_destroy(w->hosts[i]);
	w->nr_hosts = 0;
}

static const struct kp_world_ops fx_world_ops = { .teardown = fx_teardown };

static inline struct kp_world *fx_run(int (*ic)(void), int nr_cpus)
{
	static struct kp_initcall calls[3];
	calls[0] = (struct kp_initcall){ KP_INITCALL_EARLY, "spawn_ksoftirqd",
					 spawn_ksoftirqd };
	calls[1] = (struct kp_initcall){ KP_INITCALL_SUBSYS, "net_dev_init",
					 net_dev_init };
	calls[2] = (struct kp_initcall){ KP_INITCALL_LATE, "test", ic };
	struct kp_world *w = calloc(1, sizeof(*w));
	kp_world_init(w, 1, 12);
	w->ops = &fx_world_ops;
	struct kp_host_config cfg = { .name = "h", .nr_cpus = nr_cpus,
				      .initcalls = calls, .nr_initcalls = 3 };
	struct kp_host *h = kp_host_create(w, &cfg);
	kp_host_power_on(h, 0);
	kp_world_set_mode(w, KP_RUN_CONTINUE, 0);
	kp_world_run(w);
	return w;
}

/* the devices a test made: drivers free theirs, the fixture frees these */
static struct net_device *fx_devs[8];
static int fx_nr_devs;

static inline void fx_free(struct kp_world *w)
{
	kp_world_destroy(w);
	free(w);
	while (fx_nr_devs > 0)
		free_netdev(fx_devs[--fx_nr_devs]);
}

static inline struct net *fx_net(struct kp_world *w)
{
	return w->hosts[0]->net;
}

static inline struct softnet_data *fx_sd(struct kp_world *w, int cpu)
{
	return kp_softnet_of(w->hosts[0]->cpus[cpu]);
}

static const unsigned char fx_mac_dev[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 2 };
static const unsigned char fx_mac_peer[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 1 };

/* A registered, up Ethernet device with GRO on. */
static inline struct net_device *fx_dev(void)
{
	struct net_device *dev = alloc_etherdev_mqs(0, 2, 2);
	memcpy(dev->dev_addr, fx_mac_dev, ETH_ALEN);
	register_netdev(dev);
	dev_open(dev);
	if (fx_nr_devs < 8)
		fx_devs[fx_nr_devs++] = dev;
	return dev;
}

static inline uint32_t fx_sum(const void *buf, unsigned int len, uint32_t sum)
{
	const unsigned char *p = buf;
	for (unsigned int i = 0; i < len; i += 2) {
		unsigned char w[2] = { p[i], i + 1 < len ? p[i + 1] : 0 };
		uint16_t v;
		memcpy(&v, w, 2);
		sum += v;
	}
	return sum;
}

static inline uint16_t fx_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

struct fx_tcp {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;   /* 0x10 ACK, 0x08 PSH ... */
	uint16_t ip_id;
	unsigned int payload;
};

/* An skb holding an Ethernet + IPv4 + TCP frame (checksums right), as a
 * driver hands it up: eth_type_trans done. */
static inline struct sk_buff *fx_tcp_skb(struct net_device *dev, const struct fx_tcp *t)
{
	unsigned int len = ETH_HLEN + 20 + 20 + t->payload;
	struct sk_buff *skb = netdev_alloc_skb_ip_align(dev, len);
	unsigned char *f = skb_put(skb, len);
	memset(f, 0, len);
	memcpy(f, dev->dev_addr, ETH_ALEN);
	memcpy(f + 6, fx_mac_peer, ETH_ALEN);
	f[12] = 0x08;
	f[13] = 0x00;
	unsigned char *ip = f + ETH_HLEN;
	ip[0] = 0x45;
	uint16_t tot = htons((uint16_t)(40 + t->payload));
	memcpy(ip + 2, &tot, 2);
	uint16_t id = htons(t->ip_id);
	memcpy(ip + 4, &id, 2);
	ip[6] = 0x40; /* DF */
	ip[8] = 64;
	ip[9] = 6;
	uint32_t saddr = htonl(0x0a000001), daddr = htonl(0x0a000002);
	memcpy(ip + 12, &saddr, 4);
	memcpy(ip + 16, &daddr, 4);
	uint16_t ck = fx_fold(fx_sum(ip, 20, 0));
	memcpy(ip + 10, &ck, 2);
	unsigned char *th = ip + 20;
	uint16_t sp = htons(t->sport), dp = htons(t->dport);
	uint32_t seq = htonl(t->seq), ack = htonl(t->ack);
	memcpy(th, &sp, 2);
	memcpy(th + 2, &dp, 2);
	memcpy(th + 4, &seq, 4);
	memcpy(th + 8, &ack, 4);
	th[12] = 5 << 4;
	th[13] = t->flags;
	th[14] = 0x10; /* window 4096 */
	for (unsigned int i = 0; i < t->payload; i++)
		th[20 + i] = (unsigned char)(t->seq + i);
	unsigned char ph[12];
	memcpy(ph, &saddr, 4);
	memcpy(ph + 4, &daddr, 4);
	ph[8] = 0;
	ph[9] = 6;
	ph[10] = (unsigned char)((20 + t->payload) >> 8);
	ph[11] = (unsigned char)(20 + t->payload);
	ck = fx_fold(fx_sum(th, 20 + t->payload, fx_sum(ph, 12, 0)));
	memcpy(th + 16, &ck, 2);
	skb->protocol = eth_type_trans(skb, dev);
	return skb;
}

#endif
