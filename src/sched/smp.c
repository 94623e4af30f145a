/*
 * smp.c - the function-call interrupt and its per-CPU queue.
 */
#include "smp.h"

#include <errno.h>
#include <stdlib.h>

#include "engine/probe.h"
#include "host.h"
#include "irq.h"

struct call_single_data {
	struct list_head list;
	smp_call_func_t func;
	void *info;
	void (*info_free)(void *);
};

int kp_host_call(struct kp_host *h, int cpu, smp_call_func_t func, void *info,
		 void (*info_free)(void *))
{
	struct call_single_data *csd = NULL;
	if (cpu >= 0 && cpu < h->nr_cpus)
		csd = malloc(sizeof(*csd));
	if (!csd) {
		if (info_free)
			info_free(info);
		return cpu >= 0 && cpu < h->nr_cpus ? -ENOMEM : -EINVAL;
	}
	csd->func = func;
	csd->info = info;
	csd->info_free = info_free;
	struct kp_cpu *c = h->cpus[cpu];
	list_add_tail(&csd->list, &c->call_single_queue);
	c->irq_lines |= 1ull << CALL_FUNCTION_IRQ;
	c->v.irq_pending = true;
	kp_vcpu_kick(&c->v, h->world->now);
	return 0;
}

void generic_smp_call_function_single_interrupt(void)
{
	KP_FUNC0(generic_smp_call_function_single_interrupt);
	struct kp_cpu *cpu = this_cpu();
	while (!list_empty(&cpu->call_single_queue)) {
		struct call_single_data *csd =
			list_first_entry(&cpu->call_single_queue,
					 struct call_single_data, list);
		list_del_init(&csd->list);
		cpu->csd_running = csd;
		csd->func(csd->info);
		cpu->csd_running = NULL;
		if (csd->info_free)
			csd->info_free(csd->info);
		free(csd);
	}
}

void kp_smp_cpu_free(struct kp_host *h, int cpu)
{
	struct kp_cpu *c = h->cpus[cpu];
	if (c->csd_running) {
		struct call_single_data *csd = c->csd_running;
		c->csd_running = NULL;
		if (csd->info_free)
			csd->info_free(csd->info);
		free(csd);
	}
	while (!list_empty(&c->call_single_queue)) {
		struct call_single_data *csd =
			list_first_entry(&c->call_single_queue,
					 struct call_single_data, list);
		list_del_init(&csd->list);
		if (csd->info_free)
			csd->info_free(csd->info);
		free(csd);
	}
}
