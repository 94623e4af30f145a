/*
 * initcalls.h - the table of initcalls every host runs at boot.
 */
#ifndef KP_KERNEL_INITCALLS_H
#define KP_KERNEL_INITCALLS_H

#include <stddef.h>

#include "sched/host.h"

extern const struct kp_initcall kp_host_initcalls[];
extern const size_t kp_nr_host_initcalls;

#endif
