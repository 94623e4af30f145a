/*
 * world_build.c - the default world: two hosts, `client` 10.0.0.1 and
 * `server` 10.0.0.2, each with its CPUs, its network stack and one igb
 * NIC eth0 (two queues) on its PCI bus, joined by a 1 Gbit/s wire; booted
 * in parallel from time 0.  The init script each host runs after its
 * initcalls is what a distribution's network setup would do: `ip link set
 * eth0 up`, `ip addr add 10.0.0.N/24 dev eth0`.
 */
#include "kernel.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/hw.h"
#include "initcalls.h"
#include "net/core/net_namespace.h"
#include "net/core/netdevice.h"
#include "net/ipv4/inetdevice.h"
#include "sched/host.h"

#define KP_DEFAULT_NIC_QUEUES 2

struct kp_host_plan {
	const char *name;
	const char *addr;
	uint8_t mac[6];
};

static const struct kp_host_plan default_hosts[] = {
	{ "client", "10.0.0.1", { 0x02, 0x00, 0x0a, 0x00, 0x00, 0x01 } },
	{ "server", "10.0.0.2", { 0x02, 0x00, 0x0a, 0x00, 0x00, 0x02 } },
};
#define NR_DEFAULT_HOSTS (int)(sizeof(default_hosts) / sizeof(default_hosts[0]))

void kp_world_config_default(struct kp_world_config *cfg)
{
	cfg->seed = 1;
	cfg->trace_order = KP_DEFAULT_TRACE_ORDER;
	cfg->nr_cpus = 2;
}

static void world_teardown(struct kp_world *w)
{
	for (int i = w->nr_hosts - 1; i >= 0; i--)
		kp_host_destroy(w->hosts[i]);
	w->nr_hosts = 0;
	kp_links_free(w);
}

/* Packet conservation, after every event of a debug build: every skb a
 * stack made is alive, consumed or dropped - none lost, none freed twice. */
static void world_check(struct kp_world *w)
{
	char why[160];
	for (int i = 0; i < w->nr_hosts; i++) {
		struct kp_host *h = w->hosts[i];
		if (h->net && kp_net_check_skbs(h->net, why, sizeof(why))) {
			fprintf(stderr, "kpath: %s: skb accounting broken: %s\n",
				h->name, why);
			abort();
		}
	}
}

static const struct kp_world_ops kernel_world_ops = {
	.teardown = world_teardown,
	.check = world_check,
};

static void host_net_free(struct kp_host *h)
{
	kp_net_free(h->net);
	h->net = NULL;
}

static const struct kp_host_plan *plan_of(const struct kp_host *h)
{
	for (int i = 0; i < NR_DEFAULT_HOSTS; i++)
		if (!strcmp(default_hosts[i].name, h->name))
			return &default_hosts[i];
	return NULL;
}

/* Runs in the init task once the initcalls are done. */
static void default_init_script(struct kp_host *h)
{
	const struct kp_host_plan *plan = plan_of(h);
	struct net_device *lo = h->net->loopback_dev;
	struct net_device *dev = dev_get_by_name(h->net, "eth0");
	if (lo && !dev_open(lo))
		kp_inet_addr_add(lo, htonl(INADDR_LOOPBACK), 8);
	if (!plan || !dev)
		return;
	if (dev_open(dev))
		return;
	struct in_addr a;
	if (inet_pton(AF_INET, plan->addr, &a) == 1)
		kp_inet_addr_add(dev, a.s_addr, 24);
}

struct kp_world *kp_world_new(const struct kp_world_config *cfg)
{
	struct kp_world *w = malloc(sizeof(*w));
	if (!w)
		return NULL;
	if (kp_world_init(w, cfg->seed, cfg->trace_order)) {
		free(w);
		return NULL;
	}
	w->ops = &kernel_world_ops;
	struct kp_nic *nics[NR_DEFAULT_HOSTS];
	for (int i = 0; i < NR_DEFAULT_HOSTS; i++) {
		struct kp_host_config hc = {
			.name = default_hosts[i].name,
			.nr_cpus = cfg->nr_cpus,
			.initcalls = kp_host_initcalls,
			.nr_initcalls = kp_nr_host_initcalls,
			.init_script = default_init_script,
		};
		struct kp_host *h = kp_host_create(w, &hc);
		if (!h)
			goto fail;
		h->net = kp_net_create(h);
		if (!h->net)
			goto fail;
		h->net_free = host_net_free;
		nics[i] = kp_nic_create(h, "0000:01:00.0", default_hosts[i].mac,
					KP_DEFAULT_NIC_QUEUES);
		if (!nics[i])
			goto fail;
	}
	const struct kp_link_config link = {
		.bandwidth_bps = 1000000000ull,
		.latency_ns = 10000,
		.loss = 0,
	};
	if (kp_link_connect(w, nics[0], nics[1], &link))
		goto fail;
	for (int i = 0; i < w->nr_hosts; i++)
		kp_host_power_on(w->hosts[i], 0);
	return w;
fail:
	kp_world_free(w);
	return NULL;
}

void kp_world_free(struct kp_world *w)
{
	if (!w)
		return;
	kp_world_destroy(w);
	free(w);
}
