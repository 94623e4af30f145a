/*
 * igb_irq.c - the igb driver's interrupts (drivers/net/ethernet/intel/
 * igb/igb_main.c, the MSI-X and ITR half): MSI-X vector set-up
 * (igb_request_irq, igb_configure_msix: IVAR routing and EIMS masks),
 * enabling and masking them (igb_irq_enable / igb_irq_disable,
 * igb_ring_irq_enable after a poll), the handler igb_msix_ring, and
 * interrupt moderation: igb_update_itr / igb_set_itr pick the next EITR
 * value from the last interval's packets and bytes (rx-usecs 1 or 3),
 * igb_write_itr writes it at the next interrupt, igb_set_itr_all applies
 * ethtool -C.  Probe, open/close and configuration are in igb_main.c.
 *
 * Leaves out: MSI and legacy INTx (igb_intr, igb_intr_msi), the "other"
 * vector (igb_msix_other: link changes, mailbox), DCA, and the separate
 * tx-usecs setting (one ITR per TxRx vector).
 */
#include "igb.h"

#include <errno.h>
#include <stdio.h>

#include "engine/probe.h"
#include "hw.h"
#include "igb_priv.h"
#include "sched/host.h"
#include "sched/irq.h"

/* igb_assign_vector: queue i -> vector i in IVAR, EIMS bit of vector */
static void igb_configure_msix(struct igb_adapter *adapter)
{
	struct e1000_hw *hw = &adapter->hw;
	adapter->eims_enable_mask = 0;
	for (unsigned int v = 0; v < adapter->num_q_vectors; v++) {
		struct igb_q_vector *q = adapter->q_vector[v];
		uint32_t idx = q->rx.ring->reg_idx;
		uint32_t ivar = rd32(E1000_IVAR0 + 4 * (idx & 7));
		uint32_t shift = (idx & 8) ? 16 : 0;
		ivar &= ~(0xffffu << shift);
		ivar |= (v | E1000_IVAR_VALID) << shift;
		ivar |= (v | E1000_IVAR_VALID) << (shift + 8);
		wr32(E1000_IVAR0 + 4 * (idx & 7), ivar);
		q->eims_value = 1u << v;
		adapter->eims_enable_mask |= q->eims_value;
		q->set_itr = 1; /* EITR is written at the first interrupt */
	}
}

void igb_irq_enable(struct igb_adapter *adapter)
{
	struct e1000_hw *hw = &adapter->hw;
	wr32(E1000_EIAC, adapter->eims_enable_mask);
	wr32(E1000_EIAM, adapter->eims_enable_mask);
	wr32(E1000_EIMS, adapter->eims_enable_mask);
}

void igb_irq_disable(struct igb_adapter *adapter)
{
	struct e1000_hw *hw = &adapter->hw;
	wr32(E1000_EIMC, adapter->eims_enable_mask);
	wr32(E1000_EIAC, 0);
	wr32(E1000_EIAM, 0);
}

/* ---- interrupts ---- */

static void igb_write_itr(struct igb_q_vector *q_vector)
{
	struct e1000_hw *hw = &q_vector->adapter->hw;
	uint32_t itr_val = q_vector->itr_val & 0x7FFC;
	if (!q_vector->set_itr)
		return;
	if (!itr_val)
		itr_val = 0x4;
	wr32(E1000_EITR(q_vector->v_idx), itr_val | E1000_EITR_CNT_IGNR);
	q_vector->set_itr = 0;
}

static irqreturn_t igb_msix_ring(int irq, void *data)
{
	struct igb_q_vector *q_vector = data;
	KP_FUNC_ARG(igb_msix_ring, &q_vector->napi, irq);
	/* Write the ITR value calculated from the previous interrupt. */
	igb_write_itr(q_vector);
	napi_schedule(&q_vector->napi);
	return IRQ_HANDLED;
}

int igb_request_irq(struct igb_adapter *adapter)
{
	KP_FUNC0(igb_request_irq);
	struct kp_host *h = current_host();
	struct e1000_hw *hw = &adapter->hw;
	for (unsigned int v = 0; v < adapter->num_q_vectors; v++) {
		struct igb_q_vector *q = adapter->q_vector[v];
		snprintf(q->name, sizeof(q->name), "%.15s-TxRx-%u",
			 adapter->netdev->name, (unsigned char)v);
		snprintf(q->napi.name, sizeof(q->napi.name), "%.23s", q->name);
		/* keep the line of an earlier open (pci_enable_msix) */
		if (!hw->nic->vec[v].irq) {
			int irq = kp_irq_alloc_line(h);
			if (irq < 0)
				return -ENOSPC;
			wr32(KP_E1000_MSIXT(v), (uint32_t)irq);
		}
		q->irq = rd32(KP_E1000_MSIXT(v));
		int err = request_irq(q->irq, igb_msix_ring, 0, q->name, q);
		if (err)
			return err;
		irq_set_affinity(h, q->irq, (int)v % h->nr_cpus);
		q->cpu = (int)v % h->nr_cpus;
	}
	igb_configure_msix(adapter);
	return 0;
}

void igb_free_irq(struct igb_adapter *adapter)
{
	for (unsigned int v = 0; v < adapter->num_q_vectors; v++)
		free_irq(adapter->q_vector[v]->irq, adapter->q_vector[v]);
}

static unsigned int igb_update_itr(struct igb_q_vector *q_vector,
				   struct igb_ring_container *rc)
{
	(void)q_vector;
	unsigned int packets = rc->total_packets, bytes = rc->total_bytes;
	uint8_t itrval = rc->itr;
	if (packets == 0)
		return itrval;
	switch (itrval) {
	case lowest_latency:
		if (bytes / packets > 8000)
			itrval = bulk_latency;
		else if (packets < 5 && bytes > 512)
			itrval = low_latency;
		break;
	case low_latency:
		if (bytes > 10000) {
			if (bytes / packets > 8000 || packets < 10 ||
			    bytes / packets > 1200)
				itrval = bulk_latency;
			else if (packets > 35)
				itrval = lowest_latency;
		} else if (bytes / packets > 2000) {
			itrval = bulk_latency;
		} else if (packets <= 2 && bytes < 512) {
			itrval = lowest_latency;
		}
		break;
	case bulk_latency:
		if (bytes > 25000) {
			if (packets > 35)
				itrval = low_latency;
		} else if (bytes < 1500) {
			itrval = low_latency;
		}
		break;
	}
	rc->total_bytes = 0;
	rc->total_packets = 0;
	rc->itr = itrval;
	return itrval;
}

/* Adaptive moderation (rx-usecs 1 or 3): pick the next EITR value. */
void igb_set_itr_all(struct igb_adapter *adapter);
static void igb_set_itr(struct igb_q_vector *q_vector)
{
	struct igb_adapter *adapter = q_vector->adapter;
	uint16_t new_val = q_vector->itr_val;
	unsigned int tx = igb_update_itr(q_vector, &q_vector->tx);
	unsigned int rx = igb_update_itr(q_vector, &q_vector->rx);
	unsigned int current_itr = tx > rx ? tx : rx;
	if (current_itr == lowest_latency && adapter->rx_itr_setting == 3)
		current_itr = low_latency; /* conservative mode */
	switch (current_itr) {
	case lowest_latency: new_val = IGB_70K_ITR; break;
	case low_latency: new_val = IGB_20K_ITR; break;
	case bulk_latency: new_val = IGB_4K_ITR; break;
	}
	if (new_val != q_vector->itr_val) {
		q_vector->itr_val = new_val;
		q_vector->set_itr = 1;
	}
}

void igb_ring_irq_enable(struct igb_q_vector *q_vector)
{
	struct igb_adapter *adapter = q_vector->adapter;
	struct e1000_hw *hw = &adapter->hw;
	if (adapter->rx_itr_setting & 3)
		igb_set_itr(q_vector);
	if (!adapter->down)
		wr32(E1000_EIMS, q_vector->eims_value);
}

/* ethtool -C: a fixed EITR for every vector, written at the next IRQ. */
void igb_set_itr_all(struct igb_adapter *adapter)
{
	for (unsigned int v = 0; v < adapter->num_q_vectors; v++) {
		struct igb_q_vector *q = adapter->q_vector[v];
		if (adapter->rx_itr_setting && adapter->rx_itr_setting <= 3)
			q->itr_val = IGB_START_ITR;
		else
			q->itr_val = adapter->rx_itr_setting;
		q->set_itr = 1;
	}
}
