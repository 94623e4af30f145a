/*
 * test_igb.c - the igb driver on the default world: boot probes eth0 on
 * both hosts and opens it (rings filled, MSI-X lines named like igb's),
 * and an injected frame goes wire -> DMA -> IRQ -> igb_poll -> the
 * stack, with the ring refilled behind it and ethtool -S counting it.
 */
#include <stdlib.h>
#include <string.h>

#include "hw/hw.h"
#include "hw/igb.h"
#include "hw/nic_view.h"
#include "kernel/kernel.h"
#include "default_world.h"
#include "kp_test.h"
#include "net/core/net_namespace.h"
#include "sched/host.h"

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

KP_TEST(test_boot_opens_eth0)
{
	struct kp_world *w = boot();
	struct kp_host *h = kp_host_by_name(w, "server");
	KP_CHECK(st, h != NULL);
	struct net_device *dev = dev_get_by_name(h->net, "eth0");
	KP_CHECK(st, dev != NULL);
	if (!dev)
		goto out;
	KP_CHECK(st, dev->flags & IFF_UP);
	struct ethtool_drvinfo di;
	dev->ethtool_ops->get_drvinfo(dev, &di);
	KP_CHECK_STR(st, di.driver, "igb");
	struct ethtool_ringparam rp;
	dev->ethtool_ops->get_ringparam(dev, &rp);
	KP_CHECK_EQ(st, rp.rx_pending, 256);
	struct kp_ring_view v = { 0 };
	KP_CHECK_EQ(st, kp_nic_rx_ring_view(dev, 0, &v), 0);
	KP_CHECK_EQ(st, v.tail, 255); /* all but one posted */
	KP_CHECK_EQ(st, v.head, 0);
	KP_CHECK_STR(st, h->irq_desc[v.irq].name, "eth0-TxRx-0");
out:
	kp_world_free(w);
}

KP_TEST(test_inject_reaches_stack)
{
	struct kp_world *w = boot();
	struct kp_host *h = kp_host_by_name(w, "server");
	struct net_device *dev = dev_get_by_name(h->net, "eth0");
	if (!dev) {
		KP_CHECK(st, dev != NULL);
		kp_world_free(w);
		return;
	}
	/* a broadcast ARP request: every queue setup sees it on queue 0 */
	uint8_t f[42] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 9,
			  0x08, 0x06 };
	uint64_t copied = h->net->skb.bytes_copied;
	KP_CHECK_EQ(st, kp_wire_inject(h, "eth0", f, sizeof(f), w->now + 1000), 0);
	KP_CHECK_EQ(st, kp_wire_inject(h, "eth9", f, sizeof(f), 0), -19);
	kp_world_set_mode(w, KP_RUN_CONTINUE, 0);
	kp_world_run(w);
	KP_CHECK_EQ(st, stat_by_name(dev, "rx_queue_0_packets"), 1);
	KP_CHECK_EQ(st, stat_by_name(dev, "rx_packets"), 1);
	KP_CHECK_EQ(st, stat_by_name(dev, "rx_missed_errors"), 0);
	KP_CHECK(st, h->net->skb.bytes_copied >= copied + 60);
	struct kp_ring_view v = { 0 };
	kp_nic_rx_ring_view(dev, 0, &v);
	KP_CHECK_EQ(st, v.next_to_clean, 1);
	KP_CHECK_EQ(st, v.head, 1);
	KP_CHECK_EQ(st, v.tail, 0); /* refilled: the slot went back */
	kp_world_free(w);
}

KP_TEST_MAIN(test_boot_opens_eth0, test_inject_reaches_stack)
