/*
 * igb_txrx.c - igb's data path (drivers/net/ethernet/intel/igb/
 * igb_main.c): the NAPI poll, RX descriptor cleaning into skbs handed to
 * GRO, RX buffer refill with the tail write, and transmit: skb to TX
 * descriptors, tail write, completion cleaning and queue stop/wake.
 *
 * Departures: an RX buffer's bytes are always copied into a linear skb
 * (netdev_alloc_skb_ip_align; igb copies only small frames and attaches
 * the page of larger ones), counted in net->skb.bytes_copied; the buffer
 * stays with its descriptor slot.  TX maps the skb's linear data
 * directly; an skb with a frag_list is dropped (no skb_linearize yet).
 */
#include "igb.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "net/core/net_namespace.h"

/* ---- receive ---- */

static bool igb_alloc_mapped_page(struct igb_ring *rx_ring,
				  struct igb_rx_buffer *bi)
{
	if (bi->page)
		return true; /* still ours: reuse it (igb_reuse_rx_page) */
	bi->page = malloc(IGB_RX_BUFSZ);
	if (!bi->page) {
		rx_ring->rx_stats.alloc_failed++;
		return false;
	}
	bi->dma = dma_map_single(rx_ring->dev, bi->page, IGB_RX_BUFSZ);
	if (dma_mapping_error(rx_ring->dev, bi->dma)) {
		free(bi->page);
		bi->page = NULL;
		rx_ring->rx_stats.alloc_failed++;
		return false;
	}
	bi->page_offset = 0;
	return true;
}

void igb_alloc_rx_buffers(struct igb_ring *rx_ring, uint16_t cleaned_count)
{
	KP_FUNC_ARG(igb_alloc_rx_buffers, KP_NOOBJ, cleaned_count);
	struct e1000_hw *hw = &rx_ring->q_vector->adapter->hw;
	uint16_t i = rx_ring->next_to_use;
	if (!cleaned_count)
		return;
	while (cleaned_count--) {
		struct igb_rx_buffer *bi = &rx_ring->rx_buffer_info[i];
		union e1000_adv_rx_desc *rx_desc = IGB_RX_DESC(rx_ring, i);
		if (!igb_alloc_mapped_page(rx_ring, bi))
			break;
		rx_desc->read.pkt_addr = bi->dma + bi->page_offset;
		/* clear the status bits for the next_to_use descriptor */
		rx_desc->read.hdr_addr = 0;
		i++;
		if (i == rx_ring->count)
			i = 0;
	}
	if (rx_ring->next_to_use != i) {
		rx_ring->next_to_use = i;
		rx_ring->next_to_alloc = i;
		/* wmb(); then the tail write hands them to the device */
		wr32(E1000_RDT(rx_ring->reg_idx), i);
	}
}

static struct sk_buff *igb_fetch_rx_buffer(struct igb_ring *rx_ring,
					   union e1000_adv_rx_desc *rx_desc,
					   struct sk_buff *skb)
{
	unsigned int size = rx_desc->wb.upper.length;
	KP_FUNC_ARG(igb_fetch_rx_buffer, skb, size);
	struct igb_rx_buffer *rx_buffer =
		&rx_ring->rx_buffer_info[rx_ring->next_to_clean];
	struct igb_adapter *adapter = rx_ring->q_vector->adapter;
	if (size > IGB_RX_BUFSZ)
		size = IGB_RX_BUFSZ;
	if (!skb) {
		/* a frame that goes on gets room for the largest frame */
		unsigned int room = size;
		if (!igb_test_staterr(rx_desc, E1000_RXD_STAT_EOP))
			room = adapter->max_frame_size > KP_NIC_MAX_FRAME
				       ? KP_NIC_MAX_FRAME
				       : adapter->max_frame_size + IGB_RX_BUFSZ;
		skb = netdev_alloc_skb_ip_align(rx_ring->netdev, room);
		if (!skb) {
			rx_ring->rx_stats.alloc_failed++;
			return NULL;
		}
	}
	if (skb_tailroom(skb) < (int)size) {
		/* longer than the frame size we allowed for: drop it */
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_BIG);
		return NULL;
	}
	memcpy(skb_put(skb, size), rx_buffer->page + rx_buffer->page_offset,
	       size);
	rx_ring->netdev->nd_net->skb.bytes_copied += size;
	kp_skb_where(skb, "igb rx_ring->skb", rx_ring->queue_index);
	return skb;
}

static bool igb_is_non_eop(struct igb_ring *rx_ring,
			   union e1000_adv_rx_desc *rx_desc)
{
	KP_FUNC0(igb_is_non_eop);
	uint32_t ntc = rx_ring->next_to_clean + 1u;
	ntc = ntc < rx_ring->count ? ntc : 0;
	rx_ring->next_to_clean = (uint16_t)ntc;
	if (igb_test_staterr(rx_desc, E1000_RXD_STAT_EOP))
		return false;
	rx_ring->rx_stats.non_eop_descs++;
	return true;
}

static bool igb_cleanup_headers(struct igb_ring *rx_ring,
				union e1000_adv_rx_desc *rx_desc,
				struct sk_buff *skb)
{
	KP_FUNC(igb_cleanup_headers, skb);
	if (igb_test_staterr(rx_desc, E1000_RXDEXT_ERR_FRAME_ERR_MASK)) {
		rx_ring->netdev->stats.rx_frame_errors++;
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_HDR);
		return true;
	}
	/* eth_skb_pad: if the frame is short, pad it to ETH_ZLEN */
	if (skb->len < ETH_ZLEN) {
		unsigned int pad = ETH_ZLEN - skb->len;
		if (skb_tailroom(skb) < (int)pad) {
			kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_SMALL);
			return true;
		}
		memset(skb_put(skb, pad), 0, pad);
	}
	return false;
}

static void igb_rx_checksum(struct igb_ring *ring,
			    union e1000_adv_rx_desc *rx_desc,
			    struct sk_buff *skb)
{
	skb->ip_summed = CHECKSUM_NONE;
	if (igb_test_staterr(rx_desc, E1000_RXD_STAT_IXSM))
		return;
	if (!(ring->netdev->features & NETIF_F_RXCSUM))
		return;
	if (igb_test_staterr(rx_desc, E1000_RXDEXT_STATERR_TCPE |
					      E1000_RXDEXT_STATERR_IPE)) {
		ring->rx_stats.csum_err++;
		return; /* the stack checks it again and counts the error */
	}
	if (igb_test_staterr(rx_desc, E1000_RXD_STAT_TCPCS |
					      E1000_RXD_STAT_UDPCS))
		skb->ip_summed = CHECKSUM_UNNECESSARY;
}

static void igb_process_skb_fields(struct igb_ring *rx_ring,
				   union e1000_adv_rx_desc *rx_desc,
				   struct sk_buff *skb)
{
	KP_FUNC(igb_process_skb_fields, skb);
	struct net_device *dev = rx_ring->netdev;
	/* igb_rx_hash */
	if (dev->features & NETIF_F_RXHASH) {
		uint16_t type = rx_desc->wb.lower.lo_dword.hs_rss.pkt_info &
				E1000_RXDADV_RSSTYPE_MASK;
		skb->hash = rx_desc->wb.lower.hi_dword.rss;
		skb->l4_rxhash = type == E1000_RXDADV_RSSTYPE_IPV4_TCP ||
				 type == E1000_RXDADV_RSSTYPE_IPV4_UDP;
	}
	igb_rx_checksum(rx_ring, rx_desc, skb);
	skb->queue_mapping = rx_ring->queue_index; /* skb_record_rx_queue */
	skb->protocol = eth_type_trans(skb, dev);
}

int igb_clean_rx_irq(struct igb_q_vector *q_vector, const int budget)
{
	KP_FUNC_ARG(igb_clean_rx_irq, &q_vector->napi, budget);
	struct igb_ring *rx_ring = q_vector->rx.ring;
	struct sk_buff *skb = rx_ring->skb;
	unsigned int total_bytes = 0, total_packets = 0;
	uint16_t cleaned_count = igb_desc_unused(rx_ring);

	while ((int)total_packets < budget) {
		/* return some buffers to hardware, one at a time is too slow */
		if (cleaned_count >= IGB_RX_BUFFER_WRITE) {
			igb_alloc_rx_buffers(rx_ring, cleaned_count);
			cleaned_count = 0;
		}
		union e1000_adv_rx_desc *rx_desc =
			IGB_RX_DESC(rx_ring, rx_ring->next_to_clean);
		if (!igb_test_staterr(rx_desc, E1000_RXD_STAT_DD))
			break;
		/* rmb(): read nothing else until DD is seen */
		skb = igb_fetch_rx_buffer(rx_ring, rx_desc, skb);
		if (!skb) {
			/* the descriptor is used up even if the frame is not */
			igb_is_non_eop(rx_ring, rx_desc);
			cleaned_count++;
			break;
		}
		cleaned_count++;
		if (igb_is_non_eop(rx_ring, rx_desc))
			continue;
		if (igb_cleanup_headers(rx_ring, rx_desc, skb)) {
			skb = NULL;
			continue;
		}
		total_bytes += skb->len;
		igb_process_skb_fields(rx_ring, rx_desc, skb);
		napi_gro_receive(&q_vector->napi, skb);
		skb = NULL;
		total_packets++;
	}
	rx_ring->skb = skb;
	rx_ring->stats.packets += total_packets;
	rx_ring->stats.bytes += total_bytes;
	q_vector->rx.total_packets += total_packets;
	q_vector->rx.total_bytes += total_bytes;
	rx_ring->netdev->stats.rx_packets += total_packets;
	rx_ring->netdev->stats.rx_bytes += total_bytes;
	if (cleaned_count)
		igb_alloc_rx_buffers(rx_ring, cleaned_count);
	return (int)total_packets;
}

/* ---- transmit completion ---- */

static void igb_unmap_and_free_tx_resource(struct igb_ring *ring,
					   struct igb_tx_buffer *tx_buffer,
					   bool free_skb)
{
	if (tx_buffer->skb && free_skb)
		consume_skb(tx_buffer->skb);
	if (tx_buffer->dma)
		dma_unmap_single(ring->dev, tx_buffer->dma, tx_buffer->len);
	tx_buffer->skb = NULL;
	tx_buffer->dma = 0;
	tx_buffer->len = 0;
	tx_buffer->next_to_watch = NULL;
}

bool igb_clean_tx_irq(struct igb_q_vector *q_vector)
{
	KP_FUNC(igb_clean_tx_irq, &q_vector->napi);
	struct igb_adapter *adapter = q_vector->adapter;
	struct igb_ring *tx_ring = q_vector->tx.ring;
	unsigned int total_bytes = 0, total_packets = 0;
	unsigned int budget = q_vector->tx.work_limit;
	uint16_t i = tx_ring->next_to_clean;

	if (adapter->down || !tx_ring->tx_buffer_info)
		return true;
	while (budget) {
		struct igb_tx_buffer *tx_buffer = &tx_ring->tx_buffer_info[i];
		union e1000_adv_tx_desc *eop_desc = tx_buffer->next_to_watch;
		if (!eop_desc)
			break; /* no work pending */
		if (!(eop_desc->wb.status & E1000_TXD_STAT_DD))
			break; /* the device has not sent it yet */
		total_bytes += tx_buffer->bytecount;
		total_packets += tx_buffer->gso_segs;
		/* walk the frame's descriptors up to its EOP */
		for (;;) {
			union e1000_adv_tx_desc *d = IGB_TX_DESC(tx_ring, i);
			igb_unmap_and_free_tx_resource(tx_ring, tx_buffer, true);
			i++;
			if (i == tx_ring->count)
				i = 0;
			tx_buffer = &tx_ring->tx_buffer_info[i];
			if (d == eop_desc)
				break;
		}
		budget--;
	}
	tx_ring->next_to_clean = i;
	tx_ring->stats.packets += total_packets;
	tx_ring->stats.bytes += total_bytes;
	q_vector->tx.total_packets += total_packets;
	q_vector->tx.total_bytes += total_bytes;
	tx_ring->netdev->stats.tx_packets += total_packets;
	tx_ring->netdev->stats.tx_bytes += total_bytes;

	struct netdev_queue *txq =
		netdev_get_tx_queue(tx_ring->netdev, tx_ring->queue_index);
	if (total_packets && (tx_ring->netdev->flags & IFF_LOWER_UP) &&
	    igb_desc_unused(tx_ring) >= TX_WAKE_THRESHOLD &&
	    netif_tx_queue_stopped(txq) && !adapter->down) {
		netif_tx_wake_queue(txq);
		tx_ring->tx_stats.restart_queue++;
	}
	return budget != 0;
}

void igb_clean_tx_ring(struct igb_ring *tx_ring)
{
	if (!tx_ring->tx_buffer_info)
		return;
	for (uint16_t i = 0; i < tx_ring->count; i++)
		igb_unmap_and_free_tx_resource(
			tx_ring, &tx_ring->tx_buffer_info[i], true);
	tx_ring->next_to_use = tx_ring->next_to_clean = 0;
}

void igb_clean_rx_ring(struct igb_ring *rx_ring)
{
	if (rx_ring->skb)
		kfree_skb_reason(rx_ring->skb, SKB_DROP_REASON_QUEUE_PURGE);
	rx_ring->skb = NULL;
	if (!rx_ring->rx_buffer_info)
		return;
	for (uint16_t i = 0; i < rx_ring->count; i++) {
		struct igb_rx_buffer *bi = &rx_ring->rx_buffer_info[i];
		if (!bi->page)
			continue;
		dma_unmap_single(rx_ring->dev, bi->dma, IGB_RX_BUFSZ);
		free(bi->page);
		bi->page = NULL;
	}
	rx_ring->next_to_alloc = rx_ring->next_to_clean = 0;
	rx_ring->next_to_use = 0;
}

/* ---- NAPI ---- */

int igb_poll(struct napi_struct *napi, int budget)
{
	KP_FUNC_ARG(igb_poll, napi, budget);
	struct igb_q_vector *q_vector =
		container_of(napi, struct igb_q_vector, napi);
	bool clean_complete = true;
	int work_done = 0;

	if (q_vector->tx.ring)
		clean_complete = igb_clean_tx_irq(q_vector);
	if (q_vector->rx.ring) {
		work_done = igb_clean_rx_irq(q_vector, budget);
		if (work_done >= budget)
			clean_complete = false;
	}
	igb_update_stats(q_vector->adapter);
	/* If all work not completed, return budget and keep polling */
	if (!clean_complete)
		return budget;
	/* If not enough Rx work done, exit the polling mode */
	napi_complete(napi);
	igb_ring_irq_enable(q_vector);
	return work_done < budget ? work_done : budget - 1;
}

/* ---- transmit ---- */

/* The ring is nearly full: stop the queue (the slow path, out of line as
 * in igb; the check in igb_maybe_stop_tx is all most frames pay). */
static __attribute__((noinline)) int
__igb_maybe_stop_tx(struct igb_ring *tx_ring, const uint16_t size)
{
	struct netdev_queue *txq =
		netdev_get_tx_queue(tx_ring->netdev, tx_ring->queue_index);
	netif_tx_stop_queue(txq);
	/* smp_mb(): a completion may have freed room meanwhile */
	if (igb_desc_unused(tx_ring) < size)
		return -EBUSY;
	netif_tx_wake_queue(txq);
	tx_ring->tx_stats.restart_queue2++;
	return 0;
}

static inline int igb_maybe_stop_tx(struct igb_ring *tx_ring,
				    const uint16_t size)
{
	if (igb_desc_unused(tx_ring) >= size)
		return 0;
	return __igb_maybe_stop_tx(tx_ring, size);
}

static void igb_tx_map(struct igb_ring *tx_ring, struct igb_tx_buffer *first,
		       const uint8_t hdr_len)
{
	struct sk_buff *skb = first->skb;
	KP_FUNC_ARG(igb_tx_map, skb, skb->len);
	(void)hdr_len;
	struct e1000_hw *hw = &tx_ring->q_vector->adapter->hw;
	uint16_t i = tx_ring->next_to_use;
	unsigned int size = skb_headlen(skb);
	uint32_t cmd_type = E1000_ADVTXD_DTYP_DATA | E1000_ADVTXD_DCMD_DEXT |
			    E1000_ADVTXD_DCMD_IFCS;
	uint32_t olinfo = skb->len << E1000_ADVTXD_PAYLEN_SHIFT;
	dma_addr_t dma = dma_map_single(tx_ring->dev, skb->data, size);
	union e1000_adv_tx_desc *tx_desc = IGB_TX_DESC(tx_ring, i);
	struct igb_tx_buffer *tx_buffer = first;

	if (dma_mapping_error(tx_ring->dev, dma)) {
		first->skb = NULL;
		kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
		tx_ring->netdev->stats.tx_dropped++;
		return;
	}
	tx_buffer->dma = dma;
	tx_buffer->len = size;
	unsigned int off = 0;
	for (;;) {
		unsigned int chunk = size - off;
		if (chunk > IGB_MAX_DATA_PER_TXD)
			chunk = IGB_MAX_DATA_PER_TXD;
		tx_desc->read.buffer_addr = dma + off;
		tx_desc->read.cmd_type_len = cmd_type | chunk;
		tx_desc->read.olinfo_status = olinfo;
		off += chunk;
		if (off >= size)
			break;
		i++;
		if (i == tx_ring->count)
			i = 0;
		tx_desc = IGB_TX_DESC(tx_ring, i);
		tx_ring->tx_buffer_info[i].dma = 0; /* unmapped with first */
	}
	/* the last descriptor: end of packet, report status */
	tx_desc->read.cmd_type_len |= E1000_ADVTXD_DCMD_EOP |
				      E1000_ADVTXD_DCMD_RS;
	kp_skb_where(skb, "igb tx_ring", tx_ring->queue_index);
	/* wmb(): descriptors are written before the device may see them */
	first->next_to_watch = tx_desc;
	i++;
	if (i == tx_ring->count)
		i = 0;
	tx_ring->next_to_use = i;
	wr32(E1000_TDT(tx_ring->reg_idx), i);
}

static netdev_tx_t igb_xmit_frame_ring(struct sk_buff *skb,
				       struct igb_ring *tx_ring)
{
	KP_FUNC(igb_xmit_frame_ring, skb);
	uint16_t count = (uint16_t)((skb_headlen(skb) + IGB_MAX_DATA_PER_TXD -
				     1) / IGB_MAX_DATA_PER_TXD);
	if (count == 0)
		count = 1;
	/* need: count + 4 desc gap to keep tail from touching head,
	 * + 1 desc for the context descriptor igb may add */
	if (igb_maybe_stop_tx(tx_ring, (uint16_t)(count + 3)))
		return NETDEV_TX_BUSY;
	struct igb_tx_buffer *first =
		&tx_ring->tx_buffer_info[tx_ring->next_to_use];
	first->skb = skb;
	first->bytecount = skb->len;
	first->gso_segs = 1;
	first->time_stamp = local_clock();
	igb_tx_map(tx_ring, first, 0);
	igb_maybe_stop_tx(tx_ring, DESC_NEEDED);
	return NETDEV_TX_OK;
}

netdev_tx_t igb_xmit_frame(struct sk_buff *skb, struct net_device *netdev)
{
	KP_FUNC(igb_xmit_frame, skb);
	struct igb_adapter *adapter = netdev_priv(netdev);
	if (adapter->down || skb->len == 0 || skb_is_nonlinear(skb)) {
		kfree_skb_reason(skb, adapter->down
					      ? SKB_DROP_REASON_DEV_READY
					      : SKB_DROP_REASON_NOT_SPECIFIED);
		netdev->stats.tx_dropped++;
		return NETDEV_TX_OK;
	}
	unsigned int r_idx = skb->queue_mapping;
	if (r_idx >= adapter->num_tx_queues)
		r_idx = r_idx % adapter->num_tx_queues;
	return igb_xmit_frame_ring(skb, adapter->tx_ring[r_idx]);
}
