/*
 * hw.h - what the kernel layer (src/kernel/world_build.c) and the UI use
 * to build and feed a host's hardware: NICs on its PCI bus, links
 * between NIC ports, and frames injected on a wire.
 */
#ifndef KP_HW_HW_H
#define KP_HW_HW_H

#include <stddef.h>
#include <stdint.h>

struct kp_host;
struct kp_world;
struct kp_nic;

struct kp_link_config {
	uint64_t bandwidth_bps; /* 0: 1 Gbit/s */
	uint64_t latency_ns;    /* propagation delay, one way */
	double loss;            /* probability a frame is lost, 0..1 */
};

/* Put an 82576 on @h's PCI bus at @pci_slot ("0000:01:00.0") before
 * power-on; igb_probe finds it at boot.  NULL on error. */
struct kp_nic *kp_nic_create(struct kp_host *h, const char *pci_slot,
			     const uint8_t mac[6], int nr_queues);

/* Join two NIC ports by a full-duplex wire.  0 or -errno. */
int kp_link_connect(struct kp_world *w, struct kp_nic *a, struct kp_nic *b,
		    const struct kp_link_config *cfg);

/* Free every link of the world: call from the world teardown, after the
 * hosts (their NICs unplug themselves when freed). */
void kp_links_free(struct kp_world *w);

/* A frame on the wire that reaches @h's NIC @ifname ("eth0") at @at_ns
 * (or now, if that is past).  Engine context: only queues an event.
 * 0, -ENODEV (no such NIC), -EINVAL (bad length), -ENOMEM. */
int kp_wire_inject(struct kp_host *h, const char *ifname,
		   const uint8_t *frame, size_t len, uint64_t at_ns);

/* The NIC named @ifname on @h (its netdev's name, or "ethN" by PCI order
 * before the driver has named it), or NULL. */
struct kp_nic *kp_nic_by_name(struct kp_host *h, const char *ifname);

/* igb_main.c: module_init of the driver (KP_INITCALL_DEVICE). */
int igb_init_module(void);

#endif
