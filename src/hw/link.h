/*
 * link.h - a full-duplex Ethernet wire between two NIC ports: per
 * direction, frames serialize one after another at the link's bandwidth
 * (with preamble, IFG and FCS), then arrive after the propagation delay;
 * a frame may be lost with the configured probability (world PRNG).
 */
#ifndef KP_HW_LINK_H
#define KP_HW_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "hw.h"

#define KP_ETH_PREAMBLE_IFG 20 /* 8 bytes preamble+SFD, 12 bytes gap */
#define KP_ETH_FCS 4

struct kp_link_dir {
	uint64_t busy_until; /* when the last queued frame's last bit leaves */
	uint64_t frames, bytes, lost;
};

struct kp_link {
	struct kp_world *world;
	struct kp_nic *port[2];
	struct kp_link_config cfg;
	struct kp_link_dir dir[2]; /* dir[i]: sent by port[i] */
};

/* Port @side puts a frame on the wire at @t (serialization starts when
 * the wire is free).  Returns when its last bit leaves. */
uint64_t kp_link_xmit(struct kp_link *l, int side, const uint8_t *frame,
		      size_t len, uint64_t t);
/* Time on the wire of a frame of @len bytes (without FCS). */
uint64_t kp_link_ser_ns(const struct kp_link *l, size_t len);
/* Drop the frames on their way to @nic and unplug it (kp_nic_free). */
void kp_nic_wire_free(struct kp_nic *nic);

#endif
