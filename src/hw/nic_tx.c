/*
 * nic_tx.c - the transmit side of the device.  A TDT write makes the
 * device fetch the descriptors from its fetch point to TDT; once it has a
 * whole frame (up to the descriptor with EOP) it DMAs the buffers in
 * (PCIe delay), hands the frame to the MAC, which puts it on the link,
 * writes DD back into the descriptors that asked for it (RS), moves TDH
 * and reports the cause on the queue's vector.  It fetches the next frame
 * only when the MAC's TX packet buffer (40 KB) has room, so a busy wire
 * backs up into the ring, as on the real part.
 *
 * Left out: TSO and checksum offload contexts (the driver sends finished
 * frames), head write-back, descriptor prefetch thresholds.
 */
#include "nic.h"

#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "link.h"
#include "sched/host.h"

static uint16_t host_id(const struct kp_nic *nic)
{
	return nic->host ? nic->host->id : 0;
}

static void tx_fetch_fn(struct kp_world *w, void *arg, uint64_t data);

static void tx_fetch_at(struct kp_nic *nic, int q, uint64_t t)
{
	struct kp_nic_txq *tx = &nic->txq[q];
	if (tx->fetch_queued)
		return;
	tx->fetch_queued = true;
	kp_world_at(nic->world, t, tx_fetch_fn, nic, (uint64_t)q,
		    &tx->fetch_event);
}

void kp_nic_tx_kick(struct kp_nic *nic, int q)
{
	struct kp_nic_txq *tx = &nic->txq[q];
	if (!(tx->txdctl & E1000_TXDCTL_QUEUE_ENABLE) ||
	    !(nic->tctl & E1000_TCTL_EN))
		return;
	uint64_t t = kp_nic_now(nic);
	if (t < tx->dma_busy_until)
		t = tx->dma_busy_until;
	if (t < tx->fifo_free_at)
		t = tx->fifo_free_at;
	tx_fetch_at(nic, q, t);
}

void kp_nic_txq_reset(struct kp_nic *nic, int q)
{
	struct kp_nic_txq *tx = &nic->txq[q];
	struct kp_nic_dma_op *op, *n;
	kp_eventq_cancel(&nic->world->events, &tx->fetch_event);
	tx->fetch_queued = false;
	list_for_each_entry_safe(op, n, &tx->in_dma, list) {
		kp_eventq_cancel(&nic->world->events, &op->event);
		list_del(&op->list);
		kp_nic_dma_op_free(nic, op);
	}
	tx->tdh = tx->tdt = tx->next_fetch = 0;
	tx->dma_busy_until = tx->fifo_free_at = 0;
}

static void tx_done_fn(struct kp_world *w, void *arg, uint64_t data);

/* Descriptors of one frame remembered by the first walk of tx_fetch_fn
 * (a small frame uses one); longer frames resolve the rest again. */
#define TX_FETCH_DESCS 4

/* Gather one frame: the descriptors from next_fetch through EOP. */
static void tx_fetch_fn(struct kp_world *w, void *arg, uint64_t data)
{
	struct kp_nic *nic = arg;
	int q = (int)data;
	struct kp_nic_txq *tx = &nic->txq[q];
	union e1000_adv_tx_desc *descs[TX_FETCH_DESCS];
	const uint32_t count = tx->tdlen / 16, tdt = tx->tdt;
	const dma_addr_t tdba = tx->tdba;
	uint32_t idx = tx->next_fetch, n = 0;
	size_t len = 0;
	bool eop = false;

	tx->fetch_queued = false;
	if (!count || !(tx->txdctl & E1000_TXDCTL_QUEUE_ENABLE))
		return;
	while (idx != tdt && !eop) {
		union e1000_adv_tx_desc *desc =
			kp_dma_resolve(nic, tdba + idx * 16u, sizeof(*desc));
		if (!desc)
			return; /* ring not mapped: the device stalls */
		uint32_t cmd = desc->read.cmd_type_len;
		len += cmd & E1000_ADVTXD_LEN_MASK;
		eop = cmd & E1000_ADVTXD_DCMD_EOP;
		if (n < TX_FETCH_DESCS)
			descs[n] = desc;
		idx = idx + 1 == count ? 0 : idx + 1;
		n++;
	}
	if (!eop)
		return; /* the rest of the frame is not posted yet */

	size_t wire_len = len;
	if ((nic->tctl & E1000_TCTL_PSP) && wire_len < 60)
		wire_len = 60;
	struct kp_nic_dma_op *op = kp_nic_dma_op_alloc(nic, wire_len);
	if (!op)
		return;
	op->nic = nic;
	op->queue = q;
	op->first = tx->next_fetch;
	op->nr_desc = n;
	op->len = wire_len;
	size_t off = 0;
	uint32_t i = op->first;
	for (uint32_t d = 0; d < n; d++) {
		union e1000_adv_tx_desc *desc =
			d < TX_FETCH_DESCS ?
				descs[d] :
				kp_dma_resolve(nic, tdba + i * 16u,
					       sizeof(*desc));
		size_t dlen = desc->read.cmd_type_len & E1000_ADVTXD_LEN_MASK;
		void *buf = kp_dma_resolve(nic, desc->read.buffer_addr, dlen);
		if (buf)
			memcpy(op->data + off, buf, dlen);
		else
			memset(op->data + off, 0, dlen);
		off += dlen;
		i = i + 1 == count ? 0 : i + 1;
	}
	if (wire_len > len) /* short frame padding (TCTL.PSP) */
		memset(op->data + len, 0, wire_len - len);
	tx->next_fetch = idx;
	kp_probe_hw(w, KP_P_e1000_tx_dma, host_id(nic), NULL, len);
	uint64_t done = w->now + kp_nic_dma_ns(len);
	tx->dma_busy_until = done;
	list_add_tail(&op->list, &tx->in_dma);
	kp_world_at(w, done, tx_done_fn, op, 0, &op->event);
}

static void tx_done_fn(struct kp_world *w, void *arg, uint64_t data)
{
	(void)data;
	struct kp_nic_dma_op *op = arg;
	struct kp_nic *nic = op->nic;
	int q = op->queue;
	struct kp_nic_txq *tx = &nic->txq[q];
	uint32_t count = tx->tdlen / 16;
	uint64_t next = w->now;

	list_del(&op->list);
	kp_probe_hw(w, KP_P_e1000_tx_done, host_id(nic), NULL, op->len);
	if (nic->link) {
		uint64_t wire_free = kp_link_xmit(nic->link, nic->link_side,
						  op->data, op->len, w->now);
		uint64_t bps = nic->link->cfg.bandwidth_bps;
		uint64_t fifo_ns = (uint64_t)KP_NIC_TX_FIFO_BYTES * 8 *
				   1000000000ull / (bps ? bps : 1);
		if (wire_free > next + fifo_ns)
			next = wire_free - fifo_ns;
	} else {
		nic->tx_lost++;
	}
	for (uint32_t d = 0; d < op->nr_desc && count; d++) {
		uint32_t i = (op->first + d) % count;
		union e1000_adv_tx_desc *desc =
			kp_dma_resolve(nic, tx->tdba + i * 16u, sizeof(*desc));
		if (desc && (desc->read.cmd_type_len & E1000_ADVTXD_DCMD_RS))
			desc->wb.status = E1000_TXD_STAT_DD;
	}
	if (count)
		tx->tdh = (op->first + op->nr_desc) % count;
	tx->fifo_free_at = next;
	nic->stats.gptc++;
	nic->stats.tpt++;
	nic->stats.gotc += op->len + 4;
	tx->packets++;
	tx->bytes += op->len;
	kp_nic_dma_op_free(nic, op);
	kp_nic_irq_cause(nic, kp_nic_tx_vector(nic, q));
	if (tx->next_fetch != tx->tdt)
		tx_fetch_at(nic, q, next);
}
