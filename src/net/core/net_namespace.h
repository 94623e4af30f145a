/*
 * net_namespace.h - struct net: one host's network stack (a network
 * namespace in Linux; each kpath host is a separate machine with one).
 *
 * The core keeps here what every layer shares: devices, the packet-type
 * lists, the IPv4 protocol table, MIB counters, sysctls, drop counts and
 * skb accounting.  Each subsystem hangs its own state off a pointer it
 * defines (routing: fib, netfilter: nf, UDP: udp, reassembly: ipv4_frags,
 * neighbours: arp_tbl), created by its init function and freed by
 * kp_net_free.
 */
#ifndef KP_NET_CORE_NET_NAMESPACE_H
#define KP_NET_CORE_NET_NAMESPACE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/list.h"
#include "dropreason.h"
#include "snmp.h"

struct kp_host;
struct net_device;
struct net_protocol;
struct kp_fib;
struct kp_nf;
struct kp_udp_table;
struct kp_tcp_hashinfo;
struct kp_inet_frags;
struct neigh_table;
struct kp_qdisc_state;
struct kp_capture_net;
struct kp_icmp_net;

#define PTYPE_HASH_SIZE 16
#define MAX_INET_PROTOS 256

struct kp_sysctls {
#define KP_SYSCTL(name, field, def, min, max, desc) long field;
#include "sysctl.def"
#undef KP_SYSCTL
};

struct kp_sysctl_info {
	const char *name;
	size_t offset; /* in struct kp_sysctls */
	long def, min, max;
	const char *desc;
};
extern const struct kp_sysctl_info kp_sysctl_table[];
extern const int kp_nr_sysctls;
const struct kp_sysctl_info *kp_sysctl_lookup(const char *name);

/* Every skb of a stack, for the conservation invariant and `show skb`. */
struct kp_skb_acct {
	uint64_t allocated;   /* skbs created (frames received, clones...) */
	uint64_t consumed;    /* consume_skb */
	uint64_t dropped;     /* kfree_skb_reason */
	uint64_t alive;       /* allocated - consumed - dropped */
	uint64_t bytes_copied; /* every memcpy of packet data */
};

/*
 * Freed sk_buffs and data buffers kept for the next alloc_skb, as
 * skbuff_head_cache and the page-frag caches keep them in Linux: most
 * packets are made and freed at the same rate.  Buffers come in a few
 * size classes; the counts are bounded.
 */
#define KP_SKB_CACHE_CLASSES 3
#define KP_SKB_CACHE_MAX 512
struct kp_skb_cache {
	void *heads; /* free sk_buffs, linked through their first word */
	unsigned nr_heads;
	void *bufs[KP_SKB_CACHE_CLASSES];
	unsigned nr_bufs[KP_SKB_CACHE_CLASSES];
};

struct net {
	struct kp_host *host;

	struct list_head dev_base_head; /* struct net_device, by ifindex */
	int ifindex;                    /* last one given */
	struct net_device *loopback_dev;

	struct list_head ptype_all;     /* taps: tcpdump */
	struct list_head ptype_base[PTYPE_HASH_SIZE];
	const struct net_protocol *inet_protos[MAX_INET_PROTOS];

	struct kp_sysctls sysctl;
	uint64_t mib[KP_MIB_MAX];
	uint64_t icmpmsg_in[256], icmpmsg_out[256]; /* IcmpMsg InTypeN */

	uint64_t drops[SKB_DROP_REASON_MAX];
	/* what the last drop of each reason was, for `show drops` */
	char drop_detail[SKB_DROP_REASON_MAX][64];
	struct kp_skb_acct skb;
	struct list_head skb_alive;     /* every live skb, oldest first */
	struct kp_skb_cache skb_cache;

	/* subsystems */
	struct kp_fib *fib;             /* routing (src/net/ipv4/route.c) */
	struct kp_nf *nf;               /* netfilter chains */
	struct kp_udp_table *udp;       /* bound UDP sockets */
	struct kp_tcp_hashinfo *tcp;    /* TCP sockets (TCP issue) */
	struct kp_inet_frags *ipv4_frags; /* reassembly queues */
	struct neigh_table *arp_tbl;    /* neighbours (transmit issue) */
	struct kp_capture_net *capture; /* replays and tcpdump taps (src/capture) */
	struct kp_icmp_net *icmp;       /* ICMP send state, ping sockets */

	/* pernet exit functions, run in reverse order by kp_net_free */
	void (*exit_fns[16])(struct net *net);
	int nr_exit_fns;
};

/* A subsystem's init registers how to free its state (as
 * register_pernet_subsys's .exit).  0 or -ENOSPC. */
int kp_net_register_exit(struct net *net, void (*exit)(struct net *net));

/* The stack of the host running the calling kernel code. */
struct net *current_net(void);
/* Create the (empty) stack of @h at boot, before the initcalls; NULL on
 * ENOMEM.  kp_net_free releases it and every subsystem's state. */
struct net *kp_net_create(struct kp_host *h);
void kp_net_free(struct net *net);
/* Read/write a sysctl of @net by table entry. */
long kp_sysctl_get(const struct net *net, const struct kp_sysctl_info *si);
int kp_sysctl_set(struct net *net, const struct kp_sysctl_info *si, long v);

/* The skb conservation invariant: allocated == consumed + dropped +
 * alive, and skb_alive holds alive skbs.  0, or -1 with @why filled. */
int kp_net_check_skbs(const struct net *net, char *why, size_t n);

/* Record why the last drop of @reason happened (printf format). */
void kp_drop_detail(struct net *net, enum skb_drop_reason reason,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
