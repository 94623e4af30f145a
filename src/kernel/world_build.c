/*
 * world_build.c - the default world: two hosts, `client` and `server`,
 * each with its CPUs, booted in parallel from time 0.
 */
#include "kernel.h"

#include <stdlib.h>

#include "initcalls.h"
#include "sched/host.h"

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
}

static const struct kp_world_ops kernel_world_ops = {
	.teardown = world_teardown,
};

struct kp_world *kp_world_new(const struct kp_world_config *cfg)
{
	static const char *const names[] = { "client", "server" };
	struct kp_world *w = malloc(sizeof(*w));
	if (!w)
		return NULL;
	if (kp_world_init(w, cfg->seed, cfg->trace_order)) {
		free(w);
		return NULL;
	}
	w->ops = &kernel_world_ops;
	for (int i = 0; i < 2; i++) {
		struct kp_host_config hc = {
			.name = names[i],
			.nr_cpus = cfg->nr_cpus,
			.initcalls = kp_host_initcalls,
			.nr_initcalls = kp_nr_host_initcalls,
			.init_script = NULL,
		};
		struct kp_host *h = kp_host_create(w, &hc);
		if (!h) {
			kp_world_free(w);
			return NULL;
		}
	}
	for (int i = 0; i < w->nr_hosts; i++)
		kp_host_power_on(w->hosts[i], 0);
	return w;
}

void kp_world_free(struct kp_world *w)
{
	if (!w)
		return;
	kp_world_destroy(w);
	free(w);
}
