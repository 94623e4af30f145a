/*
 * neighbour.h - the neighbour layer: IP address -> link-layer address
 * entries with their NUD state machine (include/net/neighbour.h,
 * include/uapi/linux/neighbour.h).
 *
 * One struct neigh_table per protocol and stack (IPv4's arp_tbl hangs
 * off net->arp_tbl).  Entries live on a list in creation order (Linux: a
 * hash table); lookups walk it, so iteration is deterministic.  The
 * parameters (reachable time, retransmit time, probes, queue bytes) are
 * the net.ipv4.neigh.default.* sysctls of the stack; there are no
 * per-device neigh_parms.  Leaves out: proxy ARP, the garbage collector
 * (entries stay until `ip neigh flush` or the stack is freed), netlink
 * notifications, refcounts.
 */
#ifndef KP_NET_CORE_NEIGHBOUR_H
#define KP_NET_CORE_NEIGHBOUR_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/ids.h"
#include "engine/list.h"
#include "net/core/netdevice.h"
#include "net/core/skbuff.h"
#include "sched/timer.h"

struct net;
struct neighbour;
struct neigh_table;

/* NUD states (include/uapi/linux/neighbour.h) */
#define NUD_INCOMPLETE 0x01
#define NUD_REACHABLE 0x02
#define NUD_STALE 0x04
#define NUD_DELAY 0x08
#define NUD_PROBE 0x10
#define NUD_FAILED 0x20
#define NUD_NOARP 0x40
#define NUD_PERMANENT 0x80
#define NUD_NONE 0x00

#define NUD_IN_TIMER (NUD_INCOMPLETE | NUD_REACHABLE | NUD_DELAY | NUD_PROBE)
#define NUD_VALID                                                             \
	(NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | NUD_STALE |  \
	 NUD_DELAY)
#define NUD_CONNECTED (NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE)

/* neigh_update flags */
#define NEIGH_UPDATE_F_OVERRIDE 0x00000001
#define NEIGH_UPDATE_F_WEAK_OVERRIDE 0x00000002
#define NEIGH_UPDATE_F_OVERRIDE_ISROUTER 0x00000004
#define NEIGH_UPDATE_F_ADMIN 0x80000000

/* The cached link-layer header of a CONNECTED neighbour (hh_cache). */
struct hh_cache {
	unsigned int hh_len;
	unsigned char hh_data[16];
};

/* How a family resolves and sends (arp_generic_ops, arp_hh_ops,
 * arp_direct_ops). */
struct neigh_ops {
	int family;
	const char *name;
	void (*solicit)(struct neighbour *n, struct sk_buff *skb);
	void (*error_report)(struct neighbour *n, struct sk_buff *skb);
	int (*output)(struct neighbour *n, struct sk_buff *skb);
	int (*connected_output)(struct neighbour *n, struct sk_buff *skb);
};

struct neighbour {
	struct kp_obj kp;          /* neigh#N */
	struct list_head list;     /* on tbl->entries, creation order */
	struct neigh_table *tbl;
	struct net_device *dev;
	uint32_t primary_key;      /* IPv4 address, network order */
	uint8_t nud_state;
	uint8_t type;              /* RTN_UNICAST, RTN_BROADCAST... */
	uint8_t dead;
	uint8_t flags;
	unsigned char ha[ETH_ALEN]; /* link-layer address once known */
	unsigned long confirmed;   /* jiffies: last proof of reachability */
	unsigned long updated;     /* jiffies: last state change */
	unsigned long used;        /* jiffies: last packet sent through it */
	int probes;                /* solicitations sent in this round */
	struct timer_list timer;   /* neigh_timer_handler */
	struct sk_buff_head arp_queue; /* packets waiting for resolution */
	unsigned int arp_queue_len_bytes; /* their truesize */
	int (*output)(struct neighbour *n, struct sk_buff *skb);
	const struct neigh_ops *ops;
	struct hh_cache hh;
};

/* /proc/net/stat/arp_cache, `ip -s ntable` */
struct neigh_statistics {
	uint64_t allocs, destroys, lookups, hits, res_failed;
	uint64_t rcv_probes_mcast, rcv_probes_ucast;
	uint64_t periodic_gc_runs, forced_gc_runs, unres_discards;
	uint64_t table_fulls;
};

struct neigh_table {
	int family;
	const char *id;            /* "arp_cache" */
	struct net *net;
	int (*constructor)(struct neighbour *n);
	struct list_head entries;  /* struct neighbour, creation order */
	int entries_count;
	unsigned long reachable_time; /* jiffies, randomized base/2..3base/2 */
	unsigned long last_rand;      /* jiffies of the last randomization */
	struct neigh_statistics stats;
};

/* Parameters, from the stack's net.ipv4.neigh.default.* sysctls:
 * NEIGH_VAR(net, name) reads net->sysctl.neigh_<name>. */
unsigned long neigh_reachable_time(struct neigh_table *tbl);
unsigned long neigh_retrans_time(const struct net *net);

/* Set up an empty table (neigh_table_init).  The caller owns @tbl. */
void neigh_table_init(struct net *net, struct neigh_table *tbl, int family,
		      const char *id, int (*constructor)(struct neighbour *));
/* Free every entry at stack teardown, off any CPU (neigh_table_clear):
 * no probes; queued skbs are left to kp_skb_free_all. */
void neigh_table_clear(struct neigh_table *tbl);

/* The entry for @key on @dev, or NULL (neigh_lookup; counts lookups and
 * hits). */
struct neighbour *neigh_lookup(struct neigh_table *tbl, uint32_t key,
			       const struct net_device *dev);
/* A new entry in NUD_NONE (or what the constructor sets: NOARP), or the
 * existing one (__neigh_create).  NULL on ENOMEM or a full table. */
struct neighbour *__neigh_create(struct neigh_table *tbl, uint32_t key,
				 struct net_device *dev, bool want_ref);
/* Lookup, creating when @creat (__neigh_lookup). */
struct neighbour *__neigh_lookup(struct neigh_table *tbl, uint32_t key,
				 struct net_device *dev, bool creat);

/* Move @n to state @new with link-layer address @lladdr (NULL: keep),
 * releasing arp_queue when it becomes valid.  0 or -EPERM. */
int neigh_update(struct neighbour *n, const unsigned char *lladdr,
		 uint8_t new, uint32_t flags);
/* A sender said who it is: create/update its entry as STALE
 * (neigh_event_ns). */
struct neighbour *neigh_event_ns(struct neigh_table *tbl,
				 const unsigned char *lladdr, uint32_t key,
				 struct net_device *dev);

/* Start or continue resolution for a packet; 0: send it now, 1: it is
 * queued on arp_queue or dropped (__neigh_event_send). */
int __neigh_event_send(struct neighbour *n, struct sk_buff *skb);
static inline int neigh_event_send(struct neighbour *n, struct sk_buff *skb)
{
	n->used = jiffies;
	if (!(n->nud_state & (NUD_CONNECTED | NUD_DELAY | NUD_PROBE)))
		return __neigh_event_send(n, skb);
	return 0;
}

/* The output functions a neighbour's ->output points to. */
int neigh_resolve_output(struct neighbour *n, struct sk_buff *skb);
int neigh_connected_output(struct neighbour *n, struct sk_buff *skb);
int neigh_direct_output(struct neighbour *n, struct sk_buff *skb);
int neigh_blackhole(struct neighbour *n, struct sk_buff *skb);
/* Send with the cached header of a CONNECTED neighbour. */
int neigh_hh_output(const struct hh_cache *hh, struct sk_buff *skb);
/* 3.10's dst_neigh_output: cached header when connected, else
 * n->output. */
int dst_neigh_output(struct dst_entry *dst, struct neighbour *n,
		     struct sk_buff *skb);

/* Remove every entry on @dev (all when NULL) that is not PERMANENT or
 * NOARP; `ip neigh flush` (neigh_flush_dev).  Returns how many. */
int neigh_flush_dev(struct neigh_table *tbl, struct net_device *dev);

/* "REACHABLE", "STALE", ... as iproute2 prints them. */
const char *neigh_state_name(uint8_t nud_state);

#endif
