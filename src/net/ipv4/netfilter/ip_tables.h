/*
 * ip_tables.h - iptables tables, chains and rules for IPv4
 * (include/uapi/linux/netfilter_ipv4/ip_tables.h, net/ipv4/netfilter/
 * ip_tables.c, iptable_filter.c, iptable_raw.c, iptable_mangle.c, and the
 * tcp/udp matches of net/netfilter/xt_tcpudp.c).
 *
 * A rule matches on struct ipt_ip (-s, -d, -i, -o, -p, each invertible
 * with !) and optionally on ports (--sport, --dport, single or A:B);
 * its target is ACCEPT, DROP, RETURN or none (a counting rule).  Each
 * rule and each built-in chain's policy count packets and bytes.
 * Departures: rules are kept as a list per chain, not as one blob; no
 * user-defined chains, no other matches or targets, no nat table.
 */
#ifndef KP_NET_IPV4_NETFILTER_IP_TABLES_H
#define KP_NET_IPV4_NETFILTER_IP_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/list.h"
#include "net/core/netdevice.h"
#include "net/netfilter/netfilter.h"

/* ipt_ip.invflags */
#define IPT_INV_VIA_IN 0x01
#define IPT_INV_VIA_OUT 0x02
#define IPT_INV_SRCIP 0x08
#define IPT_INV_DSTIP 0x10
#define IPT_INV_PROTO 0x40
/* xt_tcp/xt_udp invflags */
#define XT_TCP_INV_SRCPT 0x01
#define XT_TCP_INV_DSTPT 0x02

struct ipt_ip {
	uint32_t src, dst;       /* network order */
	uint32_t smsk, dmsk;
	char iniface[IFNAMSIZ], outiface[IFNAMSIZ]; /* "" = any, "eth+" */
	uint16_t proto;          /* 0 = all */
	uint8_t flags;
	uint8_t invflags;
};

struct xt_counters {
	uint64_t pcnt, bcnt;
};

enum ipt_target {
	IPT_TARGET_NONE,   /* no -j: just count */
	IPT_TARGET_ACCEPT,
	IPT_TARGET_DROP,
	IPT_TARGET_RETURN,
};

struct ipt_rule {
	struct list_head list;
	struct ipt_ip ip;
	bool has_ports;          /* a tcp/udp match with ports */
	uint16_t spts[2], dpts[2]; /* ranges, host order */
	uint8_t port_invflags;
	enum ipt_target target;
	struct xt_counters counters;
};

struct xt_chain {
	const char *name;        /* "INPUT" */
	int policy;              /* NF_ACCEPT or NF_DROP */
	struct xt_counters counters; /* packets that met the policy */
	struct list_head rules;
};

enum { KP_IPT_RAW, KP_IPT_MANGLE, KP_IPT_FILTER, KP_IPT_NR_TABLES };

struct xt_table {
	const char *name;        /* "filter" */
	unsigned int valid_hooks; /* bit per NF_INET_* */
	bool registered;         /* hooks active (module "loaded") */
	struct xt_chain chains[NF_INET_NUMHOOKS];
};

/* Per-stack state: net->nf. */
struct kp_nf {
	struct xt_table tables[KP_IPT_NR_TABLES]; /* in hook priority order */
};

/* net->nf, created on first use; NULL only on ENOMEM. */
struct kp_nf *kp_nf_get(struct net *net);
/* The table called @name ("filter", "raw", "mangle"), or NULL. */
struct xt_table *xt_find_table(struct net *net, const char *name);
/* The built-in chain @name of @t, or NULL. */
struct xt_chain *xt_find_chain(struct xt_table *t, const char *name);
/* Make the table's hooks active (loads the "module"). */
void xt_table_register(struct xt_table *t);

/* Run @t's chain for @state->hook on @skb: NF_ACCEPT or NF_DROP. */
unsigned int ipt_do_table(struct sk_buff *skb,
			  const struct nf_hook_state *state,
			  struct xt_table *t);

/* ---- the iptables command (ipt_cmd.c) ---- */

enum ipt_op {
	IPT_OP_APPEND, IPT_OP_INSERT, IPT_OP_DELETE, IPT_OP_POLICY,
	IPT_OP_FLUSH, IPT_OP_LIST, IPT_OP_ZERO, IPT_OP_LIST_RULES,
};

/* -L format bits (iptables' own) */
#define FMT_NUMERIC 0x0001
#define FMT_NOCOUNTS 0x0002
#define FMT_KILOMEGAGIGA 0x0004
#define FMT_OPTIONS 0x0008
#define FMT_NOTABLE 0x0010
#define FMT_NOTARGET 0x0020
#define FMT_VIA 0x0040
#define FMT_NONEWLINE 0x0080
#define FMT_LINENUMBERS 0x0100

struct ipt_cmd {
	enum ipt_op op;
	const char *table;       /* "filter" unless -t */
	const char *chain;       /* NULL: every chain (-L, -F, -Z) */
	int rulenum;             /* -I/-D position (1-based), 0 = none */
	struct ipt_rule rule;    /* -A/-I/-D rule spec */
	int policy;              /* -P */
	unsigned int format;     /* -L: FMT_* */
	bool zero_after_list;    /* -L -Z */
};

/* Parse iptables arguments (without the word "iptables").  0, or -EINVAL
 * with a one-line message in @err. */
int ipt_parse(int argc, char **argv, struct ipt_cmd *cmd, char *err,
	      size_t errlen);
/* Apply a parsed command that changes tables (not -L).  0 or -errno with
 * a message in @err. */
int ipt_apply(struct net *net, const struct ipt_cmd *cmd, char *err,
	      size_t errlen);
/* Human-readable name of a verdict target ("ACCEPT", "" for none). */
const char *ipt_target_name(enum ipt_target t);
/* A protocol's name ("tcp", "udp", "icmp", "all") or NULL. */
const char *ipt_proto_name(uint16_t proto);

#endif
