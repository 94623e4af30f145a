/*
 * nic.c - the 82576-like device: its life, its register file (what a
 * register read or write does) and its DMA window into host memory.
 *
 * A "DMA address" is a handle the driver got from dma_map_single() or
 * dma_alloc_coherent() (src/hw/pci.c): (slot + 1) << 20 | offset.  The
 * device resolves it against the mapping table, so it can only touch
 * memory the driver posted, and a bad address is counted, never followed.
 * Statistics registers clear on read, as on the real part.
 * Left out: PHY and link negotiation (the link is always up at 1 Gb/s),
 * VLAN filters, flow control, the legacy (non-advanced) descriptors.
 */
#include "nic.h"

#include <stdlib.h>
#include <string.h>

#include "engine/world.h"
#include "link.h"
#include "sched/host.h"

#define DMA_SLOT_SHIFT KP_DMA_SLOT_SHIFT
#define DMA_OFF_MASK KP_DMA_OFF_MASK

struct kp_nic *kp_nic_alloc(struct kp_world *w, struct kp_host *h,
			    const uint8_t mac[6], int nr_queues)
{
	if (nr_queues < 1 || nr_queues > KP_NIC_MAX_QUEUES)
		return NULL;
	struct kp_nic *nic = calloc(1, sizeof(*nic));
	if (!nic)
		return NULL;
	nic->world = w;
	nic->host = h;
	nic->nr_queues = nr_queues;
	memcpy(nic->perm_addr, mac, 6);
	/* at reset the MAC loads its address from the EEPROM into RAR0 */
	nic->ral = mac[0] | mac[1] << 8 | mac[2] << 16 | (uint32_t)mac[3] << 24;
	nic->rah = mac[4] | mac[5] << 8 | E1000_RAH_AV;
	nic->rss_tbl_stale = true;
	INIT_LIST_HEAD(&nic->wire_in);
	for (int q = 0; q < KP_NIC_MAX_QUEUES; q++) {
		INIT_LIST_HEAD(&nic->rxq[q].in_dma);
		INIT_LIST_HEAD(&nic->txq[q].in_dma);
	}
	return nic;
}

struct kp_nic_dma_op *kp_nic_dma_op_new(size_t len, int cls)
{
	size_t room = cls == 0 ? KP_NIC_DMA_OP_SMALL
		      : cls == 1 ? KP_NIC_DMA_OP_LARGE
				 : len;
	return malloc(sizeof(struct kp_nic_dma_op) + room);
}

static void free_ops(struct list_head *head)
{
	while (!list_empty(head)) {
		struct kp_nic_dma_op *op =
			list_first_entry(head, struct kp_nic_dma_op, list);
		list_del(&op->list);
		free(op);
	}
}

void kp_nic_free(struct kp_nic *nic)
{
	if (!nic)
		return;
	/* The world drops its events before the hardware goes. */
	kp_nic_wire_free(nic);
	for (int q = 0; q < KP_NIC_MAX_QUEUES; q++) {
		free_ops(&nic->rxq[q].in_dma);
		free_ops(&nic->txq[q].in_dma);
	}
	for (int c = 0; c < 2; c++) {
		while (nic->dma_op_cache[c]) {
			void *next = *(void **)nic->dma_op_cache[c];
			free(nic->dma_op_cache[c]);
			nic->dma_op_cache[c] = next;
		}
		nic->dma_op_cached[c] = 0;
	}
	free(nic->dma.maps);
	free(nic->dma.free_slots);
	free(nic);
}

uint64_t kp_nic_now(const struct kp_nic *nic)
{
	struct kp_world *w = nic->world;
	if (w->running && w->running->clock > w->now)
		return w->running->clock;
	return w->now;
}

/* ---- DMA window ---- */

dma_addr_t kp_dma_map(struct kp_nic *nic, void *cpu, size_t len)
{
	struct kp_dma *d = &nic->dma;
	uint32_t slot;
	if (!cpu || len == 0 || len > DMA_OFF_MASK)
		return 0;
	if (d->nr_free) {
		slot = d->free_slots[--d->nr_free];
	} else {
		if (d->nr == d->cap) {
			uint32_t cap = d->cap ? d->cap * 2 : 256;
			struct kp_dma_map *m =
				realloc(d->maps, cap * sizeof(*m));
			if (!m)
				return 0;
			d->maps = m;
			uint32_t *fs = realloc(d->free_slots, cap * sizeof(*fs));
			if (!fs)
				return 0;
			d->free_slots = fs;
			d->cap = cap;
		}
		slot = d->nr++;
	}
	d->maps[slot].cpu = cpu;
	d->maps[slot].len = len;
	return (dma_addr_t)(slot + 1) << DMA_SLOT_SHIFT;
}

void kp_dma_unmap(struct kp_nic *nic, dma_addr_t addr)
{
	struct kp_dma *d = &nic->dma;
	uint64_t slot = (addr >> DMA_SLOT_SHIFT);
	if (slot == 0 || slot > d->nr || !d->maps[slot - 1].cpu)
		return;
	d->maps[slot - 1].cpu = NULL;
	d->maps[slot - 1].len = 0;
	d->free_slots[d->nr_free++] = (uint32_t)(slot - 1);
}

/* ---- registers ---- */

/* STATUS: link up, full duplex, and the speed autonegotiation settles
 * on over the wire: 1000 Mb/s, or less when the link is slower. */
static uint32_t nic_status(const struct kp_nic *nic)
{
	uint32_t st = E1000_STATUS_LU | E1000_STATUS_FD;
	uint64_t bps = nic->link && nic->link->cfg.bandwidth_bps
			       ? nic->link->cfg.bandwidth_bps
			       : 1000000000ull;
	if (bps >= 1000000000ull)
		st |= E1000_STATUS_SPEED_1000;
	else if (bps >= 100000000ull)
		st |= E1000_STATUS_SPEED_100;
	return st;
}

static uint32_t stat_read(uint64_t *now, uint64_t *seen)
{
	uint64_t delta = *now - *seen;
	*seen = *now;
	return delta > UINT32_MAX ? UINT32_MAX : (uint32_t)delta;
}

#define STAT(reg, field)                                                      \
	case reg:                                                             \
		return stat_read(&nic->stats.field, &nic->stats_read.field)

static bool queue_reg(uint32_t reg, uint32_t base, int *q, uint32_t *off)
{
	if (reg < base || reg >= base + 0x40 * KP_NIC_MAX_QUEUES)
		return false;
	*q = (int)((reg - base) / 0x40);
	*off = (reg - base) % 0x40;
	return true;
}

static uint32_t rxq_rd32(struct kp_nic *nic, int q, uint32_t off)
{
	struct kp_nic_rxq *r = &nic->rxq[q];
	switch (off) {
	case 0x00: return (uint32_t)r->rdba;
	case 0x04: return (uint32_t)(r->rdba >> 32);
	case 0x08: return r->rdlen;
	case 0x0C: return r->srrctl;
	case 0x10: return r->rdh;
	case 0x18: return r->rdt;
	case 0x28: return r->rxdctl;
	case 0x30: return stat_read(&r->rqdpc, &r->rqdpc_read);
	}
	return 0;
}

static uint32_t txq_rd32(struct kp_nic *nic, int q, uint32_t off)
{
	struct kp_nic_txq *t = &nic->txq[q];
	switch (off) {
	case 0x00: return (uint32_t)t->tdba;
	case 0x04: return (uint32_t)(t->tdba >> 32);
	case 0x08: return t->tdlen;
	case 0x10: return t->tdh;
	case 0x18: return t->tdt;
	case 0x28: return t->txdctl;
	}
	return 0;
}

/* The statistics block, read a register at a time by igb_update_stats
 * at each NAPI poll: kp_nic_rd32 tries it first (saves the dozen range
 * checks in front of it, ~25 instructions a read). */
static uint32_t stats_rd32(struct kp_nic *nic, uint32_t reg)
{
	switch (reg) {
	STAT(E1000_CRCERRS, crcerrs);
	STAT(E1000_MPC, mpc);
	STAT(E1000_GPRC, gprc);
	STAT(E1000_BPRC, bprc);
	STAT(E1000_MPRC, mprc);
	STAT(E1000_GPTC, gptc);
	STAT(E1000_GORCL, gorc);
	STAT(E1000_GOTCL, gotc);
	STAT(E1000_RNBC, rnbc);
	STAT(E1000_RUC, ruc);
	STAT(E1000_ROC, roc);
	STAT(E1000_TPR, tpr);
	STAT(E1000_TPT, tpt);
	}
	return 0;
}

uint32_t kp_nic_rd32(struct kp_nic *nic, uint32_t reg)
{
	int q;
	uint32_t off;
	if (reg >= E1000_CRCERRS && reg <= E1000_TPT)
		return stats_rd32(nic, reg);
	if (queue_reg(reg, E1000_RDBAL(0), &q, &off))
		return rxq_rd32(nic, q, off);
	if (queue_reg(reg, E1000_TDBAL(0), &q, &off))
		return txq_rd32(nic, q, off);
	if (reg >= E1000_EITR(0) && reg < E1000_EITR(KP_NIC_MAX_VECTORS))
		return nic->vec[(reg - E1000_EITR(0)) / 4].eitr;
	if (reg >= E1000_IVAR0 && reg < E1000_IVAR0 + 32)
		return nic->ivar[(reg - E1000_IVAR0) / 4];
	if (reg >= E1000_RETA(0) && reg < E1000_RETA(32)) {
		const uint8_t *e = &nic->reta[reg - E1000_RETA(0)];
		return e[0] | (uint32_t)e[1] << 8 | (uint32_t)e[2] << 16 |
		       (uint32_t)e[3] << 24;
	}
	if (reg >= E1000_RSSRK(0) && reg < E1000_RSSRK(10)) {
		const uint8_t *k = &nic->rss_key[reg - E1000_RSSRK(0)];
		return k[0] | (uint32_t)k[1] << 8 | (uint32_t)k[2] << 16 |
		       (uint32_t)k[3] << 24;
	}
	if (reg >= KP_E1000_MSIXT(0) && reg < KP_E1000_MSIXT(KP_NIC_MAX_VECTORS))
		return nic->vec[(reg - KP_E1000_MSIXT(0)) / 4].irq;
	switch (reg) {
	case E1000_CTRL: return nic->ctrl;
	case E1000_STATUS: return nic_status(nic);
	case E1000_RCTL: return nic->rctl;
	case E1000_TCTL: return nic->tctl;
	case E1000_RXCSUM: return nic->rxcsum;
	case E1000_MRQC: return nic->mrqc;
	case E1000_RAL0: return nic->ral;
	case E1000_RAH0: return nic->rah;
	case E1000_EIMS: return nic->eims;
	case E1000_EIAC: return nic->eiac;
	case E1000_EIAM: return nic->eiam;
	case E1000_EICR: {
		uint32_t v = 0;
		for (int i = 0; i < KP_NIC_MAX_VECTORS; i++)
			if (nic->vec[i].cause)
				v |= 1u << i;
		return v;
	}
	}
	return 0;
}

/* Frames waiting for DMA into a queue that goes away are dropped. */
static void rxq_reset(struct kp_nic *nic, int q)
{
	struct kp_nic_rxq *r = &nic->rxq[q];
	struct kp_nic_dma_op *op, *n;
	list_for_each_entry_safe(op, n, &r->in_dma, list) {
		kp_eventq_cancel(&nic->world->events, &op->event);
		list_del(&op->list);
		kp_nic_dma_op_free(nic, op);
	}
	r->rdh = r->rdt = r->next_fetch = 0;
}

static void rxq_wr32(struct kp_nic *nic, int q, uint32_t off, uint32_t val)
{
	struct kp_nic_rxq *r = &nic->rxq[q];
	uint32_t count;
	switch (off) {
	case 0x00:
		r->rdba = (r->rdba & ~0xffffffffull) | val;
		break;
	case 0x04:
		r->rdba = (r->rdba & 0xffffffffull) | (uint64_t)val << 32;
		break;
	case 0x08:
		r->rdlen = val & 0xfff80; /* multiple of 128 bytes */
		break;
	case 0x0C:
		r->srrctl = val;
		break;
	case 0x10:
		/* software may only write the head while the queue is off */
		if (!(r->rxdctl & E1000_RXDCTL_QUEUE_ENABLE)) {
			count = r->rdlen / 16;
			r->rdh = r->next_fetch = count ? val % count : 0;
		}
		break;
	case 0x18:
		count = r->rdlen / 16;
		r->rdt = count ? val % count : 0;
		break;
	case 0x28:
		if ((r->rxdctl & E1000_RXDCTL_QUEUE_ENABLE) &&
		    !(val & E1000_RXDCTL_QUEUE_ENABLE))
			rxq_reset(nic, q);
		r->rxdctl = val;
		break;
	}
}

static void txq_wr32(struct kp_nic *nic, int q, uint32_t off, uint32_t val)
{
	struct kp_nic_txq *t = &nic->txq[q];
	uint32_t count;
	switch (off) {
	case 0x00:
		t->tdba = (t->tdba & ~0xffffffffull) | val;
		break;
	case 0x04:
		t->tdba = (t->tdba & 0xffffffffull) | (uint64_t)val << 32;
		break;
	case 0x08:
		t->tdlen = val & 0xfff80;
		break;
	case 0x10:
		if (!(t->txdctl & E1000_TXDCTL_QUEUE_ENABLE)) {
			count = t->tdlen / 16;
			t->tdh = t->next_fetch = count ? val % count : 0;
		}
		break;
	case 0x18:
		count = t->tdlen / 16;
		t->tdt = count ? val % count : 0;
		kp_nic_tx_kick(nic, q);
		break;
	case 0x28:
		if ((t->txdctl & E1000_TXDCTL_QUEUE_ENABLE) &&
		    !(val & E1000_TXDCTL_QUEUE_ENABLE))
			kp_nic_txq_reset(nic, q);
		t->txdctl = val;
		break;
	}
}

static void set_mask(struct kp_nic *nic, uint32_t bits, bool on)
{
	/* the set bits only, lowest first (igb unmasks one vector at a
	 * time: one turn instead of ten) */
	bits &= (1u << KP_NIC_MAX_VECTORS) - 1;
	for (; bits; bits &= bits - 1) {
		int i = __builtin_ctz(bits);
		if (on) {
			nic->eims |= 1u << i;
			kp_nic_irq_check_later(nic, i);
		} else {
			nic->eims &= ~(1u << i);
		}
	}
}

void kp_nic_wr32(struct kp_nic *nic, uint32_t reg, uint32_t val)
{
	int q;
	uint32_t off;
	if (queue_reg(reg, E1000_RDBAL(0), &q, &off)) {
		if (q < nic->nr_queues)
			rxq_wr32(nic, q, off, val);
		return;
	}
	if (queue_reg(reg, E1000_TDBAL(0), &q, &off)) {
		if (q < nic->nr_queues)
			txq_wr32(nic, q, off, val);
		return;
	}
	if (reg >= E1000_EITR(0) && reg < E1000_EITR(KP_NIC_MAX_VECTORS)) {
		nic->vec[(reg - E1000_EITR(0)) / 4].eitr = val & 0x7ffc;
		return;
	}
	if (reg >= E1000_IVAR0 && reg < E1000_IVAR0 + 32) {
		nic->ivar[(reg - E1000_IVAR0) / 4] = val;
		return;
	}
	if (reg >= E1000_RETA(0) && reg < E1000_RETA(32)) {
		uint8_t *e = &nic->reta[reg - E1000_RETA(0)];
		for (int i = 0; i < 4; i++)
			e[i] = (uint8_t)(val >> (8 * i));
		return;
	}
	if (reg >= E1000_RSSRK(0) && reg < E1000_RSSRK(10)) {
		uint8_t *k = &nic->rss_key[reg - E1000_RSSRK(0)];
		for (int i = 0; i < 4; i++)
			k[i] = (uint8_t)(val >> (8 * i));
		nic->rss_tbl_stale = true;
		return;
	}
	if (reg >= KP_E1000_MSIXT(0) &&
	    reg < KP_E1000_MSIXT(KP_NIC_MAX_VECTORS)) {
		nic->vec[(reg - KP_E1000_MSIXT(0)) / 4].irq = val;
		return;
	}
	switch (reg) {
	case E1000_CTRL:
		if (val & E1000_CTRL_RST) {
			/* MAC reset: interrupt moderation starts afresh and
			 * RAR0 reloads from the EEPROM; the bit self-clears. */
			kp_nic_irq_reset(nic);
			nic->ral = nic->perm_addr[0] | nic->perm_addr[1] << 8 |
				   nic->perm_addr[2] << 16 |
				   (uint32_t)nic->perm_addr[3] << 24;
			nic->rah = nic->perm_addr[4] | nic->perm_addr[5] << 8 |
				   E1000_RAH_AV;
			val &= ~E1000_CTRL_RST;
		}
		nic->ctrl = val;
		break;
	case E1000_RCTL: nic->rctl = val; break;
	case E1000_TCTL: nic->tctl = val; break;
	case E1000_RXCSUM: nic->rxcsum = val; break;
	case E1000_MRQC: nic->mrqc = val; break;
	case E1000_RAL0: nic->ral = val; break;
	case E1000_RAH0: nic->rah = val; break;
	case E1000_EIAC: nic->eiac = val; break;
	case E1000_EIAM: nic->eiam = val; break;
	case E1000_EIMS: set_mask(nic, val, true); break;
	case E1000_EIMC: set_mask(nic, val, false); break;
	case E1000_EICS:
		for (int i = 0; i < KP_NIC_MAX_VECTORS; i++)
			if (val & (1u << i))
				kp_nic_irq_cause(nic, i);
		break;
	}
}
