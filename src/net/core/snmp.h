/*
 * snmp.h - MIB counters (include/net/snmp.h, include/uapi/linux/snmp.h),
 * one flat array per host generated from snmp.def.  Linux keeps them per
 * CPU and sums on read; one emulated stack runs one event at a time, so
 * kpath keeps one copy.
 */
#ifndef KP_NET_CORE_SNMP_H
#define KP_NET_CORE_SNMP_H

#include <stdint.h>

enum kp_mib {
#define KP_MIB(group, name) KP_MIB_##group##_##name,
#include "snmp.def"
#undef KP_MIB
	KP_MIB_MAX
};

struct kp_mib_info {
	const char *group; /* "Ip", "TcpExt", ... */
	const char *name;  /* "InReceives", ... */
};
extern const struct kp_mib_info kp_mib_info[KP_MIB_MAX];

/* Counter by its nstat name ("UdpNoPorts"), or -1. */
int kp_mib_lookup(const char *nstat_name);

#define __KP_INC_STATS(net, field) ((net)->mib[field]++)
#define __KP_ADD_STATS(net, field, n) ((net)->mib[field] += (n))
/* Linux's spellings, for code that reads like the kernel's */
#define __IP_INC_STATS(net, f) __KP_INC_STATS(net, KP_MIB_Ip_##f)
#define __IP_ADD_STATS(net, f, n) __KP_ADD_STATS(net, KP_MIB_Ip_##f, n)
#define __IPEXT_INC_STATS(net, f) __KP_INC_STATS(net, KP_MIB_IpExt_##f)
#define __IPEXT_ADD_STATS(net, f, n) __KP_ADD_STATS(net, KP_MIB_IpExt_##f, n)
#define __ICMP_INC_STATS(net, f) __KP_INC_STATS(net, KP_MIB_Icmp_##f)
#define __UDP_INC_STATS(net, f) __KP_INC_STATS(net, KP_MIB_Udp_##f)
#define __TCP_INC_STATS(net, f) __KP_INC_STATS(net, KP_MIB_Tcp_##f)
#define __TCP_ADD_STATS(net, f, n) __KP_ADD_STATS(net, KP_MIB_Tcp_##f, n)
#define __NET_INC_STATS(net, f) __KP_INC_STATS(net, KP_MIB_TcpExt_##f)
#define __NET_ADD_STATS(net, f, n) __KP_ADD_STATS(net, KP_MIB_TcpExt_##f, n)

#endif
