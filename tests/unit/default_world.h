/*
 * default_world.h - the default world (client and server, booted) for
 * unit tests that drive the stack between hosts, and A("10.0.0.1") for
 * an address in network order.  (Static inline: include it once.)
 */
#ifndef KP_TEST_DEFAULT_WORLD_H
#define KP_TEST_DEFAULT_WORLD_H

#include <arpa/inet.h>
#include <stdint.h>

#include "kernel/kernel.h"

static inline struct kp_world *boot(void)
{
	struct kp_world_config cfg;
	kp_world_config_default(&cfg);
	struct kp_world *w = kp_world_new(&cfg);
	kp_world_set_mode(w, KP_RUN_CONTINUE, 0);
	kp_world_run(w);
	return w;
}

static inline uint32_t A(const char *s)
{
	struct in_addr a;
	inet_pton(AF_INET, s, &a);
	return a.s_addr;
}

#endif
