/*
 * netdevice.h - network devices, NAPI and the per-CPU softnet_data
 * (include/linux/netdevice.h, include/linux/ethtool.h).
 *
 * A driver (src/hw/igb_main.c, drivers/net/loopback.c) fills a struct
 * net_device with its net_device_ops and ethtool_ops and registers it;
 * the core (src/net/core/dev.c) only calls through those tables.
 */
#ifndef KP_NET_CORE_NETDEVICE_H
#define KP_NET_CORE_NETDEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/ids.h"
#include "engine/list.h"
#include "sched/sched.h"
#include "sched/spinlock.h"
#include "skbuff.h"

struct net;
struct kp_host;
struct kp_cpu;
struct Qdisc;

#define IFNAMSIZ 16
#define ETH_ALEN 6
#define ETH_HLEN 14
#define ETH_ZLEN 60
#define ETH_FCS_LEN 4
#define ETH_DATA_LEN 1500
#define ETH_FRAME_LEN 1514

/* EtherTypes (if_ether.h) */
#define ETH_P_ALL 0x0003
#define ETH_P_IP 0x0800
#define ETH_P_ARP 0x0806
#define ETH_P_8021Q 0x8100
#define ETH_P_IPV6 0x86DD

struct ethhdr {
	unsigned char h_dest[ETH_ALEN];
	unsigned char h_source[ETH_ALEN];
	uint16_t h_proto; /* network byte order */
} __attribute__((packed));

static inline struct ethhdr *eth_hdr(const struct sk_buff *skb)
{
	return (struct ethhdr *)skb_mac_header(skb);
}

/* dev->flags (if.h) */
#define IFF_UP 0x1
#define IFF_BROADCAST 0x2
#define IFF_LOOPBACK 0x8
#define IFF_RUNNING 0x40
#define IFF_PROMISC 0x100
#define IFF_MULTICAST 0x1000
#define IFF_LOWER_UP 0x10000

/* dev->priv_flags (netdevice.h): no qdisc, transmit directly (lo) */
#define IFF_NO_QUEUE (1u << 21)

/* dev->features (netdev_features.h) */
#define NETIF_F_SG (1u << 0)
#define NETIF_F_IP_CSUM (1u << 1)
#define NETIF_F_HW_CSUM (1u << 3)
#define NETIF_F_RXCSUM (1u << 4)
#define NETIF_F_TSO (1u << 5)
#define NETIF_F_GSO (1u << 6)
#define NETIF_F_GRO (1u << 7)
#define NETIF_F_LRO (1u << 8)
#define NETIF_F_RXHASH (1u << 9)
#define NETIF_F_LOOPBACK (1u << 10)

/* ---- NAPI ---- */

enum {
	NAPI_STATE_SCHED,   /* poll is scheduled (on a poll_list) */
	NAPI_STATE_DISABLE, /* disable pending */
	NAPI_STATE_NPSVC,   /* netpoll: do not dequeue from the poll list */
};

struct napi_struct {
	struct kp_obj kp;          /* napi#N */
	struct list_head poll_list; /* on softnet_data.poll_list while SCHED */
	unsigned long state;        /* NAPI_STATE_* bits */
	int weight;
	int (*poll)(struct napi_struct *napi, int budget);
	struct net_device *dev;
	struct sk_buff *gro_list;   /* held for merging, newest first */
	unsigned int gro_count;
	struct list_head dev_list;  /* on dev->napi_list */
	char name[24];              /* "eth0-rx-0", "backlog/1" */
	int cpu;                    /* CPU whose poll_list holds it, or -1 */
	/* kpath's counts, shown by `show poll_list` and the TUI */
	uint64_t polls, packets;
};

static inline bool test_bit(int nr, const unsigned long *addr)
{
	return (*addr >> nr) & 1ul;
}
static inline void set_bit(int nr, unsigned long *addr)
{
	*addr |= 1ul << nr;
}
static inline void clear_bit(int nr, unsigned long *addr)
{
	*addr &= ~(1ul << nr);
}
static inline bool test_and_set_bit(int nr, unsigned long *addr)
{
	bool old = test_bit(nr, addr);
	set_bit(nr, addr);
	return old;
}

void netif_napi_add(struct net_device *dev, struct napi_struct *napi,
		    int (*poll)(struct napi_struct *, int), int weight);
void netif_napi_del(struct napi_struct *napi);
void napi_enable(struct napi_struct *n);
void napi_disable(struct napi_struct *n);
/* NAPI_STATE_SCHED test-and-set: true if the caller now owns the poll. */
bool napi_schedule_prep(struct napi_struct *n);
void __napi_schedule(struct napi_struct *n);
void napi_schedule(struct napi_struct *n);
void napi_complete(struct napi_struct *n);
void __napi_complete(struct napi_struct *n);

/* ---- per-CPU softnet_data (net/core/dev.c) ---- */

struct softnet_data {
	struct list_head poll_list;        /* NAPI instances to poll */
	struct sk_buff_head input_pkt_queue; /* netif_rx, RPS: filled by IRQs */
	struct sk_buff_head process_queue; /* what process_backlog works on */
	struct napi_struct backlog;        /* polls the two queues above */
	struct Qdisc *output_queue;        /* qdiscs for NET_TX_SOFTIRQ */
	struct sk_buff *completion_queue;  /* skbs to free in net_tx_action */
	struct kp_cpu *cpu;
	int cpu_id;
	/* /proc/net/softnet_stat columns */
	unsigned int processed;
	unsigned int dropped;
	unsigned int time_squeeze;
	unsigned int cpu_collision;
	unsigned int received_rps;
	unsigned int flow_limit_count;
};

/* The softnet_data of a CPU (per_cpu(softnet_data, cpu)). */
static inline struct softnet_data *kp_softnet_of(struct kp_cpu *cpu)
{
	return (struct softnet_data *)cpu->softnet;
}

/* ---- packet handlers (ptype_base, ptype_all) ---- */

struct packet_type {
	uint16_t type;          /* ETH_P_IP, ..., ETH_P_ALL for taps */
	struct net_device *dev; /* NULL: every device */
	int (*func)(struct sk_buff *skb, struct net_device *dev,
		    struct packet_type *pt, struct net_device *orig_dev);
	void *af_packet_priv;   /* the tap's owner (tcpdump) */
	const char *name;       /* for display: "ip_rcv", "tcpdump" */
	struct list_head list;
};

/* dev_add_pack / dev_remove_pack on the calling host's stack */
void dev_add_pack(struct packet_type *pt);
void dev_remove_pack(struct packet_type *pt);

/* ---- device ---- */

enum netdev_tx {
	NETDEV_TX_OK = 0x00,
	NETDEV_TX_BUSY = 0x10,
};
typedef enum netdev_tx netdev_tx_t;

struct net_device_ops {
	int (*ndo_open)(struct net_device *dev);
	int (*ndo_stop)(struct net_device *dev);
	netdev_tx_t (*ndo_start_xmit)(struct sk_buff *skb,
				      struct net_device *dev);
	uint16_t (*ndo_select_queue)(struct net_device *dev,
				     struct sk_buff *skb);
	int (*ndo_change_mtu)(struct net_device *dev, int new_mtu);
};

/* struct rtnl_link_stats64 (if_link.h): `ip -s link`, ethtool -S */
struct rtnl_link_stats64 {
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
	uint64_t rx_errors, tx_errors, rx_dropped, tx_dropped;
	uint64_t multicast, collisions;
	uint64_t rx_length_errors, rx_over_errors, rx_crc_errors;
	uint64_t rx_frame_errors, rx_fifo_errors, rx_missed_errors;
	uint64_t tx_aborted_errors, tx_carrier_errors, tx_fifo_errors;
	uint64_t tx_heartbeat_errors, tx_window_errors;
	uint64_t rx_compressed, tx_compressed, rx_nohandler;
};

struct ethtool_drvinfo {
	char driver[32], version[32], fw_version[32], bus_info[32];
	uint32_t n_stats;
};
struct ethtool_ringparam {
	uint32_t rx_max_pending, rx_mini_max_pending, rx_jumbo_max_pending;
	uint32_t tx_max_pending;
	uint32_t rx_pending, rx_mini_pending, rx_jumbo_pending, tx_pending;
};
struct ethtool_channels {
	uint32_t max_rx, max_tx, max_other, max_combined;
	uint32_t rx_count, tx_count, other_count, combined_count;
};
struct ethtool_coalesce {
	uint32_t rx_coalesce_usecs, rx_max_coalesced_frames;
	uint32_t tx_coalesce_usecs, tx_max_coalesced_frames;
	uint32_t use_adaptive_rx_coalesce, use_adaptive_tx_coalesce;
};
#define ETH_GSTRING_LEN 32

/* ethtool DEV: the link (include/uapi/linux/ethtool.h's
 * ethtool_link_settings, its link modes as the few bits a copper 1G NIC
 * has instead of the kernel's long bitmaps). */
enum {
	KP_LINK_MODE_10baseT_Half = 1u << 0,
	KP_LINK_MODE_10baseT_Full = 1u << 1,
	KP_LINK_MODE_100baseT_Half = 1u << 2,
	KP_LINK_MODE_100baseT_Full = 1u << 3,
	KP_LINK_MODE_1000baseT_Full = 1u << 4,
	KP_LINK_MODE_Autoneg = 1u << 5,
	KP_LINK_MODE_TP = 1u << 6,
	KP_LINK_MODE_Pause = 1u << 7,
};
#define SPEED_UNKNOWN (-1)
#define DUPLEX_HALF 0x00
#define DUPLEX_FULL 0x01
#define DUPLEX_UNKNOWN 0xff
#define PORT_TP 0x00
#define AUTONEG_ENABLE 0x01
#define ETH_TP_MDI_INVALID 0x00
#define ETH_TP_MDI 0x01
#define ETH_TP_MDI_X 0x02
#define ETH_TP_MDI_AUTO 0x03
struct ethtool_link_ksettings {
	struct {
		int32_t speed; /* Mb/s, or SPEED_UNKNOWN */
		uint8_t duplex, port, phy_address, autoneg;
		uint8_t eth_tp_mdix, eth_tp_mdix_ctrl;
	} base;
	struct {
		uint32_t supported, advertising; /* KP_LINK_MODE_* */
	} link_modes;
};
struct ethtool_wolinfo {
	uint32_t supported, wolopts; /* WAKE_* */
};
#define WAKE_PHY (1 << 0)
#define WAKE_UCAST (1 << 1)
#define WAKE_MCAST (1 << 2)
#define WAKE_BCAST (1 << 3)
#define WAKE_ARP (1 << 4)
#define WAKE_MAGIC (1 << 5)

struct ethtool_ops {
	void (*get_drvinfo)(struct net_device *, struct ethtool_drvinfo *);
	/* ethtool DEV: speed, duplex, link modes, wake-on, message level */
	int (*get_link_ksettings)(struct net_device *,
				  struct ethtool_link_ksettings *);
	void (*get_wol)(struct net_device *, struct ethtool_wolinfo *);
	uint32_t (*get_msglevel)(struct net_device *);
	void (*get_ringparam)(struct net_device *, struct ethtool_ringparam *);
	int (*set_ringparam)(struct net_device *, struct ethtool_ringparam *);
	void (*get_channels)(struct net_device *, struct ethtool_channels *);
	int (*set_channels)(struct net_device *, struct ethtool_channels *);
	int (*get_coalesce)(struct net_device *, struct ethtool_coalesce *);
	int (*set_coalesce)(struct net_device *, struct ethtool_coalesce *);
	/* ethtool -S: count, names (ETH_GSTRING_LEN each), values */
	int (*get_sset_count)(struct net_device *);
	void (*get_strings)(struct net_device *, char *data);
	void (*get_ethtool_stats)(struct net_device *, uint64_t *data);
	/* ethtool -x/-X: RSS indirection table */
	uint32_t (*get_rxfh_indir_size)(struct net_device *);
	int (*get_rxfh)(struct net_device *, uint32_t *indir);
	int (*set_rxfh)(struct net_device *, const uint32_t *indir);
};

/* A TX queue of a device (qdisc, stopped state). */
enum { __QUEUE_STATE_DRV_XOFF, __QUEUE_STATE_STACK_XOFF };
struct netdev_queue {
	struct net_device *dev;
	struct Qdisc *qdisc;         /* NULL: noop (device down) */
	struct Qdisc *qdisc_sleeping; /* attached while the device is down */
	unsigned long state;
	unsigned int index;
	uint64_t trans_start;
	/* HARD_TX_LOCK: serialises ndo_start_xmit on this queue (set up by
	 * dev_activate) */
	spinlock_t _xmit_lock;
	int xmit_lock_owner;         /* CPU number, -1 */
};

/* An RX queue of a device: its RPS CPU mask (rx-N/rps_cpus). */
struct netdev_rx_queue {
	uint32_t rps_cpus; /* bit = CPU; 0 = RPS off */
	unsigned int index;
};

#define KP_MAX_QUEUES 8

struct net_device {
	struct kp_obj kp;
	char name[IFNAMSIZ];
	int ifindex;
	unsigned int flags;        /* IFF_* */
	unsigned int mtu;
	unsigned short type;       /* ARPHRD_ETHER = 1, ARPHRD_LOOPBACK = 772 */
	unsigned short hard_header_len;
	unsigned char addr_len;
	unsigned char dev_addr[ETH_ALEN];
	unsigned char broadcast[ETH_ALEN];
	uint32_t features, hw_features;
	unsigned int tx_queue_len; /* txqueuelen */
	unsigned int priv_flags;   /* IFF_NO_QUEUE ... */
	const struct net_device_ops *netdev_ops;
	const struct ethtool_ops *ethtool_ops;
	struct rtnl_link_stats64 stats; /* the driver's counters */
	uint64_t rx_dropped;       /* core drops (no handler, backlog) */
	uint64_t tx_dropped;
	uint64_t rx_nohandler;

	struct netdev_rx_queue _rx[KP_MAX_QUEUES];
	unsigned int num_rx_queues, real_num_rx_queues;
	struct netdev_queue _tx[KP_MAX_QUEUES];
	unsigned int num_tx_queues, real_num_tx_queues;
	struct Qdisc *qdisc;       /* root qdisc (tc's "root"), NULL: noop */
	struct Qdisc *kp_qdiscs;   /* every qdisc made for it (free_netdev) */

	struct list_head napi_list;
	struct list_head dev_list; /* on net->dev_base_head */
	struct net *nd_net;
	struct kp_host *host;
	void *ip_ptr;              /* struct in_device: IPv4 addresses */
	void *priv;                /* netdev_priv(): the driver's adapter */
};

static inline void *netdev_priv(const struct net_device *dev)
{
	return dev->priv;
}
static inline struct netdev_queue *
netdev_get_tx_queue(struct net_device *dev, unsigned int index)
{
	return &dev->_tx[index];
}
static inline bool netif_running(const struct net_device *dev)
{
	return dev->flags & IFF_UP;
}

/* Allocate a device with @priv_size bytes of driver state; NULL on
 * ENOMEM.  register_netdev gives it an ifindex on @net. */
struct net_device *alloc_etherdev_mqs(int priv_size, unsigned int txqs,
				      unsigned int rxqs);
void free_netdev(struct net_device *dev);
int register_netdev(struct net_device *dev);
void unregister_netdev(struct net_device *dev);
/* `ip link set DEV up|down` */
int dev_open(struct net_device *dev);
int dev_close(struct net_device *dev);
struct net_device *dev_get_by_name(struct net *net, const char *name);
struct net_device *dev_get_by_index(struct net *net, int ifindex);

/* TX queue flow control (include/linux/netdevice.h) */
void netif_tx_start_all_queues(struct net_device *dev);
void netif_tx_stop_all_queues(struct net_device *dev);
void netif_tx_wake_queue(struct netdev_queue *txq);
static inline void netif_tx_stop_queue(struct netdev_queue *txq)
{
	set_bit(__QUEUE_STATE_DRV_XOFF, &txq->state);
}
static inline bool netif_tx_queue_stopped(const struct netdev_queue *txq)
{
	return test_bit(__QUEUE_STATE_DRV_XOFF, &txq->state);
}
static inline void netif_carrier_on(struct net_device *dev)
{
	dev->flags |= IFF_LOWER_UP | IFF_RUNNING;
}
static inline bool netif_carrier_ok(const struct net_device *dev)
{
	return dev->flags & IFF_LOWER_UP;
}
static inline void netif_carrier_off(struct net_device *dev)
{
	dev->flags &= ~(IFF_LOWER_UP | IFF_RUNNING);
}

/* ---- receive (net/core/dev.c, net/core/gro.c) ---- */

/* eth_type_trans: sets skb->protocol, pkt_type and pulls the header. */
uint16_t eth_type_trans(struct sk_buff *skb, struct net_device *dev);

enum gro_result {
	GRO_MERGED,
	GRO_MERGED_FREE,
	GRO_HELD,
	GRO_NORMAL,
	GRO_DROP,
};
typedef enum gro_result gro_result_t;

gro_result_t napi_gro_receive(struct napi_struct *napi, struct sk_buff *skb);
void napi_gro_flush(struct napi_struct *napi, bool flush_old);
int netif_receive_skb(struct sk_buff *skb);
/* From hardirq or any context: queue on this CPU's (or the RPS CPU's)
 * input_pkt_queue, schedule the backlog NAPI. */
int netif_rx(struct sk_buff *skb);
#define NET_RX_SUCCESS 0
#define NET_RX_DROP 1

/* subsys_initcall: per-CPU softnet_data, NET_TX/NET_RX softirqs (and the
 * host's struct net when nobody created it before). */
int net_dev_init(void);

/* ---- transmit (net/core/dev.c: src/net/core/dev_xmit.c) ---- */

/* qdisc enqueue / dev_queue_xmit results */
#define NET_XMIT_SUCCESS 0x00
#define NET_XMIT_DROP 0x01 /* skb dropped */
#define NET_XMIT_CN 0x02   /* congestion notification */
#define NET_XMIT_MASK 0x0f
#define net_xmit_errno(e) ((e) != NET_XMIT_CN ? -ENOBUFS : 0)
static inline bool dev_xmit_complete(int rc)
{
	return rc < NET_XMIT_MASK; /* NETDEV_TX_OK or a NET_XMIT_* code */
}

/* Sends skb (data = MAC header) on skb->dev: picks the TX queue, runs its
 * qdisc, hands the frame to the driver.  Consumes the skb; NET_XMIT_*
 * or a negative errno (-ENETDOWN). */
int dev_queue_xmit(struct sk_buff *skb);
/* Reschedules a qdisc on this CPU's output_queue (NET_TX_SOFTIRQ). */
void __netif_schedule(struct Qdisc *q);

#endif
