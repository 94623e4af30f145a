/*
 * inetdevice.h - IPv4 addresses of a device (include/linux/inetdevice.h,
 * net/ipv4/devinet.c).
 *
 * dev->ip_ptr points to a struct in_device holding the device's
 * in_ifaddr list, primary addresses first, as `ip addr` lists them.
 * Leaves out: address lifetimes (always "forever"), secondary promotion,
 * netlink notifications, per-device devconf (net.ipv4.conf.all only).
 */
#ifndef KP_NET_IPV4_INETDEVICE_H
#define KP_NET_IPV4_INETDEVICE_H

#include <stdint.h>

#include "engine/list.h"
#include "net/core/netdevice.h"

/* ifa_flags (include/uapi/linux/if_addr.h) */
#define IFA_F_SECONDARY 0x01
#define IFA_F_PERMANENT 0x80
#define IFA_F_NOPREFIXROUTE 0x200

struct in_device;

struct in_ifaddr {
	struct in_ifaddr *ifa_next;
	struct in_device *ifa_dev;
	uint32_t ifa_local;      /* the address, network order */
	uint32_t ifa_address;    /* peer (= local on broadcast links) */
	uint32_t ifa_mask;
	uint32_t ifa_broadcast;
	unsigned char ifa_scope; /* RT_SCOPE_* */
	unsigned char ifa_prefixlen;
	uint32_t ifa_flags;      /* IFA_F_* */
	char ifa_label[IFNAMSIZ];
};

struct in_device {
	struct net_device *dev;
	struct in_ifaddr *ifa_list;
	struct list_head kp_list; /* on net->fib->in_devs, freed with it */
};

static inline struct in_device *__in_dev_get_rcu(const struct net_device *dev)
{
	return (struct in_device *)dev->ip_ptr;
}

/* Add @addr/@prefixlen (network order) to @dev, with the routes Linux's
 * fib_add_ifaddr adds: local table "local ADDR", "broadcast BRD", main
 * table "NET/LEN ... scope link src ADDR".  Usable outside a CPU (no
 * probes): from an init script or the `ip addr add` command.  0,
 * -EEXIST, -EINVAL or -ENOMEM. */
int kp_inet_addr_add(struct net_device *dev, uint32_t addr, int prefixlen);
/* Remove it and its routes.  0 or -EADDRNOTAVAIL. */
int kp_inet_addr_del(struct net_device *dev, uint32_t addr, int prefixlen);
/* Free the in_device of @dev (device unregistered, stack freed). */
void kp_inetdev_destroy(struct net_device *dev);

/* The first address of @dev with scope <= @scope (inet_select_addr), or
 * 0. */
uint32_t inet_select_addr(const struct net_device *dev, uint32_t dst,
			  int scope);

#endif
