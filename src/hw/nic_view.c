/*
 * nic_view.c - the ring views of nic_view.h, read from the igb ring
 * (driver side) and the device's queue registers (device side).
 */
#include "nic_view.h"

#include <errno.h>
#include <string.h>

#include "igb.h"

static struct igb_adapter *igb_of(struct net_device *dev)
{
	if (!dev || dev->netdev_ops == NULL || dev->netdev_ops->ndo_open != igb_open)
		return NULL;
	return netdev_priv(dev);
}

int kp_nic_ring_count(struct net_device *dev, bool rx, int q)
{
	struct igb_adapter *a = igb_of(dev);
	if (!a)
		return -ENODEV;
	if (q < 0 || (unsigned int)q >= a->num_rx_queues)
		return -EINVAL;
	return rx ? a->rx_ring[q]->count : a->tx_ring[q]->count;
}

/* descriptors from @from up to (not including) @to, circularly */
static bool in_span(uint32_t i, uint32_t from, uint32_t to, uint32_t count)
{
	return ((i + count - from) % count) < ((to + count - from) % count);
}

/* What an RX and a TX ring view share: the driver's indices, the
 * device's head/tail, the vector and the ring's counters.  The caller's
 * descriptor array (out->desc) is kept. */
static void ring_view_begin(struct kp_ring_view *out, struct igb_adapter *a,
			    int q, const struct igb_ring *ring, uint32_t head,
			    uint32_t tail)
{
	struct kp_desc_view *desc = out->desc;
	memset(out, 0, sizeof(*out));
	out->desc = desc;
	out->queue = q;
	out->count = ring->count;
	out->next_to_use = ring->next_to_use;
	out->next_to_clean = ring->next_to_clean;
	out->head = head;
	out->tail = tail;
	out->irq = a->q_vector[q]->irq;
	out->packets = ring->stats.packets;
	out->bytes = ring->stats.bytes;
}

int kp_nic_rx_ring_view(struct net_device *dev, int q,
			struct kp_ring_view *out)
{
	struct igb_adapter *a = igb_of(dev);
	if (!a)
		return -ENODEV;
	if (q < 0 || (unsigned int)q >= a->num_rx_queues)
		return -EINVAL;
	struct igb_ring *ring = a->rx_ring[q];
	struct kp_nic_rxq *hw = &a->hw.nic->rxq[ring->reg_idx];
	struct kp_desc_view *desc = out->desc;
	ring_view_begin(out, a, q, ring, hw->rdh, hw->rdt);
	out->drops = ring->rx_stats.drops + hw->rqdpc - hw->rqdpc_read;
	if (!ring->desc || !ring->count)
		return 0;
	out->in_dma = (hw->next_fetch + ring->count - hw->rdh) % ring->count;
	if (!desc)
		return 0;
	for (uint32_t i = 0; i < ring->count; i++) {
		union e1000_adv_rx_desc *d = IGB_RX_DESC(ring, i);
		struct kp_desc_view *v = &desc[i];
		memset(v, 0, sizeof(*v));
		v->owner = in_span(i, hw->rdh, hw->rdt, ring->count)
				   ? KP_DESC_DEVICE
				   : KP_DESC_DRIVER;
		v->in_dma = in_span(i, hw->rdh, hw->next_fetch, ring->count);
		uint32_t st = d->wb.upper.status_error;
		if (v->owner == KP_DESC_DRIVER && (st & E1000_RXD_STAT_DD)) {
			v->dd = true;
			v->eop = st & E1000_RXD_STAT_EOP;
			v->length = d->wb.upper.length;
			v->rss_hash = d->wb.lower.hi_dword.rss;
		}
		if (ring->skb && i == ring->next_to_clean)
			v->skb_id = ring->skb->kp.id; /* frame in progress */
	}
	return 0;
}

int kp_nic_tx_ring_view(struct net_device *dev, int q,
			struct kp_ring_view *out)
{
	struct igb_adapter *a = igb_of(dev);
	if (!a)
		return -ENODEV;
	if (q < 0 || (unsigned int)q >= a->num_tx_queues)
		return -EINVAL;
	struct igb_ring *ring = a->tx_ring[q];
	struct kp_nic_txq *hw = &a->hw.nic->txq[ring->reg_idx];
	struct kp_desc_view *desc = out->desc;
	ring_view_begin(out, a, q, ring, hw->tdh, hw->tdt);
	out->drops = ring->tx_stats.restart_queue;
	if (!ring->desc || !ring->count)
		return 0;
	out->in_dma = (hw->next_fetch + ring->count - hw->tdh) % ring->count;
	if (!desc)
		return 0;
	for (uint32_t i = 0; i < ring->count; i++) {
		union e1000_adv_tx_desc *d = IGB_TX_DESC(ring, i);
		struct igb_tx_buffer *b = &ring->tx_buffer_info[i];
		struct kp_desc_view *v = &desc[i];
		memset(v, 0, sizeof(*v));
		v->owner = in_span(i, hw->tdh, hw->tdt, ring->count)
				   ? KP_DESC_DEVICE
				   : KP_DESC_DRIVER;
		v->in_dma = in_span(i, hw->tdh, hw->next_fetch, ring->count);
		v->dd = d->wb.status & E1000_TXD_STAT_DD;
		v->eop = d->read.cmd_type_len & E1000_ADVTXD_DCMD_EOP;
		v->length = (uint16_t)(d->read.cmd_type_len &
				       E1000_ADVTXD_LEN_MASK);
		if (b->skb)
			v->skb_id = b->skb->kp.id;
	}
	return 0;
}
