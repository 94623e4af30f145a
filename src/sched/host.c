/*
 * host.c - creating, powering on and destroying a host, and the boot
 * path: start_kernel on CPU 0's idle task, then kernel_init (pid 1)
 * running the initcalls level by level (init/main.c).
 */
#include "host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "irq.h"
#include "smp.h"
#include "timer.h"

struct kp_host *kp_host_create(struct kp_world *w,
			       const struct kp_host_config *cfg)
{
	if (w->nr_hosts >= KP_MAX_HOSTS || cfg->nr_cpus < 1 ||
	    cfg->nr_cpus > KP_MAX_CPUS)
		return NULL;
	struct kp_host *h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->world = w;
	h->id = (uint16_t)w->nr_hosts;
	snprintf(h->name, sizeof(h->name), "%s", cfg->name);
	h->cfg = *cfg;
	h->nr_cpus = cfg->nr_cpus;
	INIT_LIST_HEAD(&h->tasks);
	h->next_pid = 1;
	snprintf(h->irq_desc[LOCAL_TIMER_IRQ].name,
		 sizeof(h->irq_desc[0].name), "LOC");
	snprintf(h->irq_desc[CALL_FUNCTION_IRQ].name,
		 sizeof(h->irq_desc[0].name), "CAL");
	for (int i = 0; i < h->nr_cpus; i++) {
		h->cpus[i] = kp_cpu_create(h, i);
		if (!h->cpus[i]) {
			kp_host_destroy(h);
			return NULL;
		}
	}
	w->hosts[w->nr_hosts++] = h;
	return h;
}

void kp_host_destroy(struct kp_host *h)
{
	if (h->fs_free)
		h->fs_free(h); /* files first: they point at sockets */
	if (h->net_free)
		h->net_free(h);
	if (h->hw_free)
		h->hw_free(h);
	struct task_struct *t, *n;
	list_for_each_entry_safe(t, n, &h->tasks, tasks) {
		list_del_init(&t->tasks);
		kp_task_free(t);
	}
	for (int i = 0; i < h->nr_cpus; i++) {
		if (!h->cpus[i])
			continue;
		kp_smp_cpu_free(h, i);
		if (h->cpus[i]->idle)
			kp_task_free(h->cpus[i]->idle);
		kp_cpu_free(h->cpus[i]);
	}
	free(h);
}

struct kp_host *kp_host_by_name(struct kp_world *w, const char *name)
{
	for (int i = 0; i < w->nr_hosts; i++)
		if (strcmp(w->hosts[i]->name, name) == 0)
			return w->hosts[i];
	return NULL;
}

int kp_hosts_booting(struct kp_world *w)
{
	int n = 0;
	for (int i = 0; i < w->nr_hosts; i++)
		n += !w->hosts[i]->booted;
	return n;
}

static int do_one_initcall(const struct kp_initcall *ic)
{
	KP_FUNC_ARG(do_one_initcall, KP_NOOBJ, ic->level);
	return ic->fn();
}

static void do_initcalls(struct kp_host *h)
{
	for (int level = 0; level < KP_INITCALL_NR; level++)
		for (size_t i = 0; i < h->cfg.nr_initcalls; i++)
			if ((int)h->cfg.initcalls[i].level == level)
				do_one_initcall(&h->cfg.initcalls[i]);
}

static void kernel_init(void *arg)
{
	KP_FUNC0(kernel_init);
	struct kp_host *h = arg;

	do_initcalls(h);
	if (h->cfg.init_script)
		h->cfg.init_script(h);
	h->booted = true;
	/* /sbin/init would take over here; pid 1 sleeps, as init does. */
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		schedule();
	}
}

static void start_kernel(struct kp_host *h)
{
	KP_FUNC0(start_kernel);
	init_timers();
	/* rest_init(): pid 1 runs the initcalls, this task becomes idle */
	struct task_struct *init =
		kp_task_create(h, "init", kernel_init, h, -1, true);
	h->init_task = init;
	wake_up_process(init);
}

static void idle_entry(void *arg)
{
	struct task_struct *idle = arg;
	struct kp_host *h = idle->host;
	if (idle->cpu == 0 && !h->init_task)
		start_kernel(h);
	cpu_idle_loop();
}

void kp_host_power_on(struct kp_host *h, uint64_t t)
{
	for (int i = 0; i < h->nr_cpus; i++) {
		struct kp_cpu *cpu = h->cpus[i];
		char comm[TASK_COMM_LEN];
		snprintf(comm, sizeof(comm), "swapper/%u", (unsigned)i & 0xffu);
		pid_t saved = h->next_pid;
		struct task_struct *idle =
			kp_task_create(h, comm, idle_entry, NULL, i, true);
		if (!idle)
			abort();
		idle->arg = idle;
		idle->pid = 0;
		h->next_pid = saved;
		/* idle tasks are per CPU, not on the task list */
		list_del_init(&idle->tasks);
		idle->state = TASK_RUNNING;
		idle->on_cpu = true;
		cpu->idle = cpu->curr = idle;
		kp_vcpu_set_pid(&cpu->v, 0);
		cpu->v.coro = &idle->coro;
		cpu->v.clock = t;
		kp_timer_cpu_init(cpu);
	}
	kp_vcpu_start(&h->cpus[0]->v, &h->cpus[0]->idle->coro, t);
}
