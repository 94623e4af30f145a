/*
 * route.h - routing: destination cache entries, the FIB and the route
 * lookups (include/net/dst.h, include/net/route.h, include/net/ip_fib.h,
 * include/uapi/linux/rtnetlink.h).
 *
 * A dst_entry says what to do with a packet once routed: dst.input for a
 * received one (ip_local_deliver, ip_forward, ip_error), dst.output for
 * one being sent.  Departures: no reference counts (every dst lives in the
 * FIB's cache until the stack is freed, so skbs hold them "noref"); the
 * FIB is a sorted list per table (longest prefix first), not fib_trie;
 * no policy routing rules beyond Linux's default ones (local, main).
 */
#ifndef KP_NET_IPV4_ROUTE_H
#define KP_NET_IPV4_ROUTE_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/list.h"
#include "net/core/dropreason.h"
#include "net/core/skbuff.h"

struct net;
struct net_device;
struct sock;

/* ---- struct dst_entry (include/net/dst.h) ---- */

struct dst_entry {
	struct net_device *dev;
	int (*input)(struct sk_buff *skb);
	int (*output)(struct net *net, struct sock *sk, struct sk_buff *skb);
	unsigned short flags;
	short error;            /* errno for ip_error: EHOSTUNREACH ... */
	uint64_t lastuse;       /* virtual ns */
	uint64_t __use;         /* lookups that returned it */
};

/* dst_input: call the route's input function (ip_local_deliver, ...). */
int dst_input(struct sk_buff *skb);

/* ---- struct rtable (include/net/route.h) ---- */

/* rt_flags (include/uapi/linux/in_route.h) */
#define RTCF_NOTIFY 0x00010000
#define RTCF_REDIRECTED 0x00040000
#define RTCF_DOREDIRECT 0x01000000
#define RTCF_BROADCAST 0x10000000
#define RTCF_MULTICAST 0x20000000
#define RTCF_LOCAL 0x80000000

/* Route types (rtnetlink.h) */
enum {
	RTN_UNSPEC,
	RTN_UNICAST,     /* gateway or direct route */
	RTN_LOCAL,       /* accept locally */
	RTN_BROADCAST,   /* accept locally as broadcast, send as broadcast */
	RTN_ANYCAST,
	RTN_MULTICAST,
	RTN_BLACKHOLE,   /* drop */
	RTN_UNREACHABLE, /* destination is unreachable */
	RTN_PROHIBIT,    /* administratively prohibited */
	RTN_THROW,
	RTN_NAT,
	RTN_XRESOLVE,
	__RTN_MAX
};

/* Route origin: rtm_protocol */
#define RTPROT_UNSPEC 0
#define RTPROT_REDIRECT 1
#define RTPROT_KERNEL 2
#define RTPROT_BOOT 3
#define RTPROT_STATIC 4

/* rtm_scope */
enum rt_scope_t {
	RT_SCOPE_UNIVERSE = 0,
	RT_SCOPE_SITE = 200,
	RT_SCOPE_LINK = 253,
	RT_SCOPE_HOST = 254,
	RT_SCOPE_NOWHERE = 255
};

/* Reserved table ids */
enum rt_class_t {
	RT_TABLE_UNSPEC = 0,
	RT_TABLE_DEFAULT = 253,
	RT_TABLE_MAIN = 254,
	RT_TABLE_LOCAL = 255,
};

struct rtable {
	struct dst_entry dst;
	int rt_genid;
	unsigned int rt_flags;  /* RTCF_* */
	uint16_t rt_type;       /* RTN_* */
	uint8_t rt_is_input;
	uint8_t rt_uses_gateway;
	int rt_iif;
	uint32_t rt_gateway;    /* next hop, or 0 when on-link */
	uint32_t rt_pmtu;
	struct list_head rt_list; /* on the FIB's cache, in creation order */
};

static inline struct rtable *skb_rtable(const struct sk_buff *skb)
{
	return (struct rtable *)skb_dst(skb);
}

/* ---- the FIB (include/net/ip_fib.h) ---- */

/* One route: a fib_alias with its fib_info and single next hop. */
struct fib_route {
	struct list_head list;  /* in its table, longest prefix first */
	uint32_t tb_id;         /* RT_TABLE_MAIN, RT_TABLE_LOCAL */
	uint32_t dst;           /* prefix, network order */
	uint8_t dst_len;
	uint8_t type;           /* RTN_* */
	uint8_t scope;          /* RT_SCOPE_* */
	uint8_t protocol;       /* RTPROT_* */
	uint32_t priority;      /* metric */
	uint32_t prefsrc;       /* "src" */
	uint32_t gw;            /* "via", 0 for on-link */
	struct net_device *dev; /* may be NULL for unreachable/blackhole */
	uint32_t kp_dst_mask;   /* inet_make_mask(dst_len), network order,
				 * set by fib_table_insert (kpath's own) */
	/* cached dsts of this next hop (fib_nh_common's nhc_rth_input and
	 * nhc_pcpu_rth_output) */
	struct rtable *rth_input;
	struct rtable *rth_output;
};

struct fib_table {
	uint32_t tb_id;
	struct list_head routes; /* struct fib_route */
};

struct fib_result {
	uint8_t prefixlen;
	uint8_t type;
	uint8_t scope;
	uint32_t tclassid;
	struct fib_route *fi;    /* Linux: fib_info + nhc; here the route */
	struct fib_table *table;
};

/* IPv4 flow key (include/net/flow.h) */
struct flowi4 {
	int flowi4_oif;
	int flowi4_iif;
	uint32_t flowi4_mark;
	uint8_t flowi4_tos;
	uint8_t flowi4_scope;
	uint8_t flowi4_proto;
	uint32_t saddr;
	uint32_t daddr;
	uint16_t fl4_sport, fl4_dport; /* network order */
};

/* Per-stack routing state: net->fib. */
struct kp_fib {
	struct fib_table local;   /* RT_TABLE_LOCAL, looked up first */
	struct fib_table main;    /* RT_TABLE_MAIN */
	struct list_head rt_cache; /* every struct rtable made, freed at exit */
	struct list_head in_devs; /* every struct in_device, freed at exit */
	int rt_genid;             /* bumped by every FIB change */
	/* Forwarding: ip_forward lives with the transmit path.  Until it is
	 * set, routes that would forward drop with a detail saying so. */
	int (*ip_forward)(struct sk_buff *skb);
	/* dst.output of output routes calls this (the transmit path's
	 * ip_output) once set; until then the packet is dropped. */
	int (*ip_output)(struct net *net, struct sock *sk, struct sk_buff *skb);
	/* IP ID generators of the transmit path (ip_idents, hashed by
	 * destination; a bucket starts at a random value when first used) */
#define KP_IP_IDENTS 256
	uint16_t ip_idents[KP_IP_IDENTS];
	uint64_t ip_idents_set[KP_IP_IDENTS / 64];
	/* rt_cache statistics (/proc/net/stat/rt_cache) */
	uint64_t in_slow_tot, in_slow_mc, in_no_route, in_brd;
	uint64_t in_martian_dst, in_martian_src, out_slow_tot;
};

/* Create net->fib (and register its exit).  0 or -ENOMEM. */
int ip_fib_init(struct net *net);
/* net->fib, created on first use; NULL only on ENOMEM. */
struct kp_fib *kp_fib_get(struct net *net);
/* The FIB table by id (main, local), or NULL. */
struct fib_table *fib_get_table(struct net *net, uint32_t id);

/* Add a route (ip route add).  -EEXIST if the same prefix, type, table
 * and metric exist; -ENOMEM; 0. */
int fib_table_insert(struct net *net, struct fib_table *tb,
		     const struct fib_route *cfg);
/* Delete the first route matching @cfg's dst/dst_len and, when set,
 * its type (non-zero), dev, gw and protocol.  0 or -ESRCH. */
int fib_table_delete(struct net *net, struct fib_table *tb,
		     const struct fib_route *cfg);
/* Delete every route through @dev with prefsrc @addr (fib_del_ifaddr),
 * or through @dev at all when @addr is 0. */
void kp_fib_flush_dev(struct net *net, struct net_device *dev, uint32_t addr);

/* Longest-prefix match in local, then main.  0, or -ENETUNREACH;
 * RTN_UNREACHABLE/BLACKHOLE/PROHIBIT routes give their errors as Linux's
 * fib_props (-EHOSTUNREACH, -EINVAL, -EACCES) with @res filled. */
int fib_lookup(struct net *net, const struct flowi4 *flp,
	       struct fib_result *res);

/* The type of @addr on this host: RTN_LOCAL, RTN_BROADCAST, RTN_UNICAST
 * (inet_addr_type). */
unsigned int inet_addr_type(struct net *net, uint32_t addr);

/* ---- lookups (net/ipv4/route.c) ---- */

/* Input route for a received packet: sets skb's dst (noref).  Returns
 * SKB_DROP_REASON_NOT_DROPPED_YET (0) or why the packet must be dropped
 * (current Linux's signature). */
enum skb_drop_reason ip_route_input_noref(struct sk_buff *skb, uint32_t daddr,
					  uint32_t saddr, uint8_t tos,
					  struct net_device *dev);

/* Output route for @fl4 (fills saddr when 0).  0 and *@rtp, or
 * -ENETUNREACH / -EINVAL.  The rtable is cached by the FIB: never free
 * it. */
int kp_ip_route_output_key(struct net *net, struct flowi4 *fl4,
			   struct rtable **rtp);

/* Output route for a flow built from the arguments (flowi4_init_output +
 * ip_route_output_flow; net/ipv4/route.c).  0 and *@rtp, or -errno;
 * counts OutNoRoutes on -ENETUNREACH. */
int ip_route_output_ports(struct net *net, struct flowi4 *fl4,
			  const struct sock *sk, uint32_t daddr,
			  uint32_t saddr, uint16_t dport, uint16_t sport,
			  uint8_t proto, uint8_t tos, int oif,
			  struct rtable **rtp);

/* The next hop of @rt for @daddr: the gateway, or @daddr when on-link
 * (rt_nexthop). */
uint32_t rt_nexthop(const struct rtable *rt, uint32_t daddr);

/* Path MTU of an output route: rt_pmtu when learned, else the device's
 * (ip_dst_mtu_maybe_forward / dst_mtu). */
unsigned int dst_mtu(const struct dst_entry *dst);

/* Forget every cached dst (after a FIB change). */
void rt_cache_flush(struct net *net);

#endif
