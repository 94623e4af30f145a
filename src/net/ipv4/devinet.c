/*
 * devinet.c - IPv4 addresses of devices (net/ipv4/devinet.c) and the
 * routes each address brings (fib_add_ifaddr / fib_del_ifaddr,
 * net/ipv4/fib_frontend.c).
 *
 * Departures: addresses are added directly (no RTM_NEWADDR netlink
 * message, no notifier chain), and the routes are added whether or not
 * the device is up (Linux adds all but the local route at NETDEV_UP).
 * Leaves out secondary-address promotion and address lifetimes.
 */
#include "inetdevice.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ip.h"
#include "net/core/net_namespace.h"
#include "route.h"

static struct in_device *inetdev_init(struct net_device *dev)
{
	struct in_device *in_dev = dev->ip_ptr;

	if (in_dev)
		return in_dev;
	struct kp_fib *fib = kp_fib_get(dev->nd_net);
	if (!fib)
		return NULL;
	in_dev = calloc(1, sizeof(*in_dev));
	if (!in_dev)
		return NULL;
	in_dev->dev = dev;
	list_add_tail(&in_dev->kp_list, &fib->in_devs);
	dev->ip_ptr = in_dev;
	return in_dev;
}

void kp_inetdev_destroy(struct net_device *dev)
{
	struct in_device *in_dev = dev->ip_ptr;

	if (!in_dev)
		return;
	while (in_dev->ifa_list) {
		struct in_ifaddr *ifa = in_dev->ifa_list;
		in_dev->ifa_list = ifa->ifa_next;
		free(ifa);
	}
	list_del(&in_dev->kp_list);
	free(in_dev);
	dev->ip_ptr = NULL;
}

uint32_t inet_select_addr(const struct net_device *dev, uint32_t dst,
			  int scope)
{
	const struct in_device *in_dev = __in_dev_get_rcu(dev);
	uint32_t addr = 0;

	if (!in_dev)
		return 0;
	for (const struct in_ifaddr *ifa = in_dev->ifa_list; ifa;
	     ifa = ifa->ifa_next) {
		if (ifa->ifa_flags & IFA_F_SECONDARY)
			continue;
		if (ifa->ifa_scope > scope)
			continue;
		if (!dst || !((dst ^ ifa->ifa_address) & ifa->ifa_mask))
			return ifa->ifa_local;
		if (!addr)
			addr = ifa->ifa_local;
	}
	return addr;
}

/* fib_magic: add or delete a kernel route of @type for @ifa. */
static void fib_magic(struct net *net, bool add, int type, uint32_t dst,
		      int dst_len, const struct in_ifaddr *ifa)
{
	struct net_device *dev = ifa->ifa_dev->dev;
	struct fib_route cfg = {
		.tb_id = type == RTN_UNICAST ? RT_TABLE_MAIN : RT_TABLE_LOCAL,
		.dst = dst,
		.dst_len = (uint8_t)dst_len,
		.type = (uint8_t)type,
		.scope = type == RTN_LOCAL ? RT_SCOPE_HOST : RT_SCOPE_LINK,
		.protocol = RTPROT_KERNEL,
		.prefsrc = ifa->ifa_local,
		.dev = dev,
	};
	struct fib_table *tb = fib_get_table(net, cfg.tb_id);

	if (!tb)
		return;
	if (add)
		fib_table_insert(net, tb, &cfg);
	else
		fib_table_delete(net, tb, &cfg);
}

/* fib_add_ifaddr / fib_del_ifaddr (net/ipv4/fib_frontend.c) */
static void fib_ifaddr_routes(struct net *net, bool add,
			      const struct in_ifaddr *ifa)
{
	struct net_device *dev = ifa->ifa_dev->dev;
	uint32_t mask = ifa->ifa_mask;
	uint32_t addr = ifa->ifa_local;
	uint32_t prefix = ifa->ifa_address & mask;

	fib_magic(net, add, RTN_LOCAL, addr, 32, ifa);
	if (ifa->ifa_broadcast && ifa->ifa_broadcast != INADDR_BROADCAST)
		fib_magic(net, add, RTN_BROADCAST, ifa->ifa_broadcast, 32, ifa);
	if (!ipv4_is_zeronet(prefix) && !(ifa->ifa_flags & IFA_F_SECONDARY) &&
	    (prefix != addr || ifa->ifa_prefixlen < 32)) {
		if (!(ifa->ifa_flags & IFA_F_NOPREFIXROUTE))
			fib_magic(net, add,
				  dev->flags & IFF_LOOPBACK ? RTN_LOCAL :
							      RTN_UNICAST,
				  prefix, ifa->ifa_prefixlen, ifa);
		if (ifa->ifa_prefixlen < 31 &&
		    (prefix | ~mask) != ifa->ifa_broadcast)
			fib_magic(net, add, RTN_BROADCAST, prefix | ~mask, 32,
				  ifa);
	}
}

int kp_inet_addr_add(struct net_device *dev, uint32_t addr, int prefixlen)
{
	struct net *net = dev->nd_net;
	struct in_device *in_dev;
	struct in_ifaddr *ifa, **tail;
	uint32_t mask;

	if (!net || prefixlen < 0 || prefixlen > 32 || !addr)
		return -EINVAL;
	if (!kp_fib_get(net))
		return -ENOMEM;
	in_dev = inetdev_init(dev);
	if (!in_dev)
		return -ENOMEM;
	mask = inet_make_mask(prefixlen);
	for (tail = &in_dev->ifa_list; *tail; tail = &(*tail)->ifa_next) {
		if ((*tail)->ifa_local == addr &&
		    (*tail)->ifa_prefixlen == prefixlen)
			return -EEXIST;
	}
	ifa = calloc(1, sizeof(*ifa));
	if (!ifa)
		return -ENOMEM;
	ifa->ifa_dev = in_dev;
	ifa->ifa_local = ifa->ifa_address = addr;
	ifa->ifa_mask = mask;
	ifa->ifa_prefixlen = (unsigned char)prefixlen;
	/* as `ip addr add ... brd +`, what distributions configure */
	if (prefixlen < 31 && !(dev->flags & IFF_LOOPBACK))
		ifa->ifa_broadcast = (addr & mask) | ~mask;
	ifa->ifa_scope = ipv4_is_loopback(addr) ? RT_SCOPE_HOST :
						  RT_SCOPE_UNIVERSE;
	ifa->ifa_flags = IFA_F_PERMANENT;
	/* a second address in a subnet already there is secondary */
	for (struct in_ifaddr *i = in_dev->ifa_list; i; i = i->ifa_next) {
		if (!(i->ifa_flags & IFA_F_SECONDARY) && i->ifa_mask == mask &&
		    !((i->ifa_address ^ addr) & mask)) {
			ifa->ifa_flags |= IFA_F_SECONDARY;
			break;
		}
	}
	snprintf(ifa->ifa_label, sizeof(ifa->ifa_label), "%s", dev->name);
	*tail = ifa;
	fib_ifaddr_routes(net, true, ifa);
	rt_cache_flush(net);
	return 0;
}

int kp_inet_addr_del(struct net_device *dev, uint32_t addr, int prefixlen)
{
	struct in_device *in_dev = dev->ip_ptr;
	struct in_ifaddr **pp;

	if (!in_dev)
		return -EADDRNOTAVAIL;
	for (pp = &in_dev->ifa_list; *pp; pp = &(*pp)->ifa_next) {
		struct in_ifaddr *ifa = *pp;
		if (ifa->ifa_local != addr ||
		    (prefixlen >= 0 && ifa->ifa_prefixlen != prefixlen))
			continue;
		*pp = ifa->ifa_next;
		fib_ifaddr_routes(dev->nd_net, false, ifa);
		rt_cache_flush(dev->nd_net);
		free(ifa);
		return 0;
	}
	return -EADDRNOTAVAIL;
}
