/*
 * nic_rx.c - the receive side of the device: a frame reaches the MAC,
 * passes the length and address filters, RSS picks its queue, and if the
 * queue has free descriptors (from the device's fetch point up to RDT)
 * the frame is DMAed into the buffers the driver posted there.  The DMA
 * completes after a PCIe delay (200 ns + 8 ns per 64 bytes, in order per
 * queue); then the device writes the descriptors back (DD, EOP on the
 * last, length, RSS hash and type, checksum status), moves RDH and
 * reports the cause on the queue's vector.  With no free descriptor the
 * frame is dropped and counted in MPC, RNBC and the queue's RQDPC.
 *
 * Departures: the 82576 splits those counters by SRRCTL.DROP_EN and
 * packet-buffer overflow; kpath has no RX packet buffer and counts a
 * ring-full drop in all three (as a loaded igb shows).  Multicast is
 * accepted without the MTA hash filter.  Frames carry no FCS.
 */
#include "nic.h"

#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "sched/host.h"

#define ETH_MIN_FRAME 60   /* without FCS */
#define ETH_MAX_FRAME 1522 /* with a VLAN tag, without FCS */

static uint16_t host_id(const struct kp_nic *nic)
{
	return nic->host ? nic->host->id : 0;
}

/*
 * Add @len bytes at @p to @acc, a one's complement accumulator of 16-bit
 * words read in host order: eight bytes a step with the carry added back
 * (end-around).  The one's complement sum does not depend on byte order
 * (RFC 1071, 2.(B)), so csum_fold16 of the result, put in network order,
 * is the word-by-word sum.  Chunks added one after another must start at
 * even offsets of the checksummed data (all but the last even in length).
 * One accumulator for the pseudo-header and the L4 bytes, folded once,
 * costs about half of folding each piece (~100 instructions a frame).
 */
static inline uint64_t csum_acc(uint64_t acc, const uint8_t *p, size_t len)
{
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		acc += w;
		acc += acc < w; /* end-around carry */
	}
	if (i + 4 <= len) {
		uint32_t w;
		memcpy(&w, p + i, 4);
		acc += w;
		acc += acc < w;
		i += 4;
	}
	if (i + 2 <= len) {
		uint16_t h;
		memcpy(&h, p + i, 2);
		acc += h;
		acc += acc < h;
		i += 2;
	}
	if (i < len) { /* an odd last byte is the high byte of its word */
		uint16_t h = 0;
		memcpy(&h, p + i, 1);
		acc += h;
		acc += acc < h;
	}
	return acc;
}

/* @v, a 16-bit value in host order, as csum_acc would read its bytes in
 * network order. */
static inline uint64_t csum_be16(uint32_t v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return ((v & 0xff) << 8) | ((v >> 8) & 0xff);
#else
	return v & 0xffff;
#endif
}

/* Fold @acc to 16 bits, each carry added back.  0xffff (in either byte
 * order) is a checksum that verifies. */
static inline uint32_t csum_fold16(uint64_t acc)
{
	acc = (acc & 0xffffffffu) + (acc >> 32);
	acc = (acc & 0xffffffffu) + (acc >> 32);
	uint32_t s = (uint32_t)((acc & 0xffff) + (acc >> 16));
	return (s & 0xffff) + (s >> 16);
}

/* What the checksum engine reports for this frame (RXCSUM). */
static uint32_t rx_csum_status(const struct kp_nic *nic, const uint8_t *f,
			       size_t len)
{
	uint32_t st = 0;
	if (!(nic->rxcsum & (E1000_RXCSUM_IPOFL | E1000_RXCSUM_TUOFL)) ||
	    len < 34 || f[12] != 0x08 || f[13] != 0x00)
		return 0;
	const uint8_t *ip = f + 14;
	size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
	size_t tot = (size_t)(ip[2] << 8 | ip[3]);
	if ((ip[0] >> 4) != 4 || ihl < 20 || tot < ihl || 14 + tot > len)
		return 0;
	if (nic->rxcsum & E1000_RXCSUM_IPOFL) {
		st |= E1000_RXD_STAT_IPCS;
		if (csum_fold16(csum_acc(0, ip, ihl)) != 0xffff)
			st |= E1000_RXDEXT_STATERR_IPE;
	}
	bool frag = (ip[6] << 8 | ip[7]) & 0x3fff;
	if (!(nic->rxcsum & E1000_RXCSUM_TUOFL) || frag ||
	    (ip[9] != 6 && ip[9] != 17))
		return st;
	const uint8_t *l4 = ip + ihl;
	size_t l4len = tot - ihl;
	if ((ip[9] == 6 && l4len < 20) || (ip[9] == 17 && l4len < 8))
		return st;
	if (ip[9] == 17 && l4[6] == 0 && l4[7] == 0)
		return st | E1000_RXD_STAT_UDPCS; /* no checksum sent */
	/* pseudo-header: saddr, daddr, protocol, L4 length */
	uint64_t acc = csum_be16(ip[9]) + csum_be16((uint32_t)l4len);
	acc = csum_acc(acc, ip + 12, 8);
	acc = csum_acc(acc, l4, l4len);
	st |= ip[9] == 6 ? E1000_RXD_STAT_TCPCS : E1000_RXD_STAT_UDPCS;
	if (csum_fold16(acc) != 0xffff)
		st |= E1000_RXDEXT_STATERR_TCPE;
	return st;
}

static size_t rx_buf_size(const struct kp_nic_rxq *r)
{
	uint32_t kb = r->srrctl & E1000_SRRCTL_BSIZEPKT_MASK;
	return kb ? kb * 1024u : 2048u;
}

/* Unicast to us (RAL/RAH), broadcast (BAM), multicast, or promiscuous. */
static bool rx_addr_match(struct kp_nic *nic, const uint8_t *dst)
{
	if (dst[0] & 1) {
		bool bcast = !memcmp(dst, "\xff\xff\xff\xff\xff\xff", 6);
		if (bcast && !(nic->rctl & E1000_RCTL_BAM))
			return false;
		if (bcast)
			nic->stats.bprc++;
		else
			nic->stats.mprc++;
		return true;
	}
	/* RAL holds the first four bytes, RAH the last two, in order from
	 * the low byte: compared as two words, not byte by byte */
	uint32_t lo = dst[0] | dst[1] << 8 | dst[2] << 16 |
		      (uint32_t)dst[3] << 24;
	uint32_t hi = dst[4] | dst[5] << 8;
	if ((nic->rah & E1000_RAH_AV) && lo == nic->ral &&
	    hi == (nic->rah & 0xffff))
		return true;
	return nic->rctl & E1000_RCTL_UPE;
}

static void rx_dma_done(struct kp_world *w, void *arg, uint64_t data);

void kp_nic_rx_frame(struct kp_nic *nic, const uint8_t *frame, size_t len)
{
	struct kp_world *w = nic->world;
	kp_probe_hw(w, KP_P_e1000_rx_frame, host_id(nic), NULL, len);
	nic->stats.tpr++;
	if (!(nic->rctl & E1000_RCTL_EN)) {
		nic->stats.filtered++;
		return;
	}
	size_t max = (nic->rctl & E1000_RCTL_LPE) ? KP_NIC_MAX_FRAME
						   : ETH_MAX_FRAME;
	if (len < ETH_MIN_FRAME) {
		nic->stats.ruc++;
		return;
	}
	if (len > max) {
		nic->stats.roc++;
		return;
	}
	if (!rx_addr_match(nic, frame)) {
		nic->stats.filtered++;
		return;
	}

	uint32_t hash;
	uint16_t type;
	int q = kp_nic_rss_queue(nic, frame, len, &hash, &type);
	struct kp_nic_rxq *r = &nic->rxq[q];
	uint32_t count = r->rdlen / 16;
	size_t bufsz = rx_buf_size(r);
	uint32_t need = (uint32_t)((len + bufsz - 1) / bufsz);
	uint32_t avail = count ? (r->rdt + count - r->next_fetch) % count : 0;
	if (!(r->rxdctl & E1000_RXDCTL_QUEUE_ENABLE) || avail < need) {
		nic->stats.mpc++;
		nic->stats.rnbc++;
		r->rqdpc++;
		r->drops++;
		kp_probe_hw(w, KP_P_e1000_rx_missed, host_id(nic), NULL,
			    (uint64_t)q);
		return;
	}
	struct kp_nic_dma_op *op = kp_nic_dma_op_alloc(nic, len);
	if (!op) {
		nic->stats.mpc++;
		return;
	}
	op->nic = nic;
	op->queue = q;
	op->first = r->next_fetch;
	op->nr_desc = need;
	op->hash = hash;
	op->rss_type = type;
	op->status = rx_csum_status(nic, frame, len);
	op->len = len;
	memcpy(op->data, frame, len);
	r->next_fetch = (r->next_fetch + need) % count;
	nic->stats.gprc++;
	nic->stats.gorc += len + 4;

	uint64_t done = w->now + kp_nic_dma_ns(len);
	if (done < r->dma_busy_until)
		done = r->dma_busy_until; /* DMAs of a queue complete in order */
	r->dma_busy_until = done;
	list_add_tail(&op->list, &r->in_dma);
	kp_world_at(w, done, rx_dma_done, op, 0, &op->event);
}

static void rx_dma_done(struct kp_world *w, void *arg, uint64_t data)
{
	(void)data;
	struct kp_nic_dma_op *op = arg;
	struct kp_nic *nic = op->nic;
	struct kp_nic_rxq *r = &nic->rxq[op->queue];
	uint32_t count = r->rdlen / 16;
	size_t bufsz = rx_buf_size(r);
	size_t off = 0;

	list_del(&op->list);
	kp_probe_hw(w, KP_P_e1000_rx_dma, host_id(nic), NULL, op->len);
	for (uint32_t d = 0; d < op->nr_desc && count; d++) {
		uint32_t idx = (op->first + d) % count;
		union e1000_adv_rx_desc *desc =
			kp_dma_resolve(nic, r->rdba + idx * 16u, sizeof(*desc));
		size_t chunk = op->len - off < bufsz ? op->len - off : bufsz;
		bool last = d + 1 == op->nr_desc;
		if (!desc)
			continue; /* ring unmapped under the device */
		uint32_t st = E1000_RXD_STAT_DD;
		void *buf = kp_dma_resolve(nic, desc->read.pkt_addr, chunk);
		if (buf)
			memcpy(buf, op->data + off, chunk);
		else
			st |= E1000_RXDEXT_STATERR_RXE;
		if (last)
			st |= E1000_RXD_STAT_EOP | op->status;
		memset(desc, 0, sizeof(*desc));
		desc->wb.lower.lo_dword.hs_rss.pkt_info = op->rss_type;
		desc->wb.lower.hi_dword.rss = op->hash;
		desc->wb.upper.length = (uint16_t)chunk;
		desc->wb.upper.status_error = st;
		off += chunk;
	}
	if (count)
		r->rdh = (op->first + op->nr_desc) % count;
	r->packets++;
	r->bytes += op->len;
	int vector = kp_nic_rx_vector(nic, op->queue);
	kp_nic_dma_op_free(nic, op);
	kp_nic_irq_cause(nic, vector);
}
