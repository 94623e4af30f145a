/*
 * test_nic.c - the 82576 device model alone, driven the way a driver
 * drives it: rings and buffers mapped with kp_dma_map, registers written
 * with kp_nic_wr32, frames arriving as engine events.  No host: vectors
 * have no IRQ line, so an interrupt is seen as the vector's fire count.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/world.h"
#include "hw/hw.h"
#include "hw/link.h"
#include "hw/nic.h"
#include "frame_util.h"
#include "kp_test.h"
#include "nic_arrival.h"

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };

/* The RSS key of Microsoft's verification suite (igb's 3.10 default). */
static const uint8_t ms_key[40] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
	0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
	0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
	0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

struct rx_ring {
	union e1000_adv_rx_desc *desc;
	uint8_t *buf[1024];
	uint32_t count;
};

struct tx_ring {
	union e1000_adv_tx_desc *desc;
	uint8_t *buf[64];
	uint32_t count;
};

static struct kp_world *new_world(void)
{
	struct kp_world *w = calloc(1, sizeof(*w));
	kp_world_init(w, 1, 12);
	return w;
}

static void run(struct kp_world *w)
{
	kp_world_set_mode(w, KP_RUN_CONTINUE, 0);
	kp_world_run(w);
}

static void run_until(struct kp_world *w, uint64_t t)
{
	kp_world_set_mode(w, KP_RUN_UNTIL, t);
	kp_world_run(w);
}

static void nic_up(struct kp_nic *nic, const uint8_t mac[6])
{
	kp_nic_wr32(nic, E1000_RAL0,
		    mac[0] | mac[1] << 8 | mac[2] << 16 | (uint32_t)mac[3] << 24);
	kp_nic_wr32(nic, E1000_RAH0, mac[4] | mac[5] << 8 | E1000_RAH_AV);
	kp_nic_wr32(nic, E1000_RCTL, E1000_RCTL_EN | E1000_RCTL_BAM);
	kp_nic_wr32(nic, E1000_TCTL, E1000_TCTL_EN | E1000_TCTL_PSP);
	kp_nic_wr32(nic, E1000_RXCSUM, E1000_RXCSUM_IPOFL | E1000_RXCSUM_TUOFL);
	/* queue q -> vector q for RX and TX */
	for (int q = 0; q < nic->nr_queues; q++)
		kp_nic_wr32(nic, E1000_IVAR0 + 4 * q,
			    (uint32_t)(q | E1000_IVAR_VALID) |
				    (uint32_t)(q | E1000_IVAR_VALID) << 8);
	kp_nic_wr32(nic, E1000_EIMS, 0x3ff);
}

/* Post @posted of @count descriptors, as igb_alloc_rx_buffers does. */
static void rx_setup(struct kp_nic *nic, int q, struct rx_ring *r,
		     uint32_t count, uint32_t posted)
{
	memset(r, 0, sizeof(*r));
	r->count = count;
	r->desc = calloc(count, sizeof(*r->desc));
	dma_addr_t ring = kp_dma_map(nic, r->desc, count * sizeof(*r->desc));
	for (uint32_t i = 0; i < count; i++) {
		r->buf[i] = calloc(1, 2048);
		r->desc[i].read.pkt_addr = kp_dma_map(nic, r->buf[i], 2048);
	}
	kp_nic_wr32(nic, E1000_RDBAL(q), (uint32_t)ring);
	kp_nic_wr32(nic, E1000_RDBAH(q), (uint32_t)(ring >> 32));
	kp_nic_wr32(nic, E1000_RDLEN(q), count * 16);
	kp_nic_wr32(nic, E1000_SRRCTL(q), 2048 >> E1000_SRRCTL_BSIZEPKT_SHIFT);
	kp_nic_wr32(nic, E1000_RDH(q), 0);
	kp_nic_wr32(nic, E1000_RXDCTL(q), E1000_RXDCTL_QUEUE_ENABLE);
	kp_nic_wr32(nic, E1000_RDT(q), posted);
}

static void rx_free(struct rx_ring *r)
{
	for (uint32_t i = 0; i < r->count; i++)
		free(r->buf[i]);
	free(r->desc);
}

static void tx_setup(struct kp_nic *nic, int q, struct tx_ring *t,
		     uint32_t count)
{
	memset(t, 0, sizeof(*t));
	t->count = count;
	t->desc = calloc(count, sizeof(*t->desc));
	dma_addr_t ring = kp_dma_map(nic, t->desc, count * sizeof(*t->desc));
	kp_nic_wr32(nic, E1000_TDBAL(q), (uint32_t)ring);
	kp_nic_wr32(nic, E1000_TDBAH(q), (uint32_t)(ring >> 32));
	kp_nic_wr32(nic, E1000_TDLEN(q), count * 16);
	kp_nic_wr32(nic, E1000_TDH(q), 0);
	kp_nic_wr32(nic, E1000_TXDCTL(q), E1000_TXDCTL_QUEUE_ENABLE);
}

static void tx_free(struct tx_ring *t)
{
	for (uint32_t i = 0; i < t->count; i++)
		free(t->buf[i]);
	free(t->desc);
}

/* An Ethernet/IPv4/UDP frame of @payload bytes, checksums right. */
static size_t udp_frame(uint8_t *f, const uint8_t dst[6], uint16_t sport,
			uint16_t dport, size_t payload)
{
	size_t ulen = 8 + payload, tot = 20 + ulen;
	memset(f, 0, 14 + tot);
	memcpy(f, dst, 6);
	memcpy(f + 6, mac_b, 6);
	f[12] = 0x08;
	uint8_t *ip = f + 14, *u = ip + 20;
	ip[0] = 0x45;
	ip[2] = (uint8_t)(tot >> 8);
	ip[3] = (uint8_t)tot;
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	uint16_t c = fu_csum(ip, 20, 0);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	u[0] = (uint8_t)(sport >> 8);
	u[1] = (uint8_t)sport;
	u[2] = (uint8_t)(dport >> 8);
	u[3] = (uint8_t)dport;
	u[4] = (uint8_t)(ulen >> 8);
	u[5] = (uint8_t)ulen;
	for (size_t i = 0; i < payload; i++)
		u[8 + i] = (uint8_t)i;
	uint32_t ps = 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 17 + (uint32_t)ulen;
	c = fu_csum(u, ulen, ps);
	u[6] = (uint8_t)(c >> 8);
	u[7] = (uint8_t)c;
	return 14 + tot;
}

static void send_at(struct kp_world *w, struct kp_nic *nic, uint64_t t,
		    uint16_t sport, size_t payload)
{
	struct arrival *a = calloc(1, sizeof(*a));
	a->nic = nic;
	a->len = udp_frame(a->data, mac_a, sport, 53, payload);
	kp_world_at(w, t, arrive, a, 0, NULL);
}

static void finish(struct kp_world *w, struct kp_nic *nic)
{
	kp_world_destroy(w); /* events first, then the device */
	kp_nic_free(nic);
	free(w);
}

KP_TEST(test_toeplitz_vectors)
{
	/* Microsoft RSS verification: 66.9.149.187:2794 -> 161.142.100.80:1766 */
	const uint8_t in[12] = { 66, 9, 149, 187, 161, 142, 100, 80,
				 0x0a, 0xea, 0x06, 0xe6 };
	KP_CHECK_EQ(st, kp_toeplitz_hash(ms_key, in, 8), 0x323e8fc2);
	KP_CHECK_EQ(st, kp_toeplitz_hash(ms_key, in, 12), 0x51ccc178);
}

KP_TEST(test_toeplitz_table_matches_bitwise)
{
	static uint32_t tbl[KP_RSS_INPUT_MAX][256];
	uint8_t key[IGB_RSS_KEY_SIZE], in[KP_RSS_INPUT_MAX];
	uint32_t x = 12345;
	for (int round = 0; round < 50; round++) {
		for (int i = 0; i < IGB_RSS_KEY_SIZE; i++) {
			x = x * 1103515245u + 12345u;
			key[i] = (uint8_t)(x >> 16);
		}
		if (round == 0)
			memcpy(key, ms_key, sizeof(key));
		kp_toeplitz_table(key, tbl);
		for (int t = 0; t < 20; t++) {
			for (int i = 0; i < KP_RSS_INPUT_MAX; i++) {
				x = x * 1103515245u + 12345u;
				in[i] = (uint8_t)(x >> 16);
			}
			uint32_t h = 0;
			for (size_t i = 0; i < KP_RSS_INPUT_MAX; i++) {
				h ^= tbl[i][in[i]];
				if (i == 7 || i == 11)
					KP_CHECK_EQ(st, h,
						    kp_toeplitz_hash(key, in,
								     i + 1));
			}
		}
	}
}

KP_TEST(test_wire_dma_dd_interrupt)
{
	struct kp_world *w = new_world();
	struct kp_nic *nic = kp_nic_alloc(w, NULL, mac_a, 1);
	struct rx_ring r;
	nic_up(nic, mac_a);
	rx_setup(nic, 0, &r, 16, 15);
	send_at(w, nic, 1000, 1234, 58); /* 100-byte frame */

	run_until(w, 1100); /* arrived, DMA under way */
	KP_CHECK_EQ(st, nic->rxq[0].rdh, 0);
	KP_CHECK_EQ(st, nic->rxq[0].next_fetch, 1);
	KP_CHECK(st, !(r.desc[0].wb.upper.status_error & E1000_RXD_STAT_DD));
	KP_CHECK_EQ(st, nic->vec[0].fired, 0);

	run(w); /* DMA done at 1000 + 200 + 8 * 2 */
	KP_CHECK_EQ(st, w->now, 1216);
	uint32_t s = r.desc[0].wb.upper.status_error;
	KP_CHECK(st, s & E1000_RXD_STAT_DD);
	KP_CHECK(st, s & E1000_RXD_STAT_EOP);
	KP_CHECK(st, s & E1000_RXD_STAT_IPCS);
	KP_CHECK(st, s & E1000_RXD_STAT_UDPCS);
	KP_CHECK(st, !(s & (E1000_RXDEXT_STATERR_IPE | E1000_RXDEXT_STATERR_TCPE)));
	KP_CHECK_EQ(st, r.desc[0].wb.upper.length, 100);
	KP_CHECK_EQ(st, r.buf[0][12], 0x08);
	KP_CHECK_EQ(st, r.buf[0][99], 57);
	KP_CHECK_EQ(st, nic->rxq[0].rdh, 1);
	KP_CHECK_EQ(st, nic->vec[0].fired, 1);
	KP_CHECK(st, (nic->eims & 1) != 0); /* no EIAM: still enabled */
	KP_CHECK_EQ(st, kp_nic_rd32(nic, E1000_GPRC), 1);
	KP_CHECK_EQ(st, kp_nic_rd32(nic, E1000_GPRC), 0); /* clear on read */
	rx_free(&r);
	finish(w, nic);
}

KP_TEST(test_multi_descriptor_frame)
{
	struct kp_world *w = new_world();
	struct kp_nic *nic = kp_nic_alloc(w, NULL, mac_a, 1);
	struct rx_ring r;
	nic_up(nic, mac_a);
	kp_nic_wr32(nic, E1000_RCTL, nic->rctl | E1000_RCTL_LPE);
	rx_setup(nic, 0, &r, 16, 15);
	send_at(w, nic, 0, 1, 5000 - 42);
	run(w);
	KP_CHECK_EQ(st, r.desc[0].wb.upper.length, 2048);
	KP_CHECK_EQ(st, r.desc[1].wb.upper.length, 2048);
	KP_CHECK_EQ(st, r.desc[2].wb.upper.length, 904);
	KP_CHECK(st, !(r.desc[0].wb.upper.status_error & E1000_RXD_STAT_EOP));
	KP_CHECK(st, !(r.desc[1].wb.upper.status_error & E1000_RXD_STAT_EOP));
	KP_CHECK(st, r.desc[2].wb.upper.status_error & E1000_RXD_STAT_EOP);
	KP_CHECK(st, r.desc[1].wb.upper.status_error & E1000_RXD_STAT_DD);
	KP_CHECK_EQ(st, nic->rxq[0].rdh, 3);
	rx_free(&r);
	finish(w, nic);
}

KP_TEST(test_ring_full_counts_missed)
{
	struct kp_world *w = new_world();
	struct kp_nic *nic = kp_nic_alloc(w, NULL, mac_a, 1);
	struct rx_ring r;
	nic_up(nic, mac_a);
	rx_setup(nic, 0, &r, 16, 15); /* 15 buffers posted */
	for (int i = 0; i < 20; i++)
		send_at(w, nic, 1000 + 1000 * (uint64_t)i, 1, 100);
	run(w);
	KP_CHECK_EQ(st, nic->rxq[0].rdh, 15);
	KP_CHECK_EQ(st, kp_nic_rd32(nic, E1000_MPC), 5);
	KP_CHECK_EQ(st, kp_nic_rd32(nic, E1000_RNBC), 5);
	KP_CHECK_EQ(st, kp_nic_rd32(nic, E1000_RQDPC(0)), 5);
	KP_CHECK_EQ(st, kp_nic_rd32(nic, E1000_GPRC), 15);
	KP_CHECK_EQ(st, kp_nic_rd32(nic, E1000_MPC), 0);
	/* the driver gives buffers back: frames flow again */
	kp_nic_wr32(nic, E1000_RDT(0), 14);
	send_at(w, nic, w->now + 1000, 1, 100);
	run(w);
	KP_CHECK_EQ(st, nic->rxq[0].rdh, 0);
	KP_CHECK_EQ(st, kp_nic_rd32(nic, E1000_MPC), 0);
	rx_free(&r);
	finish(w, nic);
}

KP_TEST(test_rss_spreads_flows)
{
	struct kp_world *w = new_world();
	struct kp_nic *nic = kp_nic_alloc(w, NULL, mac_a, 2);
	struct rx_ring r0, r1;
	nic_up(nic, mac_a);
	for (int i = 0; i < 10; i++)
		kp_nic_wr32(nic, E1000_RSSRK(i),
			    ms_key[4 * i] | ms_key[4 * i + 1] << 8 |
				    ms_key[4 * i + 2] << 16 |
				    (uint32_t)ms_key[4 * i + 3] << 24);
	for (int i = 0; i < 32; i++)
		kp_nic_wr32(nic, E1000_RETA(i), 0x01000100); /* 0,1,0,1 */
	rx_setup(nic, 0, &r0, 128, 127);
	rx_setup(nic, 1, &r1, 128, 127);

	/* 2-tuple only (igb's default for UDP): every flow on one queue */
	kp_nic_wr32(nic, E1000_MRQC, E1000_MRQC_ENABLE_RSS_4Q |
					     E1000_MRQC_RSS_FIELD_IPV4 |
					     E1000_MRQC_RSS_FIELD_IPV4_TCP);
	for (int i = 0; i < 40; i++)
		send_at(w, nic, 1000 * (uint64_t)(i + 1), (uint16_t)(1000 + i), 18);
	run(w);
	KP_CHECK(st, (nic->rxq[0].packets == 40) != (nic->rxq[1].packets == 40));

	/* ethtool -N eth0 rx-flow-hash udp4 sdfn: ports too: spread */
	kp_nic_wr32(nic, E1000_MRQC, nic->mrqc | E1000_MRQC_RSS_FIELD_IPV4_UDP);
	uint64_t p0 = nic->rxq[0].packets, p1 = nic->rxq[1].packets;
	for (int i = 0; i < 80; i++)
		send_at(w, nic, w->now + 1000 * (uint64_t)(i + 1),
			(uint16_t)(2000 + i), 18);
	run(w);
	KP_CHECK(st, nic->rxq[0].packets - p0 >= 20);
	KP_CHECK(st, nic->rxq[1].packets - p1 >= 20);
	KP_CHECK_EQ(st, nic->rxq[0].packets + nic->rxq[1].packets, 120);
	/* the hash is in the descriptor: the one of the queue's first frame */
	KP_CHECK(st, r0.desc[0].wb.lower.hi_dword.rss != 0 ||
			     r1.desc[0].wb.lower.hi_dword.rss != 0);
	rx_free(&r0);
	rx_free(&r1);
	finish(w, nic);
}

/* 500 frames, one every 2 us, with the vector re-enabled at once. */
static uint64_t interrupts_with_eitr(uint32_t eitr)
{
	struct kp_world *w = new_world();
	struct kp_nic *nic = kp_nic_alloc(w, NULL, mac_a, 1);
	struct rx_ring r;
	nic_up(nic, mac_a);
	kp_nic_wr32(nic, E1000_EITR(0), eitr);
	rx_setup(nic, 0, &r, 1024, 1023);
	for (int i = 0; i < 500; i++)
		send_at(w, nic, 2000 * (uint64_t)(i + 1), 1, 18);
	run(w);
	uint64_t fired = nic->vec[0].fired;
	rx_free(&r);
	finish(w, nic);
	return fired;
}

KP_TEST(test_itr_limits_interrupt_rate)
{
	KP_CHECK_EQ(st, interrupts_with_eitr(0), 500);
	/* IGB_20K_ITR = 196: 49 us apart over ~1 ms of traffic */
	uint64_t n = interrupts_with_eitr(196);
	KP_CHECK(st, n >= 20 && n <= 22);
	KP_CHECK_EQ(st, kp_nic_itr_interval_ns(196), 49000);
}

KP_TEST(test_tx_over_link)
{
	struct kp_world *w = new_world();
	struct kp_nic *a = kp_nic_alloc(w, NULL, mac_a, 1);
	struct kp_nic *b = kp_nic_alloc(w, NULL, mac_b, 1);
	struct tx_ring t;
	struct rx_ring r;
	struct kp_link_config cfg = { .bandwidth_bps = 1000000000,
				      .latency_ns = 10000 };
	KP_CHECK_EQ(st, kp_link_connect(w, a, b, &cfg), 0);
	nic_up(a, mac_a);
	nic_up(b, mac_b);
	tx_setup(a, 0, &t, 16);
	rx_setup(b, 0, &r, 16, 15);

	/* a 42-byte ARP-sized frame to b, padded by the MAC (PSP) */
	t.buf[0] = calloc(1, 42);
	memcpy(t.buf[0], mac_b, 6);
	memcpy(t.buf[0] + 6, mac_a, 6);
	t.buf[0][12] = 0x08;
	t.buf[0][13] = 0x06;
	t.desc[0].read.buffer_addr = kp_dma_map(a, t.buf[0], 42);
	t.desc[0].read.cmd_type_len =
		42 | E1000_ADVTXD_DTYP_DATA | E1000_ADVTXD_DCMD_DEXT |
		E1000_ADVTXD_DCMD_IFCS | E1000_ADVTXD_DCMD_EOP |
		E1000_ADVTXD_DCMD_RS;
	t.desc[0].read.olinfo_status = 42 << E1000_ADVTXD_PAYLEN_SHIFT;
	kp_nic_wr32(a, E1000_TDT(0), 1);
	run(w);
	KP_CHECK_EQ(st, a->txq[0].tdh, 1);
	KP_CHECK(st, t.desc[0].wb.status & E1000_TXD_STAT_DD);
	KP_CHECK_EQ(st, a->vec[0].fired, 1);
	KP_CHECK_EQ(st, b->rxq[0].rdh, 1);
	KP_CHECK_EQ(st, r.desc[0].wb.upper.length, 60);
	KP_CHECK_EQ(st, r.buf[0][13], 0x06);
	/* fetch 0, DMA 208 ns, wire (60+24)*8 = 672 ns, 10 us, DMA 208 ns */
	KP_CHECK_EQ(st, w->now, 208 + 672 + 10000 + 208);
	kp_world_destroy(w);
	kp_nic_free(a);
	kp_nic_free(b);
	kp_links_free(w);
	tx_free(&t);
	rx_free(&r);
	free(w);
}

KP_TEST_MAIN(test_toeplitz_vectors, test_toeplitz_table_matches_bitwise,
	     test_wire_dma_dd_interrupt,
	     test_multi_descriptor_frame, test_ring_full_counts_missed,
	     test_rss_spreads_flows, test_itr_limits_interrupt_rate,
	     test_tx_over_link)
