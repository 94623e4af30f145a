/*
 * igb.h - the igb driver's structures (drivers/net/ethernet/intel/igb/
 * igb.h): the adapter, q_vectors with their NAPI, rings with the
 * descriptor array the device reads and the buffer array the driver
 * keeps beside it, and the per-ring statistics ethtool -S shows.
 *
 * Departures: an RX buffer is a 2 KB block kept by its descriptor slot
 * for the ring's life (igb reuses half pages); no TSO/checksum contexts
 * on TX; no VLAN, PTP, SR-IOV, or watchdog timer (stats are refreshed
 * when polled or read).
 */
#ifndef KP_HW_IGB_H
#define KP_HW_IGB_H

#include <stdbool.h>
#include <stdint.h>

#include "e1000_regs.h"
#include "net/core/netdevice.h"
#include "nic.h"
#include "pci.h"

#define IGB_MAX_RX_QUEUES 8
#define IGB_MAX_TX_QUEUES 8
#define IGB_DEFAULT_TXD 256
#define IGB_DEFAULT_RXD 256
#define IGB_MIN_TXD 80
#define IGB_MAX_TXD 4096
#define IGB_MIN_RXD 80
#define IGB_MAX_RXD 4096
#define IGB_RX_BUFSZ 2048
#define IGB_RX_HDR_LEN 256
#define IGB_RX_BUFFER_WRITE 16 /* must be power of 2 */
#define IGB_DEFAULT_TX_WORK 128
#define IGB_MAX_DATA_PER_TXD (1u << 15)
#define MAX_SKB_FRAGS 17
#define DESC_NEEDED (MAX_SKB_FRAGS + 4)
#define TX_WAKE_THRESHOLD (DESC_NEEDED * 2)

/* interrupt moderation (igb.h) */
#define IGB_START_ITR 648 /* ~6000 ints/sec */
#define IGB_4K_ITR 980
#define IGB_20K_ITR 196
#define IGB_70K_ITR 56
#define IGB_DEFAULT_ITR 3 /* dynamic, conservative */
#define IGB_MAX_ITR_USECS 10000
#define IGB_MIN_ITR_USECS 10
enum latency_range { lowest_latency = 0, low_latency = 1, bulk_latency = 2 };

/* What igb's rd32/wr32 go through: the device's register file. */
struct e1000_hw {
	struct kp_nic *nic;
	uint8_t mac_addr[ETH_ALEN];
};
#define rd32(reg) kp_nic_rd32(hw->nic, (reg))
#define wr32(reg, val) kp_nic_wr32(hw->nic, (reg), (val))

/* Statistics accumulated from the clear-on-read registers. */
struct e1000_hw_stats {
	uint64_t crcerrs, mpc, gprc, bprc, mprc, gptc, gorc, gotc;
	uint64_t rnbc, ruc, roc, tpr, tpt;
};

struct igb_tx_buffer {
	union e1000_adv_tx_desc *next_to_watch; /* last desc of the frame */
	uint64_t time_stamp;
	struct sk_buff *skb;
	unsigned int bytecount;
	uint16_t gso_segs;
	dma_addr_t dma;
	uint32_t len;
};

struct igb_rx_buffer {
	dma_addr_t dma;
	uint8_t *page; /* kpath: a 2 KB block, not a page */
	unsigned int page_offset;
};

struct igb_tx_queue_stats {
	uint64_t restart_queue;
	uint64_t restart_queue2;
};

struct igb_rx_queue_stats {
	uint64_t drops;
	uint64_t csum_err;
	uint64_t non_eop_descs;
	uint64_t alloc_failed;
};

struct igb_ring_stats {
	uint64_t packets, bytes;
};

struct igb_q_vector;

struct igb_ring {
	struct igb_q_vector *q_vector;
	struct net_device *netdev;
	struct pci_dev *dev;
	union {
		struct igb_tx_buffer *tx_buffer_info;
		struct igb_rx_buffer *rx_buffer_info;
	};
	void *desc;          /* descriptor ring memory */
	dma_addr_t dma;      /* its DMA address */
	unsigned int size;   /* in bytes */
	uint16_t count;      /* descriptors */
	uint8_t queue_index;
	uint8_t reg_idx;
	bool is_rx;
	uint16_t next_to_clean;
	uint16_t next_to_use;
	uint16_t next_to_alloc;
	struct sk_buff *skb; /* RX: a frame spanning descriptors */
	struct igb_ring_stats stats;
	union {
		struct igb_tx_queue_stats tx_stats;
		struct igb_rx_queue_stats rx_stats;
	};
};

struct igb_ring_container {
	struct igb_ring *ring;
	unsigned int total_bytes;
	unsigned int total_packets;
	uint16_t work_limit;
	uint8_t count;
	uint8_t itr;
};

struct igb_adapter;

struct igb_q_vector {
	struct igb_adapter *adapter;
	int cpu;
	uint32_t eims_value;   /* EIMS bit of this vector */
	uint16_t itr_val;
	uint8_t set_itr;
	int v_idx;
	unsigned int irq;
	struct igb_ring_container rx, tx;
	struct napi_struct napi;
	char name[IFNAMSIZ + 9]; /* "eth0-TxRx-0" */
	struct igb_ring tx_ring, rx_ring;
};

#define IGB_FLAG_RSS_FIELD_IPV4_UDP (1u << 6)

struct igb_adapter {
	struct net_device *netdev;
	struct pci_dev *pdev;
	struct e1000_hw hw;
	struct e1000_hw_stats stats;
	uint32_t flags;

	unsigned int num_q_vectors;
	unsigned int num_tx_queues, num_rx_queues;
	unsigned int rss_queues;
	struct igb_q_vector *q_vector[IGB_MAX_RX_QUEUES];
	struct igb_ring *tx_ring[IGB_MAX_TX_QUEUES];
	struct igb_ring *rx_ring[IGB_MAX_RX_QUEUES];
	uint16_t tx_ring_count, rx_ring_count;
	uint32_t tx_timeout_count;

	/* interrupt moderation: 0 off, 1/3 dynamic, else usecs << 2 */
	uint16_t rx_itr_setting, tx_itr_setting;
	uint32_t eims_enable_mask;
	uint32_t max_frame_size;
	bool down;             /* __IGB_DOWN */

	uint8_t rss_indir_tbl[IGB_RETA_SIZE];
	uint8_t rss_key[IGB_RSS_KEY_SIZE];
	bool rss_indir_user;   /* set by ethtool -X: kept across -L */
};

static inline struct igb_adapter *igb_adapter_of(struct net_device *netdev)
{
	return netdev_priv(netdev);
}

#define IGB_RX_DESC(R, i) (&((union e1000_adv_rx_desc *)((R)->desc))[i])
#define IGB_TX_DESC(R, i) (&((union e1000_adv_tx_desc *)((R)->desc))[i])

static inline uint16_t igb_desc_unused(const struct igb_ring *ring)
{
	if (ring->next_to_clean > ring->next_to_use)
		return (uint16_t)(ring->next_to_clean - ring->next_to_use - 1);
	return (uint16_t)(ring->count + ring->next_to_clean -
			  ring->next_to_use - 1);
}

static inline uint32_t igb_test_staterr(union e1000_adv_rx_desc *rx_desc,
					const uint32_t stat_err_bits)
{
	return rx_desc->wb.upper.status_error & stat_err_bits;
}

/* igb_main.c */
int igb_open(struct net_device *netdev);
int igb_close(struct net_device *netdev);
int igb_up_down_for_reconfig(struct igb_adapter *adapter,
			     void (*change)(struct igb_adapter *, void *),
			     void *arg);
void igb_update_stats(struct igb_adapter *adapter);
void igb_write_rss_indir_tbl(struct igb_adapter *adapter);
void igb_set_itr_all(struct igb_adapter *adapter);

/* igb_txrx.c */
int igb_poll(struct napi_struct *napi, int budget);
bool igb_clean_tx_irq(struct igb_q_vector *q_vector);
int igb_clean_rx_irq(struct igb_q_vector *q_vector, const int budget);
void igb_alloc_rx_buffers(struct igb_ring *rx_ring, uint16_t cleaned_count);
netdev_tx_t igb_xmit_frame(struct sk_buff *skb, struct net_device *netdev);
void igb_ring_irq_enable(struct igb_q_vector *q_vector);
void igb_clean_tx_ring(struct igb_ring *tx_ring);
void igb_clean_rx_ring(struct igb_ring *rx_ring);

/* igb_ethtool.c */
void igb_set_ethtool_ops(struct net_device *netdev);

#endif
