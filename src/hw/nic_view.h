/*
 * nic_view.h - read-only views of an igb ring for the UI (`show ring
 * eth0 rx 0`, the TUI ring pane): the driver's indices, the device's
 * head/tail, and per descriptor who owns it and what it holds.
 * Nothing here changes the model; callable from engine context.
 */
#ifndef KP_HW_NIC_VIEW_H
#define KP_HW_NIC_VIEW_H

#include <stdbool.h>
#include <stdint.h>

struct net_device;

enum kp_desc_owner {
	KP_DESC_DRIVER, /* the driver's: not posted, or done and not cleaned */
	KP_DESC_DEVICE, /* posted: the device may fill (RX) or send (TX) it */
};

struct kp_desc_view {
	uint8_t owner;     /* enum kp_desc_owner */
	bool dd, eop;      /* status written back by the device */
	bool in_dma;       /* the device is DMAing into/out of it now */
	uint16_t length;   /* RX: written back; TX: buffer length */
	uint32_t skb_id;   /* skb#N held by this slot, 0 if none */
	uint32_t rss_hash; /* RX: written back */
};

struct kp_ring_view {
	int queue;
	uint32_t count;
	uint32_t next_to_use, next_to_clean; /* driver */
	uint32_t head, tail;                  /* device: RDH/RDT or TDH/TDT */
	uint32_t in_dma;                      /* descriptors being DMAed */
	unsigned int irq;                     /* the queue's IRQ line */
	uint64_t packets, bytes, drops;
	struct kp_desc_view *desc;            /* count entries, or NULL */
};

/* Fill @out for RX/TX queue @q of an igb device.  @out->desc must point
 * at room for the ring's count (kp_nic_ring_count) or be NULL for the
 * summary only.  0, -ENODEV (not igb, or down), -EINVAL (no such queue). */
int kp_nic_ring_count(struct net_device *dev, bool rx, int q);
int kp_nic_rx_ring_view(struct net_device *dev, int q,
			struct kp_ring_view *out);
int kp_nic_tx_ring_view(struct net_device *dev, int q,
			struct kp_ring_view *out);

#endif
