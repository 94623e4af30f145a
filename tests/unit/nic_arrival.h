/*
 * nic_arrival.h - a frame reaching a bare NIC at a virtual time, for unit
 * tests that drive the device without a wire: fill an arrival's bytes,
 * then queue it with kp_world_at(w, t, arrive, a, 0, NULL); the event
 * hands it to kp_nic_rx_frame and frees it.  (Static functions: each
 * test binary includes it once.)
 */
#ifndef KP_TEST_NIC_ARRIVAL_H
#define KP_TEST_NIC_ARRIVAL_H

#include <stdint.h>
#include <stdlib.h>

#include "engine/world.h"
#include "hw/nic.h"

struct arrival {
	struct kp_nic *nic;
	size_t len;
	uint8_t data[9018]; /* a jumbo frame without FCS */
};

static void arrive(struct kp_world *w, void *arg, uint64_t data)
{
	(void)w;
	(void)data;
	struct arrival *a = arg;
	kp_nic_rx_frame(a->nic, a->data, a->len);
	free(a);
}

#endif
