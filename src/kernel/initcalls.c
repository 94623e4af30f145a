/*
 * initcalls.c - the initcalls of a kpath host, in the levels Linux runs
 * them (include/linux/init.h): early_initcall(spawn_ksoftirqd),
 * subsys_initcall(net_dev_init), fs_initcall(inet_init),
 * module_init(igb_init_module).
 */
#include "initcalls.h"

#include "hw/hw.h"
#include "net/core/netdevice.h"
#include "net/ipv4/af_inet.h"
#include "net/loopback.h"
#include "sched/softirq.h"

const struct kp_initcall kp_host_initcalls[] = {
	{ KP_INITCALL_EARLY, "spawn_ksoftirqd", spawn_ksoftirqd },
	{ KP_INITCALL_SUBSYS, "net_dev_init", net_dev_init },
	{ KP_INITCALL_SUBSYS, "loopback_net_init", loopback_net_init },
	{ KP_INITCALL_FS, "inet_init", inet_init },
	{ KP_INITCALL_DEVICE, "igb_init_module", igb_init_module },
};

const size_t kp_nr_host_initcalls =
	sizeof(kp_host_initcalls) / sizeof(kp_host_initcalls[0]);
