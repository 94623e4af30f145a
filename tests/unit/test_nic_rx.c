/*
 * test_nic_rx.c - the device's receive side (nic_rx.c) beyond
 * test_nic.c: the RX checksum engine (RXCSUM) against a word-by-word
 * reference (IPv4 header, UDP and TCP over odd and even lengths, frames
 * padded to the Ethernet minimum, a bad IP header, a bad L4 checksum,
 * UDP without a checksum; the engine sums eight bytes a step in one
 * accumulator, this pins that it reports what the RFC 1071 sum says),
 * and the unicast address filter (RAL/RAH, RCTL.UPE).
 */
#include <stdlib.h>
#include <string.h>

#include "engine/world.h"
#include "hw/nic.h"
#include "frame_util.h"
#include "kp_test.h"
#include "nic_arrival.h"

#define RING 128

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };

enum damage { GOOD, BAD_IP, BAD_L4, UDP_NO_CSUM };

/* An Ethernet/IPv4 frame carrying @proto (6 or 17) with @payload bytes
 * after the L4 header, checksums right unless @d says otherwise; padded
 * to 60 bytes.  Its length. */
static size_t frame(uint8_t *f, int proto, size_t payload, enum damage d,
		    uint32_t seed)
{
	size_t l4len = (proto == 6 ? 20 : 8) + payload, tot = 20 + l4len;
	size_t len = 14 + tot < 60 ? 60 : 14 + tot;
	memset(f, 0, len);
	memcpy(f, mac_a, 6);
	f[6] = 0x02;
	f[12] = 0x08;
	uint8_t *ip = f + 14, *l4 = ip + 20;
	ip[0] = 0x45;
	ip[2] = (uint8_t)(tot >> 8);
	ip[3] = (uint8_t)tot;
	ip[8] = 64;
	ip[9] = (uint8_t)proto;
	memcpy(ip + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	uint16_t c = fu_csum(ip, 20, 0);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	for (size_t i = 0; i < l4len; i++) {
		seed = seed * 1103515245u + 12345u;
		l4[i] = (uint8_t)(seed >> 16);
	}
	int at = proto == 6 ? 16 : 6; /* checksum field */
	l4[at] = l4[at + 1] = 0;
	if (proto == 17) {
		l4[4] = (uint8_t)(l4len >> 8);
		l4[5] = (uint8_t)l4len;
	} else {
		l4[12] = 5 << 4; /* data offset */
	}
	uint32_t ps = 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + (uint32_t)proto +
		      (uint32_t)l4len;
	c = fu_csum(l4, l4len, ps);
	if (proto == 17 && c == 0)
		c = 0xffff; /* 0 means "no checksum" in UDP */
	l4[at] = (uint8_t)(c >> 8);
	l4[at + 1] = (uint8_t)c;
	if (d == BAD_IP)
		ip[8] ^= 1; /* the TTL, under the header checksum */
	if (d == BAD_L4)
		l4[l4len - 1] ^= 0x40;
	if (d == UDP_NO_CSUM)
		l4[6] = l4[7] = 0;
	return len;
}

KP_TEST(test_rx_checksum_engine)
{
	struct kp_world *w = calloc(1, sizeof(*w));
	kp_world_init(w, 1, 12);
	struct kp_nic *nic = kp_nic_alloc(w, NULL, mac_a, 1);
	kp_nic_wr32(nic, E1000_RAL0, 0x02 | 0u << 8);
	kp_nic_wr32(nic, E1000_RAH0, 0x0a << 8 | E1000_RAH_AV);
	kp_nic_wr32(nic, E1000_RCTL, E1000_RCTL_EN);
	kp_nic_wr32(nic, E1000_RXCSUM, E1000_RXCSUM_IPOFL | E1000_RXCSUM_TUOFL);

	union e1000_adv_rx_desc *desc = calloc(RING, sizeof(*desc));
	uint8_t *buf[RING];
	dma_addr_t ring = kp_dma_map(nic, desc, RING * sizeof(*desc));
	for (int i = 0; i < RING; i++) {
		buf[i] = calloc(1, 2048);
		desc[i].read.pkt_addr = kp_dma_map(nic, buf[i], 2048);
	}
	kp_nic_wr32(nic, E1000_RDBAL(0), (uint32_t)ring);
	kp_nic_wr32(nic, E1000_RDBAH(0), (uint32_t)(ring >> 32));
	kp_nic_wr32(nic, E1000_RDLEN(0), RING * 16);
	kp_nic_wr32(nic, E1000_SRRCTL(0), 2048 >> E1000_SRRCTL_BSIZEPKT_SHIFT);
	kp_nic_wr32(nic, E1000_RDH(0), 0);
	kp_nic_wr32(nic, E1000_RXDCTL(0), E1000_RXDCTL_QUEUE_ENABLE);
	kp_nic_wr32(nic, E1000_RDT(0), RING - 1);

	/* 120 frames: UDP and TCP, payloads 0..29 bytes, four kinds */
	int proto[RING];
	enum damage dmg[RING];
	int n = 0;
	for (size_t payload = 0; payload < 30; payload++) {
		for (int k = 0; k < 4; k++, n++) {
			proto[n] = (k + (int)payload) & 1 ? 6 : 17;
			dmg[n] = (enum damage)k;
			if (dmg[n] == UDP_NO_CSUM)
				proto[n] = 17;
			struct arrival *a = calloc(1, sizeof(*a));
			a->nic = nic;
			a->len = frame(a->data, proto[n], payload, dmg[n],
				       (uint32_t)n);
			kp_world_at(w, 1000 * (uint64_t)(n + 1), arrive, a, 0,
				    NULL);
		}
	}
	kp_world_set_mode(w, KP_RUN_CONTINUE, 0);
	kp_world_run(w);

	for (int i = 0; i < n; i++) {
		uint32_t s = desc[i].wb.upper.status_error;
		uint32_t l4ok = proto[i] == 6 ? E1000_RXD_STAT_TCPCS
					      : E1000_RXD_STAT_UDPCS;
		KP_CHECK(st, s & E1000_RXD_STAT_DD);
		KP_CHECK(st, s & E1000_RXD_STAT_IPCS);
		KP_CHECK(st, s & l4ok);
		KP_CHECK_EQ(st, !!(s & E1000_RXDEXT_STATERR_IPE),
			    dmg[i] == BAD_IP);
		KP_CHECK_EQ(st, !!(s & E1000_RXDEXT_STATERR_TCPE),
			    dmg[i] == BAD_L4);
	}

	kp_world_destroy(w);
	kp_nic_free(nic);
	for (int i = 0; i < RING; i++)
		free(buf[i]);
	free(desc);
	free(w);
}

/* A frame to @dst: taken or filtered, as the counters say. */
static void send_to(struct kp_world *w, struct kp_nic *nic,
		    const uint8_t dst[6], uint64_t t)
{
	struct arrival *a = calloc(1, sizeof(*a));
	a->nic = nic;
	a->len = frame(a->data, 17, 18, GOOD, 1);
	memcpy(a->data, dst, 6);
	kp_world_at(w, t, arrive, a, 0, NULL);
}

KP_TEST(test_rx_address_filter)
{
	struct kp_world *w = calloc(1, sizeof(*w));
	kp_world_init(w, 1, 12);
	struct kp_nic *nic = kp_nic_alloc(w, NULL, mac_a, 1);
	kp_nic_wr32(nic, E1000_RCTL, E1000_RCTL_EN);
	union e1000_adv_rx_desc *desc = calloc(16, sizeof(*desc));
	uint8_t *buf = calloc(16, 2048);
	dma_addr_t ring = kp_dma_map(nic, desc, 16 * sizeof(*desc));
	for (int i = 0; i < 16; i++)
		desc[i].read.pkt_addr = kp_dma_map(nic, buf + 2048 * i, 2048);
	kp_nic_wr32(nic, E1000_RDBAL(0), (uint32_t)ring);
	kp_nic_wr32(nic, E1000_RDBAH(0), (uint32_t)(ring >> 32));
	kp_nic_wr32(nic, E1000_RDLEN(0), 16 * 16);
	kp_nic_wr32(nic, E1000_RXDCTL(0), E1000_RXDCTL_QUEUE_ENABLE);
	kp_nic_wr32(nic, E1000_RDT(0), 15);

	/* RAR0 from the EEPROM: our address passes, one byte off in any
	 * place does not */
	uint64_t t = 1000;
	send_to(w, nic, mac_a, t += 1000);
	for (int i = 0; i < 6; i++) {
		uint8_t other[6];
		memcpy(other, mac_a, 6);
		other[i] ^= 0x10;
		send_to(w, nic, other, t += 1000);
	}
	kp_world_set_mode(w, KP_RUN_CONTINUE, 0);
	kp_world_run(w);
	KP_CHECK_EQ(st, nic->stats.gprc, 1);
	KP_CHECK_EQ(st, nic->stats.filtered, 6);

	/* promiscuous: everything passes */
	kp_nic_wr32(nic, E1000_RCTL, E1000_RCTL_EN | E1000_RCTL_UPE);
	uint8_t other[6] = { 0x02, 0, 0, 0, 0, 0x0b };
	send_to(w, nic, other, t += 1000);
	kp_world_set_mode(w, KP_RUN_CONTINUE, 0);
	kp_world_run(w);
	KP_CHECK_EQ(st, nic->stats.gprc, 2);
	KP_CHECK_EQ(st, nic->stats.filtered, 6);

	kp_world_destroy(w);
	kp_nic_free(nic);
	free(buf);
	free(desc);
	free(w);
}

KP_TEST_MAIN(test_rx_checksum_engine, test_rx_address_filter)
