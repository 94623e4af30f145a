/*
 * kernel.h - the "kernel image": which initcalls each host runs, and the
 * default world (hosts, links, addresses).  This layer links the pieces
 * (sched, hw, net) together; only ui/ and main.c sit above it.
 */
#ifndef KP_KERNEL_KERNEL_H
#define KP_KERNEL_KERNEL_H

#include <stdint.h>

#include "engine/world.h"

struct kp_world_config {
	uint64_t seed;
	unsigned trace_order; /* trace ring holds 2^trace_order records */
	int nr_cpus;          /* CPUs per host */
};

#define KP_DEFAULT_TRACE_ORDER 16

void kp_world_config_default(struct kp_world_config *cfg);
/* Build the default world (client 10.0.0.1, server 10.0.0.2) at power-on.
 * Nothing has run yet: kp_world_run boots it. */
struct kp_world *kp_world_new(const struct kp_world_config *cfg);
void kp_world_free(struct kp_world *w);

#endif
