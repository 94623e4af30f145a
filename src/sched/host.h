/*
 * host.h - one emulated machine: its CPUs, tasks, interrupt lines, softirq
 * vector and initcalls.  Hosts are separate kernels (like network
 * namespaces on separate machines); the net and hw layers hang their
 * per-host state off the opaque pointers here.
 */
#ifndef KP_SCHED_HOST_H
#define KP_SCHED_HOST_H

#include <stdbool.h>
#include <stddef.h>

#include "sched.h"
#include "softirq.h"
#include "irq.h"

enum kp_initcall_level {
	KP_INITCALL_EARLY,
	KP_INITCALL_CORE,
	KP_INITCALL_POSTCORE,
	KP_INITCALL_ARCH,
	KP_INITCALL_SUBSYS,
	KP_INITCALL_FS,
	KP_INITCALL_DEVICE, /* module_init of built-in drivers */
	KP_INITCALL_LATE,
	KP_INITCALL_NR
};

struct kp_initcall {
	enum kp_initcall_level level;
	const char *name;
	int (*fn)(void);
};

struct kp_host_config {
	const char *name;
	int nr_cpus;
	const struct kp_initcall *initcalls;
	size_t nr_initcalls;
	/* What init runs once the initcalls are done (bring links up, set
	 * addresses): like an init script.  May be NULL. */
	void (*init_script)(struct kp_host *h);
};

struct kp_host {
	struct kp_world *world;
	uint16_t id;
	char name[32];
	int nr_cpus;
	struct kp_cpu *cpus[KP_MAX_CPUS];
	struct list_head tasks; /* by pid */
	pid_t next_pid;
	struct task_struct *init_task; /* pid 1 */
	struct kp_host_config cfg;
	bool booted;

	struct softirq_action softirq_vec[NR_SOFTIRQS];
	struct irq_desc irq_desc[KP_NR_IRQS];

	struct net *net; /* the network stack's state (src/net) */
	void *hw;        /* devices (src/hw) */
	struct kp_fs *fs; /* open files and file tables (src/net/file.c) */
	void (*net_free)(struct kp_host *h);
	void (*hw_free)(struct kp_host *h);
	void (*fs_free)(struct kp_host *h);
};

struct kp_host *kp_host_create(struct kp_world *w,
			       const struct kp_host_config *cfg);
void kp_host_destroy(struct kp_host *h);
/* Power on: start_kernel on CPU 0 at time @t. */
void kp_host_power_on(struct kp_host *h, uint64_t t);
struct kp_host *kp_host_by_name(struct kp_world *w, const char *name);
/* Hosts still booting; 0 once every host's init is done. */
int kp_hosts_booting(struct kp_world *w);

#endif
