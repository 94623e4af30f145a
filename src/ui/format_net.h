/*
 * format_net.h - how the receive path looks on screen, shared by the
 * commands and the TUI: the /proc files (softnet_stat, interrupts, snmp,
 * netstat) byte for byte as Linux prints them, and kpath's own views
 * (show drops, show poll_list, show softnet, show skb).  Also the small
 * helpers the network tool commands share (which host, which device).
 */
#ifndef KP_UI_FORMAT_NET_H
#define KP_UI_FORMAT_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "out.h"

struct kp_host;
struct kp_session;
struct net;
struct net_device;
struct sk_buff;
struct rtnl_link_stats64;

/* ---- counters ---- */

/*
 * The value /proc/net/snmp shows for MIB counter @mib: Ip Forwarding and
 * DefaultTTL come from the sysctls (as net/ipv4/proc.c computes them),
 * Icmp In/Out per-type counters from the IcmpMsg table when the ICMP
 * code counted only that; every other one is net->mib[@mib].
 */
int64_t kp_net_mib_value(const struct net *net, int mib);

/* The device's counters as dev_get_stats() adds them up: the driver's
 * stats plus the core's rx_dropped/tx_dropped/rx_nohandler. */
void kp_dev_get_stats(const struct net_device *dev,
		      struct rtnl_link_stats64 *stats);

/* ethtool -S: the driver's statistics.  Returns how many there are
 * (0 when the driver has none) and fills *@names (ETH_GSTRING_LEN each)
 * and *@vals, which the caller frees. */
int kp_ethtool_stats(struct net_device *dev, char **names, uint64_t **vals);
/* One of them by name: 0, or -ENOENT. */
int kp_ethtool_stat(struct net_device *dev, const char *name, uint64_t *val);

/* What `ip link` prints after "qdisc" and "state" for @dev: the
 * attached qdisc's kind (noop while down, noqueue for lo), and the
 * operstate (DOWN, UP, or UNKNOWN for an up lo), as iproute2 shows them. */
const char *kp_link_qdisc_name(const struct net_device *dev);
const char *kp_link_operstate(const struct net_device *dev);

/* "52:54:00:12:34:56" (18 bytes with the NUL) */
void kp_fmt_mac(char *buf, size_t size, const unsigned char *addr);

/* ---- /proc files ---- */

/* /proc/net/softnet_stat: one line of 13 %08x columns per CPU. */
void kp_fmt_softnet_stat(struct kp_out *out, struct kp_host *h);
/* /proc/interrupts: device lines, then LOC and CAL. */
void kp_fmt_proc_interrupts(struct kp_out *out, struct kp_host *h);
/* /proc/net/snmp and /proc/net/netstat. */
void kp_fmt_proc_snmp(struct kp_out *out, const struct net *net);
void kp_fmt_proc_netstat(struct kp_out *out, const struct net *net);
/* /proc/net/dev */
void kp_fmt_proc_net_dev(struct kp_out *out, struct net *net);

/* ---- kpath's views ---- */

/* `show drops`: every drop reason counted, with the last drop's detail,
 * and the skb accounting (allocated = consumed + dropped + alive). */
void kp_fmt_drops(struct kp_out *out, struct kp_host *h);
/* `show poll_list`: the NAPI instances on each CPU's poll_list, in the
 * order net_rx_action polls them; @cpu < 0 for every CPU. */
void kp_fmt_poll_list(struct kp_out *out, struct kp_host *h, int cpu);
/* `show softnet`: softnet_stat's counters by name, and the queues. */
void kp_fmt_softnet(struct kp_out *out, struct kp_host *h);
/* `show ring`: a NIC queue's indices and descriptors (one character
 * each: . device's and empty, D done and waiting for the driver, * in
 * DMA, - the driver's).  0 or the negative error of nic_view.h. */
int kp_fmt_ring(struct kp_out *out, struct net_device *dev, bool rx, int q);
/* Descriptors the device may still fill (RX) or the driver may still
 * post (TX); negative error as above. */
int kp_ring_free(struct net_device *dev, bool rx, int q);
/* `show skb`: where it is, its fields, and its bytes decoded. */
void kp_fmt_skb(struct kp_out *out, const struct sk_buff *skb);

/* ---- command helpers (cmd_show_net.c) ---- */

/*
 * The host a network command is about: an argument naming a host is
 * taken out of argv (any position), else the default host ("server", or
 * the first one).  Never NULL on a booted world.
 */
struct kp_host *kp_net_cmd_host(struct kp_session *s, int *argc,
				char **argv);
/* The device @name of @h, or NULL after an error listing the devices. */
struct net_device *kp_net_cmd_dev(struct kp_session *s, struct kp_out *out,
				  struct kp_host *h, const char *name);
/*
 * Run @fn(@info) in kernel context on CPU 0 of @h (through the
 * function-call interrupt, kp_host_call) and run the world until it has
 * run.  Returns what @fn returned, or -EINPROGRESS when the run stopped
 * first (a breakpoint: the stop was reported and the call completes when
 * the run goes on).  @info must outlive the call: pass heap memory and
 * @info_free, which frees it once both the call and the command are done.
 */
int kp_net_cmd_call(struct kp_session *s, struct kp_out *out,
		    struct kp_host *h, int (*fn)(void *info), void *info,
		    void (*info_free)(void *info));
/* The answer of a kp_net_cmd_call that changed the stack, as ip(8) and
 * tc(8) print it: 0 when done or still in progress, else "RTNETLINK
 * answers: <strerror>" and the error. */
int kp_net_rtnl_error(struct kp_session *s, struct kp_out *out, int ret);
/* Offer the hosts and the devices of every host. */
struct kp_completions;
void kp_complete_net_devs(struct kp_session *s, struct kp_completions *c);

#endif
