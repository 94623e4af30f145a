/*
 * nic.h - the 82576-like NIC device: registers, DMA through its IOMMU-like
 * mapping table, RX/TX queues, RSS, MSI-X vectors with EITR throttling.
 *
 * The device and its driver (igb_main.c) meet only here: 32-bit register
 * reads and writes (kp_nic_rd32/kp_nic_wr32), descriptor rings and buffers
 * in "host memory" that the driver maps with dma_map_single() and the
 * device reaches through kp_dma_resolve(), and interrupts (kp_irq_raise on
 * the line programmed in the vector's KP_E1000_MSIXT entry).
 *
 * Everything the device does happens in engine events at virtual time:
 * frame arrival, DMA completion, the EITR timer, TX descriptor fetch.
 */
#ifndef KP_HW_NIC_H
#define KP_HW_NIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "e1000_regs.h"
#include "engine/list.h"

struct kp_host;
struct kp_world;
struct kp_link;
struct net_device;
struct pci_dev;

#define KP_NIC_MAX_QUEUES 8
#define KP_NIC_MAX_VECTORS 10
#define KP_NIC_TX_FIFO_BYTES 40960 /* 82576 TX packet buffer */
#define KP_NIC_MAX_FRAME 16128     /* largest frame the MAC takes (LPE) */

/* One DMA mapping: the device may touch [cpu, cpu+len). */
struct kp_dma_map {
	void *cpu;
	size_t len;
};

struct kp_dma {
	struct kp_dma_map *maps;
	uint32_t nr, cap;
	uint32_t *free_slots;
	uint32_t nr_free;
	uint64_t errors; /* device accesses outside any mapping */
};

/* A frame being written into host memory (RX) or read from it (TX). */
struct kp_nic_dma_op {
	struct list_head list;
	struct kp_nic *nic;
	int queue;
	uint32_t first, nr_desc; /* descriptors it uses */
	uint32_t hash;
	uint16_t rss_type;
	uint32_t status;         /* checksum status/error bits (RX) */
	uint32_t event;          /* eventq handle */
	int cls;                 /* buffer size class (nic.c), or -1 */
	size_t len;
	uint8_t data[];
};

struct kp_nic_rxq {
	dma_addr_t rdba;
	uint32_t rdlen, rdh, rdt, srrctl, rxdctl;
	uint32_t next_fetch;    /* rdh..next_fetch: descriptors in DMA */
	uint64_t dma_busy_until;
	struct list_head in_dma; /* struct kp_nic_dma_op, oldest first */
	uint64_t rqdpc;         /* drops on this queue (clear on read) */
	uint64_t rqdpc_read;
	uint64_t packets, bytes, drops; /* device view, cumulative */
};

struct kp_nic_txq {
	dma_addr_t tdba;
	uint32_t tdlen, tdh, tdt, txdctl;
	uint32_t next_fetch;    /* tdh..next_fetch: descriptors in DMA */
	bool fetch_queued;
	uint32_t fetch_event;
	uint64_t dma_busy_until;
	uint64_t fifo_free_at;  /* the MAC's TX buffer has room again */
	struct list_head in_dma;
	uint64_t packets, bytes;
};

struct kp_nic_vector {
	uint32_t irq;       /* host IRQ line (KP_E1000_MSIXT), 0 = none */
	uint32_t eitr;
	bool cause;         /* EICR bit: something to report */
	bool fired_once;
	uint64_t last_fire;
	uint32_t timer;     /* EITR interval timer event */
	uint32_t check;     /* "look at EIMS" event after a register write */
	uint64_t fired;     /* interrupts raised */
	uint64_t deferred;  /* causes held back by the EITR interval */
};

/* Cumulative device statistics; the registers read as deltas. */
struct kp_nic_stats {
	uint64_t crcerrs, mpc, gprc, bprc, mprc, gptc, gorc, gotc;
	uint64_t rnbc, ruc, roc, tpr, tpt;
	uint64_t filtered; /* not for us (address filter) */
};
#define KP_NIC_NR_STATS (sizeof(struct kp_nic_stats) / sizeof(uint64_t))

/* The longest RSS hash input: IPv4 saddr, daddr, sport, dport. */
#define KP_RSS_INPUT_MAX 12

struct kp_nic {
	struct kp_host *host;
	struct kp_world *world;
	int index;              /* on its host */
	char slot[16];          /* PCI slot "0000:01:00.0" */
	uint8_t perm_addr[6];   /* from the EEPROM */
	int nr_queues;          /* queues the hardware offers */

	/* registers */
	uint32_t ctrl, rctl, tctl, rxcsum, mrqc;
	uint32_t ral, rah;
	uint32_t eims, eiac, eiam;
	uint8_t rss_key[IGB_RSS_KEY_SIZE];
	/* the hash of each byte value at each input position under
	 * rss_key (kp_toeplitz_table), rebuilt at the first hash after
	 * RSSRK is written */
	uint32_t rss_tbl[KP_RSS_INPUT_MAX][256];
	bool rss_tbl_stale;
	/* the last hash input and its hash: a flow's frames come in runs
	 * (rss_tbl_stale also voids it) */
	uint64_t rss_last_in8;
	uint32_t rss_last_in4, rss_last_n, rss_last_hash;
	uint8_t reta[IGB_RETA_SIZE];
	uint32_t ivar[8];
	struct kp_nic_rxq rxq[KP_NIC_MAX_QUEUES];
	struct kp_nic_txq txq[KP_NIC_MAX_QUEUES];
	struct kp_nic_vector vec[KP_NIC_MAX_VECTORS];
	struct kp_nic_stats stats, stats_read;

	struct kp_dma dma;
	struct kp_link *link;   /* the wire, or NULL */
	/* frames on their way to this port, by arrival (time, seq); only
	 * the first has an event queued (wire_event its handle) */
	struct list_head wire_in;
	uint32_t wire_event;
	/* arrived frames' buffers kept for the next ones, by size class */
	void *wire_cache[2];
	unsigned wire_cached[2];
	/* finished DMA operations kept for the next ones, by size class */
	void *dma_op_cache[2];
	unsigned dma_op_cached[2];
	int link_side;
	uint64_t tx_lost;       /* frames sent with no link */

	/* set by the driver, for names only */
	char ifname[16];        /* "eth0" once registered */
	struct net_device *netdev;
	struct pci_dev *pdev;
};

/* A bare device (no PCI, no host lists): the device model alone. */
struct kp_nic *kp_nic_alloc(struct kp_world *w, struct kp_host *h,
			    const uint8_t mac[6], int nr_queues);
void kp_nic_free(struct kp_nic *nic);

/* DMA operation buffers by size class (most frames are small or
 * full-sized), kept on the device for the next frame: no malloc per
 * frame.  kp_nic_dma_op_alloc/free are inline (two of each a datagram,
 * the calls cost as much as the cache). */
#define KP_NIC_DMA_OP_SMALL 256
#define KP_NIC_DMA_OP_LARGE 1536
#define KP_NIC_DMA_OP_CACHE_MAX 1024
/* A new (malloc'd) operation of size class @cls (-1: exactly @len). */
struct kp_nic_dma_op *kp_nic_dma_op_new(size_t len, int cls);

/* A DMA operation with room for @len bytes of frame, zeroed up to
 * data[] (the frame bytes are not), or NULL; free it with
 * kp_nic_dma_op_free. */
static inline struct kp_nic_dma_op *kp_nic_dma_op_alloc(struct kp_nic *nic,
							 size_t len)
{
	int c = len <= KP_NIC_DMA_OP_SMALL   ? 0
		: len <= KP_NIC_DMA_OP_LARGE ? 1
					     : -1;
	struct kp_nic_dma_op *op;
	if (c >= 0 && nic->dma_op_cache[c]) {
		op = nic->dma_op_cache[c];
		nic->dma_op_cache[c] = *(void **)op;
		nic->dma_op_cached[c]--;
	} else {
		op = kp_nic_dma_op_new(len, c);
		if (!op)
			return NULL;
	}
	memset(op, 0, sizeof(*op));
	op->cls = c;
	return op;
}

static inline void kp_nic_dma_op_free(struct kp_nic *nic,
				      struct kp_nic_dma_op *op)
{
	int c = op->cls;
	if (c < 0 || nic->dma_op_cached[c] >= KP_NIC_DMA_OP_CACHE_MAX) {
		free(op);
		return;
	}
	*(void **)op = nic->dma_op_cache[c];
	nic->dma_op_cache[c] = op;
	nic->dma_op_cached[c]++;
}

/* The driver's door: MMIO register access. */
uint32_t kp_nic_rd32(struct kp_nic *nic, uint32_t reg);
void kp_nic_wr32(struct kp_nic *nic, uint32_t reg, uint32_t val);

/* The wire's door: a frame arrives now (engine context). */
void kp_nic_rx_frame(struct kp_nic *nic, const uint8_t *frame, size_t len);

/* The device's DMA window (what dma_map_single programs): a handle for
 * [cpu, cpu+len), 0 on failure; unmap forgets it. */
dma_addr_t kp_dma_map(struct kp_nic *nic, void *cpu, size_t len);
void kp_dma_unmap(struct kp_nic *nic, dma_addr_t addr);
/* Device-side DMA: host memory at @addr for @len bytes, or NULL (counted
 * in dma.errors).  Inline: the device resolves five addresses a frame
 * (descriptors and buffers), and the call cost as much as the lookup. */
#define KP_DMA_SLOT_SHIFT 20
#define KP_DMA_OFF_MASK ((1ull << KP_DMA_SLOT_SHIFT) - 1)
static inline void *kp_dma_resolve(struct kp_nic *nic, dma_addr_t addr,
				   size_t len)
{
	struct kp_dma *d = &nic->dma;
	uint64_t slot = addr >> KP_DMA_SLOT_SHIFT;
	uint64_t off = addr & KP_DMA_OFF_MASK;
	if (slot == 0 || slot > d->nr || !d->maps[slot - 1].cpu ||
	    off + len > d->maps[slot - 1].len) {
		d->errors++;
		return NULL;
	}
	return (uint8_t *)d->maps[slot - 1].cpu + off;
}

/* RSS: the Toeplitz hash of @len bytes of @input under @key. */
uint32_t kp_toeplitz_hash(const uint8_t key[IGB_RSS_KEY_SIZE],
			  const uint8_t *input, size_t len);
/* The same hash by table: tbl[i][b] is the hash of byte b at position i
 * (the XOR of the key windows of its set bits); hashing is then one
 * lookup per input byte. */
void kp_toeplitz_table(const uint8_t key[IGB_RSS_KEY_SIZE],
		       uint32_t tbl[KP_RSS_INPUT_MAX][256]);
/* The queue RSS picks for @frame (0 for non-IP); hash and type out. */
int kp_nic_rss_queue(struct kp_nic *nic, const uint8_t *frame,
		     size_t len, uint32_t *hash, uint16_t *type);

/* The vector a queue reports to (IVAR), or -1 when not mapped.  This and
 * kp_nic_dma_ns are inline: each frame asks, and a call across files
 * cost more than the answer. */
static inline int kp_nic_rx_vector(const struct kp_nic *nic, int q)
{
	uint32_t v = nic->ivar[q & 7] >> ((q & 8) ? 16 : 0);
	return (v & E1000_IVAR_VALID) ? (int)(v & 0x1f) : -1;
}

static inline int kp_nic_tx_vector(const struct kp_nic *nic, int q)
{
	uint32_t v = nic->ivar[q & 7] >> ((q & 8) ? 24 : 8);
	return (v & E1000_IVAR_VALID) ? (int)(v & 0x1f) : -1;
}

/* EITR interval in ns (0: no throttling). */
uint64_t kp_nic_itr_interval_ns(uint32_t eitr);

/* PCIe DMA time of @len bytes: 200 ns + 8 ns per 64 bytes. */
#define KP_PCIE_DMA_SETUP_NS 200
#define KP_PCIE_NS_PER_64B 8
static inline uint64_t kp_nic_dma_ns(size_t len)
{
	return KP_PCIE_DMA_SETUP_NS + KP_PCIE_NS_PER_64B * ((len + 63) / 64);
}

/* Device time: the writing CPU's clock during an MMIO write, else now. */
uint64_t kp_nic_now(const struct kp_nic *nic);

/* nic_tx.c: the TX engine, started by a TDT write */
void kp_nic_tx_kick(struct kp_nic *nic, int q);
void kp_nic_txq_reset(struct kp_nic *nic, int q);
/* nic_irq.c: report a cause on @vector; check whether to interrupt */
void kp_nic_irq_cause(struct kp_nic *nic, int vector);
void kp_nic_irq_check_later(struct kp_nic *nic, int vector);
void kp_nic_irq_cancel(struct kp_nic *nic);
/* CTRL.RST: the interrupt block back to power-on (EITR 0, masks clear,
 * no pending cause, throttle fresh); the MSI-X table stays. */
void kp_nic_irq_reset(struct kp_nic *nic);

#endif
